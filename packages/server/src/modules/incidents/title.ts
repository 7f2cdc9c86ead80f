import type { ActiveSignal, IncidentSeverity, SignalKind } from './types.js';

// The title an incident shows until its story names it: what its strongest signal is, and where.

const RANK: Record<IncidentSeverity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

const WHAT: Record<SignalKind, (s: ActiveSignal) => string> = {
  new_template: (s) => (s.severity === 'critical' ? 'New fatal template' : s.severity === 'high' ? 'New error template' : s.severity === 'medium' ? 'New warning template' : 'New template'),
  rate_spike: (s) => (RANK[s.severity] >= RANK.high ? 'Burst of errors' : 'Burst of lines'),
  rate_drop: () => 'Lines stopped',
  error_share: () => 'Error share up',
};

/** "New error template in payment-api", "Error share up in a, b": the strongest signal's kind, then the services (three named at most). */
export function incidentTitle(signals: ActiveSignal[], services: string[]): string {
  const top = [...signals].sort((a, b) => RANK[b.severity] - RANK[a.severity] || b.score - a.score || a.startedMs - b.startedMs)[0];
  const where = services.length <= 3 ? services.join(', ') : `${services.slice(0, 3).join(', ')} and ${services.length - 3} more`;
  if (!top) return `Incident in ${where}`;
  return `${WHAT[top.kind](top)} in ${where}`;
}
