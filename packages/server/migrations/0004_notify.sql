-- Notification channels and the outbox. A notification is written to the outbox (in the alert
-- engine's transaction) before anything is sent, so a crash can delay a message but never lose it.

-- Channel settings, secrets included (masked on every read by the API). Channel ids are text so a
-- stale or mistyped id from a rule is simply skipped instead of failing the alert transaction.
CREATE TABLE notify_channels (
  id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('email', 'dingtalk', 'wecom', 'feishu', 'slack', 'webhook')),
  enabled boolean NOT NULL DEFAULT true,
  language text CHECK (language IN ('zh-CN', 'en')),
  config jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per (channel, notification). The unique key makes a repeated enqueue a no-op.
-- state: pending (due at next_attempt_at), sending (leased until lease_until; a crashed sender's
-- row is taken again after the lease), sent, parked (gave up; re-driven by hand).
CREATE TABLE notify_outbox (
  id bigserial PRIMARY KEY,
  channel_id text NOT NULL REFERENCES notify_channels (id) ON DELETE CASCADE,
  idempotency_key text NOT NULL,
  payload jsonb NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'parked')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  last_status integer,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  UNIQUE (channel_id, idempotency_key)
);
CREATE INDEX notify_outbox_due_idx ON notify_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX notify_outbox_lease_idx ON notify_outbox (lease_until) WHERE state = 'sending';
CREATE INDEX notify_outbox_state_idx ON notify_outbox (state, id);

-- Sends per provider target (a robot), counted here so rate limits hold across worker processes.
CREATE TABLE notify_rate (
  target text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX notify_rate_target_idx ON notify_rate (target, at);
