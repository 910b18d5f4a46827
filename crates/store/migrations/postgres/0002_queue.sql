-- The work queue that `chorus ingest --enqueue` fills and `chorus worker`
-- drains. A row is one input unit (a single-article file, one JSON Lines
-- line, or one article already read from a feed or archive); finished rows
-- are deleted, so the table holds only what is left to do.

CREATE TABLE queue (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The input as given: a path, or `FILE#N` for the N-th record of a file.
    name text NOT NULL,
    -- 0: the bytes of a whole single-article file; 1: one JSON Lines line;
    -- 2: one article as read (JSON).
    kind smallint NOT NULL,
    body bytea NOT NULL,
    enqueued timestamptz NOT NULL DEFAULT now(),
    claimed_by text,
    -- A claim holds until then; past it, any worker may claim the row again.
    lease_until timestamptz,
    attempts integer NOT NULL DEFAULT 0,
    -- Set when the row was given up on after too many attempts.
    failed text
);
CREATE INDEX queue_ready ON queue (id) WHERE failed IS NULL;

-- Inputs a worker could not read (a malformed line, an empty file), as
-- `chorus ingest` would print them.
CREATE TABLE ingest_errors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    path text NOT NULL,
    error text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
