package web

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lvxin/lvxin/internal/casenum"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/contactio"
	"github.com/lvxin/lvxin/internal/deadline"
	"github.com/lvxin/lvxin/internal/model"
)

// fieldErrors maps the name of a form field to what is wrong with it; after
// a refused submission the page shows each message beside its field (and
// the workflow's own message on top, as before). The checks here are the
// same pure validators the workflows use, run once more field by field to
// find where the problem is.
type fieldErrors map[string]string

// matterFieldErrors finds the fields of the new-matter form that the
// client book refuses; rows are the party rows as typed (party-0, party-1 …).
func matterFieldErrors(m model.Matter, rows []model.Party) fieldErrors {
	errs := fieldErrors{}
	if strings.TrimSpace(m.Title) == "" {
		errs["title"] = "请填写案件名称"
	}
	if cn := strings.TrimSpace(m.CaseNumber); cn != "" {
		if _, err := casenum.Normalize(cn); err != nil {
			errs["case_number"] = fmt.Sprintf("%v；应如（2024）京0105民初12345号", err)
		}
	}
	for i, pt := range rows {
		if strings.TrimSpace(pt.Name) == "" {
			if pt.USCC != "" || pt.IDNumber != "" || pt.Phone != "" {
				errs[fmt.Sprintf("party-%d", i)] = "请填写当事人名称"
			}
			continue
		}
		if err := clientbook.NormalizeParty(&pt); err != nil {
			errs[fmt.Sprintf("party-%d", i)] = strings.TrimPrefix(err.Error(), model.ErrInvalidInput.Error()+"：")
		}
	}
	return errs
}

// contactFieldErrors finds the fields of a contact form that are refused.
func contactFieldErrors(c model.Contact) fieldErrors {
	errs := fieldErrors{}
	if strings.TrimSpace(c.Name) == "" {
		errs["name"] = "请填写名称"
	}
	for _, f := range []struct {
		field, value string
		check        func(string) error
	}{
		{"phone", c.Phone, contactio.ValidPhone},
		{"email", c.Email, contactio.ValidEmail},
		{"uscc", strings.ToUpper(c.USCC), contactio.ValidUSCC},
		{"id_number", strings.ToUpper(c.IDNumber), contactio.ValidIDNumber},
	} {
		if v := strings.TrimSpace(f.value); v != "" {
			if err := f.check(v); err != nil {
				errs[f.field] = err.Error()
			}
		}
	}
	return errs
}

// deadlineFieldErrors places a refused deadline computation beside its
// field: the rule or the start date.
func deadlineFieldErrors(err error) fieldErrors {
	errs := fieldErrors{}
	switch {
	case errors.Is(err, deadline.ErrUnknownRule):
		errs["rule"] = "请从列表中选择期限规则"
	case errors.Is(err, deadline.ErrInvalidStart):
		errs["from"] = err.Error()
	case errors.Is(err, model.ErrInvalidInput):
		errs["title"] = strings.TrimPrefix(err.Error(), model.ErrInvalidInput.Error()+"：")
	}
	return errs
}
