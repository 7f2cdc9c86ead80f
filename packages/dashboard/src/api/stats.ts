import { get } from './http';

export interface Bucket {
  time: string;
  key: string;
  count: number;
}

export interface LogStats {
  from: string;
  to: string;
  bucket_seconds: number;
  by_level: Bucket[];
  by_service: Bucket[];
}

/** Log counts per time bucket, by level and by service. */
export function logStats(q: { from?: string; to?: string; bucket?: number }, signal?: AbortSignal): Promise<LogStats> {
  return get<LogStats>('/api/v1/stats', q, signal);
}
