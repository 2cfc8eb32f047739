package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/sqldb"
)

func TestWebStore(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Run("Users", func(t *testing.T) { testUsers(t, b.open(t)) })
			t.Run("SessionsAndTokens", func(t *testing.T) { testSessions(t, b.open(t)) })
			t.Run("Counts", func(t *testing.T) { testCounts(t, b.open(t)) })
			t.Run("ListsWithViewer", func(t *testing.T) { testLists(t, b.open(t)) })
		})
	}
}

func testUsers(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	u := &casefile.User{Username: "anna", Role: casefile.RoleDocumenter, PasswordHash: "$argon2id$x"}
	must(t, db.CreateUser(ctx, u))
	if u.Lang != "en" || u.ID == "" {
		t.Fatalf("created user: %+v", u)
	}
	wantKind(t, db.CreateUser(ctx, &casefile.User{Username: "anna", Role: casefile.RoleViewer, PasswordHash: "h"}), casefile.ECONFLICT)
	wantKind(t, db.CreateUser(ctx, &casefile.User{Username: "Bad Name", Role: casefile.RoleViewer, PasswordHash: "h"}), casefile.EINVALID)
	wantKind(t, db.CreateUser(ctx, &casefile.User{Username: "bob", Role: "root", PasswordHash: "h"}), casefile.EINVALID)
	got, err := db.FindUserByUsername(ctx, "anna")
	must(t, err)
	if got.ID != u.ID || got.PasswordHash != "$argon2id$x" || got.Role != casefile.RoleDocumenter {
		t.Fatalf("read back %+v", got)
	}
	_, err = db.FindUserByUsername(ctx, "nobody")
	wantKind(t, err, casefile.ENOTFOUND)
	ru, dis := "ru", true
	now := time.Now().UTC().Truncate(time.Second)
	up, err := db.UpdateUser(ctx, u.ID, casefile.UserUpdate{Lang: &ru, Disabled: &dis, LastLoginAt: &now})
	must(t, err)
	if up.Lang != "ru" || !up.Disabled || up.LastLoginAt == nil || !up.LastLoginAt.Equal(now) {
		t.Fatalf("updated %+v", up)
	}
	bad := "xx"
	_, err = db.UpdateUser(ctx, u.ID, casefile.UserUpdate{Lang: &bad})
	wantKind(t, err, casefile.EINVALID)
	_, err = db.UpdateUser(ctx, "usr_none", casefile.UserUpdate{Lang: &ru})
	wantKind(t, err, casefile.ENOTFOUND)
	us, n, err := db.FindUsers(ctx, casefile.UserFilter{})
	must(t, err)
	if n != 1 || len(us) != 1 {
		t.Fatalf("FindUsers: %d %d", n, len(us))
	}
}

func testSessions(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	u := &casefile.User{Username: "anna", Role: casefile.RoleAdmin, PasswordHash: "h"}
	must(t, db.CreateUser(ctx, u))
	s := &casefile.Session{ID: "sess1", UserID: u.ID, CSRF: "c1", MFAPending: true, ExpiresAt: time.Now().Add(time.Hour)}
	must(t, db.CreateSession(ctx, s))
	old := &casefile.Session{ID: "sess0", UserID: u.ID, CSRF: "c0", ExpiresAt: time.Now().Add(-time.Hour)}
	must(t, db.CreateSession(ctx, old))
	_, err := db.FindSession(ctx, "sess0")
	wantKind(t, err, casefile.ENOTFOUND)
	got, err := db.FindSession(ctx, "sess1")
	must(t, err)
	if got.UserID != u.ID || got.CSRF != "c1" || !got.MFAPending {
		t.Fatalf("session %+v", got)
	}
	must(t, db.UpdateSession(ctx, "sess1", false, time.Now().Add(2*time.Hour)))
	got, err = db.FindSession(ctx, "sess1")
	must(t, err)
	if got.MFAPending {
		t.Fatal("second factor still pending after UpdateSession")
	}
	must(t, db.DeleteUserSessions(ctx, u.ID))
	_, err = db.FindSession(ctx, "sess1")
	wantKind(t, err, casefile.ENOTFOUND)

	tok := &casefile.Token{UserID: u.ID, Name: "script", Hash: "abc"}
	must(t, db.CreateToken(ctx, tok))
	ft, err := db.FindTokenByHash(ctx, "abc")
	must(t, err)
	if ft.ID != tok.ID || ft.LastUsedAt == nil {
		t.Fatalf("token %+v", ft)
	}
	_, err = db.FindTokenByHash(ctx, "nope")
	wantKind(t, err, casefile.EUNAUTHORIZED)
	ts, err := db.FindTokens(ctx, u.ID)
	must(t, err)
	if len(ts) != 1 {
		t.Fatalf("%d tokens", len(ts))
	}
	wantKind(t, db.DeleteToken(ctx, "usr_other", tok.ID), casefile.ENOTFOUND)
	must(t, db.DeleteToken(ctx, u.ID, tok.ID))
	_, err = db.FindTokenByHash(ctx, "abc")
	wantKind(t, err, casefile.EUNAUTHORIZED)
}

func testCounts(t *testing.T, db *sqldb.DB) {
	ctx := context.Background()
	seed(t, db)
	for dim, want := range map[string]string{"domain": "drug_treatment", "setting": "narcology_clinic", "year": "2011", "perpetrator_type": "narcology_staff", "type": "non_therapeutic_psychiatric_medication"} {
		c, err := db.CountActs(ctx, dim)
		must(t, err)
		if c[want] != 1 {
			t.Errorf("CountActs(%s) = %v, want %s: 1", dim, c, want)
		}
	}
	_, err := db.CountActs(ctx, "nope")
	wantKind(t, err, casefile.EINVALID)
	all, err := db.CountAll(ctx)
	must(t, err)
	if all["acts"] != 1 || all["persons"] != 1 {
		t.Fatalf("CountAll %v", all)
	}
}

func testLists(t *testing.T, db *sqldb.DB) {
	p, e, a := seed(t, db)
	ctx := casefile.NewContextWithActor(context.Background(), "anna")
	secret := &casefile.Act{EventID: e.ID, VictimID: p.ID, Type: "threats", Confidential: true}
	must(t, db.CreateAct(ctx, secret))
	sp := &casefile.Person{Descriptor: "Witness", Confidential: true}
	must(t, db.CreatePerson(ctx, sp))
	for _, c := range []struct {
		v     casefile.Viewer
		acts  int
		peopl int
	}{{casefile.Viewer{Username: "bob"}, 1, 1}, {casefile.Viewer{Username: "anna"}, 2, 2}, {casefile.Viewer{All: true}, 2, 2}} {
		as, n, err := db.ListActs(context.Background(), casefile.ActFilter{EventID: &e.ID, Limit: 10}, c.v)
		must(t, err)
		if n != c.acts || len(as) != c.acts || as[0].ID != a.ID && c.acts == 1 {
			t.Errorf("%+v: ListActs %d/%d, want %d", c.v, len(as), n, c.acts)
		}
		if c.acts == 2 && len(as[0].Involvements)+len(as[1].Involvements) != 1 {
			t.Errorf("%+v: involvements not loaded", c.v)
		}
		ps, n, err := db.ListPersons(context.Background(), casefile.PersonFilter{Limit: 10}, c.v)
		must(t, err)
		if n != c.peopl || len(ps) != c.peopl {
			t.Errorf("%+v: ListPersons %d/%d, want %d", c.v, len(ps), n, c.peopl)
		}
	}
	str := func(x string) *string { return &x }
	y2011, y2012 := 2011, 2012
	for _, c := range []struct {
		f    casefile.ActFilter
		want int
	}{
		{casefile.ActFilter{Setting: str("narcology_clinic")}, 2}, // the event's setting, the acts having none
		{casefile.ActFilter{Setting: str("police_station")}, 0},
		{casefile.ActFilter{Domain: str("drug_treatment"), Year: &y2011}, 2},
		{casefile.ActFilter{Year: &y2012}, 0},
		{casefile.ActFilter{PerpetratorType: str("narcology_staff")}, 1},
		{casefile.ActFilter{Type: str("threats"), Domain: str("drug_treatment")}, 1},
	} {
		_, n, err := db.ListActs(context.Background(), c.f, casefile.Viewer{All: true})
		must(t, err)
		if n != c.want {
			t.Errorf("ListActs(%+v) = %d, want %d", c.f, n, c.want)
		}
	}
	_, n, err := db.ListActs(context.Background(), casefile.ActFilter{Limit: 1, Offset: 1}, casefile.Viewer{All: true})
	must(t, err)
	if n != 2 {
		t.Errorf("total with a page of one: %d", n)
	}
	es, n, err := db.ListEvents(context.Background(), casefile.EventFilter{Limit: 5}, casefile.Viewer{Username: "bob"})
	must(t, err)
	if n != 1 || len(es) != 1 {
		t.Errorf("ListEvents %d/%d", len(es), n)
	}
	ts, n, err := db.ListTestimonies(context.Background(), casefile.TestimonyFilter{Limit: 5}, casefile.Viewer{Username: "bob"})
	must(t, err)
	if n != 1 || len(ts) != 1 {
		t.Errorf("ListTestimonies %d/%d", len(ts), n)
	}
}
