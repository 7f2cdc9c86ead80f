// OTLP/HTTP logs (JSON and protobuf) and syslog over TCP beside the native route, into real
// PostgreSQL. HTTP doors: autocannon, batches of 1,000 realistic lines, 8 connections. Syslog has no
// acknowledgement: its row is lines/s from the first byte sent until the last line is stored, over
// 4 octet-counted TCP connections. Run alone: `npx tsx bench/ingest/shippers-otlp-syslog.ts`.
import { connect } from 'node:net';
import pg from 'pg';
import { loadLoghub } from '../lib/loghub.js';
import { realisticEntries } from './rows.js';
import { admin, batches, BATCH, fmt, load, nanos, SECONDS, startApi, type Door, type Entry, type Row } from './doors.js';
import { ExportLogsServiceRequest } from '../../packages/server/src/modules/otlp/index.js';

const DB = 'logsage_bench_otlp_syslog';
const PORT = 18_793;
const SYSLOG_PORT = 18_794;
const SYSLOG_LINES = 200_000;

const SEVERITY: Record<string, number> = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };


/** One ExportLogsServiceRequest per batch: a resource per service, as an SDK per service would send. */
function otlpRequest(b: Entry[]): Record<string, unknown> {
  const byService = new Map<string, Entry[]>();
  for (const e of b) byService.set(e.service, [...(byService.get(e.service) ?? []), e]);
  return {
    resourceLogs: [...byService].map(([service, es]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }, { key: 'host.name', value: { stringValue: 'bench-1' } }] },
      scopeLogs: [{ scope: { name: 'bench' }, logRecords: es.map((e) => ({ timeUnixNano: nanos(e.timestamp).toString(), severityNumber: SEVERITY[e.level] ?? 9, body: { stringValue: e.message } })) }],
    })),
  };
}

const DOORS: Record<string, Door> = {
  'native POST /api/v1/logs': { url: '/api/v1/logs', type: 'application/json', body: (b) => JSON.stringify(b) },
  'OTLP POST /v1/logs, JSON': { url: '/v1/logs', type: 'application/json', body: (b) => JSON.stringify(otlpRequest(b)) },
  'OTLP POST /v1/logs, protobuf': {
    url: '/v1/logs',
    type: 'application/x-protobuf',
    body: (b) => Buffer.from(ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(otlpRequest(b))).finish()),
  },
};


/** Sends SYSLOG_LINES RFC 5424 lines over 4 connections and waits until the database holds them all. */
async function syslogLoad(url: string, entries: Entry[]): Promise<Row> {
  const db = new pg.Client(url);
  await db.connect();
  const count = async () => Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM logs WHERE attributes ? 'facility'")).rows[0]!.n);
  const before = await count();
  const started = Date.now();
  await Promise.all([0, 1, 2, 3].map((c) => new Promise<void>((resolve, reject) => {
    const sock = connect(SYSLOG_PORT, '127.0.0.1', () => {
      const frames = Array.from({ length: SYSLOG_LINES / 4 }, (_, n) => {
        const e = entries[(c * SYSLOG_LINES + n) % entries.length]!;
        const msg = `<${16 * 8 + 6}>1 ${e.timestamp} bench-1 ${e.service} - - - ${e.message}`;
        return `${Buffer.byteLength(msg)} ${msg}`;
      });
      sock.end(frames.join(''), resolve);
    });
    sock.on('error', reject);
  })));
  let stored: number;
  while ((stored = (await count()) - before) < SYSLOG_LINES && Date.now() - started < 300_000) await new Promise((r) => setTimeout(r, 100));
  const seconds = (Date.now() - started) / 1000;
  await db.end();
  return { name: 'syslog TCP, RFC 5424 octet-counted (4 connections)', logsPerSec: stored / seconds, p50: 'n/a', p99: 'n/a', errors: SYSLOG_LINES - stored };
}


await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DB}`);
const url = `postgres://postgres@127.0.0.1:5432/${DB}`;
const entries = realisticEntries(loadLoghub(), 20_000) as Entry[];
const sample = batches(entries);
const server = await startApi(url, PORT, { SYSLOG_PORT: String(SYSLOG_PORT) });
const rows: Row[] = [];
try {
  for (const [name, door] of Object.entries(DOORS)) rows.push(await load(PORT, name, server.key, door, sample.map(door.body)));
  rows.push(await syslogLoad(url, entries));
} finally {
  await server.stop();
}
console.log(`\n| door (HTTP: batches of ${fmt(BATCH)}, 8 connections, ${SECONDS} s) | logs/s | p50 ms | p99 ms | non-2xx / lost |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.name} | ${fmt(r.logsPerSec)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
