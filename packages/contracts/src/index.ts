// Public face of the contracts package: the generated AnalyzeLogs and DescribeIncident messages, enums and grpc-js
// service definitions (proto/logsage/v1/analysis.proto). Regenerate with `npm run proto`.
export {
  AnalysisResult,
  AnalysisServiceClient,
  AnalysisServiceService,
  AnalysisStatus,
  AnalyzeLogsRequest,
  AnalyzeLogsResponse,
  DescribeIncidentRequest,
  DescribeIncidentResponse,
  GetStatusRequest,
  GetStatusResponse,
  IncidentSignal,
  IncidentStory,
  IncidentTimelineEntry,
  IncidentVerdict,
  LogItem,
  Severity,
  SignalKind,
  TokenUsage,
  protobufPackage,
} from './gen/logsage/v1/analysis.js';
export type { AnalysisServiceServer, DeepPartial, MessageFns } from './gen/logsage/v1/analysis.js';
export { LANGUAGES, LEVELS, SEVERITIES, type Language, type LogLevel, type SeverityName } from './vocabulary.js';
