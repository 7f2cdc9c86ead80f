#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { AppError } from './http/errors.js';
import { loadDotEnv, parseConfig } from './config/index.js';
import { createLogger, startLogSage, type Role } from './main.js';

const USAGE = `usage: logsage <command>

commands:
  start   run every role in one process (embedded database unless DB_HOST/DATABASE_URL is set)
  api     run the HTTP role alone

Configuration comes from the environment and an optional .env file; see .env.example.`;

const ROLES: Record<string, Role[]> = { start: ['api'], api: ['api'] };

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const command = positionals[0];
  const roles = command === undefined ? undefined : ROLES[command];
  if (values.help || !roles) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  loadDotEnv();
  let cfg;
  try {
    cfg = parseConfig();
  } catch (err) {
    console.error(err instanceof AppError ? err.message : err);
    process.exit(1);
  }
  const log = createLogger(cfg);
  const running = await startLogSage(cfg, roles, log).catch((err: unknown) => {
    log.fatal({ err }, err instanceof Error ? err.message : 'start failed');
    process.exit(1);
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    running.stop().then(
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
