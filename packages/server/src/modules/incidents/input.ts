import type { Queryable } from '../../db/types.js';
import { templateFacts, templateHourCounts, templateHourRange, templateMinuteCounts, type TemplateFacts, type TemplateHourCount } from '../analysis/index.js';
import { serviceFirstSeen, serviceMinuteCounts } from '../query/index.js';
import type { MinuteInput, ServiceSeries, SignalOptions, TemplateSeries } from './types.js';

// Assembles what the detector reads for one minute from the stored counts: template minutes and
// same-hour history (analysis module), service lines and error lines per minute (query module).

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Whole hours before the evaluated one given to the detector (a job that skips hours shows its rhythm). */
const PREV_HOURS = 48;

const pairKey = (templateId: string, service: string): string => `${templateId}\u0000${service}`;

/**
 * What changes by the hour, read once per clock hour instead of once per minute: the previous
 * hours' counts (48 hours of every template) and each template's text, level and first line (a
 * pair new within the hour is read when it first shows). Kept by the loop; lines arriving late for
 * a past hour show from the next hour.
 */
export interface InputCache {
  hourMs?: number;
  prevHours?: Map<string, number[]>;
  facts?: Map<string, TemplateFacts>;
}

async function previousHours(q: Queryable, hour: number, cache: InputCache): Promise<Map<string, number[]>> {
  if (cache.hourMs === hour && cache.prevHours) return cache.prevHours;
  const byPair = new Map<string, number[]>();
  for (const r of await templateHourRange(q, hour - PREV_HOURS * HOUR, hour)) {
    const k = pairKey(r.templateId, r.service);
    let a = byPair.get(k);
    if (!a) byPair.set(k, (a = new Array<number>(PREV_HOURS).fill(0)));
    const i = Math.round((hour - r.hourMs) / HOUR) - 1;
    if (i >= 0 && i < PREV_HOURS) a[i] = (a[i] ?? 0) + r.count;
  }
  cache.hourMs = hour;
  cache.prevHours = byPair;
  cache.facts = new Map();
  return byPair;
}

/** Text, level and first line of each pair, from the cache or read for the pairs it lacks. */
async function factsOf(q: Queryable, pairs: { templateId: string; service: string }[], cache: InputCache): Promise<Map<string, TemplateFacts>> {
  const known = (cache.facts ??= new Map<string, TemplateFacts>());
  const out = new Map<string, TemplateFacts>();
  const missing = pairs.filter((p) => !known.has(pairKey(p.templateId, p.service)));
  for (const f of await templateFacts(q, missing)) {
    out.set(pairKey(f.templateId, f.service), f);
    // A level not found yet (its lines are between ingest and the assign pass) is looked up again next minute.
    if (f.level !== undefined) known.set(pairKey(f.templateId, f.service), f);
  }
  for (const p of pairs) {
    const k = pairKey(p.templateId, p.service);
    const f = known.get(k);
    if (f && !out.has(k)) out.set(k, f);
  }
  return out;
}

/** The detector's input for the minute starting at `minuteMs`: series of `recentMinutes + 1` minutes ending with it. */
export async function minuteInput(q: Queryable, minuteMs: number, o: SignalOptions, cache: InputCache = {}): Promise<MinuteInput> {
  const from = minuteMs - o.recentMinutes * MINUTE;
  const to = minuteMs + MINUTE;
  const width = o.recentMinutes + 1;
  const slot = (m: number): number => Math.round((m - from) / MINUTE);

  const minutes = await templateMinuteCounts(q, from, to);
  const hour = minuteMs - (minuteMs % HOUR);
  const days = Array.from({ length: o.historyDays }, (_, i) => hour - (i + 1) * DAY);
  const history = await templateHourCounts(q, days);

  const series = new Map<string, { templateId: string; service: string; minutes: number[] }>();
  const seriesOf = (templateId: string, service: string) => {
    const k = pairKey(templateId, service);
    let s = series.get(k);
    if (!s) series.set(k, (s = { templateId, service, minutes: new Array<number>(width).fill(0) }));
    return s;
  };
  for (const r of minutes) {
    const s = seriesOf(r.templateId, r.service);
    const i = slot(r.minuteMs);
    if (i >= 0 && i < width) s.minutes[i] = (s.minutes[i] ?? 0) + r.count;
  }
  // A template silent for the whole recent window can still have dropped against its daily
  // baseline: those busy enough at this hour on some previous day to be judged are included.
  const busyPerHour = (o.dropMinExpected * 60) / o.windowMinutes;
  for (const r of history) if (r.count >= busyPerHour) seriesOf(r.templateId, r.service);

  const prev = await previousHours(q, hour, cache);
  const facts = await factsOf(q, [...series.values()], cache);
  const perDay = sameHour(history);
  const services = await serviceInput(q, from, to, width, minuteMs);
  const serviceSince = new Map(services.map((x) => [x.service, x.firstSeenMs]));
  const templates: TemplateSeries[] = [];
  for (const [k, s] of series) {
    const f = facts.get(k);
    const firstCounted = s.minutes.findIndex((n) => n > 0);
    templates.push({
      service: s.service,
      templateId: s.templateId,
      template: f?.template ?? '',
      ...(f?.level !== undefined ? { level: f.level } : {}),
      minutes: s.minutes,
      sameHourPrevDays: days.flatMap((d) => (perDay.services.get(d)?.has(s.service) ? [perDay.counts.get(`${d}\u0000${k}`) ?? 0] : [])),
      prevHours: knownHours(prev.get(k) ?? new Array<number>(PREV_HOURS).fill(0), hour, serviceSince.get(s.service) ?? f?.firstSeenMs ?? minuteMs),
      firstSeenMs: f?.firstSeenMs ?? (firstCounted >= 0 ? from + firstCounted * MINUTE : minuteMs),
    });
  }
  return { minuteMs, templates, services };
}

/** The previous hours, most recent first, without the hours that ended before the service's first line. */
function knownHours(counts: number[], hour: number, since: number): number[] {
  const known = Math.max(0, Math.min(counts.length, Math.ceil((hour - since) / HOUR)));
  return counts.slice(0, known);
}

/** Per previous day's hour: which services logged in it at all (a day without any is left out) and each template's lines. */
function sameHour(history: TemplateHourCount[]): { services: Map<number, Set<string>>; counts: Map<string, number> } {
  const services = new Map<number, Set<string>>();
  const counts = new Map<string, number>();
  for (const r of history) {
    let set = services.get(r.hourMs);
    if (!set) services.set(r.hourMs, (set = new Set()));
    set.add(r.service);
    const k = `${r.hourMs}\u0000${pairKey(r.templateId, r.service)}`;
    counts.set(k, (counts.get(k) ?? 0) + r.count);
  }
  return { services, counts };
}

/** Each service's lines and error lines per minute over the window, zeros filled, with its first stored line. */
async function serviceInput(q: Queryable, from: number, to: number, width: number, minuteMs: number): Promise<ServiceSeries[]> {
  const rows = await serviceMinuteCounts(q, from, to);
  const by = new Map<string, { total: number[]; errors: number[] }>();
  for (const r of rows) {
    let s = by.get(r.service);
    if (!s) by.set(r.service, (s = { total: new Array<number>(width).fill(0), errors: new Array<number>(width).fill(0) }));
    const i = Math.round((r.minuteMs - from) / MINUTE);
    if (i < 0 || i >= width) continue;
    s.total[i] = (s.total[i] ?? 0) + r.total;
    s.errors[i] = (s.errors[i] ?? 0) + r.errors;
  }
  const first = await serviceFirstSeen(q, [...by.keys()]);
  return [...by].map(([service, s]) => ({ service, total: s.total, errors: s.errors, firstSeenMs: first.get(service) ?? Math.min(minuteMs, to) }));
}
