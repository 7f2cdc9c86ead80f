import { createRequire } from 'node:module';
import { AppError } from '../../lib/errors.js';
import { parseLabels } from './labels.js';
import { decodePushRequest } from './proto.js';

// snappyjs (pure JS, snappy block format) ships no types: this is the one function used.
const snappy = createRequire(import.meta.url)('snappyjs') as { uncompress(data: Uint8Array, maxLength?: number): Uint8Array };

/** One entry of a stream: timestamp as a nanosecond digit string, the line, its structured metadata. */
export interface LokiEntry {
  ns: unknown;
  line: unknown;
  metadata: Record<string, string>;
}

export interface LokiStream {
  labels: Record<string, string>;
  entries: LokiEntry[];
}

/**
 * Decodes a push body: `application/x-protobuf` is a snappy block holding a `logproto.PushRequest`
 * (Promtail, Alloy, winston-loki); anything else is read as the JSON form (pino-loki, curl).
 */
export function decodePush(body: Buffer, contentType: string, maxBytes: number): LokiStream[] {
  if (contentType === 'application/x-protobuf') return fromProtobuf(body, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new AppError('bad_request', `the body is not valid JSON: ${(err as Error).message}`);
  }
  return fromJson(json);
}

function fromProtobuf(body: Buffer, maxBytes: number): LokiStream[] {
  let raw: Uint8Array;
  try {
    raw = snappy.uncompress(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), maxBytes);
  } catch (err) {
    // snappyjs reads the declared length first: a decompression bomb is refused before inflating.
    if (/too big/.test((err as Error).message)) {
      throw new AppError('payload_too_large', `the body is larger than ${maxBytes} bytes after decompression; send smaller batches`);
    }
    throw new AppError('bad_request', `the body is not a snappy-compressed protobuf: ${(err as Error).message}`);
  }
  let push;
  try {
    push = decodePushRequest(raw);
  } catch (err) {
    throw new AppError('bad_request', `the body is not a logproto.PushRequest: ${(err as Error).message}`);
  }
  return (push.streams ?? []).map((s) => ({
    labels: parseLabels(s.labels ?? ''),
    entries: (s.entries ?? []).map((e) => ({
      ns: e.timestamp ? nanos(e.timestamp.seconds ?? '0', e.timestamp.nanos ?? 0) : undefined,
      line: e.line ?? '',
      metadata: Object.fromEntries((e.structuredMetadata ?? []).map((p) => [p.name ?? '', p.value ?? ''])),
    })),
  }));
}

const nanos = (seconds: string, ns: number): string => (BigInt(seconds) * 1_000_000_000n + BigInt(ns)).toString();

function fromJson(json: unknown): LokiStream[] {
  if (!isObject(json) || !Array.isArray(json.streams)) throw new AppError('bad_request', 'the body must be {"streams": [...]}');
  return json.streams.map((s: unknown, i) => {
    if (!isObject(s) || !Array.isArray(s.values)) throw new AppError('bad_request', `streams[${i}] must hold "stream" and "values"`);
    const labels = isObject(s.stream) ? stringValues(s.stream) : {};
    return {
      labels,
      entries: s.values.map((v: unknown) => {
        const [ns, line, meta] = Array.isArray(v) ? (v as unknown[]) : [];
        return { ns: typeof ns === 'number' ? String(ns) : ns, line, metadata: isObject(meta) ? stringValues(meta) : {} };
      }),
    };
  });
}

function stringValues(o: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : jsonText(v)]));
}

/** JSON text of a label or metadata value; JSON.stringify overflowed the stack on one nested thousands deep (a 500). */
export function jsonText(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return '(a value nested too deeply to show)';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
