import { describe, expect, it } from 'vitest';
import { TemplateMiner } from '../src/index.js';
import { buildLine, messages } from './factories.js';

function trainedMiner(): TemplateMiner {
  const miner = new TemplateMiner({ maxClusters: 3, similarityThreshold: 0.6, masks: { custom: [{ name: 'ticket', pattern: /T-\d+/ }] } });
  miner.add(buildLine({ message: messages.query('orders', 5) }));
  miner.add(buildLine({ message: messages.query('users', 6) }));
  miner.add(buildLine({ header: 'syslog', message: messages.login('bob', '10.0.0.2') }));
  miner.add(buildLine({ message: 'Closed T-42 as done' }));
  return miner;
}

describe('snapshot and restore', () => {
  it('is versioned JSON that carries options and templates', () => {
    const snap = JSON.parse(JSON.stringify(trainedMiner().snapshot())) as Record<string, unknown>;
    expect(snap).toMatchObject({ format: 'logsage.log-patterns', version: 1 });
    expect(snap.options).toMatchObject({ maxClusters: 3, similarityThreshold: 0.6 });
    expect(snap.clusters).toHaveLength(3);
  });

  it('restores options, templates, custom masks and LRU order', () => {
    const miner = trainedMiner();
    const copy = TemplateMiner.restore(JSON.stringify(miner.snapshot()));
    expect(copy.options).toEqual(miner.options);
    expect(copy.templates()).toEqual(miner.templates());
    expect(copy.add(buildLine({ message: 'Closed T-7 as done' })).template).toBe('Closed <*> as done');
    // The least recently used template is the same, so both evict the same one next.
    const line = buildLine({ message: messages.cache('k9') });
    miner.add(buildLine({ message: 'Closed T-7 as done' }));
    const evicted = miner.add(line).evictedIds;
    expect(evicted).toHaveLength(1);
    expect(copy.add(line).evictedIds).toEqual(evicted);
  });

  it('rejects data that is not a snapshot of this version', () => {
    const good = trainedMiner().snapshot();
    expect(() => TemplateMiner.restore({ ...good, version: 2 })).toThrow(/unsupported version/);
    expect(() => TemplateMiner.restore({ ...good, format: 'other' })).toThrow(/not a log-patterns snapshot/);
    expect(() => TemplateMiner.restore({ ...good, clusters: [{ template: 'x', path: [], size: 0 }] })).toThrow(/size/);
    expect(() => TemplateMiner.restore({ ...good, options: { ...good.options, builtins: ['nope'] } })).toThrow(/builtins/);
    expect(() => TemplateMiner.restore('not json')).toThrow();
  });
});
