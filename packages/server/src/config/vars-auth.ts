import type { VarSpec } from './spec.js';

/** Security: users, sessions, API keys, limits. */
export const AUTH_VARS = {} satisfies Record<string, VarSpec<unknown>>;
