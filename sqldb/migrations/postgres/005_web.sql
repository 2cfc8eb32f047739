-- Web application: users, browser sessions, API tokens. Sessions live
-- in the database so that several servers behind a load balancer share them.
CREATE TABLE users (
	id TEXT PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL,
	lang TEXT NOT NULL DEFAULT 'en',
	password_hash TEXT NOT NULL,
	totp_secret TEXT NOT NULL DEFAULT '',
	disabled BOOLEAN NOT NULL DEFAULT FALSE,
	last_login_at TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
	id TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf TEXT NOT NULL,
	mfa_pending BOOLEAN NOT NULL DEFAULT FALSE,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE api_tokens (
	id TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	hash TEXT NOT NULL UNIQUE,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ,
	last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE INDEX acts_year ON acts(year);
CREATE INDEX events_year ON events(year);
-- Lists read with a viewer's eyes count what is not confidential, or is the viewer's own.
CREATE INDEX acts_visibility ON acts(confidential, created_by);
CREATE INDEX events_visibility ON events(confidential, created_by);
CREATE INDEX persons_visibility ON persons(confidential, created_by);
CREATE INDEX testimonies_visibility ON testimonies(confidential, created_by);
-- Acts by perpetrator type, from the index alone.
CREATE INDEX involvements_type_act ON involvements(perpetrator_type, act_id);
