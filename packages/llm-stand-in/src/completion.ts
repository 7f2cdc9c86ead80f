// POST /v1/chat/completions: validate, pick the fault, wait, then answer or fail as scripted.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findPlantedFault, parseFaultSpec } from './faults.js';
import { HttpError, errorBody, readBody, sendJson, wait, waitForAbort } from './http.js';
import { messageText, parsePrompt, promptChars, promptKind } from './prompt.js';
import { buildReply } from './reply.js';
import type { StandInState } from './state.js';
import type { ChatMessage, Fault, RecordedRequest } from './types.js';

export const FAULT_HEADER = 'x-stand-in-fault';

interface CompletionRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens: number | null;
  stream: boolean;
}

// Status faults answer with OpenAI-shaped errors instead of a completion.
const STATUS_FAULTS: Partial<Record<Fault['kind'], (f: Fault) => HttpError>> = {
  rate_limit: (f) =>
    new HttpError(429, 'Rate limit reached for requests', 'rate_limit_error', 'rate_limit_exceeded', {
      'retry-after': String(f.param ?? 1),
    }),
  rate_limit_bare: () => new HttpError(429, 'Rate limit reached for requests', 'rate_limit_error', 'rate_limit_exceeded'),
  server_error: () => new HttpError(500, 'The server had an error while processing your request', 'server_error', 'internal_error'),
  unavailable: () => new HttpError(503, 'The service is temporarily unavailable', 'server_error', 'service_unavailable'),
};

const invalid = (message: string, code = 'invalid_request'): HttpError =>
  new HttpError(400, message, 'invalid_request_error', code);

function isMessage(value: unknown): value is ChatMessage {
  return typeof value === 'object' && value !== null && typeof (value as { role?: unknown }).role === 'string';
}

function readMaxTokens(body: Record<string, unknown>): number | null {
  const value = body.max_tokens ?? body.max_completion_tokens;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads what can be read from the body, so even a rejected request is recorded usefully. */
function toRequest(body: unknown): CompletionRequest {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return {
    model: typeof b.model === 'string' ? b.model : '',
    messages: Array.isArray(b.messages) ? b.messages.filter(isMessage) : [],
    maxTokens: readMaxTokens(b),
    stream: b.stream === true,
  };
}

function validate(body: unknown, request: CompletionRequest): void {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (request.model === '') throw invalid('model is required', 'missing_model');
  if (!Array.isArray(b.messages) || b.messages.length === 0 || request.messages.length !== b.messages.length) {
    throw invalid('messages must be a non-empty array of {role, content}', 'invalid_messages');
  }
  if (request.stream) throw invalid('stream is not supported by the LLM stand-in; send stream: false', 'unsupported_parameter');
}

/** Checks the bearer key: equal to apiKey when one is configured, otherwise any non-empty key. */
export function checkAuth(req: IncomingMessage, apiKey: string | undefined): void {
  const match = /^Bearer\s+(\S.*)$/i.exec(req.headers.authorization ?? '');
  const key = match?.[1]?.trim();
  if (!key || (apiKey !== undefined && key !== apiKey)) {
    throw new HttpError(401, 'Incorrect API key provided', 'invalid_request_error', 'invalid_api_key');
  }
}

function chooseFault(req: IncomingMessage, request: CompletionRequest, state: StandInState): Fault | undefined {
  const header = req.headers[FAULT_HEADER];
  if (typeof header === 'string' && header.trim() !== '') {
    const fault = parseFaultSpec(header);
    if (typeof fault === 'string') throw invalid(`${FAULT_HEADER}: ${fault}`, 'invalid_fault');
    return fault;
  }
  const planted = findPlantedFault(request.messages.map(messageText).join('\n'));
  // The queue is consumed only when no header or planted fault overrides it for this request.
  return planted ?? state.nextFault();
}

function completionBody(state: StandInState, request: CompletionRequest, fault: Fault | undefined): { body: object; usage: ReturnType<typeof buildReply>['usage'] } {
  const reply = buildReply({
    prompt: parsePrompt(request.messages),
    model: request.model,
    maxTokens: request.maxTokens,
    promptChars: promptChars(request.messages),
    fault,
  });
  const message: Record<string, unknown> = { role: 'assistant', content: reply.content };
  if (reply.reasoningContent !== undefined) message.reasoning_content = reply.reasoningContent;
  const body = {
    id: state.nextCompletionId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [{ index: 0, message, finish_reason: reply.finishReason }],
    usage: reply.usage,
  };
  return { body, usage: reply.usage };
}

async function answer(res: ServerResponse, entry: RecordedRequest, state: StandInState, request: CompletionRequest, signal: AbortSignal): Promise<void> {
  const fault = entry.fault;
  if (fault?.kind === 'hang') return waitForAbort(signal);
  if (!(await wait(state.delayMs + (fault?.kind === 'slow' ? (fault.param ?? 0) : 0), signal))) return;
  const statusFault = fault && STATUS_FAULTS[fault.kind];
  if (statusFault) {
    const err = statusFault(fault);
    sendJson(res, err.status, errorBody(err.message, err.type, err.code), err.headers);
    state.finish(entry, err.status);
    return;
  }
  const { body, usage } = completionBody(state, request, fault);
  sendJson(res, 200, body);
  state.finish(entry, 200, usage);
}

/** Handles one completion request end to end, recording it and counting its outcome. */
export async function handleCompletion(req: IncomingMessage, res: ServerResponse, state: StandInState, apiKey: string | undefined, signal: AbortSignal): Promise<void> {
  let entry: RecordedRequest | undefined;
  try {
    const text = await readBody(req);
    const body = parseOrUndefined(text);
    const request = toRequest(body);
    entry = state.begin({ at: new Date().toISOString(), prompt: promptKind(request.messages), model: request.model, maxTokens: request.maxTokens, messages: request.messages });
    // Authentication comes before body validation, as at the real provider: a bad key is a 401
    // whatever the body holds.
    checkAuth(req, apiKey);
    if (body === undefined) throw invalid('request body is not valid JSON', 'invalid_json');
    validate(body, request);
    const fault = chooseFault(req, request, state);
    if (fault) entry.fault = fault;
    await answer(res, entry, state, request, signal);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    entry ??= state.begin({ at: new Date().toISOString(), prompt: 'analysis', model: '', maxTokens: null, messages: [] });
    // Rejections wait out the global delay too: it stands for the provider's latency on every answer.
    if (!(await wait(state.delayMs, signal))) return;
    sendJson(res, err.status, errorBody(err.message, err.type, err.code), err.headers);
    state.finish(entry, err.status);
  }
}
