import { accessSync, constants, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the end-to-end suite cannot run here (null: it can). */
    e2eSkipReason: string | null;
  }
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DASHBOARD_INDEX = resolve(import.meta.dirname, '../../dashboard/dist/index.html');
const SERVER_CLI = resolve(import.meta.dirname, '../../server/dist/cli.js');

function answers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ host: '127.0.0.1', port, timeout: 1000 });
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
    s.once('timeout', () => (s.destroy(), done(false)));
  });
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides once whether the suite can run: it needs PostgreSQL and Chromium (skipped, with the reason
 * printed, when either is missing; `npm test` under CI=true then fails on the skip) and the built
 * server and dashboard (a missing build is a failure, not a skip: `npm test` builds first).
 */
export default async function setup(project: TestProject): Promise<void> {
  if (!existsSync(SERVER_CLI)) throw new Error(`${SERVER_CLI} is missing: run node scripts/build.mjs first`);
  if (!existsSync(DASHBOARD_INDEX)) throw new Error(`${DASHBOARD_INDEX} is missing: run node scripts/build.mjs first`);
  const missing: string[] = [];
  if (!(await answers(5432))) missing.push('PostgreSQL does not answer on 127.0.0.1:5432');
  if (!executable(CHROMIUM)) missing.push(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  const reason = missing.length ? missing.join('; ') : null;
  if (reason) console.warn(`\n[logsage e2e] the end-to-end suite is skipped: ${reason}\n`);
  project.provide('e2eSkipReason', reason);
}
