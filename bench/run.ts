// `npm run bench [-- name...]`: runs bench/<name>/index.ts for each name (all when none given).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = import.meta.dirname;
const all = readdirSync(here).filter((d) => statSync(join(here, d)).isDirectory() && d !== 'lib');
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}"; known: ${all.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== bench/${name} ==`);
  await import(pathToFileURL(join(here, name, 'index.ts')).href);
}
