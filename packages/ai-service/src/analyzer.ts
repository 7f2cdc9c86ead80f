// The in-process analyzer: request validation, redaction, the batch conversation and the status
// report. The gRPC server is a thin shell around it.
import { AnalysisError, withSpent } from './errors.js';
import { analyseBatch } from './conversation.js';
import { validateIncidentRequest } from './incident-request.js';
import { toPromptIncident, writeStory } from './incident-story.js';
import type { DescribeIncidentRequest, DescribeIncidentResult } from './incident-types.js';
import { createBreaker, type CircuitBreaker } from './llm/breaker.js';
import { createLlmClient, type LlmClient } from './llm/client.js';
import { systemClock, type Clock } from './llm/clock.js';
import { createLimiter } from './llm/limiter.js';
import { emptyUsage, type Usage } from './llm/stats.js';
import { NOT_CONFIGURED_REASON, resolveOptions, type AiServiceOptions } from './options.js';
import { checkKeyParams } from './output/key-params.js';
import { INCIDENT_PROMPT_VERSION } from './prompts/incident.js';
import type { ModelResult } from './prompts/schema.js';
import { PROMPT_VERSION, type PromptLog } from './prompts/v1.js';
import { redact } from './redact.js';
import { validateRequest } from './request.js';
import type { AiStatus, AnalysisVerdict, AnalyzeRequest, AnalyzeResult, LogItemInput, TokenUsageTotals } from './types.js';

export interface Analyzer {
  /** Analyses one batch; throws AnalysisError with a stable code. */
  analyze(request: AnalyzeRequest, opts?: { signal?: AbortSignal }): Promise<AnalyzeResult>;
  /** Writes one incident's story in one conversation; throws AnalysisError like analyze(). */
  describeIncident(request: DescribeIncidentRequest, opts?: { signal?: AbortSignal }): Promise<DescribeIncidentResult>;
  status(): AiStatus;
}

/** Test and tuning hooks beyond the public options. */
export interface AnalyzerInternals {
  clock?: Clock;
  /** Base of the jittered exponential backoff (default 1000 ms). */
  retryBaseMs?: number;
  /** Send `response_format: json_object` (default true; turned off by the first 400). */
  jsonMode?: boolean;
}

const totals = (u: Usage): TokenUsageTotals => ({ promptTokens: u.prompt, completionTokens: u.completion, reasoningTokens: u.reasoning });

function toPromptLog(log: LogItemInput, redaction: boolean): PromptLog {
  const clean = redaction ? redact : (s: string) => s;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(log.attributes ?? {})) attributes[key] = clean(value);
  return {
    id: log.id,
    timestamp: log.timestamp ?? '',
    level: log.level ?? '',
    service: log.service ?? '',
    template: clean(log.template ?? ''),
    occurrences: log.occurrences ?? 0,
    message: clean(log.message),
    attributes,
  };
}

function toVerdict(r: ModelResult, keyParams: number[]): AnalysisVerdict {
  return {
    logId: r.id,
    isAnomaly: r.is_anomaly,
    anomalyScore: r.anomaly_score,
    severity: r.severity,
    category: r.category,
    summary: r.summary,
    rootCause: r.root_cause,
    suggestion: r.suggestion,
    confidence: r.confidence,
    parameterDependent: r.parameter_dependent,
    keyParams,
  };
}

/** The verdicts with their key_params checked against each log's template; counts the fallbacks. */
function toVerdicts(results: ModelResult[], logs: PromptLog[], request: AnalyzeRequest): { verdicts: AnalysisVerdict[]; repairs: number } {
  const shown = new Map(logs.map((l) => [l.id, l.template]));
  const raw = new Map(request.logs.map((l) => [l.id, l.template ?? '']));
  let repairs = 0;
  const verdicts = results.map((r) => {
    const k = checkKeyParams(r, shown.get(r.id) ?? '', raw.get(r.id) ?? '');
    if (k.repaired) repairs++;
    return toVerdict(r, k.keyParams);
  });
  return { verdicts, repairs };
}

interface Shared {
  opts: AiServiceOptions;
  llm: LlmClient | undefined;
  reason: string;
  demo: boolean;
}

/** The story call: same provider, limiter, breaker, retries and redaction as an analysis. */
async function describe(shared: Shared, request: DescribeIncidentRequest, signal: AbortSignal | undefined): Promise<DescribeIncidentResult> {
  const { opts, llm } = shared;
  validateIncidentRequest(request);
  if (!llm || !opts.provider) throw new AnalysisError('not_configured', shared.reason);
  const requestId = request.requestId ?? '';
  const call = { calls: 0, usage: emptyUsage(), signal };
  const language = request.language || opts.language;
  try {
    const incident = toPromptIncident(request, opts.redaction);
    const story = await writeStory(incident, { llm, language, maxTokens: opts.maxTokens, log: opts.log, call, requestId });
    opts.log.info({ requestId, incident: request.incidentId, signals: request.signals.length, llmCalls: call.calls }, 'incident story written');
    const result = { story, model: opts.provider.model, usage: totals(call.usage), promptVersion: INCIDENT_PROMPT_VERSION, llmCalls: call.calls };
    return { ...result, demo: shared.demo };
  } catch (err) {
    const code = err instanceof AnalysisError ? err.code : 'internal';
    opts.log.warn({ requestId, incident: request.incidentId, code, err: (err as Error).message, llmCalls: call.calls }, 'incident story failed');
    // The tokens of invalid or cut replies were billed all the same: the caller counts them.
    throw withSpent(err, { usage: totals(call.usage), llmCalls: call.calls, model: opts.provider.model });
  }
}

/** Creates the analyzer; one per process, since the limiter and breaker are shared by all calls. */
export function createAnalyzer(options: Partial<AiServiceOptions>, internals: AnalyzerInternals = {}): Analyzer {
  const opts = resolveOptions(options);
  const clock = internals.clock ?? systemClock;
  const breaker: CircuitBreaker = createBreaker({ failures: opts.circuitFailures, cooldownMs: opts.circuitCooldownMs, clock });
  const limiter = createLimiter({ rpm: opts.rpm, tpm: opts.tpm, clock });
  const settings = { timeoutMs: opts.timeoutMs, maxRetries: opts.maxRetries, retryBaseMs: internals.retryBaseMs ?? 1000, jsonMode: internals.jsonMode ?? true, log: opts.log };
  const llm: LlmClient | undefined = opts.provider && createLlmClient(opts.provider, settings, { clock, limiter, breaker });
  const reason = opts.notConfiguredReason ?? NOT_CONFIGURED_REASON;
  const demo = opts.demo === true;

  const analyze = async (request: AnalyzeRequest, callOpts: { signal?: AbortSignal } = {}): Promise<AnalyzeResult> => {
    validateRequest(request);
    if (!llm || !opts.provider) throw new AnalysisError('not_configured', reason);
    const requestId = request.requestId ?? '';
    const call = { calls: 0, usage: emptyUsage(), signal: callOpts.signal, repairs: 0 };
    const logs = request.logs.map((l) => toPromptLog(l, opts.redaction));
    const language = request.language || opts.language;
    try {
      const results = await analyseBatch(logs, { maxTokens: opts.maxTokens, raised: false }, { llm, language, log: opts.log, call, requestId });
      const answered = new Set(results.map((r) => r.id));
      const missing = logs.map((l) => l.id).filter((id) => !answered.has(id));
      const { verdicts, repairs } = toVerdicts(results, logs, request);
      if (repairs > 0) opts.log.warn({ requestId, results: repairs }, 'key_params outside the template; every value counts for those verdicts');
      opts.log.info({ requestId, logs: logs.length, missing: missing.length, llmCalls: call.calls }, 'analysis done');
      return {
        results: verdicts,
        status: missing.length === 0 ? 'ok' : 'partial',
        missing,
        model: opts.provider.model,
        usage: totals(call.usage),
        promptVersion: PROMPT_VERSION,
        llmCalls: call.calls,
        repairs: call.repairs + repairs,
        demo,
      };
    } catch (err) {
      const code = err instanceof AnalysisError ? err.code : 'internal';
      opts.log.warn({ requestId, code, err: (err as Error).message, llmCalls: call.calls }, 'analysis failed');
      // The tokens of invalid or cut replies were billed all the same: the caller counts them.
      throw withSpent(err, { usage: totals(call.usage), llmCalls: call.calls, model: opts.provider.model });
    }
  };

  const status = (): AiStatus => ({
    configured: llm !== undefined,
    reason: llm ? '' : reason,
    provider: opts.provider?.name ?? '',
    model: opts.provider?.model ?? '',
    baseUrl: opts.provider ? redact(opts.provider.baseUrl) : '',
    circuitState: breaker.state(),
    circuitRetryInMs: breaker.retryInMs(),
    requestsTotal: llm?.stats.requestsTotal ?? 0,
    failuresTotal: llm?.stats.failuresTotal ?? 0,
    usageTotal: totals(llm?.stats.usageTotal ?? emptyUsage()),
    lastError: llm?.stats.lastError ?? '',
    demo,
  });

  const shared: Shared = { opts, llm, reason, demo };
  const describeIncident = (request: DescribeIncidentRequest, callOpts: { signal?: AbortSignal } = {}) => describe(shared, request, callOpts.signal);

  return { analyze, describeIncident, status };
}
