// `logsage eval`: scores the configured provider and model on labelled log lines and writes a Markdown
// report. It is a measurement: poor figures still exit 0; only unusable options, a bad suite or a
// provider that is missing or rejects the key exit non-zero, since then no figure would mean anything.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PROMPT_VERSION } from '@logsage/ai-service';
import { pino } from 'pino';
import type { Config } from '../config/index.js';
import { priceTable } from '../modules/analysis/index.js';
import { aiOptions } from '../roles/ai.js';
import { EVAL_USAGE, EvalOptionsError, parseEvalOptions } from './options.js';
import { choosePrice } from './prices.js';
import { renderReport, summaryLine, type ReportContext } from './report.js';
import { ProviderConfigError, runSuite } from './run.js';
import { score } from './score.js';
import { loadSuite, SuiteError, type EvalCase } from './suite.js';

export { EVAL_USAGE, parseEvalOptions, type EvalOptions } from './options.js';
export { loadSuite, BUILTIN_SUITE, type EvalCase } from './suite.js';
export { score, severityDistance, type Scores } from './score.js';

/** Where the command writes: stdout for the summary, stderr for progress and errors. */
export interface EvalIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: EvalIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

function readCases(suites: string[], io: EvalIo): EvalCase[] | undefined {
  try {
    return loadSuite(suites);
  } catch (err) {
    if (!(err instanceof SuiteError)) throw err;
    io.err(err.message);
    return undefined;
  }
}

/** Runs `logsage eval` with `argv` (after the command word); resolves to the exit status. */
export async function evalCommand(argv: string[], readConfig: () => Config, io: EvalIo = consoleIo): Promise<number> {
  let opts;
  try {
    opts = parseEvalOptions(argv);
  } catch (err) {
    if (!(err instanceof EvalOptionsError)) throw err;
    io.err(`${err.message}\n\n${EVAL_USAGE}`);
    return 2;
  }
  if (opts.help) return (io.out(EVAL_USAGE), 0);
  // Checked before any token is spent: a report that cannot be written would waste the whole run.
  if (!existsSync(dirname(resolve(opts.out)))) return (io.err(`--out: the directory of ${opts.out} does not exist`), 2);
  const cases = readCases(opts.suites, io);
  if (!cases) return 2;
  const cfg = readConfig();
  // The analyzer's warnings (repairs, cut replies) go to stderr so stdout keeps the one summary line.
  const log = pino({ level: cfg.LOG_LEVEL === 'info' ? 'warn' : cfg.LOG_LEVEL }, pino.destination(2));
  const options = aiOptions(cfg, log);
  const language = opts.language ?? cfg.ANALYSIS_LANGUAGE;
  const batchSize = opts.batchSize ?? cfg.ANALYSIS_BATCH_SIZE;
  let run;
  try {
    run = await runSuite(cases, options, { batchSize, language, onCall: (done, total) => io.err(`eval: call ${done}/${total}`) });
  } catch (err) {
    if (!(err instanceof ProviderConfigError)) throw err;
    io.err(`eval: ${err.message}`);
    return 1;
  }
  const ctx: ReportContext = {
    run,
    cases,
    scores: score(cases, run),
    price: choosePrice(opts.price, run.model, priceTable(cfg.LLM_PRICES)),
    suites: opts.suites,
    promptVersion: PROMPT_VERSION,
  };
  writeFileSync(opts.out, renderReport(ctx));
  io.out(summaryLine(ctx, opts.out));
  return 0;
}
