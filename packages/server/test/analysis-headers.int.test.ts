import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers.js';
import { startPipelineServer, testStore, type PipelineServer } from './pipeline-helpers.js';

let servers: PipelineServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.cleanup()));
  servers = [];
});

const pad = (n: number): string => String(n).padStart(2, '0');
const THREADS = ['main', 'worker-3', 'IPC Server handler 7 on 8020'];
const LEVELS = ['INFO', 'WARN', 'ERROR'];

/** A line with a header in a layout no fixture of the miner spells out. */
function headed(i: number): string {
  return `2024.03.${pad(1 + (i % 28))} 10:${pad(i % 60)}:${pad((i * 7) % 60)}, ${LEVELS[i % 3]} [${THREADS[i % 3]}] node-${i % 9} - Connection from 10.0.${i % 250}.${i % 7} closed after ${i * 3} ms`;
}

describe.each(ENGINES)('analysis: headers stay out of templates on %s', (engine) => {
  it('mines a text/plain line without its header, keeps the stored text whole', async () => {
    const s = await startPipelineServer(await testStore(engine));
    servers.push(s);
    const lines = Array.from({ length: 60 }, (_, i) => headed(i));
    const r = await s.running.app.inject({ method: 'POST', url: '/api/v1/logs', headers: { 'content-type': 'text/plain' }, payload: lines.join('\n') });
    expect(r.statusCode).toBe(200);
    // The same event sent bare, as JSON by another service, joins the same template.
    await s.ingest(Array.from({ length: 5 }, (_, i) => ({ service: 'bare', message: `Connection from 10.1.0.${i} closed after ${i} ms` })));
    expect(await s.until(async () => (await s.count('analysis_pending')) === 0 && (await s.count('analysis_results')) === 65)).toBe(true);
    const t = await s.running.db.query<{ template: string }>(`SELECT template FROM log_templates`);
    expect(t.rows.map((x) => x.template)).toEqual(['Connection from <*> closed after <*> ms']);
    const stored = await s.running.db.query<{ message: string }>(`SELECT message FROM logs WHERE service <> 'bare' ORDER BY message`);
    expect(stored.rows.map((x) => x.message)).toEqual([...lines].sort());
  });
});
