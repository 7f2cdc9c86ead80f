import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./pglite-migrate-worker.js', import.meta.url));

/**
 * Creates the embedded database in `dataDir` and applies the migrations in a short-lived child
 * process, before this process opens it for good. PGlite's WebAssembly heap grows to what the
 * busiest statement needed and never shrinks: creating the cluster (initdb) and running every
 * migration in the serving process left a first start far heavier than a restart of the same data
 * (and a worker thread's heap was not all given back when the thread ended). Returns false when the
 * script is not there (running from the TypeScript sources, as the tests do): the caller then
 * migrates in its own process.
 */
export async function migrateApart(dataDir: string): Promise<boolean> {
  if (!existsSync(SCRIPT)) return false;
  const child = spawn(process.execPath, [SCRIPT, dataDir], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`creating or migrating the embedded database in ${dataDir} failed (exit code ${code})`);
  return true;
}
