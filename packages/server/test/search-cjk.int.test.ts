import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, buildLog, startTestServer, type TestServer } from './helpers.js';

// Words inside Chinese, Japanese and Korean text are found (the index holds character pairs), with
// the same answers on PGlite and PostgreSQL; English search is unchanged.

const BASE = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000;
const range = `from=${encodeURIComponent(new Date(BASE - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(BASE + 86_400_000).toISOString())}`;
const MESSAGES = [
  '支付服务调用数据库连接超时 timeout=30s',
  '订单服务写入数据库成功',
  '数据同步任务完成',
  'ユーザー認証に失敗しました user=42',
  '데이터베이스 연결 실패',
  'database connection refused by replica 3',
  'slow query took 2300ms on orders',
];

const answers: Record<string, Record<string, string[]>> = {};

describe.each(ENGINES)('search in every language on %s', (engine) => {
  let s: TestServer;
  const search = async (q: string): Promise<string[]> => {
    const res = await s.app.inject({ method: 'GET', url: `/api/v1/logs?${range}&limit=100&q=${encodeURIComponent(q)}` });
    expect(res.statusCode, res.body).toBe(200);
    const found = res.json<{ logs: { message: string }[] }>().logs.map((l) => l.message).sort();
    (answers[engine] ??= {})[q] = found;
    return found;
  };

  beforeAll(async () => {
    s = await startTestServer(engine);
    const res = await s.app.inject({
      method: 'POST', url: '/api/v1/logs',
      payload: MESSAGES.map((message, i) => buildLog({ message, timestamp: new Date(BASE + i * 60_000).toISOString() })),
    });
    expect(res.json().accepted).toBe(MESSAGES.length);
  });
  afterAll(() => s.cleanup());

  it('finds Chinese words inside a sentence, as words, phrases and exclusions', async () => {
    expect(await search('数据库')).toEqual([MESSAGES[0], MESSAGES[1]].sort());
    expect(await search('数据')).toEqual([MESSAGES[0], MESSAGES[1], MESSAGES[2]].sort());
    expect(await search('"连接超时"')).toEqual([MESSAGES[0]]);
    expect(await search('数据 -数据库')).toEqual([MESSAGES[2]]);
    expect(await search('数据库 timeout')).toEqual([MESSAGES[0]]);
    expect(await search('超时连接')).toEqual([]); // the pairs exist, not in this order
  });

  it('finds Japanese and Korean words', async () => {
    expect(await search('認証')).toEqual([MESSAGES[3]]);
    expect(await search('데이터')).toEqual([MESSAGES[4]]);
  });

  it('keeps English search word-based', async () => {
    expect(await search('replica refused')).toEqual([MESSAGES[5]]);
    expect(await search('"slow query"')).toEqual([MESSAGES[6]]);
    expect(await search('connection -replica')).toEqual([]);
    expect(await search('conn')).toEqual([]);
  });
});

describe('both engines', () => {
  it('gave the same answers', () => {
    const engines = Object.keys(answers);
    if (engines.length < 2) return;
    expect(answers[engines[0]!]).toEqual(answers[engines[1]!]);
  });
});
