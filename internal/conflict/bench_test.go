package conflict

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
)

var (
	surnames   = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	givenChars = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏飞建国志强文博宇轩浩然子涵欣怡梓萱思远嘉怡雨泽晨阳")
	brandChars = []rune("华鑫盛达泰恒瑞丰源隆祥宏信诚德安和兴昌顺通佳美金银宝联创智云海天启明新")
	industries = []string{"科技", "网络科技", "信息技术", "贸易", "实业", "投资管理", "建筑工程", "餐饮管理", "文化传媒", "物流", "医疗器械", "房地产开发"}
	forms      = []string{"有限公司", "有限责任公司", "股份有限公司", "集团有限公司"}
	regions    = []string{"北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆"}
)

func personName(r *rand.Rand) string {
	n := 1 + r.IntN(2)
	s := []rune{surnames[r.IntN(len(surnames))]}
	for i := 0; i < n; i++ {
		s = append(s, givenChars[r.IntN(len(givenChars))])
	}
	return string(s)
}

func orgName(r *rand.Rand) string {
	brand := string([]rune{brandChars[r.IntN(len(brandChars))], brandChars[r.IntN(len(brandChars))]})
	if r.IntN(3) == 0 {
		brand += string(brandChars[r.IntN(len(brandChars))])
	}
	region := regions[r.IntN(len(regions))]
	industry := industries[r.IntN(len(industries))]
	form := forms[r.IntN(len(forms))]
	if r.IntN(4) == 0 {
		return brand + "（" + region + "）" + industry + form
	}
	return region + brand + industry + form
}

func phone(r *rand.Rand) string { return fmt.Sprintf("13%d%08d", r.IntN(10), r.IntN(100000000)) }

// generate makes contacts (70% persons with phones, 30% organisations) and
// matters with one client, one opposing party and one third party each.
func generate(contacts, matters int) []Candidate {
	r := rand.New(rand.NewPCG(2024, 105))
	out := make([]Candidate, 0, contacts+3*matters)
	for i := 0; i < contacts; i++ {
		c := model.Contact{ID: int64(i + 1), Kind: model.ContactPerson, Name: personName(r), Phone: phone(r)}
		if r.IntN(10) < 3 {
			c.Kind, c.Name, c.Phone = model.ContactOrg, orgName(r), ""
			c.USCC = fmt.Sprintf("91%06d%010d", r.IntN(1000000), r.IntN(10000000000))
		}
		out = append(out, FromContact(c))
	}
	for i := 0; i < matters; i++ {
		m := model.Matter{ID: int64(i + 1), Title: fmt.Sprintf("案件%d", i+1), Parties: []model.Party{
			{Name: personName(r), Kind: model.ContactPerson, Role: model.PartyClient},
			{Name: orgName(r), Kind: model.ContactOrg, Role: model.PartyOpposing},
			{Name: personName(r), Kind: model.ContactPerson, Role: model.PartyThird},
		}}
		out = append(out, FromMatter(m)...)
	}
	return out
}

func queries(n int) []Query {
	r := rand.New(rand.NewPCG(7, 7))
	qs := make([]Query, n)
	for i := range qs {
		if i%2 == 0 {
			qs[i] = Query{Name: personName(r), Phone: phone(r)}
		} else {
			qs[i] = Query{Name: orgName(r)}
		}
	}
	return qs
}

// naiveCheck is the baseline: normalise and compare every candidate per query.
func naiveCheck(cands []Candidate, q Query) []int {
	return scan(len(cands), q, func(i int) (string, string) {
		return Normalize(cands[i].Name).String(), NormalizePhone(cands[i].Phone)
	})
}

// scan compares q with n candidates whose name key and phone key(i) gives.
func scan(n int, q Query, key func(i int) (name, phone string)) []int {
	qk := Normalize(q.Name).String()
	qp := NormalizePhone(q.Phone)
	var out []int
	for i := 0; i < n; i++ {
		name, phone := key(i)
		if (qk != "" && name == qk) || (qp != "" && phone == qp) {
			out = append(out, i)
		}
	}
	return out
}

// TestIndexAgreesWithNaiveScan checks that the index finds exactly the
// name and phone hits a full scan finds.
func TestIndexAgreesWithNaiveScan(t *testing.T) {
	cands := generate(3000, 1500)
	ix := NewIndex(cands)
	// The scan normalises each candidate once up front to keep the test fast;
	// the benchmark below normalises per query, as a naive check would.
	names, phones := make([]string, len(cands)), make([]string, len(cands))
	for i, c := range cands {
		names[i], phones[i] = Normalize(c.Name).String(), NormalizePhone(c.Phone)
	}
	hitsSeen := 0
	for _, q := range queries(200) {
		want := scan(len(cands), q, func(i int) (string, string) { return names[i], phones[i] })
		var got []int
		for _, h := range ix.Check(q) {
			if h.Strength < StrengthName {
				continue
			}
			for i := range cands {
				if cands[i] == h.Candidate {
					got = append(got, i)
					break
				}
			}
		}
		sort.Ints(got)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("query %+v: index %v, scan %v", q, got, want)
		}
		hitsSeen += len(want)
	}
	if hitsSeen == 0 {
		t.Fatal("generated data produced no hits at all; the comparison proves nothing")
	}
}

// BenchmarkCheck compares an index lookup with the naive full scan over
// 100,000 contacts and 50,000 matters of 3 parties each (250,000 names).
func BenchmarkCheck(b *testing.B) {
	cands := generate(100000, 50000)
	qs := queries(1024)
	b.Run("index", func(b *testing.B) {
		ix := NewIndex(cands)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			ix.Check(qs[i%len(qs)])
		}
	})
	b.Run("naive-scan", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			naiveCheck(cands, qs[i%len(qs)])
		}
	})
}

// BenchmarkNewIndex measures building the index over the same 250,000 names.
func BenchmarkNewIndex(b *testing.B) {
	cands := generate(100000, 50000)
	for b.Loop() {
		NewIndex(cands)
	}
}
