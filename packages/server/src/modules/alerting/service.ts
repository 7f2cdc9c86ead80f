import type { Db } from '../../db/types.js';
import { AppError, asUnavailable } from '../../lib/errors.js';
import { parseTimestamp } from '../../lib/time.js';
import * as alerts from './repo-alerts.js';
import type { AlertDefaults } from './engine.js';
import { compileConditions } from './match.js';
import { previewRule, type PreviewReply } from './preview.js';
import * as rules from './repo-rules.js';
import { compileMatchers } from './silences.js';
import { UnsafePattern } from './safe-regex.js';
import { INCIDENT_CONDITIONS, type GroupLabel, type Matcher, type Rule, type RuleBody, type RulePatch, type Silence, type SilenceBody } from './schema.js';

export interface AlertQuery {
  state?: 'firing' | 'resolved';
  rule?: string;
  service?: string;
  severity?: string;
  from?: string;
  to?: string;
  before?: string;
  limit: number;
}

export interface AlertingService {
  listRules(): Promise<Rule[]>;
  getRule(id: string): Promise<Rule>;
  createRule(body: RuleBody): Promise<Rule>;
  updateRule(id: string, patch: RulePatch): Promise<Rule>;
  deleteRule(id: string): Promise<void>;
  preview(body: RuleBody): Promise<PreviewReply>;
  listAlerts(query: AlertQuery): Promise<alerts.AlertView[]>;
  getAlert(id: string): Promise<alerts.AlertView & { history: alerts.HistoryEntry[] }>;
  ackAlert(id: string, by: string): Promise<alerts.AlertView>;
  listSilences(includeExpired: boolean): Promise<Silence[]>;
  createSilence(body: SilenceBody, by: string, alertId?: string): Promise<Silence>;
  silenceAlert(id: string, body: { duration_minutes?: number; comment?: string }, by: string): Promise<Silence>;
  expireSilence(id: string): Promise<Silence>;
}

export interface AlertingDeps {
  db: Db;
  defaults: AlertDefaults;
  now?: () => number;
}

const bad = (field: string, reason: string): AppError => new AppError('bad_request', `${field}: ${reason}`, [{ field, reason }]);
const notFound = (what: string, id: string): AppError => new AppError('not_found', `no ${what} with id ${id}`);
const isAlertId = (id: string): boolean => /^\d{1,18}$/.test(id);

/** An incident rule with a condition only results have: a 400 naming every such field. */
function checkIncidentConditions(c: RuleBody['conditions']): void {
  const allowed: readonly string[] = INCIDENT_CONDITIONS;
  const extra = Object.keys(c).filter((k) => !allowed.includes(k));
  if (extra.length === 0) return;
  const reason = `not a condition of incident rules (they use ${INCIDENT_CONDITIONS.join(', ')})`;
  throw new AppError('bad_request', `conditions.${extra.join(', conditions.')}: ${reason}`, extra.map((k) => ({ field: `conditions.${k}`, reason })));
}

/** Fills a rule body's defaults and checks what the schema cannot (the regex, the service pattern, an incident rule's conditions). */
export function normalizeRule(b: RuleBody): rules.RuleFields {
  const kind = b.kind ?? 'result';
  if (kind === 'incident') checkIncidentConditions(b.conditions);
  compileConditions(b.conditions);
  return {
    kind,
    name: b.name.trim() || b.name,
    description: b.description ?? '',
    enabled: b.enabled ?? true,
    conditions: b.conditions,
    threshold: b.threshold ?? { count: 1, window_minutes: 5 },
    group_by: b.group_by ?? ['service'],
    group_wait_seconds: b.group_wait_seconds ?? null,
    group_interval_seconds: b.group_interval_seconds ?? null,
    repeat_interval_seconds: b.repeat_interval_seconds ?? null,
    resolve_after_minutes: b.resolve_after_minutes ?? null,
    notify_resolved: b.notify_resolved ?? true,
    channel_ids: b.channel_ids ?? [],
  };
}

function checkMatchers(matchers: Matcher[]): void {
  try {
    compileMatchers(matchers);
  } catch (err) {
    if (err instanceof UnsafePattern) throw bad('matchers', err.message);
    throw err;
  }
}

const guard = async <T>(p: Promise<T>): Promise<T> => {
  try {
    return await p;
  } catch (err) {
    throw asUnavailable(err);
  }
};

function alertFilter(query: AlertQuery): alerts.AlertFilter {
  if (query.before !== undefined && !isAlertId(query.before)) throw bad('before', 'must be an alert id');
  const time = (field: string, v?: string): string | undefined => {
    if (v === undefined) return undefined;
    const t = parseTimestamp(v);
    if (t === undefined) throw bad(field, 'unreadable time; use ISO 8601 or epoch milliseconds');
    return new Date(t).toISOString();
  };
  return { state: query.state, ruleId: query.rule, service: query.service, severity: query.severity, from: time('from', query.from), to: time('to', query.to), beforeId: query.before, limit: query.limit };
}

/** Stores a silence; every firing alert is looked at again at the next tick, so the silence applies at once. */
async function createSilence(db: Db, nowMs: number, body: SilenceBody, by: string, alertId?: string): Promise<Silence> {
  checkMatchers(body.matchers);
  const start = body.starts_at === undefined ? nowMs : parseTimestamp(body.starts_at);
  if (start === undefined) throw bad('starts_at', 'unreadable time; use ISO 8601');
  const end = body.ends_at !== undefined ? parseTimestamp(body.ends_at) : start + (body.duration_minutes ?? 120) * 60_000;
  if (end === undefined) throw bad('ends_at', 'unreadable time; use ISO 8601');
  if (end <= start || end <= nowMs) throw bad('ends_at', 'must be later than starts_at and than now');
  const fields = { matchers: body.matchers, startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString(), comment: body.comment ?? '', createdBy: by, alertId: alertId ?? null };
  const at = new Date(nowMs).toISOString();
  return guard(db.transaction(async (tx) => {
    const s = await alerts.insertSilence(tx, fields, at);
    await alerts.markFiringDue(tx, at);
    return s;
  }));
}

/** Builds the alerting API's service: rules, preview, alerts, acknowledgements, silences. */
export function createAlertingService(deps: AlertingDeps): AlertingService {
  const now = deps.now ?? Date.now;
  const iso = (): string => new Date(now()).toISOString();
  const mustRule = async (id: string): Promise<Rule> => (await guard(rules.findRule(deps.db, id))) ?? Promise.reject(notFound('rule', id));
  const mustAlert = async (id: string): Promise<alerts.AlertView> => {
    const a = isAlertId(id) ? await guard(alerts.findAlert(deps.db, id)) : undefined;
    if (!a) throw notFound('alert', id);
    return a;
  };
  return {
    listRules: () => guard(rules.listRules(deps.db)),
    getRule: mustRule,
    createRule: async (body) => guard(rules.insertRule(deps.db, normalizeRule(body))),
    async updateRule(id, patch) {
      const current = await mustRule(id);
      const merged = { ...current, ...patch } as unknown as RuleBody;
      const updated = await guard(deps.db.transaction((tx) => rules.updateRule(tx, id, normalizeRule(merged), iso())));
      if (!updated) throw notFound('rule', id);
      return updated;
    },
    async deleteRule(id) {
      if (!(await guard(deps.db.transaction((tx) => rules.deleteRule(tx, id, iso()))))) throw notFound('rule', id);
    },
    async preview(body) {
      const f = normalizeRule(body);
      // The preview replays a day of analysis results; incidents are not results.
      if (f.kind === 'incident') throw bad('kind', 'the preview replays analysis results; incident rules match incidents and have none');
      const resolveAfterMs = (f.resolve_after_minutes ?? deps.defaults.resolveAfterMinutes) * 60_000;
      const input = { conditions: f.conditions, test: compileConditions(f.conditions), groupBy: f.group_by as GroupLabel[], threshold: f.threshold, resolveAfterMs };
      return guard(previewRule(deps.db, input, now()));
    },
    listAlerts: async (query) => guard(alerts.listAlerts(deps.db, alertFilter(query))),
    async getAlert(id) {
      const a = await mustAlert(id);
      return { ...a, history: await guard(alerts.alertHistory(deps.db, id)) };
    },
    async ackAlert(id, by) {
      if (!isAlertId(id) || !(await guard(deps.db.transaction((tx) => alerts.ackAlert(tx, id, by, iso()))))) throw notFound('alert', id);
      return mustAlert(id);
    },
    listSilences: (includeExpired) => guard(alerts.listSilences(deps.db, iso(), includeExpired, 1000)),
    createSilence: (body, by) => createSilence(deps.db, now(), body, by),
    async silenceAlert(id, body, by) {
      const a = await mustAlert(id);
      const matchers: Matcher[] = [{ name: 'rule_id', value: a.rule_id ?? '' }, ...Object.entries(a.labels).map(([name, value]) => ({ name, value }))];
      return createSilence(deps.db, now(), { matchers, duration_minutes: body.duration_minutes ?? 120, comment: body.comment ?? `silenced from alert ${id}` }, by, id);
    },
    async expireSilence(id) {
      const s = await guard(deps.db.transaction((tx) => alerts.expireSilence(tx, id, iso())));
      if (!s) throw notFound('silence', id);
      return s;
    },
  };
}
