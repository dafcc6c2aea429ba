package archive

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// ParseQuery splits what a user typed into terms that must all occur:
// whitespace separates terms, "double quotes" (or “Chinese quotes”) keep a
// phrase with its spaces together.
func ParseQuery(s string) []string {
	var terms []string
	var cur strings.Builder
	quoted := false
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			terms = append(terms, t)
		}
		cur.Reset()
	}
	for _, r := range s {
		switch {
		case r == '"' || r == '“' || r == '”':
			flush()
			quoted = !quoted
		case !quoted && (r == ' ' || r == '\t' || r == '\n' || r == '\u3000'):
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return terms
}

// Fragment is a piece of highlighted text.
type Fragment struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// Result is one search hit with its highlighted context.
type Result struct {
	Message           *model.Message `json:"message"`
	ConversationTitle string         `json:"conversation"`
	// Sender names the sender: the contact the participant is mapped to,
	// else the name the export gave.
	Sender    string     `json:"sender"`
	Fragments []Fragment `json:"fragments"`
}

// Sort orders.
const (
	SortNewest    = "newest"
	SortRelevance = "relevance"
)

// Page is one page of search results. When the search stopped at its
// budget (store.DefaultSearchBudget messages) before the page was full,
// More is the cursor to go on with (SearchQuery.BeforeID) and SearchedBack
// the time down to which messages were searched.
type Page struct {
	Results      []Result
	More         int64
	SearchedBack time.Time
	Searched     int64 // about how many messages were searched
}

// SearchedCount says about how many messages the page searched, as the
// pages and the command line show it: "40 " below ten thousand, else
// rounded to 万 ("100 万").
func (p Page) SearchedCount() string {
	if p.Searched >= 10_000 {
		return fmt.Sprintf("%d 万", (p.Searched+5_000)/10_000)
	}
	return fmt.Sprintf("%d ", p.Searched)
}

// Search finds messages in the whole range, however many that takes to
// read (bench/chat's latency figures; `lvxin search` and the web pages use
// SearchPage, bounded unless asked for everything with --all).
func (s *Service) Search(ctx context.Context, q store.SearchQuery, sortBy string) ([]Result, error) {
	if q.Budget == 0 {
		q.Budget = -1
	}
	p, err := s.SearchPage(ctx, q, sortBy)
	return p.Results, err
}

// SearchPage finds messages (the newest q.Limit, default 50, within the
// request's budget) and highlights the terms. With SortRelevance the page
// is reordered by how many times the terms occur and how densely (short
// messages first among equals).
func (s *Service) SearchPage(ctx context.Context, q store.SearchQuery, sortBy string) (Page, error) {
	if q.Budget == 0 {
		q.Budget = s.SearchBudget
	}
	res, err := s.DB.SearchMessages(ctx, q)
	if err != nil {
		return Page{}, err
	}
	page := Page{More: res.More, Searched: res.Searched}
	if res.More != 0 {
		page.SearchedBack = res.SearchedBack()
	}
	hits := res.Hits
	convIDs := make([]int64, 0, len(hits))
	seen := map[int64]bool{}
	for _, h := range hits {
		if !seen[h.Message.ConversationID] {
			seen[h.Message.ConversationID] = true
			convIDs = append(convIDs, h.Message.ConversationID)
		}
	}
	mapped, err := s.DB.ParticipantContactNames(ctx, convIDs)
	if err != nil {
		return Page{}, err
	}
	out := make([]Result, len(hits))
	for i, h := range hits {
		m := h.Message
		sender := mapped[m.ConversationID][m.SenderWxID]
		if sender == "" && m.SenderWxID == "" && m.SenderName != "" {
			sender = mapped[m.ConversationID][m.SenderName] // participants known only by nickname
		}
		if sender == "" {
			sender = m.SenderName
		}
		out[i] = Result{Message: m, ConversationTitle: h.ConversationTitle, Sender: sender,
			Fragments: Highlight(m.Text, q.Terms, 30)}
	}
	if sortBy == SortRelevance {
		score := func(r Result) float64 {
			n := 0
			for _, f := range r.Fragments {
				if f.Hit {
					n++
				}
			}
			return float64(n) / float64(1+utf8.RuneCountInString(r.Message.Text)/20)
		}
		sort.SliceStable(out, func(a, b int) bool { return score(out[a]) > score(out[b]) })
	}
	page.Results = out
	return page, nil
}

// Highlight marks every occurrence of the terms in text (ASCII letters
// case-insensitively) and, when text is long, keeps `context` characters
// around the first and last match with "…" for what is left out.
func Highlight(text string, terms []string, context int) []Fragment {
	lower := asciiLower(text)
	type span struct{ from, to int }
	var spans []span
	for _, t := range terms {
		t = asciiLower(t)
		if t == "" {
			continue
		}
		for off := 0; ; {
			i := strings.Index(lower[off:], t)
			if i < 0 {
				break
			}
			spans = append(spans, span{off + i, off + i + len(t)})
			off += i + len(t)
		}
	}
	sort.Slice(spans, func(a, b int) bool { return spans[a].from < spans[b].from })
	var merged []span
	for _, sp := range spans {
		if n := len(merged); n > 0 && sp.from <= merged[n-1].to {
			merged[n-1].to = max(merged[n-1].to, sp.to)
			continue
		}
		merged = append(merged, sp)
	}
	start, end := 0, len(text)
	if len(merged) > 0 && utf8.RuneCountInString(text) > 2*context+40 {
		start = backRunes(text, merged[0].from, context)
		end = forwardRunes(text, merged[len(merged)-1].to, context)
	}
	var out []Fragment
	if start > 0 {
		out = append(out, Fragment{Text: "…"})
	}
	pos := start
	for _, sp := range merged {
		if sp.from > pos {
			out = append(out, Fragment{Text: text[pos:sp.from]})
		}
		out = append(out, Fragment{Text: text[sp.from:sp.to], Hit: true})
		pos = sp.to
	}
	if pos < end {
		out = append(out, Fragment{Text: text[pos:end]})
	}
	if end < len(text) {
		out = append(out, Fragment{Text: "…"})
	}
	return out
}

func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// asciiLower folds ASCII letters only, so byte offsets stay valid.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
