package delivery

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/safety"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type fixture struct {
	db       *store.DB
	svc      *Service
	clk      *clock
	lead     *auth.Principal // leads the matter
	stranger *auth.Principal // a lawyer with no part in it
	matter   *model.Matter
	notices  []model.Notification
}

var visitor = auth.Client{IP: "203.0.113.7", UserAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile Safari"}

func newFixture(t *testing.T, db *store.DB, dataDir string, clk *clock) *fixture {
	t.Helper()
	ctx := context.Background()
	blobs, err := blob.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, clk: clk}
	users := map[string]*model.User{}
	for _, name := range []string{"lead", "stranger"} {
		u := &model.User{Username: name, DisplayName: name + "律师", Role: model.RoleLawyer, PasswordHash: "h"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		users[name] = u
	}
	f.lead, f.stranger = &auth.Principal{User: users["lead"]}, &auth.Principal{User: users["stranger"]}
	f.matter = &model.Matter{Title: "甲公司诉乙公司", Type: model.MatterCommercial, Status: model.MatterEngaged, LeadLawyerID: users["lead"].ID,
		Parties: []model.Party{{Name: "甲公司", Kind: model.ContactOrg, Role: model.PartyClient}}}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, f.matter) }); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	f.svc = New(Config{DB: db, Blobs: blobs, DataDir: dataDir, Now: clk.now,
		NotifyTx: func(ctx context.Context, tx *store.Tx, n model.Notification) error {
			mu.Lock()
			defer mu.Unlock()
			f.notices = append(f.notices, n)
			return nil
		}})
	return f
}

func (f *fixture) upload(t *testing.T, class model.DocumentClass, name string, content []byte) *model.Document {
	t.Helper()
	d, err := f.svc.Upload(context.Background(), f.lead, auth.Client{}, DocumentInput{MatterID: f.matter.ID, FileName: name,
		Classification: class}, bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func audits(t *testing.T, db *store.DB, action string) []*model.AuditEvent {
	t.Helper()
	evs, err := db.FindAudit(context.Background(), store.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestSendNDAGateLinkAndReceipt(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)} // Friday 10:00 in Shanghai
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk.set(time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC))
		f := newFixture(t, db, t.TempDir(), clk)
		content := bytes.Repeat([]byte("和解方案第一稿。"), 1000)
		doc := f.upload(t, model.ClassConfidential, "和解方案.docx", content)

		// A stranger neither sees the matter's documents nor sends them,
		// and the refusal is audited; a missing matter answers alike.
		if _, err := f.svc.ForMatter(ctx, f.stranger, visitor, f.matter.ID); !errors.Is(err, auth.ErrHidden) || !auth.IsAudited(err) {
			t.Fatalf("stranger sees the documents: %v", err)
		}
		if _, err := f.svc.ForMatter(ctx, f.stranger, visitor, 9999); !errors.Is(err, auth.ErrHidden) {
			t.Fatalf("missing matter: %v", err)
		}
		if _, err := f.svc.Send(ctx, f.stranger, visitor, SendInput{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "甲公司"}); !errors.Is(err, auth.ErrHidden) {
			t.Fatalf("stranger sends: %v", err)
		}
		if _, _, err := f.svc.OpenDocument(ctx, f.stranger, visitor, doc.ID); !errors.Is(err, auth.ErrHidden) {
			t.Fatalf("stranger downloads the document: %v", err)
		}
		if n := len(audits(t, db, "delivery.denied")); n != 4 {
			t.Fatalf("%d refusals audited, want 4", n)
		}

		// No NDA on record: refused with the reason, audited, nothing kept.
		_, err := f.svc.Send(ctx, f.lead, visitor, SendInput{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "甲公司"})
		if !errors.Is(err, ErrNDAMissing) || !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), "保密协议") ||
			!strings.Contains(err.Error(), "甲公司") {
			t.Fatalf("send without an NDA: %v", err)
		}
		if ev := audits(t, db, "delivery.refused"); len(ev) != 1 || !strings.Contains(ev[0].Detail, "和解方案") || ev[0].IP != visitor.IP {
			t.Fatalf("refusal audit: %+v", ev)
		}
		if list, _ := db.MatterDeliveries(ctx, f.matter.ID); len(list) != 0 {
			t.Fatalf("a refused send left a link: %v", list)
		}
		// An NDA with someone else does not help; a future date is refused.
		if _, err := f.svc.RecordNDA(ctx, f.lead, visitor, NDAInput{MatterID: f.matter.ID, Recipient: "乙", SignedOn: "2026-12-01",
			FileName: "nda.pdf"}, strings.NewReader("signed")); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RecordNDA(ctx, f.lead, visitor, NDAInput{MatterID: f.matter.ID, Recipient: "甲公司", SignedOn: "2026-12-30",
			FileName: "nda.pdf"}, strings.NewReader("signed")); !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), "签署日期") {
			t.Fatalf("NDA signed in the future: %v", err)
		}
		if _, err := f.svc.Send(ctx, f.lead, visitor, SendInput{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "甲公司"}); !errors.Is(err, ErrNDAMissing) {
			t.Fatalf("NDA of another recipient let it through: %v", err)
		}
		// With the recipient's NDA (names compared loosely) it is sent.
		nda, err := f.svc.RecordNDA(ctx, f.lead, visitor, NDAInput{MatterID: f.matter.ID, Recipient: " 甲公司 ", SignedOn: "2026-12-02",
			FileName: "甲公司保密协议.pdf"}, strings.NewReader("signed copy"))
		if err != nil {
			t.Fatal(err)
		}
		sent, err := f.svc.Send(ctx, f.lead, visitor, SendInput{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "甲公司",
			ValidDays: 3, AccessCode: true})
		if err != nil {
			t.Fatal(err)
		}
		if sent.Delivery.NDAID != nda.ID || len(sent.Code) != 6 || sent.Delivery.CodeHash == "" || strings.Contains(sent.Delivery.CodeHash, sent.Code) {
			t.Fatalf("sent: %+v code %q", sent.Delivery, sent.Code)
		}
		tok := sent.Token

		// The page opens (logged with IP and browser) but stays locked.
		link, err := f.svc.Open(ctx, tok, visitor, "")
		if err != nil || !link.NeedsCode || link.Unlocked || link.Sender != "lead律师" {
			t.Fatalf("open: %+v, %v", link, err)
		}
		if _, _, err := f.svc.Download(ctx, tok, visitor, ""); !errors.Is(err, ErrCodeNeeded) {
			t.Fatalf("download without the code: %v", err)
		}
		if _, err := f.svc.Confirm(ctx, tok, "张三", visitor, ""); !errors.Is(err, ErrCodeNeeded) {
			t.Fatalf("confirm without the code: %v", err)
		}
		// Wrong codes: four refused, the fifth locks the link for 15 minutes,
		// during which even the right code is refused.
		wrong := "000000"
		if sent.Code == wrong {
			wrong = "111111"
		}
		for i := 1; i <= MaxCodeFailures; i++ {
			_, err := f.svc.CheckCode(ctx, tok, wrong, visitor)
			want := ErrBadCode
			if i == MaxCodeFailures {
				want = ErrCodeLocked
			}
			if !errors.Is(err, want) {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		if _, err := f.svc.CheckCode(ctx, tok, sent.Code, visitor); !errors.Is(err, ErrCodeLocked) {
			t.Fatalf("right code while locked: %v", err)
		}
		if n := len(audits(t, db, "delivery.code.denied")); n != MaxCodeFailures {
			t.Fatalf("%d wrong codes audited", n)
		}
		clk.set(clk.now().Add(CodeLockout + time.Second))
		unlock, err := f.svc.CheckCode(ctx, tok, " "+sent.Code+" ", visitor)
		if err != nil || unlock == "" {
			t.Fatalf("right code: %q, %v", unlock, err)
		}
		link, rc, err := f.svc.Download(ctx, tok, visitor, unlock)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, content) || link.Document.ID != doc.ID {
			t.Fatalf("downloaded %d bytes, %v", len(got), err)
		}
		if _, err := f.svc.Confirm(ctx, tok, "  ", visitor, unlock); !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), "姓名") {
			t.Fatalf("confirm without a name: %v", err)
		}
		if _, err := f.svc.Confirm(ctx, tok, "张三", visitor, unlock); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Confirm(ctx, tok, "李四", visitor, unlock); err != nil {
			t.Fatal(err)
		}
		if len(f.notices) != 1 || f.notices[0].Kind != model.NotifyReceiptConfirmed || f.notices[0].UserID != f.lead.User.ID ||
			f.notices[0].MatterID != f.matter.ID || !strings.Contains(f.notices[0].Body, "张三") {
			t.Fatalf("notices: %+v", f.notices)
		}
		d, events, err := f.svc.Delivery(ctx, f.lead, visitor, sent.Delivery.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.ConfirmedName != "张三" || d.FirstOpenedAt.IsZero() || d.FirstDownloadedAt.IsZero() {
			t.Fatalf("record: %+v", d)
		}
		kinds := map[string]int{}
		for _, e := range events {
			kinds[e.Kind]++
			if e.IP != visitor.IP || !strings.Contains(e.UserAgent, "iPhone") {
				t.Fatalf("event without origin: %+v", e)
			}
		}
		if kinds[model.DeliveryOpened] != 1 || kinds[model.DeliveryBadCode] != MaxCodeFailures || kinds[model.DeliveryDownloaded] != 1 ||
			kinds[model.DeliveryConfirmed] != 1 {
			t.Fatalf("events: %v", kinds)
		}
		// The proof of service names the digest, the recipient and the times.
		rec, err := f.svc.Receipt(ctx, f.lead, visitor, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{doc.SHA256, "收件人：甲公司", "确认人：张三", "2026-12-02", "下载文件", visitor.IP} {
			if !strings.Contains(string(rec.Content), want) {
				t.Errorf("receipt lacks %q:\n%s", want, rec.Content)
			}
		}
		if _, err := f.svc.Receipt(ctx, f.stranger, visitor, d.ID); !errors.Is(err, auth.ErrHidden) {
			t.Fatalf("stranger reads the receipt: %v", err)
		}

		// Altered and foreign tokens, then expiry and revocation.
		altered := []byte(tok)
		altered[10] ^= 1
		if _, err := f.svc.Open(ctx, string(altered), visitor, ""); !errors.Is(err, ErrBadToken) {
			t.Fatalf("altered token: %v", err)
		}
		clk.set(d.ExpiresAt)
		if _, err := f.svc.Open(ctx, tok, visitor, ""); !errors.Is(err, ErrExpired) {
			t.Fatalf("expired link: %v", err)
		}
		if n := len(audits(t, db, "delivery.link.denied")); n != 2 {
			t.Fatalf("%d link refusals audited", n)
		}
	})
}

func TestRevokeIssuedByAndOrdinaryDocuments(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, t.TempDir(), clk)
		doc := f.upload(t, model.ClassOrdinary, "起诉状.docx", []byte("起诉状"))
		// An ordinary document needs no NDA.
		var tokens []string
		for _, who := range []string{"甲公司", "王五"} {
			sent, err := f.svc.Send(ctx, f.lead, visitor, SendInput{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: who})
			if err != nil {
				t.Fatal(err)
			}
			if sent.Code != "" || sent.Delivery.NDAID != 0 {
				t.Fatalf("ordinary send: %+v", sent)
			}
			tokens = append(tokens, sent.Token)
		}
		// Bad input names the field.
		for _, in := range []SendInput{
			{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: ""},
			{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "甲", ValidDays: 31},
			{MatterID: f.matter.ID, DocumentID: 0, Recipient: "甲"},
			{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "甲\x00"},
		} {
			if _, err := f.svc.Send(ctx, f.lead, visitor, in); !errors.Is(err, model.ErrInvalidInput) {
				t.Errorf("%+v: %v", in, err)
			}
		}
		if _, err := f.svc.Upload(ctx, f.lead, visitor, DocumentInput{MatterID: f.matter.ID, FileName: "a.txt", Classification: "secret"},
			strings.NewReader("x")); !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), "密级") {
			t.Errorf("unknown classification: %v", err)
		}
		if _, err := f.svc.Upload(ctx, f.lead, visitor, DocumentInput{MatterID: f.matter.ID, FileName: "empty.txt", Classification: model.ClassOrdinary},
			strings.NewReader("")); !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), "空文件") {
			t.Errorf("empty file: %v", err)
		}
		// Another user's links stay live.
		other := &auth.Principal{User: &model.User{ID: f.stranger.User.ID, Username: "admin", Role: model.RoleAdmin}}
		if _, err := f.svc.Send(ctx, other, visitor, SendInput{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "赵六"}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RevokeIssuedBy(ctx, f.lead.User.ID); err != nil {
			t.Fatal(err)
		}
		for _, tok := range tokens {
			if _, err := f.svc.Open(ctx, tok, visitor, ""); !errors.Is(err, ErrRevoked) {
				t.Fatalf("revoked link opens: %v", err)
			}
		}
		list, _ := db.MatterDeliveries(ctx, f.matter.ID)
		live := 0
		for _, d := range list {
			if d.Live(clk.now()) {
				live++
			}
		}
		if live != 1 {
			t.Fatalf("%d live links after the freeze, want 1 (another user's)", live)
		}
		if ev := audits(t, db, "delivery.revoke"); len(ev) != 2 {
			t.Fatalf("revocations audited: %d", len(ev))
		}
	})
}

func TestReminderAfterOneWorkingDay(t *testing.T) {
	// Sent on Friday 2026-12-04 at 16:00 in Shanghai: due Monday 16:00.
	sent := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	clk := &clock{t: sent}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk.set(sent)
		f := newFixture(t, db, t.TempDir(), clk)
		secret := f.upload(t, model.ClassTradeSecret, "配方.pdf", []byte("%PDF-1.4 secret"))
		plain := f.upload(t, model.ClassOrdinary, "通知.txt", []byte("notice"))
		if _, err := f.svc.RecordNDA(ctx, f.lead, visitor, NDAInput{MatterID: f.matter.ID, Recipient: "甲公司", SignedOn: "2026-12-01",
			FileName: "nda.pdf"}, strings.NewReader("signed")); err != nil {
			t.Fatal(err)
		}
		for _, doc := range []*model.Document{secret, plain} {
			if _, err := f.svc.Send(ctx, f.lead, visitor, SendInput{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "甲公司"}); err != nil {
				t.Fatal(err)
			}
		}
		if due := ReminderDue(calendar.Default(), sent); !due.Equal(time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)) {
			t.Fatalf("due %v", due)
		}
		for _, at := range []time.Time{
			time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC),  // Saturday
			time.Date(2026, 12, 7, 7, 59, 0, 0, time.UTC), // Monday 15:59
		} {
			clk.set(at)
			if n, err := f.svc.RemindUnconfirmed(ctx); err != nil || n != 0 {
				t.Fatalf("%v: %d reminders, %v", at, n, err)
			}
		}
		clk.set(time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC))
		n, err := f.svc.RemindUnconfirmed(ctx)
		if err != nil || n != 1 {
			t.Fatalf("Monday 16:00: %d reminders, %v", n, err)
		}
		if len(f.notices) != 1 || f.notices[0].Kind != model.NotifyDeliveryUnconfirmed || !strings.Contains(f.notices[0].Title, "商业秘密") {
			t.Fatalf("notices: %+v", f.notices)
		}
		if n, _ := f.svc.RemindUnconfirmed(ctx); n != 0 {
			t.Fatalf("reminded twice")
		}
	})
}

// TestFreezeRevokesTheLinksTheUserIssued: the emergency freeze, wired as
// cmd/lvxin wires it (safety.Revokers gets RevokeIssuedBy), leaves no link
// the frozen lawyer sent openable, and another user's link live.
func TestFreezeRevokesTheLinksTheUserIssued(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, t.TempDir(), clk)
		doc := f.upload(t, model.ClassOrdinary, "起诉状.docx", []byte("起诉状"))
		mine, err := f.svc.Send(ctx, f.lead, visitor, SendInput{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "甲公司"})
		if err != nil {
			t.Fatal(err)
		}
		other := &auth.Principal{User: &model.User{ID: f.stranger.User.ID, Username: "admin", Role: model.RoleAdmin}}
		theirs, err := f.svc.Send(ctx, other, visitor, SendInput{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "赵六"})
		if err != nil {
			t.Fatal(err)
		}
		freeze := safety.New(db, clk.now)
		freeze.Revokers = append(freeze.Revokers, f.svc.RevokeIssuedBy)
		if _, err := freeze.Freeze(ctx, nil, f.lead.User.ID, visitor); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Open(ctx, mine.Token, visitor, ""); !errors.Is(err, ErrRevoked) {
			t.Fatalf("the frozen lawyer's link still opens: %v", err)
		}
		if _, err := f.svc.Open(ctx, theirs.Token, visitor, ""); err != nil {
			t.Fatalf("another user's link no longer opens: %v", err)
		}
	})
}
