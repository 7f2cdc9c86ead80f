// Assign-pass throughput: how fast the worker mines templates and keys pending logs when no LLM is
// involved (no provider configured, so nothing is scheduled): the part that serialises workers.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { parseConfig } from '../../packages/server/src/config/index.js';
import { startLogSage } from '../../packages/server/src/main.js';

/** Stores `lines`, then times a worker (start included) until every log has a verdict key. */
export async function measureAssign(adminUrl: string, db: string, lines: string[]): Promise<{ lines: number; seconds: number; perSecond: number; templates: number }> {
  const admin = async (sql: string): Promise<void> => {
    const c = new pg.Client(adminUrl);
    await c.connect();
    await c.query(sql);
    await c.end();
  };
  await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${db}`);
  const cfg = parseConfig({ DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`, DATA_DIR: mkdtempSync(join(tmpdir(), 'logsage-bench-')), AI_GRPC_PORT: '0', AUTH_DISABLED: 'true', LOG_LEVEL: 'silent' });
  // Stored first by a process without the worker role, then assigned by a worker started afterwards,
  // so the time is the assign pass alone.
  const loader = await startLogSage(cfg, [], pino({ level: 'silent' }), { announce: () => undefined });
  for (let i = 0; i < lines.length; i += 1000) {
    const r = await loader.app.inject({ method: 'POST', url: '/api/v1/logs', headers: { 'content-type': 'text/plain' }, payload: lines.slice(i, i + 1000).join('\n') });
    if (r.statusCode !== 200) throw new Error(`ingest answered ${r.statusCode}`);
  }
  await loader.stop();
  const t0 = performance.now();
  const running = await startLogSage(cfg, ['worker'], pino({ level: 'silent' }), { announce: () => undefined });
  try {
    for (;;) {
      const r = await running.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM analysis_pending WHERE verdict_key IS NULL`);
      if (r.rows[0]?.n === '0') break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    const t = await running.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM log_templates`);
    return { lines: lines.length, seconds, perSecond: lines.length / seconds, templates: Number(t.rows[0]?.n ?? 0) };
  } finally {
    await running.stop();
    await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  }
}
