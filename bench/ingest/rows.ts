import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const LEVEL = /\b(FATAL|ERROR|WARN(?:ING)?|INFO|DEBUG|TRACE)\b/i;
const SERVICES = ['api', 'auth', 'billing', 'search', 'worker'];
const TEMPLATES = [
  (n: number) => `GET /api/v1/orders/${n} 200 ${n % 900}ms`,
  (n: number) => `user ${n} logged in from 10.0.${n % 255}.${(n * 7) % 255}`,
  (n: number) => `connection to db-${n % 4}:5432 failed: timeout after ${n % 60}s`,
  (n: number) => `job ${n.toString(16)} finished in ${n % 5000} ms, ${n % 100} items`,
];

/** Shipper entries: Loghub-2k lines when present (service = system), generated lines otherwise. */
export function realisticEntries(loghub: Map<string, string[]> | undefined, count: number): Record<string, unknown>[] {
  const lines: [string, string][] = loghub
    ? [...loghub].flatMap(([system, ls]) => ls.map((l): [string, string] => [system, l]))
    : Array.from({ length: count }, (_, n): [string, string] => [SERVICES[n % SERVICES.length]!, TEMPLATES[n % TEMPLATES.length]!(n)]);
  const now = Date.now();
  return Array.from({ length: count }, (_, n) => {
    const [service, message] = lines[n % lines.length]!;
    const level = (LEVEL.exec(message)?.[1] ?? 'info').toLowerCase();
    return { timestamp: new Date(now - (n % 3_600_000)).toISOString(), level, service, message };
  });
}

const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
const norm = (level: string): string => (level.startsWith('warn') ? 'warn' : level);

/** Raw COPY of the same rows into the same table, for `seconds`, with two streams: the machine's limit. */
export async function copyRows(url: string, entries: Record<string, unknown>[], seconds: number): Promise<{ rowsPerSec: number; mbPerSec: number; streams: number }> {
  const text = entries
    .map((e) => [e.timestamp, norm(e.level as string), e.service, esc(e.message as string), '{}'].join('\t'))
    .join('\n') + '\n';
  const streams = 2;
  let rows = 0, bytes = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: streams }, async () => {
    const c = new pg.Client(url);
    await c.connect();
    while (Date.now() - started < seconds * 1000) {
      await pipeline(Readable.from([text]), c.query(copyFrom('COPY logs (ts, level, service, message, attributes) FROM STDIN')));
      rows += entries.length;
      bytes += Buffer.byteLength(text);
    }
    await c.end();
  }));
  const elapsed = (Date.now() - started) / 1000;
  return { rowsPerSec: rows / elapsed, mbPerSec: bytes / elapsed / 1e6, streams };
}
