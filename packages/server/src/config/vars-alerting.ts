import type { VarSpec } from './spec.js';

/** Alerting and notification channels. */
export const ALERTING_VARS = {} satisfies Record<string, VarSpec<unknown>>;
