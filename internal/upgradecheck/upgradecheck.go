// Package upgradecheck records what a running lvxin shows, so that an
// upgrade can be proven to lose nothing: the fixture script records it with
// the old release's own web pages and CLI, the upgrade test records it again
// with today's binary on the upgraded database, and the two must match.
// It talks to lvxin only over HTTP and through the command line.
package upgradecheck

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Manifest is what a database made by one release holds and shows.
type Manifest struct {
	// Commit is the release the fixture was made with.
	Commit        string `json:"commit"`
	Engine        string `json:"engine"`
	SchemaVersion int64  `json:"schema_version"`
	CreatedAt     string `json:"created_at"`
	// Password is every fixture user's password (fictional demo firm).
	Password string `json:"password"`
	// Users maps each username to what that user sees in the web UI.
	Users map[string]*UserView `json:"users"`
	// Search maps a query to the messages the CLI finds (all matters).
	Search map[string][]string `json:"search"`
	// Evidence lists every item as "id sha256 sm3 size matter_id".
	Evidence []string `json:"evidence"`
	// Counts maps a table to its number of rows.
	Counts map[string]int64 `json:"counts"`
	// Blobs maps each file of the blob store (relative path) to the
	// SHA-256 of its stored (encrypted) bytes.
	Blobs map[string]string `json:"blobs"`
	// AuditRows is the number of audit records `audit verify` checked.
	AuditRows int64 `json:"audit_rows"`
	// LedgerVerify is what `ledger verify` printed, line by line.
	LedgerVerify []string `json:"ledger_verify"`
}

// UserView is what one user sees.
type UserView struct {
	// Lists maps a list page to the ids of the objects it links to.
	Lists map[string][]int64 `json:"lists"`
	// Objects maps an object page (e.g. /matters/3) to its HTTP status:
	// 200 when the user may open it, 404 otherwise.
	Objects map[string]int `json:"objects"`
	// Search maps a query to the conversations of the chat search's hits,
	// one entry per hit, sorted.
	Search map[string][]int64 `json:"search"`
}

// Kinds are the object kinds whose list pages and object pages are
// recorded; the list page of kind k is /k, an object is /k/ID.
var Kinds = []string{"matters", "clients", "chats", "evidence", "deadlines", "consultations"}

// SearchQueries are the chat searches recorded (web per user, CLI for all).
var SearchQueries = []string{"合同", "押金", "律师", "仲裁", "图片"}

// Client is a signed-in browser-like HTTP client.
type Client struct {
	base string
	http *http.Client
	csrf string
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// Login signs in to the lvxin at base.
func Login(base, username, password string) (*Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &Client{base: strings.TrimRight(base, "/"), http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	_, body, err := c.Get("/login")
	if err != nil {
		return nil, err
	}
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		return nil, fmt.Errorf("no form token on /login")
	}
	status, body, err := c.post("/login", url.Values{"csrf_token": {m[1]}, "username": {username}, "password": {password}, "next": {"/"}})
	if err != nil {
		return nil, err
	}
	if status != http.StatusSeeOther {
		return nil, fmt.Errorf("login %s: status %d: %.300s", username, status, body)
	}
	_, body, err = c.Get("/")
	if err != nil {
		return nil, err
	}
	if m := csrfRE.FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
	}
	return c, nil
}

// Get fetches a page.
func (c *Client) Get(path string) (int, string, error) {
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// Post submits a form with the session's form token.
func (c *Client) Post(path string, form url.Values) (int, string, error) {
	form.Set("csrf_token", c.csrf)
	return c.post(path, form)
}

func (c *Client) post(path string, form url.Values) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// ids returns the sorted distinct ids of links to /kind/ID in body.
func ids(body, kind string) []int64 {
	re := regexp.MustCompile(`href="/` + kind + `/(\d+)"`)
	var out []int64
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// resultsRE is the chat search's result list.
var resultsRE = regexp.MustCompile(`(?s)id="results">(.*?)</ol>`)

var hitRE = regexp.MustCompile(`(?s)<li>.*?href="/chats/(\d+)"`)

// View records what the signed-in user sees. objects lists every object
// page to try (the union of what all users list), so a page a user could
// not open before and can now (or the other way round) is noticed.
func (c *Client) View(objects map[string][]int64) (*UserView, error) {
	v := &UserView{Lists: map[string][]int64{}, Objects: map[string]int{}, Search: map[string][]int64{}}
	for _, kind := range Kinds {
		status, body, err := c.Get("/" + kind)
		if err != nil {
			return nil, err
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("GET /%s: status %d", kind, status)
		}
		v.Lists[kind] = ids(body, kind)
		for _, id := range objects[kind] {
			p := fmt.Sprintf("/%s/%d", kind, id)
			status, _, err := c.Get(p)
			if err != nil {
				return nil, err
			}
			v.Objects[p] = status
		}
	}
	for _, q := range SearchQueries {
		status, body, err := c.Get("/chats?q=" + url.QueryEscape(q))
		if err != nil {
			return nil, err
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("chat search %q: status %d", q, status)
		}
		hits := []int64{}
		if m := resultsRE.FindStringSubmatch(body); m != nil {
			for _, h := range hitRE.FindAllStringSubmatch(m[1], -1) {
				id, _ := strconv.ParseInt(h[1], 10, 64)
				hits = append(hits, id)
			}
		}
		slices.Sort(hits)
		v.Search[q] = hits
	}
	return v, nil
}

// Views signs in as every user and records what each sees. The object
// pages tried are the union of the ids in everyone's lists plus extra.
func Views(base string, users []string, password string, extra map[string][]int64) (map[string]*UserView, error) {
	clients := map[string]*Client{}
	objects := map[string][]int64{}
	for k, v := range extra {
		objects[k] = append(objects[k], v...)
	}
	for _, u := range users {
		c, err := Login(base, u, password)
		if err != nil {
			return nil, err
		}
		clients[u] = c
		for _, kind := range Kinds {
			_, body, err := c.Get("/" + kind)
			if err != nil {
				return nil, err
			}
			objects[kind] = append(objects[kind], ids(body, kind)...)
		}
	}
	for k, v := range objects {
		slices.Sort(v)
		objects[k] = slices.Compact(v)
	}
	out := map[string]*UserView{}
	for _, u := range users {
		v, err := clients[u].View(objects)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", u, err)
		}
		out[u] = v
	}
	return out, nil
}

// Objects is the union of every object page in views, by kind, so the
// upgrade test tries the same pages as the fixture script.
func Objects(views map[string]*UserView) map[string][]int64 {
	out := map[string][]int64{}
	for _, v := range views {
		for p := range v.Objects {
			var kind string
			var id int64
			parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
			if len(parts) != 2 {
				continue
			}
			kind = parts[0]
			id, _ = strconv.ParseInt(parts[1], 10, 64)
			out[kind] = append(out[kind], id)
		}
	}
	for k, v := range out {
		slices.Sort(v)
		out[k] = slices.Compact(v)
	}
	return out
}

// searchResult is the part of `lvxin search --json` recorded: a message by
// when, who and what, independent of row ids and keys.
type searchResult struct {
	Message struct {
		SentAt     time.Time       `json:"SentAt"`
		SenderName string          `json:"SenderName"`
		SenderWxID string          `json:"SenderWxID"`
		Kind       string          `json:"Kind"`
		Text       string          `json:"Text"`
		Attachment json.RawMessage `json:"Attachment"`
	} `json:"message"`
	Conversation string `json:"conversation"`
}

// ParseSearch turns `lvxin search --json` output into sorted lines.
func ParseSearch(out string) ([]string, error) {
	var results []searchResult
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		return nil, fmt.Errorf("search output: %w: %.200s", err, out)
	}
	lines := []string{}
	for _, r := range results {
		m := r.Message
		lines = append(lines, fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s", m.SentAt.UTC().Format(time.RFC3339), r.Conversation,
			m.SenderName, m.SenderWxID, m.Kind, m.Text, attachmentDigest(m.Attachment)))
	}
	slices.Sort(lines)
	return lines, nil
}

// attachmentDigest names an attachment and its stored file, or "".
func attachmentDigest(raw json.RawMessage) string {
	var a map[string]any
	if json.Unmarshal(raw, &a) != nil || a == nil {
		return ""
	}
	blobID, _ := a["BlobID"].(string)
	name, _ := a["Name"].(string)
	return name + ":" + blobID
}

// evidenceLine is one item of `lvxin evidence list --json`.
type evidenceLine struct {
	ID       int64  `json:"id"`
	SHA256   string `json:"sha256"`
	SM3      string `json:"sm3"`
	Size     int64  `json:"size"`
	MatterID int64  `json:"matter_id"`
}

// ParseEvidence turns `lvxin evidence list --json` output into sorted lines.
func ParseEvidence(out string) ([]string, error) {
	var items []evidenceLine
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		return nil, fmt.Errorf("evidence list output: %w: %.200s", err, out)
	}
	lines := []string{}
	for _, e := range items {
		lines = append(lines, fmt.Sprintf("%d %s %s %d %d", e.ID, e.SHA256, e.SM3, e.Size, e.MatterID))
	}
	slices.Sort(lines)
	return lines, nil
}

var auditRowsRE = regexp.MustCompile(`共 (\d+) 条记录`)

// ParseAuditRows reads the record count of `lvxin audit verify`.
func ParseAuditRows(out string) (int64, error) {
	m := auditRowsRE.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("audit verify output: %q", out)
	}
	return strconv.ParseInt(m[1], 10, 64)
}

// CountRows counts the rows of every table of lvxin's schema (goose's own
// bookkeeping excluded).
func CountRows(ctx context.Context, db *sql.DB, postgres bool) (map[string]int64, error) {
	q := "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return nil, err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	counts := map[string]int64{}
	for _, t := range tables {
		if t == "goose_db_version" || !postgres && isShadow(t) {
			continue
		}
		var n int64
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM "`+t+`"`).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		counts[t] = n
	}
	return counts, nil
}

// isShadow reports SQLite FTS shadow tables (name_data, name_idx, …).
func isShadow(t string) bool {
	for _, s := range []string{"_data", "_idx", "_content", "_docsize", "_config"} {
		if strings.HasSuffix(t, s) {
			return true
		}
	}
	return false
}

// BlobDigests maps every file under dataDir/blobs (temporary files
// excluded) to the SHA-256 of its bytes as stored.
func BlobDigests(dataDir string) (map[string]string, error) {
	root := filepath.Join(dataDir, "blobs")
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "tmp" {
				return filepath.SkipDir
			}
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		sum := sha256.Sum256(data)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	return out, err
}
