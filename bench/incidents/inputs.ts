// Assembles each minute's MinuteInput from the simulated counts the way the worker assembles it
// from the database: template_counts_minute for the recent minutes, template_counts_hour for the
// same hour on previous days, log_counts_minute for service totals and errors, first-seen times.
import type { MinuteInput, ServiceSeries, SignalOptions, TemplateSeries } from '../../packages/server/src/modules/incidents/types.js';
import { MINUTE, START_MS, type Template, type World } from './world.js';

const isError = (level: string): boolean => level === 'error' || level === 'fatal';

export class Counts {
  private readonly hourTotals = new Map<string, Int32Array>();
  private readonly firstMinute = new Map<string, number>();
  private readonly serviceFirst = new Map<string, number>();
  private readonly serviceTotal = new Map<string, Int32Array>();
  private readonly serviceErrors = new Map<string, Int32Array>();
  private readonly serviceFirstMs = new Map<string, number>();

  /** `prevHours: false` leaves the optional TemplateSeries.prevHours out, as an assembler that does not fill it. */
  constructor(private readonly world: World, private readonly o: SignalOptions, private readonly withPrevHours = true) {
    for (const t of world.templates) {
      const hours = new Int32Array(Math.ceil(t.counts.length / 60));
      t.counts.forEach((c, m) => { hours[Math.floor(m / 60)] = (hours[Math.floor(m / 60)] ?? 0) + c; });
      this.hourTotals.set(t.id, hours);
      const first = t.counts.findIndex((c) => c > 0);
      if (first >= 0) this.firstMinute.set(t.id, first);
      if (first >= 0) this.serviceFirst.set(t.service, Math.min(this.serviceFirst.get(t.service) ?? Infinity, first));
      const total = this.serviceTotal.get(t.service) ?? new Int32Array(t.counts.length);
      const errors = this.serviceErrors.get(t.service) ?? new Int32Array(t.counts.length);
      t.counts.forEach((c, m) => {
        total[m] = (total[m] ?? 0) + c;
        if (isError(t.level)) errors[m] = (errors[m] ?? 0) + c;
      });
      this.serviceTotal.set(t.service, total);
      this.serviceErrors.set(t.service, errors);
    }
    // The service's first line is its earliest template's first line.
    for (const t of world.templates) {
      const first = this.firstMinute.get(t.id);
      if (first === undefined) continue;
      const ms = this.firstSeenMs(t.id, first);
      this.serviceFirstMs.set(t.service, Math.min(this.serviceFirstMs.get(t.service) ?? Infinity, ms));
    }
  }

  /** A first line somewhere inside its first minute, as a stored timestamp would be. */
  private firstSeenMs(id: string, minute: number): number {
    let h = 0;
    for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return START_MS + minute * MINUTE + (h % 60) * 1000;
  }

  /** The service's lines in an hour (whether template_counts_hour holds any row of it then). */
  private serviceHour(service: string, h: number): number {
    let n = 0;
    const total = this.serviceTotal.get(service);
    for (let m = h * 60; m < h * 60 + 60; m++) n += total?.[m] ?? 0;
    return n;
  }

  /** The same clock hour on previous days; a day on which the service logged nothing in that hour (or before the data) is left out. */
  private sameHour(t: Template, minute: number): number[] {
    const hours = this.hourTotals.get(t.id);
    const out: number[] = [];
    const hour = Math.floor(minute / 60);
    for (let d = 1; d <= this.o.historyDays; d++) {
      const h = hour - 24 * d;
      if (h >= 0 && hours && this.serviceHour(t.service, h) > 0) out.push(hours[h] ?? 0);
    }
    return out;
  }

  /** Whole hours before the current one, most recent first, up to 48; hours before the service's first line left out. */
  private prevHours(t: Template, minute: number): number[] {
    const hours = this.hourTotals.get(t.id);
    const first = Math.floor((this.serviceFirst.get(t.service) ?? Infinity) / 60);
    const out: number[] = [];
    for (let h = Math.floor(minute / 60) - 1; h >= 0 && h >= first && out.length < 48; h--) out.push(hours?.[h] ?? 0);
    return out;
  }

  /** Silent in the recent minutes, yet busy enough at this hour on a previous day to be judged for a drop. */
  private busyBefore(t: Template, minute: number): boolean {
    const hours = this.hourTotals.get(t.id);
    const busy = (this.o.dropMinExpected * 60) / this.o.windowMinutes;
    const hour = Math.floor(minute / 60);
    for (let d = 1; d <= this.o.historyDays; d++) if ((hours?.[hour - 24 * d] ?? 0) >= busy) return true;
    return false;
  }

  /** The detector's input for minute index `minute` (templates with a line in the recent minutes, services seen so far). */
  input(minute: number): MinuteInput {
    const n = this.o.recentMinutes + 1;
    const from = minute - n + 1;
    const templates: TemplateSeries[] = [];
    for (const t of this.world.templates) {
      const first = this.firstMinute.get(t.id);
      if (first === undefined || first > minute) continue;
      const recent = Array.from(t.counts.subarray(Math.max(0, from), minute + 1));
      if (!recent.some((c) => c > 0) && !this.busyBefore(t, minute)) continue;
      const minutes = from < 0 ? [...new Array<number>(-from).fill(0), ...recent] : recent;
      templates.push({
        service: t.service, templateId: t.id, template: t.template, level: t.level, minutes,
        sameHourPrevDays: this.sameHour(t, minute), ...(this.withPrevHours ? { prevHours: this.prevHours(t, minute) } : {}), firstSeenMs: this.firstSeenMs(t.id, first),
      });
    }
    const services: ServiceSeries[] = [];
    for (const [service, first] of this.serviceFirst) {
      // Only services with lines in the recent minutes have rows in log_counts_minute then.
      if (first > minute || !this.serviceTotal.get(service)?.subarray(Math.max(0, from), minute + 1).some((c) => c > 0)) continue;
      const slice = (a: Int32Array | undefined): number[] => {
        const recent = Array.from(a?.subarray(Math.max(0, from), minute + 1) ?? []);
        return from < 0 ? [...new Array<number>(-from).fill(0), ...recent] : recent;
      };
      services.push({
        service, total: slice(this.serviceTotal.get(service)), errors: slice(this.serviceErrors.get(service)),
        firstSeenMs: this.serviceFirstMs.get(service) ?? START_MS + first * MINUTE,
      });
    }
    return { minuteMs: START_MS + minute * MINUTE, templates, services };
  }

  /** Lines in a minute of the simulated traffic (all templates). */
  lines(minute: number): number {
    let n = 0;
    for (const t of this.world.templates) n += t.counts[minute] ?? 0;
    return n;
  }
}
