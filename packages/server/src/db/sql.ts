/** SQL text rendering a timestamptz column as ISO 8601 UTC with microseconds (what timestamptz holds). */
export const utcText = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
