import { normalizeLevel, type Level } from './levels.js';
import { parseTimestamp } from '../../lib/time.js';

/** A log entry ready for storage. `ts` is epoch milliseconds with a fractional microsecond part. */
export interface LogRow {
  ts: number;
  level: Level;
  service: string;
  message: string;
  attributes: Record<string, unknown>;
  eventId: string | null;
}

/** Why one entry of a batch was not stored: its index in the batch, the field at fault, the reason. */
export interface Rejection {
  index: number;
  field: string;
  reason: string;
}

export interface NormalizeLimits {
  now: number;
  minTs: number;
  maxTs: number;
  maxMessageBytes: number;
}

const MESSAGE_KEYS = ['message', 'msg', 'log'];
const TIME_KEYS = ['timestamp', 'time', 'ts', '@timestamp', 'date'];
const LEVEL_KEYS = ['level', 'severity', 'lvl'];
const SERVICE_KEYS = ['service', 'source', 'app'];
const ID_KEYS = ['event_id', 'id'];
const NESTED_ATTRS = ['metadata', 'attributes'];
const MAX_SERVICE_LENGTH = 200;

const firstKey = (o: Record<string, unknown>, keys: string[]): string | undefined => keys.find((k) => o[k] !== undefined);

/**
 * The first time field that reads, else the first present (refused as unreadable). A shipper adds its
 * own time beside the application's (Fluent Bit's `date`): an application time in a form we cannot
 * read (nginx's `02/Dec/2026:10:00:00 +0000`) must not cost the entry when the shipper's time reads.
 * The unread field stays an attribute.
 */
function readableTimeKey(o: Record<string, unknown>): string | undefined {
  const present = TIME_KEYS.filter((k) => o[k] !== undefined);
  return present.find((k) => parseTimestamp(o[k]) !== undefined) ?? present[0];
}

type Result = { row: LogRow } | { rejection: Omit<Rejection, 'index'> };
const reject = (field: string, reason: string): Result => ({ rejection: { field, reason } });

/** Turns one shipper entry into a row, or says which field is wrong and why. Never throws. */
export function normalizeEntry(entry: unknown, limits: NormalizeLimits): Result {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return reject('', 'entry must be a JSON object');
  }
  const o = entry as Record<string, unknown>;
  const msgKey = firstKey(o, MESSAGE_KEYS) ?? 'message';
  // Container runtimes end every captured line with its newline (Fluent Bit's and Vector's `log`/`message`); it is not text.
  const message = typeof o[msgKey] === 'string' ? o[msgKey].replace(/\r?\n$/, '') : o[msgKey];
  if (typeof message !== 'string' || message.trim() === '') return reject(msgKey, 'message is required and must be a non-empty string');
  if (Buffer.byteLength(message) > limits.maxMessageBytes) {
    return reject(msgKey, `message is longer than ${limits.maxMessageBytes} bytes`);
  }
  const levelKey = firstKey(o, LEVEL_KEYS) ?? 'level';
  const level = normalizeLevel(o[levelKey]);
  if (!level) return reject(levelKey, `unknown level ${JSON.stringify(o[levelKey])}`);
  const timeKey = readableTimeKey(o);
  const ts = timeKey === undefined ? limits.now : parseTimestamp(o[timeKey]);
  if (ts === undefined) return reject(timeKey ?? 'timestamp', `unreadable timestamp ${JSON.stringify(o[timeKey ?? ''])}`);
  const tsError = checkWindow(ts, limits);
  if (tsError) return reject(timeKey ?? 'timestamp', tsError);
  const serviceKey = firstKey(o, SERVICE_KEYS);
  const service = serviceKey === undefined ? 'unknown' : o[serviceKey];
  if (typeof service !== 'string' || service.trim() === '' || service.length > MAX_SERVICE_LENGTH) {
    return reject(serviceKey ?? 'service', `service must be a non-empty string of at most ${MAX_SERVICE_LENGTH} characters`);
  }
  const idKey = firstKey(o, ID_KEYS);
  const id = idKey === undefined ? null : o[idKey];
  if (id !== null && !(typeof id === 'string' && id !== '' && id.length <= 200) && typeof id !== 'number') {
    return reject(idKey ?? 'id', 'id must be a string of 1-200 characters or a number');
  }
  const attrs = collectAttributes(o, new Set([msgKey, levelKey, timeKey, serviceKey, idKey]));
  if (typeof attrs === 'string') return reject(attrs, `${attrs} must be a JSON object`);
  return {
    row: {
      ts,
      level,
      service: clean(service.trim()),
      message: clean(message),
      attributes: attrs,
      eventId: id === null ? null : clean(String(id)),
    },
  };
}

function checkWindow(ts: number, limits: NormalizeLimits): string | undefined {
  if (ts < limits.minTs) {
    return `timestamp ${new Date(ts).toISOString()} is older than the retention window (oldest accepted: ${new Date(limits.minTs).toISOString()})`;
  }
  if (ts > limits.maxTs) return `timestamp ${new Date(ts).toISOString()} is more than a day in the future`;
  return undefined;
}

/** Every field we did not map, plus the keys of `metadata`/`attributes`, become the row's attributes. */
function collectAttributes(o: Record<string, unknown>, used: Set<string | undefined>): Record<string, unknown> | string {
  const attrs: Record<string, unknown> = {};
  for (const key of NESTED_ATTRS) {
    const nested = o[key];
    if (nested === undefined || nested === null) continue;
    if (typeof nested !== 'object' || Array.isArray(nested)) return key;
    Object.assign(attrs, nested);
  }
  for (const [k, v] of Object.entries(o)) {
    if (!used.has(k) && !NESTED_ATTRS.includes(k)) attrs[k] = v;
  }
  return sanitize(attrs) as Record<string, unknown>;
}

// PostgreSQL text and jsonb refuse NUL and lone surrogates; replacing them keeps the entry instead of failing the batch.
const clean = (s: string): string => s.toWellFormed().replaceAll('\u0000', '\uFFFD');

function sanitize(v: unknown): unknown {
  if (typeof v === 'string') return clean(v);
  if (Array.isArray(v)) return v.map(sanitize);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [clean(k), sanitize(x)]));
  }
  return v;
}
