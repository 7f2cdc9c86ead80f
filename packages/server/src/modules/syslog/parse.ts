import type { Level } from '../ingest/index.js';

/** One syslog message as a native ingest entry (timestamp, level, service, message, attributes). */
export interface SyslogEntry {
  timestamp?: string | number;
  level: Level;
  service: string;
  message: string;
  attributes: Record<string, unknown>;
}

export interface ParseOptions {
  /** Service when a message names neither an app nor a host (SYSLOG_SERVICE). */
  fallbackService: string;
  /** Receive time, epoch ms: year-less BSD dates resolve to the nearest moment not after it. */
  now: number;
  /** Sender address, kept as an attribute: syslog carries no credentials, so this is who sent it. */
  peer?: string | undefined;
}

const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];
// RFC 5424 severities 0-7: emerg, alert and crit are all "the system is failing" → fatal; notice is info.
const LEVEL: Level[] = ['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'];
const SEVERITY_NAME = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const PRI = /^<(\d{1,3})>/;
const RFC5424_HEAD = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) /;
const BSD_TIME = /^[*.]?([A-Z][a-z]{2}) {1,2}(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: ?[A-Z]{3,4})?:? /;
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))\s+/;
const TAG = /^([^\s:[\]]{1,128})(?:\[([^\]\s]{0,128})\])?:(?: |$)/;

/** Parses an RFC 5424 or RFC 3164 (BSD, with common deviations) message; never throws. */
export function parseSyslog(raw: string, opts: ParseOptions): SyslogEntry {
  let rest = raw.replace(/[\r\n]+$/, '');
  const pri = PRI.exec(rest);
  // No PRI at all: RFC 3164 §4.3.3 says to treat it as user.notice.
  const value = pri && Number(pri[1]) <= 191 ? Number(pri[1]) : 13;
  if (pri) rest = rest.slice(pri[0].length);
  const facility = FACILITIES[value >> 3]!;
  const severity = value & 7;
  const attributes: Record<string, unknown> = { facility, severity: SEVERITY_NAME[severity] };
  if (opts.peer) attributes.source_address = opts.peer;
  const parsed = RFC5424_HEAD.test(rest) ? parse5424(rest, attributes) : parse3164(rest, attributes, opts.now);
  const host = attributes.hostname as string | undefined;
  const app = attributes.app_name as string | undefined;
  const entry: SyslogEntry = { level: LEVEL[severity]!, service: app ?? host ?? opts.fallbackService, message: parsed.message, attributes };
  if (parsed.timestamp !== undefined) entry.timestamp = parsed.timestamp;
  return entry;
}

const nil = (v: string): string | undefined => (v === '-' ? undefined : v);

function parse5424(s: string, attrs: Record<string, unknown>): { timestamp?: string; message: string } {
  const m = RFC5424_HEAD.exec(s)!;
  const [, time, host, app, procid, msgid] = m;
  setIf(attrs, 'hostname', nil(host!));
  setIf(attrs, 'app_name', nil(app!));
  setIf(attrs, 'procid', nil(procid!));
  setIf(attrs, 'msgid', nil(msgid!));
  let rest = s.slice(m[0].length);
  if (rest.startsWith('-')) rest = rest.slice(1);
  else {
    const sd = readStructuredData(rest);
    if (sd.elements) attrs.structured_data = sd.elements;
    rest = rest.slice(sd.length);
  }
  // MSG follows one space; an RFC 5424 UTF-8 MSG may start with a BOM, which is not text.
  const message = rest.replace(/^ /, '').replace(/^\uFEFF/, '');
  return { ...(nil(time!) ? { timestamp: time } : {}), message };
}

/** Reads `[id k="v" …][…]` from the start of `s`: the elements and how many characters they took. */
function readStructuredData(s: string): { elements?: Record<string, Record<string, string | string[]>>; length: number } {
  const elements: Record<string, Record<string, string | string[]>> = {};
  let i = 0;
  while (s[i] === '[') {
    const id = /^\[([^\s\]=" ]+)/.exec(s.slice(i));
    if (!id) break;
    i += id[0].length;
    const params: Record<string, string | string[]> = {};
    for (;;) {
      const p = /^ ([^\s\]=" ]+)="((?:[^"\\]|\\.)*)"/.exec(s.slice(i));
      if (!p) break;
      i += p[0].length;
      const v = p[2]!.replace(/\\(["\\\]])/g, '$1');
      const prev = params[p[1]!];
      params[p[1]!] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
    }
    if (s[i] !== ']') return { length: 0 }; // malformed: the whole remainder stays the message
    i++;
    elements[id[1]!] = params;
  }
  return { elements, length: i };
}

function parse3164(s: string, attrs: Record<string, unknown>, now: number): { timestamp?: string | number; message: string } {
  let rest = s;
  // Cisco IOS puts a sequence number (and sometimes its own "host:") before the time.
  const seq = /^(\d+): /.exec(rest);
  if (seq) {
    attrs.sequence = Number(seq[1]);
    rest = rest.slice(seq[0].length);
  }
  let timestamp: string | number | undefined;
  const iso = ISO_TIME.exec(rest);
  const bsd = iso ? null : BSD_TIME.exec(rest);
  if (iso) timestamp = iso[1];
  else if (bsd) timestamp = bsdTime(bsd, now);
  if (iso ?? bsd) rest = rest.slice((iso ?? bsd)![0].length);
  // HOST is the next word unless that word is already the TAG ("sshd[12]:" or "cron:").
  const host = /^(\S+) /.exec(rest);
  // Without a timestamp the line is not BSD-shaped enough to tell a host from a first word.
  if (host && timestamp !== undefined && !TAG.test(rest)) {
    attrs.hostname = host[1];
    rest = rest.slice(host[0].length);
  }
  const tag = TAG.exec(rest);
  if (tag) {
    attrs.app_name = tag[1];
    if (tag[2]) attrs.procid = tag[2];
    rest = rest.slice(tag[0].length);
  }
  return { ...(timestamp !== undefined ? { timestamp } : {}), message: rest };
}

/** A BSD date (no year, no zone) in this process's time zone, in the latest year that does not put it after now. */
function bsdTime(m: RegExpExecArray, now: number): number | undefined {
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return undefined;
  const [d, hh, mi, ss] = [m[2], m[4], m[5], m[6]].map(Number) as [number, number, number, number];
  const frac = Number(`0.${m[7] ?? '0'}`) * 1000;
  const at = (y: number): number => new Date(y, month, d, hh, mi, ss).getTime() + frac;
  if (m[3]) return at(Number(m[3]));
  const year = new Date(now).getFullYear();
  // A sender's clock a little ahead is not a year old: up to a day ahead stays in this year.
  return at(year) > now + 86_400_000 ? at(year - 1) : at(year);
}

function setIf(o: Record<string, unknown>, key: string, v: string | undefined): void {
  if (v !== undefined) o[key] = v;
}
