import { TemplateMiner } from '@logsage/log-patterns';
import type { Db } from '../../db/types.js';
import {
  addTemplateHours,
  assignKeys,
  dropPending,
  loadMiner,
  lockMiner,
  minerVersion,
  requestVerdicts,
  saveMiner,
  unassignedLogs,
  upsertTemplates,
  type KeyRequest,
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
 * The assign pass: mines templates for pending logs (one miner shared through the database, so all
 * workers agree), counts them, requests verdicts, and answers at once the logs whose verdict is
 * cached and fresh. One transaction under a lock that serialises miners across processes.
 */
export class Assigner {
  private miner = new TemplateMiner();
  private version = 0;

  constructor(
    private readonly db: Db,
    private readonly batch: number,
  ) {}

  async run(): Promise<AssignOutcome> {
    return this.db.transaction(async (tx) => {
      await lockMiner(tx);
      const rows = await unassignedLogs(tx, this.batch);
      if (rows.length === 0) return { assigned: 0, fromCache: 0, newKeys: 0 };
      await dropPending(tx, rows.filter((r) => r.message === null).map((r) => r.log_id));
      const live = rows.filter((r): r is Mined['log'] => r.message !== null);
      if ((await minerVersion(tx)) !== this.version) await this.reload(tx);
      const mined: Mined[] = [];
      let changed = false;
      this.prime(live);
      for (const log of live) {
        // Whichever route a line came by, its header (learned per service) stays out of the
        // template; the stored log keeps its original text.
        const r = this.miner.add(log.message, log.service ?? '');
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
      if (changed) this.version = await saveMiner(tx, this.miner.snapshot());
      return { assigned: live.length, fromCache, newKeys: [...states.values()].filter((s) => s === 'open').length };
    });
  }

  /** Teaches each service's header layout from this batch before its lines are mined. */
  private prime(live: Mined['log'][]): void {
    const bySource = new Map<string, string[]>();
    for (const log of live) {
      const key = log.service ?? '';
      const list = bySource.get(key);
      if (list === undefined) bySource.set(key, [log.message]);
      else list.push(log.message);
    }
    for (const [source, lines] of bySource) this.miner.prime(lines, source);
  }

  private async reload(tx: Parameters<typeof loadMiner>[0]): Promise<void> {
    const saved = await loadMiner(tx);
    this.miner = saved ? TemplateMiner.restore(saved.snapshot) : new TemplateMiner();
    this.version = saved?.version ?? 0;
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
