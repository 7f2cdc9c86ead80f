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
// `@@`; a subtree with a field filter is SQL. `loose` is the same text with its phrases as plain ANDs
// of their words (null: no condition the index can narrow, as under a NOT): see toSql.
type Part = { tsq: string; loose: string | null } | { sql: string };

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
      return { tsq: textTsquery(node.words, node.prefix), loose: textTsquery(node.words, node.prefix).replaceAll(' <-> ', ' & ') };
    case 'field':
      return { sql: fieldSql(node, alias, bind) };
    case 'not': {
      const p = part(node.item, alias, bind);
      // A word's absence narrows nothing in the index: no loose condition.
      return 'tsq' in p ? { tsq: `!${p.tsq}`, loose: null } : { sql: `NOT (${p.sql})` };
    }
    default: {
      const parts = node.items.map((n) => part(n, alias, bind));
      const texts = parts.flatMap((p) => ('tsq' in p ? [p] : []));
      const sqls = parts.flatMap((p) => ('sql' in p ? [p.sql] : []));
      const and = node.kind === 'and';
      const op = and ? { tsq: ' & ', sql: ' AND ' } : { tsq: ' | ', sql: ' OR ' };
      // An AND is narrowed by any of its parts' conditions, an OR only when every part has one.
      const looses = texts.flatMap((p) => (p.loose === null ? [] : [p.loose]));
      const loose = looses.length === 0 || (!and && looses.length < texts.length) ? null : `(${looses.join(op.tsq)})`;
      const joined = { tsq: `(${texts.map((p) => p.tsq).join(op.tsq)})`, loose };
      if (sqls.length === 0) return joined;
      // AND keeps its text together (one index lookup); OR of text and fields tests each alone.
      const matches = texts.length === 0 ? [] : and ? [toSql(joined, alias, bind)] : texts.map((t) => toSql(t, alias, bind));
      return { sql: `(${[...matches, ...sqls].join(op.sql)})` };
    }
  }
}

/**
 * Text without a phrase is one indexed `@@`. A phrase (`"connection refused"`, and every CJK run,
 * searched as the phrase of its pairs) needs word positions, which the GIN index does not keep: as
 * one indexed `@@`, every row of the partition holding all its words was read and its vector rebuilt
 * to check their order, however narrow the time window (58 ms per window over a day of 1.4 million
 * logs, the same for a 6-minute window as for the day). So the index answers the words (`loose`,
 * exact for ANDs, no rebuild) and the phrase is checked through PHRASE_VECTOR on the rows left once
 * the time and other filters have been applied (17-24 ms for the same windows).
 */
function toSql(p: Part, alias: string, bind: Bind): string {
  if ('sql' in p) return p.sql;
  const exact = (vector: string): string => `${vector} @@ to_tsquery('simple', ${bind(p.tsq)}::text)`;
  if (!p.tsq.includes(' <-> ')) return exact(SEARCH_VECTOR(alias));
  const narrow = p.loose === null ? [] : [`${SEARCH_VECTOR(alias)} @@ to_tsquery('simple', ${bind(p.loose)}::text)`];
  return `(${[...narrow, exact(PHRASE_VECTOR(alias))].join(' AND ')})`;
}

/**
 * Another spelling of SEARCH_VECTOR that no index matches: a phrase is tested with it on the rows the
 * other conditions leave, never by the index (see toSql).
 */
const PHRASE_VECTOR = (alias: string): string => `to_tsvector('simple', coalesce(${alias}.search_text, ${alias}.message) || '')`;

/** The SQL condition for a parsed search over the logs aliased `alias`, its values added through `bind`. */
export function searchSql(node: SearchNode, alias: string, bind: Bind): string {
  return toSql(part(node, alias, bind), alias, bind);
}
