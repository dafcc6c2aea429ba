package redact

import (
	_ "embed"
	"fmt"
	"strings"
)

// public.txt lists public companies and public bodies (its header says
// where the names come from and how the list is kept). Named in a sentence
// that is not about a case, they are public facts, not client data.
//
//go:embed public.txt
var publicText string

// publicNames are the names of public.txt; parsePublic checks its format.
var publicNames = func() []string {
	names, err := parsePublic(publicText)
	if err != nil {
		panic(err)
	}
	return names
}()

// publicKinds are the categories a line of public.txt may have.
var publicKinds = map[string]bool{"listed": true, "state": true, "body": true}

// parsePublic reads the lines "name<TAB>kind" of the public list.
func parsePublic(text string) ([]string, error) {
	var names []string
	seen := map[string]bool{}
	for n, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, kind, ok := strings.Cut(line, "\t")
		switch {
		case !ok || name == "" || strings.TrimSpace(name) != name:
			return nil, fmt.Errorf("公开主体名单第 %d 行：应为“名称<TAB>类别”", n+1)
		case !publicKinds[kind]:
			return nil, fmt.Errorf("公开主体名单第 %d 行：未知类别 %q（可选 listed、state、body）", n+1, kind)
		case seen[name]:
			return nil, fmt.Errorf("公开主体名单第 %d 行：%s 重复", n+1, name)
		}
		seen[name] = true
		names = append(names, name)
	}
	return names, nil
}

// caseWords show that a sentence is about a case the lawyer handles, in
// which even a public company is a party whose name the lawyer keeps.
var caseWords = []string{"原告", "被告", "当事人", "委托人", "客户", "代理", "申请人", "第三人", "上诉人", "顾问单位", "我们"}

// isPublicName reports whether an organisation candidate is, or holds, a
// name of the public list.
func isPublicName(s string) bool {
	for _, n := range publicNames {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

// dropPublicNames removes organisation candidates found by heuristics that
// are public companies or bodies, unless their sentence is about a case.
// Names from the client book (confidence 1) stay.
func dropPublicNames(text string, cands []Finding) []Finding {
	out := cands[:0]
	for _, c := range cands {
		if c.Type == TypeOrg && c.Confidence < 1 && isPublicName(text[c.Start:c.End]) {
			if s, e := sentenceAround(text, c.Start); !containsAny(text[s:e], caseWords) {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}
