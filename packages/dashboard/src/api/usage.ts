import { get } from './http';

export interface UsageDay {
  /** YYYY-MM-DD, a UTC day. */
  day: string;
  calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
  models: string[];
  /** Cost per currency (ISO code); models without a price add nothing and count in `unpriced_tokens`. */
  cost?: Record<string, number>;
  unpriced_tokens?: number;
  /** Tokens and cost per service: each batch's tokens shared by its entries' services. */
  by_service?: ServiceUsage[];
}

export interface ServiceUsage {
  service: string;
  /** Entries of this service sent to the LLM. */
  entries: number;
  prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
  cost: Record<string, number>;
  unpriced_tokens: number;
}

/** LLM calls, tokens and cost per UTC day (and per service), oldest first, every day of the range (zeros included). */
export async function getUsage(days: number, signal?: AbortSignal): Promise<UsageDay[]> {
  return (await get<{ days: UsageDay[] }>('/api/v1/analysis/usage', { days }, signal)).days;
}
