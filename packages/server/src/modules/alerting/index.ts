import type { FastifyPluginAsync } from 'fastify';
import { alertRoutes } from './alerts-routes.js';
import { ruleRoutes } from './rules-routes.js';
import type { AlertingService } from './service.js';

export { createAlertingService, type AlertingService } from './service.js';
export { startAlertEngine, createAlertEngine, type AlertEngine, type AlertDefaults, type TickReport } from './engine.js';
export { setupAlerting, alertDefaults, type Alerting } from './setup.js';
export { compileSafeRegex, UnsafePattern } from './safe-regex.js';
export { applyIncidentUpdate, type IncidentUpdate } from './incident.js';

/** Every alerting route: rules, preview, alerts, silences. */
export const alertingRoutes: FastifyPluginAsync<{ alerting: AlertingService }> = async (app, opts) => {
  await app.register(ruleRoutes, opts);
  await app.register(alertRoutes, opts);
};
