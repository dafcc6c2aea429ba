package wecom_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/wecom"
	"github.com/lvxin/lvxin/internal/wecom/wecomtest"
)

// A resigned transfer without named contacts hands over exactly the
// departing lawyer's customers as WeCom's get_unassigned_list pages them
// (not externalcontact/list, which WeCom does not serve for a member who
// left), 100 per transfer call, reassigns the lawyer's open matters, and
// reports the handover as pending until transfer_result says otherwise.
func TestResignedTransferPagesUnassignedList(t *testing.T) {
	clk := &clock{t: time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		leaving := addUser(t, db, "leaving", model.RoleLawyer, "zhangsan")
		other := addUser(t, db, "other", model.RoleLawyer, "wangwu")
		successor := addUser(t, db, "successor", model.RoleLawyer, "lisi")
		admin := addUser(t, db, "boss", model.RoleAdmin, "")

		// zhangsan left with 130 customers; wangwu left too, with 5 of
		// his own and one shared with zhangsan; lisi (active) has one.
		var want []string
		for i := 1; i <= 130; i++ {
			id := fmt.Sprintf("wmZ%03d", i)
			want = append(want, id)
			f.fake.AddContact(wecomtest.Contact{ExternalUserID: id, FollowUsers: map[string][]string{"zhangsan": nil}})
		}
		for i := 1; i <= 5; i++ {
			f.fake.AddContact(wecomtest.Contact{ExternalUserID: fmt.Sprintf("wmW%03d", i), FollowUsers: map[string][]string{"wangwu": nil}})
		}
		f.fake.AddContact(wecomtest.Contact{ExternalUserID: "wmZ001", FollowUsers: map[string][]string{"zhangsan": nil, "wangwu": nil}})
		f.fake.AddContact(wecomtest.Contact{ExternalUserID: "wmL001", FollowUsers: map[string][]string{"lisi": nil}})
		f.fake.Resign("wangwu", clk.now().Add(-48*time.Hour))
		f.fake.Resign("zhangsan", clk.now())
		f.fake.PageSize = 50 // 136 rows: three pages

		mine := newMatter(t, db, leaving.ID, "张律师的案件")
		theirs := newMatter(t, db, other.ID, "王律师的案件")

		// A lawyer may not ask for the handover status either.
		if _, err := f.svc.TransferStatus(ctx, leaving, wecom.TransferStatusRequest{FromUserID: leaving.ID, ToUserID: successor.ID,
			Resigned: true}, ""); err == nil {
			t.Fatal("a lawyer read the handover status")
		}

		// The same member on both sides is named as such (it used to be
		// "交接人或接替人不存在").
		for _, err := range []error{
			func() error {
				_, err := f.svc.Transfer(ctx, admin, wecomTransfer(successor.ID, successor.ID, true), "")
				return err
			}(),
			func() error {
				_, err := f.svc.TransferStatus(ctx, admin, wecom.TransferStatusRequest{FromUserID: successor.ID, ToUserID: successor.ID}, "")
				return err
			}(),
		} {
			if err == nil || !strings.Contains(err.Error(), "交接人与接替人不能是同一人") {
				t.Fatalf("same member on both sides: %v", err)
			}
		}

		rep, err := f.svc.Transfer(ctx, admin, wecomTransfer(leaving.ID, successor.ID, true), "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		got := sortStrings(rep.Customers)
		if !reflect.DeepEqual(got, want) || len(rep.Failed) != 0 || !rep.Pending || rep.Notice != "" {
			t.Fatalf("customers moved: %d %v, failed %v, pending %v, notice %q", len(got), got, rep.Failed, rep.Pending, rep.Notice)
		}
		if !reflect.DeepEqual(rep.Matters, []int64{mine.ID}) {
			t.Fatalf("matters moved: %v", rep.Matters)
		}
		if n := f.fake.Calls("/cgi-bin/externalcontact/get_unassigned_list"); n != 3 {
			t.Fatalf("get_unassigned_list called %d times, want 3 pages", n)
		}
		if n := f.fake.Calls("/cgi-bin/externalcontact/list"); n != 0 {
			t.Fatalf("externalcontact/list called %d times for a member who left", n)
		}
		tr := f.fake.Transfers()
		var sent []string
		for _, x := range tr {
			if !x.Resigned || x.Handover != "zhangsan" || x.Takeover != "lisi" || len(x.ExternalUserIDs) > 100 {
				t.Fatalf("transfer call: %+v", x)
			}
			sent = append(sent, x.ExternalUserIDs...)
		}
		if len(tr) != 2 || !reflect.DeepEqual(sortStrings(sent), want) {
			t.Fatalf("%d transfer calls with %d customers", len(tr), len(sent))
		}
		for _, id := range []string{"wmW001", "wmW005"} {
			if f := f.fake.Followers(id); !reflect.DeepEqual(f, []string{"wangwu"}) {
				t.Fatalf("%s (wangwu's) now follows %v", id, f)
			}
		}
		if fl := f.fake.Followers("wmZ001"); !reflect.DeepEqual(fl, []string{"lisi", "wangwu"}) {
			t.Fatalf("shared customer follows %v", fl)
		}
		if m, _ := db.MatterByID(ctx, mine.ID); m.LeadLawyerID != successor.ID {
			t.Fatalf("张律师的案件 lead %d", m.LeadLawyerID)
		}
		if m, _ := db.MatterByID(ctx, theirs.ID); m.LeadLawyerID != other.ID {
			t.Fatalf("王律师的案件 moved to %d", m.LeadLawyerID)
		}
		rows, _ := db.FindAudit(ctx, store.AuditFilter{Action: "wecom.transfer"})
		if len(rows) != 1 || !strings.Contains(rows[0].Detail, "企业微信已受理客户 130 个") || !strings.Contains(rows[0].Detail, "接替待企业微信完成") {
			t.Fatalf("audit: %+v", rows)
		}

		// WeCom reports each customer's handover; two settled.
		f.fake.SetHandoverStatus(true, "zhangsan", "lisi", "wmZ001", wecom.HandoverDone)
		f.fake.SetHandoverStatus(true, "zhangsan", "lisi", "wmZ002", wecom.HandoverRefused)
		st, err := f.svc.TransferStatus(ctx, admin, wecom.TransferStatusRequest{FromUserID: leaving.ID, ToUserID: successor.ID,
			Resigned: true}, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Customers) != 130 || st.Counts[wecom.HandoverDone] != 1 || st.Counts[wecom.HandoverRefused] != 1 ||
			st.Counts[wecom.HandoverWaiting] != 128 || st.Done() {
			t.Fatalf("status: %d customers, counts %v", len(st.Customers), st.Counts)
		}
		if st.Customers[1].ExternalUserID != "wmZ002" || st.Customers[1].Label() != "客户拒绝" {
			t.Fatalf("status of wmZ002: %+v %s", st.Customers[1], st.Customers[1].Label())
		}
		// 在职继承 asks transfer_result, which knows nothing of these.
		st, err = f.svc.TransferStatus(ctx, admin, wecom.TransferStatusRequest{FromUserID: leaving.ID, ToUserID: successor.ID}, "")
		if err != nil || len(st.Customers) != 0 || !st.Done() {
			t.Fatalf("在职 status: %+v %v", st, err)
		}

		// Again: nothing is left unassigned; the report says so.
		rep, err = f.svc.Transfer(ctx, admin, wecomTransfer(leaving.ID, successor.ID, true), "")
		if err != nil || len(rep.Customers) != 0 || !strings.Contains(rep.Notice, "没有 leaving 待分配的离职客户") {
			t.Fatalf("second run: %+v %v", rep, err)
		}

		// 在职继承 still reads externalcontact/list.
		lists := f.fake.Calls("/cgi-bin/externalcontact/get_unassigned_list")
		rep, err = f.svc.Transfer(ctx, admin, wecomTransfer(successor.ID, leaving.ID, false), "")
		if err != nil || !reflect.DeepEqual(sortStrings(rep.Customers), append([]string{"wmL001"}, want...)) {
			t.Fatalf("在职继承: %d customers %v", len(rep.Customers), err)
		}
		if f.fake.Calls("/cgi-bin/externalcontact/list") != 1 || f.fake.Calls("/cgi-bin/externalcontact/get_unassigned_list") != lists {
			t.Fatal("在职继承 did not use externalcontact/list")
		}
	})
}

func newMatter(t *testing.T, db *store.DB, lead int64, title string) *model.Matter {
	t.Helper()
	m := &model.Matter{Title: title, Type: model.MatterCivil, Status: model.MatterInProgress, LeadLawyerID: lead}
	if err := db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreateMatter(context.Background(), m) }); err != nil {
		t.Fatal(err)
	}
	return m
}

// The client follows get_unassigned_list's cursor, keeps one member's rows
// and maps WeCom's errors to Chinese.
func TestClientUnassignedCustomers(t *testing.T) {
	c, fake := newClient(t)
	ctx := context.Background()
	for _, id := range []string{"wmA", "wmB", "wmC"} {
		fake.AddContact(wecomtest.Contact{ExternalUserID: id, FollowUsers: map[string][]string{"zhangsan": nil}})
	}
	fake.AddContact(wecomtest.Contact{ExternalUserID: "wmD", FollowUsers: map[string][]string{"lisi": nil}})
	fake.AddContact(wecomtest.Contact{ExternalUserID: "wmE", FollowUsers: map[string][]string{"wangwu": nil}})
	ids, err := c.UnassignedCustomers(ctx, "zhangsan")
	if err != nil || len(ids) != 0 {
		t.Fatalf("before leaving: %v %v", ids, err)
	}
	fake.Resign("zhangsan", time.Now())
	fake.Resign("wangwu", time.Now())
	fake.PageSize = 1
	ids, err = c.UnassignedCustomers(ctx, "zhangsan")
	sort.Strings(ids)
	if err != nil || strings.Join(ids, ",") != "wmA,wmB,wmC" {
		t.Fatalf("unassigned: %v %v", ids, err)
	}
	if n := fake.Calls("/cgi-bin/externalcontact/get_unassigned_list"); n != 1+4 {
		t.Fatalf("pages read: %d", n)
	}
	fake.FailNext(48002)
	_, err = c.UnassignedCustomers(ctx, "zhangsan")
	if err == nil || !strings.Contains(err.Error(), "get_unassigned_list") || !strings.Contains(err.Error(), "没有调用该接口的权限") {
		t.Fatalf("48002: %v", err)
	}
	if _, err := c.UnassignedCustomers(ctx, ""); err == nil {
		t.Fatal("no member named")
	}
}
