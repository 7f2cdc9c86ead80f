import { describe, expect, it } from 'vitest';
import { ServiceSpans } from '../src/modules/ingest/service-spans.js';
import type { LogRow } from '../src/modules/ingest/index.js';

const MIN = 60_000;
const row = (service: string, ts: number): LogRow => ({ ts, level: 'info', service, message: 'm', attributes: {}, eventId: null });

describe('the services the ingest remembers writing', () => {
  it('writes a new service once with the span of its rows, then only when its times move', () => {
    const spans = new ServiceSpans();
    const first = spans.toWrite([row('api', 10 * MIN), row('api', 12 * MIN), row('db', 11 * MIN)]);
    expect(first).toEqual([{ name: 'api', first: 10 * MIN, last: 12 * MIN }, { name: 'db', first: 11 * MIN, last: 11 * MIN }]);
    spans.committed(first);
    // Within a minute of the last time written: the table is left alone.
    expect(spans.toWrite([row('api', 12 * MIN + 30_000), row('db', 11 * MIN)])).toEqual([]);
    // An earlier time always moves first_seen; a later one past the minute moves last_seen.
    expect(spans.toWrite([row('api', 9 * MIN)])).toEqual([{ name: 'api', first: 9 * MIN, last: 9 * MIN }]);
    expect(spans.toWrite([row('db', 13 * MIN)])).toEqual([{ name: 'db', first: 13 * MIN, last: 13 * MIN }]);
  });

  it('keeps writing a span whose flush never committed', () => {
    const spans = new ServiceSpans();
    const lost = spans.toWrite([row('api', MIN)]);
    expect(lost).toHaveLength(1);
    // No committed() call: the rolled-back flush taught nothing.
    expect(spans.toWrite([row('api', MIN)])).toEqual(lost);
  });
});
