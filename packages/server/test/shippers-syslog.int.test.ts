import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { startSyslog, type SyslogReceiver } from '../src/modules/syslog/index.js';
import { readByToken, run, syslogClientsMissing, uniqueToken, waitForCount, micros } from './shippers-otlp-syslog-helpers.js';

const N = 1000;
const missing = syslogClientsMissing();
if (missing) console.warn(`\n[logsage syslog] the syslog client tests are skipped: ${missing}\n`);

// Under CI a skipped client test is a failure: CI installs rsyslog, so a missing client means it did not.
// (Always run, not runIf: a test left out counts as skipped, and CI refuses any skip.)
it('has rsyslogd and logger wherever CI runs', () => {
  if (process.env.CI === 'true') expect(missing).toBeNull();
  else expect(missing === null || missing.length > 0).toBe(true);
});

// logger's -p names: severity → the level it must be stored as.
const PRIOS: [string, string][] = [['user.emerg', 'fatal'], ['daemon.crit', 'fatal'], ['local0.err', 'error'], ['mail.warning', 'warn'],
  ['auth.notice', 'info'], ['local7.info', 'info'], ['cron.debug', 'debug']];

describe.skipIf(missing !== null)('syslog from util-linux logger', () => {
  let s: TestServer;
  let rx: SyslogReceiver;
  beforeAll(async () => {
    s = await startTestServer(ENGINES.at(-1)!);
    rx = await startSyslog({
      ingest: s.ingest, log: s.log,
      config: { SYSLOG_PORT: 0, SYSLOG_HOST: '127.0.0.1', SYSLOG_ALLOW: [], SYSLOG_SERVICE: 'syslog', MAX_MESSAGE_BYTES: s.cfg.MAX_MESSAGE_BYTES },
    });
  });
  afterAll(async () => {
    await rx?.close();
    await s?.cleanup();
  });

  // One logger process per priority, reading its lines from stdin: one connection (TCP) or one datagram per line (UDP).
  async function send(transport: string[], format: string, token: string, extra: string[] = []): Promise<{ start: number; end: number }> {
    const start = Date.now();
    for (const [p, prio] of PRIOS.entries()) {
      const lines = Array.from({ length: N }, (_, i) => i).filter((i) => i % PRIOS.length === p).map((i) => `${token} line ${i} of ${N}`);
      await run('logger', [...transport, format, '-n', '127.0.0.1', '-P', String(rx.port), '-p', prio[0], '-t', 'billing', '--id=4242', ...extra], `${lines.join('\n')}\n`);
    }
    return { start, end: Date.now() };
  }

  const CASES: [string, string[], string][] = [
    ['RFC 3164 over TCP', ['--tcp'], '--rfc3164'],
    ['RFC 3164 over UDP', ['--udp'], '--rfc3164'],
    ['RFC 5424 over TCP, octet counting', ['--tcp', '--octet-count'], '--rfc5424'],
    ['RFC 5424 over UDP', ['--udp'], '--rfc5424'],
  ];

  it.each(CASES)('%s: 1,000 lines stored exactly once with service, level, time and attributes', async (_name, transport, format) => {
    const token = uniqueToken('lg');
    const sd = format === '--rfc5424' ? ['--sd-id', 'order@32473', '--sd-param', 'id="A-17"', '--msgid', 'PAY'] : [];
    const { start, end } = await send(transport, format, token, sd);
    const logs = await waitForCount(() => readByToken(s, token), N);
    expect(logs).toHaveLength(N);
    const seen = new Set(logs.map((l) => Number(/line (\d+) of/.exec(l.message)![1])));
    expect(seen.size).toBe(N);
    const host = (await import('node:os')).hostname();
    for (const l of logs) {
      const i = Number(/line (\d+) of/.exec(l.message)![1]);
      const [prio, level] = PRIOS[i % PRIOS.length]!;
      expect(l.message).toBe(`${token} line ${i} of ${N}`);
      expect(l.service).toBe('billing');
      expect(l.level).toBe(level);
      // RFC 3164 times have whole seconds; RFC 5424 ones from logger carry microseconds.
      const t = micros(l.timestamp);
      expect(t).toBeGreaterThanOrEqual(Math.floor(start / 1000) * 1e6);
      // `end` is Date.now(), whole milliseconds: a line logged within its last millisecond is up to 999 µs past it.
      expect(t).toBeLessThan((end + 1) * 1000);
      expect(l.attributes).toMatchObject({ facility: prio.split('.')[0], severity: prio.split('.')[1], app_name: 'billing', procid: '4242', hostname: host, source_address: '127.0.0.1' });
      if (format === '--rfc5424') {
        expect(l.attributes).toMatchObject({ msgid: 'PAY', structured_data: { 'order@32473': { id: 'A-17' } } });
      }
    }
  });
});
