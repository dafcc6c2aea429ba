package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// actionShape is what an audit action code looks like.
var actionShape = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$`)

// auditActionsInSource walks every non-test Go file of the module and
// collects the audit action codes written there: string constants given
// as an AuditEvent's Action, passed to a function or method whose name
// contains "audit", assigned to a variable or field named action, or
// declared as a constant named Audit*. A code ending in "." is a prefix
// completed at run time.
func auditActionsInSource(t *testing.T) map[string][]string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string][]string{}
	fset := token.NewFileSet()
	add := func(e ast.Expr) {
		// "prefix." + something: the literal prefix.
		if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
			e = b.X
		}
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil || !actionShape.MatchString(s) || !strings.Contains(s, ".") {
			return
		}
		pos := fset.Position(lit.Pos())
		found[s] = append(found[s], strings.TrimPrefix(pos.Filename, root+"/")+":"+strconv.Itoa(pos.Line))
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "testdata" || name == "e2e" || name == "bench" || strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && (k.Name == "Action" || k.Name == "action") {
					add(n.Value)
				}
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				if strings.Contains(strings.ToLower(name), "audit") {
					for _, a := range n.Args {
						add(a)
					}
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && strings.EqualFold(id.Name, "action") && i < len(n.Rhs) {
						add(n.Rhs[i])
					}
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if (strings.HasPrefix(id.Name, "Audit") || strings.HasPrefix(id.Name, "audit") || strings.EqualFold(id.Name, "action")) && i < len(n.Values) {
						add(n.Values[i])
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestEveryAuditActionHasALabel: every action code written in the code
// base reads in words on the audit page (a prefix completed at run time
// needs at least one label that starts with it).
func TestEveryAuditActionHasALabel(t *testing.T) {
	found := auditActionsInSource(t)
	if len(found) < 40 {
		t.Fatalf("found only %d action codes; the source walk is broken", len(found))
	}
	for code, where := range found {
		if strings.HasSuffix(code, ".") {
			ok := false
			for label := range auditActionLabels {
				ok = ok || strings.HasPrefix(label, code)
			}
			if !ok {
				t.Errorf("audit action prefix %q (%s) has no label starting with it", code, where[0])
			}
			continue
		}
		if _, ok := auditActionLabels[code]; !ok {
			t.Errorf("audit action %q (%s) has no Chinese label in auditActionLabels", code, where[0])
		}
	}
	for code, label := range auditActionLabels {
		if label == "" || label == code {
			t.Errorf("label of %q is empty or the code itself", code)
		}
	}
}

func TestTargetsInWords(t *testing.T) {
	for target, want := range map[string]string{
		"evidence/3": "证据 #3", "matter/12": "案件 #12", "user/zhang": "用户 zhang", "contacts": "通讯录",
		"GET /matters/9": "GET /matters/9", "": "",
	} {
		if got := targetLabel(target); got != want {
			t.Errorf("targetLabel(%q) = %q, want %q", target, got, want)
		}
	}
	for _, c := range []struct{ action, target, want string }{
		{"evidence.view", "evidence/3", "查看证据 #3"},
		{"login.ok", "session/7", "登录成功 登录会话 #7"},
		{"matter.party.add", "matter/2", "添加当事人 案件 #2"},
		{"user.create", "user/zhang", "添加用户 zhang"},
	} {
		if got := describeAudit(c.action, c.target); got != c.want {
			t.Errorf("describeAudit(%q, %q) = %q, want %q", c.action, c.target, got, c.want)
		}
	}
	if got := actionLabel("no.such_code"); got != "no.such_code" {
		t.Errorf("unknown code shown as %q", got)
	}
}
