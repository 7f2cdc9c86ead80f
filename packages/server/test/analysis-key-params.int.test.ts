import { keyParamsOf, parsePrompt, type PromptLog } from '@logsage/llm-stand-in';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers.js';
import { startPipelineServer, testStore, type PipelineServer } from './pipeline-helpers.js';

// A parameter-dependent verdict is shared by the lines holding the same values in the slots the model
// said decide it (key_params), not judged once per message: a counter beside a host name costs one
// LLM entry per host.

let servers: PipelineServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.cleanup()));
  servers = [];
});

const TEMPLATE = 'retry <*> of request <*> to <*> failed';

/** `n` lines of TEMPLATE, every counter and request id distinct, hosts taken in turn from `hosts`. */
function retryLines(n: number, hosts: string[], suffix = ''): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    message: `retry ${10 + i} of request ${1000 + 7 * i} to ${hosts[i % hosts.length]} failed${suffix}`,
    level: 'warn',
    service: 'edge',
    timestamp: new Date(Date.now() - 60_000 + i).toISOString(),
  }));
}

/** Every log entry the LLM was shown, over all requests. */
const entriesSent = (s: PipelineServer): PromptLog[] => s.llm.requests().flatMap((r) => parsePrompt(r.messages).logs ?? []);

async function analysed(s: PipelineServer, n: number): Promise<boolean> {
  return (await s.count('analysis_results')) === n && (await s.count('analysis_pending')) === 0;
}

async function results(s: PipelineServer) {
  return (
    await s.running.db.query<{ message: string; summary: string; verdict_key: string; source: string }>(
      `SELECT l.message, r.summary, r.verdict_key, r.source FROM analysis_results r JOIN logs l ON l.id = r.log_id AND l.ts = r.ts ORDER BY l.id`,
    )
  ).rows;
}

describe.each(ENGINES)('verdicts keyed by the values of the key params on %s', (engine) => {
  it('60 lines, 60 counters, 2 hosts: 2 LLM entries, each line\'s text with its own values', async () => {
    // The stand-in's rule names the host slot only: the control for what this test expects.
    expect(keyParamsOf(TEMPLATE)).toEqual([2]);
    const s = await startPipelineServer(await testStore(engine));
    servers.push(s);
    await s.ingest(retryLines(60, ['host-a.example.net', 'host-b.example.net']));
    expect(await s.until(() => analysed(s, 60), 40_000)).toBe(true);

    const sent = entriesSent(s);
    expect(sent).toHaveLength(2);
    expect(new Set(sent.map((e) => /to (\S+) failed/.exec(e.message)?.[1]))).toEqual(new Set(['host-a.example.net', 'host-b.example.net']));
    // Lines sent back to be keyed by their values are not counted twice.
    const t = await s.running.db.query<{ template: string; parameter_dependent: boolean; key_params: number[]; count: string }>(
      `SELECT template, parameter_dependent, key_params, count::text FROM log_templates`,
    );
    expect(t.rows).toEqual([{ template: TEMPLATE, parameter_dependent: true, key_params: [2], count: '60' }]);

    const rows = await results(s);
    expect(rows).toHaveLength(60);
    expect(rows.filter((r) => r.source === 'llm')).toHaveLength(2);
    // One verdict per host: lines of one host share a key, the two hosts never do.
    const keyOf = new Map<string, Set<string>>();
    for (const r of rows) {
      const host = /to (\S+) failed/.exec(r.message)?.[1] ?? '';
      keyOf.set(host, (keyOf.get(host) ?? new Set()).add(r.verdict_key));
    }
    expect([...keyOf.values()].map((k) => k.size)).toEqual([1, 1]);
    // The stand-in quotes the line it judged; every other line reads its own counter and request id.
    for (const r of rows) expect(r.summary).toContain(r.message);
  });

  it('a later line with judged key values reuses the verdict; a new host costs one entry', async () => {
    const s = await startPipelineServer(await testStore(engine));
    servers.push(s);
    await s.ingest(retryLines(4, ['host-a.example.net']));
    expect(await s.until(() => analysed(s, 4), 30_000)).toBe(true);
    expect(entriesSent(s)).toHaveLength(1);
    await s.ingest(retryLines(6, ['host-a.example.net', 'host-c.example.net']).map((l, i) => ({ ...l, message: String(l.message).replace(/retry \d+/, `retry ${90 + i}`) })));
    expect(await s.until(() => analysed(s, 10), 30_000)).toBe(true);
    const sent = entriesSent(s);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.message).toContain('host-c.example.net');
    for (const r of await results(s)) expect(r.summary).toContain(r.message);
  });

  it('key_params naming a slot the template lacks fall back to one verdict per message', async () => {
    const s = await startPipelineServer(await testStore(engine));
    servers.push(s);
    // The planted fault makes the stand-in answer key_params [slot count + 5] for every entry.
    await s.ingest(retryLines(6, ['host-a.example.net'], ' stand-in-fault:bad_key_params'));
    expect(await s.until(() => analysed(s, 6), 30_000)).toBe(true);
    expect(entriesSent(s)).toHaveLength(6);
    const t = await s.running.db.query<{ parameter_dependent: boolean; key_params: number[] }>(`SELECT parameter_dependent, key_params FROM log_templates`);
    expect(t.rows).toEqual([{ parameter_dependent: true, key_params: [] }]);
    expect(new Set((await results(s)).map((r) => r.verdict_key)).size).toBe(6);
  });
});
