// `npm test`: every test of every package, then one line `N passed, N failed` computed from
// Vitest's JSON reports. Exits non-zero on any failure, and under CI=true on any skipped test.
// Extra arguments go to Vitest (e.g. a file filter); they apply to both passes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { buildAll } from './build.mjs';

// Packages import each other's built output, tests start `dist/cli.js`, and the end-to-end tests
// drive the built dashboard: build first.
if (buildAll() !== 0) {
  console.log('\n0 passed, 1 failed');
  console.error('the build failed; fix the compile errors above');
  process.exit(1);
}

mkdirSync('test-results', { recursive: true });

/** Runs Vitest on the given projects; returns its exit status and counts from its JSON report. */
function pass(name, projects) {
  const report = `test-results/vitest-${name}.json`;
  rmSync(report, { force: true });
  const run = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, '--passWithNoTests', ...projects.map((p) => `--project=${p}`), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    // A file that failed to load has no failed test of its own: count it as one failure.
    const broken = r.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed')).length;
    return { status: run.status, passed: r.numPassedTests, failed: r.numFailedTests + broken, skipped: r.numPendingTests + r.numTodoTests };
  } catch {
    return { status: run.status ?? 1, passed: 0, failed: 1, skipped: 0 }; // no report: Vitest itself failed (config error, crash)
  }
}

// The browser suite runs alone after the rest: Chromium, its server and PostgreSQL competing with
// thirty parallel test servers for two cores would only make both sides slow and flaky.
// The fault matrix kills and restarts processes of its own on the same two cores: alone, last. Vitest
// keeps a project that any --project pattern matches, so `!e2e` and `!faults` together would keep both:
// the first pass names every other package's project (each is named after its directory).
const ALONE = ['e2e', 'faults'];
const together = readdirSync('packages').filter((d) => existsSync(`packages/${d}/vitest.config.ts`) && !ALONE.includes(d));
const results = [pass('unit-and-integration', together), pass('e2e', ['e2e']), pass('faults', ['faults'])];
const sum = (k) => results.reduce((n, r) => n + r[k], 0);
const passed = sum('passed'), failed = sum('failed'), skipped = sum('skipped');
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (skipped > 0 && process.env.CI === 'true') console.error('tests were skipped; under CI=true every suite must run');
const runFailed = results.some((r) => r.status !== 0);
process.exit(runFailed || failed > 0 || passed === 0 || (skipped > 0 && process.env.CI === 'true') ? 1 : 0);
