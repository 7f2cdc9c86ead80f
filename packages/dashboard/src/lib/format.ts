// Times are shown in the browser's zone, and the zone is always named, so a screenshot pasted
// into a chat with a colleague in another zone cannot be misread.

const zoneName = (d: Date, locale: string): string =>
  new Intl.DateTimeFormat(locale, { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';

/** The browser's time zone as shown next to times, e.g. "UTC+8" or "GMT+8". */
export function zoneLabel(locale = 'en', at = new Date()): string {
  return zoneName(at, locale);
}

/** 2026-12-01 14:03:05.123, in the browser's zone. */
export function formatTime(iso: string | null | undefined, opts: { ms?: boolean; date?: boolean } = {}): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${opts.ms ? `.${pad(d.getMilliseconds(), 3)}` : ''}`;
  return opts.date === false ? time : `${date} ${time}`;
}

/** "3 min ago" style relative time. */
export function formatAgo(iso: string | null | undefined, locale = 'en', now = Date.now()): string {
  if (!iso) return '—';
  const diff = (new Date(iso).getTime() - now) / 1000;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(diff);
  if (abs < 60) return rtf.format(Math.round(diff), 'second');
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour');
  return rtf.format(Math.round(diff / 86400), 'day');
}

/** 12,345 / 1.2M. */
export function formatCount(n: number, locale = 'en'): string {
  return new Intl.NumberFormat(locale, n >= 1_000_000 ? { notation: 'compact', maximumFractionDigits: 1 } : {}).format(n);
}

/** Severity → Element Plus tag type. */
export function severityType(s: string | undefined): 'danger' | 'warning' | 'primary' | 'info' | 'success' {
  switch (s) {
    case 'critical':
    case 'high':
      return 'danger';
    case 'medium':
      return 'warning';
    case 'low':
      return 'primary';
    default:
      return 'info';
  }
}

/** Log level → Element Plus tag type. */
export function levelType(l: string): 'danger' | 'warning' | 'primary' | 'info' {
  if (l === 'error' || l === 'fatal') return 'danger';
  if (l === 'warn') return 'warning';
  if (l === 'info') return 'primary';
  return 'info';
}

/** Chart colours per level and severity, the same on every view. */
export const LEVEL_COLORS: Record<string, string> = {
  fatal: '#8b0000', error: '#e5484d', warn: '#f5a524', info: '#3b82f6', debug: '#8e9aaf', trace: '#c0c7d4', unknown: '#a3a3a3',
};
export const SEVERITY_COLORS: Record<string, string> = {
  critical: '#8b0000', high: '#e5484d', medium: '#f5a524', low: '#3b82f6', info: '#8e9aaf',
};

/** A template's colour (its sparklines): its verdict's severity, so a busy critical template stands out; grey until the model answered. */
export function verdictColor(v: { state: string; severity?: string } | null | undefined): string {
  return v?.state === 'done' && v.severity ? (SEVERITY_COLORS[v.severity] ?? '#3b82f6') : '#8e9aaf';
}
export const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'unknown'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
