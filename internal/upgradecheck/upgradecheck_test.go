package upgradecheck

import (
	"slices"
	"testing"
)

func TestParsers(t *testing.T) {
	search := `[{"message":{"ID":7,"ConversationID":2,"SentAt":"2024-03-01T10:01:00+08:00","SenderWxID":"wxid_w","SenderName":"王五",
		"Kind":"image","Text":"","Attachment":{"Name":"a.jpg","Ref":"x","BlobID":"ab12","Size":3}},"conversation":"王五"},
		{"message":{"ID":1,"ConversationID":1,"SentAt":"2024-03-01T02:00:00Z","SenderName":"张律师","Kind":"text","Text":"合同"},"conversation":"群"}]`
	got, err := ParseSearch(search)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2024-03-01T02:00:00Z|群|张律师||text|合同|", "2024-03-01T02:01:00Z|王五|王五|wxid_w|image||a.jpg:ab12"}
	if !slices.Equal(got, want) {
		t.Fatalf("search lines:\n%q\nwant\n%q", got, want)
	}
	ev, err := ParseEvidence(`[{"id":2,"sha256":"s2","sm3":"m2","size":5,"matter_id":0},{"id":1,"sha256":"s1","sm3":"m1","size":4,"matter_id":3}]`)
	if err != nil || !slices.Equal(ev, []string{"1 s1 m1 4 3", "2 s2 m2 5 0"}) {
		t.Fatalf("evidence: %q %v", ev, err)
	}
	if n, err := ParseAuditRows("审计日志完好：共 121 条记录，哈希链连续\n"); err != nil || n != 121 {
		t.Fatalf("audit rows: %d %v", n, err)
	}
	if _, err := ParseAuditRows("第 3 条：哈希不符"); err == nil {
		t.Fatal("a failed audit verify parsed as a count")
	}
	body := `<a href="/matters/3">甲</a><a href="/matters/1">乙</a><a href="/matters/3/print">x</a><a href="/chats/9">c</a><a href="/matters/1">again</a>`
	if got := ids(body, "matters"); !slices.Equal(got, []int64{1, 3}) {
		t.Fatalf("ids: %v", got)
	}
	objects := Objects(map[string]*UserView{
		"a": {Objects: map[string]int{"/matters/3": 200, "/chats/1": 404}},
		"b": {Objects: map[string]int{"/matters/1": 403, "/matters/3": 200}},
	})
	if !slices.Equal(objects["matters"], []int64{1, 3}) || !slices.Equal(objects["chats"], []int64{1}) {
		t.Fatalf("objects: %v", objects)
	}
}
