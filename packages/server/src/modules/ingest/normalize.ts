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

/** Whether an entry left out its time and its level: a header in its message may supply them (header-fields.ts). */
export function absentFields(entry: unknown): { time: boolean; level: boolean } {
  if (typeof entry !== 'object' || entry === null) return { time: false, level: false };
  const o = entry as Record<string, unknown>;
  const level = o[firstKey(o, LEVEL_KEYS) ?? 'level'];
  return { time: firstKey(o, TIME_KEYS) === undefined, level: level === undefined || level === null || level === '' };
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
  // A level we do not know ("success", "audit") is no reason to lose the log: it is stored as
  // `unknown` and the original value stays an attribute under its own key.
  const known = normalizeLevel(o[levelKey]);
  const level = known ?? 'unknown';
  const timeKey = readableTimeKey(o);
  const ts = timeKey === undefined ? limits.now : parseTimestamp(o[timeKey]);
  if (ts === undefined) return reject(timeKey ?? 'timestamp', `unreadable timestamp ${shown(o[timeKey ?? ''])}`);
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
  const attrs = collectAttributes(o, new Set([msgKey, known ? levelKey : undefined, timeKey, serviceKey, idKey]));
  if ('field' in attrs) return reject(attrs.field, attrs.reason);
  return {
    row: {
      ts,
      level,
      service: clean(service.trim()),
      message: clean(message),
      attributes: attrs.attrs,
      eventId: id === null ? null : clean(String(id)),
    },
  };
}

/** A value for a rejection reason; JSON.stringify overflowed the stack on a timestamp nested thousands deep (a 500). */
function shown(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return '(a value nested too deeply to show)';
  }
}

function checkWindow(ts: number, limits: NormalizeLimits): string | undefined {
  if (ts < limits.minTs) {
    return `timestamp ${new Date(ts).toISOString()} is older than the retention window (oldest accepted: ${new Date(limits.minTs).toISOString()})`;
  }
  if (ts > limits.maxTs) return `timestamp ${new Date(ts).toISOString()} is more than a day in the future`;
  return undefined;
}

/** Attributes nested deeper than this are refused: the sanitiser recursed until the stack overflowed. */
export const MAX_ATTRIBUTE_DEPTH = 32;

type Attributes = { attrs: Record<string, unknown> } | { field: string; reason: string };

/** Every field we did not map, plus the keys of `metadata`/`attributes`, become the row's attributes. */
function collectAttributes(o: Record<string, unknown>, used: Set<string | undefined>): Attributes {
  // No prototype: a `__proto__` key of the entry is a plain property here, never the prototype setter.
  const attrs = Object.create(null) as Record<string, unknown>;
  for (const key of NESTED_ATTRS) {
    const nested = o[key];
    if (nested === undefined || nested === null) continue;
    if (typeof nested !== 'object' || Array.isArray(nested)) return { field: key, reason: `${key} must be a JSON object` };
    for (const [k, v] of Object.entries(nested)) attrs[k] = v;
  }
  for (const [k, v] of Object.entries(o)) {
    if (!used.has(k) && !NESTED_ATTRS.includes(k)) attrs[k] = v;
  }
  const clean = sanitize(attrs, 0);
  return clean === TOO_DEEP
    ? { field: 'attributes', reason: `attributes are nested deeper than ${MAX_ATTRIBUTE_DEPTH} levels` }
    : { attrs: clean as Record<string, unknown> };
}

// PostgreSQL text and jsonb refuse NUL and lone surrogates; replacing them keeps the entry instead of failing the batch.
const clean = (s: string): string => s.toWellFormed().replaceAll('\u0000', '\uFFFD');

const TOO_DEEP = Symbol('too deep');

/**
 * Cleans strings and keys for PostgreSQL, drops `__proto__` keys (JSON allows them, and any later
 * Object.assign of the attributes would take them for the prototype), and stops at MAX_ATTRIBUTE_DEPTH.
 */
function sanitize(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return clean(v);
  if (typeof v !== 'object' || v === null) return v;
  if (depth >= MAX_ATTRIBUTE_DEPTH) return TOO_DEEP;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      const c = sanitize(x, depth + 1);
      if (c === TOO_DEEP) return TOO_DEEP;
      out.push(c);
    }
    return out;
  }
  const out: [string, unknown][] = [];
  for (const [k, x] of Object.entries(v)) {
    if (k === '__proto__') continue;
    const c = sanitize(x, depth + 1);
    if (c === TOO_DEEP) return TOO_DEEP;
    out.push([clean(k), c]);
  }
  return Object.fromEntries(out);
}
