// Validation of a DescribeIncident request at the boundary (GUIDE §4.4), like request.ts for
// AnalyzeLogs: a bad request fails with 'invalid' (INVALID_ARGUMENT), so the worker marks the
// story failed instead of retrying something that cannot pass.
import { AnalysisError } from './errors.js';
import type { DescribeIncidentRequest, IncidentSignalInput, SignalKindName } from './incident-types.js';
import { SEVERITIES } from './prompts/schema.js';

/** Bounds on one story request; the worker picks the most important signals and samples to fit. */
export const INCIDENT_REQUEST_LIMITS = {
  maxSignals: 20,
  maxSamples: 3,
  maxIdChars: 200,
  maxServiceChars: 200,
  maxTemplateChars: 16_384,
  maxSampleChars: 16_384,
  maxVerdictChars: 4000,
} as const;

export const SIGNAL_KINDS: readonly SignalKindName[] = ['new_template', 'rate_spike', 'rate_drop', 'error_share'];

const invalid = (message: string): AnalysisError => new AnalysisError('invalid', message);

const isTime = (s: string): boolean => s !== '' && Number.isFinite(Date.parse(s));

function validateSignal(s: IncidentSignalInput, i: number): void {
  const L = INCIDENT_REQUEST_LIMITS;
  const at = `signals[${i}]`;
  if (!SIGNAL_KINDS.includes(s.kind)) throw invalid(`${at}: unknown kind "${String(s.kind)}"`);
  if (!s.service) throw invalid(`${at}: missing service`);
  if (s.service.length > L.maxServiceChars) throw invalid(`${at}: service longer than ${L.maxServiceChars} characters`);
  if (s.template.length > L.maxTemplateChars) throw invalid(`${at}: template exceeds ${L.maxTemplateChars} characters`);
  if (!isTime(s.startedAt)) throw invalid(`${at}: startedAt "${s.startedAt.slice(0, 50)}" is not an RFC 3339 time`);
  if (!Number.isFinite(s.observed) || s.observed < 0) throw invalid(`${at}: observed must be a number >= 0`);
  if (!Number.isFinite(s.expected) || s.expected < 0) throw invalid(`${at}: expected must be a number >= 0`);
  if (s.samples.length > L.maxSamples) throw invalid(`${at}: more than ${L.maxSamples} samples`);
  s.samples.forEach((line, j) => {
    if (line.length > L.maxSampleChars) throw invalid(`${at}.samples[${j}]: ${line.length} characters exceed ${L.maxSampleChars}`);
  });
  if (s.verdict) {
    if (!(SEVERITIES as readonly string[]).includes(s.verdict.severity)) throw invalid(`${at}.verdict: unknown severity "${String(s.verdict.severity)}"`);
    if (s.verdict.summary.length > L.maxVerdictChars) throw invalid(`${at}.verdict: summary exceeds ${L.maxVerdictChars} characters`);
  }
}

/** Throws AnalysisError('invalid') when the story request breaks the contract. */
export function validateIncidentRequest(request: DescribeIncidentRequest): void {
  const L = INCIDENT_REQUEST_LIMITS;
  if (!request.incidentId) throw invalid('missing incidentId');
  if (request.incidentId.length > L.maxIdChars) throw invalid(`incidentId longer than ${L.maxIdChars} characters`);
  if (!isTime(request.openedAt)) throw invalid('openedAt is not an RFC 3339 time');
  if (!isTime(request.updatedAt)) throw invalid('updatedAt is not an RFC 3339 time');
  if (request.signals.length === 0) throw invalid('no signals: an incident story needs at least one');
  if (request.signals.length > L.maxSignals) throw invalid(`too many signals: ${request.signals.length} > ${L.maxSignals}`);
  if (request.language && request.language !== 'zh-CN' && request.language !== 'en') {
    throw invalid(`unknown language "${String(request.language)}": use zh-CN or en`);
  }
  request.signals.forEach(validateSignal);
}
