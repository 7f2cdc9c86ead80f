// Synthetic log lines for the throughput run: a few dozen message shapes with random parameters
// behind several common header styles (one per source), from a seeded PRNG so every run sees the same lines.

type Rand = () => number;

/** Mulberry32: small, fast, seedable. */
export function prng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const ip = (r: Rand): string => `10.${int(r, 256)}.${int(r, 256)}.${int(r, 256)}`;
const hex = (r: Rand, n: number): string =>
  Array.from({ length: n }, () => '0123456789abcdef'[int(r, 16)]).join('');
const uuid = (r: Rand): string => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'mallory', 'trent', 'victor'];
const TABLES = ['orders', 'users', 'sessions', 'invoices', 'events'];
const VERBS = ['GET', 'POST', 'PUT', 'DELETE'];

// Each entry: a message template id and a function producing a message.
const MESSAGES: ((r: Rand) => string)[] = [
  (r) => `Accepted connection from ${ip(r)}:${int(r, 65535)}`,
  (r) => `Closed connection from ${ip(r)}:${int(r, 65535)} after ${int(r, 5000)}ms`,
  (r) => `User ${pick(r, USERS)} logged in from ${ip(r)}`,
  (r) => `User ${pick(r, USERS)} logged out after ${int(r, 3600)} seconds`,
  (r) => `Failed password for ${pick(r, USERS)} from ${ip(r)} port ${int(r, 65535)} ssh2`,
  (r) => `${pick(r, VERBS)} /api/v1/${pick(r, TABLES)}/${int(r, 99999)} returned ${pick(r, [200, 201, 404, 500])} in ${int(r, 900)}ms`,
  (r) => `request_id=${uuid(r)} status=ok duration=${int(r, 300)}ms`,
  (r) => `Query on table ${pick(r, TABLES)} took ${(r() * 10).toFixed(3)} s rows=${int(r, 10000)}`,
  (r) => `Cache miss for key session:${hex(r, 16)}`,
  (r) => `Cache hit ratio ${(r() * 100).toFixed(1)}% over last ${int(r, 60)} minutes`,
  (r) => `Starting worker ${int(r, 64)} on host node-${int(r, 40)}.cluster.local`,
  (r) => `Worker ${int(r, 64)} finished job ${uuid(r)} in ${int(r, 10000)} ms`,
  (r) => `Job ${uuid(r)} failed: timeout after ${int(r, 120)}s`,
  (r) => `Retrying connect to server: ${ip(r)}:${int(r, 9000)}. Already tried ${int(r, 10)} time(s)`,
  (r) => `Received block blk_${int(r, 1e9)} of size ${int(r, 1e8)} from /${ip(r)}`,
  (r) => `Deleting block blk_${int(r, 1e9)} file /data/dfs/current/subdir${int(r, 64)}/blk_${int(r, 1e9)}`,
  (r) => `Disk usage on /dev/sda${int(r, 4)} at ${int(r, 100)}%`,
  (r) => `Memory usage ${int(r, 64000)}MB of ${pick(r, [32768, 65536])}MB`,
  (r) => `Sent email to ${pick(r, USERS)}@example.com with subject "Invoice ${int(r, 9999)}"`,
  (r) => `Downloaded https://cdn.example.com/assets/${hex(r, 10)}.js (${int(r, 900)} KB)`,
  (r) => `Transaction ${hex(r, 12)} committed`,
  (r) => `Transaction ${hex(r, 12)} rolled back: deadlock detected`,
  (r) => `Scheduler tick: ${int(r, 500)} pending tasks, ${int(r, 64)} running`,
  (r) => `Session ${hex(r, 24)} expired for user ${pick(r, USERS)}`,
  (r) => `Loaded configuration from /etc/app/${pick(r, ['main', 'db', 'cache'])}.yaml`,
  () => `Health check passed`,
  (r) => `Health check failed for ${ip(r)}: connection refused`,
  (r) => `Rotating log file /var/log/app/app-${int(r, 30)}.log`,
  (r) => `Invalid user ${pick(r, USERS)} from ${ip(r)}`,
  (r) => `Connection pool exhausted, waiting ${int(r, 1000)}ms for a free connection`,
  (r) => `GC pause ${int(r, 300)}ms, heap ${int(r, 4096)}MB -> ${int(r, 4096)}MB`,
  (r) => `Kafka partition ${int(r, 32)} rebalanced to consumer ${pick(r, USERS)}-${int(r, 8)}`,
  (r) => `Certificate for ${pick(r, ['api', 'www', 'mail'])}.example.org expires in ${int(r, 90)} days`,
  (r) => `Upload of file '${pick(r, ['report', 'backup', 'photo'])}_${int(r, 999)}.zip' completed`,
  () => `Shutting down`,
  (r) => `Received signal SIGTERM from pid ${int(r, 65535)}`,
];

const LEVELS = ['INFO', 'WARN', 'ERROR', 'DEBUG'];
const THREADS = ['main', 'worker-1', 'worker-2', 'IPC Server handler 3 on 8020', 'pool-2-thread-7'];
const COMPONENTS = ['com.example.api.Server', 'org.acme.db.Pool', 'io.app.Scheduler', 'app.Cache'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

function header(r: Rand, style: number): string {
  const t = `${two(int(r, 24))}:${two(int(r, 60))}:${two(int(r, 60))}`;
  switch (style) {
    case 0:
      return `2024-0${1 + int(r, 9)}-${two(1 + int(r, 28))} ${t},${String(int(r, 1000)).padStart(3, '0')} ${pick(r, LEVELS)} [${pick(r, THREADS)}] ${pick(r, COMPONENTS)}: `;
    case 1:
      return `${pick(r, MONTHS)} ${1 + int(r, 28)} ${t} host${int(r, 9)} app[${int(r, 65535)}]: `;
    case 2:
      return `2024-05-${two(1 + int(r, 28))}T${t}.${int(r, 1000)}Z ${pick(r, LEVELS)} `;
    default:
      return `[${pick(r, LEVELS).toLowerCase()}] `;
  }
}

/**
 * `count` lines, per line the index of the message shape it came from and the source it came
 * from: four sources, each with its own header style, interleaved as one stream.
 */
export function generate(count: number, seed: number): { lines: string[]; truth: string[]; sources: string[] } {
  const r = prng(seed);
  const lines: string[] = new Array<string>(count);
  const truth: string[] = new Array<string>(count);
  const sources: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const k = int(r, MESSAGES.length);
    const source = int(r, 4);
    lines[i] = header(r, source) + (MESSAGES[k] as (r: Rand) => string)(r);
    truth[i] = String(k);
    sources[i] = `source-${source}`;
  }
  // Joined and split again, the lines become slices of one flat text, as when read from a file;
  // concatenated strings would make the miner pay for flattening them on first access.
  return { lines: lines.join('\n').split('\n'), truth, sources };
}
