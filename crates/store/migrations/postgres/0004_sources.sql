-- What `chorus follow` keeps (see src/sources.rs): each followed source with
-- its validators, schedule, last error and counts; the items of each source
-- already looked at; per host its robots.txt and any pause it asked for.
-- Instants are fixed-format UTC text, as in the other tables.

CREATE TABLE sources (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url text NOT NULL UNIQUE,
    title text,
    feed text,
    kind text,
    etag text,
    last_modified text,
    added text NOT NULL,
    last_poll text,
    last_success text,
    last_error text,
    next_poll text,
    interval_secs bigint NOT NULL DEFAULT 0,
    failures bigint NOT NULL DEFAULT 0,
    polls bigint NOT NULL DEFAULT 0,
    unchanged bigint NOT NULL DEFAULT 0,
    items bigint NOT NULL DEFAULT 0,
    articles bigint NOT NULL DEFAULT 0,
    errors bigint NOT NULL DEFAULT 0
);

CREATE TABLE source_items (
    source text NOT NULL,
    key text NOT NULL,
    article text,
    error text,
    attempts bigint NOT NULL,
    seen text NOT NULL,
    PRIMARY KEY (source, key)
);
CREATE INDEX source_items_seen ON source_items (source, seen);

CREATE TABLE source_hosts (
    host text PRIMARY KEY,
    robots text,
    robots_status bigint NOT NULL,
    robots_fetched text,
    paused_until text
);
