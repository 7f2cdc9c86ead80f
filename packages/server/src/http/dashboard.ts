import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Paths that are never the app: an unknown one there is a JSON 404, not the index page. */
const NOT_APP = /^\/(api|metrics|healthz|readyz)(\/|$)/;

/** Where the built dashboard is: DASHBOARD_DIR, else packages/dashboard/dist beside this package. */
export function defaultDashboardDir(): string {
  return join(import.meta.dirname, '..', '..', '..', 'dashboard', 'dist');
}

export interface DashboardServing {
  /** Answers a GET for a page of the app (history-mode routes like /alerts/42) with index.html; false when it is not one. */
  fallback: (req: FastifyRequest, reply: FastifyReply) => boolean;
}

const sendIndex = (reply: FastifyReply): FastifyReply =>
  // Never cached: it names the current hashed bundles, so a new release reaches every browser at once.
  reply.header('cache-control', 'no-cache').sendFile('index.html', { maxAge: 0, cacheControl: false });

/**
 * Serves the dashboard's built files: hashed assets with a year of immutable caching, the other
 * top-level files (favicon) briefly cached, and index.html for `/` and every app route. Returns
 * undefined (and logs why) when the dashboard has not been built, so the API still starts.
 */
export async function serveDashboard(app: FastifyInstance, dir: string): Promise<DashboardServing | undefined> {
  if (!existsSync(join(dir, 'index.html'))) {
    app.log.warn({ dir }, 'dashboard not built (run `npm run build`): the API is served, / is not');
    return undefined;
  }
  // preCompressed: the build wrote .br and .gz beside each asset; sent when the browser accepts them.
  await app.register(fastifyStatic, { root: dir, serve: false, index: false, preCompressed: true });
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => sendIndex(reply));
  app.get('/assets/*', { config: { access: 'public' }, schema: { hide: true } }, (req, reply) =>
    reply.sendFile(join('assets', (req.params as { '*': string })['*']), { immutable: true, maxAge: '365d' }),
  );
  for (const name of readdirSync(dir)) {
    if (name === 'index.html' || name === 'assets' || !statSync(join(dir, name)).isFile()) continue;
    app.get(`/${name}`, { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => reply.sendFile(name, { maxAge: '1h' }));
  }
  return {
    fallback: (req, reply) => {
      const path = req.url.split('?')[0] ?? '/';
      const wantsPage = (req.method === 'GET' || req.method === 'HEAD') && !NOT_APP.test(path) && !path.startsWith('/assets/');
      if (!wantsPage) return false;
      void sendIndex(reply);
      return true;
    },
  };
}
