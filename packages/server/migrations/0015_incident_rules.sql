-- Alert rules of two kinds: 'result' rules match analysis results (every rule so far); 'incident'
-- rules match incidents the detector opens (modules/incidents) and keep one alert per incident.
-- Incident rules use min_severity, services and service_pattern only (the API refuses the others).
ALTER TABLE alert_rules ADD COLUMN kind text NOT NULL DEFAULT 'result' CHECK (kind IN ('result', 'incident'));
