-- Rollups for the dashboard: counts kept at write time, so charts and filtered searches over a day
-- read a few thousand rollup rows instead of a million logs. Each rollup row is written by the same
-- statement that writes what it counts (logs, analysis results, template assignments), so a rollup
-- can never count a row that was rolled back, nor miss one that was committed. Minutes and hours are
-- binned from the Unix epoch in UTC (date_bin), whatever the session time zone.
--
-- Upgrading: the backfills below count what is stored when this migration runs. A process of an
-- older version still writing after that would add logs the rollups never count. Stop old writers
-- before upgrading (rolling upgrades of the api role are not supported by this migration).

-- Logs per minute of event time, service and level; kept by ingestion (modules/ingest/repository.ts)
-- and deleted with the log partitions past the retention window (modules/retention).
CREATE TABLE log_counts_minute (
  minute  timestamptz NOT NULL,
  service text        NOT NULL,
  level   text        NOT NULL,
  count   bigint      NOT NULL,
  PRIMARY KEY (minute, service, level)
);
-- Filtered log searches walk the minutes of one service or level without reading every other's
-- rows (a filter matching little then costs little). Rollup rows are few: these cost ingest nothing
-- that an index on logs would.
CREATE INDEX log_counts_minute_service_idx ON log_counts_minute (service, minute);
CREATE INDEX log_counts_minute_level_idx ON log_counts_minute (level, minute);

INSERT INTO log_counts_minute (minute, service, level, count)
SELECT date_bin('1 minute'::interval, ts, '1970-01-01T00:00:00Z'::timestamptz), service, level, count(*)
  FROM logs GROUP BY 1, 2, 3;

-- Analysis results per minute of event time; kept where results are written
-- (modules/analysis/repo-verdicts.ts) and pruned with them (pruneAnalysis).
CREATE TABLE analysis_counts_minute (
  minute     timestamptz NOT NULL,
  service    text        NOT NULL,
  severity   text        NOT NULL,
  category   text        NOT NULL,
  is_anomaly boolean     NOT NULL,
  count      bigint      NOT NULL,
  PRIMARY KEY (minute, service, severity, category, is_anomaly)
);
-- Anomaly and severity searches walk their own minutes (rare anomalies cost little).
CREATE INDEX analysis_counts_minute_anomaly_idx ON analysis_counts_minute (minute) WHERE is_anomaly;
CREATE INDEX analysis_counts_minute_severity_idx ON analysis_counts_minute (severity, minute);

INSERT INTO analysis_counts_minute (minute, service, severity, category, is_anomaly, count)
SELECT date_bin('1 minute'::interval, ts, '1970-01-01T00:00:00Z'::timestamptz), service, severity, category, is_anomaly, count(*)
  FROM analysis_results GROUP BY 1, 2, 3, 4, 5;

-- Logs given a template per hour of event time and service; kept by the assign pass
-- (modules/analysis/repo-assign.ts) and pruned with the analysis results. The service makes the
-- template list's service filter a lookup here instead of a scan of the results.
CREATE TABLE template_counts_hour (
  hour        timestamptz NOT NULL,
  template_id text        NOT NULL,
  service     text        NOT NULL,
  count       bigint      NOT NULL,
  PRIMARY KEY (template_id, hour, service)
);

-- The only record of which template a stored log got is its analysis row (or its pending row while
-- it waits for a verdict), so the backfill counts the retained logs that have one. Templates'
-- all-time counts in log_templates also include logs already past retention; the hourly counts
-- never will.
INSERT INTO template_counts_hour (hour, template_id, service, count)
SELECT date_bin('1 hour'::interval, x.ts, '1970-01-01T00:00:00Z'::timestamptz), x.template_id, x.service, count(*)
  FROM (SELECT r.ts, r.template_id, r.service FROM analysis_results r WHERE r.template_id IS NOT NULL
        UNION ALL
        SELECT p.ts, p.template_id, l.service FROM analysis_pending p JOIN logs l ON l.id = p.log_id AND l.ts = p.ts
         WHERE p.template_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM analysis_results r WHERE r.log_id = p.log_id)) x
 GROUP BY 1, 2, 3;
