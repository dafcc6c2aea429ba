package model

import "time"

// Role is what a user may do. Access rules live in internal/auth.
type Role string

// Roles.
const (
	RoleAdmin     Role = "admin"
	RoleLawyer    Role = "lawyer"
	RoleAssistant Role = "assistant"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleAdmin || r == RoleLawyer || r == RoleAssistant
}

// Label is the role's name in the UI.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "管理员"
	case RoleLawyer:
		return "律师"
	case RoleAssistant:
		return "助理"
	}
	return string(r)
}

// User is a person who signs in to lvxin.
type User struct {
	ID           int64
	Username     string
	DisplayName  string
	Role         Role
	PasswordHash string
	TOTPSecret   string // base32; empty when TOTP was never set up
	TOTPEnabled  bool
	TOTPLastStep int64 // last accepted TOTP time step, to refuse code reuse
	FailedLogins int
	LockedUntil  time.Time // zero when not locked
	Disabled     bool
	// FrozenAt is when the user was put under an emergency freeze (手机丢失
	// 应急); zero when not frozen. A frozen user cannot sign in and nothing
	// is sent on their behalf until an admin unfreezes them.
	FrozenAt  time.Time
	FrozenBy  string // who froze them (username, or model.ActorCLI)
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Frozen reports whether the user is under an emergency freeze.
func (u *User) Frozen() bool { return !u.FrozenAt.IsZero() }

// SessionStage says how far a login has come.
type SessionStage string

// Session stages: a session waiting for the TOTP code grants nothing else.
const (
	StageTOTP SessionStage = "totp"
	StageFull SessionStage = "full"
)

// Session is one signed-in device.
type Session struct {
	ID         int64
	UserID     int64
	TokenHash  string // SHA-256 of the cookie token; the token itself is never stored
	CSRFToken  string
	Stage      SessionStage
	IP         string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute expiry
	RevokedAt  time.Time // zero while active
	RevokedBy  string
}

// AuditEvent is one row of the hash-chained audit log.
type AuditEvent struct {
	ID       int64
	At       time.Time
	ActorID  int64 // 0 for the system or an anonymous request
	Actor    string
	Action   string // dotted verb, e.g. "login.ok", "session.revoke", "matter.view"
	Target   string
	Detail   string
	IP       string
	PrevHash string
	Hash     string
}

// The names that stand for no person in audit rows and import records:
// the local command line and lvxin itself (scheduled work). No user may
// carry them (auth reserves them).
const (
	ActorCLI    = "命令行"
	ActorSystem = "系统"
)
