import { normalizeLevel, type Level, type SplitBody } from '../ingest/index.js';
import { anyValue, field, idHex, int64, isObj, keyValues, list, OtlpShapeError, text, type Obj } from './values.js';

/** How trace and span ids arrive: hex strings in the JSON mapping, base64 once protobuf bytes are read as strings. */
export type IdEncoding = 'hex' | 'base64';

// SeverityNumber ranges of the OTel log data model: 1-4 TRACE … 21-24 FATAL.
const SEVERITY: Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const SEVERITY_NAME = /^SEVERITY_NUMBER_(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)([234])?$/;

/** OTel's name for the event id of a record (semantic conventions: log.record.uid). */
export const UID_ATTRIBUTE = 'log.record.uid';

/** Flattens an ExportLogsServiceRequest into entries the ingest service reads; throws OtlpShapeError when malformed. */
export function toEntries(request: unknown, ids: IdEncoding): SplitBody {
  if (!isObj(request)) throw new OtlpShapeError('the body must be an ExportLogsServiceRequest object');
  const out: SplitBody = { entries: [], rejections: [] };
  for (const [r, rl] of list(request, 'resourceLogs', 'request').entries()) {
    const where = `resourceLogs[${r}]`;
    const resource = keyValues(list(field(rl, 'resource', where) ?? {}, 'attributes', `${where}.resource`));
    const service = resource['service.name'];
    delete resource['service.name'];
    for (const [s, sl] of list(rl, 'scopeLogs', where).entries()) {
      const scope = scopeAttributes(field(sl, 'scope', `${where}.scopeLogs[${s}]`));
      const base = { ...resource, ...scope };
      for (const record of list(sl, 'logRecords', `${where}.scopeLogs[${s}]`)) {
        out.entries.push({ index: out.entries.length, value: toEntry(record, base, service, ids) });
      }
    }
  }
  return out;
}

function scopeAttributes(scope: Obj | undefined): Obj {
  if (!scope) return {};
  const out: Obj = {};
  if (text(scope, 'name')) out['otel.scope.name'] = text(scope, 'name');
  if (text(scope, 'version')) out['otel.scope.version'] = text(scope, 'version');
  const attrs = keyValues(Array.isArray(scope.attributes) ? scope.attributes : []);
  if (Object.keys(attrs).length > 0) out['otel.scope.attributes'] = attrs;
  return out;
}

/** One LogRecord as a native entry: time in nanoseconds, level, service, message, attributes, event id. */
function toEntry(rec: Obj, base: Obj, service: unknown, ids: IdEncoding): Obj {
  const attributes: Obj = { ...base, ...keyValues(Array.isArray(rec.attributes) ? rec.attributes : []) };
  const entry: Obj = { service: typeof service === 'string' && service.trim() !== '' ? service : 'unknown' };
  const time = nonZero(rec.timeUnixNano) ?? nonZero(rec.observedTimeUnixNano);
  // A present but unreadable time is handed on as is, so the record is refused with a reason.
  if (time !== undefined) entry.timestamp = nanosToIso(time);
  else if (rec.timeUnixNano !== undefined && int64(rec.timeUnixNano) === undefined) entry.timestamp = rec.timeUnixNano;
  const severityText = text(rec, 'severityText');
  // No severity (or an unknown text) is left out: the ingest service stores it as 'unknown'.
  const level = severityLevel(rec.severityNumber) ?? normalizeLevel(severityText);
  if (level !== undefined && level !== 'unknown') entry.level = level;
  if (severityText) attributes.severity_text = severityText;
  const body = anyValue(rec.body);
  const eventName = text(rec, 'eventName');
  if (typeof body === 'string') entry.message = body.trim() === '' && eventName ? eventName : body;
  else if (body === null) entry.message = eventName;
  else {
    // A structured body is searchable as JSON text and kept whole as an attribute; scalars are their text.
    entry.message = JSON.stringify(body);
    if (typeof body === 'object') attributes.body = body;
  }
  if (eventName) attributes.event_name = eventName;
  const traceId = idHex(rec.traceId, ids);
  const spanId = idHex(rec.spanId, ids);
  if (traceId) attributes.trace_id = traceId;
  if (spanId) attributes.span_id = spanId;
  if (typeof rec.flags === 'number' && rec.flags !== 0) attributes.trace_flags = rec.flags.toString(16).padStart(2, '0');
  const uid = attributes[UID_ATTRIBUTE];
  if ((typeof uid === 'string' && uid !== '') || typeof uid === 'number') entry.event_id = uid;
  entry.attributes = attributes;
  return entry;
}

/**
 * OTLP times are always nanoseconds: written as ISO text (microseconds kept) so the ingest side does
 * not guess the unit from the magnitude, which would read an early nanosecond time as milliseconds.
 */
function nanosToIso(ns: string): string {
  const n = BigInt(ns);
  const iso = new Date(Number(n / 1_000_000n)).toISOString();
  return `${iso.slice(0, -1)}${String((n / 1000n) % 1000n).padStart(3, '0')}Z`;
}

const nonZero = (v: unknown): string | undefined => {
  const s = int64(v);
  return s === undefined || /^0+$/.test(s) ? undefined : s;
};

function severityLevel(raw: unknown): Level | undefined {
  if (typeof raw === 'string') {
    const m = SEVERITY_NAME.exec(raw);
    if (m) return SEVERITY[['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].indexOf(m[1]!)];
    raw = /^\d+$/.test(raw) ? Number(raw) : undefined;
  }
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > 24) return undefined;
  return SEVERITY[Math.floor((raw - 1) / 4)];
}
