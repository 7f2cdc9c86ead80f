import { bool, int, str, type VarSpec } from './spec.js';

/** Security: users, sessions, API keys, limits. */
export const AUTH_VARS = {
  AUTH_DISABLED: { doc: 'Turn authentication off (local experiments only; every request acts as an admin and a warning is logged at every start)', default: false, parse: bool },
  ADMIN_PASSWORD: { doc: 'Password of the admin account created at the first start (unset: one is generated and printed once)', parse: str, secret: true },
  SESSION_IDLE_MINUTES: { doc: 'A login session ends after this many minutes without a request', default: 120, parse: int(1, 43_200) },
  SESSION_ABSOLUTE_HOURS: { doc: 'A login session ends this many hours after the login, however active', default: 12, parse: int(1, 8760) },
  LOGIN_MAX_FAILURES: { doc: 'Failed logins to one account before each further attempt waits (the wait doubles per failure, up to 15 minutes)', default: 5, parse: int(1, 1000) },
  LOGIN_MAX_FAILURES_IP: { doc: 'Failed logins from one client address before each further attempt waits (doubling, up to 15 minutes)', default: 20, parse: int(1, 100_000) },
  API_KEY_CACHE_SECONDS: { doc: 'How long an API key lookup is reused; a revoked key stops working within this time (0 to 5)', default: 5, parse: int(0, 5) },
  RATE_LIMIT_INGEST_PER_MIN: { doc: 'Ingest requests per minute per API key (0: no limit); Redis-backed when Redis is configured', default: 60_000, parse: int(0, 10_000_000) },
  RATE_LIMIT_API_PER_MIN: { doc: 'Other API requests per minute per user, API key or client address (0: no limit)', default: 1200, parse: int(0, 10_000_000) },
  RATE_LIMIT_LOGIN_PER_MIN: { doc: 'Login requests per minute per client address (0: no limit)', default: 30, parse: int(0, 100_000) },
  TRUST_PROXY: { doc: 'Trust X-Forwarded-For and X-Forwarded-Proto from a reverse proxy (client address for limits, https for Secure cookies)', default: false, parse: bool },
} satisfies Record<string, VarSpec<unknown>>;
