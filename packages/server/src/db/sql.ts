/** SQL text rendering a timestamptz column as ISO 8601 UTC with microseconds (what timestamptz holds). */
export const utcText = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * SQL text binning `expr` into buckets of `width` (an interval expression) aligned on the Unix epoch
 * in UTC, whatever the session time zone: the one alignment rollups, their readers and /stats share.
 */
export const epochBin = (width: string, expr: string): string => `date_bin(${width}, ${expr}, '1970-01-01T00:00:00Z'::timestamptz)`;

/**
 * `CROSS JOIN LATERAL` the stored log of each row of `alias` (which has log_id and ts), selecting
 * `columns` as `l.<column>`: one primary-key probe per row, in the partition its ts names. Written
 * as a join, the planner may hash all logs of every partition to find a few rows when its estimate
 * of the rows is off (analysis_pending churns faster than its statistics), which took seconds per
 * call on ten million logs; the LIMIT keeps the subquery from being flattened back into that join.
 * Rows whose log is gone drop out, as with an inner join.
 */
export const LOG_OF_PENDING = (alias: string, columns: string): string =>
  `CROSS JOIN LATERAL (SELECT ${columns} FROM logs WHERE logs.id = ${alias}.log_id AND logs.ts = ${alias}.ts LIMIT 1) l`;
