-- An event id is stored once within the retention window, whatever timestamp a resend carries (or
-- leaves out, so the receive time is used). The logs table could only be unique on (event_id, ts),
-- because a unique index of a partitioned table must hold the partition key: a shipper resending with
-- another time stored the log twice. Ids live here instead, keyed alone, with the time of the stored
-- log so retention drops them with its partition.
CREATE TABLE log_event_ids (
  event_id text PRIMARY KEY,
  ts       timestamptz NOT NULL
);
INSERT INTO log_event_ids (event_id, ts)
  SELECT event_id, min(ts) FROM logs WHERE event_id IS NOT NULL GROUP BY event_id;
CREATE INDEX log_event_ids_ts_idx ON log_event_ids (ts);
-- Every insert paid for this index, ids or not; nothing reads by it.
DROP INDEX logs_event_id_idx;
