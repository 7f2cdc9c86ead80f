// The audit log names an action two ways: handlers that say what they did use a dotted name
// (`user.update`), every other change is recorded by the generic trail as `METHOD /route`
// (`PATCH /api/v1/rules/:id`). Both become one `<resource>.<verb>` key, so the log reads
// "Rule changed" whichever way the server wrote it; the raw action stays visible beside it.

const RESOURCES: Record<string, string> = {
  rules: 'rule', channels: 'channel', silences: 'silence', alerts: 'alert', users: 'user',
  'api-keys': 'api_key', notifications: 'notification', analysis: 'analysis',
};
const VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };

/** `rule.update` for `rule.update` or `PATCH /api/v1/rules/:id`; null when the action has no known shape. */
export function actionKey(action: string): string | null {
  if (/^[a-z_]+\.[a-z_]+$/.test(action)) return action;
  const m = /^([A-Z]+) \/api\/v1\/([a-z-]+)(?:\/:[a-z_]+)?(?:\/([a-z/]+))?$/.exec(action);
  if (!m) return null;
  const [, method = '', collection = '', sub] = m;
  const resource = RESOURCES[collection];
  if (!resource) return null;
  // /rules/preview, /alerts/:id/ack, /analysis/parked/redrive: the last word is the verb.
  const verb = sub ? sub.split('/').at(-1) : VERBS[method];
  return verb ? `${resource}.${verb}` : null;
}

/** The actions offered in the audit filter (the filter matches the server's action exactly). */
export const AUDIT_ACTIONS = [
  'user.create', 'user.update', 'user.delete', 'user.password', 'api_key.create', 'api_key.revoke',
  'auth.login', 'auth.login_failed', 'auth.logout',
  'POST /api/v1/rules', 'PATCH /api/v1/rules/:id', 'DELETE /api/v1/rules/:id',
  'POST /api/v1/channels', 'PATCH /api/v1/channels/:id', 'DELETE /api/v1/channels/:id',
  'POST /api/v1/silences', 'DELETE /api/v1/silences/:id', 'POST /api/v1/alerts/:id/ack',
] as const;

/** A details object as short `key: value` pairs for the collapsed cell; values are compact JSON. */
export function detailPairs(details: Record<string, unknown>): { key: string; value: string }[] {
  return Object.entries(details).map(([key, v]) => ({ key, value: typeof v === 'string' ? v : JSON.stringify(v) }));
}
