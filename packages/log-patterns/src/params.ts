// Parameter extraction: the values a line holds where its template has `<*>`.
import { stripHeader } from './header.js';
import { WILDCARD } from './masks.js';

// The literal pieces around the `<*>` of template tokens. Template tokens are few and the same
// string objects line after line, so each is split once instead of on every line it serves.
const piecesCache = new Map<string, readonly string[]>();

function piecesOf(templateToken: string): readonly string[] {
  let pieces = piecesCache.get(templateToken);
  if (pieces === undefined) {
    pieces = templateToken.split(WILDCARD);
    // Bounded: a miner's templates change as it learns, and callers may pass any token.
    if (piecesCache.size >= 4096) piecesCache.clear();
    piecesCache.set(templateToken, pieces);
  }
  return pieces;
}

/** Appends the values behind the `<*>` parts of one template token; false when it does not fit. */
export function tokenParams(templateToken: string, rawToken: string, out: string[]): boolean {
  if (templateToken === WILDCARD) {
    out.push(rawToken);
    return true;
  }
  const pieces = piecesOf(templateToken);
  const first = pieces[0] ?? '';
  if (!rawToken.startsWith(first)) return false;
  let pos = first.length;
  for (let k = 1; k < pieces.length; k++) {
    const piece = pieces[k] ?? '';
    // The last literal piece must end the token; earlier ones take the first occurrence.
    const last = k === pieces.length - 1;
    const at = last ? rawToken.length - piece.length : rawToken.indexOf(piece, pos);
    if (at < pos || (last && !rawToken.endsWith(piece))) return false;
    out.push(rawToken.slice(pos, at));
    pos = at + piece.length;
  }
  return true;
}

const cache = new Map<string, RegExp>();

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function templateRegex(template: string): RegExp {
  let re = cache.get(template);
  if (re === undefined) {
    const body = template
      .split(' ')
      .filter((t) => t !== '')
      .map((t) => t.split(WILDCARD).map(escape).join('([\\s\\S]*?)'))
      .join('\\s+');
    re = new RegExp(`^\\s*${body}\\s*$`);
    // Bounded: templates are few, but a caller could pass arbitrary strings.
    if (cache.size >= 4096) cache.clear();
    cache.set(template, re);
  }
  return re;
}

/**
 * Values behind each `<*>` of `template` in `line` (header allowed), or null when the line does
 * not fit the template.
 */
export function extractParams(template: string, line: string): string[] | null {
  const re = templateRegex(template);
  const m = re.exec(line) ?? re.exec(stripHeader(line));
  return m === null ? null : m.slice(1);
}
