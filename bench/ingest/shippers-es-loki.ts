// Shipper doors beside the native route: autocannon with batches of 1,000 realistic lines against
// POST /api/v1/logs, POST /es/_bulk (NDJSON, ECS documents), and POST /loki/api/v1/push as JSON and
// as snappy protobuf, into real PostgreSQL. Run alone: `npx tsx bench/ingest/shippers-es-loki.ts`.
import protobuf from 'protobufjs';
import { compressSync } from 'snappy';
import { loadLoghub } from '../lib/loghub.js';
import { realisticEntries } from './rows.js';
import { admin, batches, BATCH, fmt, load, nanos, SECONDS, startApi, type Door, type Entry, type Row } from './doors.js';

const DB = 'logsage_bench_shippers';
const PORT = 18_791;

const PUSH = protobuf.parse(`
syntax = "proto3";
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message EntryAdapter { Timestamp timestamp = 1; string line = 2; }
message StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; }
message PushRequest { repeated StreamAdapter streams = 1; }
`).root.lookupType('PushRequest');



function lokiStreams(batch: Entry[]): Map<string, Entry[]> {
  const streams = new Map<string, Entry[]>();
  for (const e of batch) {
    const k = `${e.service}\u0000${e.level}`;
    streams.set(k, [...(streams.get(k) ?? []), e]);
  }
  return streams;
}

const DOORS: Record<string, Door> = {
  'native POST /api/v1/logs': { url: '/api/v1/logs', type: 'application/json', body: (b) => JSON.stringify(b) },
  'ES POST /es/_bulk': {
    url: '/es/_bulk',
    type: 'application/x-ndjson',
    body: (b) => b.map((e) => `{"create":{"_index":"bench"}}\n${JSON.stringify({ '@timestamp': e.timestamp, message: e.message, log: { level: e.level }, service: { name: e.service }, host: { name: 'bench-1' } })}\n`).join(''),
  },
  'Loki push, JSON': {
    url: '/loki/api/v1/push',
    type: 'application/json',
    body: (b) => JSON.stringify({ streams: [...lokiStreams(b).values()].map((es) => ({ stream: { service_name: es[0]!.service, level: es[0]!.level }, values: es.map((e) => [nanos(e.timestamp).toString(), e.message]) })) }),
  },
  'Loki push, snappy protobuf': {
    url: '/loki/api/v1/push',
    type: 'application/x-protobuf',
    body: (b) => compressSync(Buffer.from(PUSH.encode(PUSH.fromObject({
      streams: [...lokiStreams(b).values()].map((es) => ({
        labels: `{service_name="${es[0]!.service}", level="${es[0]!.level}"}`,
        entries: es.map((e) => { const ns = nanos(e.timestamp); return { timestamp: { seconds: Number(ns / 1_000_000_000n), nanos: Number(ns % 1_000_000_000n) }, line: e.message }; }),
      })),
    })).finish())),
  },
};



await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DB}`);
const url = `postgres://postgres@127.0.0.1:5432/${DB}`;
const sample = batches(realisticEntries(loadLoghub(), 20_000) as Entry[]);
const server = await startApi(url, PORT);
const rows: Row[] = [];
try {
  for (const [name, door] of Object.entries(DOORS)) rows.push(await load(PORT, name, server.key, door, sample.map(door.body)));
} finally {
  await server.stop();
}
console.log(`\n| door (batches of ${fmt(BATCH)}, 8 connections, ${SECONDS} s) | logs/s | p50 ms | p99 ms | non-2xx |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.name} | ${fmt(r.logsPerSec)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
