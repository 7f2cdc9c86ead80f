import type { Scope } from '../../api/keys';

/**
 * A ready-to-paste curl line for a new key, fitted to what its scopes allow: an ingest key sends
 * one log line, a read key lists logs, an admin key asks who it is.
 */
export function curlLine(origin: string, key: string, scopes: readonly string[]): string {
  const auth = `-H 'Authorization: Bearer ${key}'`;
  if (scopes.includes('ingest') && !scopes.includes('read') && !scopes.includes('admin')) {
    const body = JSON.stringify([{ level: 'info', service: 'curl', message: 'hello from curl' }]);
    return `curl -X POST ${auth} -H 'Content-Type: application/json' -d '${body}' '${origin}/api/v1/logs'`;
  }
  const path = (scopes as readonly Scope[]).includes('read') ? '/api/v1/logs?limit=5' : '/api/v1/auth/me';
  return `curl ${auth} '${origin}${path}'`;
}
