export { ANONYMOUS, allows, type Principal, type Scope, type UserRole } from './types.js';
export { createAuthService, readCredentials, SESSION_COOKIE, type AuthService, type AuthOptions } from './service.js';
export { INGEST_KEY_FILE, type BootstrapResult } from './bootstrap.js';
export { LOGIN_URL } from './limits.js';
export { installAuthGuard, type GuardOptions, type RouteAccess } from './hooks.js';
export { startSecurity, installSecurity, securityRoutes, type Security } from './setup.js';
export { resetPassword } from './reset.js';
