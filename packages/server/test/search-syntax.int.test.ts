import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../src/db/types.js';
import { findLogs, type LogFilter } from '../src/modules/query/repo-logs.js';
import { ENGINES, buildLog, startTestServer, type TestServer } from './helpers.js';

// The search language (docs/search.md) against real databases: one table of queries, the logs each
// must find, on PGlite and PostgreSQL alike; malformed queries are 400s naming the position; a word
// search is served by the GIN index on the search vector.

const BASE = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000; // yesterday 00:00 UTC
const at = (minutes: number): string => new Date(BASE + minutes * 60_000).toISOString();
// The table's logs sit in the first hour; the filler for the plan check after it, outside the range.
const range = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(60))}`;

const LOGS = {
  pay: buildLog({ service: 'payment-api', level: 'error', message: '支付服务调用数据库连接超时 timeout=30s', host: 'web-1', trace_id: 'abc123', http: { status: 504 } }),
  order: buildLog({ service: 'order-api', level: 'info', message: '订单服务写入数据库成功', hostname: 'web-2' }),
  sync: buildLog({ service: 'sync', level: 'info', message: '数据同步任务完成' }),
  jp: buildLog({ service: 'auth', level: 'warn', message: 'ユーザー認証に失敗しました user=42', attributes: { 'host.name': 'web-1', user_id: 42 } }),
  kr: buildLog({ service: 'auth', level: 'error', message: '데이터베이스 연결 실패' }),
  replica: buildLog({ service: 'db', level: 'error', message: 'database connection refused by replica 3', attributes: { 'trace.id': 'abc123', 'http.status': 500 } }),
  slow: buildLog({ service: 'db', level: 'warn', message: 'slow query took 2300ms on orders' }),
  pool: buildLog({ service: 'payment api', level: 'debug', message: 'connection pool exhausted, retrying', region: 'cn-east' }),
  oom: buildLog({ service: 'web', level: 'fatal', message: 'out of memory: killed process 4312' }),
  quote: buildLog({ service: 'web', level: 'info', message: "user's session can't refresh", path: '/api/v1/logs' }),
};
type Name = keyof typeof LOGS;
const NAMES = Object.keys(LOGS) as Name[];
const byMessage = new Map(NAMES.map((n) => [LOGS[n].message as string, n]));

/** Query → the logs it finds (by name). */
const TABLE: [string, Name[]][] = [
  // English: words, OR, phrases, prefixes, exclusions, groups.
  ['connection', ['replica', 'pool']],
  ['connection refused', ['replica']],
  ['REPLICA Refused', ['replica']],
  ['connection AND refused', ['replica']],
  ['connection OR timeout', ['pay', 'replica', 'pool']],
  ['"connection refused"', ['replica']],
  ['"refused connection"', []],
  ['"out of memory"', ['oom']],
  ['conn*', ['replica', 'pool']],
  ['conn', []],
  ['"connection ref"*', ['replica']],
  ['connection -replica', ['pool']],
  ['connection -"connection pool"', ['replica']],
  ['(timeout OR refused) level:error', ['pay', 'replica']],
  ["user's", ['quote']],
  ['a&b|!c', []],
  ['timeout=30s', ['pay']],
  // Chinese, Japanese, Korean: runs as phrases of their pairs.
  ['数据库', ['pay', 'order']],
  ['数据', ['pay', 'order', 'sync']],
  ['数据 -数据库', ['sync']],
  ['"连接超时"', ['pay']],
  ['超时连接', []],
  ['数据库 timeout', ['pay']],
  ['数据库*', ['pay', 'order']],
  ['同*', ['sync']],
  ['認証', ['jp']],
  ['데이터', ['kr']],
  // Fields.
  ['service:db', ['replica', 'slow']],
  ['service:"payment api"', ['pool']],
  ['service:pay*', ['pay', 'pool']],
  ['-service:db level:error', ['pay', 'kr']],
  ['level:>=error', ['pay', 'kr', 'replica', 'oom']],
  ['level:<info', ['pool']],
  ['level:warning', ['jp', 'slow']],
  ['host:web-1', ['pay', 'jp']],
  ['host:web-*', ['pay', 'order', 'jp']],
  ['trace_id:abc123', ['pay', 'replica']],
  ['attr.http.status:500', ['replica']],
  ['attr.http.status:5*', ['pay', 'replica']],
  ['user_id:42', ['jp']],
  ['region:cn-east', ['pool']],
  ['-region:cn-east service:"payment api"', []],
  ['path:"/api/v1/logs"', ['quote']],
  ['timeout OR service:web', ['pay', 'oom', 'quote']],
  ['level:error -数据库 -데이터', ['replica']],
];

const answers: Record<string, Record<string, string[]>> = {};

describe.each(ENGINES)('search syntax on %s', (engine) => {
  let s: TestServer;
  const get = (q: string) => s.app.inject({ method: 'GET', url: `/api/v1/logs?${range}&limit=100&q=${encodeURIComponent(q)}` });

  beforeAll(async () => {
    s = await startTestServer(engine);
    const table = NAMES.map((n, i) => ({ ...LOGS[n], timestamp: at(i) }));
    // Filler after the hour the table reads: enough rows that the plan check means something.
    const filler = Array.from({ length: 3000 }, (_, i) => buildLog({ timestamp: at(120 + i / 100), message: `heartbeat ${i} ok from worker ${i % 17}` }));
    for (const batch of [table, filler.slice(0, 1500), filler.slice(1500)]) {
      const res = await s.app.inject({ method: 'POST', url: '/api/v1/logs', payload: batch });
      expect(res.json().accepted).toBe(batch.length);
    }
  }, 120_000);
  afterAll(() => s.cleanup());

  it.each(TABLE)('%s', async (q, expected) => {
    const res = await get(q);
    expect(res.statusCode, res.body).toBe(200);
    const found = res.json<{ logs: { id: string; message: string }[] }>().logs;
    const names = found.map((l) => byMessage.get(l.message) ?? l.message).sort();
    expect(names).toEqual([...expected].sort());
    (answers[engine] ??= {})[q] = found.map((l) => `${l.id} ${l.message}`).sort();
  });

  it('answers a malformed query with a 400 naming the problem and its position', async () => {
    const cases: [string, string, number][] = [
      ['timeout "connection refused', 'unbalanced quote', 9],
      ['service: timeout', 'service: has no value', 1],
      ['(timeout OR refused', 'unbalanced parenthesis', 1],
      ['level:loud', 'unknown level', 1],
      ['timeout OR', 'OR needs a term on its right', 9],
      // Positions count in q as sent, leading spaces included.
      ['  timeout)', 'unbalanced parenthesis', 10],
    ];
    for (const [q, problem, position] of cases) {
      const res = await get(q);
      expect(res.statusCode, q).toBe(400);
      const { error } = res.json<{ error: { code: string; message: string; details: { position: number } } }>();
      expect(error.code).toBe('invalid_query');
      expect(error.message).toContain(problem);
      expect(error.details.position).toBe(position);
    }
  });

  it('serves a word search from the GIN index on the search vector', async () => {
    const indexes = await s.db.query<{ name: string }>(
      "SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = 'logs_message_fts_idx'::regclass",
    );
    expect(indexes.rows.length).toBeGreaterThan(0);
    const plan = await s.db.transaction(async (tx) => {
      await tx.query('ANALYZE logs');
      // Deterministic on any table size: the check is that the index can serve the expression at all.
      await tx.query('SET LOCAL enable_seqscan = off');
      return explainFindLogs(tx, { from: at(-60), to: at(24 * 60), services: [], levels: [], q: 'replica', after: undefined, order: 'desc', limit: 100 });
    });
    expect(plan).toContain('Bitmap Index Scan');
    expect(indexes.rows.some((r) => plan.includes(`Bitmap Index Scan on ${r.name}`)), plan).toBe(true);
  });
});

/** The plan of the repository's own page query for `f` (its SQL, run under EXPLAIN). */
async function explainFindLogs(tx: Queryable, f: LogFilter): Promise<string> {
  const lines: string[] = [];
  const explaining: Queryable = {
    async query<R>(text: string, params?: unknown[]) {
      const r = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, params);
      lines.push(...r.rows.map((row) => row['QUERY PLAN']));
      return { rows: [] as R[], rowCount: 0 };
    },
  };
  await findLogs(explaining, f);
  return lines.join('\n');
}

describe('both engines', () => {
  it('gave the same logs (ids and messages) for every query', () => {
    const engines = Object.keys(answers);
    expect(engines.length).toBe(ENGINES.length);
    if (engines.length === 2) expect(answers[engines[0]!]).toEqual(answers[engines[1]!]);
  });
});
