import { describe, expect, it } from 'vitest';
import { parseStory, STORY_LIMITS } from '../src/output/incident.js';

const good = {
  title: 'Rate spike in payment-api',
  summary: 'Charges failed.',
  timeline: [
    { at: '2026-01-02T03:06:00+00:00', text: 'errors in checkout' },
    { at: '2026-01-02T03:04:00Z', text: 'charges time out' },
  ],
  first_cause: 'upstream timeouts',
  affected_services: ['payment-api', 'checkout'],
  next_steps: ['check the upstream'],
  severity: 'high',
  confidence: 0.7,
};

describe('incident story output', () => {
  it('reads a story after reasoning and fences, sorting the timeline into ISO times', () => {
    const parsed = parseStory(`<think>the incident {not json}</think>\n\`\`\`json\n${JSON.stringify(good)}\n\`\`\``);
    expect(parsed).toEqual({
      ok: true,
      story: {
        title: 'Rate spike in payment-api',
        summary: 'Charges failed.',
        timeline: [
          { at: '2026-01-02T03:04:00.000Z', text: 'charges time out' },
          { at: '2026-01-02T03:06:00.000Z', text: 'errors in checkout' },
        ],
        firstCause: 'upstream timeouts',
        affectedServices: ['payment-api', 'checkout'],
        nextSteps: ['check the upstream'],
        severity: 'high',
        confidence: 0.7,
      },
    });
  });

  it('rejects prose, cut JSON, a wrong severity, a missing field and an empty title', () => {
    expect(parseStory('The incident was bad.')).toMatchObject({ ok: false });
    expect(parseStory(JSON.stringify(good).slice(0, 50))).toMatchObject({ ok: false, error: expect.stringContaining('incomplete') as string });
    expect(parseStory(JSON.stringify({ ...good, severity: 'urgent' }))).toMatchObject({ ok: false, error: expect.stringContaining('/severity') as string });
    const { first_cause: _, ...missing } = good;
    expect(parseStory(JSON.stringify(missing))).toMatchObject({ ok: false });
    expect(parseStory(JSON.stringify({ ...good, title: '   ' }))).toMatchObject({ ok: false });
    expect(parseStory('<think>reasoning cut short {"title":')).toMatchObject({ ok: false });
  });

  it('fixes cosmetic slips instead of asking for a repair', () => {
    const parsed = parseStory(JSON.stringify({ ...good, severity: 'High', confidence: 85, next_steps: 'restart it', affected_services: 'payment-api' }));
    expect(parsed).toMatchObject({ ok: true, story: { severity: 'high', confidence: 0.85, nextSteps: ['restart it'], affectedServices: ['payment-api'] } });
  });

  it('bounds every length and drops timeline entries without a readable time', () => {
    const long = 'z'.repeat(10_000);
    const parsed = parseStory(
      JSON.stringify({
        ...good,
        title: long,
        summary: long,
        first_cause: long,
        timeline: [...Array.from({ length: 40 }, (_, i) => ({ at: new Date(Date.UTC(2026, 0, 2, 3, i)).toISOString(), text: long })), { at: 'yesterday', text: 'x' }],
        affected_services: Array.from({ length: 50 }, (_, i) => `svc-${i}`),
        next_steps: Array.from({ length: 9 }, (_, i) => `step ${i} ${long}`),
      }),
    );
    if (!parsed.ok) throw new Error(parsed.error);
    const s = parsed.story;
    expect(Array.from(s.title)).toHaveLength(STORY_LIMITS.titleChars);
    expect(Array.from(s.summary)).toHaveLength(STORY_LIMITS.summaryChars);
    expect(Array.from(s.firstCause)).toHaveLength(STORY_LIMITS.firstCauseChars);
    expect(s.timeline).toHaveLength(STORY_LIMITS.timelineEntries);
    expect(s.timeline.every((e) => Array.from(e.text).length === STORY_LIMITS.timelineTextChars)).toBe(true);
    expect(s.affectedServices).toHaveLength(STORY_LIMITS.services);
    expect(s.nextSteps).toHaveLength(STORY_LIMITS.nextSteps);
  });
});
