import { describe, expect, it } from 'vitest';
import { AppError } from '../src/lib/errors.js';
import { parseSearch, searchSql, textTsquery } from '../src/modules/query/search.js';

// The search language of GET /api/v1/logs?q= (docs/search.md): what each form compiles to, and the
// 400 each malformed form gets. search-syntax.int.test.ts runs the same forms against both engines.

/** Compiles q with the table alias `l`; the vector expression is shortened to V for reading. */
function compile(q: string): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const sql = searchSql(parseSearch(q), 'l', (v) => `$${params.push(v)}`);
  return { sql: sql.replaceAll("to_tsvector('simple', coalesce(l.search_text, l.message) || '')", 'P').replaceAll("to_tsvector('simple', coalesce(l.search_text, l.message))", 'V'), params };
}

/**
 * The tsquery of a text-only query. Without a phrase it is one indexed condition; with one, the
 * index is asked for the words (the phrase's `<->` as `&`) and the phrase itself is tested on the
 * unindexed spelling P of the vector.
 */
function tsq(q: string): unknown {
  const c = compile(q);
  if (c.params.length === 1) {
    expect(c.sql).toBe("V @@ to_tsquery('simple', $1::text)");
    return c.params[0];
  }
  expect(c.sql).toBe("(V @@ to_tsquery('simple', $1::text) AND P @@ to_tsquery('simple', $2::text))");
  // The index's part has no phrase left (its words, ANDed; excluded phrases drop out).
  expect(String(c.params[0])).not.toContain('<->');
  return c.params[1];
}

function parseError(q: string): { message: string; position: unknown } {
  try {
    parseSearch(q);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    expect(err.code).toBe('invalid_query');
    return { message: err.message, position: (err.details as { position: unknown }).position };
  }
  throw new Error(`${q} parsed`);
}

describe('text terms', () => {
  it('ANDs words, ORs with OR, chains phrases with <->', () => {
    expect(tsq('replica refused')).toBe("('replica' & 'refused')");
    expect(tsq('replica AND refused')).toBe("('replica' & 'refused')");
    expect(tsq('error OR warn')).toBe("('error' | 'warn')");
    expect(tsq('"slow query"')).toBe("('slow' <-> 'query')");
    expect(tsq('(timeout OR refused) replica')).toBe("(('timeout' | 'refused') & 'replica')");
    // OR binds looser than the implicit AND.
    expect(tsq('a b OR c')).toBe("(('a' & 'b') | 'c')");
  });

  it('marks prefixes and exclusions', () => {
    expect(tsq('conn*')).toBe("'conn':*");
    expect(tsq('"slow que"*')).toBe("('slow' <-> 'que':*)");
    expect(tsq('connection -replica')).toBe("('connection' & !'replica')");
    expect(tsq('-"slow query" orders')).toBe("(!('slow' <-> 'query') & 'orders')");
    expect(tsq('-(a b)')).toBe("!('a' & 'b')");
  });

  it('turns CJK runs into phrases of their pairs, and a CJK prefix into the phrase of its pairs', () => {
    expect(tsq('数据库')).toBe("('数据' <-> '据库')");
    expect(tsq('"连接超时"')).toBe("('连接' <-> '接超' <-> '超时')");
    expect(tsq('数据 -数据库')).toBe("('数据' & !('数据' <-> '据库'))");
    expect(tsq('数据库*')).toBe("('数据' <-> '据库')");
    expect(tsq('数*')).toBe("'数':*");
    expect(tsq('x库y')).toBe("('x' <-> '库' <-> 'y')");
    expect(tsq('認証 데이터')).toBe("('認証' & ('데이' <-> '이터'))");
    expect(textTsquery(['支付服务', 'timeout'], false)).toBe("('支付' <-> '付服' <-> '服务' <-> 'timeout')");
  });

  it('quotes every lexeme, so tsquery operators and quotes typed by a user are text', () => {
    expect(tsq("it's")).toBe("'it''s'");
    expect(tsq('a&b|!c')).toBe("'a&b|!c'");
    expect(tsq('back\\slash')).toBe("'back\\\\slash'");
    expect(tsq(`"x':*|'y"`)).toBe("'x'':*|''y'");
  });

  it('drops terms without a letter or digit; a query of nothing else is refused', () => {
    expect(tsq('timeout ... refused')).toBe("('timeout' & 'refused')");
    expect(tsq('timeout -...')).toBe("'timeout'");
    expect(parseError('... ,,,').message).toContain('nothing to search for');
  });
});

describe('field filters', () => {
  it('compiles service and level to their columns', () => {
    expect(compile('service:api')).toEqual({ sql: 'l.service = $1::text', params: ['api'] });
    expect(compile('service:"payment api"')).toEqual({ sql: 'l.service = $1::text', params: ['payment api'] });
    expect(compile('service:pay*')).toEqual({ sql: 'l.service LIKE $1::text', params: ['pay%'] });
    // A literal % or _ in a wildcard value is escaped; a quoted value has no wildcard.
    expect(compile('service:a_b%*')).toEqual({ sql: 'l.service LIKE $1::text', params: ['a\\_b\\%%'] });
    expect(compile('service:"pay*"')).toEqual({ sql: 'l.service = $1::text', params: ['pay*'] });
    expect(compile('level:error')).toEqual({ sql: 'l.level = $1::text', params: ['error'] });
    expect(compile('level:WARNING').params).toEqual(['warn']);
    expect(compile('level:>=warn')).toEqual({ sql: 'l.level = ANY($1::text[])', params: [['warn', 'error', 'fatal']] });
    expect(compile('level:<info').params).toEqual([['trace', 'debug']]);
    expect(compile('level:>error').params).toEqual([['fatal']]);
    expect(compile('level:<=debug').params).toEqual([['trace', 'debug']]);
  });

  it('reads host, trace_id and attributes from the JSON attributes, flat and nested', () => {
    expect(compile('attr.user_id:42')).toEqual({ sql: 'coalesce(l.attributes ->> $2::text = $1::text, false)', params: ['42', 'user_id'] });
    expect(compile('attr.http.status:500')).toEqual({
      sql: 'coalesce(l.attributes ->> $2::text = $1::text OR l.attributes #>> $3::text[] = $1::text, false)',
      params: ['500', 'http.status', ['http', 'status']],
    });
    // A name that is no known field is an attribute key.
    expect(compile('user_id:42')).toEqual(compile('attr.user_id:42'));
    expect(compile('host:web-1').params).toEqual(['web-1', 'host', 'hostname', 'host.name', ['host', 'name']]);
    expect(compile('trace_id:abc').params).toEqual(['abc', 'trace_id', 'trace.id', ['trace', 'id'], 'traceId']);
    expect(compile('host:10.0.0.1:8080').params[0]).toBe('10.0.0.1:8080');
  });

  it('keeps text in one index lookup beside the field conditions, and negates fields', () => {
    expect(compile('timeout service:api -level:debug replica')).toEqual({
      sql: "(V @@ to_tsquery('simple', $3::text) AND l.service = $1::text AND NOT (l.level = $2::text))",
      params: ['api', 'debug', "('timeout' & 'replica')"],
    });
    expect(compile('timeout OR service:api')).toEqual({
      sql: "(V @@ to_tsquery('simple', $2::text) OR l.service = $1::text)",
      params: ['api', "'timeout'"],
    });
  });

  it('treats a term starting with a digit as text (times, ports)', () => {
    expect(tsq('12:30:45')).toBe("'12:30:45'");
  });
});

describe('malformed queries', () => {
  it.each([
    ['"unclosed phrase', 'unbalanced quote', 1],
    ['timeout "unclosed', 'unbalanced quote', 9],
    ['service:', 'service: has no value', 1],
    ['error attr.:x', 'attr. needs an attribute key', 7],
    ['(timeout OR refused', 'unbalanced parenthesis', 1],
    ['timeout)', 'unbalanced parenthesis', 8],
    ['a ()', 'empty parentheses', 3],
    ['OR timeout', 'OR needs a term on its left', 1],
    ['timeout OR', 'OR needs a term on its right', 9],
    ['timeout AND', 'AND needs a term on each side', 9],
    ['- timeout', '- must be followed by a term', 1],
    ['timeout -', '- must be followed by a term', 9],
    ['ti*me', '* is a prefix marker', 3],
    ['a *', '* needs a word before it', 3],
    ['level:loud', 'level: unknown level "loud"', 1],
    ['level:>=unknown', 'level: unknown has no order', 1],
  ])('%s: %s at position %i', (q, problem, position) => {
    const e = parseError(q);
    expect(e.message).toContain(problem);
    expect(e.message).toContain(`at position ${position}`);
    expect(e.position).toBe(position);
  });

  it('bounds the number of terms and the nesting', () => {
    expect(parseError(Array.from({ length: 65 }, (_, i) => `w${i}`).join(' ')).message).toContain('more than 64 terms');
    expect(parseError(`${'('.repeat(17)}a${')'.repeat(17)}`).message).toContain('nest deeper than 16');
  });
});

describe('phrases and the index', () => {
  it('asks the index for the words of a phrase only where they are required', () => {
    // Under a NOT the words narrow nothing: the phrase alone, unindexed.
    expect(compile('-"slow query"')).toEqual({ sql: "(P @@ to_tsquery('simple', $1::text))", params: ["!('slow' <-> 'query')"] });
    // An OR is narrowed only when each side is.
    expect(compile('"slow query" OR -timeout').sql).toBe("(P @@ to_tsquery('simple', $1::text))");
    expect(compile('"slow query" OR timeout').params[0]).toBe("(('slow' & 'query') | 'timeout')");
    // An AND by the parts that can.
    expect(compile('"slow query" -timeout replica').params[0]).toBe("(('slow' & 'query') & 'replica')");
    expect(compile('"slow query" -timeout replica').params[1]).toBe("(('slow' <-> 'query') & !'timeout' & 'replica')");
    // Fields stay SQL beside the text.
    expect(compile('"slow query" service:db').sql).toBe(
      "((V @@ to_tsquery('simple', $2::text) AND P @@ to_tsquery('simple', $3::text)) AND l.service = $1::text)",
    );
  });
});
