import { get } from './http';

export interface UsageDay {
  /** YYYY-MM-DD, a UTC day. */
  day: string;
  calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
  models: string[];
}

/** LLM calls and tokens per UTC day, oldest first, every day of the range (zeros included). */
export async function getUsage(days: number, signal?: AbortSignal): Promise<UsageDay[]> {
  return (await get<{ days: UsageDay[] }>('/api/v1/analysis/usage', { days }, signal)).days;
}
