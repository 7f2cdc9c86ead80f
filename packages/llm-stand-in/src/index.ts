// @logsage/llm-stand-in: an OpenAI-compatible server with deterministic analyses and scriptable faults.
export { startStandIn, DEFAULT_MODELS } from './server.js';
export { analyseLog, severityOf, categoryOf, isParameterDependent, excerptOf } from './analysis.js';
export { keyParamsOf } from './key-params.js';
export {
  INCIDENT_PROMPT_LINE,
  describeIncident,
  formatIncidentBlock,
  parseIncidentBlock,
  signalSeverity,
  type IncidentEvidence,
  type IncidentSignalEvidence,
  type IncidentStoryReply,
} from './incident.js';
export { formatLogsBlock, parsePrompt, parseLogsBlock, promptKind, type ParsedPrompt, type PromptLog } from './prompt.js';
export { parseFaultSpec, validateFault, formatFault } from './faults.js';
export { FAULT_HEADER } from './completion.js';
export { REASONING_MODEL, DEFAULT_MAX_TOKENS } from './reply.js';
export {
  FAULT_KINDS,
  type Category,
  type ChatMessage,
  type Fault,
  type FaultKind,
  type Language,
  type LogInput,
  type PromptKind,
  type RecordedRequest,
  type Severity,
  type StandIn,
  type StandInOptions,
  type StandInStats,
  type Verdict,
} from './types.js';
