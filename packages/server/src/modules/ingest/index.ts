export { createIngestService, type IngestService, type IngestResult, type IngestProtocol } from './service.js';
export { splitJson, splitNdjson, splitText, type SplitBody } from './body.js';
export { ingestRoutes } from './routes.js';
export { LEVELS, normalizeLevel, type Level } from './levels.js';
export type { LogRow, Rejection } from './normalize.js';
export { contentEncodingHook } from './encoding.js';
