-- The write path (docs/deploy.md, "Write path"): what each stored log costs in index upkeep.
--
-- Full text: each insert appends its lexemes to the GIN pending list (fastupdate) instead of
-- descending the tree once per lexeme; ingestion merges the list in the background
-- (gin_clean_pending_list, modules/ingest) so no request pays for a merge. The larger limit is
-- the fallback when that merge falls behind: at the default 4 MB the inserting request merged the
-- list itself every few thousand rows, which set the p99. Searches read the unmerged list whole,
-- so the limit stays at a size a search scans in milliseconds. New partitions inherit the settings.
-- Upgrading rebuilds this index on every stored partition (once, inside the migration).
DROP INDEX logs_message_fts_idx;
CREATE INDEX logs_message_fts_idx ON logs USING gin (to_tsvector('simple', coalesce(search_text, message)))
  WITH (fastupdate = on, gin_pending_list_limit = 16384);
-- Levels: a filter on a common level (info, debug, trace, unknown) finds its rows densely along the primary
-- key within the windows the per-minute counts size (modules/query/narrow.ts); only rare levels need
-- an index to skip the rest, so only their rows pay for one. A search for a common level, alone or
-- with a rare one, reads the primary key instead (same results).
DROP INDEX logs_level_ts_idx;
CREATE INDEX logs_level_ts_idx ON logs (level, ts DESC, id DESC) WHERE level IN ('warn', 'error', 'fatal');
