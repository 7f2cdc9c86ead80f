export { installAuditTrail, type AuditLog, type AuditNote } from './trail.js';
export { auditRoutes } from './routes.js';
export type { AuditRow } from './repo-entries.js';
