import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeIncident, startStandIn, type StandIn } from '../src/index.js';
import { buildBody, buildLog, control, postCompletion } from './factories.js';
import { buildEvidence, buildIncidentMessages, buildSignal } from './incident-factories.js';

let standIn: StandIn;
const evidence = buildEvidence([buildSignal(), buildSignal({ kind: 'error_share', service: 'gateway', template: '', started_at: '2026-11-25T10:04:00Z' })]);
const story = describeIncident(evidence, 'en');

beforeAll(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.reset());
afterAll(async () => {
  await standIn.close();
});

const ask = (extra: Record<string, unknown> = {}, headers: Record<string, string> = {}, opts: Parameters<typeof buildIncidentMessages>[1] = {}) =>
  postCompletion(standIn, { model: 'Qwen/Qwen2.5-7B-Instruct', messages: buildIncidentMessages(evidence, opts), ...extra }, headers);

describe('incident story over HTTP', () => {
  it('answers the story as JSON content and counts incident requests apart from analyses', async () => {
    const res = await ask();
    expect(res.status).toBe(200);
    expect(JSON.parse(res.json.choices[0].message.content)).toEqual(story);
    await postCompletion(standIn, buildBody([buildLog()]));
    expect(standIn.stats()).toMatchObject({ calls: 2, incidentCalls: 1 });
    expect(standIn.requests().map((r) => r.prompt)).toEqual(['incident', 'analysis']);
    expect((await control(standIn, 'GET', 'stats')).json).toMatchObject({ incidentCalls: 1 });
  });

  it('counts a failed incident request as an incident request too', async () => {
    await ask({}, { 'x-stand-in-fault': 'unavailable' });
    expect(standIn.stats()).toMatchObject({ calls: 1, incidentCalls: 1, byStatus: { '503': 1 } });
  });

  it('answers in Chinese when the prompt asks for it', async () => {
    const res = await ask({}, {}, { language: 'zh-CN' });
    expect(JSON.parse(res.json.choices[0].message.content)).toEqual(describeIncident(evidence, 'zh-CN'));
  });

  it('sends reasoning_content for reasoning models and <think> blocks when scripted', async () => {
    const qwq = await ask({ model: 'Qwen/QwQ-32B' });
    expect(qwq.json.choices[0].message.reasoning_content).toContain('incident with 2 signals across payment-api, gateway');
    expect(JSON.parse(qwq.json.choices[0].message.content)).toEqual(story);
    const think = await ask({}, { 'x-stand-in-fault': 'think_inline' });
    const content = think.json.choices[0].message.content;
    expect(content.startsWith('<think>')).toBe(true);
    expect(JSON.parse(content.slice(content.indexOf('</think>') + 8))).toEqual(story);
  });

  it('applies the content faults to the story', async () => {
    const malformed = (await ask({}, { 'x-stand-in-fault': 'malformed' })).json.choices[0].message.content;
    expect(malformed).toContain(story.title);
    expect(malformed).not.toMatch(/[{}[\]]/);
    const bad = JSON.parse((await ask({}, { 'x-stand-in-fault': 'bad_schema' })).json.choices[0].message.content);
    expect(bad.severity).toBe('urgent');
    const missing = JSON.parse((await ask({}, { 'x-stand-in-fault': 'missing_result' })).json.choices[0].message.content);
    expect(missing).not.toHaveProperty('first_cause');
    const cut = await ask({ max_tokens: 100 }, { 'x-stand-in-fault': 'length' });
    expect(cut.json.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: '' } });
    const fenced = (await ask({}, { 'x-stand-in-fault': 'fenced' })).json.choices[0].message.content;
    expect(fenced).toContain('```json');
  });

  it('answers a repair turn with the correct story', async () => {
    const res = await ask({}, {}, { repairOf: '{"severity":"urgent"}' });
    expect(JSON.parse(res.json.choices[0].message.content)).toEqual(story);
  });
});
