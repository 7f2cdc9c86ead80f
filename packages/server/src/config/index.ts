import { existsSync } from 'node:fs';
import { BadValue, type VarSpec } from './spec.js';
import { CORE_VARS } from './vars-core.js';
import { ANALYSIS_VARS } from './vars-analysis.js';
import { AUTH_VARS } from './vars-auth.js';
import { ALERTING_VARS } from './vars-alerting.js';
import { SYSLOG_VARS } from './vars-syslog.js';
import { BUDGET_VARS } from './vars-budget.js';
import { INCIDENT_VARS } from './vars-incidents.js';
import { AppError } from '../lib/errors.js';

/** Every variable LogSage reads. `.env.example` documents exactly these (a test keeps them in step). */
export const CONFIG_SPEC = { ...CORE_VARS, ...ANALYSIS_VARS, ...AUTH_VARS, ...ALERTING_VARS, ...SYSLOG_VARS, ...BUDGET_VARS, ...INCIDENT_VARS } satisfies Record<string, VarSpec<unknown>>;

type Spec = typeof CONFIG_SPEC;
type ValueOf<K extends keyof Spec> = ReturnType<Spec[K]['parse']>;
export type Config = { [K in keyof Spec]: Spec[K] extends { default: unknown } ? ValueOf<K> : ValueOf<K> | undefined } & {
  /** The PostgreSQL URL when PostgreSQL is configured; undefined selects the embedded database. */
  databaseUrl: string | undefined;
  /** The Redis URL when Redis is configured (REDIS_URL, or REDIS_HOST and REDIS_PORT). */
  redisUrl: string | undefined;
};

/** Loads `.env` (when present) under the real environment, which wins. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Parses and validates the whole configuration; throws one error listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(CONFIG_SPEC) as [string, VarSpec<unknown>][]) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      out[name] = spec.default;
      continue;
    }
    try {
      out[name] = spec.parse(raw);
    } catch (err) {
      if (!(err instanceof BadValue)) throw err;
      problems.push(`${name}: ${err.message}`);
    }
  }
  if (out.LLM_BASE_URL !== undefined && out.LLM_MODEL === undefined) problems.push('LLM_MODEL: must be set when LLM_BASE_URL is set');
  if ((out.SYSLOG_TLS_CERT === undefined) !== (out.SYSLOG_TLS_KEY === undefined)) problems.push('SYSLOG_TLS_CERT: must be set together with SYSLOG_TLS_KEY');
  // A replica only exists beside PostgreSQL; with PGlite the variable would be silently ignored.
  if (out.DATABASE_READ_URL !== undefined && out.DATABASE_URL === undefined && out.DB_HOST === undefined) {
    problems.push('DATABASE_READ_URL: needs PostgreSQL (DATABASE_URL or DB_HOST); the embedded database (PGlite) has no replica');
  }
  if (problems.length > 0) {
    throw new AppError('invalid_config', `invalid configuration:\n  ${problems.join('\n  ')}`, { problems });
  }
  const cfg = out as Config;
  cfg.databaseUrl = cfg.DATABASE_URL ?? (cfg.DB_HOST ? buildPgUrl(cfg) : undefined);
  cfg.redisUrl = cfg.REDIS_URL ?? (cfg.REDIS_HOST ? `redis://${cfg.REDIS_HOST.includes(':') ? `[${cfg.REDIS_HOST}]` : cfg.REDIS_HOST}:${cfg.REDIS_PORT}` : undefined);
  return cfg;
}

function buildPgUrl(cfg: Config): string {
  const u = new URL('postgres://localhost');
  u.hostname = cfg.DB_HOST ?? 'localhost';
  u.port = String(cfg.DB_PORT);
  u.username = cfg.DB_USER;
  if (cfg.DB_PASSWORD) u.password = cfg.DB_PASSWORD;
  u.pathname = `/${cfg.DB_NAME}`;
  return u.toString();
}
