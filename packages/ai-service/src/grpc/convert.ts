// Conversions between the generated protobuf messages and the package's plain types, and between
// domain error codes and gRPC status codes. Both sides of the wire use these, so they cannot
// disagree.
import { status as Status, type Metadata } from '@grpc/grpc-js';
import {
  AnalysisStatus,
  Severity,
  SignalKind,
  type AnalyzeLogsRequest,
  type AnalyzeLogsResponse,
  type DescribeIncidentRequest as DescribeIncidentRequestProto,
  type DescribeIncidentResponse,
  type GetStatusResponse,
  type TokenUsage,
} from '@logsage/contracts';
import { AnalysisCallError, type AnalysisErrorCode, type SpentUsage } from '../errors.js';
import type { DescribeIncidentRequest, DescribeIncidentResult, IncidentSignalInput, SignalKindName } from '../incident-types.js';
import type { CircuitState } from '../llm/breaker.js';
import type { SeverityName } from '../prompts/schema.js';
import type { AiStatus, AnalyzeRequest, AnalyzeResult, Language, LogItemInput, TokenUsageTotals } from '../types.js';

/** gRPC metadata key that tells the caller when to come back. */
export const RETRY_AFTER_KEY = 'retry-after-ms';

/** Trailing metadata keys of a failed call's spend (SpentUsage): the worker counts it in the budget. */
export const SPENT_KEYS = {
  promptTokens: 'usage-prompt-tokens',
  completionTokens: 'usage-completion-tokens',
  reasoningTokens: 'usage-reasoning-tokens',
  llmCalls: 'usage-llm-calls',
  model: 'usage-model',
} as const;

/** Writes what a failed call spent into `md`; nothing when it sent no request. */
export function spentToMetadata(spent: SpentUsage | undefined, md: Metadata): void {
  if (!spent || spent.llmCalls <= 0) return;
  const count = (n: number): string => String(Math.max(0, Math.round(n)));
  md.set(SPENT_KEYS.promptTokens, count(spent.usage.promptTokens));
  md.set(SPENT_KEYS.completionTokens, count(spent.usage.completionTokens));
  md.set(SPENT_KEYS.reasoningTokens, count(spent.usage.reasoningTokens));
  md.set(SPENT_KEYS.llmCalls, count(spent.llmCalls));
  // URI-encoded: a model id outside printable ASCII would break the HTTP/2 trailer.
  md.set(SPENT_KEYS.model, encodeURIComponent(spent.model));
}

const decoded = (v: string | undefined): string | undefined => {
  try {
    return v === undefined ? undefined : decodeURIComponent(v);
  } catch {
    return undefined;
  }
};

/**
 * What a failed call spent, from its trailing metadata; undefined when absent or not well formed
 * (a count that is not a non-negative integer, no model), so garbage never reaches the budget.
 */
export function spentFromMetadata(md: Metadata | undefined): SpentUsage | undefined {
  const read = (key: string): string | undefined => {
    const v = md?.get(key)[0];
    return typeof v === 'string' ? v : undefined;
  };
  const count = (key: string): number | undefined => {
    const v = read(key);
    return v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
  };
  const [promptTokens, completionTokens, reasoningTokens, llmCalls] = [
    count(SPENT_KEYS.promptTokens), count(SPENT_KEYS.completionTokens), count(SPENT_KEYS.reasoningTokens), count(SPENT_KEYS.llmCalls),
  ];
  const model = decoded(read(SPENT_KEYS.model));
  if (promptTokens === undefined || completionTokens === undefined || reasoningTokens === undefined || !llmCalls || !model) return undefined;
  return { usage: { promptTokens, completionTokens, reasoningTokens }, llmCalls, model };
}

const SEVERITY_TO_PROTO: Record<SeverityName, Severity> = {
  critical: Severity.SEVERITY_CRITICAL,
  high: Severity.SEVERITY_HIGH,
  medium: Severity.SEVERITY_MEDIUM,
  low: Severity.SEVERITY_LOW,
  info: Severity.SEVERITY_INFO,
};

/** The severity name for a protobuf value; unknown values read as 'info'. */
export function severityName(value: Severity): SeverityName {
  const found = Object.entries(SEVERITY_TO_PROTO).find(([, v]) => v === value);
  return (found?.[0] as SeverityName | undefined) ?? 'info';
}

const CODE_TO_STATUS: Record<AnalysisErrorCode, Status> = {
  not_configured: Status.FAILED_PRECONDITION,
  unavailable: Status.UNAVAILABLE,
  rate_limited: Status.RESOURCE_EXHAUSTED,
  invalid: Status.INVALID_ARGUMENT,
  internal: Status.INTERNAL,
  deadline: Status.DEADLINE_EXCEEDED,
  unauthenticated: Status.UNAUTHENTICATED,
};

/** The gRPC status for a domain error code. */
export function grpcStatusFor(code: AnalysisErrorCode): Status {
  return CODE_TO_STATUS[code];
}

/** The domain error code for a gRPC status (transport failures read as 'unavailable'). */
export function codeForStatus(status: Status): AnalysisErrorCode {
  const found = Object.entries(CODE_TO_STATUS).find(([, s]) => s === status);
  if (found) return found[0] as AnalysisErrorCode;
  return status === Status.CANCELLED ? 'unavailable' : 'internal';
}

/** A plain request from the wire message. */
export function requestFromProto(req: AnalyzeLogsRequest): AnalyzeRequest {
  const logs: LogItemInput[] = req.logs.map((l) => ({
    id: l.id,
    timestamp: l.timestamp,
    level: l.level,
    service: l.service,
    message: l.message,
    template: l.template,
    occurrences: l.occurrences,
    attributes: l.attributes,
  }));
  return { logs, language: req.language as Language | '', requestId: req.requestId };
}

/** The wire message for a plain request. */
export function requestToProto(logs: LogItemInput[], language: string, requestId: string): AnalyzeLogsRequest {
  return {
    logs: logs.map((l) => ({
      id: l.id,
      timestamp: l.timestamp ?? '',
      level: l.level ?? '',
      service: l.service ?? '',
      message: l.message,
      template: l.template ?? '',
      occurrences: l.occurrences ?? 0,
      attributes: l.attributes ?? {},
    })),
    language,
    requestId,
  };
}

const usageFromProto = (u: TokenUsage | undefined): TokenUsageTotals => ({
  promptTokens: u?.promptTokens ?? 0,
  completionTokens: u?.completionTokens ?? 0,
  reasoningTokens: u?.reasoningTokens ?? 0,
});

/** The wire message for a result. */
export function responseToProto(r: AnalyzeResult): AnalyzeLogsResponse {
  return {
    results: r.results.map((v) => ({ ...v, severity: SEVERITY_TO_PROTO[v.severity] })),
    model: r.model,
    usage: r.usage,
    status: r.status === 'ok' ? AnalysisStatus.ANALYSIS_STATUS_OK : AnalysisStatus.ANALYSIS_STATUS_PARTIAL,
    promptVersion: r.promptVersion,
    llmCalls: r.llmCalls,
    demo: r.demo,
    repairs: r.repairs,
  };
}

/** A plain result from the wire message; `requested` gives the ids to report as missing. */
export function responseFromProto(res: AnalyzeLogsResponse, requested: readonly string[]): AnalyzeResult {
  const results = res.results.map((v) => ({ ...v, severity: severityName(v.severity) }));
  const answered = new Set(results.map((v) => v.logId));
  const missing = requested.filter((id) => !answered.has(id));
  return {
    results,
    status: res.status === AnalysisStatus.ANALYSIS_STATUS_OK && missing.length === 0 ? 'ok' : 'partial',
    missing,
    model: res.model,
    usage: usageFromProto(res.usage),
    promptVersion: res.promptVersion,
    llmCalls: res.llmCalls,
    repairs: res.repairs,
    demo: res.demo,
  };
}

/** The wire message for a status. */
export function statusToProto(s: AiStatus): GetStatusResponse {
  return { ...s, circuitRetryInMs: Math.round(s.circuitRetryInMs) };
}

/** A plain status from the wire message. */
export function statusFromProto(s: GetStatusResponse): AiStatus {
  return { ...s, circuitState: s.circuitState as CircuitState, usageTotal: usageFromProto(s.usageTotal) };
}

const KIND_TO_PROTO: Record<SignalKindName, SignalKind> = {
  new_template: SignalKind.SIGNAL_KIND_NEW_TEMPLATE,
  rate_spike: SignalKind.SIGNAL_KIND_RATE_SPIKE,
  rate_drop: SignalKind.SIGNAL_KIND_RATE_DROP,
  error_share: SignalKind.SIGNAL_KIND_ERROR_SHARE,
};

// An unspecified or unknown kind becomes a name the request validation refuses (INVALID_ARGUMENT).
const kindName = (value: SignalKind): SignalKindName =>
  (Object.entries(KIND_TO_PROTO).find(([, v]) => v === value)?.[0] ?? `unknown(${value})`) as SignalKindName;

/** The wire message for a story request. */
export function incidentRequestToProto(r: DescribeIncidentRequest, language: string, requestId: string): DescribeIncidentRequestProto {
  return {
    incidentId: r.incidentId,
    openedAt: r.openedAt,
    updatedAt: r.updatedAt,
    signals: r.signals.map((s) => ({
      kind: KIND_TO_PROTO[s.kind] ?? SignalKind.SIGNAL_KIND_UNSPECIFIED,
      service: s.service,
      template: s.template,
      startedAt: s.startedAt,
      observed: s.observed,
      expected: s.expected,
      samples: s.samples,
      verdict: s.verdict ? { summary: s.verdict.summary, severity: SEVERITY_TO_PROTO[s.verdict.severity] ?? Severity.SEVERITY_UNSPECIFIED } : undefined,
    })),
    language,
    requestId,
  };
}

/** A plain story request from the wire message. */
export function incidentRequestFromProto(r: DescribeIncidentRequestProto): DescribeIncidentRequest {
  const signals = r.signals.map((s): IncidentSignalInput => {
    const signal: IncidentSignalInput = {
      kind: kindName(s.kind),
      service: s.service,
      template: s.template,
      startedAt: s.startedAt,
      observed: s.observed,
      expected: s.expected,
      samples: s.samples,
    };
    if (s.verdict) signal.verdict = { summary: s.verdict.summary, severity: severityName(s.verdict.severity) };
    return signal;
  });
  return { incidentId: r.incidentId, openedAt: r.openedAt, updatedAt: r.updatedAt, signals, language: r.language as Language | '', requestId: r.requestId };
}

/** The wire message for a story. */
export function incidentResponseToProto(r: DescribeIncidentResult): DescribeIncidentResponse {
  const { severity, ...story } = r.story;
  return {
    story: { ...story, severity: SEVERITY_TO_PROTO[severity] },
    model: r.model,
    usage: r.usage,
    promptVersion: r.promptVersion,
    llmCalls: r.llmCalls,
    demo: r.demo,
  };
}

/** A plain story from the wire message; a response without a story is a broken server. */
export function incidentResponseFromProto(r: DescribeIncidentResponse): DescribeIncidentResult {
  if (!r.story) throw new AnalysisCallError('internal', 'the ai role answered DescribeIncident without a story');
  const { severity, ...story } = r.story;
  return {
    story: { ...story, severity: severityName(severity) },
    model: r.model,
    usage: usageFromProto(r.usage),
    promptVersion: r.promptVersion,
    llmCalls: r.llmCalls,
    demo: r.demo,
  };
}
