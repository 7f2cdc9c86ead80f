// The words LogSage's parts must agree on, defined once: a log's level, a verdict's severity and the
// language verdicts and notifications are written in. The server's schemas, config and queries and
// the ai service's prompt and output validation all read these lists.

/** Log levels as stored; `unknown` holds what no level word names. Ordered from least to most severe. */
export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** Verdict severities, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type SeverityName = (typeof SEVERITIES)[number];

/** Languages of verdict and notification text. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
