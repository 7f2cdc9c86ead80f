-- LLM usage per service and the daily budget's state.
-- A batch's tokens are shared among the services of the entries it sent, in proportion to their
-- number (each entry is one template representative in the prompt); llm_usage_daily keeps the
-- per-model totals as before. The day is the UTC day of the writer's clock.
CREATE TABLE llm_usage_service_daily (
  day date NOT NULL,
  service text NOT NULL,
  model text NOT NULL,
  entries bigint NOT NULL DEFAULT 0,
  prompt_tokens bigint NOT NULL DEFAULT 0,
  completion_tokens bigint NOT NULL DEFAULT 0,
  reasoning_tokens bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (day, service, model)
);

-- One row per UTC day on which a daily budget was reached: its insert is what sends the admin
-- notification, so several workers reaching the budget at once send it once.
CREATE TABLE llm_budget_days (
  day date PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('tokens', 'cost')),
  reached_at timestamptz NOT NULL DEFAULT now(),
  notified_channels integer NOT NULL DEFAULT 0
);
