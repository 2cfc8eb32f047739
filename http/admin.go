package http

import (
	"net/http"
	"sort"
	"strings"

	"github.com/casefile/casefile"
)

type usersView struct {
	Page
	Users    []*casefile.User
	Roles    []string
	Pager    pager
	Password string // a generated password, shown once
	For      string
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, "", "", "")
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, password, forUser, errMsg string) {
	pg := newPager(r, "/admin/users")
	us, total, err := s.cfg.Users.FindUsers(r.Context(), casefile.UserFilter{Offset: pg.Offset, Limit: pg.Limit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.setTotal(total)
	p := s.page(r, "Users", "users")
	p.Error = errMsg
	s.render(w, r, status, "users", usersView{Page: p, Users: us, Roles: casefile.Roles, Pager: pg, Password: password, For: forUser})
}

// GeneratePassword returns a random password of 20 characters, for new users and resets.
func GeneratePassword() string { return randomToken(15) }

func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) {
	pass := GeneratePassword()
	h, err := HashPassword(pass)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := &casefile.User{Username: strings.ToLower(strings.TrimSpace(r.PostFormValue("username"))), Name: strings.TrimSpace(r.PostFormValue("name")),
		Role: r.PostFormValue("role"), Lang: r.PostFormValue("lang"), PasswordHash: h}
	if err := s.cfg.Users.CreateUser(r.Context(), u); err != nil {
		if casefile.ErrorKind(err) == casefile.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		s.renderUsers(w, r, ErrorStatus(err), "", "", casefile.ErrorMessage(err))
		return
	}
	s.renderUsers(w, r, http.StatusOK, pass, u.Username, "")
}

// handleUserUpdate changes a user's role or language, disables or enables them, or resets their
// password (action=reset: a new password is generated, shown once, and their sessions end).
func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	target, err := s.cfg.Users.FindUserByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	me := callerOf(r).user
	var up casefile.UserUpdate
	pass := ""
	switch r.PostFormValue("action") {
	case "reset":
		pass = GeneratePassword()
		h, err := HashPassword(pass)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		up.PasswordHash = &h
	case "disable", "enable":
		if target.ID == me.ID {
			s.renderUsers(w, r, http.StatusBadRequest, "", "", "You cannot disable yourself.")
			return
		}
		d := r.PostFormValue("action") == "disable"
		up.Disabled = &d
	case "role":
		role := r.PostFormValue("role")
		if target.ID == me.ID && role != casefile.RoleAdmin {
			s.renderUsers(w, r, http.StatusBadRequest, "", "", "You cannot take the admin role from yourself.")
			return
		}
		up.Role = &role
	default:
		s.fail(w, r, casefile.Errorf(casefile.EINVALID, "", "unknown action"))
		return
	}
	if _, err := s.cfg.Users.UpdateUser(ctx, id, up); err != nil {
		if casefile.ErrorKind(err) == casefile.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		s.renderUsers(w, r, ErrorStatus(err), "", "", casefile.ErrorMessage(err))
		return
	}
	if up.PasswordHash != nil || (up.Disabled != nil && *up.Disabled) {
		if err := s.cfg.Sessions.DeleteUserSessions(ctx, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if pass != "" {
		s.renderUsers(w, r, http.StatusOK, pass, target.Username, "")
		return
	}
	http.Redirect(w, r, "/admin/users?flash=user", http.StatusSeeOther)
}

func sortStrings(s []string) { sort.Strings(s) }
