import { get, post, request, seg } from './http';

/** One label matcher; `is_regex` matches the whole value, `is_equal: false` selects labels that do NOT match. */
export interface Matcher {
  name: string;
  value: string;
  is_regex?: boolean;
  is_equal?: boolean;
}

export type SilenceState = 'pending' | 'active' | 'expired';

export interface Silence {
  id: string;
  matchers: Matcher[];
  starts_at: string;
  ends_at: string;
  comment: string;
  created_by: string;
  created_at: string;
  /** The alert it was made from, if any. */
  alert_id: string | null;
  state: SilenceState;
}

/** A new silence: matchers, and `ends_at` or `duration_minutes` (default 120) from `starts_at` (default now). */
export interface SilenceBody {
  matchers: Matcher[];
  starts_at?: string;
  ends_at?: string;
  duration_minutes?: number;
  comment?: string;
}

/** Silences in force or to come; with `expired` the expired ones too (newest first). */
export async function listSilences(expired: boolean, signal?: AbortSignal): Promise<Silence[]> {
  return (await get<{ silences: Silence[] }>('/api/v1/silences', { expired }, signal)).silences;
}

/** Creates a silence from matchers over a time range. */
export const createSilence = (body: SilenceBody): Promise<Silence> => post<Silence>('/api/v1/silences', body);

/** Ends a silence now; the alerts it muted are looked at again at once. */
export const expireSilence = (id: string): Promise<Silence> => request<Silence>('DELETE', `/api/v1/silences/${seg(id)}`);
