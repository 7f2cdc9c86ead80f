import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/types.js';
import { createIncidentReader } from './reader.js';
import { IncidentDetail, IncidentPage, IncidentQuery } from './schema.js';

/** Incidents API (read access: viewers and read keys): the list, newest updated first, and one incident with its evidence. */
export const incidentRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => number }> = async (app, opts) => {
  const incidents = createIncidentReader(opts);

  app.get('/api/v1/incidents', {
    config: { access: 'read' },
    schema: {
      summary: 'Incidents the detector found, newest updated first',
      tags: ['incidents'],
      querystring: IncidentQuery,
      response: { 200: IncidentPage },
    },
  }, (req) => incidents.list(req.query));

  app.get('/api/v1/incidents/:id', {
    config: { access: 'read' },
    schema: {
      summary: 'One incident: its story, signals, per-minute template counts, sample lines and history',
      tags: ['incidents'],
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: { 200: IncidentDetail },
    },
  }, (req) => incidents.get(req.params.id));
};
