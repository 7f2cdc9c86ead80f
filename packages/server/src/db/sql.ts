/** SQL text rendering a timestamptz column as ISO 8601 UTC with microseconds (what timestamptz holds). */
export const utcText = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * SQL text binning `expr` into buckets of `width` (an interval expression) aligned on the Unix epoch
 * in UTC, whatever the session time zone: the one alignment rollups, their readers and /stats share.
 */
export const epochBin = (width: string, expr: string): string => `date_bin(${width}, ${expr}, '1970-01-01T00:00:00Z'::timestamptz)`;
