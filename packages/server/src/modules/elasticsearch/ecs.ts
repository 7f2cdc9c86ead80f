import { normalizeLevel } from '../ingest/index.js';

// `log` as a string is Fluent Bit's line (tail and docker inputs); in ECS `log` is an object, so never both.
const MESSAGE_KEYS = ['message', 'msg', 'log', 'event.original', 'log.original', 'error.message'];
const OWN_MESSAGE_KEYS = new Set(['message', 'msg', 'log']);
const LEVEL_KEYS = ['log.level', 'level', 'severity', 'log.syslog.severity.name'];
const SERVICE_KEYS = ['service.name', 'event.dataset', 'data_stream.dataset', 'agent.name', 'host.name'];
const MAX_SERVICE_LENGTH = 200;
// Deeper nesting is kept as one JSON value: a hostile document must not cost unbounded recursion.
const MAX_DEPTH = 16;

/**
 * Flattens nested objects into dotted keys (`{ log: { file: { path } } }` → `log.file.path`).
 * ECS documents arrive nested from Filebeat and dotted from others; one flat form makes the same
 * field the same attribute whichever way it came, and matches the dotted OTLP and Loki attributes.
 */
export function flatten(o: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}, depth = 0): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isObject(v) && depth < MAX_DEPTH && hasKeys(v)) flatten(v, key, out, depth + 1);
    else out[key] = v;
  }
  return out;
}

/** What the ingest service needs from one document, built so odd values never make it unusable. */
export interface NativeEntry {
  timestamp?: unknown;
  message: string;
  /** null: no known level (stored as `unknown`). */
  level: string | null;
  service: string;
  event_id?: string;
  attributes: Record<string, unknown>;
}

/**
 * Maps one ECS document to a native entry. Service: `service.name`, else `event.dataset`, else
 * `data_stream.dataset`, else `agent.name`, else `host.name`, else the index name. A document
 * without a message keeps its whole JSON as the message; an unknown level is stored as `unknown`
 * with the original value left in the attributes.
 */
export function ecsToEntry(doc: Record<string, unknown>, index: string, id: string | undefined): NativeEntry {
  const flat = flatten(doc);
  const timestamp = flat['@timestamp'];
  // Keys that became columns are left out of the attributes (built afresh: `delete` would slow every object down).
  const used = new Set(['@timestamp']);
  const msgKey = MESSAGE_KEYS.find((k) => typeof flat[k] === 'string' && flat[k] !== '');
  const message = msgKey ? (flat[msgKey] as string) : wholeDocument(doc);
  if (msgKey !== undefined && OWN_MESSAGE_KEYS.has(msgKey)) used.add(msgKey);
  const levelKey = LEVEL_KEYS.find((k) => flat[k] !== undefined && flat[k] !== null && flat[k] !== '');
  const level = (levelKey === undefined ? undefined : normalizeLevel(flat[levelKey])) ?? null;
  if (level !== null) used.add(levelKey!);
  const serviceKey = SERVICE_KEYS.find((k) => usableService(flat[k]));
  const service = serviceKey ? (flat[serviceKey] as string) : usableService(index) ? index : 'unknown';
  if (serviceKey === 'service.name') used.add(serviceKey);
  const attributes: Record<string, unknown> = {};
  for (const k in flat) if (!used.has(k)) attributes[k] = flat[k];
  return {
    ...(timestamp === undefined || timestamp === null ? {} : { timestamp }),
    message,
    level,
    service,
    ...(id === undefined ? {} : { event_id: id }),
    attributes,
  };
}

/**
 * The document as its own message. JSON.stringify recurses: a document nested some thousands of
 * levels deep (JSON.parse takes it) overflowed the stack and failed the whole request with a 500.
 * Such a document still gets its per-item answer, from the ingest service's attribute depth check.
 */
function wholeDocument(doc: Record<string, unknown>): string {
  try {
    return JSON.stringify(doc);
  } catch {
    return '(document nested too deeply to show)';
  }
}

function hasKeys(o: Record<string, unknown>): boolean {
  for (const _ in o) return true;
  return false;
}

function usableService(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '' && v.length <= MAX_SERVICE_LENGTH;
}

/** A plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
