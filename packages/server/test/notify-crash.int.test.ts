import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '../src/config/index.js';
import { openDatabase, type Db } from '../src/db/index.js';
import { createNotifyService, createOutboundClient, enqueueNotifications } from '../src/modules/notify/index.js';
import { createPgDatabase, hasPostgres } from './helpers.js';
import { buildNotification, outboxRows } from './notify-helpers.js';
import { startHttpReceiver, type HttpReceiver } from './receivers/http.js';

const CHILD = new URL('./notify-worker-child.ts', import.meta.url).pathname;
const TSX = import.meta.resolve('tsx');
// The test's service and the child worker share PostgreSQL, so they share SECRETS_KEY as hosts must.
const SECRETS_KEY = randomBytes(32).toString('hex');

async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe.runIf(hasPostgres())('a delivery worker killed mid-send', () => {
  let pgDb: Awaited<ReturnType<typeof createPgDatabase>>;
  let db: Db;
  let cfg: ReturnType<typeof parseConfig>;
  let http: HttpReceiver;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    pgDb = await createPgDatabase();
    cfg = parseConfig({ DATABASE_URL: pgDb.url, SECRETS_KEY });
    db = await openDatabase(cfg);
    // The first request is left hanging, as if the provider were slow when the worker died.
    http = await startHttpReceiver((r) => (http.requests.indexOf(r) === 0 ? { stall: true } : {}));
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await db?.close();
    await http?.close();
    await pgDb?.drop();
  });

  const startChild = (): ChildProcess => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD], {
      env: {
        PATH: process.env.PATH ?? '', DATABASE_URL: pgDb.url, LOG_LEVEL: 'silent', OUTBOUND_ALLOW: '127.0.0.1',
        NOTIFY_POLL_MS: '50', NOTIFY_LEASE_MS: '1500', NOTIFY_TIMEOUT_MS: '60000', SECRETS_KEY,
      },
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  };

  it('resends at most once, and the outbox records exactly one successful send', async () => {
    const notify = createNotifyService({ db, outbound: createOutboundClient({ allow: [], timeoutMs: 1000 }), publicUrl: 'http://x', language: 'en', timeoutMs: 1000, secretsKey: cfg.SECRETS_KEY! });
    const { id } = await notify.createChannel({ name: 'hook', type: 'webhook', config: { url: `${http.url}/hook` } });
    await enqueueNotifications(db, [id], buildNotification({ idempotencyKey: 'crash-1' }));

    const first = startChild();
    await until(() => http.requests.length === 1, 'the first send');
    const exited = new Promise((r) => first.on('exit', r));
    first.kill('SIGKILL');
    await exited;
    expect((await outboxRows(db, id))[0]).toMatchObject({ state: 'sending', attempts: 1 });

    startChild();
    await until(async () => (await outboxRows(db, id))[0]!.state === 'sent', 'the resend after the lease');
    const rows = await outboxRows(db, id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'sent', attempts: 2, last_status: 200 });
    expect(http.requests.length).toBeLessThanOrEqual(2);
    expect(new Set(http.requests.map((r) => r.headers['x-logsage-idempotency-key']))).toEqual(new Set(['crash-1']));
    const sent = await db.query<{ n: string }>("SELECT count(*) AS n FROM notify_outbox WHERE state = 'sent'");
    expect(Number(sent.rows[0]!.n)).toBe(1);
  });
});
