import { bool, int, oneOf, str, url, type VarSpec } from './spec.js';

const MIB = 1024 * 1024;

/** Core variables: HTTP, storage, queue connection, retention, ingestion limits, own logs. */
export const CORE_VARS = {
  PORT: { doc: 'HTTP port of the api role', default: 8080, parse: int(1, 65535) },
  HOST: { doc: 'Address the api role listens on (0.0.0.0 to accept connections from other machines)', default: '127.0.0.1', parse: str },
  PUBLIC_URL: { doc: 'URL users reach LogSage at: links in notifications, allowed Origin of browser requests (default: http://HOST:PORT)', parse: url('http:', 'https:') },
  DATA_DIR: { doc: 'Directory of the embedded database (PGlite), used when no PostgreSQL is configured', default: './data', parse: str },
  DATABASE_URL: { doc: 'PostgreSQL URL, e.g. postgres://user:pass@host:5432/logsage (wins over DB_*)', parse: url('postgres:', 'postgresql:'), secret: true },
  DATABASE_READ_URL: {
    doc: 'PostgreSQL URL of a streaming replica for the read API (logs, search, stats, templates, dashboard summary); writes stay on DATABASE_URL. Reads may lag behind ingest by the replica\'s lag',
    parse: url('postgres:', 'postgresql:'),
    secret: true,
  },
  DB_HOST: { doc: 'PostgreSQL host (the seed\'s name); setting it selects PostgreSQL over the embedded database', parse: str },
  DB_PORT: { doc: 'PostgreSQL port', default: 5432, parse: int(1, 65535) },
  DB_USER: { doc: 'PostgreSQL user', default: 'postgres', parse: str },
  DB_PASSWORD: { doc: 'PostgreSQL password', parse: str, secret: true },
  DB_NAME: { doc: 'PostgreSQL database', default: 'logsage', parse: str },
  DB_POOL_MAX: { doc: 'Largest number of PostgreSQL connections per process', default: 10, parse: int(1, 500) },
  DB_CONNECT_TIMEOUT_MS: { doc: 'Time to wait for a PostgreSQL connection before answering 503', default: 5000, parse: int(100, 120_000) },
  QUERY_TIMEOUT_MS: { doc: 'statement_timeout of every query, in milliseconds', default: 10_000, parse: int(100, 600_000) },
  QUERY_MAX_RANGE_DAYS: { doc: 'Widest time range a log query or stats request may cover', default: 31, parse: int(1, 3650) },
  REDIS_URL: { doc: 'Redis URL for the analysis queue, e.g. redis://127.0.0.1:6379 (read by the worker role; if it is down, analysis continues through the database)', parse: url('redis:', 'rediss:'), secret: true },
  REDIS_HOST: { doc: 'Redis host (the seed\'s name); setting it selects Redis for the analysis queue', parse: str },
  REDIS_PORT: { doc: 'Redis port', default: 6379, parse: int(1, 65535) },
  RETENTION_DAYS: { doc: 'Days of logs kept; older daily partitions are dropped whole', default: 7, parse: int(1, 3650) },
  MAX_BODY_BYTES: { doc: 'Largest ingest body, measured after decompression (413 above it)', default: 10 * MIB, parse: int(1024, 1024 * MIB) },
  MAX_MESSAGE_BYTES: { doc: 'Longest log message accepted, in UTF-8 bytes', default: 256 * 1024, parse: int(64, 16 * MIB) },
  INGEST_MAX_PENDING: { doc: 'Log entries waiting for a database commit before ingestion answers 503', default: 200_000, parse: int(1000, 10_000_000) },
  MAX_EVENT_LOOP_DELAY_MS: { doc: 'Event-loop delay above which every request answers 503 + Retry-After until the process catches up (0: never)', default: 1000, parse: int(0, 60_000) },
  DASHBOARD_DIR: { doc: 'Directory of the built dashboard served at / (default: packages/dashboard/dist of this installation; "off" serves none)', parse: str },
  LOG_LEVEL: { doc: 'LogSage\'s own log level', default: 'info', parse: oneOf('trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent') },
  LOG_PRETTY: { doc: 'Human-readable own logs instead of JSON lines', default: false, parse: bool },
} satisfies Record<string, VarSpec<unknown>>;
