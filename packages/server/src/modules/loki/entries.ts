import { createHash } from 'node:crypto';
import { normalizeLevel, type SplitBody } from '../ingest/index.js';
import { jsonText, type LokiStream } from './decode.js';

const SERVICE_LABELS = ['service_name', 'service', 'app', 'job'];
const LEVEL_LABELS = ['level', 'detected_level', 'severity'];
const MAX_SERVICE_LENGTH = 200;
const LINE_LEVEL = /(?:^|\s)(?:level|lvl|severity)=("?)([A-Za-z]+)\1(?:\s|$)/;

/**
 * Turns decoded streams into ingest entries. Service: label `service_name`, else `service`, `app`,
 * `job`. Level: label `level`, `detected_level` or `severity` (labels first, then structured
 * metadata), else a `level` field of a JSON line or a `level=` pair of a logfmt line. Every other
 * label and the structured metadata become attributes.
 */
export function streamsToEntries(streams: LokiStream[]): SplitBody {
  const out: SplitBody = { entries: [], rejections: [] };
  for (const stream of streams) {
    const canonical = JSON.stringify(Object.entries(stream.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const serviceKey = SERVICE_LABELS.find((k) => usable(stream.labels[k]));
    for (const e of stream.entries) {
      const index = out.entries.length + out.rejections.length;
      if (typeof e.ns !== 'string' || !/^\d{1,20}$/.test(e.ns)) {
        out.rejections.push({ index, field: 'timestamp', reason: `timestamp must be a string of Unix epoch nanoseconds, got ${jsonText(e.ns)}` });
        continue;
      }
      const line = typeof e.line === 'string' ? e.line : '';
      const { level, from } = levelOf(stream.labels, e.metadata, line);
      const attributes: Record<string, unknown> = {};
      for (const k in e.metadata) if (k !== from) attributes[k] = e.metadata[k];
      for (const k in stream.labels) if (k !== serviceKey && k !== from) attributes[k] = stream.labels[k];
      out.entries.push({
        index,
        value: {
          timestamp: e.ns,
          message: line,
          level,
          service: serviceKey ? stream.labels[serviceKey] : 'unknown',
          // Loki keeps one copy of an identical (stream, timestamp, line): so does this id, so a
          // client's resend after a lost answer is stored once.
          event_id: `loki:${createHash('sha256').update(`${canonical}\n${e.ns}\n${line}`).digest('base64url')}`,
          attributes,
        },
      });
    }
  }
  return out;
}

/** The entry's level and the label it came from (left out of the attributes: it is the level column). */
function levelOf(labels: Record<string, string>, meta: Record<string, string>, line: string): { level: string | null; from?: string } {
  for (const source of [labels, meta]) {
    for (const k of LEVEL_LABELS) {
      const level = source[k] === undefined ? undefined : normalizeLevel(source[k]);
      if (level && level !== 'unknown') return { level, from: k };
    }
  }
  return { level: levelFromLine(line) };
}

/** A level written in the line itself: a JSON object's level/severity, or logfmt `level=`; null when none (stored as unknown). */
function levelFromLine(line: string): string | null {
  const t = line.trimStart();
  if (t.startsWith('{') && t.length < 65_536) {
    try {
      const o = JSON.parse(t) as Record<string, unknown>;
      const raw = o.level ?? o.severity ?? o.lvl;
      return (raw === undefined ? undefined : normalizeLevel(raw)) ?? null;
    } catch {
      return null;
    }
  }
  const m = LINE_LEVEL.exec(line);
  return (m ? normalizeLevel(m[2]) : undefined) ?? null;
}

function usable(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== '' && v.length <= MAX_SERVICE_LENGTH;
}
