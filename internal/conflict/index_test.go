package conflict

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
)

func TestCheckIdentifiersAndSources(t *testing.T) {
	contacts := []model.Contact{
		{ID: 1, Kind: model.ContactOrg, Name: "北京某某科技有限公司", USCC: "91350100M000100Y43"},
		{ID: 2, Kind: model.ContactPerson, Name: "张三", IDNumber: "11010519491231002X", Phone: "138 0013 8000"},
		{ID: 3, Kind: model.ContactPerson, Name: "张三丰", Phone: "+86 139-0000-0000"},
	}
	matter := model.Matter{ID: 7, Title: "某某科技诉甲乙公司买卖合同纠纷", Parties: []model.Party{
		{Name: "某某（北京）科技股份有限公司", Kind: model.ContactOrg, Role: model.PartyClient},
		{Name: "甲乙商贸有限公司", Kind: model.ContactOrg, Role: model.PartyOpposing, USCC: "91110000600001760P"},
		{Name: "李四", Kind: model.ContactPerson, Role: model.PartyThird, IDNumber: "11010519491231002x"},
	}}
	var cands []Candidate
	for _, c := range contacts {
		cands = append(cands, FromContact(c))
	}
	cands = append(cands, FromMatter(matter)...)
	ix := NewIndex(cands)
	if ix.Len() != 6 {
		t.Fatalf("Len = %d, want 6", ix.Len())
	}

	tests := []struct {
		name    string
		q       Query
		want    []string // candidate names, strongest first
		reasons []string // one word each reason must contain
		best    Strength
	}{
		{"USCC beats name", Query{Name: "完全不同的名字", USCC: "９１１１００００６００００１７６０ｐ"},
			[]string{"甲乙商贸有限公司"}, []string{"统一社会信用代码"}, StrengthIdentifier},
		{"ID number, lower-case x", Query{Name: "王五", IDNumber: "11010519491231002x"},
			[]string{"张三", "李四"}, []string{"身份证号", "身份证号"}, StrengthIdentifier},
		{"phone with country code and spaces", Query{Phone: "0086 13900000000"},
			[]string{"张三丰"}, []string{"电话"}, StrengthIdentifier},
		{"name and phone on one candidate", Query{Name: "张 三", Phone: "13800138000"},
			[]string{"张三"}, []string{"电话号码相同；名称规范化后相同"}, StrengthIdentifier},
		{"org in contacts and matter", Query{Name: "某某(北京)科技有限公司"},
			[]string{"北京某某科技有限公司", "某某（北京）科技股份有限公司"}, []string{"地区位置", "公司后缀"}, StrengthName},
		{"short phone is ignored", Query{Phone: "8000"}, nil, nil, 0},
		{"nothing", Query{Name: "赵六"}, nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := ix.Check(tt.q)
			if len(hits) != len(tt.want) {
				t.Fatalf("got %d hits %+v, want %v", len(hits), hits, tt.want)
			}
			for i, h := range hits {
				if h.Candidate.Name != tt.want[i] {
					t.Errorf("hit %d = %q, want %q", i, h.Candidate.Name, tt.want[i])
				}
				if !strings.Contains(h.Reason, tt.reasons[i]) {
					t.Errorf("hit %d reason %q does not mention %q", i, h.Reason, tt.reasons[i])
				}
			}
			if len(hits) > 0 && hits[0].Strength != tt.best {
				t.Errorf("best strength %v, want %v", hits[0].Strength, tt.best)
			}
		})
	}
}

func TestHitsSortedStrongestFirst(t *testing.T) {
	ix := NewIndex([]Candidate{
		{Name: "上海某某科技有限公司", ContactID: 1},                        // similar
		{Name: "北京某某科技有限公司", ContactID: 2},                        // same name
		{Name: "另一家公司", USCC: "91350100M000100Y43", ContactID: 3}, // identifier
	})
	hits := ix.Check(Query{Name: "北京某某科技有限公司", USCC: "91350100M000100Y43"})
	want := []Strength{StrengthIdentifier, StrengthName, StrengthSimilar}
	if len(hits) != len(want) {
		t.Fatalf("got %+v", hits)
	}
	for i, h := range hits {
		if h.Strength != want[i] {
			t.Errorf("hit %d strength %v (%s), want %v", i, h.Strength, h.Strength.Label(), want[i])
		}
	}
}

func TestSource(t *testing.T) {
	c := FromContact(model.Contact{ID: 12, Name: "张三"})
	if got := c.Source(); got != "通讯录联系人 #12" {
		t.Errorf("contact source %q", got)
	}
	m := FromMatter(model.Matter{ID: 3, Title: "张三诉李四", Parties: []model.Party{{Name: "李四", Role: model.PartyOpposing}}})
	if got := m[0].Source(); got != "案件《张三诉李四》（#3）的对方当事人" {
		t.Errorf("matter source %q", got)
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"138 0013 8000": "13800138000", "+86 138-0013-8000": "13800138000", "008613800138000": "13800138000",
		"(010) 6552-1234": "01065521234", "１３８００１３８０００": "13800138000", "12345": "", "": "",
	} {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReplace: after Replace, a check sees changed and new candidates and
// no longer sees removed ones, also after the index compacted itself.
func TestReplace(t *testing.T) {
	ix := NewIndex([]Candidate{
		{Name: "张三", Phone: "13800138000", ContactID: 1},
		{Name: "李四", ContactID: 2},
		{Name: "北京某某科技有限公司", Kind: model.ContactOrg, MatterID: 10, MatterTitle: "甲案", Role: model.PartyOpposing},
		{Name: "王五", MatterID: 10, MatterTitle: "甲案", Role: model.PartyClient},
	})
	names := func(q Query) []string {
		var out []string
		for _, h := range ix.Check(q) {
			out = append(out, fmt.Sprintf("%s@%d/%d", h.Candidate.Name, h.Candidate.ContactID, h.Candidate.MatterID))
		}
		return out
	}
	// Contact 1 renamed, matter 10 lost 王五 and 北京某某 became the client, contact 3 added.
	ix.Replace([]int64{1, 3}, []int64{10}, []Candidate{
		{Name: "张三丰", Phone: "13800138000", ContactID: 1},
		{Name: "赵六", ContactID: 3},
		{Name: "北京某某科技有限公司", Kind: model.ContactOrg, MatterID: 10, MatterTitle: "甲案（改）", Role: model.PartyClient},
	})
	if got := names(Query{Name: "张三"}); len(got) != 0 {
		t.Errorf("old name still found: %v", got)
	}
	if got := names(Query{Name: "张三丰", Phone: "138 0013 8000"}); !reflect.DeepEqual(got, []string{"张三丰@1/0"}) {
		t.Errorf("renamed contact: %v", got)
	}
	if got := names(Query{Name: "王五"}); len(got) != 0 {
		t.Errorf("removed party still found: %v", got)
	}
	hits := ix.Check(Query{Name: "某某(北京)科技有限责任公司"})
	if len(hits) != 1 || hits[0].Candidate.Role != model.PartyClient || hits[0].Candidate.MatterTitle != "甲案（改）" {
		t.Errorf("changed party: %+v", hits)
	}
	if got := names(Query{Name: "赵六"}); !reflect.DeepEqual(got, []string{"赵六@3/0"}) {
		t.Errorf("added contact: %v", got)
	}
	if ix.Len() != 4 {
		t.Errorf("Len = %d, want 4", ix.Len())
	}
	// Enough churn to compact: the index must answer the same afterwards.
	for i := range 3000 {
		ix.Replace([]int64{2}, nil, []Candidate{{Name: fmt.Sprintf("李四%d", i%2), ContactID: 2}})
	}
	if len(ix.candidates) > 2100 {
		t.Errorf("no compaction: %d slots for %d candidates", len(ix.candidates), ix.Len())
	}
	if got := names(Query{Name: "李四1"}); !reflect.DeepEqual(got, []string{"李四1@2/0"}) || ix.Len() != 4 {
		t.Errorf("after compaction: %v, Len %d", got, ix.Len())
	}
	if got := names(Query{Name: "赵六"}); !reflect.DeepEqual(got, []string{"赵六@3/0"}) {
		t.Errorf("after compaction, 赵六: %v", got)
	}
}
