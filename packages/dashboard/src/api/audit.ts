import { get } from './http';

export interface AuditEntry {
  id: string;
  at: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  method: string | null;
  route: string | null;
  target: string | null;
  status: number | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** The cursor of the next (older) page, or null when this page was the last. */
  next_before: string | null;
}

export interface AuditQuery {
  limit?: number;
  before?: string;
  action?: string;
}

/** Audit entries, newest first, before a cursor and for one action when given. */
export function listAudit(q: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
  return get<AuditPage>('/api/v1/audit', { ...q }, signal);
}
