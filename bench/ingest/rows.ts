import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
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

/**
 * CPU seconds a process has used (user + system, from /proc): the bench runs beside PostgreSQL on one
 * host, so its backends' CPU per row is read the same way. Unlike rows per second, it holds when other
 * work shares the cores.
 */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0; // the process ended: its CPU is no longer readable
  }
}

/** Raw COPY of the same rows into `table` (the logs table unless told), for `seconds`, with two streams: the machine's limit. */
export async function copyRows(url: string, entries: Record<string, unknown>[], seconds: number, table = 'logs'): Promise<{ rowsPerSec: number; mbPerSec: number; streams: number; cpuMsPer1k: number }> {
  const text = entries
    .map((e) => [e.timestamp, norm(e.level as string), e.service, esc(e.message as string), '{}'].join('\t'))
    .join('\n') + '\n';
  const streams = 2;
  let rows = 0, bytes = 0, cpu = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: streams }, async () => {
    const c = new pg.Client(url);
    await c.connect();
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const cpu0 = cpuSeconds(pid);
    while (Date.now() - started < seconds * 1000) {
      await pipeline(Readable.from([text]), c.query(copyFrom(`COPY ${table} (ts, level, service, message, attributes) FROM STDIN`)));
      rows += entries.length;
      bytes += Buffer.byteLength(text);
    }
    cpu += cpuSeconds(pid) - cpu0;
    await c.end();
  }));
  const elapsed = (Date.now() - started) / 1000;
  return { rowsPerSec: rows / elapsed, mbPerSec: bytes / elapsed / 1e6, streams, cpuMsPer1k: (cpu * 1e6) / rows };
}

/**
 * A copy of the logs table (columns, defaults, checks, one partition over the bench's times) keeping
 * only the indexes `keep` accepts, so COPY into it prices what the others cost each row.
 */
export async function logsVariant(url: string, name: string, keep: (indexName: string) => boolean): Promise<string> {
  const c = new pg.Client(url);
  await c.connect();
  const defs = (await c.query<{ name: string; def: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = 'logs'::regclass AND NOT x.indisprimary`,
  )).rows;
  await c.query(`CREATE TABLE ${name} (LIKE logs INCLUDING DEFAULTS INCLUDING CONSTRAINTS, PRIMARY KEY (ts, id)) PARTITION BY RANGE (ts)`);
  await c.query(`CREATE TABLE ${name}_p PARTITION OF ${name} FOR VALUES FROM (now() - interval '2 days') TO (now() + interval '2 days')`);
  for (const d of defs.filter((x) => keep(x.name))) {
    await c.query(d.def.replace(/INDEX (\S+) ON (?:ONLY )?\S+/, `INDEX ${name}_$1 ON ${name}`));
  }
  await c.end();
  return name;
}
