import { createSecretKey, type KeyObject } from 'node:crypto';
import { BadValue, int, type VarSpec } from './spec.js';

/** A comma-separated list of hosts, IPs, CIDRs, each optionally with :port ("[v6]:port" for IPv6). */
const hostList = (raw: string): string[] => {
  const items = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const item of items) {
    if (!/^(\[[0-9a-f:.]+\](\/\d{1,3})?|[0-9a-f:.]+\/\d{1,3}|[a-z0-9.:-]+)(:\d{1,5})?$/.test(item)) {
      throw new BadValue(`"${item}" is not a host, IP, CIDR or host:port`);
    }
  }
  return items;
};

/**
 * A 256-bit key given as 64 hex characters or as base64 (standard or URL-safe, padding optional).
 * The error says what is wrong by length only: the value is a secret and must not reach the log.
 */
export const secretsKey = (raw: string): KeyObject => {
  const s = raw.trim();
  let bytes: Buffer | undefined;
  if (/^[0-9a-f]{64}$/i.test(s)) bytes = Buffer.from(s, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(s)) bytes = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes?.length !== 32) {
    throw new BadValue(`must be 32 bytes as base64 (44 characters) or 64 hex characters, got ${s.length} characters`);
  }
  return createSecretKey(bytes);
};

/** Alerting and notification channels. */
export const ALERTING_VARS = {
  OUTBOUND_ALLOW: { doc: 'Private, loopback or link-local targets notification channels may reach anyway: comma-separated hosts, IPs, CIDRs or host:port (everything private is refused by default)', default: [] as string[], parse: hostList },
  SECRETS_KEY: { doc: 'Key that encrypts notification channel secrets at rest (AES-256-GCM): 32 random bytes as base64 or 64 hex characters, e.g. from openssl rand -base64 32. Unset: generated once into DATA_DIR/secrets.key; processes sharing one PostgreSQL must all set the same key', parse: secretsKey, secret: true },
  NOTIFY_TIMEOUT_MS: { doc: 'Timeout of one notification send (connect, request and answer), in milliseconds', default: 10_000, parse: int(500, 120_000) },
  NOTIFY_MAX_ATTEMPTS: { doc: 'Attempts of one notification before it is parked (visible in GET /api/v1/notifications?state=parked)', default: 8, parse: int(1, 100) },
  NOTIFY_RETRY_BASE_MS: { doc: 'Retry delay unit of notifications: attempt n waits this times 2^(n-1), at most one hour, unless the provider sent Retry-After', default: 15_000, parse: int(10, 3_600_000) },
  NOTIFY_LEASE_MS: { doc: 'How long a sender holds a notification before another worker may send it again (crash recovery; longer than NOTIFY_TIMEOUT_MS)', default: 60_000, parse: int(1000, 3_600_000) },
  NOTIFY_POLL_MS: { doc: 'How often the delivery worker looks for due notifications', default: 1000, parse: int(50, 60_000) },
  ALERT_EVAL_INTERVAL_MS: { doc: 'How often the alert engine evaluates new analysis results and due alerts (worker role)', default: 1000, parse: int(100, 60_000) },
  ALERT_EVAL_BATCH: { doc: 'Analysis results the alert engine evaluates per transaction', default: 5000, parse: int(100, 100_000) },
  ALERT_GROUP_WAIT_SECONDS: { doc: 'Default wait after an alert group starts firing before its first notification (a burst arrives as one message)', default: 30, parse: int(0, 86_400) },
  ALERT_GROUP_INTERVAL_SECONDS: { doc: 'Default wait after a notification before notifying new results of the same alert group', default: 300, parse: int(0, 86_400) },
  ALERT_REPEAT_INTERVAL_SECONDS: { doc: 'Default wait before re-sending a firing alert that has not changed', default: 14_400, parse: int(60, 2_592_000) },
  ALERT_RESOLVE_AFTER_MINUTES: { doc: 'Default minutes without a new matching result after which an alert resolves', default: 5, parse: int(1, 10_080) },
} satisfies Record<string, VarSpec<unknown>>;
