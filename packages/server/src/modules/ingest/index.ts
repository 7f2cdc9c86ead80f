export { createIngestService, type IngestService, type IngestResult } from './service.js';
export { ingestRoutes } from './routes.js';
export { LEVELS, normalizeLevel, type Level } from './levels.js';
export type { LogRow, Rejection } from './normalize.js';
