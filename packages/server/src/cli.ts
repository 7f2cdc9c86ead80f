#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { AppError } from './lib/errors.js';
import { loadDotEnv, parseConfig, type Config } from './config/index.js';
import { createLogger, startLogSage, type Role, type Running } from './main.js';

const USAGE = `usage: logsage <command>

commands:
  start   run every role (api, worker, ai) in one process (embedded database unless DB_HOST/DATABASE_URL is set)
  api     run the HTTP role alone
  worker  run the analysis worker alone (templates, LLM batches, results)
  ai      run the ai role alone (gRPC AnalyzeLogs in front of the LLM provider)
  demo    run everything with the bundled LLM stand-in and generated traffic with planted incidents
          (its own data directory ./data-demo unless DATA_DIR is set; every analysis is marked demo)
  reset-password [username]
          set a new password for a user (default admin), printed once; enables the account and ends
          its sessions. NEW_PASSWORD sets it instead of a generated one. With the embedded database,
          stop LogSage first (one process at a time may open DATA_DIR).
  canary --url URL --key KEY [--rate N] [--duration D] [--run-id ID] [--metrics-port N] …
          write numbered logs to any LogSage through its API, read them back, and report missing,
          duplicated and late logs and write→read / write→analysis latency (Prometheus metrics and a
          summary line); needs no server configuration. \`logsage canary --help\` lists every option.
  eval [--suite PATH] [--out FILE] [--price-in N --price-out N] …
          score the configured LLM provider and model on labelled log lines (anomaly and severity
          agreement, JSON validity, repairs, tokens, latency, cost per 1,000 logs) and write a Markdown
          report. \`logsage eval --help\` lists every option.

Configuration comes from the environment and an optional .env file; see .env.example.`;

const ROLES: Record<string, Role[]> = {
  start: ['api', 'worker', 'ai'],
  api: ['api'],
  worker: ['worker'],
  ai: ['ai'],
  demo: ['api', 'worker', 'ai'],
};

function readConfig(command: string): Config {
  loadDotEnv();
  // One process with every role reaches its own ai role wherever it listens: a fixed gRPC port made a
  // second `logsage start` on the host crash (after printing its one-time admin password). The demo
  // also keeps its analyses apart from real ones. An AI_GRPC_PORT that is set is kept.
  const single = command === 'start' || command === 'demo' ? { AI_GRPC_PORT: '0' } : {};
  const env = command === 'demo' ? { DATA_DIR: './data-demo', ...single, ...process.env } : { ...single, ...process.env };
  try {
    return parseConfig(env);
  } catch (err) {
    console.error(err instanceof AppError ? err.message : err);
    process.exit(1);
  }
}

async function startDemo(cfg: Config, log: ReturnType<typeof createLogger>): Promise<{ running: Running; stop: () => Promise<void> }> {
  const { startStandIn } = await import('@logsage/llm-stand-in');
  const { backfillDemoHistory, ensureDemoRule, startDemoTraffic } = await import('./demo.js');
  const llm = await startStandIn({ port: 0, delayMs: 300 });
  const running = await startLogSage(cfg, ROLES.demo ?? [], log, { demoLlmUrl: llm.baseUrl });
  await ensureDemoRule(running.alerting);
  await backfillDemoHistory(running.ingest);
  const stopTraffic = startDemoTraffic(running.ingest, (err) => log.warn({ err }, 'demo traffic could not be stored'));
  console.log(`\nLogSage demo: http://${cfg.HOST}:${cfg.PORT}  (analyses come from the bundled stand-in, not a real model)\n`);
  return {
    running,
    async stop() {
      stopTraffic();
      await running.stop();
      await llm.close();
    },
  };
}

/** `logsage reset-password [username]`: the way back from a forgotten admin password. */
async function resetPasswordCommand(username: string): Promise<void> {
  const cfg = readConfig('reset-password');
  const { openDatabase } = await import('./db/index.js');
  const { resetPassword } = await import('./modules/auth/index.js');
  const db = await openDatabase(cfg);
  try {
    const password = await resetPassword(db, username, process.env.NEW_PASSWORD || undefined);
    console.log(`New password for ${username}: ${password}\n(shown once; every session of ${username} has ended)`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

/** `logsage canary …`: a client of any installation, so it reads none of the server's configuration. */
async function canaryCommand(argv: string[]): Promise<void> {
  const { startCanary, parseCanaryOptions, CANARY_USAGE } = await import('./canary/index.js');
  if (argv.includes('--help') || argv.includes('-h')) return void console.log(CANARY_USAGE);
  let opts;
  try {
    opts = parseCanaryOptions(argv);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  }
  const canary = await startCanary(opts, (line) => console.log(line));
  console.log(`canary ${opts.runId}: writing ${opts.rate}/s to ${opts.url} as service ${opts.service}` +
    (canary.metricsUrl ? `; metrics at ${canary.metricsUrl}` : ''));
  const end = (): void => void canary.stop();
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
  const final = await canary.done;
  // A canary that saw loss says so in its exit status too, for scripts and CI.
  process.exit(final.missing > 0 || final.duplicated > 0 ? 1 : 0);
}

/** `logsage eval …`: the provider the ai role would use, measured on the labelled suite. */
async function evalCommand(argv: string[]): Promise<void> {
  const { evalCommand: run } = await import('./eval/index.js');
  process.exitCode = await run(argv, () => readConfig('eval'));
}

async function main(): Promise<void> {
  if (process.argv[2] === 'canary') return canaryCommand(process.argv.slice(3));
  if (process.argv[2] === 'eval') return evalCommand(process.argv.slice(3));
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const command = positionals[0];
  if (command === 'reset-password' && !values.help) return resetPasswordCommand(positionals[1] ?? 'admin');
  const roles = command === undefined ? undefined : ROLES[command];
  if (values.help || !roles || command === undefined) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const cfg = readConfig(command);
  const log = createLogger(cfg);
  const started = await (command === 'demo'
    ? startDemo(cfg, log)
    : startLogSage(cfg, roles, log).then((running) => ({ running, stop: () => running.stop() }))
  ).catch((err: unknown) => {
    log.fatal({ err }, err instanceof Error ? err.message : 'start failed');
    process.exit(1);
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    started.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
