// Options of the ai role. The server package parses the environment and maps it onto this plain
// object, so nothing in this package reads process.env (one config parse, GUIDE §4.5).

/** The subset of a pino logger the ai role writes to. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** An OpenAI-compatible provider. */
export interface ProviderOptions {
  name: string;
  baseUrl: string;
  apiKey: string;
  model: string;
}

import type { Language } from '@logsage/contracts';

export type { Language };

export interface AiServiceOptions {
  /** Undefined means no provider is configured: analysis waits with FAILED_PRECONDITION. */
  provider?: ProviderOptions | undefined;
  /** The provider is the bundled stand-in; responses and status say so. */
  demo?: boolean | undefined;
  timeoutMs: number;
  maxTokens: number;
  maxRetries: number;
  /** Requests and tokens per minute; 0 means no limit. */
  rpm: number;
  tpm: number;
  circuitFailures: number;
  circuitCooldownMs: number;
  language: Language;
  redaction: boolean;
  log: Logger;
  /** Reason reported while no provider is configured. */
  notConfiguredReason?: string | undefined;
}

export const DEFAULT_OPTIONS = {
  timeoutMs: 120_000,
  maxTokens: 8192,
  maxRetries: 3,
  rpm: 0,
  tpm: 0,
  circuitFailures: 5,
  circuitCooldownMs: 30_000,
  language: 'en',
  redaction: true,
} as const satisfies Partial<AiServiceOptions>;

export const NOT_CONFIGURED_REASON =
  'no LLM provider configured: set SILICONFLOW_API_TOKEN, or LLM_BASE_URL and LLM_MODEL';

/** A logger that drops everything (tests, embedding without logs). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** Fills unset options with the defaults above. */
export function resolveOptions(opts: Partial<AiServiceOptions>): AiServiceOptions {
  return { ...DEFAULT_OPTIONS, log: silentLogger, ...opts };
}
