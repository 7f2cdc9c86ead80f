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

/** Plain text: each non-blank line is one message, stored at receive time. */
export function splitText(text: string): SplitBody {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  return { entries: lines.map((message, index) => ({ index, value: { message } })), rejections: [] };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
