import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { expect } from 'vitest';
import type { Config } from '../src/config/index.js';
import type { Db } from '../src/db/types.js';
import {
  createOutboundClient, loadSecretsKey, startDeliveryWorker, type AlertNotification, type DeliveryDeps, type DeliveryWorker,
} from '../src/modules/notify/index.js';

/** Builds a notification stating only what a test cares about. */
export function buildNotification(over: Partial<AlertNotification> = {}): AlertNotification {
  const now = new Date().toISOString();
  return {
    idempotencyKey: 'a1:firing:1', status: 'firing', alertId: 'a1', rule: { id: 'r1', name: 'DB errors' }, severity: 'high',
    labels: { service: 'user-service' }, count: 3, firstSeen: now, lastSeen: now, summary: 'Database timeouts',
    rootCause: 'pool exhausted', suggestion: 'raise the pool size', demo: false, ...over,
  };
}


/** A delivery worker for a test server (no polling loop, the server's secrets key), allowed to reach 127.0.0.1. */
export function testWorker(s: { db: Db; cfg: Config }, over: Partial<DeliveryDeps> = {}): DeliveryWorker {
  const log = pino({ level: 'silent' });
  return startDeliveryWorker({
    db: s.db, log, outbound: createOutboundClient({ allow: ['127.0.0.1'], timeoutMs: 5000 }),
    publicUrl: 'https://logsage.example.com', language: 'zh-CN', maxAttempts: 3, retryBaseMs: 1000, leaseMs: 60_000,
    pollMs: 1000, timeoutMs: 5000, ...over, secretsKey: over.secretsKey ?? loadSecretsKey(s.cfg, log).key,
  }, false);
}

/** Outbox rows of a channel, oldest first. */
export async function outboxRows(db: Db, channelId: string): Promise<{ id: string; state: string; attempts: number; last_status: number | null; last_error: string | null }[]> {
  return (await db.query<{ id: string; state: string; attempts: number; last_status: number | null; last_error: string | null }>(
    'SELECT id::text, state, attempts, last_status, last_error FROM notify_outbox WHERE channel_id = $1 ORDER BY id', [channelId])).rows;
}

/** Creates a channel through the API (named after its type unless given a name) and returns it as stored. */
export async function createChannel(s: { app: FastifyInstance }, body: Record<string, unknown>): Promise<{ id: string; config: Record<string, unknown> }> {
  const res = await s.app.inject({ method: 'POST', url: '/api/v1/channels', payload: { name: String(body.type), ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; config: Record<string, unknown> }>();
}
