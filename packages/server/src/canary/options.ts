// Options of `logsage canary`: flags first, then the environment, then defaults. The canary is a client
// of any LogSage installation, so it reads none of the server's own configuration.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

/** Everything one canary run needs; times in milliseconds unless named otherwise. */
export interface CanaryOptions {
  /** Base URL of the installation, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Key allowed to POST /api/v1/logs (ingest or admin scope). */
  writeKey: string;
  /** Key allowed to GET /api/v1/logs (read or admin scope); the write key when not given. */
  readKey: string;
  /** Entries written per second. */
  rate: number;
  service: string;
  /** Tells this run's entries from another canary's: part of every event id and message. */
  runId: string;
  /** How long to write; undefined writes until stopped. */
  durationMs: number | undefined;
  /** An acknowledged entry not readable this long after its acknowledgement counts as missing. */
  graceMs: number;
  readIntervalMs: number;
  /** Every this often, every retained entry is looked up again, so a row lost after it was read is noticed. */
  verifyIntervalMs: number;
  /** Port of the Prometheus /metrics endpoint; 0 picks a free one, undefined serves none. */
  metricsPort: number | undefined;
  metricsHost: string;
  /** A summary line is printed this often (and at exit); 0 prints only at exit. */
  summaryIntervalMs: number;
  /** After writing stops, how long to wait for the last entries to be read and analysed. */
  drainMs: number;
  requestTimeoutMs: number;
}

const FLAGS = {
  url: { type: 'string', env: 'LOGSAGE_URL' },
  key: { type: 'string', env: 'CANARY_KEY' },
  'read-key': { type: 'string', env: 'CANARY_READ_KEY' },
  rate: { type: 'string', env: 'CANARY_RATE' },
  service: { type: 'string', env: 'CANARY_SERVICE' },
  'run-id': { type: 'string', env: 'CANARY_RUN_ID' },
  duration: { type: 'string', env: 'CANARY_DURATION' },
  grace: { type: 'string', env: 'CANARY_GRACE' },
  'read-interval': { type: 'string', env: 'CANARY_READ_INTERVAL' },
  'verify-interval': { type: 'string', env: 'CANARY_VERIFY_INTERVAL' },
  'metrics-port': { type: 'string', env: 'CANARY_METRICS_PORT' },
  'metrics-host': { type: 'string', env: 'CANARY_METRICS_HOST' },
  'summary-interval': { type: 'string', env: 'CANARY_SUMMARY_INTERVAL' },
  drain: { type: 'string', env: 'CANARY_DRAIN' },
} as const;

export const CANARY_USAGE = `usage: logsage canary --url URL --key KEY [options]   (each flag also reads the variable named)
  --url URL              the installation (LOGSAGE_URL, default http://127.0.0.1:8080)
  --key KEY              an ingest-scoped API key (CANARY_KEY)
  --read-key KEY         a read-scoped API key (CANARY_READ_KEY, default: --key)
  --rate N               entries per second (CANARY_RATE, default 10)
  --service NAME         service of the entries (CANARY_SERVICE, default logsage-canary)
  --run-id ID            tells several canaries apart (CANARY_RUN_ID, default random)
  --duration D           how long to write: 90s, 10m, 2h or forever (CANARY_DURATION, default forever)
  --grace D              acknowledged but unreadable this long = missing (CANARY_GRACE, default 30s)
  --read-interval D      (CANARY_READ_INTERVAL, default 1s)     --verify-interval D (CANARY_VERIFY_INTERVAL, default 60s)
  --metrics-port N|off   Prometheus /metrics (CANARY_METRICS_PORT, default 9464)  --metrics-host H (default 127.0.0.1)
  --summary-interval D   (CANARY_SUMMARY_INTERVAL, default 10s)  --drain D  wait for the last entries at exit (default 60s)`;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `90`, `90s`, `500ms`, `10m`, `2h` into milliseconds (a bare number is seconds). */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  return m ? Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1000) : undefined;
}

type Raw = Partial<Record<keyof typeof FLAGS, string>>;

function readRaw(argv: string[], env: NodeJS.ProcessEnv): Raw {
  const options = Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' as const }]));
  const { values } = parseArgs({ args: argv, options, allowPositionals: false, strict: true });
  const raw: Raw = {};
  for (const [name, flag] of Object.entries(FLAGS) as [keyof typeof FLAGS, (typeof FLAGS)[keyof typeof FLAGS]][]) {
    const v = (values as Record<string, string | undefined>)[name] ?? env[flag.env];
    if (v !== undefined && v !== '') raw[name] = v;
  }
  return raw;
}

/** Parses flags and environment; throws an Error listing every bad value at once. */
export function parseCanaryOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): CanaryOptions {
  const raw = readRaw(argv, env);
  const bad: string[] = [];
  const duration = (name: keyof Raw, dflt: string): number => {
    const ms = parseDuration(raw[name] ?? dflt);
    if (ms === undefined || ms <= 0) bad.push(`--${name}: a duration such as 30s, 500ms, 10m`);
    return ms ?? 0;
  };
  const url = raw.url ?? 'http://127.0.0.1:8080';
  if (!/^https?:\/\/[^/]+/.test(url)) bad.push('--url: an http(s) URL');
  if (!raw.key) bad.push('--key (CANARY_KEY): an API key with the ingest scope is required');
  const rate = Number(raw.rate ?? '10');
  if (!(rate > 0 && rate <= 10_000)) bad.push('--rate: entries per second, above 0 and at most 10000');
  const forever = (raw.duration ?? 'forever') === 'forever';
  const port = raw['metrics-port'] ?? '9464';
  const metricsPort = port === 'off' ? undefined : Number(port);
  if (metricsPort !== undefined && !(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort <= 65535)) bad.push('--metrics-port: 0-65535 or off');
  const runId = raw['run-id'] ?? randomBytes(4).toString('hex');
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(runId)) bad.push('--run-id: 1-40 letters, digits, _ or -');
  const summary = raw['summary-interval'] === '0' ? 0 : duration('summary-interval', '10s');
  const opts: CanaryOptions = {
    url: url.replace(/\/+$/, ''),
    writeKey: raw.key ?? '',
    readKey: raw['read-key'] ?? raw.key ?? '',
    rate,
    service: raw.service ?? 'logsage-canary',
    runId,
    durationMs: forever ? undefined : duration('duration', '0'),
    graceMs: duration('grace', '30s'),
    readIntervalMs: duration('read-interval', '1s'),
    verifyIntervalMs: duration('verify-interval', '60s'),
    metricsPort,
    metricsHost: raw['metrics-host'] ?? '127.0.0.1',
    summaryIntervalMs: summary,
    drainMs: duration('drain', '60s'),
    requestTimeoutMs: 10_000,
  };
  if (bad.length) throw new Error(`logsage canary: ${bad.join('; ')}\n\n${CANARY_USAGE}`);
  return opts;
}
