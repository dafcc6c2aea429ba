package profile

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	const firm = "某某律所"
	goodSig := "专注婚姻家事、劳动争议"
	tests := []struct {
		name      string
		nick, sig string
		want      []string // substrings, one per expected finding, in order
		violation bool     // at least one finding is a violation
	}{
		{"conforming, hyphen", "张三-某某律所", goodSig, nil, false},
		{"conforming, middle dot", "张三·某某律所", goodSig, nil, false},
		{"conforming, bar", "李四四|某某律所", "知识产权 商标 专利", nil, false},
		{"conforming, 丨", "王五丨某某律所", "刑事辩护", nil, false},
		{"conforming, space", "赵六 某某律所", "公司法务", nil, false},
		{"conforming, full-width bar", "张三｜某某律所", goodSig, nil, false},
		{"with 律师", "张三律师-某某律所", goodSig, nil, false},
		{"ethnic name", "阿卜杜拉·买买提-某某律所", goodSig, nil, false},
		{"harmless 第一时间", "张三-某某律所", "合同纠纷，第一时间回复", nil, false},
		{"empty nickname", "", goodSig, []string{"昵称为空"}, false},
		{"no firm", "张三", goodSig, []string{"未包含律所简称"}, false},
		{"no separator", "张三某某律所", goodSig, []string{"分隔符"}, false},
		{"firm first", "某某律所-张三", goodSig, []string{"之后"}, false},
		{"only firm", "某某律所", goodSig, []string{"缺少真实姓名"}, false},
		{"emoji in name", "张三🌸-某某律所", goodSig, []string{"真实姓名"}, false},
		{"nickname not a name", "A张-某某律所", goodSig, []string{"混用"}, false},
		{"one character", "张-某某律所", goodSig, []string{"不像真实姓名"}, false},
		{"stuff on both sides", "张三-某某律所-咨询", goodSig, []string{"前后都有内容"}, false},
		{"empty signature", "张三-某某律所", "", []string{"签名为空"}, false},
		{"no practice area", "张三-某某律所", "用心服务每一位客户", []string{"未写明执业领域"}, false},
		{"promise", "张三-某某律所", "婚姻家事，包赢", []string{"承诺办理结果"}, true},
		{"win rate", "张三-某某律所", "劳动争议 胜诉率100%", []string{"胜诉率"}, true},
		{"win rate full-width", "张三-某某律所", "劳动争议 胜诉率１００％", []string{"胜诉率"}, true},
		{"superlative", "张三-某某律所", "最好的刑事辩护律师", []string{"最好"}, true},
		{"first place", "张三-某某律所", "全国第一 知识产权", []string{"第一"}, true},
		{"No.1 full-width", "张三-某某律所", "ＮＯ．１ 知识产权", []string{"no.1"}, true},
		{"expert", "张三-某某律所", "知识产权权威专家", []string{"权威”“专家"}, true},
		{"relationship", "张三-某某律所", "刑事辩护，法院有人", []string{"司法人员"}, true},
		{"marketing in nickname", "金牌律师张三-某某律所", goodSig, []string{"姓名部分", "金牌"}, true},
		{"several problems", "某某律所", "最专业，包赢", []string{"缺少真实姓名", "未写明执业领域", "承诺办理结果", "最专业"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(tt.nick, tt.sig, firm)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d findings %+v, want %d %q", len(got), got, len(tt.want), tt.want)
			}
			violation := false
			for i, f := range got {
				if !strings.Contains(f.Message, tt.want[i]) {
					t.Errorf("finding %d %q does not mention %q", i, f.Message, tt.want[i])
				}
				if f.Rule == "" || (f.Field != "昵称" && f.Field != "签名") {
					t.Errorf("finding %d lacks a rule or field: %+v", i, f)
				}
				violation = violation || f.Level == LevelViolation
			}
			if violation != tt.violation {
				t.Errorf("violation = %v, want %v", violation, tt.violation)
			}
		})
	}
}

func TestCheckWithoutFirm(t *testing.T) {
	got := Check("张三-某某律所", "婚姻家事", "")
	if len(got) != 1 || !strings.Contains(got[0].Message, "未设置律所简称") {
		t.Fatalf("got %+v", got)
	}
}

func TestRulesCiteSources(t *testing.T) {
	for _, mr := range marketingRules {
		if !strings.Contains(mr.rule, "《") {
			t.Errorf("rule for %q cites no regulation: %q", mr.what, mr.rule)
		}
	}
	if LevelViolation.Label() != "违规" || LevelAdvice.Label() != "建议" {
		t.Error("level labels")
	}
}

// FuzzCheck checks that any nickname and signature give well-formed findings.
func FuzzCheck(f *testing.F) {
	f.Add("张三-某某律所", "婚姻家事", "某某律所")
	f.Add("某某律所某某律所", "包赢胜诉率", "某某律所")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, nick, sig, firm string) {
		for _, fd := range Check(nick, sig, firm) {
			if fd.Message == "" || fd.Rule == "" || (fd.Level != LevelAdvice && fd.Level != LevelViolation) {
				t.Fatalf("malformed finding %+v", fd)
			}
		}
	})
}
