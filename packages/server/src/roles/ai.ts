// The ai role: the gRPC AnalyzeLogs server in front of the LLM provider, the only code that talks to it.
import { startAiService, type AiServiceOptions, type RunningAiService } from '@logsage/ai-service';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';

/** The ai role's options from the configuration: the generic provider wins over SiliconFlow. */
export function aiOptions(cfg: Config, log: Logger, demoLlmUrl?: string): AiServiceOptions {
  const provider = demoLlmUrl
    ? { name: 'demo stand-in', baseUrl: demoLlmUrl, apiKey: 'demo', model: 'logsage-demo' }
    : cfg.LLM_BASE_URL
      ? { name: 'openai-compatible', baseUrl: cfg.LLM_BASE_URL, apiKey: cfg.LLM_API_KEY ?? 'none', model: cfg.LLM_MODEL ?? '' }
      : cfg.SILICONFLOW_API_TOKEN
        ? { name: 'siliconflow', baseUrl: cfg.SILICONFLOW_BASE_URL, apiKey: cfg.SILICONFLOW_API_TOKEN, model: cfg.SILICONFLOW_MODEL }
        : undefined;
  return {
    provider,
    demo: demoLlmUrl !== undefined,
    timeoutMs: cfg.LLM_TIMEOUT_MS,
    maxTokens: cfg.LLM_MAX_TOKENS,
    maxRetries: cfg.LLM_MAX_RETRIES,
    rpm: cfg.LLM_RPM,
    tpm: cfg.LLM_TPM,
    circuitFailures: cfg.LLM_CIRCUIT_FAILURES,
    circuitCooldownMs: cfg.LLM_CIRCUIT_COOLDOWN_MS,
    language: cfg.ANALYSIS_LANGUAGE,
    redaction: cfg.REDACTION,
    log: log.child({ role: 'ai' }),
  };
}

/** Starts the ai role's gRPC server on AI_GRPC_HOST:AI_GRPC_PORT (0: any free port, as `start` uses). */
export async function startAiRole(cfg: Config, log: Logger, demoLlmUrl?: string): Promise<RunningAiService> {
  const options = aiOptions(cfg, log, demoLlmUrl);
  const ai = await startAiService({ ...options, host: cfg.AI_GRPC_HOST, port: cfg.AI_GRPC_PORT, token: cfg.AI_SERVICE_TOKEN });
  log.info({ port: ai.port, provider: options.provider?.name ?? 'none' }, 'ai role listening (gRPC)');
  return ai;
}

/** Where this process's worker reaches the ai role: its own server on the port it really got, else AI_SERVICE_URL. */
export function aiUrl(cfg: Config, ai: RunningAiService | undefined): string {
  return ai ? `${cfg.AI_GRPC_HOST === '0.0.0.0' ? '127.0.0.1' : cfg.AI_GRPC_HOST}:${ai.port}` : cfg.AI_SERVICE_URL;
}
