-- "Other logs of this template" (GET /api/v1/logs?template=): the results of one template in time
-- order, so a page is read from the newest matching results instead of every log of the range.
CREATE INDEX analysis_results_template_idx ON analysis_results (template_id, ts DESC);
