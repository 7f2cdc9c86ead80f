import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../src/db/migrate.js';
import { createApart as fromSources } from '../src/db/pglite-apart.js';
import { openPglite } from '../src/db/pglite.js';

// The embedded database is created and migrated in a child process before the serving process
// opens it (its WebAssembly heap never shrinks). The child's script exists in the build only, so
// this drives the built module, as `logsage start` does.
const built = new URL('../dist/db/pglite-apart.js', import.meta.url).href;
const { createApart } = (await import(built)) as { createApart: (dir: string) => Promise<boolean> };
const root = mkdtempSync(join(tmpdir(), 'logsage-apart-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('embedded database created apart', () => {
  it('creates and migrates a new data directory in a child process; the serving process finds every migration applied, and a second start spawns nothing', async () => {
    const dir = join(root, 'fresh');
    expect(await createApart(dir)).toBe(true);
    const db = await openPglite(dir);
    try {
      const applied = (await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
      expect(applied).toEqual(listMigrations().map((m) => m.version));
      expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'logs'`)).rows[0]?.n).toBe(1);
    } finally {
      await db.close();
    }
    // A directory that holds a database is the caller's to open (and migrate, if it needs it).
    expect(await createApart(dir)).toBe(false);
  }, 120_000);

  it('a data directory that cannot be created is an error naming it, and this process goes on', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a directory');
    await expect(createApart(join(file, 'data'))).rejects.toThrow(/embedded database in .*a-file\/data failed/);
  }, 60_000);

  it('running from the TypeScript sources, the caller migrates in its own process', async () => {
    expect(await fromSources(join(root, 'unused'))).toBe(false);
  });
});
