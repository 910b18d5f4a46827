-- Articles, stories and search: the same tables as the SQLite back-end,
-- with PostgreSQL's own types (arrays for id lists, tsvector for search).
-- Instants are kept as fixed-format UTC text (see query::INSTANT_FORMAT), as
-- in SQLite, so that both back-ends give the very same strings back.

CREATE TABLE chorus_meta (
    key text PRIMARY KEY,
    value bigint NOT NULL DEFAULT 0,
    bytes bytea
);
INSERT INTO chorus_meta (key, value) VALUES ('generation', 0);

CREATE TABLE stories (
    id text PRIMARY KEY,
    headline text NOT NULL,
    article_count bigint NOT NULL,
    source_count bigint NOT NULL,
    independent_count bigint NOT NULL,
    first_seq bigint NOT NULL,
    updated text NOT NULL,
    updated_seq bigint NOT NULL,
    version bigint NOT NULL,
    analysed_version bigint NOT NULL DEFAULT 0,
    analysis text
);
CREATE INDEX stories_newest ON stories (updated_seq DESC);
CREATE INDEX stories_biggest ON stories (independent_count DESC, article_count DESC, first_seq);
CREATE INDEX stories_stale ON stories (updated_seq) WHERE analysed_version < version;

-- An article's heavy parts (its texts, search vector and clusterer
-- features), written by the adding transaction before it takes the
-- assignment lock, so that the serial part of an ingest writes only the
-- small `articles` row below.
CREATE TABLE article_texts (
    id text PRIMARY KEY,
    raw_text text NOT NULL,
    text text NOT NULL,
    -- The clusterer's features of the article (see postgres::codec), so that
    -- a process catching up replays them instead of recomputing them.
    features bytea,
    -- Title words (weight A) and the text's first 200,000 characters
    -- (weight B); see postgres::SEARCH_VECTOR.
    search tsvector NOT NULL
);
CREATE INDEX article_texts_search ON article_texts USING gin (search);

CREATE TABLE articles (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE REFERENCES article_texts (id),
    story text NOT NULL REFERENCES stories (id) ON UPDATE CASCADE,
    path text NOT NULL,
    url text,
    source text,
    title text,
    author text,
    published text,
    language text,
    outlet text NOT NULL,
    host text,
    filed_at text NOT NULL,
    added text NOT NULL,
    removed text[] NOT NULL DEFAULT '{}',
    duplicate_of text,
    derived_from text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX articles_story ON articles (story, seq);
CREATE INDEX articles_outlet ON articles (outlet, seq);
CREATE INDEX articles_outlet_ci ON articles (lower(outlet));
CREATE INDEX articles_host_ci ON articles (lower(host));
CREATE INDEX articles_filed ON articles (filed_at);
CREATE INDEX articles_copies ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX articles_derived ON articles USING gin (derived_from);
