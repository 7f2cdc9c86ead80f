-- Logs, partitioned by day on the event timestamp. Partitions are created ahead of time by the
-- partition manager (src/modules/retention) and dropped whole when they leave the retention window.
CREATE SEQUENCE IF NOT EXISTS logs_id_seq AS bigint;

CREATE TABLE logs (
  id          bigint      NOT NULL DEFAULT nextval('logs_id_seq'),
  ts          timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  level       text        NOT NULL CHECK (level IN ('trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown')),
  service     text        NOT NULL,
  message     text        NOT NULL,
  attributes  jsonb       NOT NULL DEFAULT '{}'::jsonb,
  event_id    text,
  PRIMARY KEY (ts, id)
) PARTITION BY RANGE (ts);

ALTER SEQUENCE logs_id_seq OWNED BY logs.id;

-- Time range and (timestamp, id) cursor pagination use the primary key.
CREATE INDEX logs_service_ts_idx ON logs (service, ts DESC, id DESC);
CREATE INDEX logs_level_ts_idx ON logs (level, ts DESC, id DESC);
CREATE INDEX logs_id_idx ON logs (id);
CREATE INDEX logs_message_fts_idx ON logs USING gin (to_tsvector('simple', message));
-- A shipper resending after a lost ack sends the same event id with the same timestamp.
CREATE UNIQUE INDEX logs_event_id_idx ON logs (event_id, ts);

-- One row per service, kept current at ingest so listing services never scans the logs.
CREATE TABLE services (
  name       text        PRIMARY KEY,
  first_seen timestamptz NOT NULL,
  last_seen  timestamptz NOT NULL
);
