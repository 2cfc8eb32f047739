package http

import (
	"net/http"
	"strings"

	"github.com/casefile/casefile"
)

type loginView struct {
	Page
	Username string
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	if c := callerOf(r); c.user != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, "", "")
}

// renderLogin shows the login form with a fresh login CSRF token in its own cookie.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, username, errMsg string) {
	tok := randomToken(24)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: tok, Path: "/login", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	p := s.page(r, "Log in", "")
	p.CSRF = tok
	p.Error = errMsg
	s.render(w, r, status, "login", loginView{Page: p, Username: username})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	name := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
	pass := r.PostFormValue("password")
	ip := clientIP(r)
	if !s.limiter.allow(name, ip) {
		s.log.Warn("login refused: too many attempts", "ip", ip)
		s.renderLogin(w, r, http.StatusTooManyRequests, name, "Too many failed attempts. Wait 15 minutes and try again.")
		return
	}
	u, err := s.cfg.Users.FindUserByUsername(r.Context(), name)
	if err != nil && casefile.ErrorKind(err) != casefile.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	ok := false
	if u != nil {
		ok = CheckPassword(u.PasswordHash, pass) && !u.Disabled
	} else {
		CheckPassword(dummyHash(), pass)
	}
	if !ok {
		s.limiter.fail(name, ip)
		s.log.Info("login failed", "ip", ip)
		s.renderLogin(w, r, http.StatusUnauthorized, name, "The user name or password is wrong.")
		return
	}
	s.limiter.reset(name, ip)
	// Whatever session the browser had ends: a login always gets a new one.
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		s.cfg.Sessions.DeleteSession(r.Context(), hashSecret(ck.Value))
	}
	sess, err := s.startSession(w, r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if sess.MFAPending {
		http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
		return
	}
	now := s.cfg.Now().UTC()
	s.cfg.Users.UpdateUser(r.Context(), u.ID, casefile.UserUpdate{LastLoginAt: &now})
	s.log.Info("login", "user", u.ID)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// pending returns the session and user of a request whose second factor is awaited.
func (s *Server) pending(r *http.Request) (*casefile.Session, *casefile.User) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, nil
	}
	sess, err := s.cfg.Sessions.FindSession(r.Context(), hashSecret(ck.Value))
	if err != nil || !sess.MFAPending {
		return nil, nil
	}
	u, err := s.cfg.Users.FindUserByID(r.Context(), sess.UserID)
	if err != nil || u.Disabled {
		return nil, nil
	}
	return sess, u
}

func (s *Server) handleTOTPForm(w http.ResponseWriter, r *http.Request) {
	sess, _ := s.pending(r)
	if sess == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	p := s.page(r, "Second factor", "")
	p.CSRF = sess.CSRF
	s.render(w, r, http.StatusOK, "totp", p)
}

func (s *Server) handleTOTP(w http.ResponseWriter, r *http.Request) {
	sess, u := s.pending(r)
	if sess == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	ip := clientIP(r)
	if !s.limiter.allow(u.Username, ip) || !checkTOTP(u.TOTPSecret, r.PostFormValue("code"), s.cfg.Now()) {
		s.limiter.fail(u.Username, ip)
		p := s.page(r, "Second factor", "")
		p.CSRF = sess.CSRF
		p.Error = "The code is wrong or has expired."
		s.render(w, r, http.StatusUnauthorized, "totp", p)
		return
	}
	if err := s.cfg.Sessions.UpdateSession(r.Context(), sess.ID, false, s.cfg.Now().Add(s.cfg.SessionTTL)); err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.cfg.Now().UTC()
	s.cfg.Users.UpdateUser(r.Context(), u.ID, casefile.UserUpdate{LastLoginAt: &now})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c := callerOf(r); c.session != nil {
		s.cfg.Sessions.DeleteSession(r.Context(), c.session.ID)
	} else if sess, _ := s.pending(r); sess != nil {
		s.cfg.Sessions.DeleteSession(r.Context(), sess.ID)
	}
	s.clearSession(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// Account: language, password, second factor, API tokens.

type accountView struct {
	Page
	Tokens   []*casefile.Token
	NewToken string // shown once, right after it is made
	Secret   string // a TOTP secret being set up
	TOTPURL  string
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, "", "", "")
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, newToken, secret, errMsg string) {
	c := callerOf(r)
	toks, err := s.cfg.Sessions.FindTokens(r.Context(), c.user.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "Account", "account")
	p.Error = errMsg
	v := accountView{Page: p, Tokens: toks, NewToken: newToken, Secret: secret}
	if secret != "" {
		v.TOTPURL = totpURL(c.user.Username, secret)
	}
	s.render(w, r, status, "account", v)
}

func (s *Server) handleAccountLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	if _, err := s.cfg.Users.UpdateUser(r.Context(), callerOf(r).user.ID, casefile.UserUpdate{Lang: &lang}); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?flash=saved", http.StatusSeeOther)
}

func (s *Server) handleAccountPassword(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !CheckPassword(c.user.PasswordHash, r.PostFormValue("current")) {
		s.renderAccount(w, r, http.StatusBadRequest, "", "", "The current password is wrong.")
		return
	}
	h, err := HashPassword(r.PostFormValue("new"))
	if err != nil {
		s.renderAccount(w, r, http.StatusBadRequest, "", "", casefile.ErrorMessage(err))
		return
	}
	if _, err := s.cfg.Users.UpdateUser(r.Context(), c.user.ID, casefile.UserUpdate{PasswordHash: &h}); err != nil {
		s.fail(w, r, err)
		return
	}
	// Every other session of the user ends; this one is replaced by a fresh one.
	s.cfg.Sessions.DeleteUserSessions(r.Context(), c.user.ID)
	if _, err := s.startSession(w, r, c.user); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?flash=password", http.StatusSeeOther)
}

// handleAccountTOTP sets up (action=start, then action=confirm with a code) or turns off the
// second factor. The secret travels in a hidden field until confirmed: nothing is stored before
// the user has proved their authenticator has it.
func (s *Server) handleAccountTOTP(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	switch r.PostFormValue("action") {
	case "start":
		s.renderAccount(w, r, http.StatusOK, "", NewTOTPSecret(), "")
	case "confirm":
		secret := r.PostFormValue("secret")
		if !checkTOTP(secret, r.PostFormValue("code"), s.cfg.Now()) {
			s.renderAccount(w, r, http.StatusBadRequest, "", secret, "The code is wrong: check the clock of the device and try again.")
			return
		}
		if _, err := s.cfg.Users.UpdateUser(r.Context(), c.user.ID, casefile.UserUpdate{TOTPSecret: &secret}); err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/account?flash=totp_on", http.StatusSeeOther)
	case "off":
		if !CheckPassword(c.user.PasswordHash, r.PostFormValue("current")) {
			s.renderAccount(w, r, http.StatusBadRequest, "", "", "The current password is wrong.")
			return
		}
		empty := ""
		if _, err := s.cfg.Users.UpdateUser(r.Context(), c.user.ID, casefile.UserUpdate{TOTPSecret: &empty}); err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/account?flash=totp_off", http.StatusSeeOther)
	default:
		s.fail(w, r, casefile.Errorf(casefile.EINVALID, "", "unknown action"))
	}
}

// newToken makes an API token for the user and returns its secret.
func (s *Server) newToken(r *http.Request, u *casefile.User, name string) (*casefile.Token, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return nil, "", casefile.Errorf(casefile.EINVALID, "", "a token needs a name of up to 100 characters")
	}
	secret := "cf_" + randomToken(32)
	t := &casefile.Token{UserID: u.ID, Name: name, Hash: hashSecret(secret)}
	if err := s.cfg.Sessions.CreateToken(r.Context(), t); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request) {
	_, secret, err := s.newToken(r, callerOf(r).user, r.PostFormValue("name"))
	if err != nil {
		s.renderAccount(w, r, ErrorStatus(err), "", "", casefile.ErrorMessage(err))
		return
	}
	s.renderAccount(w, r, http.StatusOK, secret, "", "")
}

func (s *Server) handleTokenDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Sessions.DeleteToken(r.Context(), callerOf(r).user.ID, r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?flash=saved", http.StatusSeeOther)
}
