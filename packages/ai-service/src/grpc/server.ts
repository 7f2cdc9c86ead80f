// The ai role's gRPC server: logsage.v1.AnalysisService plus the standard grpc.health.v1.Health.
// Handlers stay thin (auth, one analyzer call, shape the reply); the status mapping lives in
// convert.ts.
import { timingSafeEqual } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { AnalysisServiceService, type AnalysisServiceServer } from '@logsage/contracts';
import { HealthImplementation } from 'grpc-health-check';
import { createAnalyzer, type Analyzer, type AnalyzerInternals } from '../analyzer.js';
import { AnalysisError } from '../errors.js';
import type { AiServiceOptions } from '../options.js';
import {
  RETRY_AFTER_KEY,
  grpcStatusFor,
  incidentRequestFromProto,
  incidentResponseToProto,
  requestFromProto,
  responseToProto,
  spentToMetadata,
  statusToProto,
} from './convert.js';

export interface AiServiceServerOptions extends Partial<AiServiceOptions> {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** When set, calls must carry `authorization: Bearer <token>`. */
  token?: string | undefined;
}

export interface RunningAiService {
  port: number;
  analyzer: Analyzer;
  close(): Promise<void>;
}

// Room for 100 logs at the per-log limits; anything larger is refused by grpc-js itself.
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
const SHUTDOWN_GRACE_MS = 5000;

/** Turns any thrown value into a gRPC error carrying `retry-after-ms` and the call's spend when there are. */
export function toServiceError(err: unknown): grpc.ServerErrorResponse {
  const e = err instanceof AnalysisError ? err : new AnalysisError('internal', (err as Error)?.message ?? String(err));
  const metadata = new grpc.Metadata();
  if (e.retryAfterMs !== undefined) metadata.set(RETRY_AFTER_KEY, String(Math.max(0, Math.ceil(e.retryAfterMs))));
  if (e.usage && e.llmCalls !== undefined && e.model !== undefined) spentToMetadata({ usage: e.usage, llmCalls: e.llmCalls, model: e.model }, metadata);
  return Object.assign(new Error(e.message), { code: grpcStatusFor(e.code), details: e.message, metadata });
}

function authorizer(token: string | undefined): (metadata: grpc.Metadata) => boolean {
  if (!token) return () => true;
  const expected = Buffer.from(`Bearer ${token}`);
  return (metadata) => {
    const got = metadata.get('authorization')[0];
    const actual = Buffer.from(typeof got === 'string' ? got : '');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
}

function handlers(analyzer: Analyzer, token: string | undefined): AnalysisServiceServer {
  const authorised = authorizer(token);
  const denied = toServiceError(new AnalysisError('unauthenticated', 'missing or wrong bearer token'));
  return {
    analyzeLogs(call, callback) {
      if (!authorised(call.metadata)) return callback(denied);
      // The worker's deadline or disconnect stops retries and backoff waits early.
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      analyzer.analyze(requestFromProto(call.request), { signal: abort.signal }).then(
        (result) => callback(null, responseToProto(result)),
        (err: unknown) => callback(toServiceError(err)),
      );
    },
    describeIncident(call, callback) {
      if (!authorised(call.metadata)) return callback(denied);
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      analyzer.describeIncident(incidentRequestFromProto(call.request), { signal: abort.signal }).then(
        (result) => callback(null, incidentResponseToProto(result)),
        (err: unknown) => callback(toServiceError(err)),
      );
    },
    getStatus(call, callback) {
      if (!authorised(call.metadata)) return callback(denied);
      callback(null, statusToProto(analyzer.status()));
    },
  };
}

/** Starts the gRPC server of the ai role and reports SERVING on the health service. */
export async function startAiService(opts: AiServiceServerOptions, internals?: AnalyzerInternals): Promise<RunningAiService> {
  const analyzer = createAnalyzer(opts, internals);
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  server.addService(AnalysisServiceService, handlers(analyzer, opts.token));
  new HealthImplementation({ '': 'SERVING', 'logsage.v1.AnalysisService': 'SERVING' }).addToServer(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${opts.host}:${opts.port}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
  opts.log?.info({ host: opts.host, port, configured: analyzer.status().configured }, 'ai service listening');
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      // Calls in flight get a grace period; a hung provider must not hold shutdown forever.
      const timer = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  return { port, analyzer, close };
}
