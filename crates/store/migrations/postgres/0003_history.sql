-- Each story's kept fact history (see the store's `history` module):
-- derived data that follows its story's id and goes with it.
CREATE TABLE story_history (
    story text PRIMARY KEY REFERENCES stories (id) ON UPDATE CASCADE ON DELETE CASCADE,
    facts text NOT NULL
);
