import { BadValue, bool, int, oneOf, str, url, type VarSpec } from './spec.js';

import { LEVELS, type LogLevel as Level } from '@logsage/contracts';

/** A comma-separated list of log levels, or "all". */
const levels = (raw: string): Level[] => {
  const parts = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (parts.length === 1 && parts[0] === 'all') return [...LEVELS];
  for (const p of parts) if (!LEVELS.includes(p as Level)) throw new BadValue(`unknown level "${p}"`);
  return parts as Level[];
};

/** zh-CN or en, in any letter case. */
const language = (raw: string): 'zh-CN' | 'en' => (oneOf('zh-cn', 'en')(raw) === 'en' ? 'en' : 'zh-CN');

/** Analysis pipeline: queue, worker, ai role, LLM provider. */
export const ANALYSIS_VARS = {
  SILICONFLOW_API_TOKEN: { doc: 'SiliconFlow API token for LLM analysis (read by the ai role)', parse: str, secret: true },
  SILICONFLOW_MODEL: { doc: 'SiliconFlow model for LLM analysis', default: 'Qwen/QwQ-32B', parse: str },
  SILICONFLOW_BASE_URL: { doc: 'SiliconFlow API base URL', default: 'https://api.siliconflow.cn/v1', parse: url('https:', 'http:') },
  LLM_BASE_URL: { doc: 'Any OpenAI-compatible server instead of SiliconFlow (OpenAI, DeepSeek, DashScope, Ollama, vLLM), e.g. http://127.0.0.1:11434/v1', parse: url('https:', 'http:') },
  LLM_API_KEY: { doc: 'API key for LLM_BASE_URL', parse: str, secret: true },
  LLM_MODEL: { doc: 'Model name for LLM_BASE_URL', parse: str },
  LLM_TIMEOUT_MS: { doc: 'Timeout of one LLM request, in milliseconds', default: 120_000, parse: int(1000, 600_000) },
  LLM_MAX_TOKENS: { doc: 'Completion budget of one LLM request (reasoning included); raised once when a reply is cut off', default: 8192, parse: int(256, 200_000) },
  LLM_MAX_RETRIES: { doc: 'Retries of one LLM request after 429, 5xx or a timeout', default: 3, parse: int(0, 10) },
  LLM_RPM: { doc: 'Requests per minute sent to the LLM provider (0: no limit)', default: 60, parse: int(0, 100_000) },
  LLM_TPM: { doc: 'Tokens per minute sent to the LLM provider (0: no limit)', default: 0, parse: int(0, 100_000_000) },
  LLM_CIRCUIT_FAILURES: { doc: 'Consecutive failed LLM requests that open the circuit (analysis pauses instead of failing)', default: 5, parse: int(1, 1000) },
  LLM_CIRCUIT_COOLDOWN_MS: { doc: 'How long an open circuit waits before a trial request', default: 30_000, parse: int(100, 3_600_000) },
  ANALYSIS_LANGUAGE: { doc: 'Language of summaries, root causes and suggestions (zh-CN or en)', default: 'zh-CN', parse: language },
  REDACTION: { doc: 'Redact keys, tokens, passwords, emails, phone numbers, ID and card numbers before logs leave the process', default: true, parse: bool },
  AI_GRPC_HOST: { doc: 'Address the ai role\'s gRPC server listens on', default: '127.0.0.1', parse: str },
  AI_GRPC_PORT: { doc: 'Port of the ai role\'s gRPC server (0: any free port)', default: 50051, parse: int(0, 65535) },
  AI_SERVICE_URL: { doc: 'Where the worker role finds the ai role (host:port)', default: '127.0.0.1:50051', parse: str },
  AI_SERVICE_TOKEN: { doc: 'Shared secret the worker presents to the ai role (both sides must match; empty: none)', parse: str, secret: true },
  REDIS_PREFIX: { doc: 'Prefix of LogSage\'s Redis keys (several installations can share one Redis)', default: 'logsage', parse: str },
  ANALYSIS_LEVELS: { doc: 'Levels analysed, comma-separated, or all', default: [...LEVELS], parse: levels },
  ANALYSIS_BATCH_SIZE: { doc: 'Template representatives per LLM request', default: 12, parse: int(1, 100) },
  ANALYSIS_MAX_WAIT_MS: { doc: 'Longest wait for a batch to fill before it is sent anyway', default: 2000, parse: int(0, 600_000) },
  ANALYSIS_WORKERS: { doc: 'LLM batches analysed at the same time per worker process', default: 3, parse: int(1, 64) },
  ANALYSIS_ATTEMPTS: { doc: 'Attempts of one batch before its templates are parked', default: 3, parse: int(1, 20) },
  ANALYSIS_RETRY_BASE_MS: { doc: 'Retry delay unit: attempt n waits n squared times this (1, 4, 9 minutes by default)', default: 60_000, parse: int(10, 3_600_000) },
  ANALYSIS_VERDICT_TTL_S: { doc: 'How long a template\'s verdict is reused before the template is analysed again', default: 86_400, parse: int(0, 31_536_000) },
  ANALYSIS_STALE_MS: { doc: 'A scheduled batch with no live job for this long is scheduled again (reconciler)', default: 120_000, parse: int(1000, 86_400_000) },
  ANALYSIS_JOB_LOCK_MS: { doc: 'How long a worker holds a batch before another may take it over (crash recovery)', default: 180_000, parse: int(1000, 3_600_000) },
} satisfies Record<string, VarSpec<unknown>>;
