import { randomInt } from 'node:crypto';
import { TemplateMiner } from '@logsage/log-patterns';
import type { Db } from '../../db/types.js';
import {
  addTemplateHours,
  assignKeys,
  dropPending,
  loadMiner,
  minerVersion,
  requestVerdicts,
  saveMiner,
  tryLockShard,
  unassignedLogs,
  upsertTemplates,
  type KeyRequest,
  type Shard,
  type TemplateUpdate,
  type UnassignedLog,
} from './repo-assign.js';
import { resolveKeys } from './repo-verdicts.js';
import { verdictKey } from './verdict-key.js';

export interface AssignOutcome {
  assigned: number;
  /** Logs answered at once from a fresh cached verdict. */
  fromCache: number;
  newKeys: number;
}

interface Mined {
  log: UnassignedLog & { message: string };
  templateId: string;
  template: string;
}

/**
 * How many shards the services are hashed into. Workers beyond this number find every shard taken;
 * each shard pass reads past the other shards' pending rows, so more shards cost reading.
 */
export const ASSIGN_SHARDS = 4;

interface ShardMiner {
  miner: TemplateMiner;
  /** The saved version this miner reflects; -1 while it holds learning not known to be saved. */
  version: number;
}

const none = (): AssignOutcome => ({ assigned: 0, fromCache: 0, newKeys: 0 });

/**
 * The assign pass: mines templates for pending logs, counts them, requests verdicts, and answers at
 * once the logs whose verdict is cached and fresh. Services are hashed into shards; a shard is mined
 * by one process at a time (a transaction-scoped advisory lock) with its own persisted miner, so
 * workers mine disjoint services in parallel and a worker alone takes every shard in turn. A line's
 * template id is derived from its text, so the same template gets the same id in every shard.
 */
export class Assigner {
  private readonly miners = new Map<number, ShardMiner>();
  private next: number;

  constructor(
    private readonly db: Db,
    private readonly batch: number,
    private readonly shards = ASSIGN_SHARDS,
  ) {
    // Workers start their rounds at different shards, so two of them rarely try the same one first.
    this.next = randomInt(shards);
  }

  /** One round: each shard that no other process holds gets one pass, each in its own transaction. */
  async run(): Promise<AssignOutcome> {
    const total = none();
    const start = this.next;
    this.next = (this.next + 1) % this.shards;
    for (let i = 0; i < this.shards; i++) {
      const r = await this.runShard({ index: (start + i) % this.shards, count: this.shards });
      total.assigned += r.assigned;
      total.fromCache += r.fromCache;
      total.newKeys += r.newKeys;
    }
    return total;
  }

  private async runShard(shard: Shard): Promise<AssignOutcome> {
    return this.db.transaction(async (tx) => {
      // Another worker holds the shard: it assigns these rows now; taking them too would count twice.
      if (!(await tryLockShard(tx, shard))) return none();
      const rows = await unassignedLogs(tx, this.batch, shard);
      if (rows.length === 0) return none();
      await dropPending(tx, rows.filter((r) => r.message === null).map((r) => r.log_id));
      const live = rows.filter((r): r is Mined['log'] => r.message !== null);
      const state = await this.minerFor(tx, shard);
      // The miner learns in memory before the transaction commits: until it does, mark it unsaved,
      // so a failed pass reloads the saved miner instead of keeping lines that were never assigned.
      const loaded = state.version;
      state.version = -1;
      const mined: Mined[] = [];
      let changed = false;
      this.prime(state.miner, live);
      for (const log of live) {
        // Whichever route a line came by, its header (learned per service) stays out of the
        // template; the stored log keeps its original text.
        const r = state.miner.add(log.message, log.service ?? '');
        if (r.changeType !== 'none') changed = true;
        mined.push({ log, templateId: r.templateId, template: r.template });
      }
      const keying = await upsertTemplates(tx, this.templateUpdates(mined));
      await addTemplateHours(tx, hourlyCounts(mined));
      const keyed = mined.map((m) => ({ ...m, key: verdictKey(m.templateId, keying.get(m.templateId), m.log.message) }));
      const reqs = new Map<string, KeyRequest>();
      for (const k of keyed) {
        if (!reqs.has(k.key)) reqs.set(k.key, { key: k.key, templateId: k.templateId, representativeId: k.log.log_id, representativeTs: k.log.ts });
      }
      const states = await requestVerdicts(tx, [...reqs.values()].sort((a, b) => (a.key < b.key ? -1 : 1)));
      await assignKeys(tx, keyed.map((k) => ({ logId: k.log.log_id, templateId: k.templateId, key: k.key })));
      const done = [...states].filter(([, s]) => s === 'done').map(([k]) => k);
      const fromCache = await resolveKeys(tx, done);
      state.version = changed ? await saveMiner(tx, shard, state.miner.snapshot()) : loaded;
      return { assigned: live.length, fromCache, newKeys: [...states.values()].filter((s) => s === 'open').length };
    });
  }

  /** The shard's miner, reloaded when another process saved a newer one since this one last ran it. */
  private async minerFor(tx: Parameters<typeof loadMiner>[0], shard: Shard): Promise<ShardMiner> {
    let state = this.miners.get(shard.index);
    if (state && (await minerVersion(tx, shard)) === state.version) return state;
    const saved = await loadMiner(tx, shard);
    state = { miner: saved ? TemplateMiner.restore(saved.snapshot) : new TemplateMiner(), version: saved?.version ?? 0 };
    this.miners.set(shard.index, state);
    return state;
  }

  /** Teaches each service's header layout from this batch before its lines are mined. */
  private prime(miner: TemplateMiner, live: Mined['log'][]): void {
    const bySource = new Map<string, string[]>();
    for (const log of live) {
      const key = log.service ?? '';
      const list = bySource.get(key);
      if (list === undefined) bySource.set(key, [log.message]);
      else list.push(log.message);
    }
    for (const [source, lines] of bySource) miner.prime(lines, source);
  }

  private templateUpdates(mined: Mined[]): TemplateUpdate[] {
    const by = new Map<string, TemplateUpdate>();
    for (const m of mined) {
      // A line sent back to be keyed by its values was counted at its first assignment (the same
      // rule as hourlyCounts): counting it again made a parameter-dependent template read more
      // lines than it had.
      const fresh = m.log.template_id === m.templateId ? 0 : 1;
      const t = by.get(m.templateId);
      if (!t) {
        by.set(m.templateId, { id: m.templateId, template: m.template, sample: m.log.message, count: fresh, firstSeen: m.log.ts, lastSeen: m.log.ts });
        continue;
      }
      t.count += fresh;
      t.template = m.template; // the latest form: a template only ever generalises
      if (m.log.ts < t.firstSeen) t.firstSeen = m.log.ts;
      if (m.log.ts > t.lastSeen) t.lastSeen = m.log.ts;
    }
    // In id order, like every other writer of template rows, so concurrent passes cannot deadlock.
    return [...by.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/**
 * Each mined log's change to the hourly template counts. A log sent back for per-message keys was
 * counted at its first assignment: it only moves when its template id changed (the template
 * generalised meanwhile), so the counts stay those of the logs' current template ids.
 */
function hourlyCounts(mined: Mined[]): { templateId: string; service: string; ts: string; delta: number }[] {
  const out: { templateId: string; service: string; ts: string; delta: number }[] = [];
  for (const { log, templateId } of mined) {
    if (log.template_id === templateId) continue;
    const at = { service: log.service ?? '', ts: log.ts };
    out.push({ ...at, templateId, delta: 1 });
    if (log.template_id !== null) out.push({ ...at, templateId: log.template_id, delta: -1 });
  }
  return out;
}
