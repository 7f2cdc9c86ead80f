import { migrate } from './migrate.js';
import { openPglite } from './pglite.js';

// Run as a child process by createApart (pglite-apart.ts): opens the embedded database in the
// directory given as its argument, applies the migrations and closes it. The WebAssembly heap this
// needed goes with the process.
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: pglite-migrate-worker.js <data directory>');
const db = await openPglite(dataDir);
try {
  await migrate(db);
} finally {
  await db.close();
}
