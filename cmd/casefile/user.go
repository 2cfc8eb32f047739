package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/casefile/casefile"
	casefilehttp "github.com/casefile/casefile/http"
)

func init() {
	register(&command{Name: "user", Summary: "web users: add, list, disable, enable, reset-password", Run: runUser})
}

const userUsage = `usage: casefile user add USERNAME --role ROLE [--name NAME] [--lang en|ru]
       casefile user list [--json]
       casefile user disable|enable USERNAME
       casefile user reset-password USERNAME
Roles: admin, documenter, analyst, reviewer, viewer. A new or reset password is generated and
printed once; the user changes it under Account.`

func runUser(ctx context.Context, a *app, args []string) error {
	fs := a.flags("user")
	role := fs.String("role", "", "role of a new user")
	name := fs.String("name", "", "display name of a new user")
	lang := fs.String("lang", "en", "interface language of a new user: en or ru")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("%s", userUsage)
	}
	sub, rest := pos[0], pos[1:]
	need := func(n int) error {
		if len(rest) != n {
			return usagef("%s", userUsage)
		}
		return nil
	}
	switch sub {
	case "add", "disable", "enable", "reset-password":
		if err := need(1); err != nil {
			return err
		}
	case "list":
		if err := need(0); err != nil {
			return err
		}
	default:
		return usagef("unknown subcommand %q\n%s", sub, userUsage)
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = actorContext(ctx)
	switch sub {
	case "add":
		if !casefile.ValidRole(*role) {
			return usagef("--role must be one of %s", strings.Join(casefile.Roles, ", "))
		}
		pass := casefilehttp.GeneratePassword()
		hash, err := casefilehttp.HashPassword(pass)
		if err != nil {
			return err
		}
		u := &casefile.User{Username: strings.ToLower(rest[0]), Name: *name, Role: *role, Lang: *lang, PasswordHash: hash}
		if err := db.CreateUser(ctx, u); err != nil {
			return err
		}
		return a.printPassword(u, pass, *asJSON)
	case "list":
		us, _, err := db.FindUsers(ctx, casefile.UserFilter{})
		if err != nil {
			return err
		}
		if *asJSON {
			if us == nil {
				us = []*casefile.User{}
			}
			return a.printJSON(us)
		}
		tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tLANG\t2FA\tSTATUS\tLAST LOGIN")
		for _, u := range us {
			status, mfa, last := "active", "", ""
			if u.Disabled {
				status = "disabled"
			}
			if u.TOTPEnabled() {
				mfa = "on"
			}
			if u.LastLoginAt != nil {
				last = u.LastLoginAt.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, u.Lang, mfa, status, last)
		}
		return tw.Flush()
	}
	u, err := db.FindUserByUsername(ctx, strings.ToLower(rest[0]))
	if err != nil {
		return err
	}
	switch sub {
	case "disable", "enable":
		d := sub == "disable"
		if d && u.Role == casefile.RoleAdmin {
			role := casefile.RoleAdmin
			admins, _, err := db.FindUsers(ctx, casefile.UserFilter{Role: &role})
			if err != nil {
				return err
			}
			active := 0
			for _, x := range admins {
				if !x.Disabled {
					active++
				}
			}
			if active <= 1 {
				return casefile.Errorf(casefile.ECONFLICT, "user disable", "%s is the last active administrator", u.Username)
			}
		}
		if u, err = db.UpdateUser(ctx, u.ID, casefile.UserUpdate{Disabled: &d}); err != nil {
			return err
		}
		if d {
			if err := db.DeleteUserSessions(ctx, u.ID); err != nil {
				return err
			}
		}
		if *asJSON {
			return a.printJSON(u)
		}
		a.infof("User %s is %sd.", u.Username, sub)
		return nil
	default: // reset-password
		pass := casefilehttp.GeneratePassword()
		hash, err := casefilehttp.HashPassword(pass)
		if err != nil {
			return err
		}
		if u, err = db.UpdateUser(ctx, u.ID, casefile.UserUpdate{PasswordHash: &hash}); err != nil {
			return err
		}
		if err := db.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		return a.printPassword(u, pass, *asJSON)
	}
}

func (a *app) printPassword(u *casefile.User, pass string, asJSON bool) error {
	if asJSON {
		return a.printJSON(map[string]any{"user": u, "password": pass})
	}
	fmt.Fprintln(a.stdout, pass)
	a.infof("User %s (%s): the password above is shown once.", u.Username, u.Role)
	return nil
}
