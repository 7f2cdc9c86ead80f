// The signal detector: judges one closed minute of per-template and per-service counts and says
// what is unusual in it. Pure and deterministic (no clock, no I/O): the worker loop and
// bench/incidents feed it the same MinuteInput and get the same observations.
import { median, sum, windowStats } from './count-stats.js';
import type { IncidentSeverity, MinuteInput, ServiceSeries, SignalObservation, SignalOptions, TemplateSeries } from './types.js';

const MINUTE = 60_000;
/**
 * Standard deviations a window must lie beyond its expectation. Counts of independent lines are
 * Poisson (sd = sqrt(mean)); a factor alone is crossed by chance whenever the expectation is
 * small (4 × 5 lines), while 4 sd is crossed by a steady template about once in 30,000 windows.
 * A real change (a factor of 4 on 20+ lines) is far beyond both.
 */
const NOISE_SIGMAS = 4;
/**
 * A drop needs the template in most of its baseline minutes. A template that is often absent
 * arrives in bursts (batch jobs, retries): its empty windows are its normal rhythm, and silence is
 * only news for a template that is usually there.
 */
const MIN_PRESENCE = 0.5;
/**
 * A template whose lines fill far fewer of its recent minutes than independent lines at its recent
 * mean would (less than this share of them) sends its lines in clumps: a batch job, an hourly
 * cron. One burst can carry the whole hour's lines, so its expectation for a window is its usual
 * hour, not a 12th of it; otherwise every burst whose predecessor lies beyond the recent minutes
 * looks like a spike. A steady sparse template fills about the share Poisson predicts (its lines
 * rarely share a minute), so it keeps the ordinary expectation.
 */
const BURSTY_FILL = 0.5;
/**
 * A steady template (lines in at least this share of its baseline minutes) that has been silent for
 * the last few whole minutes stopped, once silence that long would be this unlikely by chance: at
 * its usual rate λ per minute, k silent minutes have the Poisson probability e^(-λk), and λk ≥ 16
 * is under 1 in 8 million (once in a few days across a thousand templates judged every minute). A
 * chatty template (10 lines a minute) is then seen to stop after 2 silent minutes instead of once
 * its whole window is empty; a slower one needs longer, down to the window rule below.
 */
const STEADY_PRESENCE = 0.9;
const SILENCE_NATS = 16;
const MIN_SILENT_MINUTES = 2;
/**
 * Previous hours with lines a template needs before its usual active hour says anything: a batch
 * job runs many times in two days, while a template seen in a handful of hours (yesterday's
 * incident) is no pattern to excuse a burst with.
 */
const RECURRING_HOURS = 6;

/** What one template's recent minutes say it should do in a window. */
interface Recent {
  expected: number;
  /** Variance of a window's count, from the spread of the baseline minutes (at least Poisson's). */
  variance: number;
  /** Share of baseline minutes with at least one line. */
  presence: number;
  /** The median window of the baseline and its variance from the median absolute deviation. */
  typical: number;
  typicalVariance: number;
  minutes: number;
}

/** Everything judged for a template in this minute: observed lines and the baselines. */
interface Judged {
  observed: number;
  recent: Recent;
  /** Expected lines in the window from the same hour on previous days, when enough days exist. */
  daily: { expected: number; days: number; bursty: boolean } | null;
  /** Whole minutes without a line at the end of the window. */
  silent: number;
}

/** Detects the signals of one minute, strongest first (then by service and template). */
export function detectSignals(input: MinuteInput, o: SignalOptions): SignalObservation[] {
  const firstSeen = serviceFirstSeen(input);
  const out: SignalObservation[] = [];
  for (const t of input.templates) {
    const since = firstSeen.get(t.service) ?? t.firstSeenMs;
    // A service younger than the warm-up has no baseline: everything it logs is "new" and every
    // rate climbs from zero, which says nothing about trouble.
    if (input.minuteMs - since < o.warmupMinutes * MINUTE) continue;
    const fresh = newTemplate(t, input.minuteMs, o);
    if (fresh) out.push(fresh);
    // Rates are judged on the minutes since the template itself appeared: before that its zeros
    // say it did not exist, not that it was quiet, and its arrival is new_template's to report
    // (with its rule that a new info line in small numbers is not trouble).
    const judged = judge(t, input.minuteMs, Math.max(since, t.firstSeenMs), o);
    if (!judged) continue;
    const spike = rateSpike(t, judged, input.minuteMs, o);
    if (spike) out.push(spike);
    const drop = rateDrop(t, judged, input.minuteMs, o);
    if (drop) out.push(drop);
  }
  for (const s of input.services) {
    if (input.minuteMs - s.firstSeenMs < o.warmupMinutes * MINUTE) continue;
    const shift = errorShare(s, input.minuteMs, o);
    if (shift) out.push(shift);
  }
  return out.sort(byStrength);
}

function byStrength(a: SignalObservation, b: SignalObservation): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.service !== b.service) return a.service < b.service ? -1 : 1;
  const ta = a.templateId ?? '';
  const tb = b.templateId ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

/** A service's first line: its series says so; a service only seen through templates takes their earliest. */
function serviceFirstSeen(input: MinuteInput): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of input.templates) m.set(t.service, Math.min(m.get(t.service) ?? Infinity, t.firstSeenMs));
  for (const s of input.services) m.set(s.service, s.firstSeenMs);
  return m;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Splits a series into the window (the last windowMinutes entries) and the baseline minutes
 * before it, leaving out minutes before `since` (a service that did not exist then logged zero
 * lines for a reason that is not a change).
 */
function split(series: readonly number[], minuteMs: number, since: number, o: SignalOptions): { window: number[]; base: number[] } {
  const n = series.length;
  const w = Math.min(o.windowMinutes, n);
  const firstMinute = Math.floor(since / MINUTE) * MINUTE;
  const start = Math.max(0, n - 1 - Math.floor((minuteMs - firstMinute) / MINUTE));
  return { window: series.slice(n - w), base: series.slice(Math.min(start, n - w), n - w) };
}

function judge(t: TemplateSeries, minuteMs: number, since: number, o: SignalOptions): Judged | null {
  const { window, base } = split(t.minutes, minuteMs, since, o);
  // Fewer baseline minutes than two windows give no mean or spread worth trusting.
  if (base.length < 2 * o.windowMinutes) return null;
  // Most templates most minutes can be neither: a spike needs spikeMinCount lines, a drop needs
  // the window under dropFactor of a typical window (at most windowMinutes x the busiest minute).
  // Skipping the baseline statistics for them keeps the cost per template small.
  const observed = sum(window);
  let silent = 0;
  while (silent < window.length && window[window.length - 1 - silent] === 0) silent++;
  if (observed < o.spikeMinCount && silent < MIN_SILENT_MINUTES && observed > o.dropFactor * o.windowMinutes * Math.max(0, ...base)) return null;
  const mean = sum(base) / base.length;
  const recent: Recent = {
    expected: mean * o.windowMinutes,
    ...windowStats(base, mean, o.windowMinutes),
    presence: base.filter((x) => x > 0).length / base.length,
    minutes: base.length,
  };
  const days = t.sameHourPrevDays.slice(0, o.historyDays);
  const sameHour = days.length > 0 ? median(days) : 0;
  // The usual hour of a template when it is active: the same hour on previous days, or (for a
  // job that skips some hours) the median of its recent active hours, whichever is larger.
  const active = (t.prevHours ?? []).filter((x) => x > 0);
  const hour = Math.max(sameHour, active.length >= RECURRING_HOURS ? median(active) : 0);
  // Silent for the whole recent hour while its usual hour holds lines: they come in bursts too
  // (or it resumes after a stop, which is no spike either).
  const bursty = mean > 0 ? recent.presence < BURSTY_FILL * (1 - Math.exp(-mean)) : hour > 0;
  // One previous day is enough to know a template sends its hour in bursts (it only makes the
  // detector less eager about that template), so the previous hour's expectation takes the usual
  // hour as its floor; calling a rate abnormal by the day's rhythm still needs minHistoryDays.
  if (bursty) recent.expected = Math.max(recent.expected, hour);
  const daily = days.length >= o.minHistoryDays
    ? { expected: bursty ? hour : (sameHour / 60) * o.windowMinutes, days: days.length, bursty }
    : null;
  return { observed, recent, daily, silent };
}

function levelSeverity(level: string | undefined): IncidentSeverity {
  const l = (level ?? '').toLowerCase();
  if (l === 'fatal') return 'critical';
  if (l === 'error') return 'high';
  if (l === 'warn' || l === 'warning') return 'medium';
  return 'low';
}

const isErrorLevel = (level: string | undefined): boolean => ['error', 'fatal'].includes((level ?? '').toLowerCase());

function newTemplate(t: TemplateSeries, minuteMs: number, o: SignalOptions): SignalObservation | null {
  const count = t.minutes[t.minutes.length - 1] ?? 0;
  if (count <= 0 || t.firstSeenMs < minuteMs || t.firstSeenMs >= minuteMs + MINUTE) return null;
  const severity = levelSeverity(t.level);
  // A new info or debug line is a new code path, not trouble, unless it arrives in bulk.
  const threshold = severity === 'low' ? o.spikeMinCount : 1;
  if (count < threshold) return null;
  return {
    kind: 'new_template', service: t.service, templateId: t.templateId, template: t.template, minuteMs, severity,
    observed: count, expected: 0, score: count / threshold, baseline: 'first seen in this service',
  };
}

/** The spike threshold for one baseline: factor, minimum count and noise, whichever is highest. */
function spikeThreshold(expected: number, variance: number, o: SignalOptions): { floor: number; noise: number } {
  const e = Math.max(expected, 1);
  return { floor: Math.max(o.spikeFactor * e, o.spikeMinCount), noise: e + NOISE_SIGMAS * Math.sqrt(Math.max(e, variance)) };
}

function rateSpike(t: TemplateSeries, j: Judged, minuteMs: number, o: SignalOptions): SignalObservation | null {
  const recent = spikeThreshold(j.recent.expected, j.recent.variance, o);
  if (j.observed < recent.floor || j.observed <= recent.noise) return null;
  // With daily history, the same hour on previous days must agree: a rise the day's rhythm brings
  // every morning is not a spike. Without it the previous hour alone decides. The previous hour
  // is always asked as well, so a level that has held for an hour (the new normal after a
  // deploy) is not reported for the rest of the day.
  let expected = Math.max(j.recent.expected, 1);
  let threshold = Math.max(recent.floor, recent.noise);
  let baseline = `previous ${j.recent.minutes} minutes`;
  if (j.daily) {
    const daily = spikeThreshold(j.daily.expected, j.recent.variance, o);
    if (j.observed < daily.floor || j.observed <= daily.noise) return null;
    expected = Math.max(j.daily.expected, 1);
    threshold = Math.max(daily.floor, daily.noise);
    baseline = `same hour on ${j.daily.days} previous days${j.daily.bursty ? ', in bursts' : ''}`;
  }
  return {
    kind: 'rate_spike', service: t.service, templateId: t.templateId, template: t.template, minuteMs,
    severity: isErrorLevel(t.level) ? 'high' : 'medium',
    observed: j.observed, expected: round2(expected), score: j.observed / threshold, baseline,
  };
}

/** Whether `observed` is a drop against one baseline; null when not. */
function isDrop(observed: number, expected: number, variance: number, o: SignalOptions): boolean {
  return expected >= o.dropMinExpected && observed <= o.dropFactor * expected
    && observed < expected - NOISE_SIGMAS * Math.sqrt(Math.max(expected, variance));
}

/** Whether `silent` whole minutes at `perWindow` lines per window are a stop (see SILENCE_NATS). */
function isSilence(silent: number, perWindow: number, presence: number, o: SignalOptions): boolean {
  return perWindow >= o.dropMinExpected && silent >= MIN_SILENT_MINUTES && presence >= STEADY_PRESENCE && (perWindow / o.windowMinutes) * silent >= SILENCE_NATS;
}

function rateDrop(t: TemplateSeries, j: Judged, minuteMs: number, o: SignalOptions): SignalObservation | null {
  // Error lines falling silent is recovery (the trouble they reported stopped), not a new trouble.
  if (isErrorLevel(t.level) || j.recent.presence < MIN_PRESENCE) return null;
  // As for spikes: the previous hour must show the fall (a sudden silence), and with daily history
  // the same hour on previous days must expect the lines too (a template that is quiet every
  // night at this hour is not dropping).
  const stopped = (perWindow: number): boolean => isSilence(j.silent, perWindow, j.recent.presence, o);
  if (!stopped(j.recent.typical) && !isDrop(j.observed, j.recent.typical, j.recent.typicalVariance, o)) return null;
  let expected = j.recent.typical;
  let baseline = `previous ${j.recent.minutes} minutes`;
  if (j.daily) {
    if (!(stopped(j.daily.expected) && stopped(j.recent.typical)) && !isDrop(j.observed, j.daily.expected, j.recent.typicalVariance, o)) return null;
    expected = j.daily.expected;
    baseline = `same hour on ${j.daily.days} previous days`;
  }
  return {
    kind: 'rate_drop', service: t.service, templateId: t.templateId, template: t.template, minuteMs, severity: 'medium',
    observed: j.observed, expected: round2(expected), score: (o.dropFactor * expected + 1) / (j.observed + 1), baseline,
  };
}

function errorShare(s: ServiceSeries, minuteMs: number, o: SignalOptions): SignalObservation | null {
  const total = split(s.total, minuteMs, s.firstSeenMs, o);
  const errors = split(s.errors, minuteMs, s.firstSeenMs, o);
  const baseTotal = sum(total.base);
  const windowTotal = sum(total.window);
  const observed = sum(errors.window);
  // No lines in the baseline, no share to compare with (rate signals still see the service).
  if (baseTotal <= 0 || windowTotal <= 0 || observed < o.errorMinCount) return null;
  const baseShare = sum(errors.base) / baseTotal;
  const share = observed / windowTotal;
  const expected = baseShare * windowTotal;
  // Error lines in a window of few lines are a coin toss: the count must also be beyond the
  // noise of the errors the baseline share predicts, as for rate spikes.
  if (share - baseShare < o.errorShareDelta || observed <= expected + NOISE_SIGMAS * Math.sqrt(Math.max(expected, 1))) return null;
  return {
    kind: 'error_share', service: s.service, templateId: null, template: 'error and fatal lines', minuteMs, severity: 'high',
    observed, expected: round2(expected), score: (share - baseShare) / o.errorShareDelta,
    baseline: `error share ${(baseShare * 100).toFixed(1)}% in previous ${total.base.length} minutes`,
  };
}
