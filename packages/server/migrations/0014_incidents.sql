-- Incidents: signals found in the per-minute template and service counts, grouped into incidents
-- by the worker's incident loop (modules/incidents), each with an LLM-written story.

-- Logs given a template per minute of event time and service; kept by the assign pass in the same
-- statement as template_counts_hour (modules/analysis/repo-assign.ts) and pruned after 2 days (the
-- hourly table keeps the long history). The incident loop reads a window of minutes (primary key
-- order); the incident page reads one template's minutes and its first line in a service.
CREATE TABLE template_counts_minute (
  minute      timestamptz NOT NULL,
  template_id text        NOT NULL,
  service     text        NOT NULL,
  count       bigint      NOT NULL,
  PRIMARY KEY (minute, template_id, service)
);
CREATE INDEX template_counts_minute_template_idx ON template_counts_minute (template_id, service, minute);
-- The daily baseline reads one clock hour of every template on each previous day.
CREATE INDEX template_counts_hour_hour_idx ON template_counts_hour (hour);

-- Minutes already assigned when this migration runs are counted from their analysis rows (the same
-- sources as the hourly backfill in 0006), for the last 2 days only.
INSERT INTO template_counts_minute (minute, template_id, service, count)
SELECT date_bin('1 minute'::interval, x.ts, '1970-01-01T00:00:00Z'::timestamptz), x.template_id, x.service, count(*)
  FROM (SELECT r.ts, r.template_id, r.service FROM analysis_results r
         WHERE r.template_id IS NOT NULL AND r.ts >= now() - interval '2 days'
        UNION ALL
        SELECT p.ts, p.template_id, l.service FROM analysis_pending p JOIN logs l ON l.id = p.log_id AND l.ts = p.ts
         WHERE p.template_id IS NOT NULL AND p.ts >= now() - interval '2 days'
           AND NOT EXISTS (SELECT 1 FROM analysis_results r WHERE r.log_id = p.log_id)) x
 GROUP BY 1, 2, 3;

-- One row per incident. services/template_ids/signal_count mirror its signals so the list reads one
-- table; the story columns say what the last story covered (growth past it asks for another).
CREATE TABLE incidents (
  id               text        PRIMARY KEY,
  state            text        NOT NULL CHECK (state IN ('open', 'resolved')),
  severity         text        NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
  title            text        NOT NULL,
  services         text[]      NOT NULL DEFAULT '{}',
  template_ids     text[]      NOT NULL DEFAULT '{}',
  signal_count     integer     NOT NULL DEFAULT 0,
  opened_at        timestamptz NOT NULL,
  last_signal_at   timestamptz NOT NULL,
  resolved_at      timestamptz,
  story            jsonb,
  story_state      text        NOT NULL DEFAULT 'none' CHECK (story_state IN ('none', 'due', 'written', 'failed')),
  story_attempts   integer     NOT NULL DEFAULT 0,
  stories          integer     NOT NULL DEFAULT 0,
  storied_signals  integer     NOT NULL DEFAULT 0,
  storied_services integer     NOT NULL DEFAULT 0,
  story_model      text,
  story_at         timestamptz,
  -- A worker writing the story holds it until then (the LLM call runs outside any transaction).
  story_lease_until timestamptz,
  updated_at       timestamptz NOT NULL
);
-- The list: newest updated first, with (updated_at, id) as its cursor; open ones alone for status.
CREATE INDEX incidents_updated_idx ON incidents (updated_at DESC, id DESC);
CREATE INDEX incidents_open_idx ON incidents (updated_at DESC, id DESC) WHERE state = 'open';
-- The story step finds its work without reading the rest.
CREATE INDEX incidents_story_due_idx ON incidents (updated_at) WHERE story_state = 'due';
CREATE INDEX incidents_services_idx ON incidents USING gin (services);

-- Each signal of an incident: a condition seen minute after minute is one row (last_at moves on),
-- ended once it was not seen for a while. observed/expected are the strongest observation's.
CREATE TABLE incident_signals (
  id          text        PRIMARY KEY,
  incident_id text        NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  kind        text        NOT NULL CHECK (kind IN ('new_template', 'rate_spike', 'rate_drop', 'error_share')),
  service     text        NOT NULL,
  template_id text,
  template    text        NOT NULL,
  severity    text        NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
  started_at  timestamptz NOT NULL,
  last_at     timestamptz NOT NULL,
  ended_at    timestamptz,
  observed    double precision NOT NULL,
  expected    double precision NOT NULL,
  score       double precision NOT NULL,
  baseline    text        NOT NULL
);
CREATE INDEX incident_signals_incident_idx ON incident_signals (incident_id, started_at);

-- What happened to an incident, in order (the page's history and the alerting follow-up).
CREATE TABLE incident_history (
  id          bigserial   PRIMARY KEY,
  incident_id text        NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL,
  event       text        NOT NULL CHECK (event IN ('opened', 'grew', 'story', 'story_failed', 'resolved')),
  detail      jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX incident_history_incident_idx ON incident_history (incident_id, at, id);

-- The loop's cursor: the next minute to evaluate. One row; written in the transaction that persists
-- that minute's changes, so a minute is evaluated exactly once whichever worker runs it.
CREATE TABLE incident_state (
  id          smallint    PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  next_minute timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
