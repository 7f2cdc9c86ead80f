// gRPC client of the ai role for the worker: plain types in and out, failures as
// AnalysisCallError with a stable code, the server's retry-after-ms and what the call spent.
import * as grpc from '@grpc/grpc-js';
import { AnalysisServiceClient } from '@logsage/contracts';
import { service as healthService } from 'grpc-health-check';
import { AnalysisCallError } from '../errors.js';
import type { DescribeIncidentRequest, DescribeIncidentResult } from '../incident-types.js';
import type { AiStatus, AnalyzeResult, Language, LogItemInput } from '../types.js';
import {
  RETRY_AFTER_KEY,
  codeForStatus,
  incidentRequestToProto,
  incidentResponseFromProto,
  requestToProto,
  responseFromProto,
  spentFromMetadata,
  statusFromProto,
} from './convert.js';

export interface AnalysisClientOptions {
  /** `host:port` of the ai role. */
  url: string;
  token?: string | undefined;
  /** Deadline of each call. */
  deadlineMs: number;
}

export interface AnalysisClient {
  analyze(logs: LogItemInput[], opts: { language?: Language; requestId: string }): Promise<AnalyzeResult>;
  /** One incident's story; `language` applies when the request names none. */
  describeIncident(request: DescribeIncidentRequest, opts: { language?: Language; requestId: string }): Promise<DescribeIncidentResult>;
  status(): Promise<AiStatus>;
  /** True when the health service answers SERVING. */
  health(): Promise<boolean>;
  close(): void;
}

type HealthCheck = (
  req: { service: string },
  md: grpc.Metadata,
  opts: Partial<grpc.CallOptions>,
  cb: (err: grpc.ServiceError | null, res?: { status?: string }) => void,
) => void;

/** Turns a gRPC error into an AnalysisCallError, with the tokens the failed call spent when the server sent them. */
export function toCallError(err: grpc.ServiceError): AnalysisCallError {
  const raw = err.metadata?.get(RETRY_AFTER_KEY)[0];
  const retryAfter = typeof raw === 'string' && raw !== '' ? Number(raw) : undefined;
  // Our server sends RESOURCE_EXHAUSTED for rate limits always with retry-after-ms; without it,
  // grpc-js refused a message over the size limit, which no retry can fix.
  const oversize = err.code === grpc.status.RESOURCE_EXHAUSTED && retryAfter === undefined;
  const code = oversize ? 'invalid' : codeForStatus(err.code);
  const message = err.details || err.message;
  return new AnalysisCallError(code, message, Number.isFinite(retryAfter) ? retryAfter : undefined, spentFromMetadata(err.metadata));
}

/** Creates a client; the channel connects lazily and reconnects by itself. */
export function createAnalysisClient(opts: AnalysisClientOptions): AnalysisClient {
  const credentials = grpc.credentials.createInsecure();
  const client = new AnalysisServiceClient(opts.url, credentials);
  const HealthClient = grpc.makeGenericClientConstructor(healthService, 'Health');
  const healthClient = new HealthClient(opts.url, credentials) as unknown as grpc.Client & { check: HealthCheck };

  const metadata = (): grpc.Metadata => {
    const md = new grpc.Metadata();
    if (opts.token) md.set('authorization', `Bearer ${opts.token}`);
    return md;
  };
  const callOptions = (): Partial<grpc.CallOptions> => ({ deadline: Date.now() + opts.deadlineMs });

  return {
    analyze(logs, { language, requestId }) {
      const request = requestToProto(logs, language ?? '', requestId);
      return new Promise((resolve, reject) => {
        client.analyzeLogs(request, metadata(), callOptions(), (err, res) =>
          err ? reject(toCallError(err)) : resolve(responseFromProto(res, logs.map((l) => l.id))),
        );
      });
    },
    describeIncident(req, { language, requestId }) {
      const request = incidentRequestToProto(req, req.language || language || '', requestId);
      return new Promise((resolve, reject) => {
        client.describeIncident(request, metadata(), callOptions(), (err, res) => {
          if (err) return reject(toCallError(err));
          try {
            resolve(incidentResponseFromProto(res));
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
      });
    },
    status() {
      return new Promise((resolve, reject) => {
        client.getStatus({}, metadata(), callOptions(), (err, res) =>
          err ? reject(toCallError(err)) : resolve(statusFromProto(res)),
        );
      });
    },
    health() {
      return new Promise((resolve) => {
        healthClient.check({ service: '' }, metadata(), callOptions(), (err, res) =>
          resolve(!err && res?.status === 'SERVING'),
        );
      });
    },
    close() {
      client.close();
      healthClient.close();
    },
  };
}
