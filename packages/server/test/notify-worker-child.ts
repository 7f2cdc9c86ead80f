// Runs the delivery worker alone against DATABASE_URL; notify-crash.int.test.ts kills it with SIGKILL mid-send.
import { pino } from 'pino';
import { parseConfig } from '../src/config/index.js';
import { openDatabase } from '../src/db/index.js';
import { createOutboundClient, loadSecretsKey, startDeliveryWorker } from '../src/modules/notify/index.js';

const cfg = parseConfig(process.env);
const db = await openDatabase(cfg);
const log = pino({ level: 'silent' });
startDeliveryWorker({
  db, log, secretsKey: loadSecretsKey(cfg, log).key, outbound: createOutboundClient({ allow: cfg.OUTBOUND_ALLOW, timeoutMs: cfg.NOTIFY_TIMEOUT_MS }),
  publicUrl: 'http://logsage.test', language: 'en', maxAttempts: cfg.NOTIFY_MAX_ATTEMPTS, retryBaseMs: cfg.NOTIFY_RETRY_BASE_MS,
  leaseMs: cfg.NOTIFY_LEASE_MS, pollMs: cfg.NOTIFY_POLL_MS, timeoutMs: cfg.NOTIFY_TIMEOUT_MS,
});
process.stdout.write('delivery worker ready\n');
