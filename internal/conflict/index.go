package conflict

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/lvxin/lvxin/internal/model"
	"golang.org/x/text/width"
)

// Candidate is one name the firm already knows: a contact in the client book
// or a party of a matter. Exactly one of ContactID and MatterID is set.
type Candidate struct {
	Name     string
	Kind     model.ContactKind
	USCC     string
	IDNumber string
	Phone    string

	ContactID   int64 // set when the candidate is a contact
	MatterID    int64 // set when the candidate is a matter party
	MatterTitle string
	Role        model.PartyRole
}

// Source says in Chinese where the candidate came from.
func (c Candidate) Source() string {
	if c.MatterID != 0 {
		return fmt.Sprintf("案件《%s》（#%d）的%s", c.MatterTitle, c.MatterID, c.Role.Label())
	}
	return fmt.Sprintf("通讯录联系人 #%d", c.ContactID)
}

// FromContact makes the candidate of a contact.
func FromContact(c model.Contact) Candidate {
	return Candidate{Name: c.Name, Kind: c.Kind, USCC: c.USCC, IDNumber: c.IDNumber, Phone: c.Phone, ContactID: c.ID}
}

// FromMatter makes one candidate per party of a matter.
func FromMatter(m model.Matter) []Candidate {
	out := make([]Candidate, 0, len(m.Parties))
	for _, p := range m.Parties {
		out = append(out, Candidate{
			Name: p.Name, Kind: p.Kind, USCC: p.USCC, IDNumber: p.IDNumber, Phone: p.Phone,
			MatterID: m.ID, MatterTitle: m.Title, Role: p.Role,
		})
	}
	return out
}

// Query is the party to check: a name and whatever identifiers are known.
type Query struct {
	Name     string
	USCC     string
	IDNumber string
	Phone    string
}

// Strength ranks a hit; higher is stronger.
type Strength int

// Hit strengths.
const (
	StrengthSimilar    Strength = 1 // same core, different/missing region, or head office and branch
	StrengthName       Strength = 2 // normalised names are equal
	StrengthIdentifier Strength = 3 // USCC, ID number or phone number are equal
)

// Label is the strength's name in the UI.
func (s Strength) Label() string {
	switch s {
	case StrengthIdentifier:
		return "证件或电话相同"
	case StrengthName:
		return "名称相同"
	case StrengthSimilar:
		return "相似，需人工判断"
	}
	return "未知"
}

// Hit is a candidate that matches the query, with why.
type Hit struct {
	Candidate Candidate
	Reason    string // Chinese; several grounds are joined with "；"
	Strength  Strength
}

// Index answers checks by map lookups; build it once with NewIndex and keep
// it current with Replace. It is safe for concurrent use.
type Index struct {
	mu         sync.RWMutex
	candidates []Candidate // a removed candidate leaves an unreferenced slot
	keys       []Key
	gone       []bool // removed slots
	live       int
	byKey      map[string][]int32 // Key.String()
	byCore     map[string][]int32 // Key.Core, for similar hits
	byUSCC     map[string][]int32
	byID       map[string][]int32
	byPhone    map[string][]int32
	byContact  map[int64][]int32 // ContactID
	byMatter   map[int64][]int32 // MatterID
}

// NewIndex normalises every candidate once and indexes it by name key, name
// core and identifiers.
func NewIndex(candidates []Candidate) *Index {
	ix := &Index{
		candidates: make([]Candidate, 0, len(candidates)),
		keys:       make([]Key, 0, len(candidates)),
		gone:       make([]bool, 0, len(candidates)),
		byKey:      make(map[string][]int32, len(candidates)),
		byCore:     make(map[string][]int32, len(candidates)),
		byUSCC:     make(map[string][]int32),
		byID:       make(map[string][]int32),
		byPhone:    make(map[string][]int32),
		byContact:  make(map[int64][]int32, len(candidates)),
		byMatter:   make(map[int64][]int32),
	}
	for _, c := range candidates {
		ix.add(c)
	}
	return ix
}

// lookups lists the identifier maps a candidate is filed under, with its keys.
func (ix *Index) lookups(c Candidate) [3]struct {
	m   map[string][]int32
	key string
} {
	return [3]struct {
		m   map[string][]int32
		key string
	}{{ix.byUSCC, normalizeUSCC(c.USCC)}, {ix.byID, normalizeIDNumber(c.IDNumber)}, {ix.byPhone, NormalizePhone(c.Phone)}}
}

func (ix *Index) add(c Candidate) {
	n := int32(len(ix.candidates))
	k := Normalize(c.Name)
	ix.candidates = append(ix.candidates, c)
	ix.keys = append(ix.keys, k)
	ix.gone = append(ix.gone, false)
	ix.live++
	if !k.Empty() {
		ix.byKey[k.String()] = append(ix.byKey[k.String()], n)
		ix.byCore[k.Core] = append(ix.byCore[k.Core], n)
	}
	for _, l := range ix.lookups(c) {
		if l.key != "" {
			l.m[l.key] = append(l.m[l.key], n)
		}
	}
	if c.MatterID != 0 {
		ix.byMatter[c.MatterID] = append(ix.byMatter[c.MatterID], n)
	} else {
		ix.byContact[c.ContactID] = append(ix.byContact[c.ContactID], n)
	}
}

// unlink removes slot n from every lookup; the slot itself stays unused.
func (ix *Index) unlink(n int32) {
	drop := func(m map[string][]int32, key string) {
		list := m[key]
		if i := slices.Index(list, n); i >= 0 {
			list = slices.Delete(list, i, i+1)
		}
		if len(list) == 0 {
			delete(m, key)
		} else {
			m[key] = list
		}
	}
	k := ix.keys[n]
	if !k.Empty() {
		drop(ix.byKey, k.String())
		drop(ix.byCore, k.Core)
	}
	for _, l := range ix.lookups(ix.candidates[n]) {
		if l.key != "" {
			drop(l.m, l.key)
		}
	}
	ix.candidates[n], ix.keys[n], ix.gone[n] = Candidate{}, Key{}, true
	ix.live--
}

// Replace brings the index up to date after some contacts and matters
// changed: every candidate of the given contacts and matters is dropped and
// fresh (their current rows, possibly none for a deleted one) is added.
// When removed slots outnumber live ones the index is compacted.
func (ix *Index) Replace(contactIDs, matterIDs []int64, fresh []Candidate) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, id := range contactIDs {
		for _, n := range ix.byContact[id] {
			ix.unlink(n)
		}
		delete(ix.byContact, id)
	}
	for _, id := range matterIDs {
		for _, n := range ix.byMatter[id] {
			ix.unlink(n)
		}
		delete(ix.byMatter, id)
	}
	for _, c := range fresh {
		ix.add(c)
	}
	if dead := len(ix.candidates) - ix.live; dead > 1024 && dead > ix.live {
		live := make([]Candidate, 0, ix.live)
		for n, c := range ix.candidates {
			if !ix.gone[n] {
				live = append(live, c)
			}
		}
		fresh := NewIndex(live)
		ix.candidates, ix.keys, ix.gone, ix.live = fresh.candidates, fresh.keys, fresh.gone, fresh.live
		ix.byKey, ix.byCore, ix.byUSCC, ix.byID, ix.byPhone = fresh.byKey, fresh.byCore, fresh.byUSCC, fresh.byID, fresh.byPhone
		ix.byContact, ix.byMatter = fresh.byContact, fresh.byMatter
	}
}

// Len is the number of candidates in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// Check returns every candidate that matches q, strongest first, one hit per
// candidate (its grounds joined in Reason).
func (ix *Index) Check(q Query) []Hit {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	found := map[int32]*Hit{}
	var order []int32
	add := func(n int32, s Strength, reason string) {
		h, ok := found[n]
		if !ok {
			h = &Hit{Candidate: ix.candidates[n], Strength: s, Reason: reason}
			found[n] = h
			order = append(order, n)
			return
		}
		if s > h.Strength {
			h.Strength = s
		}
		h.Reason += "；" + reason
	}
	if id := normalizeUSCC(q.USCC); id != "" {
		for _, n := range ix.byUSCC[id] {
			add(n, StrengthIdentifier, "统一社会信用代码相同")
		}
	}
	if id := normalizeIDNumber(q.IDNumber); id != "" {
		for _, n := range ix.byID[id] {
			add(n, StrengthIdentifier, "身份证号相同")
		}
	}
	if p := NormalizePhone(q.Phone); p != "" {
		for _, n := range ix.byPhone[p] {
			add(n, StrengthIdentifier, "电话号码相同")
		}
	}
	qk := Normalize(q.Name)
	if !qk.Empty() {
		for _, n := range ix.byKey[qk.String()] {
			add(n, StrengthName, nameReason(q.Name, qk, ix.candidates[n].Name, ix.keys[n]))
		}
		for _, n := range ix.byCore[qk.Core] {
			if ix.keys[n].String() == qk.String() {
				continue // already an exact name hit
			}
			if reason := similarReason(qk, ix.keys[n]); reason != "" {
				add(n, StrengthSimilar, reason)
			}
		}
	}
	hits := make([]Hit, 0, len(order))
	for _, n := range order {
		hits = append(hits, *found[n])
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Strength > hits[j].Strength })
	return hits
}

// nameReason explains an exact key match by what normalising had to bridge.
func nameReason(qName string, q Key, cName string, c Key) string {
	if strings.TrimSpace(qName) == strings.TrimSpace(cName) {
		return "名称完全相同"
	}
	var diffs []string
	if q.Trad || c.Trad {
		diffs = append(diffs, "繁体")
	}
	if q.Width || c.Width {
		diffs = append(diffs, "全角")
	}
	if q.Case || c.Case {
		diffs = append(diffs, "大小写")
	}
	if q.Punct || c.Punct {
		diffs = append(diffs, "空格/标点")
	}
	if q.Form != c.Form {
		diffs = append(diffs, "公司后缀差异")
	}
	if q.Region != "" && q.RegionInBrackets != c.RegionInBrackets {
		diffs = append(diffs, "地区位置差异")
	}
	if len(diffs) == 0 {
		return "名称规范化后相同"
	}
	return "名称规范化后相同：" + strings.Join(diffs, "/")
}

// similarReason explains why two keys with the same core are only similar;
// "" means they are not reported. Person names (no legal form on either side)
// are never similar: their cores are the whole name.
func similarReason(q, c Key) string {
	if !q.Org && !c.Org {
		return ""
	}
	switch {
	case q.Branch != c.Branch && q.Region == c.Region:
		return fmt.Sprintf("总公司与分支机构（%s / %s）", orNone(q.Branch, "总公司"), orNone(c.Branch, "总公司"))
	case q.Region != "" && c.Region != "":
		return fmt.Sprintf("名称核心相同、地区不同（%s / %s），可能为关联企业", q.Region, c.Region)
	default:
		return fmt.Sprintf("名称核心相同，一方未写地区（%s）", orNone(q.Region, c.Region))
	}
}

func orNone(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// normalizeUSCC folds width and case; anything shorter than a full code is
// not indexed.
func normalizeUSCC(s string) string {
	s = strings.ToUpper(strings.ReplaceAll(width.Fold.String(strings.TrimSpace(s)), " ", ""))
	if len(s) != 18 {
		return ""
	}
	return s
}

func normalizeIDNumber(s string) string {
	s = strings.ToUpper(strings.ReplaceAll(width.Fold.String(strings.TrimSpace(s)), " ", ""))
	if len(s) != 18 && len(s) != 15 {
		return ""
	}
	return s
}

// NormalizePhone keeps the digits of a phone number and drops a +86/0086
// country code; numbers with fewer than 7 digits are not indexed ("").
func NormalizePhone(s string) string {
	var b strings.Builder
	for _, r := range width.Fold.String(s) {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "0086"):
		d = d[4:]
	case strings.HasPrefix(d, "86") && len(d) == 13:
		d = d[2:]
	}
	if len(d) < 7 {
		return ""
	}
	return d
}
