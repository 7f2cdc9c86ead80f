import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/types.js';
import { insertAudit, listAudit, type AuditEntry, type AuditRow } from './repo-entries.js';

/**
 * Who did something, as the trail records it. Auth's principal has this shape; the audit module states
 * it itself rather than importing auth, which imports audit to record its own changes (a cycle).
 */
export interface AuditActor {
  kind: 'user' | 'key' | 'anonymous';
  id: string;
  name: string;
}

/** What a handler says about its own change; the trail adds who, when, route and status. */
export interface AuditNote {
  action: string;
  target?: string;
  details?: Record<string, unknown>;
  /** The actor when it is not the request's principal (a login names the user it logged in). */
  actor?: AuditActor;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a handler to record an explicit audit entry (any status) instead of the generic one. */
    auditNote?: AuditNote;
    /** The `id` of the resource a change answered with, captured for the audit entry. */
    auditTarget?: string;
  }
}

export interface AuditLog {
  list(f: { limit: number; before?: string; action?: string }): Promise<AuditRow[]>;
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True for the requests the generic trail records: successful changes on edit and admin routes. */
function isAuditedChange(req: FastifyRequest): boolean {
  const access = req.routeOptions.config.access;
  return CHANGES.has(req.method) && (access === 'edit' || access === 'admin');
}

/** The entry for a finished request, or undefined when it is not audited. Never the body: it may hold secrets. */
function entryFor(req: FastifyRequest, status: number): AuditEntry | undefined {
  const note = req.auditNote;
  if (!note && (!isAuditedChange(req) || status >= 400)) return undefined;
  const actor = note?.actor ?? req.principal ?? { kind: 'anonymous', id: '', name: 'anonymous' };
  const route = req.routeOptions.url ?? null;
  const params = (req.params ?? {}) as Record<string, unknown>;
  return {
    actor_kind: actor.kind,
    actor_id: actor.id || null,
    actor_name: actor.name,
    action: note?.action ?? `${req.method} ${route}`,
    method: req.method,
    route,
    target: note?.target ?? (typeof params.id === 'string' ? params.id : req.auditTarget) ?? null,
    status,
    ip: req.ip,
    details: { ...(Object.keys(params).length ? { params } : {}), ...(note?.details ?? {}) },
  };
}

/** Records who changed what and when, for every route, without the routes' cooperation. */
export function installAuditTrail(app: FastifyInstance, deps: { db: Db; log: FastifyBaseLogger }): AuditLog {
  // Written before the answer leaves (onSend, not onResponse): a client that sees its change
  // acknowledged finds it in the audit log at once.
  app.addHook('onSend', async (req, reply, payload) => {
    if (isAuditedChange(req) && typeof payload === 'string' && payload.length <= 65_536 && String(reply.getHeader('content-type') ?? '').includes('json')) {
      try {
        const id = (JSON.parse(payload) as { id?: unknown }).id;
        if (typeof id === 'string' || typeof id === 'number') req.auditTarget = String(id);
      } catch {
        // not JSON after all: no target
      }
    }
    const entry = entryFor(req, reply.statusCode);
    // A failed audit write is logged, never turned into an error reply for a change already made.
    if (entry) await insertAudit(deps.db, entry).catch((err: unknown) => req.log.error({ err, action: entry.action }, 'audit entry not written'));
    return payload;
  });
  return { list: (f) => listAudit(deps.db, f) };
}
