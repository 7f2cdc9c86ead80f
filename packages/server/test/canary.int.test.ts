// The canary against a real server (api, worker and ai roles, the LLM stand-in, PostgreSQL): it counts
// a clean run exactly, and it notices logs that disappear from the database.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCanaryOptions, startCanary } from '../src/canary/index.js';
import { startPipelineServer, testStore, type PipelineServer } from './pipeline-helpers.js';
import { hasPostgres } from './helpers.js';

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/** Canary options for this server: quick reads and a short grace, so a test run takes seconds. */
function canaryOptions(base: string, key: string, runId: string, extra: string[] = []) {
  return parseCanaryOptions(
    ['--url', base, '--key', key, '--rate', '20', '--run-id', runId, '--service', 'canary-test', '--grace', '3s',
      '--read-interval', '300ms', '--verify-interval', '2s', '--metrics-port', '0', '--summary-interval', '0', '--drain', '60s', ...extra],
    {},
  );
}

describe.runIf(hasPostgres())('logsage canary', () => {
  let server: PipelineServer;
  let store: Awaited<ReturnType<typeof testStore>>;
  let base = '';
  let keys: { ingest: string; read: string };

  beforeAll(async () => {
    store = await testStore('postgres');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startPipelineServer(store, { AUTH_DISABLED: 'false', PORT: String(port), HOST: '127.0.0.1' }, { roles: ['api', 'worker', 'ai'] });
    const who = { kind: 'user' as const, id: '', name: 'test' };
    const make = async (scopes: ('ingest' | 'read')[]) => (await server.running.security.auth.keys.create({ name: scopes.join('+'), scopes }, who)).key;
    keys = { ingest: await make(['ingest']), read: await make(['read']) };
  }, 120_000);
  afterAll(async () => {
    await server?.cleanup();
    await store?.remove();
  });

  it('counts a clean run exactly: every acknowledged log read once and analysed, nothing missing or doubled', async () => {
    const o = { ...canaryOptions(base, keys.ingest, 'clean', ['--duration', '4s']), readKey: keys.read };
    const canary = await startCanary(o);
    const s = await canary.done;
    expect(s.written).toBeGreaterThanOrEqual(70);
    expect(s).toMatchObject({ acked: s.written, read: s.written, analysed: s.written, missing: 0, duplicated: 0, unexpected: 0, rejected: 0, reanalysed: 0 });
    expect(s.refused).toEqual({});
    expect(s.errors).toEqual({});
    expect(s.p95WriteToRead).toBeTypeOf('number');
    expect(s.p95WriteToAnalysis).toBeTypeOf('number');
    const stored = await server.count('logs', "event_id LIKE 'canary-clean-%'");
    expect(stored).toBe(s.acked);
  }, 90_000);

  it('detects logs deleted from the database, whether they had been read already or not', async () => {
    const o = { ...canaryOptions(base, keys.ingest, 'lossy', ['--duration', '6s', '--drain', '15s']), readKey: keys.read, metricsPort: 0 };
    const canary = await startCanary(o);
    await server.until(async () => (await server.count('logs', "event_id LIKE 'canary-lossy-%'")) >= 60, 20_000);
    // Rows of entries written first (read back already) and of the newest ones (maybe not read yet).
    const gone = await server.running.db.query<{ n: string }>(
      "WITH d AS (DELETE FROM logs WHERE event_id LIKE 'canary-lossy-%' AND (event_id ~ '-[0-4]$' OR event_id ~ '-5[0-9]$') RETURNING 1) SELECT count(*)::text AS n FROM d",
    );
    const deleted = Number(gone.rows[0]?.n);
    expect(deleted).toBeGreaterThanOrEqual(10);
    const metricsUrl = canary.metricsUrl!;
    const s = await canary.done;
    expect(s.missing).toBe(deleted);
    expect(s.duplicated).toBe(0);
    expect(s.acked).toBe(s.written);
    expect(s.read).toBeGreaterThanOrEqual(s.acked - deleted);
    // The metrics endpoint is closed at the end; a second run serves them while it runs.
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  }, 90_000);

  it('serves its counters and histograms on /metrics while it runs', async () => {
    const canary = await startCanary({ ...canaryOptions(base, keys.ingest, 'metrics'), readKey: keys.read });
    await server.until(async () => canary.summary().analysed >= 10, 30_000);
    const text = await (await fetch(canary.metricsUrl!)).text();
    await canary.stop();
    expect(text).toMatch(/logsage_canary_acked_entries_total\{run_id="metrics"\} \d+/);
    expect(text).toContain('logsage_canary_write_to_read_seconds_bucket');
    expect(text).toContain('logsage_canary_write_to_analysis_seconds_count');
    expect(text).toMatch(/logsage_canary_missing_entries_total\{run_id="metrics"\} 0/);
  }, 90_000);

  it('runs as `logsage canary` from an empty directory, with only its flags and variables, and prints the summary line', async () => {
    const cli = new URL('../dist/cli.js', import.meta.url).pathname;
    const cwd = mkdtempSync(join(tmpdir(), 'logsage-canary-'));
    const child = spawn(process.execPath, [cli, 'canary', '--url', base, '--rate', '20', '--duration', '3s', '--grace', '3s', '--read-interval', '300ms',
      '--metrics-port', '0', '--summary-interval', '1s', '--run-id', 'cli', '--service', 'canary-test', '--drain', '60s'], {
      cwd, env: { PATH: process.env.PATH ?? '', CANARY_KEY: keys.ingest, CANARY_READ_KEY: keys.read }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    rmSync(cwd, { recursive: true, force: true });
    expect(code, out).toBe(0);
    expect(out).toMatch(/metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/);
    const last = out.trim().split('\n').at(-1) ?? '';
    const n = (what: string) => Number(new RegExp(`${what} (\\d+)`).exec(last)?.[1]);
    expect(n('written')).toBeGreaterThanOrEqual(50);
    expect([n('acked'), n('read'), n('analysed')]).toEqual([n('written'), n('written'), n('written')]);
    expect([n('missing'), n('duplicated')]).toEqual([0, 0]);
    expect(last).toMatch(/p50 write→read \d+\.\ds p95 write→read \d+\.\ds p50 write→analysis \d+\.\ds/);
  }, 90_000);
});
