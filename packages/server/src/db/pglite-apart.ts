import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./pglite-migrate-worker.js', import.meta.url));

/**
 * Creates a new embedded database in `dataDir` and applies the migrations in a short-lived child
 * process, before this process opens it for good. PGlite's WebAssembly heap grows to what the
 * busiest statement needed and never shrinks: creating the cluster (initdb) in the serving process
 * left a first start about 110 MiB heavier than a restart of the same data (and a worker thread's
 * heap was not all given back when the thread ended). A directory that already holds a database is
 * left to the caller (opening one costs what a restart costs, and a child would add half a second
 * to every start). Returns false when nothing was done: the directory holds a database, or the
 * script is not there (running from the TypeScript sources, as the tests do).
 */
export async function createApart(dataDir: string): Promise<boolean> {
  if (existsSync(join(dataDir, 'PG_VERSION')) || !existsSync(SCRIPT)) return false;
  const child = spawn(process.execPath, [SCRIPT, dataDir], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`creating or migrating the embedded database in ${dataDir} failed (exit code ${code})`);
  return true;
}
