-- Analysis pipeline. PostgreSQL is the truth: a log is pending until it has a row in
-- analysis_results; queues (Redis or analysis_jobs) only carry batches of verdict keys.

-- Logs waiting for a result. Written in the same statement that stores the logs, so a log can never
-- be stored without being pending. verdict_key is set once the worker assigned the log a template.
CREATE TABLE analysis_pending (
  log_id bigint PRIMARY KEY,
  ts timestamptz NOT NULL,
  enqueued_at timestamptz NOT NULL DEFAULT now(),
  template_id text,
  verdict_key text
);
CREATE INDEX analysis_pending_unassigned_idx ON analysis_pending (log_id) WHERE verdict_key IS NULL;
CREATE INDEX analysis_pending_key_idx ON analysis_pending (verdict_key) WHERE verdict_key IS NOT NULL;

-- Templates mined by the worker (log-patterns ids are derived from the text: stable everywhere).
CREATE TABLE log_templates (
  id text PRIMARY KEY,
  template text NOT NULL,
  sample text NOT NULL,
  count bigint NOT NULL DEFAULT 0,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  -- Set by a verdict that depends on the variable parts: its lines are then analysed per message.
  parameter_dependent boolean NOT NULL DEFAULT false
);
CREATE INDEX log_templates_last_seen_idx ON log_templates (last_seen DESC);

-- The miner's state, shared by every worker (one row; version bumps on every change).
CREATE TABLE miner_state (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  version bigint NOT NULL,
  snapshot jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One verdict per key: the template id, or "<template id>:<message hash>" for parameter-dependent
-- templates. The row is the cache (state done until expires_at) and the work item (open, scheduled,
-- parked) at once.
CREATE TABLE verdicts (
  key text PRIMARY KEY,
  template_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'scheduled', 'done', 'parked')),
  representative_id bigint NOT NULL,
  representative_ts timestamptz NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  scheduled_at timestamptz,
  job_id text,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  analysed_at timestamptz,
  expires_at timestamptz,
  result jsonb,
  model text,
  demo boolean NOT NULL DEFAULT false
);
CREATE INDEX verdicts_open_idx ON verdicts (requested_at) WHERE state = 'open';
CREATE INDEX verdicts_scheduled_idx ON verdicts (scheduled_at) WHERE state = 'scheduled';
CREATE INDEX verdicts_parked_idx ON verdicts (key) WHERE state = 'parked';
CREATE INDEX verdicts_template_idx ON verdicts (template_id);

-- Exactly one result per log (the primary key makes a repeated job write nothing twice).
CREATE TABLE analysis_results (
  log_id bigint PRIMARY KEY,
  ts timestamptz NOT NULL,
  service text NOT NULL,
  level text NOT NULL,
  template_id text,
  verdict_key text NOT NULL,
  -- llm: this log was the representative the model read; template: inherited from its verdict.
  source text NOT NULL CHECK (source IN ('llm', 'template')),
  is_anomaly boolean NOT NULL,
  anomaly_score real NOT NULL,
  severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
  category text NOT NULL,
  summary text NOT NULL,
  root_cause text NOT NULL,
  suggestion text NOT NULL,
  confidence real NOT NULL,
  model text NOT NULL,
  prompt_version text NOT NULL,
  demo boolean NOT NULL DEFAULT false,
  -- Monotonic, so consumers (the alert engine) can follow new results with a cursor.
  seq bigserial NOT NULL,
  analysed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX analysis_results_ts_idx ON analysis_results (ts DESC);
CREATE UNIQUE INDEX analysis_results_seq_idx ON analysis_results (seq);
CREATE INDEX analysis_results_anomaly_idx ON analysis_results (ts DESC) WHERE is_anomaly;

-- The embedded queue (used when Redis is not configured, and while it is down).
CREATE TABLE analysis_jobs (
  id text PRIMARY KEY,
  data jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('waiting', 'active', 'completed', 'failed')),
  attempts_made integer NOT NULL DEFAULT 0,
  run_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX analysis_jobs_due_idx ON analysis_jobs (run_at) WHERE state IN ('waiting', 'active');

-- LLM usage per day and model, for the status endpoint and cost tracking.
CREATE TABLE llm_usage_daily (
  day date NOT NULL,
  model text NOT NULL,
  calls bigint NOT NULL DEFAULT 0,
  prompt_tokens bigint NOT NULL DEFAULT 0,
  completion_tokens bigint NOT NULL DEFAULT 0,
  reasoning_tokens bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (day, model)
);
