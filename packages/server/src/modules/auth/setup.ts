import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import type { Redis } from 'ioredis';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/types.js';
import { bootstrapAuth, bootstrapMessage, type BootstrapResult } from './bootstrap.js';
import { installAuthGuard, type RouteAccess } from './hooks.js';
import { registerRateLimits, registerSecurityHeaders } from './limits.js';
import { adminRoutes } from './routes-admin.js';
import { sessionRoutes } from './routes-session.js';
import { createAuthService, type AuthService } from './service.js';

type SecurityConfig = Pick<
  Config,
  | 'AUTH_DISABLED' | 'ADMIN_PASSWORD' | 'SESSION_IDLE_MINUTES' | 'SESSION_ABSOLUTE_HOURS' | 'LOGIN_MAX_FAILURES'
  | 'LOGIN_MAX_FAILURES_IP' | 'API_KEY_CACHE_SECONDS' | 'RATE_LIMIT_INGEST_PER_MIN' | 'RATE_LIMIT_API_PER_MIN'
  | 'RATE_LIMIT_LOGIN_PER_MIN' | 'PUBLIC_URL' | 'HOST' | 'PORT' | 'DATA_DIR' | 'TRUST_PROXY'
>;

/** Everything the HTTP app needs to enforce security; made once in main.ts. */
export interface Security {
  auth: AuthService;
  cfg: SecurityConfig;
  redis?: Redis;
  bootstrap: BootstrapResult;
  /** Every route with its declared access, filled as the app registers them. */
  routes: RouteAccess[];
}

/**
 * Creates the auth service and runs the first-start bootstrap. The admin password and ingest key
 * of a first start go to `announce` (the terminal), never to the log; a disabled auth is logged as
 * a warning at every start.
 */
export async function startSecurity(deps: {
  db: Db;
  log: FastifyBaseLogger;
  cfg: SecurityConfig;
  redis?: Redis;
  announce: (text: string) => void;
}): Promise<Security> {
  const { cfg, log } = deps;
  const auth = createAuthService({
    db: deps.db,
    log,
    options: {
      disabled: cfg.AUTH_DISABLED,
      keyCacheSeconds: cfg.API_KEY_CACHE_SECONDS,
      idleMinutes: cfg.SESSION_IDLE_MINUTES,
      absoluteHours: cfg.SESSION_ABSOLUTE_HOURS,
      maxFailures: cfg.LOGIN_MAX_FAILURES,
      maxFailuresIp: cfg.LOGIN_MAX_FAILURES_IP,
    },
  });
  const bootstrap = await bootstrapAuth(deps.db, { adminPassword: cfg.ADMIN_PASSWORD, dataDir: cfg.DATA_DIR });
  if (bootstrap.created) {
    deps.announce(bootstrapMessage(bootstrap));
    log.info({ keyFile: bootstrap.keyFile }, 'first start: admin user and ingest key created');
  }
  if (cfg.AUTH_DISABLED) log.warn('AUTH_DISABLED=true: authentication is OFF, every caller acts as an admin. Never expose this server.');
  return { auth, cfg, bootstrap, routes: [], ...(deps.redis ? { redis: deps.redis } : {}) };
}

/** The origins browsers may send cookie-authenticated changes from: PUBLIC_URL, else http://HOST:PORT. */
function allowedOrigins(cfg: SecurityConfig): string[] {
  return [new URL(cfg.PUBLIC_URL ?? `http://${cfg.HOST}:${cfg.PORT}`).origin];
}

/** Installs cookies, the auth guard, rate limits and security headers on `app`, before any route. */
export async function installSecurity(app: FastifyInstance, s: Security): Promise<void> {
  await app.register(cookie);
  installAuthGuard(app, { auth: s.auth, allowedOrigins: allowedOrigins(s.cfg), docsPrefix: '/api/docs', docsAccess: 'read', table: s.routes });
  await registerRateLimits(app, {
    ...(s.redis ? { redis: s.redis } : {}),
    ingestPerMin: s.cfg.RATE_LIMIT_INGEST_PER_MIN,
    apiPerMin: s.cfg.RATE_LIMIT_API_PER_MIN,
    loginPerMin: s.cfg.RATE_LIMIT_LOGIN_PER_MIN,
  });
  await registerSecurityHeaders(app);
}

/** Login, logout, me, users and API keys. */
export async function securityRoutes(app: FastifyInstance, s: Security): Promise<void> {
  const publicHttps = (s.cfg.PUBLIC_URL ?? '').startsWith('https:');
  await app.register(sessionRoutes, { auth: s.auth, absoluteHours: s.cfg.SESSION_ABSOLUTE_HOURS, publicHttps });
  await app.register(adminRoutes, { auth: s.auth });
}
