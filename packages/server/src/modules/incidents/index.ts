// The incidents module's face: the worker's incident loop (signals in the per-minute counts,
// grouped into incidents with an LLM story) and its settings.
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/types.js';
import { applyIncidentUpdate } from '../alerting/index.js';
import { budgetSettings, createBudgetGate } from '../analysis/index.js';
import { createIncidentLoop, type IncidentLoop } from './loop.js';
import { incidentSettings } from './settings.js';
import type { IncidentAi } from './story.js';

export { createIncidentLoop, type IncidentLoop, type IncidentLoopDeps, type IncidentTick } from './loop.js';
export { incidentSettings, type IncidentSettings } from './settings.js';
export type { IncidentAi } from './story.js';
export type { IncidentAlertUpdate } from './persist.js';

/** Starts the incident loop of the worker role; undefined when INCIDENTS_ENABLED is off. */
export function startIncidentLoop(d: { cfg: Config; db: Db; ai: IncidentAi; log: Logger; now?: (() => number) | undefined }): IncidentLoop | undefined {
  const settings = incidentSettings(d.cfg);
  if (!settings.enabled) return undefined;
  const now = d.now ?? Date.now;
  const log = d.log.child({ module: 'incidents' });
  const loop = createIncidentLoop({
    db: d.db, ai: d.ai, log, settings, now,
    budget: createBudgetGate({ db: d.db, settings: budgetSettings(d.cfg), now, log }),
    alert: applyIncidentUpdate,
  });
  loop.start();
  return loop;
}
export { incidentRoutes } from './routes.js';
export { countOpenIncidents } from './repo-read.js';
