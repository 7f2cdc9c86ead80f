// The fault matrix with real processes: the canary writes and reads through the api role while the
// api, worker and ai processes are killed with SIGKILL, Redis is stopped and flushed, PostgreSQL is
// restarted and the LLM hangs and fails. After each fault: nothing acknowledged is lost, no log is
// analysed twice, no notification is delivered twice, every log is analysed, and every refusal was a
// 429 or 503 with Retry-After. The table is printed at the end.
import { startStandIn, type StandIn } from '@logsage/llm-stand-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpReceiver, type HttpReceiver } from '../../server/test/receivers/http.js';
import { formatTable, runFault, SERVICE, type Context, type Fault, type Row } from './matrix.js';
import { startPostgres, startRedis, until, type PgCluster, type RedisServer } from './services.js';
import { startStack, type Stack } from './stack.js';


async function call<T>(base: string, method: string, path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: T; cookie: string }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', origin: base, ...headers },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { status: res.status, body: (await res.json()) as T, cookie };
}

/** Signs in as admin and makes the canary's keys, a webhook channel to the receiver and one alert rule. */
async function provision(stack: Stack, receiver: HttpReceiver): Promise<Context['keys']> {
  const login = await call(stack.baseUrl, 'POST', '/api/v1/auth/login', { username: 'admin', password: stack.adminPassword }, {});
  expect(login.status).toBe(200);
  const as = { cookie: login.cookie };
  const key = async (scopes: string[]): Promise<string> => {
    const r = await call<{ key: string }>(stack.baseUrl, 'POST', '/api/v1/api-keys', { name: `faults ${scopes.join('+')}`, scopes }, as);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.key;
  };
  const channel = await call<{ id: string }>(stack.baseUrl, 'POST', '/api/v1/channels', { name: 'recorder', type: 'webhook', config: { url: `${receiver.url}/hook` } }, as);
  expect(channel.status, JSON.stringify(channel.body)).toBe(201);
  // One alert group per canary run (per template), notified again every 2 s while results arrive.
  const rule = await call(stack.baseUrl, 'POST', '/api/v1/rules', {
    name: 'canary results', conditions: { services: [SERVICE], min_severity: 'info' }, group_by: ['template'],
    group_wait_seconds: 0, group_interval_seconds: 2, channel_ids: [channel.body.id],
  }, as);
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  return { ingest: await key(['ingest']), read: await key(['read']) };
}

describe('the fault matrix (real processes, own PostgreSQL and Redis)', () => {
  let pgc: PgCluster;
  let redis: RedisServer;
  let llm: StandIn;
  let stack: Stack;
  let receiver: HttpReceiver;
  let ctx: Context;
  const rows: Row[] = [];

  beforeAll(async () => {
    pgc = await startPostgres();
    redis = await startRedis();
    llm = await startStandIn({ port: 0 });
    receiver = await startHttpReceiver();
    stack = await startStack({ databaseUrl: pgc.url, redisUrl: redis.url, llmBaseUrl: llm.baseUrl });
    ctx = { baseUrl: stack.baseUrl, keys: await provision(stack, receiver), databaseUrl: pgc.url, receiver, llm };
  }, 240_000);

  afterAll(async () => {
    if (rows.length) console.log(`\nfault matrix (canary at 20 logs/s, one run per fault)\n${formatTable(rows)}\n`);
    await stack?.stop();
    await receiver?.close();
    await llm?.close();
    await redis?.stop();
    pgc?.stop();
  }, 60_000);

  const killRole = (role: 'api' | 'worker' | 'ai'): Fault => ({
    name: `kill -9 ${role}`, inject: () => stack.kill(role), holdMs: 3000, heal: () => stack.start(role),
  });
  const faults: Fault[] = [
    killRole('api'),
    killRole('worker'),
    killRole('ai'),
    { name: 'redis stop/restart', inject: () => redis.stop(), holdMs: 5000, heal: () => redis.start() },
    { name: 'redis FLUSHALL', inject: () => redis.flushAll(), holdMs: 2000, heal: () => redis.flushAll() },
    { name: 'postgres restart', inject: () => pgc.halt(), holdMs: 4000, heal: () => pgc.resume() },
    // Every completion hangs until the ai role's 3 s timeout gives up on it.
    { name: 'LLM hangs', inject: () => llm.setDelay(600_000), holdMs: 6000, heal: () => llm.setDelay(0) },
    { name: 'LLM fails (500)', inject: () => llm.queueFaults(Array.from({ length: 500 }, () => ({ kind: 'server_error' as const }))), holdMs: 6000, heal: () => llm.clearFaults() },
  ];

  for (const [i, fault] of faults.entries()) {
    it(`${fault.name}: nothing lost, nothing doubled, every log analysed, only 429/503 with Retry-After`, async () => {
      const row = await runFault(ctx, fault, `f${i}-${Date.now().toString(36)}`);
      rows.push(row);
      const s = row.summary;
      const detail = JSON.stringify({ ...row, summary: s });
      const down = stack.exited();
      expect(down, down.map((r) => `--- ${r} ---\n${stack.output(r)}`).join('\n')).toEqual([]);
      expect(s.acked, detail).toBeGreaterThan(100);
      expect(s.acked, detail).toBe(s.written);
      expect(row.lost, detail).toBe(0);
      expect(s.missing, detail).toBe(0);
      expect(row.storedTwice + s.duplicated, detail).toBe(0);
      expect(row.unanalysed + s.unanalysed, detail).toBe(0);
      expect(s.analysed, detail).toBe(s.acked);
      expect(row.doubledAnalyses, detail).toBe(0);
      expect(row.doubledNotifications, detail).toBe(0);
      expect(row.refusedOk, detail).toBe(true);
      expect(row.badStatuses, detail).toEqual({});
      // Each run gets its own template, hence its own alert group: its results must have been notified.
      await until(async () => receiver.requests.some((r) => r.body.includes(`canary ${s.runId} entry`)), `a notification of run ${s.runId}`, 30_000);
    });
  }
});
