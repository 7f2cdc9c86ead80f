import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { startSyslog, type SyslogReceiver } from '../src/modules/syslog/index.js';
import { micros, readByToken, syslogClientsMissing, uniqueToken, waitForCount } from './shippers-otlp-syslog-helpers.js';

const N = 1000;
const missing = syslogClientsMissing();

/** A port free right now (rsyslog's imtcp needs a number before it starts). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** rsyslogd in the foreground with its own config, pid file and work directory: imtcp in, omfwd RFC 5424 octet-counted out. */
async function startRsyslog(dir: string, inPort: number, outPort: number): Promise<ChildProcess> {
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(conf, `
global(workDirectory="${dir}")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="${inPort}")
*.* action(type="omfwd" target="127.0.0.1" port="${outPort}" protocol="tcp"
           TCP_Framing="octet-counted" Template="RSYSLOG_SyslogProtocol23Format"
           queue.type="LinkedList" action.resumeRetryCount="-1" action.resumeInterval="1")
`);
  const p = spawn('/usr/sbin/rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // Ready once its TCP input answers.
  for (let i = 0; i < 100; i++) {
    if (p.exitCode !== null) throw new Error(`rsyslogd exited ${p.exitCode}: ${err}`);
    const ok = await new Promise<boolean>((r) => {
      const c = connect(inPort, '127.0.0.1', () => (c.destroy(), r(true)));
      c.on('error', () => r(false));
    });
    if (ok) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`rsyslogd did not listen on ${inPort}: ${err}`);
}

describe.skipIf(missing !== null)('syslog from rsyslog (omfwd, RFC 5424, octet counting)', () => {
  let s: TestServer;
  let rx: SyslogReceiver;
  let rsyslog: ChildProcess;
  let dir: string;
  let inPort: number;
  beforeAll(async () => {
    s = await startTestServer(ENGINES.at(-1)!);
    rx = await startSyslog({
      ingest: s.ingest, log: s.log,
      config: { SYSLOG_PORT: 0, SYSLOG_HOST: '127.0.0.1', SYSLOG_ALLOW: ['127.0.0.0/8'], SYSLOG_SERVICE: 'syslog', MAX_MESSAGE_BYTES: s.cfg.MAX_MESSAGE_BYTES },
    });
    dir = mkdtempSync(join(tmpdir(), 'logsage-rsyslog-'));
    inPort = await freePort();
    rsyslog = await startRsyslog(dir, inPort, rx.port);
  });
  afterAll(async () => {
    rsyslog?.kill('SIGTERM');
    await rx?.close();
    await s?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('forwards 1,000 messages stored exactly once with their microsecond time, host, app, level and structured data', async () => {
    const token = uniqueToken('rs');
    const t0 = (Date.now() - 120_000) * 1000 + 417; // epoch µs
    const sev = [3, 4, 6, 7, 2]; // err, warning, info, debug, crit
    const levels = ['error', 'warn', 'info', 'debug', 'fatal'];
    // The messages rsyslog receives: RFC 5424 with exact times, which it must carry through to LogSage.
    const lines = Array.from({ length: N }, (_, i) => {
      const us = t0 + i * 1009;
      const time = `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${String(us % 1e6).padStart(6, '0')}Z`;
      return `<${16 * 8 + sev[i % 5]!}>1 ${time} db-${i % 3} inventory ${1000 + i} STOCK [meta@32473 seq="${i}" zone="eu\\]1"] ${token} stock changed ${i}`;
    });
    const c = connect(inPort, '127.0.0.1');
    await new Promise<void>((r) => c.once('connect', r));
    await new Promise<void>((r) => c.end(lines.map((l) => `${l}\n`).join(''), r));

    const logs = await waitForCount(() => readByToken(s, token), N, 30_000);
    expect(logs).toHaveLength(N);
    const bySeq = new Map(logs.map((l) => [Number((l.attributes.structured_data as Record<string, Record<string, string>>)['meta@32473']!.seq), l]));
    expect(bySeq.size).toBe(N);
    for (let i = 0; i < N; i++) {
      const l = bySeq.get(i)!;
      expect(l.message).toBe(`${token} stock changed ${i}`);
      expect(l.service).toBe('inventory');
      expect(l.level).toBe(levels[i % 5]);
      expect(micros(l.timestamp)).toBe(t0 + i * 1009);
      expect(l.attributes).toEqual({
        facility: 'local0',
        severity: ['err', 'warning', 'info', 'debug', 'crit'][i % 5],
        hostname: `db-${i % 3}`,
        app_name: 'inventory',
        procid: String(1000 + i),
        msgid: 'STOCK',
        structured_data: { 'meta@32473': { seq: String(i), zone: 'eu]1' } },
        source_address: '127.0.0.1',
      });
    }
  });
});
