package model

import "time"

// FreezeIncident is one emergency freeze of a user (手机丢失应急), or one
// drill of its checklist that froze nothing.
type FreezeIncident struct {
	ID        int64
	UserID    int64
	Drill     bool
	StartedAt time.Time
	StartedBy string
	EndedAt   time.Time // zero while open (a freeze ends when an admin unfreezes; a drill when every step is done)
	EndedBy   string
	Steps     []FreezeStep // the steps ticked off, oldest first
	// ChecklistTokenHash is the SHA-256 of the token that lets the frozen
	// user's browser tick off this checklist (nothing else) until
	// ChecklistUntil; empty for drills.
	ChecklistTokenHash string
	ChecklistUntil     time.Time
}

// Done reports whether the step was ticked off, and when.
func (in *FreezeIncident) Done(step string) (FreezeStep, bool) {
	for _, s := range in.Steps {
		if s.Step == step {
			return s, true
		}
	}
	return FreezeStep{}, false
}

// FreezeStep is one checklist step ticked off.
type FreezeStep struct {
	Step   string // a key of the checklist (safety.Checklist)
	DoneAt time.Time
	DoneBy string
}

// PhishingDrillResult is one phishing drill (钓鱼演练) a user took.
type PhishingDrillResult struct {
	ID          int64
	UserID      int64
	TakenAt     time.Time
	Questions   int
	Correct     int
	MissedLures int // lure messages the user judged safe
	FalseAlarms int // genuine notices the user judged a lure
}
