import { utcText } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';

// SQL reading the template counts the assign pass keeps (per minute for 2 days, per hour for the
// retention window), the templates' levels and verdicts, and sample lines: what the incident loop
// and the incident page know about a template.

const ms = (col: string): string => `(extract(epoch from ${col}) * 1000)::float8`;

export interface TemplateMinuteCount {
  minuteMs: number;
  templateId: string;
  service: string;
  count: number;
}

/** Lines per minute, template and service in [fromMs, toMs), minutes in order. */
export async function templateMinuteCounts(q: Queryable, fromMs: number, toMs: number): Promise<TemplateMinuteCount[]> {
  const r = await q.query<{ m: number; template_id: string; service: string; n: number }>(
    `SELECT ${ms('minute')} AS m, template_id, service, count::float8 AS n FROM template_counts_minute
      WHERE minute >= $1::timestamptz AND minute < $2::timestamptz AND count <> 0 ORDER BY minute`,
    [new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
  return r.rows.map((x) => ({ minuteMs: Number(x.m), templateId: x.template_id, service: x.service, count: Number(x.n) }));
}

/** One template's lines per minute in one service over [fromMs, toMs) (the incident page's chart); minutes with none are absent. */
export async function templateSeries(q: Queryable, templateId: string, service: string, fromMs: number, toMs: number): Promise<{ minuteMs: number; count: number }[]> {
  const r = await q.query<{ m: number; n: number }>(
    `SELECT ${ms('minute')} AS m, count::float8 AS n FROM template_counts_minute
      WHERE template_id = $1 AND service = $2 AND minute >= $3::timestamptz AND minute < $4::timestamptz ORDER BY minute`,
    [templateId, service, new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
  return r.rows.map((x) => ({ minuteMs: Number(x.m), count: Number(x.n) }));
}

export interface TemplateHourCount {
  hourMs: number;
  templateId: string;
  service: string;
  count: number;
}

/** Lines per template and service in each of the given whole hours (the same clock hour on previous days). */
export async function templateHourCounts(q: Queryable, hoursMs: number[]): Promise<TemplateHourCount[]> {
  if (hoursMs.length === 0) return [];
  const r = await q.query<{ h: number; template_id: string; service: string; n: number }>(
    `SELECT ${ms('hour')} AS h, template_id, service, count::float8 AS n FROM template_counts_hour WHERE hour = ANY($1::timestamptz[])`,
    [hoursMs.map((h) => new Date(h).toISOString())],
  );
  return r.rows.map((x) => ({ hourMs: Number(x.h), templateId: x.template_id, service: x.service, count: Number(x.n) }));
}

/** Lines per template and service in each whole hour of [fromMs, toMs). */
export async function templateHourRange(q: Queryable, fromMs: number, toMs: number): Promise<TemplateHourCount[]> {
  const r = await q.query<{ h: number; template_id: string; service: string; n: number }>(
    `SELECT ${ms('hour')} AS h, template_id, service, count::float8 AS n FROM template_counts_hour
      WHERE hour >= $1::timestamptz AND hour < $2::timestamptz AND count <> 0`,
    [new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
  return r.rows.map((x) => ({ hourMs: Number(x.h), templateId: x.template_id, service: x.service, count: Number(x.n) }));
}

export interface TemplateFacts {
  templateId: string;
  service: string;
  /** The template text ('' when the template row is gone). */
  template: string;
  /** The most common level among its latest lines (analysed first, then pending); undefined when none is found. */
  level: string | undefined;
  /** Its first line in this service (ms), at minute precision for 2 days and hour precision before; undefined when never counted. */
  firstSeenMs: number | undefined;
}

/**
 * Text, level and first line of each (template, service). The level comes from the template's
 * latest analysed lines; a template whose lines all still wait for a verdict (a new one) is looked
 * up among the pending lines, which only happens while it has no result: through the verdict key
 * index (a template-wide verdict's key is the template id), else (a parameter-dependent template,
 * keyed per value) by reading the pending rows.
 */
export async function templateFacts(q: Queryable, pairs: { templateId: string; service: string }[]): Promise<TemplateFacts[]> {
  if (pairs.length === 0) return [];
  const r = await q.query<{ t: string; s: string; template: string | null; level: string | null; first_minute: number | null; first_hour: number | null }>(
    `SELECT u.t, u.s, lt.template,
            coalesce(
              (SELECT level FROM (SELECT r.level FROM analysis_results r WHERE r.template_id = u.t ORDER BY r.ts DESC LIMIT 20) x
                GROUP BY level ORDER BY count(*) DESC, level LIMIT 1),
              (SELECT l.level FROM analysis_pending p JOIN logs l ON l.id = p.log_id AND l.ts = p.ts WHERE p.verdict_key = u.t AND p.template_id = u.t LIMIT 1),
              (SELECT l.level FROM analysis_pending p JOIN logs l ON l.id = p.log_id AND l.ts = p.ts WHERE p.template_id = u.t LIMIT 1)) AS level,
            (SELECT ${ms('min(minute)')} FROM template_counts_minute m WHERE m.template_id = u.t AND m.service = u.s AND m.count > 0) AS first_minute,
            (SELECT ${ms('min(hour)')} FROM template_counts_hour h WHERE h.template_id = u.t AND h.service = u.s AND h.count > 0) AS first_hour
       FROM unnest($1::text[], $2::text[]) AS u(t, s) LEFT JOIN log_templates lt ON lt.id = u.t`,
    [pairs.map((p) => p.templateId), pairs.map((p) => p.service)],
  );
  return r.rows.map((x) => ({
    templateId: x.t,
    service: x.s,
    template: x.template ?? '',
    level: x.level ?? undefined,
    firstSeenMs: firstSeen(x.first_minute === null ? null : Number(x.first_minute), x.first_hour === null ? null : Number(x.first_hour)),
  }));
}

/**
 * The first line from the minute counts, unless the hourly counts know an earlier hour (minutes are
 * pruned after 2 days). The hour holding the first counted minute always has a row too: it starts
 * before that minute but is no evidence of an earlier line.
 */
function firstSeen(minute: number | null, hour: number | null): number | undefined {
  if (minute === null) return hour ?? undefined;
  if (hour === null) return minute;
  return hour < minute - (minute % 3_600_000) ? hour : minute;
}

export interface TemplateSample {
  templateId: string;
  logId: string;
  ts: string;
  service: string;
  level: string;
  message: string;
}

/** Up to `perTemplate` analysed lines of each (template, service) at or before `beforeMs`, newest first. */
export async function templateSamples(
  q: Queryable,
  pairs: { templateId: string; service: string }[],
  beforeMs: number,
  perTemplate = 3,
): Promise<TemplateSample[]> {
  if (pairs.length === 0) return [];
  const r = await q.query<{ t: string; log_id: string; ts: string; service: string; level: string; message: string }>(
    `SELECT u.t, x.log_id, x.ts, x.service, x.level, x.message
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(t, s, n)
       CROSS JOIN LATERAL (
         SELECT r.log_id::text AS log_id, ${utcText('r.ts')} AS ts, l.service, l.level, l.message
           FROM analysis_results r JOIN logs l ON l.id = r.log_id AND l.ts = r.ts
          WHERE r.template_id = u.t AND r.service = u.s AND r.ts <= $3::timestamptz
          ORDER BY r.ts DESC LIMIT $4) x
      ORDER BY u.n, x.ts DESC`,
    [pairs.map((p) => p.templateId), pairs.map((p) => p.service), new Date(beforeMs).toISOString(), perTemplate],
  );
  return r.rows.map((x) => ({ templateId: x.t, logId: x.log_id, ts: x.ts, service: x.service, level: x.level, message: x.message }));
}

/** The latest finished verdict's summary and severity of each template that has one. */
export async function templateVerdicts(q: Queryable, templateIds: string[]): Promise<Map<string, { summary: string; severity: string }>> {
  if (templateIds.length === 0) return new Map();
  const r = await q.query<{ template_id: string; summary: string | null; severity: string | null }>(
    `SELECT DISTINCT ON (template_id) template_id, result->>'summary' AS summary, result->>'severity' AS severity
       FROM verdicts WHERE template_id = ANY($1::text[]) AND state = 'done' AND result IS NOT NULL
      ORDER BY template_id, analysed_at DESC NULLS LAST`,
    [templateIds],
  );
  return new Map(r.rows.filter((x) => x.summary !== null && x.severity !== null).map((x) => [x.template_id, { summary: x.summary ?? '', severity: x.severity ?? '' }]));
}
