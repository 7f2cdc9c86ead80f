import { startAiService, type AiServiceOptions, type RunningAiService } from '@logsage/ai-service';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from './config/index.js';
import type { Db } from './db/types.js';
import { createAnalysisService, grpcAiBackend, registerAnalysisMetrics, startAnalysisWorker, type AnalysisService, type AnalysisWorker } from './modules/analysis/index.js';
import { createQueue } from './queue/index.js';

export type PipelineRole = 'worker' | 'ai';

export interface Pipeline {
  analysis: AnalysisService;
  worker: AnalysisWorker | undefined;
  /** The ai role's gRPC port when this process runs it. */
  aiPort: number | undefined;
  stop(): Promise<void>;
}

export interface PipelineOptions {
  /** Base URL of the bundled LLM stand-in: demo mode, every analysis marked as such. */
  demoLlmUrl?: string | undefined;
  /** The app's Prometheus registry: analysis series are added to it. */
  registry?: Registry | undefined;
  /** The read replica's pool (DATABASE_READ_URL) for the analysis read API; undefined: the primary. */
  readDb?: Db | undefined;
}

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

/**
 * Starts the analysis roles this process runs (ai: the gRPC server in front of the LLM; worker:
 * templates, batches, results) and the analysis read service every role's API uses.
 */
export async function startPipeline(cfg: Config, db: Db, log: Logger, roles: readonly string[], o: PipelineOptions = {}): Promise<Pipeline> {
  let ai: RunningAiService | undefined;
  if (roles.includes('ai')) {
    const options = aiOptions(cfg, log, o.demoLlmUrl);
    ai = await startAiService({ ...options, host: cfg.AI_GRPC_HOST, port: cfg.AI_GRPC_PORT, token: cfg.AI_SERVICE_TOKEN });
    log.info({ port: ai.port, provider: options.provider?.name ?? 'none' }, 'ai role listening (gRPC)');
  }
  // In one process the worker reaches its own ai role on the port it really got.
  const url = ai ? `${cfg.AI_GRPC_HOST === '0.0.0.0' ? '127.0.0.1' : cfg.AI_GRPC_HOST}:${ai.port}` : cfg.AI_SERVICE_URL;
  const backend = grpcAiBackend({ url, token: cfg.AI_SERVICE_TOKEN, deadlineMs: 15 * 60_000, language: cfg.ANALYSIS_LANGUAGE });
  const queue = createQueue({
    db,
    redisUrl: cfg.redisUrl,
    prefix: cfg.REDIS_PREFIX,
    // One more than the handler's own limit: the handler parks the work itself on its last attempt.
    attempts: cfg.ANALYSIS_ATTEMPTS + 1,
    retryBaseMs: cfg.ANALYSIS_RETRY_BASE_MS,
    lockMs: cfg.ANALYSIS_JOB_LOCK_MS,
    log: log.child({ role: 'worker' }),
  });
  const metrics = o.registry ? registerAnalysisMetrics(o.registry, db) : undefined;
  const worker = roles.includes('worker')
    ? startAnalysisWorker({
        db,
        queue,
        ai: backend,
        log: log.child({ role: 'worker' }),
        onResults: (n) => metrics?.results.inc(n),
        settings: {
          batchSize: cfg.ANALYSIS_BATCH_SIZE,
          maxWaitMs: cfg.ANALYSIS_MAX_WAIT_MS,
          workers: cfg.ANALYSIS_WORKERS,
          attempts: cfg.ANALYSIS_ATTEMPTS,
          retryBaseMs: cfg.ANALYSIS_RETRY_BASE_MS,
          verdictTtlS: cfg.ANALYSIS_VERDICT_TTL_S,
          staleMs: cfg.ANALYSIS_STALE_MS,
          assignBatch: 2000,
        },
      })
    : undefined;
  return {
    analysis: createAnalysisService({ db, readDb: o.readDb, queue, ai: backend }),
    worker,
    aiPort: ai?.port,
    async stop() {
      if (worker) await worker.stop();
      else await queue.close();
      backend.close();
      await ai?.close();
    },
  };
}
