-- Media monitoring: feeds, fetched or imported articles (the original kept as an evidence item,
-- its SHA-256 here too, so a duplicate is refused whatever its URL), and the discourse hits found
-- in each, with byte offsets into the article's text.
CREATE TABLE media_feeds (
	id TEXT PRIMARY KEY,
	url TEXT NOT NULL UNIQUE,
	outlet TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL DEFAULT '',
	etag TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	fetched_at TEXT,
	created_at TEXT NOT NULL
);

CREATE TABLE media_items (
	id TEXT PRIMARY KEY,
	feed_id TEXT REFERENCES media_feeds(id),
	outlet TEXT NOT NULL DEFAULT '',
	url TEXT,
	title TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	published TEXT,
	text TEXT NOT NULL,
	sha256 TEXT NOT NULL UNIQUE,
	evidence_id TEXT REFERENCES evidence(id),
	about_drugs INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX media_items_url ON media_items(url) WHERE url IS NOT NULL;
CREATE INDEX media_items_outlet ON media_items(outlet, published);

CREATE TABLE discourse_hits (
	id TEXT PRIMARY KEY,
	item_id TEXT NOT NULL REFERENCES media_items(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	term TEXT NOT NULL,
	lemma TEXT NOT NULL,
	category TEXT NOT NULL,
	language TEXT NOT NULL DEFAULT '',
	rule TEXT NOT NULL,
	start_offset INTEGER NOT NULL,
	end_offset INTEGER NOT NULL,
	sentence TEXT NOT NULL DEFAULT '',
	referent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX discourse_hits_item ON discourse_hits(item_id, seq);
CREATE INDEX discourse_hits_category ON discourse_hits(category);
