// Chinese, Japanese and Korean text has no spaces between words, and PostgreSQL's `simple` parser
// keeps a whole run of such characters as one word: "支付服务调用数据库连接超时" could not be found by
// 数据库. Search indexes each run as its overlapping character pairs instead ("支付 付服 服务 …"), and a
// query's runs become the same pairs as a phrase, which matches any run of two characters or more.
// Pairs are made here, not in SQL: five regular-expression passes in the index expression cost over
// 100 µs per Chinese line at ingest, a PL/pgSQL loop 60 µs; this costs about one.

const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+/g;
const HAS_CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

/** "数据库" → "数据 据库": the pairs a run is indexed as (a single character stays itself). */
export function cjkPairs(run: string): string {
  const chars = [...run];
  if (chars.length < 2) return run;
  const out: string[] = [];
  for (let i = 0; i < chars.length - 1; i++) out.push(chars[i]! + chars[i + 1]!);
  return out.join(' ');
}

/** The text to index for a message with CJK runs (each run as its pairs); null when it has none. */
export function cjkSearchText(message: string): string | null {
  if (!HAS_CJK.test(message)) return null;
  return message.replace(CJK_RUN, (run) => ` ${cjkPairs(run)} `);
}

/** Replaces each CJK run of `text` with `fn(pairs)`. */
export function mapCjkRuns(text: string, fn: (pairs: string) => string): string {
  return text.replace(CJK_RUN, (run) => fn(cjkPairs(run)));
}
