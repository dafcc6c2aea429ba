package e2e

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/wecom"
	"github.com/lvxin/lvxin/internal/wecom/wecomtest"
)

// holidayEvening is the servers' clock in TestWeComMessageCentre: 21:00 on
// Friday 2 October 2026, the second day of the 国庆 holiday (1–7 October in
// the embedded calendar; Saturday 10 October is an adjusted working day).
var holidayEvening = time.Date(2026, 10, 2, 21, 0, 0, 0, time.FixedZone("CST", 8*3600))

// wantAutoReply is the default auto-reply for 张律师 on that evening: the
// next working period starts on Thursday 8 October at 09:00.
const wantAutoReply = "您好，已收到您的消息。我的工作时间为工作日 09:00-18:00，将于2026年10月8日（周四）09:00前回复您；紧急事务请致电 138-0013-8000。"

// TestWeComMessageCentre is the scenario on loopback with the built
// binary and a fake WeCom API server: a client message on a statutory
// holiday, sent with the real `lvxin wecom simulate`, gets exactly one kf
// auto-reply naming the next working period on the calendar; a second
// message in the same period gets none; an urgent keyword during the
// lawyer's do-not-disturb window sends her an app message and puts a
// notification in her bell (and is not pushed a second time); another
// lawyer's notification is pushed to her phone as one app message; after
// `lvxin user freeze` nothing is sent on the frozen lawyer's behalf nor to
// her phone, and the admin's security notification reaches the admin's
// phone.
func TestWeComMessageCentre(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			fake := wecomtest.New(e2eWeComCorp, "e2eSecret")
			t.Cleanup(fake.Close)
			// The server runs on the holiday clock; callbacks are sealed
			// with its time (the timestamp window is ±300 s). Its clock
			// started before it printed its address, so serverNow is a
			// little behind it, never ahead (a client message is never
			// stamped after the server's reply).
			t.Setenv("LVXIN_TEST_CLOCK", holidayEvening.Format(time.RFC3339))
			dataDir := filepath.Join(e.DataDir, "data")
			saveFlowSettings(t, dataDir, e.URL, fake.URL)
			srv := startServer(t, e)
			clockSet := time.Now()
			serverNow := func() time.Time { return holidayEvening.Add(time.Since(clockSet)) }
			addUser(t, srv, "lawyer", "张律师", "zhang")
			addUser(t, srv, "lawyer", "李律师", "li")
			addUser(t, srv, "admin", "王主任", "wang")
			db, err := store.Open(ctx, store.Options{DataDir: dataDir, URL: e.URL})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			zhang, li, wang := userNamed(t, db, "zhang"), userNamed(t, db, "li"), userNamed(t, db, "wang")
			linkMembers(t, db, dataDir, map[int64]string{zhang.ID: "zhanglawyer", li.ID: "lilawyer", wang.ID: "wangadmin"})
			box := inbox.New(inbox.Config{DB: db})
			for kf, lawyer := range map[string]int64{"wkZhang": zhang.ID, "wkLi": li.ID} {
				if err := box.SetKFAccount(ctx, nil, kf, "客服 "+kf, lawyer); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := box.SetDND(ctx, nil, zhang.ID, "20:00-08:00"); err != nil {
				t.Fatal(err)
			}
			if err := db.Update(ctx, func(tx *store.Tx) error {
				return tx.SaveLawyerProfile(ctx, &model.LawyerProfile{UserID: zhang.ID, Name: "张律师", Phone: "138-0013-8000"})
			}); err != nil {
				t.Fatal(err)
			}
			callback := srv.URL + "/wecom/callback"

			// 1. The real simulator: an off-hours message on the holiday.
			sim := exec.Command(lvxinBin, "wecom", "simulate", "--url", callback, "--token", e2eWeComToken,
				"--aes-key", e2eWeComKey, "--corp-id", e2eWeComCorp, "--open-kfid", "wkZhang",
				"--external-userid", "wmClientA", "--msgid", "a1", "--text", "您好，我想咨询一下合同纠纷的事。")
			sim.Env = append(os.Environ(), "LVXIN_TEST_CLOCK="+serverNow().Format(time.RFC3339))
			out, err := sim.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "律信应答：success") {
				t.Fatalf("lvxin wecom simulate: %v\n%s", err, out)
			}
			waitQueued(t, db, "a1")
			kf := waitSent(t, fake, "the auto-reply", func(s wecomtest.Sent) bool { return s.API == "kf" }, 1)
			if kf[0].To != "wmClientA" || kf[0].OpenKFID != "wkZhang" || kf[0].Text != wantAutoReply {
				t.Fatalf("auto-reply: %+v\nwant text %s", kf[0], wantAutoReply)
			}

			// 2. A second message in the same off-hours period: no reply.
			simulate(t, callback, serverNow(), "wmClientA", "wkZhang", "b1", "另外想问一下律师费怎么收。")
			waitQueued(t, db, "b1")
			// 3. An urgent keyword during 张律师's do-not-disturb window.
			simulate(t, callback, serverNow(), "wmClientA", "wkZhang", "c1", "法院刚通知后天开庭，请尽快联系我")
			waitQueued(t, db, "c1")
			app := waitSent(t, fake, "the urgent app message", func(s wecomtest.Sent) bool { return s.API == "app" && s.To == "zhanglawyer" }, 1)
			if !strings.HasPrefix(app[0].Text, "【律信·紧急】") || !strings.Contains(app[0].Text, "开庭") || app[0].AgentID != 1000002 {
				t.Fatalf("urgent app message: %+v", app[0])
			}
			if kf := sentOf(fake, func(s wecomtest.Sent) bool { return s.API == "kf" }); len(kf) != 1 {
				t.Fatalf("kf messages after three messages in one off-hours period: %+v", kf)
			}
			// The bell: exactly the urgent notification (the other two
			// messages wait silently during do-not-disturb).
			c, _ := webSession(t, srv, "zhang", adminPassword)
			home := getPage(t, c, srv.URL+"/")
			if !strings.Contains(home, `<span class="bell-count">1</span>`) {
				t.Fatalf("bell after the urgent message:\n%s", home)
			}
			if page := getPage(t, c, srv.URL+"/notifications"); !strings.Contains(page, "紧急客户消息（开庭）") {
				t.Fatalf("notifications page lacks the urgent message:\n%s", page)
			}

			// 4. 李律师 has no do-not-disturb: her client's message is a
			// notification the centre pushes to her phone.
			simulate(t, callback, serverNow(), "wmClientC", "wkLi", "d1", "您好，我想咨询离婚财产分割。")
			waitQueued(t, db, "d1")

			// 5. Freeze 张律师; a new client's off-hours message gets no
			// auto-reply on her behalf (recorded as 已暂停).
			if out, errOut, code := runCLI(t, "", cliArgs(srv, "user", "freeze", "zhang")...); code != 0 || !strings.Contains(out, "已紧急冻结 zhang") {
				t.Fatalf("user freeze: %d %s %s", code, out, errOut)
			}
			// Urgent, even: no app message to her phone (it may be lost)
			// and no push; the notification waits in the bell.
			simulate(t, callback, serverNow(), "wmClientB", "wkZhang", "e1", "对方要申请财产保全，周末可以面谈吗？")
			waitQueued(t, db, "e1")
			msgs := conversationOf(t, db, "wmClientB")
			var held []*model.InboxMessage
			for _, m := range msgs {
				if m.Direction == model.DirectionOut {
					held = append(held, m)
				}
			}
			if len(msgs) != 2 || len(held) != 1 || held[0].Status != model.SendPaused || held[0].Auto != model.AutoOffHours {
				for _, m := range msgs {
					t.Logf("message: %+v", *m)
				}
				t.Fatal("the frozen lawyer's new client: want the message and a held-back auto-reply")
			}

			notes, err := db.Notifications(ctx, store.NotificationFilter{UserID: zhang.ID})
			if err != nil || len(notes) != 2 || notes[0].Kind != model.NotifyUrgentMessage || notes[1].Kind != model.NotifyUrgentMessage {
				t.Fatalf("张律师's notifications: %v %+v", err, notes)
			}

			// The pushes: 李律师's notification and the admin's freeze
			// notification, one app message each.
			push := waitSent(t, fake, "李律师's push", func(s wecomtest.Sent) bool { return s.API == "app" && s.To == "lilawyer" }, 1)
			if !strings.HasPrefix(push[0].Text, "【律信】客户消息：") || !strings.Contains(push[0].Text, "离婚财产分割") {
				t.Fatalf("push to 李律师: %+v", push[0])
			}
			admin := waitSent(t, fake, "the admin's push", func(s wecomtest.Sent) bool { return s.API == "app" && s.To == "wangadmin" }, 1)
			if !strings.Contains(admin[0].Text, "用户已紧急冻结：张律师") {
				t.Fatalf("push to the admin: %+v", admin[0])
			}
			// The pusher handles notifications in order, so by now it has
			// seen both urgent ones: still one app message to 张律师 (the
			// first was sent directly, the second not at all).
			if app := sentOf(fake, func(s wecomtest.Sent) bool { return s.API == "app" && s.To == "zhanglawyer" }); len(app) != 1 {
				t.Fatalf("app messages to 张律师: %+v", app)
			}
			kf = sentOf(fake, func(s wecomtest.Sent) bool { return s.API == "kf" })
			if len(kf) != 2 || kf[1].To != "wmClientC" || kf[1].OpenKFID != "wkLi" {
				t.Fatalf("kf messages at the end (张律师's one auto-reply, 李律师's one): %+v", kf)
			}
			for _, s := range kf {
				if s.To == "wmClientB" {
					t.Fatalf("an auto-reply went out for the frozen lawyer: %+v", s)
				}
			}
		})
	}
}

// saveFlowSettings saves the WeCom settings, with the fake server as the
// API host, before serve starts.
func saveFlowSettings(t *testing.T, dataDir, dbURL, apiURL string) {
	t.Helper()
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: dataDir, URL: dbURL, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc, err := wecom.NewService(wecom.ServiceConfig{DB: db, DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveSettings(ctx, nil, wecom.SettingsInput{CorpID: e2eWeComCorp, AgentID: "1000002", Secret: "e2eSecret",
		Token: e2eWeComToken, EncodingAESKey: e2eWeComKey, BaseURL: apiURL}, ""); err != nil {
		t.Fatal(err)
	}
}

// linkMembers links users to WeCom userids, as the admin does on the
// settings page.
func linkMembers(t *testing.T, db *store.DB, dataDir string, ids map[int64]string) {
	t.Helper()
	svc, err := wecom.NewService(wecom.ServiceConfig{DB: db, DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	for user, id := range ids {
		if err := svc.SetMemberWeComID(context.Background(), nil, user, id, ""); err != nil {
			t.Fatal(err)
		}
	}
}

func userNamed(t *testing.T, db *store.DB, name string) *model.User {
	t.Helper()
	u, err := db.UserByUsername(context.Background(), name)
	if err != nil {
		t.Fatalf("user %s: %v", name, err)
	}
	return u
}

// simulate sends one client message as a signed, encrypted callback stamped
// at the server's time.
func simulate(t *testing.T, callbackURL string, at time.Time, client, kf, msgID, text string) {
	t.Helper()
	crypto, err := wecom.New(wecom.Config{Token: e2eWeComToken, EncodingAESKey: e2eWeComKey, ReceiveID: e2eWeComCorp})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := wecom.SimPlaintext(wecom.SimOptions{Kind: wecom.SimMessage, CorpID: e2eWeComCorp, OpenKFID: kf,
		ExternalUserID: client, MsgID: msgID, Text: text, At: at})
	if err != nil {
		t.Fatal(err)
	}
	q, body, err := wecom.SealCallback(crypto, plain, at, "")
	if err != nil {
		t.Fatal(err)
	}
	answer, err := wecom.PostCallback(context.Background(), &http.Client{Timeout: 30 * time.Second}, callbackURL, q, body)
	if err != nil || answer != "success" {
		t.Fatalf("callback %s: %q %v", msgID, answer, err)
	}
}

// waitQueued waits until the processor has handled the callback of msgID.
func waitQueued(t *testing.T, db *store.DB, msgID string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		events, err := db.FindWeComEvents(context.Background(), store.WeComEventFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range events {
			if ev.DedupKey == "msgid:"+msgID && !ev.DoneAt.IsZero() {
				if ev.LastError != "" {
					t.Fatalf("callback %s handled with error %s", msgID, ev.LastError)
				}
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("callback %s not handled within 60 s: %+v", msgID, events)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func sentOf(fake *wecomtest.Server, keep func(wecomtest.Sent) bool) []wecomtest.Sent {
	var out []wecomtest.Sent
	for _, s := range fake.Sent() {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// waitSent waits until the fake received n messages that keep selects (the
// notification pusher runs every 30 s) and returns them.
func waitSent(t *testing.T, fake *wecomtest.Server, what string, keep func(wecomtest.Sent) bool, n int) []wecomtest.Sent {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		got := sentOf(fake, keep)
		if len(got) >= n {
			if len(got) > n {
				t.Fatalf("%s: %d messages, want %d: %+v", what, len(got), n, got)
			}
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d messages after 90 s, want %d; the fake received %+v", what, len(got), n, fake.Sent())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// conversationOf returns the messages of the client's conversation.
func conversationOf(t *testing.T, db *store.DB, client string) []*model.InboxMessage {
	t.Helper()
	ctx := context.Background()
	convs, err := db.FindInboxConversations(ctx, store.InboxFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range convs {
		if c.ExternalUserID == client {
			msgs, err := db.InboxMessages(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return msgs
		}
	}
	t.Fatalf("no conversation with %s", client)
	return nil
}

func getPage(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	return string(body)
}
