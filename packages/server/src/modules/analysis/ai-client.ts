import type { Language } from '@logsage/contracts';
import { createAnalysisClient } from '@logsage/ai-service';
import type { AiBackend } from './types.js';

/** The worker's view of the ai role over gRPC; failures arrive as the client's AnalysisCallError. */
export function grpcAiBackend(o: { url: string; token?: string | undefined; deadlineMs: number; language: Language }): AiBackend & { close(): void } {
  const client = createAnalysisClient({ url: o.url, token: o.token, deadlineMs: o.deadlineMs });
  return {
    analyze: (logs, { requestId }) => client.analyze(logs, { language: o.language, requestId }),
    // The configured analysis language applies unless the request names its own.
    describeIncident: (req, { requestId }) => client.describeIncident(req, { language: o.language, requestId }),
    status: async () => ({ ...(await client.status()), reachable: true }),
    close: () => client.close(),
  };
}
