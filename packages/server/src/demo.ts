import type { AlertingService } from './modules/alerting/index.js';
import type { IngestService } from './modules/ingest/index.js';

// `logsage demo`: realistic traffic from a small shop's services with planted incidents, so a
// newcomer sees templates, verdicts and alerts within a minute, all marked as demo analyses.

type Line = [service: string, level: string, message: string];

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
const n = (lo: number, hi: number): number => lo + Math.floor(Math.random() * (hi - lo));
const ip = (): string => `10.${n(0, 4)}.${n(0, 255)}.${n(1, 254)}`;
const user = (): string => pick(['alice', 'bob', 'chen.wei', 'li.na', 'zhang.san', 'wang.fang', 'ops-bot']);

/** Everyday lines: the bulk of any real stream, a handful of templates repeated with new values. */
const NORMAL: (() => Line)[] = [
  () => ['api-gateway', 'info', `GET /api/v1/orders/${n(1000, 99999)} 200 ${n(3, 90)}ms`],
  () => ['api-gateway', 'info', `POST /api/v1/cart 201 ${n(5, 120)}ms client=${ip()}`],
  () => ['auth-service', 'info', `User ${user()} logged in from ${ip()}`],
  () => ['order-service', 'info', `Order ${n(100000, 999999)} created with ${n(1, 9)} items`],
  () => ['payment-service', 'info', `Payment ${n(100000, 999999)} authorised by gateway alipay in ${n(80, 400)} ms`],
  () => ['inventory', 'debug', `Cache hit for sku-${n(1000, 9999)}`],
  () => ['scheduler', 'info', `Job cleanup-sessions finished in ${n(100, 900)} ms, removed ${n(0, 300)} rows`],
  () => ['order-service', 'info', `订单 ${n(100000, 999999)} 已发货, 物流单号 SF${n(10000000, 99999999)}`],
];

/** Incidents, each a burst of related lines, as they happen in production. */
const INCIDENTS: (() => Line[])[] = [
  () => Array.from({ length: 6 }, () => ['order-service', 'error', `Connection to postgres db-primary:5432 refused (attempt ${n(1, 5)}/5)`] as Line),
  () => [['payment-service', 'fatal', `Out of memory: Java heap space, killed worker pid ${n(2000, 9000)}`], ['payment-service', 'warn', 'Worker restarted after crash, 3 restarts in 10 minutes']],
  () => Array.from({ length: 8 }, () => ['auth-service', 'warn', `Failed password for invalid user admin from ${ip()} port ${n(30000, 60000)} ssh2`] as Line),
  () => [['inventory', 'error', `Disk /var/lib/inventory is 97% full (${n(1, 3)}.${n(0, 9)} GB left)`]],
  () => [['api-gateway', 'warn', `Slow upstream order-service: p99 latency ${n(2000, 6000)} ms over 60 s`], ['api-gateway', 'error', `upstream timed out (110: Connection timed out) while reading response header, client ${ip()}`]],
  () => [['api-gateway', 'warn', `TLS certificate for shop.example.cn expires in ${n(2, 6)} days`]],
  () => Array.from({ length: 4 }, () => ['order-service', 'error', `支付回调处理失败: 签名校验不通过, 订单 ${n(100000, 999999)}`] as Line),
];

const HISTORY_MINUTES = 120;

/**
 * Two hours of everyday lines before now, so the demo's services have a past: incident detection
 * waits an hour after a service's first line before a template new to it is news, and the planted
 * incidents then open incidents (with stories) within a couple of minutes of the demo's start.
 * Each line's event id names its minute, so a restart stores only the minutes not stored yet.
 */
export async function backfillDemoHistory(ingest: IngestService, now = Date.now()): Promise<void> {
  const first = Math.floor(now / 60_000) - HISTORY_MINUTES;
  const entries = [];
  for (let m = first; m < first + HISTORY_MINUTES; m++) {
    for (let k = 0; k < NORMAL.length; k++) {
      const [service, level, message] = NORMAL[k]!();
      const timestamp = new Date(m * 60_000 + k * 7_000 + n(0, 6_000)).toISOString();
      entries.push({ index: entries.length, value: { timestamp, service, level, message, demo: true, event_id: `demo-history-${m}-${k}` } });
    }
  }
  await ingest.ingest({ entries, rejections: [] });
}

/** Starts the generator: a few lines a second, an incident every ~15 s. Returns a stopper. */
export function startDemoTraffic(ingest: IngestService, onError: (err: unknown) => void): () => void {
  let tick = 0;
  const send = (lines: Line[]): void => {
    const now = Date.now();
    ingest
      .ingest({
        entries: lines.map(([service, level, message], i) => ({ index: i, value: { timestamp: new Date(now + i).toISOString(), service, level, message, demo: true } })),
        rejections: [],
      })
      .catch(onError);
  };
  const timer = setInterval(() => {
    tick++;
    send(Array.from({ length: n(3, 8) }, () => pick(NORMAL)()));
    // The first incidents come early so the first analyses show something worth reading.
    if (tick === 2 || tick === 4 || tick % 15 === 0) send(pick(INCIDENTS)());
  }, 1000);
  return () => clearInterval(timer);
}

const DEMO_RULE = 'Demo: high and critical anomalies';

/** Makes the demo's alert rule once (no channels: alerts show in the API and the dashboard). */
export async function ensureDemoRule(alerting: AlertingService): Promise<void> {
  if ((await alerting.listRules()).some((r) => r.name === DEMO_RULE)) return;
  await alerting.createRule({
    name: DEMO_RULE,
    description: 'Made by `logsage demo`: every high or critical anomaly, grouped by service and category.',
    conditions: { min_severity: 'high', anomaly: true },
    group_by: ['service', 'category'],
    group_wait_seconds: 10,
  });
}
