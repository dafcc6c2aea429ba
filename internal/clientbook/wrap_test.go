package clientbook

import (
	"errors"
	"testing"

	"github.com/lvxin/lvxin/internal/contactio"
	"github.com/lvxin/lvxin/internal/model"
)

// TestInvalidInputKeepsTheCause: a refused contact or party is invalid
// input and still says which check refused it.
func TestInvalidInputKeepsTheCause(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"phone", NormalizeContact(&model.Contact{Name: "张三", Kind: model.ContactPerson, Phone: "abc"}), contactio.ErrBadPhone},
		{"id number", NormalizeContact(&model.Contact{Name: "张三", Kind: model.ContactPerson, IDNumber: "123"}), contactio.ErrBadIDNumber},
		{"party uscc", NormalizeParty(&model.Party{Name: "某公司", Kind: model.ContactOrg, Role: model.PartyClient, USCC: "123"}), contactio.ErrBadUSCC},
	} {
		if !errors.Is(tc.err, model.ErrInvalidInput) || !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: got %v, want ErrInvalidInput wrapping %v", tc.name, tc.err, tc.want)
		}
	}
}
