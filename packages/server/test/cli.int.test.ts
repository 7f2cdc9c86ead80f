import { createServer } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildLog } from './helpers.js';
import { openPglite } from '../src/db/pglite.js';
import { verifyPassword } from '../src/modules/auth/crypto.js';

const CLI = new URL('../src/cli.ts', import.meta.url).pathname;
// Resolved here: the child's working directory is a temporary one with no node_modules.
const TSX = import.meta.resolve('tsx');
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };

describe('the logsage command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsage-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops at start listing every bad variable', () => {
    const r = spawnSync(process.execPath, ['--import', TSX, CLI, 'start'], {
      env: { ...baseEnv, PORT: '99999', RETENTION_DAYS: 'week', REDIS_URL: 'http://x' },
      encoding: 'utf8',
      cwd: dir,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/PORT: must be between 1 and 65535/);
    expect(r.stderr).toMatch(/RETENTION_DAYS: must be a whole number/);
    expect(r.stderr).toMatch(/REDIS_URL: must be a redis: or rediss: URL/);
  });

  it('prints usage for an unknown command', () => {
    const r = spawnSync(process.execPath, ['--import', TSX, CLI, 'fly'], { env: baseEnv, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('usage: logsage <command>');
  });

  it('answers an in-flight write before exiting on SIGTERM, and releases the data directory', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    // Another LogSage (or anything) on the default gRPC port: a single-process start must not need it.
    const squatter = createServer();
    await new Promise<void>((r) => squatter.once('error', () => r()).listen(50051, '127.0.0.1', () => r()));
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'start'], {
      env: { ...baseEnv, PORT: String(port), DATA_DIR: join(dir, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.on('exit', () => squatter.close());
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // A first start creates the embedded database (initdb in WebAssembly): seconds, more on a loaded machine.
    for (let i = 0; i < 1500 && !out.includes('LogSage started'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('LogSage started');
    const batch = Array.from({ length: 2000 }, (_, i) => buildLog({ message: `shutdown ${i}` }));
    // The first start printed an ingest key and saved it in the data directory, as the README's curl uses it.
    const key = readFileSync(join(dir, 'data', 'ingest.key'), 'utf8').trim();
    expect(out).toContain(key);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const inflight = fetch(`http://127.0.0.1:${port}/api/v1/logs`, { method: 'POST', headers, body: JSON.stringify(batch) });
    await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { accepted: number }).accepted).toBe(2000);
    expect(await exited).toBe(0);
    expect(existsSync(join(dir, 'data', 'logsage.lock'))).toBe(false);
  }, 180_000);

  it('resets a forgotten admin password from the command line (the server stopped), and names an unknown user', async () => {
    const data = join(dir, 'data');
    expect(existsSync(data)).toBe(true); // made by the start above
    const run = (args: string[], extra: Record<string, string> = {}) =>
      spawnSync(process.execPath, ['--import', TSX, CLI, 'reset-password', ...args], { env: { ...baseEnv, DATA_DIR: data, ...extra }, encoding: 'utf8', timeout: 120_000 });
    const r = run([]);
    expect(r.status, r.stderr).toBe(0);
    const password = /New password for admin: (\S+)/.exec(r.stdout)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(12);
    const chosen = run(['admin'], { NEW_PASSWORD: 'chosen-by-the-operator' });
    expect(chosen.stdout).toContain('New password for admin: chosen-by-the-operator');
    const db = await openPglite(data);
    try {
      const hash = (await db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE username = 'admin'")).rows[0]!.password_hash;
      expect(await verifyPassword(hash, 'chosen-by-the-operator')).toBe(true);
      expect(await verifyPassword(hash, password)).toBe(false);
    } finally {
      await db.close();
    }
    const nobody = run(['nobody']);
    expect(nobody.status).toBe(1);
    expect(nobody.stderr).toContain('no user named nobody');
  }, 240_000);

  it('runs the demo: analyses marked demo and a firing alert within a minute and a half, then an incident with its story', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'demo'], {
      env: { ...baseEnv, PORT: String(port), DATA_DIR: join(dir, 'demo'), ADMIN_PASSWORD: 'demo-test-password', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      for (let i = 0; i < 1500 && !out.includes('LogSage demo:'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain('not a real model');
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'demo-test-password' }),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const get = async <T>(path: string): Promise<T> => (await fetch(`${base}${path}`, { headers: { cookie } })).json() as Promise<T>;
      let analysed: { analysis: { demo: boolean } | null }[] = [];
      let alerts: { rule_name: string; demo: boolean; state: string }[] = [];
      for (let i = 0; i < 90 && (analysed.length === 0 || alerts.length === 0); i++) {
        await new Promise((r) => setTimeout(r, 1000));
        analysed = (await get<{ logs: typeof analysed }>('/api/v1/logs?anomaly=true&limit=50')).logs;
        alerts = (await get<{ alerts: typeof alerts }>('/api/v1/alerts')).alerts;
      }
      expect(analysed.length).toBeGreaterThan(0);
      for (const l of analysed) expect(l.analysis?.demo).toBe(true);
      expect(alerts[0]).toMatchObject({ rule_name: 'Demo: high and critical anomalies', demo: true, state: 'firing' });
      // Its services have two hours of history, so the planted troubles open incidents (judged once
      // their minute closed and settled) with a story from the stand-in.
      let incidents: { id: string; services: string[]; story_state: string }[] = [];
      for (let i = 0; i < 150 && !incidents.some((x) => x.story_state === 'written'); i++) {
        await new Promise((r) => setTimeout(r, 1000));
        incidents = (await get<{ incidents: typeof incidents }>('/api/v1/incidents?state=all')).incidents;
      }
      expect(incidents.find((x) => x.story_state === 'written'), JSON.stringify(incidents)).toBeDefined();
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 300_000);
});
