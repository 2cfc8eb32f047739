package casefile

import (
	"context"
	"time"
)

// Roles, from the widest to the narrowest. A role is one of these codes.
const (
	RoleAdmin      = "admin"      // everything, including users and the audit log
	RoleDocumenter = "documenter" // records people, sources, testimonies, events and acts
	RoleAnalyst    = "analyst"    // records and drafts assessments
	RoleReviewer   = "reviewer"   // signs off assessments; sees confidential records
	RoleViewer     = "viewer"     // reads what is not confidential
)

// Roles lists every role in a stable order.
var Roles = []string{RoleAdmin, RoleDocumenter, RoleAnalyst, RoleReviewer, RoleViewer}

// ValidRole reports whether r is one of Roles.
func ValidRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// User is a person who logs in to the web application or calls the API. PasswordHash and
// TOTPSecret never leave the server: they are not encoded to JSON.
type User struct {
	ID           string     `json:"id"`
	Username     string     `json:"username"`
	Name         string     `json:"name,omitempty"`
	Role         string     `json:"role"`
	Lang         string     `json:"lang"` // interface language: en, ru
	PasswordHash string     `json:"-"`    // Argon2id, in the PHC string form
	TOTPSecret   string     `json:"-"`    // base32; empty when the second factor is off
	Disabled     bool       `json:"disabled,omitempty"`
	LastLoginAt  *time.Time `json:"last_login_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// TOTPEnabled reports whether the user logs in with a second factor.
func (u *User) TOTPEnabled() bool { return u.TOTPSecret != "" }

// CanSeeConfidential reports whether the user sees every confidential record, not only their own.
func (u *User) CanSeeConfidential() bool { return u.Role == RoleAdmin || u.Role == RoleReviewer }

// CanSee reports whether the user may see a record with the given confidentiality and creator:
// a confidential record is visible only to its creator, reviewers and admins.
func (u *User) CanSee(confidential bool, createdBy string) bool {
	return !confidential || u.CanSeeConfidential() || createdBy == u.Username
}

// Validate checks the user name, role and language. EINVALID.
func (u *User) Validate() error {
	if len(u.Username) < 2 || len(u.Username) > 64 || !ValidID(u.Username) {
		return Errorf(EINVALID, "", "user: username must be 2–64 characters of a-z, 0-9, _ and -")
	}
	if !ValidRole(u.Role) {
		return Errorf(EINVALID, "", "user: role %s is not one of admin, documenter, analyst, reviewer, viewer", QuoteValue(u.Role))
	}
	if u.Lang != "en" && u.Lang != "ru" {
		return Errorf(EINVALID, "", "user: language must be en or ru")
	}
	if u.PasswordHash == "" {
		return Errorf(EINVALID, "", "user: a password is required")
	}
	return nil
}

// UserFilter selects users.
type UserFilter struct {
	ID            *string
	Username      *string
	Role          *string
	Offset, Limit int
}

// UserUpdate changes the fields that are set.
type UserUpdate struct {
	Name         *string
	Role         *string
	Lang         *string
	PasswordHash *string
	TOTPSecret   *string
	Disabled     *bool
	LastLoginAt  *time.Time
}

// UserService keeps users.
type UserService interface {
	// FindUserByID returns ENOTFOUND if there is no such user.
	FindUserByID(ctx context.Context, id string) (*User, error)
	// FindUserByUsername returns ENOTFOUND if there is no such user.
	FindUserByUsername(ctx context.Context, username string) (*User, error)
	// FindUsers returns the matching users ordered by username, and the total.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	// CreateUser sets ID and the times. EINVALID; ECONFLICT for a username in use.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser returns ENOTFOUND, EINVALID.
	UpdateUser(ctx context.Context, id string, u UserUpdate) (*User, error)
}

// Session is one logged-in browser. ID is the SHA-256 (hex) of the secret in the browser's cookie,
// so that a read of the sessions table does not yield usable cookies. CSRF is the token every form
// of the session carries. A session whose second factor is still awaited has MFAPending set and
// opens no page but the code prompt.
type Session struct {
	ID         string    `json:"-"`
	UserID     string    `json:"user_id"`
	CSRF       string    `json:"-"`
	MFAPending bool      `json:"mfa_pending,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// Token is an API token for scripts. Hash is the SHA-256 (hex) of the secret, which is shown once
// when the token is made and never stored.
type Token struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Hash       string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// SessionService keeps browser sessions and API tokens, in the database so that several servers
// behind one load balancer share them.
type SessionService interface {
	// CreateSession stores s. EINVALID.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the unexpired session with the given ID. ENOTFOUND.
	FindSession(ctx context.Context, id string) (*Session, error)
	// UpdateSession clears MFAPending and sets a new expiry. ENOTFOUND.
	UpdateSession(ctx context.Context, id string, mfaPending bool, expires time.Time) error
	// DeleteSession removes one session; DeleteUserSessions every session of a user.
	DeleteSession(ctx context.Context, id string) error
	DeleteUserSessions(ctx context.Context, userID string) error

	// CreateToken stores t (its Hash set by the caller). EINVALID.
	CreateToken(ctx context.Context, t *Token) error
	// FindTokenByHash returns the unexpired token with the hash and marks it used. ENOTFOUND.
	FindTokenByHash(ctx context.Context, hash string) (*Token, error)
	// FindTokens returns a user's tokens.
	FindTokens(ctx context.Context, userID string) ([]*Token, error)
	// DeleteToken removes a token of the user. ENOTFOUND.
	DeleteToken(ctx context.Context, userID, id string) error
}

// Viewer is whose eyes a list is read with: confidential records are left out unless the viewer
// made them or All is set (reviewers and admins).
type Viewer struct {
	Username string
	All      bool
}

// ViewerOf returns the Viewer of a user.
func ViewerOf(u *User) Viewer {
	if u == nil {
		return Viewer{}
	}
	return Viewer{Username: u.Username, All: u.CanSeeConfidential()}
}
