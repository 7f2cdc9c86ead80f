// Generated shipper entries for the dashboard benchmark: 8 services, 5 levels, a few hundred line
// shapes (a component name first, so the template miner keeps them apart), weighted so a few shapes
// are frequent and most are rare, and deterministic (seeded), so every run stores the same logs.

export const SERVICES = ['api-gateway', 'auth', 'billing', 'checkout', 'inventory', 'search', 'notifications', 'scheduler'];
/** Services that never log at fatal: `service=checkout&level=fatal` matches nothing. */
const FATAL_SERVICES = new Set(['inventory', 'scheduler']);
const COMPONENTS = ['Controller', 'Repository', 'Client', 'Worker'];
const RESOURCES = ['order', 'user', 'invoice', 'item', 'session', 'report'];

type Shape = (r: Rand, res: string) => string;
const id = (r: Rand): number => r.int(1, 9_999_999);
const ms = (r: Rand): number => r.int(1, 900);
const hex = (r: Rand): string => r.int(0, 2 ** 31).toString(16);

// Wording keeps each level's lines to the stand-in's matching severity: info and debug lines carry
// none of its anomaly keywords, so anomalies are the warn, error and fatal lines.
const SHAPES: Record<string, Shape[]> = {
  info: [
    (r, res) => `GET /api/v1/${res}s/${id(r)} 200 ${ms(r)}ms`,
    (r, res) => `POST /api/v1/${res}s 201 ${ms(r)}ms`,
    (r, res) => `${res} ${id(r)} updated by user ${id(r)}`,
    (r, res) => `published event ${res}.changed at offset ${id(r)}`,
    (r, res) => `batch of ${r.int(1, 500)} ${res}s processed in ${ms(r)} ms`,
    (r, res) => `user ${id(r)} opened ${res} ${id(r)} from 10.0.${r.int(0, 255)}.${r.int(0, 255)}`,
  ],
  debug: [
    (r, res) => `cache lookup for ${res}:${id(r)} answered from memory`,
    (r, res) => `loaded ${r.int(1, 90)} ${res} rows for page ${r.int(1, 40)}`,
    (r) => `scheduling tick ${hex(r)} with ${r.int(0, 30)} due entries`,
  ],
  warn: [
    (r, res) => `slow response from ${res} store: ${r.int(1000, 9000)} ms`,
    (r, res) => `retry ${r.int(1, 5)} of 5 for ${res} ${id(r)}`,
  ],
  error: [
    (r, res) => `connection refused by ${res}-db-${r.int(1, 4)}:5432`,
    (r, res) => `request ${hex(r)} failed: upstream ${res} timeout after ${r.int(1, 60)} s`,
    (r, res) => `could not save ${res} ${id(r)}: unique violation on ${res}s_pkey`,
  ],
  fatal: [(r) => `out of memory: killed worker ${r.int(1, 64)}`],
};
const LEVEL_WEIGHTS: [string, number][] = [['info', 0.72], ['debug', 0.15], ['warn', 0.09], ['error', 0.038], ['fatal', 0.002]];

/** A small seeded PRNG (mulberry32): the same logs on every run. */
export class Rand {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = Math.imul(this.s ^ (this.s >>> 15), 1 | this.s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
}

interface Kind {
  service: string;
  level: string;
  prefix: string;
  res: string;
  shape: Shape;
  weight: number;
}

/** Every (service, component, resource, shape) kind with a Zipf-like weight within its level. */
function kinds(): Map<string, Kind[]> {
  const byLevel = new Map<string, Kind[]>();
  for (const [level, shapes] of Object.entries(SHAPES)) {
    const list: Kind[] = [];
    for (const service of SERVICES) {
      if (level === 'fatal' && !FATAL_SERVICES.has(service)) continue;
      COMPONENTS.forEach((c, ci) => shapes.forEach((shape, si) => {
        const res = RESOURCES[(ci + si + service.length) % RESOURCES.length]!;
        list.push({ service, level, prefix: `${service.replace(/-/g, '')}.${res}${c}`, res, shape, weight: 0 });
      }));
    }
    list.forEach((k, i) => (k.weight = 1 / (1 + ((i * 7919) % list.length))));
    byLevel.set(level, list);
  }
  return byLevel;
}

const pick = <T extends { weight: number }>(r: Rand, list: T[], total: number): T => {
  let x = r.next() * total;
  for (const k of list) if ((x -= k.weight) <= 0) return k;
  return list[list.length - 1]!;
};

/**
 * Entries `start` to `start + count` of `total`, spread evenly over the `span` ms (24 hours by
 * default) before `now` (oldest first, the order shippers send them in).
 */
export function generateEntries(start: number, count: number, total: number, now: number, span = 86_400_000): Record<string, unknown>[] {
  const byLevel = kinds();
  const levelTotal = LEVEL_WEIGHTS.reduce((n, [, w]) => n + w, 0);
  const weights = new Map([...byLevel].map(([l, list]) => [l, list.reduce((n, k) => n + k.weight, 0)]));
  const r = new Rand(start + 1);
  const out: Record<string, unknown>[] = [];
  for (let i = start; i < start + count; i++) {
    const level = pick(r, LEVEL_WEIGHTS.map(([l, w]) => ({ l, weight: w })), levelTotal).l;
    const k = pick(r, byLevel.get(level)!, weights.get(level)!);
    const ts = now - span + ((i + r.next()) * span) / total;
    out.push({ timestamp: new Date(ts).toISOString(), level, service: k.service, message: `${k.prefix}: ${k.shape(r, k.res)}` });
  }
  return out;
}

/** How many line kinds the generator has (an upper bound on the templates mined). */
export const KIND_COUNT = [...kinds().values()].reduce((n, l) => n + l.length, 0);
