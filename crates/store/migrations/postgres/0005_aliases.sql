-- Story ids that no longer name a story: a story renamed because an
-- article that sorts before its opener joined it, or emptied into another
-- when late articles re-placed its members. A link a reader holds still
-- finds the story that took its articles.
CREATE TABLE story_aliases (
    old text PRIMARY KEY,
    story text NOT NULL
);
CREATE INDEX story_aliases_story ON story_aliases (story);
