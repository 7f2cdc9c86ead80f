export { otlpRoutes, type OtlpRoutesOptions } from './routes.js';
export { toEntries, UID_ATTRIBUTE } from './map.js';
export { ExportLogsServiceRequest, ExportLogsServiceResponse } from './proto.js';
