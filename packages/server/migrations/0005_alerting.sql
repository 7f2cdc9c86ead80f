-- Alerting: rules over analysis results, alert groups with their notification state, history,
-- silences, and the engine's cursor in analysis_results.seq.

-- Timing columns left NULL follow the ALERT_* defaults of the running configuration.
CREATE TABLE alert_rules (
  id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  enabled boolean NOT NULL DEFAULT true,
  conditions jsonb NOT NULL,
  threshold_count integer NOT NULL DEFAULT 1,
  window_minutes integer NOT NULL DEFAULT 5,
  group_by text[] NOT NULL DEFAULT '{service}',
  group_wait_seconds integer,
  group_interval_seconds integer,
  repeat_interval_seconds integer,
  resolve_after_minutes integer,
  notify_resolved boolean NOT NULL DEFAULT true,
  -- Channel ids stay text without a foreign key: a deleted channel is skipped, never an error.
  channel_ids text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row: results with seq <= cursor were evaluated. It starts at the newest existing result, so an
-- upgrade does not raise alerts about the past.
CREATE TABLE alert_engine_state (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  cursor bigint NOT NULL,
  horizon_seq bigint,
  horizon_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO alert_engine_state (id, cursor) SELECT 1, COALESCE(max(seq), 0) FROM analysis_results;

-- Groups of threshold rules that have not reached their threshold: the recent matching times only.
CREATE TABLE alert_pending (
  rule_id text NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
  fingerprint text NOT NULL,
  hits timestamptz[] NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (rule_id, fingerprint)
);

-- One row per firing episode of a group; a group that fires again after resolving gets a new row.
CREATE TABLE alerts (
  id bigserial PRIMARY KEY,
  rule_id text REFERENCES alert_rules (id) ON DELETE SET NULL,
  rule_name text NOT NULL,
  fingerprint text NOT NULL,
  labels jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('firing', 'resolved')),
  severity text NOT NULL,
  count bigint NOT NULL,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  started_at timestamptz NOT NULL,
  last_match_at timestamptz NOT NULL,
  resolved_at timestamptz,
  summary text NOT NULL,
  root_cause text NOT NULL,
  suggestion text NOT NULL,
  sample_message text,
  sample_log_id bigint,
  demo boolean NOT NULL DEFAULT false,
  rounds integer NOT NULL DEFAULT 0,
  notified_count bigint NOT NULL DEFAULT 0,
  last_notified_at timestamptz,
  silenced_by text,
  acked_at timestamptz,
  acked_by text,
  due_at timestamptz
);
CREATE UNIQUE INDEX alerts_firing_fingerprint_idx ON alerts (fingerprint) WHERE state = 'firing';
CREATE INDEX alerts_due_idx ON alerts (due_at) WHERE state = 'firing';
CREATE INDEX alerts_started_idx ON alerts (started_at DESC, id DESC);
CREATE INDEX alerts_rule_idx ON alerts (rule_id, started_at DESC);

-- Every transition of an alert, newest last.
CREATE TABLE alert_history (
  id bigserial PRIMARY KEY,
  alert_id bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  event text NOT NULL CHECK (event IN ('firing', 'notified', 'resolved', 'acked', 'silenced', 'unsilenced')),
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX alert_history_alert_idx ON alert_history (alert_id, id);

-- Matchers ([{name, value, is_regex, is_equal}]) over alert labels, active in [starts_at, ends_at).
CREATE TABLE alert_silences (
  id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  matchers jsonb NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  comment text NOT NULL DEFAULT '',
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  alert_id bigint REFERENCES alerts (id) ON DELETE SET NULL
);
CREATE INDEX alert_silences_ends_idx ON alert_silences (ends_at);
