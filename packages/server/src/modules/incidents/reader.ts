import type { Db, Queryable } from '../../db/types.js';
import { AppError, guardDb } from '../../lib/errors.js';
import { pendingTemplateSamples, templateSamples, templateSeries, type TemplateSample } from '../analysis/index.js';
import { serviceErrorSamples } from '../query/index.js';
import * as repo from './repo-read.js';
import type { IncidentDetail, IncidentPage, IncidentQuery, IncidentSample, IncidentSignal, IncidentStory, IncidentTemplate } from './schema.js';

const MINUTE = 60_000;
/** The chart shows this much before the incident opened and after it resolved. */
const MARGIN_MS = 30 * MINUTE;
/** Per-minute counts are kept 2 days: a longer chart would be zeros (and thousands of points). */
const MAX_SPAN_MS = 2 * 86_400_000;
/** Templates charted and sampled per incident: the first signals' ones. */
const MAX_TEMPLATES = 20;
const SAMPLES_PER_TEMPLATE = 3;

export interface IncidentReader {
  list(q: IncidentQuery): Promise<IncidentPage>;
  get(id: string): Promise<IncidentDetail>;
  /** Open incidents (GET /api/v1/status). */
  openCount(): Promise<number>;
}

const badCursor = (): AppError => new AppError('bad_request', 'before: not a cursor of this list (pass the `next` of the previous page)', [{ field: 'before', reason: 'not a cursor of this list' }]);

/** The opaque `next` of a page: the last row's update time and id. */
export const encodeCursor = (c: repo.ListCursor): string => Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');

/** Reads a `before` cursor back; a 400 when it is not one this list made. */
export function decodeCursor(s: string): repo.ListCursor {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'string') throw badCursor();
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/.test(v[0]) || Number.isNaN(Date.parse(v[0]))) throw badCursor();
  return { at: v[0], id: v[1] };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'info']);

/** The stored story (the ai role's IncidentStory, camelCase) as the API shows it; null when there is none. */
export function storyView(raw: Record<string, unknown> | null, model: string | null, at: string | null, fallbackSeverity: IncidentStory['severity']): IncidentStory | null {
  if (raw === null || typeof raw !== 'object') return null;
  const timeline = Array.isArray(raw.timeline) ? (raw.timeline as Record<string, unknown>[]) : [];
  const severity = text(raw.severity);
  const confidence = Number(raw.confidence);
  return {
    title: text(raw.title),
    summary: text(raw.summary),
    timeline: timeline.filter((e) => e !== null && typeof e === 'object').map((e) => ({ at: text(e.at), text: text(e.text) })),
    first_cause: text(raw.firstCause ?? raw.first_cause),
    affected_services: texts(raw.affectedServices ?? raw.affected_services),
    next_steps: texts(raw.nextSteps ?? raw.next_steps),
    severity: SEVERITIES.has(severity) ? (severity as IncidentStory['severity']) : fallbackSeverity,
    confidence: Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : 0,
    model: model ?? text(raw.model),
    written_at: at ?? text(raw.writtenAt ?? raw.written_at),
  };
}

/** The (template, service) pairs of an incident's template signals, in the order they started, once each. */
function templatePairs(signals: IncidentSignal[]): { templateId: string; service: string; template: string }[] {
  const seen = new Map<string, { templateId: string; service: string; template: string }>();
  for (const s of signals) {
    if (s.template_id === null) continue;
    const key = `${s.template_id}\u0000${s.service}`;
    if (!seen.has(key)) seen.set(key, { templateId: s.template_id, service: s.service, template: s.template });
  }
  return [...seen.values()].slice(0, MAX_TEMPLATES);
}

/** Each template's lines per minute over [fromMs, toMs), zeros filled. */
async function seriesOf(q: Queryable, pairs: ReturnType<typeof templatePairs>, fromMs: number, toMs: number): Promise<IncidentTemplate[]> {
  const out: IncidentTemplate[] = [];
  for (const p of pairs) {
    const counts = new Map((await templateSeries(q, p.templateId, p.service, fromMs, toMs)).map((c) => [c.minuteMs, c.count]));
    const series: IncidentTemplate['series'] = [];
    for (let m = fromMs; m < toMs; m += MINUTE) series.push({ minute: new Date(m).toISOString(), count: counts.get(m) ?? 0 });
    out.push({ id: p.templateId, template: p.template, service: p.service, series });
  }
  return out;
}

/**
 * Up to 3 lines per template, newest first: analysed and pending lines (a new template's lines often
 * all wait for a verdict), then up to 3 error lines of each service with a service-wide signal.
 */
async function samplesOf(q: Queryable, pairs: ReturnType<typeof templatePairs>, signals: IncidentSignal[], beforeMs: number): Promise<IncidentSample[]> {
  const [done, pending] = await Promise.all([templateSamples(q, pairs, beforeMs, SAMPLES_PER_TEMPLATE), pendingTemplateSamples(q, pairs, beforeMs, SAMPLES_PER_TEMPLATE)]);
  const view = (s: { logId: string; ts: string; service: string; level: string; message: string }): IncidentSample => ({ log_id: s.logId, ts: s.ts, service: s.service, level: s.level, message: s.message });
  const out: IncidentSample[] = [];
  for (const p of pairs) {
    const mine = (s: TemplateSample): boolean => s.templateId === p.templateId && s.service === p.service;
    const lines = [...done.filter(mine), ...pending.filter(mine)].sort((a, b) => b.ts.localeCompare(a.ts) || Number(b.logId) - Number(a.logId));
    out.push(...lines.slice(0, SAMPLES_PER_TEMPLATE).map(view));
  }
  const services = [...new Set(signals.filter((s) => s.template_id === null).map((s) => s.service))];
  for (const service of services) out.push(...(await serviceErrorSamples(q, service, beforeMs, SAMPLES_PER_TEMPLATE)).map(view));
  // A service's error line is often also a sample of its new error template: list each line once.
  const seen = new Set<string>();
  return out.filter((s) => !seen.has(s.log_id) && seen.add(s.log_id));
}

/** The incidents API's reads: the list, one incident with its evidence, the open count. */
export function createIncidentReader(deps: { db: Db; now?: () => number }): IncidentReader {
  const now = deps.now ?? Date.now;
  return {
    async list(query) {
      const before = query.before === undefined ? undefined : decodeCursor(query.before);
      const rows = await guardDb(repo.listIncidents(deps.db, { state: query.state, service: query.service, before, limit: query.limit }));
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        incidents: page.map(({ cursor_at: _, ...summary }) => summary),
        next: rows.length > query.limit && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null,
      };
    },
    async get(id) {
      const row = await guardDb(repo.findIncident(deps.db, id));
      if (!row) throw new AppError('not_found', `no incident with id ${id}`);
      const [signals, history] = await guardDb(Promise.all([repo.incidentSignals(deps.db, id), repo.incidentHistory(deps.db, id)]));
      const toMs = Math.floor(Math.min(now(), (row.resolved_ms ?? Infinity) + MARGIN_MS) / MINUTE) * MINUTE + MINUTE;
      const fromMs = Math.max(Math.floor((row.opened_ms - MARGIN_MS) / MINUTE) * MINUTE, toMs - MAX_SPAN_MS);
      const pairs = templatePairs(signals);
      const [templates, samples] = await guardDb(Promise.all([seriesOf(deps.db, pairs, fromMs, toMs), samplesOf(deps.db, pairs, signals, toMs)]));
      const { story, story_model, story_at, opened_ms: _o, resolved_ms: _r, ...summary } = row;
      return { ...summary, story: storyView(story, story_model, story_at, row.severity), signals, templates, samples, history };
    },
    openCount: () => guardDb(repo.countOpenIncidents(deps.db)),
  };
}
