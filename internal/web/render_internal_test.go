package web

import (
	"testing"
	"time"
)

func TestDurationText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                               "0 秒",
		45 * time.Second:                "45 秒",
		12*time.Minute + 30*time.Second: "12 分 30 秒",
		15 * time.Minute:                "15 分",
		time.Hour + 5*time.Minute + 59*time.Second: "1 小时 5 分",
		2 * time.Hour: "2 小时",
		-time.Second:  "0 秒",
	} {
		if got := durationText(d); got != want {
			t.Errorf("%v = %q, want %q", d, got, want)
		}
	}
}

func TestRuleNameInWords(t *testing.T) {
	if got := ruleName("appeal-judgment"); got != "民事一审判决上诉期" {
		t.Errorf("appeal-judgment = %q", got)
	}
	if got := ruleName("group-dissolution"); got != "结案后解散案件群" {
		t.Errorf("group-dissolution = %q", got)
	}
	if got := ruleName("no-such-rule"); got == "no-such-rule" {
		t.Error("an unknown rule shows its identifier")
	}
}
