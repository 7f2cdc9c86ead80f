import { TextDecoder } from 'node:util';
import { AppError } from '../../lib/errors.js';
import type { Rejection } from './normalize.js';

/** A request body cut into entries; NDJSON lines that are not JSON are already rejections. */
export interface SplitBody {
  entries: { index: number; value: unknown }[];
  rejections: Rejection[];
}

/** Accepts the seed's single object, a JSON array, or `{ "logs": [...] }`. */
export function splitJson(body: unknown): SplitBody {
  let list: unknown[];
  if (Array.isArray(body)) list = body;
  else if (isObject(body) && Array.isArray(body.logs)) list = body.logs;
  else list = [body];
  return { entries: list.map((value, index) => ({ index, value })), rejections: [] };
}

/** Splits NDJSON on LF or CRLF; blank lines are skipped, a missing final newline is fine. */
export function splitNdjson(text: string): SplitBody {
  const out: SplitBody = { entries: [], rejections: [] };
  let index = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    try {
      out.entries.push({ index, value: JSON.parse(trimmed) as unknown });
    } catch (err) {
      out.rejections.push({ index, field: '', reason: `line ${index + 1} is not valid JSON: ${(err as Error).message}` });
    }
    index++;
  }
  return out;
}

// A level word opening a plain-text line ("ERROR …", "[WARN] …", "info: …"). Words that are also
// common English at the start of a sentence with another meaning (alert, emergency) are left out.
const LEADING_LEVEL = /^\s*[[(<]?(trace|debug|info|notice|warn|warning|error|err|fatal|critical|crit|panic|severe)[\])>]?(?=[\s:|,]|$)/i;

/** What a plain-text request says about all its lines (`?service=…&host=…`): a line has no fields of its own. */
export interface TextSource {
  service?: string | undefined;
  host?: string | undefined;
}

/**
 * Plain text: each non-blank line is one message, stored at receive time; a leading level word gives
 * its level; the request's service and host, when given, are every line's. A text source named by
 * its service also gets a header layout of its own instead of sharing the `unknown` service's.
 */
export function splitText(text: string, source: TextSource = {}): SplitBody {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  const common: Record<string, unknown> = {};
  if (source.service) common.service = source.service;
  if (source.host) common.attributes = { host: source.host };
  return {
    entries: lines.map((message, index) => {
      const level = LEADING_LEVEL.exec(message)?.[1];
      return { index, value: level === undefined ? { ...common, message } : { ...common, message, level } };
    }),
    rejections: [],
  };
}

/**
 * Decodes a body in the charset its Content-Type declares (GBK, GB18030, Big5, Shift_JIS, EUC-KR,
 * ISO-8859-x, windows-125x…; UTF-8 when none is given). An unknown charset is a 415.
 */
export function decodeBody(body: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    throw new AppError('unsupported_media_type', `charset ${charset} is not supported; send UTF-8 or declare a charset such as gbk, gb18030, big5, shift_jis or iso-8859-1`);
  }
  return decoder.decode(body);
}

/**
 * Reads a JSON body; NDJSON sent as application/json (older Fluent Bit `json_lines`) comes back as
 * its text for splitNdjson. `__proto__` keys stay plain data (JSON.parse never calls the setter);
 * the normaliser drops them per entry instead of refusing the whole batch.
 */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const first = text.trimStart().split('\n', 1)[0] ?? '';
    if (text.trim().includes('\n') && isJson(first)) return text;
    throw new AppError('bad_request', `the body is not valid JSON: ${(err as Error).message}`);
  }
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
