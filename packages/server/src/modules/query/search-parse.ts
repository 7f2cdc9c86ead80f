// The search language of GET /api/v1/logs?q= (docs/search.md), read here into a tree that
// search.ts turns into SQL. Parsed in our code rather than by websearch_to_tsquery, which cannot
// express field filters or prefixes and silently guesses at malformed input: here a malformed query
// is a 400 that names the problem and its position.
import { AppError } from '../../lib/errors.js';
import { LEVELS, normalizeLevel } from '../ingest/index.js';

/** A value test on a column or attribute: equal, LIKE pattern (from `*` wildcards), or one of a list. */
export type Match = { eq: string } | { like: string } | { anyOf: string[] };

export type SearchNode =
  | { kind: 'and'; items: SearchNode[] }
  | { kind: 'or'; items: SearchNode[] }
  | { kind: 'not'; item: SearchNode }
  /** Message text: one word (words: [w]) or a quoted phrase; prefix: the last word ends in `*`. */
  | { kind: 'text'; words: string[]; prefix: boolean }
  /** attr: key is the attribute key as typed (`attr.http.status` → `http.status`). */
  | { kind: 'field'; field: 'service' | 'level' | 'host' | 'trace_id' | 'attr'; key: string; match: Match };

type Token =
  | { t: '(' | ')' | 'OR' | 'AND' | '-'; pos: number }
  | { t: 'text'; words: string[]; prefix: boolean; pos: number }
  | { t: 'field'; name: string; value: string; quoted: boolean; pos: number };

// Bounds a query's cost and the parser's recursion: q is at most 1000 characters anyway.
const MAX_TERMS = 64;
const MAX_DEPTH = 16;
const FIELD = /^([A-Za-z_@][\w.@-]*):/;
// A term with no letter or digit yields no lexeme in PostgreSQL's parser: it is dropped, not an error.
const SEARCHABLE = /[\p{L}\p{N}]/u;
const LEVEL_ORDER = LEVELS.filter((l) => l !== 'unknown');

/** `error at position 5`: every parse error says where, 1-based, and carries it in details. */
function fail(message: string, pos: number): never {
  throw new AppError('invalid_query', `q: ${message} at position ${pos + 1}`, { position: pos + 1 });
}

/** Reads a `"…"` starting at `i` (a `\` escapes the next character); returns its text and the index after it. */
function readQuoted(q: string, i: number): { text: string; end: number } {
  let text = '';
  for (let j = i + 1; j < q.length; j++) {
    const c = q[j]!;
    if (c === '\\' && j + 1 < q.length) text += q[++j];
    else if (c === '"') return { text, end: j + 1 };
    else text += c;
  }
  return fail('unbalanced quote: this " is never closed', i);
}

const isBreak = (c: string | undefined): boolean => c === undefined || /[\s()"]/.test(c);

/** Splits q into tokens; bare runs end at whitespace, parentheses and quotes. */
function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') out.push({ t: c, pos: i++ });
    else if (c === '-') {
      if (isBreak(q[i + 1]) && q[i + 1] !== '(' && q[i + 1] !== '"') fail('- must be followed by a term (no space)', i);
      out.push({ t: '-', pos: i++ });
    } else if (c === '"') {
      const { text, end } = readQuoted(q, i);
      const prefix = q[end] === '*';
      out.push({ t: 'text', words: text.split(/\s+/).filter(Boolean), prefix, pos: i });
      i = end + (prefix ? 1 : 0);
    } else i = bare(q, i, out);
  }
  return out;
}

/** Reads a bare run at `i` (word, OR/AND, or field:value) into `out`; returns the index after it. */
function bare(q: string, i: number, out: Token[]): number {
  let end = i;
  while (!isBreak(q[end])) end++;
  const run = q.slice(i, end);
  if (run === 'OR' || run === 'AND') {
    out.push({ t: run, pos: i });
    return end;
  }
  const field = FIELD.exec(run);
  if (field) {
    const name = field[1]!;
    const rest = run.slice(field[0].length);
    if (rest !== '') out.push({ t: 'field', name, value: rest, quoted: false, pos: i });
    else if (q[end] === '"') {
      const { text, end: after } = readQuoted(q, end);
      out.push({ t: 'field', name, value: text, quoted: true, pos: i });
      return after;
    } else fail(`${name}: has no value (write ${name}:value or ${name}:"two words")`, i);
    return end;
  }
  const stars = /\*+$/.exec(run);
  const word = stars ? run.slice(0, stars.index) : run;
  if (word.includes('*')) fail('* is a prefix marker and goes only at the end of a word (quote the text to search for *)', i + word.indexOf('*'));
  if (word === '') fail('* needs a word before it (prefix*)', i);
  out.push({ t: 'text', words: [word], prefix: stars !== null, pos: i });
  return end;
}

/** Parses a search query (docs/search.md); throws AppError invalid_query naming the problem and position. */
export function parseSearch(q: string): SearchNode {
  const tokens = tokenize(q);
  if (tokens.filter((t) => t.t === 'text' || t.t === 'field').length > MAX_TERMS) fail(`more than ${MAX_TERMS} terms`, 0);
  const p = new Parser(tokens);
  const node = p.or(0);
  if (p.peek()) fail(p.peek()!.t === ')' ? 'unbalanced parenthesis: this ) has no (' : `unexpected ${p.peek()!.t}`, p.peek()!.pos);
  if (!node) fail('nothing to search for: a term needs a letter or a digit', 0);
  return node;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  /** or := and (OR and)*; a side whose terms were all dropped (unsearchable) leaves the other. */
  or(depth: number): SearchNode | null {
    const items: SearchNode[] = [];
    const push = (n: SearchNode | null): void => void (n && items.push(n));
    let from = this.i;
    push(this.and(depth));
    while (this.peek()?.t === 'OR') {
      const at = this.tokens[this.i]!.pos;
      if (this.i === from) fail('OR needs a term on its left', at);
      from = ++this.i;
      push(this.and(depth));
      if (this.i === from) fail('OR needs a term on its right', at);
    }
    return items.length === 0 ? null : items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  /** and := unary (AND? unary)* up to OR, ) or the end. */
  private and(depth: number): SearchNode | null {
    const items: SearchNode[] = [];
    const from = this.i;
    for (let t = this.peek(); t && t.t !== 'OR' && t.t !== ')'; t = this.peek()) {
      if (t.t === 'AND') {
        const next = this.tokens[++this.i];
        if (this.i - 1 === from || !next || next.t === 'OR' || next.t === ')' || next.t === 'AND') fail('AND needs a term on each side', t.pos);
        continue;
      }
      const node = this.unary(depth);
      if (node) items.push(node);
    }
    return items.length === 0 ? null : items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private unary(depth: number): SearchNode | null {
    const t = this.tokens[this.i++]!;
    if (t.t === '-') {
      const next = this.peek();
      if (!next || next.t === ')' || next.t === 'OR' || next.t === 'AND' || next.t === '-') fail('- must be followed by a term', t.pos);
      const item = this.unary(depth);
      return item ? { kind: 'not', item } : null;
    }
    if (t.t === '(') {
      if (depth >= MAX_DEPTH) fail(`parentheses nest deeper than ${MAX_DEPTH}`, t.pos);
      if (this.peek()?.t === ')') fail('empty parentheses', t.pos);
      const inner = this.or(depth + 1);
      if (this.peek()?.t !== ')') fail('unbalanced parenthesis: this ( is never closed', t.pos);
      this.i++;
      return inner;
    }
    if (t.t === 'text') return t.words.some((w) => SEARCHABLE.test(w)) ? { kind: 'text', words: t.words, prefix: t.prefix } : null;
    if (t.t === 'field') return fieldNode(t);
    return fail(`unexpected ${t.t}`, t.pos);
  }
}

/** A value as a Match: bare values with `*` are wildcards (LIKE, with %, _ and \ escaped); quoted ones are exact. */
function valueMatch(value: string, quoted: boolean): Match {
  if (quoted || !value.includes('*')) return { eq: value };
  return { like: value.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*+/g, '%') };
}

/** `level:` takes a level name (as ingest reads it: warning = warn) or a comparison: >=warn, >info, <error, <=debug. */
function levelMatch(value: string, pos: number): Match {
  const m = /^(>=|<=|>|<)?(.*)$/.exec(value)!;
  const level = m[2] === 'unknown' ? 'unknown' : normalizeLevel(m[2]);
  if (m[2] === '' || level === undefined) fail(`level: unknown level "${m[2]}"; use ${LEVELS.join(', ')}, optionally after >=, >, <= or <`, pos);
  if (!m[1]) return { eq: level };
  if (level === 'unknown') fail('level: unknown has no order; use level:unknown without a comparison', pos);
  const at = LEVEL_ORDER.indexOf(level);
  const pick = { '>=': (i: number) => i >= at, '>': (i: number) => i > at, '<=': (i: number) => i <= at, '<': (i: number) => i < at }[m[1] as '>='];
  return { anyOf: LEVEL_ORDER.filter((_, i) => pick(i)) };
}

function fieldNode(t: Extract<Token, { t: 'field' }>): SearchNode {
  const name = t.name.toLowerCase();
  if (name === 'level') return { kind: 'field', field: 'level', key: '', match: levelMatch(t.value.toLowerCase(), t.pos) };
  if (name === 'service' || name === 'host' || name === 'trace_id') return { kind: 'field', field: name, key: '', match: valueMatch(t.value, t.quoted) };
  // attr.<key>: an attribute, and so is any other name: `user_id:42` filters on the attribute user_id.
  const key = name.startsWith('attr.') ? t.name.slice(5) : t.name;
  if (key === '') fail('attr. needs an attribute key (attr.key:value)', t.pos);
  return { kind: 'field', field: 'attr', key, match: valueMatch(t.value, t.quoted) };
}
