import { LEVELS, type LogLevel } from '@logsage/contracts';

export { LEVELS };
export type Level = LogLevel;

const NAMES: Record<string, Level> = {
  trace: 'trace', t: 'trace', trc: 'trace', finest: 'trace', finer: 'trace',
  debug: 'debug', d: 'debug', dbg: 'debug', fine: 'debug', verbose: 'debug', v: 'debug',
  info: 'info', i: 'info', inf: 'info', information: 'info', informational: 'info', notice: 'info', n: 'info', ok: 'info',
  warn: 'warn', w: 'warn', wrn: 'warn', warning: 'warn',
  error: 'error', e: 'error', err: 'error', eror: 'error', severe: 'error',
  fatal: 'fatal', f: 'fatal', crit: 'fatal', critical: 'fatal', c: 'fatal', alert: 'fatal', a: 'fatal',
  emerg: 'fatal', emergency: 'fatal', panic: 'fatal', dpanic: 'fatal',
};

// Numeric syslog severities (RFC 5424): 0 emerg … 7 debug.
const SYSLOG: Level[] = ['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'];
// pino/bunyan levels are multiples of ten.
const PINO: Record<number, Level> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Maps a shipper's level (name, abbreviation, syslog 0-7 or pino 10-60) to ours; undefined when unknown. */
export function normalizeLevel(raw: unknown): Level | undefined {
  if (raw === undefined || raw === null || raw === '') return 'unknown';
  if (typeof raw === 'number') return numericLevel(raw);
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim().toLowerCase();
  if (/^\d+$/.test(s)) return numericLevel(Number(s));
  return NAMES[s];
}

function numericLevel(n: number): Level | undefined {
  if (Number.isInteger(n) && n >= 0 && n <= 7) return SYSLOG[n];
  return PINO[n];
}
