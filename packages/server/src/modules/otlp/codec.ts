import { AppError } from '../../lib/errors.js';
import { ExportLogsServiceRequest, ExportLogsServiceResponse, RpcStatus } from './proto.js';
import { OtlpShapeError } from './values.js';
import type { IdEncoding } from './map.js';

/** The two OTLP/HTTP encodings; answers go back in the request's. */
export type Encoding = 'protobuf' | 'json';

export const PROTOBUF_TYPES = ['application/x-protobuf', 'application/protobuf'];

/** The encoding a request's Content-Type names (JSON for anything else: its parser already refused other types). */
export function encodingOf(contentType: string | undefined): Encoding {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return PROTOBUF_TYPES.includes(type) ? 'protobuf' : 'json';
}

/** Reads the body into the OTLP JSON mapping, with the id encoding it carries; undecodable bodies are 400. */
export function decodeRequest(body: unknown, encoding: Encoding): { request: unknown; ids: IdEncoding } {
  if (encoding === 'json') return { request: body, ids: 'hex' };
  if (!Buffer.isBuffer(body)) throw new AppError('bad_request', 'the body is not an ExportLogsServiceRequest');
  try {
    const msg = ExportLogsServiceRequest.decode(body);
    // Longs as decimal strings keep nanosecond timestamps exact; bytes as base64 match the JSON mapping's bytes.
    return { request: ExportLogsServiceRequest.toObject(msg, { longs: String, bytes: String, enums: Number }), ids: 'base64' };
  } catch (err) {
    throw new AppError('bad_request', `the body is not a valid ExportLogsServiceRequest: ${(err as Error).message}`);
  }
}

/** Turns a malformed-structure error into the one error type (400). */
export function shapeError(err: unknown): unknown {
  return err instanceof OtlpShapeError ? new AppError('bad_request', `the body is not a valid ExportLogsServiceRequest: ${err.message}`) : err;
}

/** ExportLogsServiceResponse: empty when all were accepted, partial_success otherwise. */
export function encodeResponse(encoding: Encoding, rejected: number, errorMessage: string): Buffer | object {
  const partial = rejected > 0 ? { partialSuccess: { rejectedLogRecords: rejected, errorMessage } } : {};
  if (encoding === 'json') return partial;
  return Buffer.from(ExportLogsServiceResponse.encode(ExportLogsServiceResponse.fromObject(partial)).finish());
}

// google.rpc.Code for each HTTP status we answer with (OTLP/HTTP carries a Status in failed responses).
const RPC_CODES: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 413: 8, 415: 3, 429: 8, 503: 14 };

/** A google.rpc.Status body for a failed export, in the request's encoding. */
export function encodeStatus(encoding: Encoding, httpStatus: number, message: string): Buffer | object {
  const status = { code: RPC_CODES[httpStatus] ?? 13, message };
  if (encoding === 'json') return status;
  return Buffer.from(RpcStatus.encode(RpcStatus.fromObject(status)).finish());
}
