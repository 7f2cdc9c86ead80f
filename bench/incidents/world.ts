// Simulated traffic: per-minute line counts of ~80 templates in 6 services over 2 days of history
// and the evaluated day, with planted incidents of several shapes. Everything comes from one seed.
import { rng, type Rng } from './prng.js';

export const DAY = 1440;
export const HISTORY_DAYS = 2;
/** Minutes simulated: the history days, then the evaluated day. */
export const TOTAL = (HISTORY_DAYS + 1) * DAY;
export const EVAL_FROM = HISTORY_DAYS * DAY;
export const START_MS = Date.UTC(2030, 0, 1);
export const MINUTE = 60_000;

export type Nature = 'rhythm' | 'flat' | 'bursty' | 'harmless_new' | 'planted';
export type Shape = 'new_error' | 'burst' | 'stop' | 'cascade' | 'error_share' | 'crash';
export const SHAPES: Shape[] = ['new_error', 'burst', 'stop', 'cascade', 'error_share', 'crash'];

export interface Service { name: string; startMinute: number; amplitude: number; phase: number }

export interface Template {
  id: string;
  service: string;
  template: string;
  level: string;
  nature: Nature;
  /** Mean lines per minute before the daily rhythm (bursty: mean burst size). */
  base: number;
  startMinute: number;
  /** Bursty templates: minutes between bursts (give or take 30%). */
  period?: number;
  counts: Int32Array;
}

export interface Planted { id: string; shape: Shape; start: number; end: number; services: string[]; templates: string[] }

export interface World { services: Service[]; templates: Template[]; planted: Planted[] }

const SERVICE_NAMES = ['checkout-api', 'payment-svc', 'inventory', 'auth', 'search', 'notifier'];
/** Two services start partway: one a day and a half before the evaluated day ends, one during it. */
const LATE_START: Record<string, number> = { search: DAY + 14 * 60, notifier: EVAL_FROM + 8 * 60 };

/** The service's daily rhythm: users by day, few at night (the same shape every day). */
export function rhythm(s: Service, minute: number): number {
  return 1 + s.amplitude * Math.sin(2 * Math.PI * (minute / DAY - s.phase));
}

class Builder {
  readonly templates: Template[] = [];
  readonly planted: Planted[] = [];
  constructor(readonly r: Rng, readonly services: Service[]) {}

  service(name: string): Service {
    const s = this.services.find((x) => x.name === name);
    if (!s) throw new Error(`no service ${name}`);
    return s;
  }

  add(service: string, level: string, nature: Nature, base: number, startMinute: number): Template {
    const k = this.templates.filter((t) => t.service === service).length;
    const t: Template = {
      id: `${service}:${k}`, service, template: `${service} ${level} message ${k} <*>`, level, nature, base, startMinute,
      counts: new Int32Array(TOTAL),
    };
    this.templates.push(t);
    return t;
  }

  /** Expected lines per minute of a template at a minute (before anything planted). */
  rate(t: Template, minute: number): number {
    if (minute < t.startMinute || t.nature === 'bursty' || t.nature === 'planted') return 0;
    return t.nature === 'flat' ? t.base : t.base * rhythm(this.service(t.service), minute);
  }

  fill(t: Template): void {
    if (t.nature === 'bursty') return this.fillBursts(t);
    for (let m = t.startMinute; m < TOTAL; m++) t.counts[m] = this.r.poisson(this.rate(t, m));
  }

  /** A batch job: a burst every `period` minutes give or take 30%, nothing between. */
  fillBursts(t: Template): void {
    const period = this.r.int(5, 90);
    t.period = period;
    for (let m = t.startMinute + this.r.int(0, period); m < TOTAL; m += Math.max(1, Math.round(period * (0.7 + 0.6 * this.r.next())))) {
      const size = this.r.poisson(t.base);
      const spread = this.r.int(1, 2);
      for (let k = 0; k < spread && m + k < TOTAL; k++) t.counts[m + k] = (t.counts[m + k] ?? 0) + Math.round(size / spread);
    }
  }

  addLines(t: Template, from: number, to: number, perMinute: (m: number) => number): void {
    for (let m = from; m < to && m < TOTAL; m++) t.counts[m] = (t.counts[m] ?? 0) + this.r.poisson(perMinute(m));
  }
}

function baseTraffic(b: Builder): void {
  const r = b.r;
  for (const s of b.services) {
    const levels = ['info', 'info', 'info', 'info', 'info', 'info', 'info', 'debug', 'warn', 'warn', 'error', 'error'];
    for (const level of levels) {
      const hi = level === 'error' ? 1 : level === 'warn' ? 3 : level === 'debug' ? 20 : 60;
      const lo = level === 'error' ? 0.01 : 0.05;
      b.add(s.name, level, r.next() < 0.3 ? 'flat' : 'rhythm', r.logUniform(lo, hi), s.startMinute);
    }
    b.add(s.name, r.pick(['info', 'warn']), 'bursty', r.logUniform(20, 300), s.startMinute);
  }
  // New code paths after deploys: new info templates at modest rates, any time, in any service.
  for (let k = 0; k < 12; k++) {
    const s = r.pick(b.services);
    b.add(s.name, 'info', 'rhythm', r.logUniform(0.05, 8), Math.max(s.startMinute, r.int(0, TOTAL - 60))).nature = 'harmless_new';
  }
  for (const t of b.templates) b.fill(t);
}

/** A service old enough at `minute` that its own warm-up and baselines exist (2 hours). */
function settledServices(b: Builder, minute: number): Service[] {
  return b.services.filter((s) => minute - s.startMinute >= 120);
}

function newError(b: Builder, service: string, start: number, dur: number): Template {
  const t = b.add(service, b.r.next() < 0.3 ? 'fatal' : 'error', 'planted', 0, start);
  const rate = b.r.logUniform(1, 20);
  b.addLines(t, start, start + dur, () => rate);
  t.counts[start] = Math.max(1, t.counts[start] ?? 0);
  return t;
}

/** An existing template's lines multiplied 5-30 times (at least 5 lines a minute). */
function burst(b: Builder, service: string, start: number, dur: number, levels: string[]): Template | null {
  const pool = b.templates.filter((t) => t.service === service && levels.includes(t.level) && b.rate(t, start) >= 0.3 && t.startMinute < start - 120);
  if (pool.length === 0) return null;
  const t = b.r.pick(pool);
  const k = b.r.logUniform(5, 30);
  b.addLines(t, start, start + dur, (m) => Math.max(b.rate(t, m) * (k - 1), 5));
  return t;
}

/** A chatty template (>= 10 lines a minute now) falls silent. */
function stop(b: Builder, service: string, start: number, dur: number): Template | null {
  const pool = b.templates.filter((t) => t.service === service && b.rate(t, start) >= 10);
  if (pool.length === 0) return null;
  const t = b.r.pick(pool);
  for (let m = start; m < start + dur && m < TOTAL; m++) t.counts[m] = 0;
  return t;
}

function errorShare(b: Builder, service: string, start: number, dur: number): Template[] | null {
  const errs = b.templates.filter((t) => t.service === service && t.level === 'error' && t.startMinute < start - 120);
  if (errs.length === 0) return null;
  const share = b.r.logUniform(0.3, 0.6);
  const total = (m: number): number => b.templates.filter((t) => t.service === service).reduce((a, t) => a + b.rate(t, m), 0);
  for (const t of errs) b.addLines(t, start, start + dur, (m) => (share / (1 - share)) * total(m) / errs.length);
  return errs;
}

/** Plants one incident of `shape` at `start`; null when the chosen service has nothing that fits. */
function plant(b: Builder, shape: Shape, start: number, id: string): Planted | null {
  const r = b.r;
  const pool = settledServices(b, start);
  const s = r.pick(pool).name;
  const dur = r.int(5, 25);
  const make = (services: string[], ts: (Template | null)[], end: number): Planted | null =>
    ts.some((t) => t === null) ? null : { id, shape, start, end, services, templates: ts.map((t) => t?.id ?? '') };
  switch (shape) {
    case 'new_error': return make([s], [newError(b, s, start, dur)], start + dur);
    case 'burst': return make([s], [burst(b, s, start, dur, ['info', 'debug', 'warn', 'error'])], start + dur);
    case 'stop': {
      const d = r.int(10, 40);
      return make([s], [stop(b, s, start, d)], start + d);
    }
    case 'crash': return make([s], [stop(b, s, start, dur + 5), newError(b, s, start + r.int(0, 2), dur)], start + dur + 5);
    case 'error_share': {
      const errs = errorShare(b, s, start, dur);
      return errs ? { id, shape, start, end: start + dur, services: [s], templates: [] } : null;
    }
    case 'cascade': {
      const other = r.pick(pool.filter((x) => x.name !== s)).name;
      const lag = r.int(1, 4);
      const first = r.next() < 0.5 ? newError(b, s, start, dur) : burst(b, s, start, dur, ['warn', 'error']);
      const second = r.next() < 0.5 ? newError(b, other, start + lag, dur) : burst(b, other, start + lag, dur, ['info', 'warn', 'error']);
      return make([s, other], [first, second], start + lag + dur);
    }
  }
}

/** Builds the world for a seed: base traffic, then at least `count` planted incidents at irregular gaps. */
export function buildWorld(seed: number, count: number): World {
  const r = rng(seed);
  const services = SERVICE_NAMES.map((name) => ({ name, startMinute: LATE_START[name] ?? 0, amplitude: r.logUniform(0.3, 0.9), phase: r.next() }));
  const b = new Builder(r, services);
  baseTraffic(b);
  const order = [...SHAPES, ...SHAPES, ...SHAPES, ...SHAPES];
  for (let i = order.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [order[i], order[j]] = [order[j] ?? 'burst', order[i] ?? 'burst'];
  }
  let start = EVAL_FROM + r.int(60, 120);
  for (let i = 0; b.planted.length < count && start < TOTAL - 90; i++) {
    const shape = order[i % order.length] ?? 'burst';
    const p = plant(b, shape, start, `p${b.planted.length + 1}`);
    if (!p) continue;
    b.planted.push(p);
    start = p.end + r.int(15, 60);
  }
  return { services, templates: b.templates, planted: b.planted };
}
