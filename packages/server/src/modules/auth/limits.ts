import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { AppError } from '../../lib/errors.js';

export const LOGIN_URL = '/api/v1/auth/login';

export interface LimitOptions {
  /** Shared counters across api processes when given; in-memory per process otherwise. */
  redis?: Redis;
  ingestPerMin: number;
  apiPerMin: number;
  loginPerMin: number;
}

type Bucket = 'login' | 'ingest' | 'api' | 'none';

/** Which limit a request counts against: public routes other than login are not limited (probes). */
function bucketOf(req: FastifyRequest): Bucket {
  if (req.routeOptions.url === LOGIN_URL) return 'login';
  const access = req.routeOptions.config.access;
  if (access === 'ingest') return 'ingest';
  return access === 'public' || access === undefined ? 'none' : 'api';
}

/** Rate limits per API key, user or client address; 429 with Retry-After past them. */
export async function registerRateLimits(app: FastifyInstance, o: LimitOptions): Promise<void> {
  const max: Record<Bucket, number> = { login: o.loginPerMin, ingest: o.ingestPerMin, api: o.apiPerMin, none: 0 };
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    ...(o.redis ? { redis: o.redis } : {}),
    nameSpace: 'logsage:rate:',
    // A Redis outage must not stop ingestion: requests pass unlimited until it is back.
    skipOnError: true,
    max: (req) => max[bucketOf(req)],
    allowList: (req) => max[bucketOf(req)] === 0,
    // Runs after authentication (route hooks follow the app's own), so the principal is known.
    keyGenerator: (req) => {
      const b = bucketOf(req);
      const p = req.principal;
      return b !== 'login' && p && p.kind !== 'anonymous' ? `${b}:${p.kind}:${p.id}` : `${b}:ip:${req.ip}`;
    },
    errorResponseBuilder: (_req, ctx) =>
      new AppError('rate_limited', `too many requests; retry in ${ctx.after}`, undefined, Math.max(1, Math.ceil(ctx.ttl / 1000))),
  });
}

/**
 * Security headers, with a Content-Security-Policy for the dashboard: only our own scripts,
 * inline styles allowed (Element Plus and ECharts set style attributes), no framing, no plugins.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        // no upgrade-insecure-requests: the quick start serves plain HTTP on 127.0.0.1
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  });
}
