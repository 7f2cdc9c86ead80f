-- Full-text search for Chinese, Japanese and Korean (see src/lib/cjk.ts). A message with runs of
-- such characters also stores them as overlapping character pairs in search_text, which the index
-- reads instead of the message; other messages leave it NULL and are indexed as before. Logs stored
-- before this migration keep their old index entries: CJK words are found in logs written after it.
ALTER TABLE logs ADD COLUMN search_text text;
DROP INDEX logs_message_fts_idx;
CREATE INDEX logs_message_fts_idx ON logs USING gin (to_tsvector('simple', coalesce(search_text, message)));
