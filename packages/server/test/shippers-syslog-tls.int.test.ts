import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from './helpers.js';
import { startSyslog, type SyslogReceiver } from '../src/modules/syslog/index.js';
import { readByToken, uniqueToken, waitForCount } from './shippers-otlp-syslog-helpers.js';

const N = 1000;
let hasOpenssl = true;
try {
  execFileSync('openssl', ['version'], { stdio: 'ignore' });
} catch {
  hasOpenssl = false;
  console.warn('\n[logsage syslog] the syslog TLS test is skipped: no openssl command\n');
}

/** Sends `input` through `openssl s_client` (a real TLS client, LF-framed lines) and waits for it to end. */
function sClient(port: number, input: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const p = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-quiet', '-no_ign_eof'], { stdio: ['pipe', 'ignore', 'ignore'] });
    p.on('error', reject);
    p.on('close', resolve);
    p.stdin.end(input);
  });
}

describe.skipIf(!hasOpenssl)('syslog over TLS (RFC 5425)', () => {
  let s: TestServer;
  let rx: SyslogReceiver;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'logsage-syslog-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    s = await startTestServer(ENGINES.at(-1)!);
    rx = await startSyslog({
      ingest: s.ingest, log: s.log,
      config: { SYSLOG_PORT: 0, SYSLOG_HOST: '127.0.0.1', SYSLOG_ALLOW: [], SYSLOG_SERVICE: 'syslog', MAX_MESSAGE_BYTES: 65536,
        SYSLOG_TLS_CERT: join(dir, 'cert.pem'), SYSLOG_TLS_KEY: join(dir, 'key.pem') },
    });
  });
  afterAll(async () => {
    await rx?.close();
    await s?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores 1,000 lines sent by openssl s_client once each, and nothing sent in clear text to the TLS port', async () => {
    const token = uniqueToken('tl');
    const lines = Array.from({ length: N }, (_, i) => `<131>1 2026-12-01T10:00:00.000001Z vault secrets ${i} - - ${token} sealed ${i}`);
    expect(await sClient(rx.port, `${lines.join('\n')}\n`)).toBe(0);
    const plain = connect(rx.port, '127.0.0.1');
    await new Promise<void>((r) => plain.once('connect', r));
    plain.end(`<131>1 - vault secrets - - - ${token} clear text\n`);
    await new Promise((r) => plain.once('close', r));
    await new Promise((r) => setTimeout(r, 500)); // a line that got through would be stored by now (batches wait 200 ms)
    const logs = await waitForCount(() => readByToken(s, token), N);
    expect(logs).toHaveLength(N);
    expect(new Set(logs.map((l) => l.message)).size).toBe(N);
    expect(logs.every((l) => l.service === 'secrets' && l.level === 'error' && l.attributes.hostname === 'vault')).toBe(true);
    expect(logs.some((l) => l.message.includes('clear text'))).toBe(false);
  });
});
