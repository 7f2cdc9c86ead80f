-- Security: users, server-side sessions, API keys, login throttling and the audit log.

CREATE TABLE users (
  id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  username      text        NOT NULL,
  password_hash text        NOT NULL,
  role          text        NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
  disabled      boolean     NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);
-- "Admin" and "admin" are one account: a look-alike name must not create a second one.
CREATE UNIQUE INDEX users_username_idx ON users (lower(username));

-- Only the SHA-256 of a session id is stored: a copy of this table cannot be replayed as cookies.
CREATE TABLE sessions (
  id_hash      text        PRIMARY KEY,
  user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- An API key is shown once; the table keeps its visible prefix and the SHA-256 of the whole key.
CREATE TABLE api_keys (
  id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text        NOT NULL,
  prefix       text        NOT NULL UNIQUE,
  key_hash     text        NOT NULL,
  scopes       text[]      NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text,
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- Failed logins per account ("u:<name>") and per client address ("ip:<addr>"), shared by every api process.
CREATE TABLE login_throttle (
  key          text        PRIMARY KEY,
  failures     integer     NOT NULL,
  last_failure timestamptz NOT NULL,
  locked_until timestamptz
);

CREATE TABLE audit_log (
  id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  actor_kind text        NOT NULL,
  actor_id   text,
  actor_name text        NOT NULL,
  action     text        NOT NULL,
  method     text,
  route      text,
  target     text,
  status     integer,
  ip         text,
  details    jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
