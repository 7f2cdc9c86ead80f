import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Access } from '../../lib/access.js';
import { AppError } from '../../lib/errors.js';
import { readCredentials, SESSION_COOKIE, type AuthService } from './service.js';
import { ANONYMOUS, allows, type Principal } from './types.js';

const ACCESS_LEVELS: readonly Access[] = ['public', 'ingest', 'read', 'edit', 'admin'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const DISABLED_PRINCIPAL: Principal = Object.freeze({ kind: 'user', id: 'auth-disabled', name: 'auth disabled', role: 'admin' });

/** One entry of the route table as the guard saw it. */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

export interface GuardOptions {
  auth: AuthService;
  /** Origins (scheme://host:port) browsers may send cookie-authenticated changes from, besides the server's own. */
  allowedOrigins: string[];
  /** Routes under this prefix come from @fastify/swagger-ui, which cannot declare access: they get `docsAccess`. */
  docsPrefix?: string;
  docsAccess?: Access;
  /** Filled with every route and its access as routes are registered (the role × route tests read it). */
  table?: RouteAccess[];
}

/** The Origin of a browser request (Origin header, else Referer), or undefined when it sent neither. */
function requestOrigin(req: FastifyRequest): string | undefined {
  if (typeof req.headers.origin === 'string') return req.headers.origin;
  const ref = req.headers.referer;
  if (typeof ref !== 'string') return undefined;
  try {
    return new URL(ref).origin;
  } catch {
    return 'null';
  }
}

/**
 * CSRF defence for cookie-authenticated changes: the request must come from our own origin. A
 * browser always sends Origin on cross-site POSTs (forms and fetch alike); a request with neither
 * Origin nor Referer is accepted only when Sec-Fetch-Site says it is same-origin.
 */
function checkOrigin(req: FastifyRequest, allowed: string[]): void {
  const origin = requestOrigin(req);
  const ok = origin === undefined
    ? req.headers['sec-fetch-site'] === 'same-origin'
    : origin !== 'null' && (allowed.includes(origin) || origin === `${req.protocol}://${req.host}`);
  if (!ok) throw new AppError('forbidden', 'cross-origin request refused');
}

/** Resolves the caller and checks the route's declared access; throws 401/403/503. */
async function guard(opts: GuardOptions, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  req.principal = ANONYMOUS;
  const access = req.routeOptions.config.access;
  if (opts.auth.disabled) {
    req.principal = DISABLED_PRINCIPAL;
    return;
  }
  const changes = !SAFE_METHODS.has(req.method);
  if (access === undefined || access === 'public') {
    // Login and logout are public but set cookies: a cross-site form must not log a browser in or out.
    if (changes && access === 'public' && requestOrigin(req) !== undefined) checkOrigin(req, opts.allowedOrigins);
    return;
  }
  const creds = readCredentials(req.headers, req.cookies[SESSION_COOKIE]);
  if (creds.kind === 'none') {
    void reply.header('www-authenticate', 'Bearer realm="LogSage"');
    throw new AppError('unauthorized', 'authentication required: an API key (Authorization: Bearer, X-API-Key or Basic) or a login session');
  }
  req.principal = await opts.auth.authenticate(creds);
  if (creds.kind === 'session' && changes) checkOrigin(req, opts.allowedOrigins);
  if (!allows(req.principal, access)) throw new AppError('forbidden', `this needs ${access} access`);
}

/**
 * Installs authentication on `app` (not encapsulated, so it covers every route): each route must
 * declare `config.access`, or registering it throws and the server does not start.
 */
export function installAuthGuard(app: FastifyInstance, opts: GuardOptions): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRoute', (route) => {
    let declared = route.config?.access;
    if (declared === undefined && opts.docsPrefix && route.url.startsWith(opts.docsPrefix)) {
      declared = opts.docsAccess ?? 'read';
      route.config = { ...route.config, access: declared };
    }
    if (declared === undefined || !ACCESS_LEVELS.includes(declared)) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access (config: { access: 'public' | 'ingest' | 'read' | 'edit' | 'admin' })`);
    }
    for (const method of [route.method].flat()) opts.table?.push({ method, url: route.url, access: declared });
  });
  app.addHook('onRequest', (req, reply) => guard(opts, req, reply));
}
