// `logsage eval` against the LLM stand-in. The stand-in answers by documented rules (analyseLog), so
// every figure the report states can be derived here from the suite and those rules, never typed in:
// expected verdicts = analyseLog of what the ai role sends (the redacted message), token counts = the
// stand-in's own counters, cost = those tokens at the price given on the command line.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redact } from '@logsage/ai-service';
import { SEVERITIES } from '@logsage/contracts';
import { analyseLog, startStandIn, type StandIn } from '@logsage/llm-stand-in';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/index.js';
import { priceTable } from '../src/modules/analysis/index.js';
import { BUILTIN_SUITE, evalCommand, loadSuite, type EvalCase } from '../src/eval/index.js';

const CLI = new URL('../src/cli.ts', import.meta.url).pathname;
const TSX = import.meta.resolve('tsx');
const KEY = 'eval-test-key';
const MODEL = 'Qwen/QwQ-32B';

/** A suite line as a user writes it; only what the test cares about is named. */
function buildCase(over: Partial<Record<string, unknown>> & { id: string }): string {
  return JSON.stringify({ stack: 'custom', language: 'en', level: 'info', service: 'svc', message: 'user created', expect: { is_anomaly: false, severity: 'info' }, ...over });
}

/** The stand-in's verdict for a case, from what the ai role sends it (redaction on, the default). */
const standInVerdict = (c: EvalCase) =>
  analyseLog({ level: c.level ?? '', message: redact(c.message), template: c.template === undefined ? undefined : redact(c.template), service: c.service }, 'en');

/** Runs the logsage command in a child process; resolves with its exit status and output. */
function runCli(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

const pct = (n: number, d: number): string => `${((100 * n) / d).toFixed(1)}% (${n}/${d})`;

/** The counts the report must state for `cases`, derived from the labels and the stand-in's rules. */
function expectedFigures(cases: EvalCase[]) {
  const f = { tp: 0, fp: 0, fn: 0, tn: 0, exact: 0, near: 0, disagreeing: [] as string[] };
  for (const c of cases) {
    const v = standInVerdict(c);
    const key = c.expect.isAnomaly ? (v.is_anomaly ? 'tp' : 'fn') : v.is_anomaly ? 'fp' : 'tn';
    f[key]++;
    const steps = Math.min(...c.expect.severity.map((s) => Math.abs(SEVERITIES.indexOf(s) - SEVERITIES.indexOf(v.severity))));
    if (steps === 0) f.exact++;
    if (steps <= 1) f.near++;
    const categoryDiffers = c.expect.category !== undefined && c.expect.category !== v.category;
    if (v.is_anomaly !== c.expect.isAnomaly || steps > 0 || categoryDiffers) f.disagreeing.push(c.id);
  }
  return f;
}

describe('logsage eval', () => {
  let standIn: StandIn;
  const dir = mkdtempSync(join(tmpdir(), 'logsage-eval-'));
  const env = (): Record<string, string> => ({ LLM_BASE_URL: standIn.baseUrl, LLM_MODEL: MODEL, LLM_API_KEY: KEY, ANALYSIS_LANGUAGE: 'en', LLM_RPM: '0' });
  const run = async (argv: string[], cfgEnv = env()) => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await evalCommand(argv, () => parseConfig(cfgEnv), { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { status, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    standIn = await startStandIn({ apiKey: KEY });
  });
  beforeEach(() => standIn.reset());
  afterAll(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ships a suite of at least 80 cases over the common stacks, a third or more in Chinese', () => {
    const cases = loadSuite([BUILTIN_SUITE]);
    expect(cases.length).toBeGreaterThanOrEqual(80);
    expect(cases.filter((c) => c.language === 'zh-CN').length * 3).toBeGreaterThanOrEqual(cases.length);
    const stacks = new Set(cases.map((c) => c.stack));
    for (const s of ['database', 'queue', 'http', 'kubernetes', 'jvm', 'kernel', 'auth']) expect(stacks).toContain(s);
    // Normal lines in both languages, so a model that flags everything cannot score well.
    for (const l of ['en', 'zh-CN']) expect(cases.filter((c) => c.language === l && !c.expect.isAnomaly).length).toBeGreaterThanOrEqual(5);
  });

  it('scores the built-in suite through the command: the figures follow from the stand-in rules', async () => {
    const out = join(dir, 'builtin.md');
    // Not spawnSync: the stand-in answers from this process's event loop.
    const r = await runCli(['eval', '--out', out, '--price-in', '1', '--price-out', '4', '--currency', 'CNY'], env());
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    const cases = loadSuite([BUILTIN_SUITE]);
    const f = expectedFigures(cases);
    const n = cases.length;
    const calls = Math.ceil(n / 12);
    const stats = standIn.stats();
    expect(stats.calls).toBe(calls);
    const report = readFileSync(out, 'utf8');
    expect(report).toContain(`| cases answered | ${pct(n, n)} |`);
    expect(report).toContain(`| anomaly accuracy | ${pct(f.tp + f.tn, n)} |`);
    expect(report).toContain(`(${f.tp} of ${f.tp + f.fp} flagged)`);
    expect(report).toContain(`(${f.tp} of ${f.tp + f.fn} labelled anomalies)`);
    expect(report).toContain(`| severity exact | ${pct(f.exact, n)} |`);
    expect(report).toContain(`| severity within one step | ${pct(f.near, n)} |`);
    // The stand-in always answers valid JSON unless a fault is planted: every first answer is used.
    expect(report).toContain(`| JSON valid at the first answer | ${pct(calls, calls)} |`);
    expect(report).toContain(`| calls that needed a repair | ${pct(0, calls)} (0 repairs) |`);
    expect(report).toContain(`| prompt tokens | ${stats.promptTokens} |`);
    expect(report).toContain(`| completion tokens (reasoning included) | ${stats.completionTokens} (reasoning ${stats.reasoningTokens}) |`);
    const cost = Number(/\| cost \| ([\d.]+) CNY per 1,000 logs/.exec(report)?.[1]);
    expect(cost).toBeCloseTo(((stats.promptTokens * 1 + stats.completionTokens * 4) / 1e6 / n) * 1000, 3);
    expect(report).toContain(`## Disagreements (${f.disagreeing.length})`);
    for (const id of f.disagreeing) expect(report).toMatch(new RegExp(`^\\| ${id} \\|`, 'm'));
    for (const c of cases.filter((x) => !f.disagreeing.includes(x.id))) expect(report).not.toMatch(new RegExp(`^\\| ${c.id} \\|`, 'm'));
    for (const s of new Set(cases.map((c) => c.stack))) {
      const k = cases.filter((c) => c.stack === s).length;
      expect(report).toMatch(new RegExp(`^\\| ${s} \\| ${k} \\| ${k} \\|`, 'm'));
    }
    const zh = cases.filter((c) => c.language === 'zh-CN').length;
    expect(report).toMatch(new RegExp(`^\\| zh-CN \\| ${zh} \\| ${zh} \\|`, 'm'));
    // One summary line on stdout, naming the report.
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`eval ${MODEL}: ${n}/${n} answered, anomaly accuracy ${(((f.tp + f.tn) * 100) / n).toFixed(1)}%`);
    expect(lines[0]).toContain(`JSON valid ${calls}/${calls} calls, repairs 0, tokens ${stats.promptTokens} in ${stats.completionTokens} out`);
    expect(lines[0]).toContain(`→ ${out}`);
  }, 150_000);

  it('counts a repaired reply and adds user cases to the built-in suite', async () => {
    const file = join(dir, 'mine.jsonl');
    const lines = [
      '// my stack',
      buildCase({ id: 'mine-1', message: 'payment refused by bank: card declined', level: 'error', expect: { is_anomaly: true, severity: 'high' } }),
      buildCase({ id: 'mine-2' }),
      buildCase({ id: 'mine-3', message: 'kernel: disk corrupt', expect: { is_anomaly: true, severity: ['high', 'critical'], category: 'resource' } }),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    // The first answer is prose: the ai role asks for a repair, which the stand-in answers correctly.
    standIn.queueFaults([{ kind: 'malformed' }]);
    const out = join(dir, 'mine.md');
    const r = await run(['--suite-only', '--suite', file, '--batch-size', '2', '--out', out, '--price-in', '0', '--price-out', '0']);
    expect(r.status).toBe(0);
    const report = readFileSync(out, 'utf8');
    expect(report).toContain(`| JSON valid at the first answer | ${pct(1, 2)} |`);
    expect(report).toContain(`| calls that needed a repair | ${pct(1, 2)} (1 repairs) |`);
    expect(report).toContain(`| cases answered | ${pct(3, 3)} |`);
    expect(standIn.stats().calls).toBe(3);
    const f = expectedFigures(loadSuite([file]));
    expect(report).toContain(`| severity exact | ${pct(f.exact, 3)} |`);
    // Prices without a currency are in the currency of the model's table entry.
    expect(r.out).toContain(`0.00 ${priceTable().get(MODEL)?.currency}/1k logs`);

    standIn.reset();
    const both = await run(['--suite', file, '--out', join(dir, 'both.md'), '--batch-size', '50']);
    expect(both.status).toBe(0);
    const total = loadSuite([BUILTIN_SUITE]).length + 3;
    expect(both.out).toContain(`${total}/${total} answered`);
  });

  it('prices tokens from the built-in table, LLM_PRICES or nothing, and says which', async () => {
    const file = join(dir, 'priced.jsonl');
    writeFileSync(file, [buildCase({ id: 'p-1' }), buildCase({ id: 'p-2', level: 'error', message: 'upstream timed out' })].join('\n'));
    const costIn = (report: string, currency: string): number => Number(new RegExp(`\\| cost \\| ([\\d.]+) ${currency} per 1,000 logs`).exec(report)?.[1]);
    const argv = (name: string) => ['--suite-only', '--suite', file, '--out', join(dir, name)];

    const builtin = await run(argv('default.md'));
    const listed = priceTable().get(MODEL);
    expect(listed?.default).toBe(true);
    let report = readFileSync(join(dir, 'default.md'), 'utf8');
    expect(report).toContain('built-in default list price as of 2026: check your provider');
    const s1 = standIn.stats();
    expect(costIn(report, listed?.currency ?? '')).toBeCloseTo(((s1.promptTokens * (listed?.input ?? NaN) + s1.completionTokens * (listed?.output ?? NaN)) / 1e6 / 2) * 1000, 3);
    expect(builtin.out).toContain(`${listed?.currency}/1k logs`);

    standIn.reset();
    await run(argv('configured.md'), { ...env(), LLM_PRICES: JSON.stringify({ [MODEL]: { input: 20, output: 80, currency: 'EUR' } }) });
    report = readFileSync(join(dir, 'configured.md'), 'utf8');
    expect(report).toContain('price from LLM_PRICES');
    const s2 = standIn.stats();
    expect(costIn(report, 'EUR')).toBeCloseTo(((s2.promptTokens * 20 + s2.completionTokens * 80) / 1e6 / 2) * 1000, 3);

    const unknown = await run(argv('unknown.md'), { ...env(), LLM_MODEL: 'my-local-model' });
    expect(unknown.status).toBe(0);
    expect(unknown.out).toContain('cost unknown');
    expect(readFileSync(join(dir, 'unknown.md'), 'utf8')).toContain('| cost | unknown: no price for this model');
  });

  it('exits non-zero only when nothing could be measured: bad options, a bad suite, no provider or a rejected key', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, [buildCase({ id: 'ok-1' }), '{"id": "x"', buildCase({ id: 'ok-1' }), buildCase({ id: 'sev', expect: { is_anomaly: true, severity: 'urgent' } })].join('\n'));
    const suiteErr = await run(['--suite-only', '--suite', bad]);
    expect(suiteErr.status).toBe(2);
    expect(suiteErr.err).toContain('bad.jsonl:2: not JSON');
    expect(suiteErr.err).toContain('bad.jsonl:3: id "ok-1" already used at bad.jsonl:1');
    expect(suiteErr.err).toMatch(/bad\.jsonl:4: expect\.severity: one of critical, high, medium, low, info/);

    const price = await run(['--price-in', '1']);
    expect(price.status).toBe(2);
    expect(price.err).toContain('--price-in and --price-out: give both');

    const nowhere = await run(['--out', join(dir, 'missing-dir', 'r.md')]);
    expect(nowhere.status).toBe(2);
    expect(nowhere.err).toContain('does not exist');
    expect(standIn.stats().calls).toBe(0);

    const none = await run(['--out', join(dir, 'none.md')], {});
    expect(none.status).toBe(1);
    expect(none.err).toContain('no LLM provider configured');

    const rejected = await run(['--out', join(dir, 'rejected.md')], { ...env(), LLM_API_KEY: 'wrong' });
    expect(rejected.status).toBe(1);
    expect(rejected.err).toMatch(/rejected the API key/);
    expect(standIn.stats().calls).toBe(1);
  });
});
