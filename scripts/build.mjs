// `npm run build`: the server-side packages with tsc -b, then the dashboard with Vite (the api
// role serves packages/dashboard/dist at /). Exits non-zero when either fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Packages built by Vite (the dashboard) or not built at all (the end-to-end tests). */
const NOT_TSC = new Set(['dashboard', 'e2e']);

export function tscProjects() {
  return readdirSync('packages')
    .filter((p) => !NOT_TSC.has(p))
    .map((p) => `packages/${p}/tsconfig.json`)
    .filter((p) => existsSync(p));
}

/** Builds everything; returns the exit status of the first step that failed, else 0. */
export function buildAll(stdio = 'inherit') {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', ...tscProjects()], { stdio });
  if (tsc.status !== 0) return tsc.status ?? 1;
  const vite = spawnSync(process.execPath, ['../../node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio, cwd: 'packages/dashboard' });
  if (vite.status !== 0) return vite.status ?? 1;
  precompress('packages/dashboard/dist/assets');
  return 0;
}

/**
 * Writes .br and .gz beside every script and stylesheet once, at build time: the api role sends
 * them to browsers that accept them (a quarter of the bytes) without compressing per request.
 */
function precompress(dir) {
  for (const name of readdirSync(dir)) {
    if (!/\.(js|css|svg)$/.test(name)) continue;
    const body = readFileSync(join(dir, name));
    writeFileSync(join(dir, `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }));
    writeFileSync(join(dir, `${name}.gz`), gzipSync(body, { level: 9 }));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(buildAll());
