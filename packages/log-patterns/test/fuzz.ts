// Format fuzzer: wraps messages in a log header whose layout is drawn at random per source from
// many parts (timestamps in a dozen styles, hosts, node ids, pids and threads, levels, components,
// sequence numbers, a file name with its own timestamp). Header inference must recover the
// message from layouts no fixture spells out. Seeded, so a failing layout can be replayed.

export type Rand = () => number;

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

const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)] as T;
const p2 = (n: number): string => String(n).padStart(2, '0');
const p3 = (n: number): string => String(n).padStart(3, '0');
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DOW = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** One moment, advancing line by line, in parts every style needs. */
interface Clock {
  y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number; epoch: number;
}

function tick(r: Rand, i: number): Clock {
  const epoch = 1_709_251_200 + i * 7 + int(r, 5);
  const t = new Date(epoch * 1000);
  return {
    y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(),
    mi: t.getUTCMinutes(), s: t.getUTCSeconds(), ms: int(r, 1000), epoch,
  };
}

type Part = (r: Rand, c: Clock) => string;

const hms = (c: Clock): string => `${p2(c.h)}:${p2(c.mi)}:${p2(c.s)}`;
/** Timestamp styles: dots in dates, commas before millis, zones, epochs, no year, syslog, ctime. */
const TIMESTAMPS: Part[] = [
  (_, c) => `${c.y}-${p2(c.mo)}-${p2(c.d)}T${hms(c)}.${p3(c.ms)}Z`,
  (_, c) => `${c.y}-${p2(c.mo)}-${p2(c.d)}T${hms(c)}.${p3(c.ms)}+02:00`,
  (_, c) => `${c.y}-${p2(c.mo)}-${p2(c.d)} ${hms(c)},${p3(c.ms)}`,
  (_, c) => `${c.y}.${p2(c.mo)}.${p2(c.d)} ${hms(c)}`,
  (_, c) => `${c.y}/${p2(c.mo)}/${p2(c.d)} ${hms(c)}.${p3(c.ms)}`,
  (_, c) => `[${p2(c.d)}/${MON[c.mo - 1]}/${c.y}:${hms(c)} +0000]`,
  (_, c) => String(c.epoch),
  (_, c) => `${c.epoch}${p3(c.ms)}`,
  (_, c) => `${p2(c.mo)}-${p2(c.d)} ${hms(c)}.${p3(c.ms)}`,
  (_, c) => `${MON[c.mo - 1]} ${String(c.d).padStart(2, ' ')} ${hms(c)}`,
  (_, c) => `[${DOW[c.d % 7]} ${MON[c.mo - 1]} ${p2(c.d)} ${hms(c)} ${c.y}]`,
  (_, c) => `${String(c.y).slice(2)}${p2(c.mo)}${p2(c.d)} ${p2(c.h)}${p2(c.mi)}${p2(c.s)}`,
  (_, c) => `[${c.mo}.${p2(c.d)} ${hms(c)}]`,
  (_, c) => `${c.y}-${p2(c.mo)}-${p2(c.d)}-${p2(c.h)}.${p2(c.mi)}.${p2(c.s)}.${p3(c.ms)}123`,
  (_, c) => `${hms(c)}.${p3(c.ms)}`,
  (_, c) => `${c.y}-${p2(c.mo)}-${p2(c.d)} ${hms(c)},`,
];

const HOSTS = ['web-1', 'web-2', 'db-main', 'cache03', 'edge7'];
const THREADS = ['main', 'worker-3', 'pool-2-thread-7', 'IPC Server handler 3 on 8020', 'http-nio-8080-exec-1'];
const COMPONENTS = ['com.example.api.Server', 'org.acme.db.ConnectionPool', 'billing-service', 'sched.Worker', 'kernel'];
const LEVELS = ['INFO', 'INFO', 'INFO', 'WARN', 'ERROR', 'DEBUG'];

/** Fields that may follow the timestamp; each is one choice of style made per source. */
function fieldPool(r: Rand): Part[][] {
  const host: Part[] = [
    (q) => pick(q, HOSTS),
    (q) => `${pick(q, ['node', 'dn', 'srv'])}-${int(q, 300)}`,
    (q) => `R${p2(int(q, 64))}-M${int(q, 2)}-N${int(q, 16)}-C:J${p2(int(q, 18))}-U${p2(int(q, 12))}`,
    (q) => `10.${int(q, 256)}.${int(q, 256)}.${int(q, 256)}`,
    (q) => `${pick(q, HOSTS)}.example.com`,
  ];
  const proc: Part[] = [
    (q) => String(1 + int(q, 65535)),
    (q) => `[${1 + int(q, 65535)}]`,
    (q) => `[${pick(q, THREADS)}]`,
    (q) => `${1 + int(q, 9999)}  ${1 + int(q, 9999)}`,
    (q) => `(${pick(q, THREADS)})`,
  ];
  const level: Part[] = [
    (q) => pick(q, LEVELS),
    (q) => pick(q, LEVELS).toLowerCase(),
    (q) => pick(q, LEVELS).slice(0, 1),
    (q) => `[${pick(q, LEVELS)}]`,
    (q) => pick(q, LEVELS).padEnd(5, ' '),
    (q) => { const l = pick(q, LEVELS); return l[0] + l.slice(1).toLowerCase(); },
  ];
  const seq: Part[] = [(q) => `#${int(q, 1_000_000)}`, (q) => p3(int(q, 100_000))];
  const pools = [host, proc, level, seq];
  const out: Part[][] = [];
  for (const pool of pools) if (r() < 0.6) out.push([pick(r, pool)]);
  if (out.length === 0) out.push([pick(r, level)]);
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(r, i + 1);
    [out[i], out[j]] = [out[j] as Part[], out[i] as Part[]];
  }
  return out;
}

/** A component and what closes the header after it. */
const ENDINGS: ((r: Rand) => Part)[] = [
  (r) => { const c = pick(r, COMPONENTS); return () => `${c}:`; },
  (r) => { const c = pick(r, COMPONENTS); return (q) => `${c}[${int(q, 65535)}]:`; },
  (r) => { const c = pick(r, COMPONENTS); return () => `${c} -`; },
  () => (q) => `${pick(q, COMPONENTS)}:`,
  () => () => '-',
  () => () => '',
];

/** A header layout drawn at random: returns a function that renders line `i`'s header. */
export function randomLayout(seed: number): (i: number) => string {
  const r = prng(seed);
  const time = pick(r, TIMESTAMPS);
  const fields = fieldPool(r);
  const ending = pick(r, ENDINGS)(r);
  const pipe = r() < 0.15;
  const file = r() < 0.15 ? `${pick(r, ['app', 'nova-api', 'gateway'])}.log.` : null;
  const q = prng(seed * 7919 + 1);
  return (i) => {
    const c = tick(q, i);
    const parts = [time(q, c), ...fields.map((f) => (f[0] as Part)(q, c)), ending(q, c)].filter((p) => p !== '');
    if (file !== null) parts.unshift(`${file}${c.y}-${p2(c.mo)}-${p2(c.d)}_${hms(c)}`);
    return pipe ? `${parts.join('|')}|` : `${parts.join(' ')} `;
  };
}

/** `messages` wrapped in one random layout (the source's), line by line. */
export function wrap(messages: readonly string[], seed: number): string[] {
  const header = randomLayout(seed);
  return messages.map((m, i) => header(i) + m);
}
