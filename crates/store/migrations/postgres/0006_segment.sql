-- Search in scripts written without spaces (Han, kana, Hangul): the
-- text-search parser reads a whole run of them as one word, so "東京" was
-- never found inside "東京都で地震". `chorus_segment` sets each such
-- character apart with a U+001F, which the parser takes as a space, so a
-- run in a query becomes a phrase of adjacent characters that finds it
-- anywhere. The character ranges are those of `query::is_unspaced_script`
-- in the Rust code, which segments queries (and the SQLite back-end's
-- index) the same way.
CREATE FUNCTION chorus_segment(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT regexp_replace(t, '([\u3005-\u3007\u3040-\u30FF\u3100-\u312F\u31A0-\u31BF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003134F])', chr(31) || '\1' || chr(31), 'g') $$;

-- Articles already stored that hold such characters are indexed again.
UPDATE article_texts t
SET search = setweight(to_tsvector('english', chorus_segment(coalesce(a.title, ''))), 'A')
    || setweight(to_tsvector('english', chorus_segment(left(t.text, 200000))), 'B')
FROM articles a
WHERE a.id = t.id AND (t.text ~ '[\u3005-\u3007\u3040-\u30FF\u3100-\u312F\u31A0-\u31BF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003134F]' OR a.title ~ '[\u3005-\u3007\u3040-\u30FF\u3100-\u312F\u31A0-\u31BF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003134F]');
