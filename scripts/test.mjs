// `npm test`: every test of every package, then one line `N passed, N failed` computed from
// Vitest's JSON report. Exits non-zero on any failure, and under CI=true on any skipped test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { buildAll } from './build.mjs';

// Packages import each other's built output, tests start `dist/cli.js`, and the end-to-end tests
// drive the built dashboard: build first.
if (buildAll() !== 0) {
  console.log('\n0 passed, 1 failed');
  console.error('the build failed; fix the compile errors above');
  process.exit(1);
}

const report = 'test-results/vitest.json';
mkdirSync('test-results', { recursive: true });
rmSync(report, { force: true });
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);

let passed = 0, failed, skipped = 0;
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  // A file that failed to load has no failed test of its own: count it as one failure.
  failed = r.numFailedTests + r.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed')).length;
  skipped = r.numPendingTests + r.numTodoTests;
} catch {
  failed = 1; // no report: Vitest itself failed (config error, crash)
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (skipped > 0 && process.env.CI === 'true') console.error('tests were skipped; under CI=true every suite must run');
process.exit(run.status !== 0 || failed > 0 || passed === 0 || (skipped > 0 && process.env.CI === 'true') ? 1 : 0);

