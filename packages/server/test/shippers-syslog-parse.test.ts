import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSyslog, SyslogFramer, allowList } from '../src/modules/syslog/index.js';
import { parseConfig } from '../src/config/index.js';
import { AppError } from '../src/lib/errors.js';

const NOW = new Date(2026, 0, 1, 0, 30, 0).getTime(); // local time: BSD dates carry no zone
const parse = (raw: string) => parseSyslog(raw, { fallbackService: 'syslog', now: NOW });
const local = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0) => new Date(y, mo, d, h, mi, s, ms).getTime();

describe('RFC 5424', () => {
  it('reads every header field, structured data with escapes and repeated params, and strips the BOM', () => {
    const e = parse('<165>1 2003-10-11T22:14:15.003456Z mymachine.example.com evntslog 77 ID47 [exampleSDID@32473 iut="3" eventSource="Appli\\"cation\\]" eventID="1011"][examplePriority@32473 class="high" class="low"] \uFEFFAn application event log entry...');
    expect(e).toEqual({
      timestamp: '2003-10-11T22:14:15.003456Z', level: 'info', service: 'evntslog', message: 'An application event log entry...',
      attributes: {
        facility: 'local4', severity: 'notice', hostname: 'mymachine.example.com', app_name: 'evntslog', procid: '77', msgid: 'ID47',
        structured_data: { 'exampleSDID@32473': { iut: '3', eventSource: 'Appli"cation]', eventID: '1011' }, 'examplePriority@32473': { class: ['high', 'low'] } },
      },
    });
  });
  it('takes NILVALUEs as absent: no time (receive time), host as the service when there is no app', () => {
    const e = parse('<11>1 - host1 - - - - disk failing');
    expect(e).toEqual({ level: 'error', service: 'host1', message: 'disk failing', attributes: { facility: 'user', severity: 'err', hostname: 'host1' } });
  });
  it('maps the eight severities: emerg/alert/crit → fatal, err → error, warning → warn, notice/info → info, debug', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((s) => parse(`<${8 + s}>1 - h a - - - m`).level)).toEqual(['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug']);
  });
});

describe('RFC 3164 and its deviations', () => {
  it('reads <PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG in local time, this year', () => {
    expect(parse('<34>Jan  1 00:10:02 mymachine su[230]: \'su root\' failed for lonvick on /dev/pts/8')).toEqual({
      timestamp: local(2026, 0, 1, 0, 10, 2), level: 'fatal', service: 'su', message: '\'su root\' failed for lonvick on /dev/pts/8',
      attributes: { facility: 'auth', severity: 'crit', hostname: 'mymachine', app_name: 'su', procid: '230' },
    });
  });
  it('puts a year-less date that would be in the future (more than a day) in the previous year', () => {
    expect(parse('<13>Dec 31 23:59:59 h app: m').timestamp).toBe(local(2025, 11, 31, 23, 59, 59));
    expect(parse('<13>Jan  1 12:00:00 h app: m').timestamp).toBe(local(2026, 0, 1, 12, 0, 0)); // a clock slightly ahead
  });
  it('reads a TAG without pid, a missing host, ISO timestamps, no PRI (user.notice), and Cisco sequence numbers and milliseconds', () => {
    expect(parse('<30>Jan  1 00:01:00 cron: job done')).toMatchObject({ service: 'cron', message: 'job done', attributes: { app_name: 'cron' } });
    expect(parse('<30>Jan  1 00:01:00 cron: job done').attributes.hostname).toBeUndefined();
    expect(parse('<30>2026-01-01T00:01:00.123456+01:00 web-1 nginx[7]: GET /')).toMatchObject({
      timestamp: '2026-01-01T00:01:00.123456+01:00', service: 'nginx', message: 'GET /', attributes: { hostname: 'web-1', procid: '7' },
    });
    expect(parse('just some text')).toEqual({ level: 'info', service: 'syslog', message: 'just some text', attributes: { facility: 'user', severity: 'notice' } });
    expect(parse('<189>4711: *Jan  1 00:02:03.456: %SYS-5-CONFIG_I: Configured from console')).toMatchObject({
      timestamp: local(2026, 0, 1, 0, 2, 3, 456), level: 'info', service: '%SYS-5-CONFIG_I', message: 'Configured from console', attributes: { sequence: 4711, facility: 'local7' },
    });
  });
});

describe('TCP framing (RFC 6587)', () => {
  const frames = (chunks: string[]) => {
    const out: string[] = [];
    const bad: string[] = [];
    const f = new SyslogFramer(64, (b) => out.push(b.toString()), (r) => bad.push(r));
    for (const c of chunks) if (!f.push(Buffer.from(c))) bad.push('closed');
    f.end();
    return { out, bad };
  };
  it('reads octet-counted frames split anywhere, including a stray newline between frames', () => {
    expect(frames(['5 he', 'llo', '\n3 a b', '2 ', 'hi'])).toEqual({ out: ['hello', 'a b', 'hi'], bad: [] });
  });
  it('reads LF (and CRLF) lines, and a last line without its newline at close', () => {
    expect(frames(['<13>a\r\n<13>', 'b\n\n<13>c'])).toEqual({ out: ['<13>a', '<13>b', '<13>c'], bad: [] });
  });
  it('drops an oversized frame and keeps framing; refuses a stream that cannot be framed', () => {
    expect(frames([`70 ${'x'.repeat(70)}2 ok`])).toEqual({ out: ['ok'], bad: ['too_long'] });
    expect(frames([`<13>${'y'.repeat(80)}`, 'z\n<13>next\n'])).toEqual({ out: ['<13>next'], bad: ['too_long'] });
    expect(frames(['12x hello'])).toEqual({ out: [], bad: ['bad_frame', 'closed'] });
  });
});

describe('SYSLOG_* configuration', () => {
  it('checks every variable and lists each bad one', () => {
    let err: unknown;
    try {
      parseConfig({ SYSLOG_PORT: '70000', SYSLOG_HOST: 'example.com', SYSLOG_ALLOW: '10.0.0.0/8, 300.1.1.1,::1/129' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/SYSLOG_PORT: must be between 1 and 65535[\s\S]*SYSLOG_HOST: must be an IP address[\s\S]*SYSLOG_ALLOW: "300.1.1.1" is not/);
    expect(parseConfig({})).toMatchObject({ SYSLOG_PORT: undefined, SYSLOG_HOST: '127.0.0.1', SYSLOG_ALLOW: [], SYSLOG_SERVICE: 'syslog' });
  });
  it('wants SYSLOG_TLS_CERT and SYSLOG_TLS_KEY together, as readable PEM files', () => {
    const problems = (env: Record<string, string>): string => {
      try {
        parseConfig(env);
        return '';
      } catch (e) {
        return (e as AppError).message;
      }
    };
    expect(problems({ SYSLOG_TLS_CERT: '/nonexistent/cert.pem' })).toMatch(/SYSLOG_TLS_CERT: cannot read \/nonexistent\/cert.pem/);
    expect(problems({ SYSLOG_TLS_KEY: '/etc/hostname' })).toMatch(/SYSLOG_TLS_KEY: \/etc\/hostname is not a PEM file/);
    const pem = join(mkdtempSync(join(tmpdir(), 'logsage-pem-')), 'key.pem');
    writeFileSync(pem, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    expect(problems({ SYSLOG_TLS_KEY: pem })).toMatch(/SYSLOG_TLS_CERT: must be set together with SYSLOG_TLS_KEY/);
  });
  it('admits only the allowed senders, IPv4-mapped IPv6 addresses included', () => {
    const allowed = allowList(['10.0.0.0/8', '192.168.1.5', '2001:db8::/32'])!;
    expect(['10.1.2.3', '::ffff:10.9.9.9', '192.168.1.5', '2001:db8::1'].map(allowed)).toEqual([true, true, true, true]);
    expect(['11.0.0.1', '192.168.1.6', '::1', '127.0.0.1'].map(allowed)).toEqual([false, false, false, false]);
    expect(allowList([])).toBeUndefined();
  });
});
