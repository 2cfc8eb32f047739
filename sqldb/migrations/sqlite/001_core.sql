-- Core records. Lists and multilingual texts are JSON in TEXT columns; times are RFC 3339 text.
CREATE TABLE persons (
	id TEXT PRIMARY KEY,
	descriptor TEXT NOT NULL,
	sex TEXT NOT NULL DEFAULT '',
	age INTEGER,
	birth_year INTEGER,
	region TEXT NOT NULL DEFAULT '',
	city TEXT NOT NULL DEFAULT '',
	characteristics TEXT NOT NULL DEFAULT '[]',
	counting_unit TEXT NOT NULL DEFAULT '',
	group_size INTEGER,
	deceased INTEGER NOT NULL DEFAULT 0,
	notes TEXT NOT NULL DEFAULT '',
	confidential INTEGER NOT NULL DEFAULT 0,
	created_by TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE consents (
	id TEXT PRIMARY KEY,
	person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
	scope TEXT NOT NULL,
	given_at TEXT NOT NULL DEFAULT '',
	how_obtained TEXT NOT NULL DEFAULT '',
	withdrawn_at TEXT,
	notes TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);
CREATE INDEX consents_person ON consents(person_id, created_at);

CREATE TABLE sources (
	id TEXT PRIMARY KEY,
	kind TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	citation TEXT NOT NULL DEFAULT '',
	author TEXT NOT NULL DEFAULT '',
	outlet TEXT NOT NULL DEFAULT '',
	published TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	reliability TEXT NOT NULL DEFAULT '',
	quote TEXT NOT NULL DEFAULT '{}',
	notes TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE testimonies (
	id TEXT PRIMARY KEY,
	person_id TEXT REFERENCES persons(id),
	source_id TEXT REFERENCES sources(id),
	interviewer TEXT NOT NULL DEFAULT '',
	date_precision TEXT NOT NULL DEFAULT '',
	date_start TEXT NOT NULL DEFAULT '',
	date_end TEXT NOT NULL DEFAULT '',
	place TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	narrative TEXT NOT NULL,
	passages TEXT NOT NULL DEFAULT '[]',
	confidential INTEGER NOT NULL DEFAULT 0,
	created_by TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX testimonies_person ON testimonies(person_id);

CREATE TABLE evidence (
	id TEXT PRIMARY KEY,
	source_id TEXT REFERENCES sources(id),
	testimony_id TEXT REFERENCES testimonies(id),
	file_name TEXT NOT NULL,
	media_type TEXT NOT NULL DEFAULT '',
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	added_by TEXT NOT NULL DEFAULT '',
	added_from TEXT NOT NULL DEFAULT '',
	added_at TEXT NOT NULL
);
CREATE INDEX evidence_sha ON evidence(sha256);
CREATE INDEX evidence_source ON evidence(source_id);

CREATE TABLE events (
	id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '{}',
	date_precision TEXT NOT NULL DEFAULT '',
	date_start TEXT NOT NULL DEFAULT '',
	date_end TEXT NOT NULL DEFAULT '',
	year INTEGER NOT NULL DEFAULT 0,
	country TEXT NOT NULL DEFAULT '',
	region TEXT NOT NULL DEFAULT '',
	city TEXT NOT NULL DEFAULT '',
	setting TEXT NOT NULL DEFAULT '',
	domain TEXT NOT NULL DEFAULT '',
	confidential INTEGER NOT NULL DEFAULT 0,
	created_by TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX events_domain ON events(domain);

CREATE TABLE acts (
	id TEXT PRIMARY KEY,
	event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	victim_id TEXT NOT NULL REFERENCES persons(id),
	type TEXT NOT NULL,
	method TEXT NOT NULL DEFAULT '',
	consequences TEXT NOT NULL DEFAULT '[]',
	description TEXT NOT NULL DEFAULT '{}',
	date_precision TEXT NOT NULL DEFAULT '',
	date_start TEXT NOT NULL DEFAULT '',
	date_end TEXT NOT NULL DEFAULT '',
	year INTEGER NOT NULL DEFAULT 0,
	region TEXT NOT NULL DEFAULT '',
	city TEXT NOT NULL DEFAULT '',
	setting TEXT NOT NULL DEFAULT '',
	confidential INTEGER NOT NULL DEFAULT 0,
	created_by TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX acts_event ON acts(event_id);
CREATE INDEX acts_victim ON acts(victim_id);
CREATE INDEX acts_type ON acts(type);

CREATE TABLE involvements (
	id TEXT PRIMARY KEY,
	act_id TEXT NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	perpetrator_id TEXT REFERENCES persons(id),
	perpetrator_type TEXT NOT NULL,
	degree TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX involvements_act ON involvements(act_id);
CREATE INDEX involvements_type ON involvements(perpetrator_type);

CREATE TABLE information (
	id TEXT PRIMARY KEY,
	source_id TEXT NOT NULL REFERENCES sources(id),
	event_id TEXT REFERENCES events(id) ON DELETE CASCADE,
	act_id TEXT REFERENCES acts(id) ON DELETE CASCADE,
	testimony_id TEXT REFERENCES testimonies(id),
	connection TEXT NOT NULL DEFAULT '',
	reliability TEXT NOT NULL DEFAULT '',
	locator TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);
CREATE INDEX information_source ON information(source_id);
CREATE INDEX information_act ON information(act_id);

CREATE TABLE interventions (
	id TEXT PRIMARY KEY,
	event_id TEXT REFERENCES events(id) ON DELETE CASCADE,
	act_id TEXT REFERENCES acts(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	date_precision TEXT NOT NULL DEFAULT '',
	date_start TEXT NOT NULL DEFAULT '',
	date_end TEXT NOT NULL DEFAULT '',
	by_whom TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '{}',
	created_at TEXT NOT NULL
);

CREATE TABLE indicators (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	name_ru TEXT NOT NULL DEFAULT '',
	value REAL NOT NULL,
	qualifier TEXT NOT NULL DEFAULT '',
	unit TEXT NOT NULL DEFAULT '',
	year TEXT NOT NULL DEFAULT '',
	geography TEXT NOT NULL DEFAULT '',
	domain TEXT NOT NULL DEFAULT '',
	source_id TEXT REFERENCES sources(id),
	locator TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	formula TEXT NOT NULL DEFAULT '',
	inputs TEXT NOT NULL DEFAULT '[]',
	created_at TEXT NOT NULL
);

CREATE TABLE assessments (
	id TEXT PRIMARY KEY,
	subject TEXT NOT NULL, -- act_id, or event_id for a situation
	act_id TEXT REFERENCES acts(id) ON DELETE CASCADE,
	event_id TEXT REFERENCES events(id) ON DELETE CASCADE,
	framework TEXT NOT NULL,
	pack_version TEXT NOT NULL,
	version INTEGER NOT NULL,
	answers TEXT NOT NULL,
	outcomes TEXT NOT NULL,
	missing TEXT NOT NULL DEFAULT '[]',
	status TEXT NOT NULL,
	reviewer TEXT NOT NULL DEFAULT '',
	reviewed_at TEXT,
	note TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	UNIQUE (subject, framework, version)
);

-- The audit ledger: append-only, hash-chained. audit_head holds the chain's tip so that concurrent
-- writers serialise on one row.
CREATE TABLE audit_log (
	seq INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	object_kind TEXT NOT NULL,
	object_id TEXT NOT NULL,
	object_hash TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit entries are never updated'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit entries are never deleted'); END;

-- Full-text search: one document per testimony, event, act and source, stemmed by the Go
-- tokenizer "casefile" (Russian and English Snowball). search_docs carries the filter columns.
CREATE TABLE search_docs (
	rowid INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	id TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	domain TEXT NOT NULL DEFAULT '',
	setting TEXT NOT NULL DEFAULT '',
	perpetrator_types TEXT NOT NULL DEFAULT '',
	act_type TEXT NOT NULL DEFAULT '',
	region TEXT NOT NULL DEFAULT '',
	year INTEGER NOT NULL DEFAULT 0,
	UNIQUE (kind, id)
);
CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'casefile');

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
