import type { FastifyInstance } from 'fastify';
import { EsError } from './errors.js';

/** The Elasticsearch version we answer as: Beats 8.x refuse a cluster older than themselves unless told otherwise. */
export const ES_VERSION = '8.19.0';
const CLUSTER = 'logsage';
const CLUSTER_UUID = 'bG9nc2FnZS1sb2dzYWdl';
const NODE_ID = 'bG9nc2FnZS1ub2RlLTAx';
const BUILD_HASH = '0000000000000000000000000000000000000000';
const BUILD_DATE = '2025-01-01T00:00:00.000Z';

const ROOT = {
  name: CLUSTER,
  cluster_name: CLUSTER,
  cluster_uuid: CLUSTER_UUID,
  version: {
    number: ES_VERSION,
    build_flavor: 'default', // 'serverless' would switch Beats to data stream lifecycles
    build_type: 'docker',
    build_hash: BUILD_HASH,
    build_date: BUILD_DATE,
    build_snapshot: false,
    lucene_version: '9.12.1',
    minimum_wire_compatibility_version: '7.17.0',
    minimum_index_compatibility_version: '7.0.0',
  },
  tagline: 'You Know, for Search',
};

// Beats' licence check aborts on 401 and on an unknown type or status; `basic` + `active` passes it.
// `mode` (the effective licence) is what libbeat's licenser compares: absent, it would read as OSS.
const LICENSE = {
  status: 'active',
  uid: '00000000-0000-4000-8000-000000000000',
  type: 'basic',
  mode: 'basic',
  issue_date: BUILD_DATE,
  issue_date_in_millis: Date.parse(BUILD_DATE),
  max_nodes: 1000,
  max_resource_units: null,
  issued_to: CLUSTER,
  issuer: 'elasticsearch',
  start_date_in_millis: -1,
};

const HEALTH = {
  cluster_name: CLUSTER, status: 'green', timed_out: false, number_of_nodes: 1, number_of_data_nodes: 1,
  active_primary_shards: 0, active_shards: 0, relocating_shards: 0, initializing_shards: 0, unassigned_shards: 0,
  delayed_unassigned_shards: 0, number_of_pending_tasks: 0, number_of_in_flight_fetch: 0,
  task_max_waiting_in_queue_millis: 0, active_shards_percent_as_number: 100,
};

// No `http` section: a sniffing client would otherwise replace the `/es` URL by an address without it.
const NODES = {
  _nodes: { total: 1, successful: 1, failed: 0 },
  cluster_name: CLUSTER,
  nodes: { [NODE_ID]: { name: CLUSTER, version: ES_VERSION, build_flavor: 'default', roles: ['data', 'ingest', 'master'] } },
};

const XPACK = {
  build: { hash: BUILD_HASH, date: BUILD_DATE },
  license: { uid: LICENSE.uid, type: 'basic', mode: 'basic', status: 'active' },
  features: Object.fromEntries(['ilm', 'security', 'monitoring', 'data_streams'].map((f) => [f, { available: true, enabled: true }])),
  tagline: 'for the LogSage Elasticsearch-compatible API',
};

// Index-management calls shippers make at start. Reads say "not there" (so nothing is assumed to
// exist), writes are acknowledged and ignored: LogSage keeps its own schema and retention.
const SETUP_PATHS = ['_ilm/policy', '_index_template', '_template', '_component_template', '_data_stream', '_ingest/pipeline', '_alias'];

/** Registers the cluster-information and index-management answers a shipper needs before `_bulk`. */
export function registerInfoRoutes(app: FastifyInstance): void {
  // Hidden from the OpenAPI page: these only exist to satisfy shippers' start-up checks.
  const opts = { config: { access: 'ingest' as const }, schema: { hide: true } };
  app.get('/', opts, async () => ROOT);
  app.get('/_license', opts, async () => ({ license: LICENSE }));
  app.get('/_xpack', opts, async () => XPACK);
  app.get('/_cluster/health', opts, async () => HEALTH);
  app.get('/_nodes', opts, async () => NODES);
  app.get('/_nodes/*', opts, async () => NODES);
  for (const p of SETUP_PATHS) {
    app.get(`/${p}/:name`, opts, async (req) => {
      const { name } = req.params as { name: string };
      throw new EsError(404, p === '_data_stream' ? 'index_not_found_exception' : 'resource_not_found_exception', `${p} [${name}] not found`);
    });
    app.route({ method: ['PUT', 'POST'], url: `/${p}/:name`, ...opts, handler: async () => ({ acknowledged: true }) });
  }
  // Index creation (Logstash's rollover bootstrap): acknowledged, nothing is created.
  app.put('/:index', opts, async (req) => ({ acknowledged: true, shards_acknowledged: true, index: (req.params as { index: string }).index }));
}
