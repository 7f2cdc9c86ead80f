// The /_stand-in/* control API and GET /v1/models.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateFault } from './faults.js';
import { HttpError, readJson, sendJson } from './http.js';
import type { StandInState } from './state.js';
import type { Fault } from './types.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const invalid = (message: string): HttpError => new HttpError(400, message, 'invalid_request_error', 'invalid_request');

/** Validates a {"faults":[...]} body; every fault must be valid or none is queued. */
export function parseFaultList(body: unknown): Fault[] {
  const list = typeof body === 'object' && body !== null ? (body as { faults?: unknown }).faults : undefined;
  if (!Array.isArray(list)) throw invalid('body must be {"faults": [{"kind": ..., "param"?: ...}, ...]}');
  return list.map((item: unknown, index) => {
    const fault = validateFault(item);
    if (typeof fault === 'string') throw invalid(`faults[${index}]: ${fault}`);
    return fault;
  });
}

function parseDelay(body: unknown): number {
  const ms = typeof body === 'object' && body !== null ? (body as { ms?: unknown }).ms : undefined;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw invalid('body must be {"ms": n} with n ≥ 0');
  return ms;
}

/** Owner shown for a model id: its vendor prefix (Qwen/QwQ-32B → Qwen), else the stand-in. */
function ownerOf(id: string): string {
  const slash = id.indexOf('/');
  return slash > 0 ? id.slice(0, slash) : 'logsage-stand-in';
}

/** The control routes, keyed by "METHOD path". */
export function controlRoutes(state: StandInState): Record<string, RouteHandler> {
  return {
    'POST /_stand-in/faults': async (req, res) => {
      const queued = state.queueFaults(parseFaultList(await readJson(req)));
      sendJson(res, 200, { queued });
    },
    'DELETE /_stand-in/faults': async (_req, res) => {
      state.clearFaults();
      sendJson(res, 200, { queued: 0 });
    },
    'GET /_stand-in/stats': async (_req, res) => sendJson(res, 200, state.stats()),
    'GET /_stand-in/requests': async (_req, res) => sendJson(res, 200, state.requests()),
    'POST /_stand-in/reset': async (_req, res) => {
      state.reset();
      sendJson(res, 200, { reset: true });
    },
    'PUT /_stand-in/delay': async (req, res) => {
      state.delayMs = parseDelay(await readJson(req));
      sendJson(res, 200, { ms: state.delayMs });
    },
  };
}

/** GET /v1/models in OpenAI's list shape. */
export function modelList(models: readonly string[]): object {
  return { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: ownerOf(id) })) };
}
