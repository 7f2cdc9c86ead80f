// Turns a parsed search (search-parse.ts, docs/search.md) into one SQL condition for the logs
// repository. Message text becomes a to_tsquery expression over the GIN-indexed SEARCH_VECTOR;
// fields become column and attribute conditions. Every value is a bound parameter: user text never
// becomes SQL, and inside the tsquery each lexeme is quoted, so `&`, `|`, `!` or `:` typed by a user
// are text, never tsquery operators.
import { mapCjkRuns } from '../../lib/cjk.js';
import type { Match, SearchNode } from './search-parse.js';

export { parseSearch, type SearchNode } from './search-parse.js';

/** The indexed expression: must match logs_message_fts_idx for the index to serve a search. */
export const SEARCH_VECTOR = (alias: string): string => `to_tsvector('simple', coalesce(${alias}.search_text, ${alias}.message))`;

/** Adds a parameter and returns its placeholder (`$4`). */
export type Bind = (value: unknown) => string;

// A text-only subtree stays a tsquery string, so that all the text of an AND reaches the index as one
// `@@`; a subtree with a field filter is SQL.
type Part = { tsq: string } | { sql: string };

// Where host and trace ids are found among the attributes: native JSON, syslog (hostname), OTLP
// (trace_id) and ECS (host.name, trace.id, flattened at ingest).
const FIELD_KEYS = { host: ['host', 'hostname', 'host.name'], trace_id: ['trace_id', 'trace.id', 'traceId'] };
const SEARCHABLE = /[\p{L}\p{N}]/u;
const isCjk = (s: string): boolean => mapCjkRuns(s, () => '') === '';

/** A lexeme quoted for to_tsquery: `\` and `'` escaped, so the text inside can never be an operator. */
const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * The lexemes of one typed word as the index holds them: CJK runs as their pairs (src/lib/cjk.ts),
 * the rest as typed (to_tsquery's parser splits `timeout=30s` the way to_tsvector did).
 */
function wordLexemes(word: string): string[] {
  return mapCjkRuns(word, (pairs) => ` ${pairs} `).split(/\s+/).filter((p) => SEARCHABLE.test(p));
}

/**
 * A word or phrase as a `<->` chain. A prefix marks the last lexeme `:*`, except a CJK pair: a run of
 * two or more characters already matches wherever it occurs, so a CJK prefix is the phrase of its pairs.
 */
export function textTsquery(words: string[], prefix: boolean): string {
  const lex = words.flatMap(wordLexemes);
  const parts = lex.map(quote);
  const last = lex.at(-1)!;
  if (prefix && !(isCjk(last) && [...last].length === 2)) parts[parts.length - 1] += ':*';
  return parts.length === 1 ? parts[0]! : `(${parts.join(' <-> ')})`;
}

/** One field test; never NULL (a missing attribute is false), so `-field:x` keeps logs without it. */
function fieldSql(node: Extract<SearchNode, { kind: 'field' }>, alias: string, bind: Bind): string {
  const m: Match = node.match;
  const value = bind('eq' in m ? m.eq : 'like' in m ? m.like : m.anyOf);
  const test = (expr: string): string =>
    'eq' in m ? `${expr} = ${value}::text` : 'like' in m ? `${expr} LIKE ${value}::text` : `${expr} = ANY(${value}::text[])`;
  if (node.field === 'service' || node.field === 'level') return test(`${alias}.${node.field}`);
  const keys = node.field === 'attr' ? [node.key] : FIELD_KEYS[node.field];
  // Dotted keys are flat in ECS/OTLP attributes and nested in native JSON: both are looked at.
  const exprs = keys.flatMap((k) => {
    const flat = `${alias}.attributes ->> ${bind(k)}::text`;
    return k.includes('.') ? [flat, `${alias}.attributes #>> ${bind(k.split('.'))}::text[]`] : [flat];
  });
  return `coalesce(${exprs.map(test).join(' OR ')}, false)`;
}

function part(node: SearchNode, alias: string, bind: Bind): Part {
  switch (node.kind) {
    case 'text':
      return { tsq: textTsquery(node.words, node.prefix) };
    case 'field':
      return { sql: fieldSql(node, alias, bind) };
    case 'not': {
      const p = part(node.item, alias, bind);
      return 'tsq' in p ? { tsq: `!${p.tsq}` } : { sql: `NOT (${p.sql})` };
    }
    default: {
      const parts = node.items.map((n) => part(n, alias, bind));
      const tsqs = parts.flatMap((p) => ('tsq' in p ? [p.tsq] : []));
      const sqls = parts.flatMap((p) => ('sql' in p ? [p.sql] : []));
      const op = node.kind === 'and' ? { tsq: ' & ', sql: ' AND ' } : { tsq: ' | ', sql: ' OR ' };
      if (sqls.length === 0) return { tsq: `(${tsqs.join(op.tsq)})` };
      // AND keeps its text together (one index lookup); OR of text and fields tests each alone.
      const texts = node.kind === 'and' ? [`(${tsqs.join(op.tsq)})`] : tsqs;
      const matches = tsqs.length === 0 ? [] : texts.map((t) => toSql({ tsq: t }, alias, bind));
      return { sql: `(${[...matches, ...sqls].join(op.sql)})` };
    }
  }
}

function toSql(p: Part, alias: string, bind: Bind): string {
  return 'sql' in p ? p.sql : `${SEARCH_VECTOR(alias)} @@ to_tsquery('simple', ${bind(p.tsq)}::text)`;
}

/** The SQL condition for a parsed search over the logs aliased `alias`, its values added through `bind`. */
export function searchSql(node: SearchNode, alias: string, bind: Bind): string {
  return toSql(part(node, alias, bind), alias, bind);
}
