import { createGunzip, createInflate } from 'node:zlib';
import type { Readable, Transform } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';

/** Inflates `payload`, counting compressed bytes so Fastify can check Content-Length while it limits the inflated size. */
function decompress(payload: Readable, encoding: 'gzip' | 'deflate'): Transform & { receivedEncodedLength: number } {
  const z = Object.assign(encoding === 'gzip' ? createGunzip() : createInflate(), { receivedEncodedLength: 0 });
  payload.on('data', (chunk: Buffer) => (z.receivedEncodedLength += chunk.length));
  // Fastify may answer (415 for the content type) without reading the body; a truncated or garbage
  // body then fails to inflate with no listener, an uncaught exception that ended the process.
  // When the body is read, the parser's own listener still turns the error into a 400.
  z.on('error', () => undefined);
  return payload.pipe(z);
}

/**
 * A `preParsing` hook for shipper routes: gzip and deflate bodies are inflated before parsing, so the
 * body limit applies to the inflated size (a small compressed bomb is refused with 413).
 */
export async function contentEncodingHook(req: FastifyRequest, _reply: FastifyReply, payload: Readable): Promise<Readable> {
  const enc = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (enc === 'identity') return payload;
  if (enc !== 'gzip' && enc !== 'deflate') {
    throw new AppError('unsupported_media_type', `content-encoding ${enc} is not supported; use gzip, deflate or none`);
  }
  return decompress(payload, enc);
}
