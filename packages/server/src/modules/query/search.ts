// The query side of CJK search (src/lib/cjk.ts, migration 0009): a query's runs of Chinese, Japanese
// or Korean characters are rewritten into the pairs the index holds, as a phrase, before
// websearch_to_tsquery reads them. Everything else passes unchanged.
import { mapCjkRuns } from '../../lib/cjk.js';

/**
 * Rewrites a websearch query for the CJK-aware index: outside quotes a run becomes a quoted phrase of
 * its pairs (`-数据库` stays an exclusion of the phrase); inside a quoted phrase its pairs join the phrase.
 */
export function searchQuery(q: string): string {
  // Split on double quotes: odd pieces are inside a phrase.
  return q
    .split('"')
    .map((piece, i) => mapCjkRuns(piece, (pairs) => (i % 2 === 1 ? ` ${pairs} ` : ` "${pairs}" `)))
    .join('"');
}

/** The indexed expression: must match logs_message_fts_idx for the index to serve a search. */
export const SEARCH_VECTOR = (alias: string): string => `to_tsvector('simple', coalesce(${alias}.search_text, ${alias}.message))`;
