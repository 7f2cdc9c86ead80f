// Public face of the ai role: the gRPC server and client, the in-process analyzer and the pieces
// the server package and tests use (redaction, prompt versions, limits, option defaults).
export { createAnalyzer, type Analyzer, type AnalyzerInternals } from './analyzer.js';
export { startAiService, type AiServiceServerOptions, type RunningAiService } from './grpc/server.js';
export { createAnalysisClient, type AnalysisClient, type AnalysisClientOptions } from './grpc/client.js';
export { AnalysisCallError, AnalysisError, type AnalysisErrorCode } from './errors.js';
export { redact } from './redact.js';
export { PROMPT_VERSION } from './prompts/v1.js';
export { CATEGORIES, SEVERITIES } from './prompts/schema.js';
export { REQUEST_LIMITS } from './request.js';
export { INCIDENT_REQUEST_LIMITS } from './incident-request.js';
export { INCIDENT_PROMPT_VERSION } from './prompts/incident.js';
export { STORY_LIMITS } from './output/incident.js';
export {
  DEFAULT_OPTIONS,
  NOT_CONFIGURED_REASON,
  type AiServiceOptions,
  type Language,
  type Logger,
  type ProviderOptions,
} from './options.js';
export type {
  AiStatus,
  AnalysisVerdict,
  AnalyzeRequest,
  AnalyzeResult,
  CircuitState,
  LogItemInput,
  SeverityName,
  TokenUsageTotals,
} from './types.js';
export type {
  DescribeIncidentRequest,
  DescribeIncidentResult,
  IncidentSignalInput,
  IncidentStory,
  IncidentStoryTimelineEntry,
  SignalKindName,
} from './incident-types.js';
