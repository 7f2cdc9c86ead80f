import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../src/db/pglite.js';
import { migrate } from '../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    hasPostgres: boolean;
    hasRedis: boolean;
    pgliteTemplate: string;
  }
}

/** Checks once whether a TCP service answers on localhost. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, timeout: 1000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

/**
 * Finds out which real services this machine offers. Suites needing a missing one are skipped
 * with the reason printed, except under CI=true, where a missing service fails the run.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const pg = await answers(5432);
  project.provide('hasPostgres', pg);
  if (!pg) {
    const msg = 'PostgreSQL does not answer on 127.0.0.1:5432: PostgreSQL suites are skipped; PGlite suites still run';
    if (process.env.CI === 'true') throw new Error(`${msg} (not allowed under CI=true)`);
    console.warn(`\n[logsage tests] ${msg}\n`);
  }
  const redis = await answers(6379);
  project.provide('hasRedis', redis);
  if (!redis) {
    const msg = 'Redis does not answer on 127.0.0.1:6379: Redis queue suites are skipped';
    if (process.env.CI === 'true') throw new Error(`${msg} (not allowed under CI=true)`);
    console.warn(`\n[logsage tests] ${msg}\n`);
  }
  // Creating a PGlite data directory (initdb in WebAssembly) takes seconds, many times over under a
  // loaded CI machine; tests start from a copy of one made and migrated here, the real way.
  const template = mkdtempSync(join(tmpdir(), 'logsage-pglite-template-'));
  const db = await openPglite(template);
  await migrate(db);
  await db.close();
  project.provide('pgliteTemplate', template);
  return () => rmSync(template, { recursive: true, force: true });
}
