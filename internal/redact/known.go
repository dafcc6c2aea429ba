package redact

import (
	"strings"
	"unicode/utf8"
)

// knownMatcher finds every caller-supplied name in one pass: an Aho-Corasick
// automaton over bytes. It is hand-written (about 80 lines) because none of
// the project's chosen libraries offers a multi-pattern matcher and the one
// Go module the proxy serves for it is young and unvetted; the algorithm is
// textbook and fully covered by tests.
type knownMatcher struct {
	next  []map[byte]int32 // goto function per state
	fail  []int32
	out   [][]int32 // pattern indexes ending at each state (including via fail links)
	names []KnownName
}

func newKnownMatcher(names []KnownName) *knownMatcher {
	m := &knownMatcher{next: []map[byte]int32{{}}, fail: []int32{0}, out: [][]int32{nil}}
	seen := map[string]bool{}
	for _, kn := range names {
		name := strings.TrimSpace(kn.Name)
		if name == "" || seen[name] || !utf8.ValidString(name) {
			continue
		}
		seen[name] = true
		if kn.Kind == "" {
			kn.Kind = TypePerson
		}
		kn.Name = name
		m.names = append(m.names, kn)
		state := int32(0)
		for i := 0; i < len(name); i++ {
			nx, ok := m.next[state][name[i]]
			if !ok {
				nx = int32(len(m.next))
				m.next = append(m.next, map[byte]int32{})
				m.fail = append(m.fail, 0)
				m.out = append(m.out, nil)
				m.next[state][name[i]] = nx
			}
			state = nx
		}
		m.out[state] = append(m.out[state], int32(len(m.names)-1))
	}
	// Breadth-first construction of the failure links.
	queue := make([]int32, 0, len(m.next))
	for _, s := range m.next[0] {
		queue = append(queue, s)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for c, t := range m.next[s] {
			queue = append(queue, t)
			f := m.fail[s]
			for {
				if nx, ok := m.next[f][c]; ok && nx != t {
					m.fail[t] = nx
					break
				}
				if f == 0 {
					break
				}
				f = m.fail[f]
			}
			m.out[t] = append(m.out[t], m.out[m.fail[t]]...)
		}
	}
	return m
}

// find appends a finding (confidence 1.0) for every occurrence of every
// known name, overlapping ones included; resolution picks among them later.
func (m *knownMatcher) find(text string, out []Finding) []Finding {
	if len(m.names) == 0 {
		return out
	}
	state := int32(0)
	for i := 0; i < len(text); i++ {
		c := text[i]
		for {
			if nx, ok := m.next[state][c]; ok {
				state = nx
				break
			}
			if state == 0 {
				break
			}
			state = m.fail[state]
		}
		for _, p := range m.out[state] {
			kn := m.names[p]
			start := i + 1 - len(kn.Name)
			out = append(out, Finding{Type: kn.Kind, Start: start, End: i + 1, Text: kn.Name, Confidence: 1.0})
		}
	}
	return out
}
