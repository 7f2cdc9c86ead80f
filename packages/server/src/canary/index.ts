// `logsage canary`: writes numbered entries, reads them back and reports what was lost, doubled or late,
// and how long writes took to become readable and analysed (Prometheus metrics and a summary line).
import type { Server } from 'node:http';
import { Ledger, summaryLine, type CanarySummary } from './ledger.js';
import { createCanaryMetrics, serveMetrics } from './metrics.js';
import type { CanaryOptions } from './options.js';
import { Reader } from './reader.js';
import { sleep } from './http.js';
import { Writer } from './writer.js';

export { parseCanaryOptions, CANARY_USAGE, type CanaryOptions } from './options.js';
export { summaryLine, type CanarySummary } from './ledger.js';

/** A running canary. */
export interface Canary {
  /** The Prometheus endpoint, when one is served. */
  metricsUrl: string | undefined;
  summary(): CanarySummary;
  /** Looks up every retained entry now (see Reader.verify). */
  verify(): Promise<boolean>;
  /** Stops writing, waits (at most `drainMs`) for the last entries to be read and analysed, verifies once more. */
  stop(): Promise<CanarySummary>;
  /** Settles with the final summary when the canary ended (its duration passed, or stop). */
  done: Promise<CanarySummary>;
}

/** Entries settled this long ago are forgotten (their counts stay). */
const RETAIN_MS = 10 * 60_000;

async function readLoop(o: CanaryOptions, ledger: Ledger, reader: Reader, signal: AbortSignal): Promise<void> {
  let lastVerify = Date.now();
  while (!signal.aborted) {
    await reader.tick();
    if (Date.now() - lastVerify >= o.verifyIntervalMs) {
      await reader.verify();
      lastVerify = Date.now();
    }
    ledger.prune(Date.now() - Math.max(RETAIN_MS, 2 * o.graceMs));
    await sleep(o.readIntervalMs, signal);
  }
}

/** Waits until every acknowledged entry is read and analysed, or the deadline passes. */
async function drain(ledger: Ledger, writer: Writer, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const s = ledger.summary();
    if (writer.unacked === 0 && s.unread === 0 && s.unanalysed === 0) return;
    await sleep(200);
  }
}

/** Starts a canary; `print` receives the periodic and final summary lines. */
export async function startCanary(o: CanaryOptions, print: (line: string) => void = () => undefined): Promise<Canary> {
  const { registry, sink } = createCanaryMetrics(o.runId);
  const ledger = new Ledger(o.runId, sink);
  let metrics: { server: Server; url: string } | undefined;
  if (o.metricsPort !== undefined) metrics = await serveMetrics(registry, o.metricsHost, o.metricsPort);
  const writing = new AbortController();
  const reading = new AbortController();
  const writer = new Writer(o, ledger, writing.signal);
  const reader = new Reader(o, ledger, reading.signal);
  const wrote = writer.run();
  const read = readLoop(o, ledger, reader, reading.signal);
  const ticker = o.summaryIntervalMs > 0 ? setInterval(() => print(summaryLine(ledger.summary())), o.summaryIntervalMs) : undefined;
  let finishing: Promise<CanarySummary> | undefined;
  const finish = (): Promise<CanarySummary> =>
    (finishing ??= (async () => {
      writer.stop();
      const deadline = Date.now() + o.drainMs;
      const timer = setTimeout(() => writing.abort(), o.drainMs);
      await wrote;
      clearTimeout(timer);
      await drain(ledger, writer, deadline);
      reading.abort();
      await read;
      // The last look decides: every acknowledged entry must be there now, whatever its age.
      for (let i = 0; i < 5 && !(await reader.verify(0)); i++) await sleep(1000);
      ledger.overdue(Date.now(), 0);
      if (ticker) clearInterval(ticker);
      const final = ledger.summary();
      print(summaryLine(final));
      if (metrics) await new Promise<void>((r) => metrics.server.close(() => r()));
      return final;
    })());
  const done = wrote.then(() => finish());
  return { metricsUrl: metrics?.url, summary: () => ledger.summary(), verify: () => reader.verify(), stop: finish, done };
}
