package http

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casefile/casefile"
	"golang.org/x/crypto/argon2"
)

// perm is what a route requires of its caller.
type perm int

const (
	permPublic perm = iota // anyone, logged in or not
	permRead               // any logged-in user
	permRecord             // documenters, analysts, admins: create and change records
	permAssess             // analysts, reviewers, admins: draft assessments
	permReview             // reviewers, admins: sign off assessments
	permAdmin              // admins: users, audit log
)

var permRoles = map[perm][]string{
	permRead:   casefile.Roles,
	permRecord: {casefile.RoleAdmin, casefile.RoleDocumenter, casefile.RoleAnalyst},
	permAssess: {casefile.RoleAdmin, casefile.RoleAnalyst, casefile.RoleReviewer},
	permReview: {casefile.RoleAdmin, casefile.RoleReviewer},
	permAdmin:  {casefile.RoleAdmin},
}

func (p perm) roles() []string { return permRoles[p] }

// allows reports whether a user of role may use a route needing p.
func (p perm) allows(role string) bool {
	if p == permPublic {
		return true
	}
	for _, r := range permRoles[p] {
		if r == role {
			return true
		}
	}
	return false
}

const (
	sessionCookie = "casefile_session"
	loginCookie   = "casefile_login" // CSRF token of the login form, before there is a session
)

type ctxKey struct{}

// caller is who makes a request, as the guard established it.
type caller struct {
	user    *casefile.User
	session *casefile.Session // nil for token authentication
	lang    string
}

func callerOf(r *http.Request) *caller {
	if c, ok := r.Context().Value(ctxKey{}).(*caller); ok {
		return c
	}
	return &caller{lang: "en"}
}

// guard authenticates the caller, enforces the route's permission and the CSRF token, and names
// the user as the actor of whatever the handler writes.
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.authenticate(w, r, rt.API)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if c.session != nil && c.session.MFAPending && rt.Pattern != "/login/totp" && rt.Pattern != "/logout" {
			if rt.Perm != permPublic {
				if rt.API {
					s.fail(w, r, casefile.Errorf(casefile.EUNAUTHORIZED, "", "the second factor is awaited"))
				} else {
					http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
				}
				return
			}
			c.user = nil // half-logged-in: public pages see no user
		}
		if rt.Perm != permPublic {
			if c.user == nil {
				if rt.API || r.Method != http.MethodGet {
					s.fail(w, r, casefile.Errorf(casefile.EUNAUTHORIZED, "", "log in first"))
				} else {
					http.Redirect(w, r, "/login", http.StatusSeeOther)
				}
				return
			}
			if !rt.Perm.allows(c.user.Role) {
				s.fail(w, r, casefile.Errorf(casefile.EFORBIDDEN, "", "your role may not do this"))
				return
			}
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := s.checkCSRF(r, c, rt.Pattern == "/login"); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		ctx := context.WithValue(r.Context(), ctxKey{}, c)
		if c.user != nil {
			ctx = casefile.NewContextWithActor(ctx, c.user.Username)
		}
		rt.handler(w, r.WithContext(ctx))
	})
}

// authenticate finds the caller from an API token (Authorization: Bearer) or the session cookie.
// An unknown or expired cookie is no error: the caller is anonymous.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, api bool) (*caller, error) {
	c := &caller{lang: acceptLang(r)}
	if auth := r.Header.Get("Authorization"); auth != "" {
		tok, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || !api {
			return nil, casefile.Errorf(casefile.EUNAUTHORIZED, "", "API tokens are accepted under /api/v1 only, as Authorization: Bearer TOKEN")
		}
		t, err := s.cfg.Sessions.FindTokenByHash(r.Context(), hashSecret(tok))
		if err != nil {
			if k := casefile.ErrorKind(err); k == casefile.ENOTFOUND || k == casefile.EUNAUTHORIZED {
				return nil, casefile.Errorf(casefile.EUNAUTHORIZED, "", "the token is not valid")
			}
			return nil, err
		}
		u, err := s.cfg.Users.FindUserByID(r.Context(), t.UserID)
		if err != nil || u.Disabled {
			return nil, casefile.Errorf(casefile.EUNAUTHORIZED, "", "the token is not valid")
		}
		c.user, c.lang = u, u.Lang
		return c, nil
	}
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return c, nil
	}
	sess, err := s.cfg.Sessions.FindSession(r.Context(), hashSecret(ck.Value))
	if casefile.ErrorKind(err) == casefile.ENOTFOUND {
		return c, nil
	} else if err != nil {
		return nil, err
	}
	u, err := s.cfg.Users.FindUserByID(r.Context(), sess.UserID)
	if casefile.ErrorKind(err) == casefile.ENOTFOUND || (err == nil && u.Disabled) {
		return c, nil
	} else if err != nil {
		return nil, err
	}
	c.user, c.session, c.lang = u, sess, u.Lang
	// Sliding expiry: extend a session in use once it is past half its life.
	now := s.cfg.Now()
	if sess.ExpiresAt.Sub(now) < s.cfg.SessionTTL/2 {
		exp := now.Add(s.cfg.SessionTTL)
		if err := s.cfg.Sessions.UpdateSession(r.Context(), sess.ID, sess.MFAPending, exp); err == nil {
			sess.ExpiresAt = exp
		}
	}
	return c, nil
}

// checkCSRF demands the session's CSRF token on every unsafe request made with a session cookie
// (form field "csrf" or header X-CSRF-Token). Token-authenticated API calls carry no cookie, so a
// forged cross-site request cannot use them. The login form, before any session, carries the
// token of its own cookie.
func (s *Server) checkCSRF(r *http.Request, c *caller, loginForm bool) error {
	got := r.Header.Get("X-CSRF-Token")
	ct := r.Header.Get("Content-Type")
	switch {
	case got != "":
	case strings.HasPrefix(ct, "multipart/form-data"):
		// An upload streams its body to the evidence store, so its token rides in the form's
		// action URL instead of a field that would make us read the whole body first.
		got = r.URL.Query().Get("csrf")
	case !strings.HasPrefix(ct, "application/json"):
		got = r.PostFormValue("csrf")
	}
	var want string
	switch {
	case loginForm:
		ck, err := r.Cookie(loginCookie)
		if err != nil {
			return casefile.Errorf(casefile.EFORBIDDEN, "", "the form has expired: reload the page and try again")
		}
		want = ck.Value
	case c.session != nil:
		want = c.session.CSRF
	case c.user != nil:
		return nil // token authentication
	default:
		ck, err := r.Cookie(loginCookie)
		if err != nil {
			return casefile.Errorf(casefile.EFORBIDDEN, "", "the form has expired: reload the page and try again")
		}
		want = ck.Value
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return casefile.Errorf(casefile.EFORBIDDEN, "", "the form has expired: reload the page and try again")
	}
	return nil
}

// randomToken returns n random bytes, URL-safe base64.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is how session cookies and API tokens are stored: SHA-256, hex. The secrets are
// random and long, so a fast hash suffices.
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// startSession creates a session for u and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *casefile.User) (*casefile.Session, error) {
	secret := randomToken(32)
	sess := &casefile.Session{ID: hashSecret(secret), UserID: u.ID, CSRF: randomToken(24), MFAPending: u.TOTPEnabled(),
		ExpiresAt: s.cfg.Now().Add(s.cfg.SessionTTL)}
	if u.TOTPEnabled() {
		sess.ExpiresAt = s.cfg.Now().Add(10 * time.Minute) // a half-open session lasts only for the code prompt
	}
	if err := s.cfg.Sessions.CreateSession(r.Context(), sess); err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(s.cfg.SessionTTL.Seconds())})
	return sess, nil
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// Password hashing: Argon2id with the parameters OWASP recommends as a minimum (19 MiB, 2 passes,
// one lane). The parameters are stored in the hash, so raising them later keeps old hashes valid.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the Argon2id hash of password in the PHC string form
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash). EINVALID for a password shorter than 10 characters.
func HashPassword(password string) (string, error) {
	if len([]rune(password)) < 10 {
		return "", casefile.Errorf(casefile.EINVALID, "HashPassword", "a password needs at least 10 characters")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", casefile.Wrap("HashPassword", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash (made by HashPassword).
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<21 || t > 16 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when the user does not exist, so that a login for an unknown name
// takes as long as one for a known name.
var dummyHash = sync.OnceValue(func() string { h, _ := HashPassword("not-a-password-of-anyone"); return h })

// NewTOTPSecret returns a random base32 secret for the TOTP second factor (RFC 6238).
func NewTOTPSecret() string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// TOTPCode returns the 6-digit code of secret at time t (30-second steps, HMAC-SHA1).
func TOTPCode(secret string, t time.Time) string {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return ""
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(t.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1000000)
}

// checkTOTP accepts the code of the current step and of one step either side (clock drift).
func checkTOTP(secret, code string, now time.Time) bool {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return false
	}
	ok := false
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		if subtle.ConstantTimeCompare([]byte(TOTPCode(secret, now.Add(d))), []byte(code)) == 1 {
			ok = true
		}
	}
	return ok
}

// totpURL is the otpauth:// URL an authenticator app reads (typed in, or from a QR code made
// elsewhere: the server draws none, to keep the page free of scripts).
func totpURL(username, secret string) string {
	return "otpauth://totp/Casefile:" + url.PathEscape(username) + "?secret=" + secret + "&issuer=Casefile"
}

// limiter counts failed logins per user name and per client address in a sliding window. It is
// in memory, per server process: behind a load balancer each process limits on its own, which
// multiplies the allowance by the number of processes but still stops guessing at speed.
type limiter struct {
	mu    sync.Mutex
	now   func() time.Time
	fails map[string][]time.Time
}

const (
	limitWindow  = 15 * time.Minute
	limitPerName = 5  // failures per user name and address
	limitPerIP   = 30 // failures per address, whatever the name
)

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, fails: map[string][]time.Time{}}
}

func (l *limiter) recent(key string) int {
	cut := l.now().Add(-limitWindow)
	ts := l.fails[key]
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
	} else {
		l.fails[key] = ts
	}
	return len(ts)
}

// allow reports whether another attempt may be made for name from ip.
func (l *limiter) allow(name, ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.recent("n:"+name+"|"+ip) < limitPerName && l.recent("a:"+ip) < limitPerIP
}

func (l *limiter) fail(name, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range []string{"n:" + name + "|" + ip, "a:" + ip} {
		l.fails[k] = append(l.fails[k], now)
	}
	if len(l.fails) > 100000 { // bound the memory an attacker can make us hold
		l.fails = map[string][]time.Time{}
	}
}

func (l *limiter) reset(name, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, "n:"+name+"|"+ip)
}

// acceptLang picks ru or en from Accept-Language, for pages seen before logging in.
func acceptLang(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(tag)
		if strings.HasPrefix(tag, "ru") {
			return "ru"
		}
		if strings.HasPrefix(tag, "en") {
			return "en"
		}
	}
	return "en"
}

// atoiDefault parses s, returning def for an empty or invalid value.
func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}
