import { AppError } from '../../lib/errors.js';

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', '"': '"' };

/**
 * Parses a stream selector in the Prometheus label form, `{app="api", level="error"}`. A quote
 * closes a value only before `,` or `}`: winston-loki does not escape quotes inside label values,
 * and its streams should not be refused for it.
 */
export function parseLabels(text: string): Record<string, string> {
  const s = text.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) throw bad(text);
  const labels: Record<string, string> = {};
  let i = 1;
  const end = s.length - 1;
  while (i < end) {
    while (i < end && /[\s,]/.test(s[i]!)) i++;
    if (i >= end) break;
    const eq = s.indexOf('=', i);
    if (eq < 0 || s[eq + 1] !== '"') throw bad(text);
    const name = s.slice(i, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) throw bad(text);
    let value = '';
    let j = eq + 2;
    for (; j < end; j++) {
      const c = s[j]!;
      if (c === '\\' && j + 1 < end) value += ESCAPES[s[++j]!] ?? `\\${s[j]}`;
      else if (c === '"' && /^\s*(,|$)/.test(s.slice(j + 1, end))) break;
      else value += c;
    }
    if (j >= end) throw bad(text);
    labels[name] = value;
    i = j + 1;
  }
  return labels;
}

function bad(text: string): AppError {
  return new AppError('bad_request', `error parsing labels ${JSON.stringify(text.slice(0, 200))}: expected {name="value", ...}`);
}
