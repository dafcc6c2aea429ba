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
