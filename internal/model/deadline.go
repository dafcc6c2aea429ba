package model

import "time"

// DeadlineStatus is where a saved deadline stands.
type DeadlineStatus string

// Deadline statuses.
const (
	DeadlineOpen DeadlineStatus = "open"
	DeadlineDone DeadlineStatus = "done"
)

// Deadline is a computed legal deadline saved by a lawyer, optionally
// against a matter.
type Deadline struct {
	ID          int64
	OwnerID     int64
	MatterID    int64  // 0 while not linked to a matter
	MatterRef   string // free text (案号, client) until the matter is linked
	Title       string
	RuleID      string
	FromDate    string // YYYY-MM-DD, the event date the period runs from
	Foreign     bool
	DueDate     string // YYYY-MM-DD
	Statute     string
	Result      string // the engine's full result as JSON: steps, warnings, notes
	Provisional bool   // depends on a year without a published holiday notice
	Status      DeadlineStatus
	CreatedAt   time.Time
	DoneAt      time.Time
	// CalendarVersion identifies the holiday data the due date was computed
	// on (calendar.Calendar.Version); a different current version means
	// the deadline must be recomputed.
	CalendarVersion string
	TriggerID       int64 // the chain trigger that created it; 0 for a deadline saved alone
}

// DeadlineChange is one recomputation that moved a saved deadline (or
// changed whether it is provisional): the history kept for its owner.
type DeadlineChange struct {
	ID              int64
	DeadlineID      int64
	OwnerID         int64
	Title           string // the deadline's title, filled when listing
	OldDue, NewDue  string // YYYY-MM-DD
	OldProvisional  bool
	NewProvisional  bool
	CalendarVersion string
	Cause           ChangeCause
	Reason          string // Chinese, e.g. 导入 2027 年节假日安排
	ChangedAt       time.Time
}

// ChangeCause says why a saved deadline was recomputed.
type ChangeCause string

// Change causes.
const (
	CauseCalendar ChangeCause = "calendar" // new holiday data (import, newer embedded year)
	CauseTrigger  ChangeCause = "trigger"  // its chain's trigger event changed
)

// Earlier reports whether the change moved the due date earlier.
func (c DeadlineChange) Earlier() bool { return c.NewDue < c.OldDue }

// TriggerStatus is where a chain trigger stands.
type TriggerStatus string

// Trigger statuses.
const (
	TriggerActive    TriggerStatus = "active"
	TriggerCancelled TriggerStatus = "cancelled"
)

// DeadlineTrigger is an event on a matter (判决书送达, 结案 ...) from which
// a chain of deadlines follows.
type DeadlineTrigger struct {
	ID        int64
	OwnerID   int64
	MatterID  int64
	Kind      string // deadline.TriggerKind id
	EventDate string // YYYY-MM-DD
	Foreign   bool
	Status    TriggerStatus
	CreatedAt time.Time
	UpdatedAt time.Time
}

// HolidayYear is an imported holiday arrangement that overrides the
// embedded data for its year.
type HolidayYear struct {
	Year       int
	Data       string // holiday-cn JSON as imported (normalised)
	Source     string // file name or URL it came from
	ImportedAt time.Time
	ImportedBy string
}

// WorkingHours is a lawyer's working day, on the Chinese working calendar.
type WorkingHours struct {
	UserID    int64
	Start     string // HH:MM
	End       string // HH:MM
	Zone      string // IANA zone, Asia/Shanghai by default
	UpdatedAt time.Time
}
