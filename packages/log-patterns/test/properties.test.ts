import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TemplateMiner, WILDCARD, extractParams } from '../src/index.js';
import type { AddResult } from '../src/index.js';
import { buildLine } from './factories.js';
import type { HeaderStyle } from './factories.js';

const word = fc.constantFrom('orders', 'users', 'alice', 'bob', 'cache', 'disk', 'sda', 'eth0x');
const num = fc.integer({ min: 0, max: 1_000_000 });
const ip = fc.ipV4();

// Message shapes with variable slots; several share leading words so they meet in one leaf.
const message = fc.oneof(
  fc.tuple(word, num).map(([t, n]) => `Query on table ${t} finished in ${n}ms`),
  fc.tuple(word, ip).map(([u, a]) => `Accepted password for ${u} from ${a} port 22 ssh2`),
  fc.tuple(word, ip).map(([u, a]) => `Failed password for ${u} from ${a} port 22 ssh2`),
  fc.tuple(num, num).map(([b, s]) => `Received block blk_${b} of size ${s}`),
  fc.tuple(word, word).map(([a, b]) => `Query plan for ${a} uses index ${b}`),
  fc.constant('Shutting down the scheduler'),
  fc.tuple(word, num).map(([k, n]) => `cache key="${k} ${n}" evicted`),
);
const header = fc.constantFrom<HeaderStyle>('iso', 'syslog', 'apache', 'pipe', 'spring', 'none');
const line = fc.tuple(header, message, fc.integer({ min: 0, max: 59 })).map(([h, m, second]) =>
  buildLine({ header: h, message: m, second }),
);
const lines = fc.array(line, { minLength: 1, maxLength: 60 });

/** Follows reported id changes so each line can be checked against its cluster's final template. */
function follow(results: AddResult[]): (id: string) => string {
  const next = new Map<string, string>();
  for (const r of results) {
    if (r.previous !== undefined && r.previous.templateId !== r.templateId) next.set(r.previous.templateId, r.templateId);
    for (const m of r.mergedIds ?? []) next.set(m, r.templateId);
  }
  return (id) => {
    let cur = id;
    for (let guard = 0; next.has(cur) && guard < 1000; guard++) cur = next.get(cur) ?? cur;
    return cur;
  };
}

describe('miner properties', () => {
  it('a line always fits the template it was assigned, then and after later lines', () => {
    fc.assert(
      fc.property(lines, (input) => {
        const miner = new TemplateMiner();
        const results = input.map((l) => {
          const r = miner.add(l);
          expect(extractParams(r.template, l)).not.toBeNull();
          expect(r.params).toHaveLength(r.template.split(WILDCARD).length - 1);
          return r;
        });
        const resolve = follow(results);
        const final = new Map(miner.templates().map((t) => [t.templateId, t.template]));
        input.forEach((l, i) => {
          const template = final.get(resolve(results[i]?.templateId ?? ''));
          expect(template).toBeDefined();
          expect(extractParams(template ?? '', l)).not.toBeNull();
          const m = miner.match(l);
          expect(m).not.toBeNull();
          expect(extractParams(m?.template ?? '', l)).not.toBeNull();
        });
      }),
      { numRuns: 150 },
    );
  });

  it('counts every line once and never holds two templates with the same text', () => {
    fc.assert(
      fc.property(lines, (input) => {
        const miner = new TemplateMiner();
        for (const l of input) miner.add(l);
        const t = miner.templates();
        expect(t.reduce((n, x) => n + x.size, 0)).toBe(input.length);
        expect(new Set(t.map((x) => x.template)).size).toBe(t.length);
      }),
      { numRuns: 150 },
    );
  });

  it('snapshot then restore gives the same assignments as the original miner', () => {
    fc.assert(
      fc.property(lines, lines, fc.integer({ min: 1, max: 8 }), (before, after, maxClusters) => {
        const original = new TemplateMiner({ maxClusters });
        for (const l of before) original.add(l);
        const restored = TemplateMiner.restore(JSON.stringify(original.snapshot()));
        expect(restored.templates()).toEqual(original.templates());
        for (const l of after) expect(restored.add(l)).toEqual(original.add(l));
        expect(restored.snapshot()).toEqual(original.snapshot());
      }),
      { numRuns: 150 },
    );
  });

  it('ids agree across instances fed in different orders when the templates agree', () => {
    fc.assert(
      fc.property(
        lines.chain((input) => fc.tuple(fc.constant(input), fc.shuffledSubarray(input, { minLength: input.length }))),
        ([ordered, shuffled]) => {
          const a = new TemplateMiner();
          const b = new TemplateMiner();
          for (const l of ordered) a.add(l);
          for (const l of shuffled) b.add(l);
          const textsA = a.templates().map((t) => t.template).sort();
          const textsB = b.templates().map((t) => t.template).sort();
          fc.pre(JSON.stringify(textsA) === JSON.stringify(textsB));
          const idsA = a.templates().map((t) => `${t.template} ${t.templateId}`).sort();
          const idsB = b.templates().map((t) => `${t.template} ${t.templateId}`).sort();
          expect(idsB).toEqual(idsA);
          for (const l of ordered) expect(b.match(l)?.templateId).toBe(a.match(l)?.templateId);
        },
      ),
      { numRuns: 150 },
    );
  });
});
