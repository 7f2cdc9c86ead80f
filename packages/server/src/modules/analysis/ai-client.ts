import { AnalysisCallError, createAnalysisClient, type AnalysisClient } from '@logsage/ai-service';
import { AiCallError, type AiBackend, type AiStatus } from './types.js';

/** The worker's view of the ai role over gRPC; failures become AiCallError with the server's wait. */
export function grpcAiBackend(o: { url: string; token?: string | undefined; deadlineMs: number; language: 'zh-CN' | 'en' }): AiBackend & { close(): void } {
  const client: AnalysisClient = createAnalysisClient({ url: o.url, token: o.token, deadlineMs: o.deadlineMs });
  const wrap = (err: unknown): never => {
    if (err instanceof AnalysisCallError) throw new AiCallError(err.code, err.message, err.retryAfterMs);
    throw err;
  };
  return {
    async analyze(logs, { requestId }) {
      const r = await client.analyze(logs, { language: o.language, requestId }).catch(wrap);
      return { results: r.results, model: r.model, usage: r.usage, promptVersion: r.promptVersion, llmCalls: r.llmCalls, demo: r.demo };
    },
    async status(): Promise<AiStatus> {
      const s = await client.status().catch(wrap);
      return {
        reachable: true,
        configured: s.configured,
        reason: s.reason,
        provider: s.provider,
        model: s.model,
        circuitState: s.circuitState,
        circuitRetryInMs: s.circuitRetryInMs,
        lastError: s.lastError,
        demo: s.demo,
      };
    },
    close: () => client.close(),
  };
}
