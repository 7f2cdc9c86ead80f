import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import type { TestServer } from './helpers.js';
import { ingestKey, uniqueToken, type ReadLog } from './shippers-helpers.js';

export { ingestKey, uniqueToken, type ReadLog };

/** Every log whose message holds `token`, read back through GET /api/v1/logs (all pages, last two days). */
export async function readByToken(s: TestServer, token: string): Promise<ReadLog[]> {
  const out: ReadLog[] = [];
  let cursor: string | null = null;
  const from = new Date(Date.now() - 2 * 86_400_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();
  do {
    const qs = new URLSearchParams({ q: token, limit: '1000', order: 'asc', from, to, ...(cursor ? { cursor } : {}) });
    const r: LightMyRequestResponse = await s.app.inject({ method: 'GET', url: `/api/v1/logs?${qs.toString()}` });
    if (r.statusCode !== 200) throw new Error(`GET /api/v1/logs answered ${r.statusCode}: ${r.body}`);
    const page = r.json<{ logs: ReadLog[]; next_cursor: string | null }>();
    out.push(...page.logs);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

/** Polls `read` until it returns at least `n` items or `ms` pass; returns the last read. */
export async function waitForCount<T>(read: () => Promise<T[]>, n: number, ms = 20_000): Promise<T[]> {
  const end = Date.now() + ms;
  let last = await read();
  while (last.length < n && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  return last;
}

/** The API's ISO timestamp as epoch microseconds (exact: the fraction is read as digits). */
export function micros(iso: string): number {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(iso);
  if (!m) throw new Error(`not an ISO UTC timestamp: ${iso}`);
  return Date.parse(`${m[1]}Z`) * 1000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
}

/** Why the syslog client tests cannot run here (a missing rsyslogd or logger), or null. */
export function syslogClientsMissing(): string | null {
  const missing = ['/usr/sbin/rsyslogd', '/usr/bin/logger'].filter((p) => {
    try {
      accessSync(p, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  return missing.length ? `not installed: ${missing.join(', ')} (apt-get install rsyslog bsdutils)` : null;
}

/** Runs a program to its end; rejects with its stderr when it fails. */
export function run(cmd: string, args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err}`))));
    p.stdin.end(input ?? '');
  });
}
