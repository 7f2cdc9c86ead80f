// The HTTP server: routing, per-request abort signals, and the programmatic handle.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAuth, handleCompletion } from './completion.js';
import { controlRoutes, modelList, parseFaultList, type RouteHandler } from './control.js';
import { HttpError, errorBody, sendError, sendJson } from './http.js';
import { StandInState } from './state.js';
import type { StandIn, StandInOptions } from './types.js';

/** Models listed when none are configured: the production default and a non-reasoning one. */
export const DEFAULT_MODELS: readonly string[] = ['Qwen/QwQ-32B', 'Qwen/Qwen2.5-7B-Instruct'];

const COMPLETIONS = 'POST /v1/chat/completions';

function urlHost(host: string, address: AddressInfo): string {
  // A wildcard bind is reachable on loopback; clients cannot connect to 0.0.0.0 or :: everywhere.
  const h = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  const name = h.includes(':') ? `[${h}]` : h;
  return `http://${name}:${address.port}`;
}

function routeError(routes: Record<string, RouteHandler>, method: string, path: string): HttpError {
  const known = [...Object.keys(routes), COMPLETIONS].some((k) => k.slice(k.indexOf(' ') + 1) === path);
  return known
    ? new HttpError(405, `${method} is not allowed on ${path}`, 'invalid_request_error', 'method_not_allowed')
    : new HttpError(404, `no route for ${method} ${path}`, 'invalid_request_error', 'not_found');
}

function createHandler(state: StandInState, opts: StandInOptions, open: Set<AbortController>) {
  const models = opts.models ?? DEFAULT_MODELS;
  const routes: Record<string, RouteHandler> = {
    ...controlRoutes(state),
    'GET /v1/models': async (req, res) => {
      checkAuth(req, opts.apiKey);
      sendJson(res, 200, modelList(models));
    },
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Aborted when the client goes away or the server closes: hanging and delayed answers end with it.
    const controller = new AbortController();
    open.add(controller);
    res.on('close', () => {
      controller.abort();
      open.delete(controller);
    });
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    try {
      const key = `${method} ${path}`;
      if (key === COMPLETIONS) return await handleCompletion(req, res, state, opts.apiKey, controller.signal);
      const route = routes[key];
      if (!route) throw routeError(routes, method, path);
      await route(req, res);
    } catch (err) {
      if (err instanceof HttpError) return sendError(res, err);
      const message = err instanceof Error ? err.message : String(err);
      sendJson(res, 500, errorBody(`stand-in internal error: ${message}`, 'server_error', 'internal_error'));
    }
  };
}

/** Starts an OpenAI-compatible stand-in server and resolves once it listens. */
export async function startStandIn(opts: StandInOptions = {}): Promise<StandIn> {
  const state = new StandInState(opts.delayMs ?? 0);
  const open = new Set<AbortController>();
  const handler = createHandler(state, opts, open);
  const server = createServer((req, res) => void handler(req, res));
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = urlHost(host, server.address() as AddressInfo);
  let closing: Promise<void> | undefined;
  return {
    url,
    baseUrl: `${url}/v1`,
    // Same validation as the HTTP control API: a bad fault throws instead of misbehaving later.
    queueFaults: (faults) => void state.queueFaults(parseFaultList({ faults })),
    clearFaults: () => state.clearFaults(),
    setDelay: (ms) => {
      state.delayMs = Math.max(0, ms);
    },
    stats: () => state.stats(),
    requests: () => state.requests(),
    reset: () => state.reset(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const controller of open) controller.abort();
        // Hanging requests hold their sockets open; close() alone would wait for them forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
