import { describe, expect, it } from 'vitest';
import { TemplateMiner, extractParams, templateId } from '../src/index.js';
import { buildLine, messages } from './factories.js';

describe('TemplateMiner.add', () => {
  it('creates a template, then reports repeats as unchanged', () => {
    const miner = new TemplateMiner();
    const first = miner.add(buildLine({ message: messages.block(1, 67108864) }));
    expect(first.changeType).toBe('created');
    expect(first.template).toBe('Received block blk_<*> of size <*> from <*>');
    expect(first.templateId).toBe(templateId(first.template));
    const again = miner.add(buildLine({ message: messages.block(77, 512), second: 31 }));
    expect(again).toMatchObject({ changeType: 'none', templateId: first.templateId, size: 2 });
    expect(again.params).toEqual(['77', '512', '/10.0.0.77']);
  });

  it('generalises a differing token and reports the previous id and template', () => {
    // Drain's own rule (wordVariants 1): the first differing word generalises.
    const miner = new TemplateMiner({ wordVariants: 1 });
    const a = miner.add(buildLine({ message: messages.query('orders', 12) }));
    const b = miner.add(buildLine({ message: messages.query('users', 40) }));
    expect(b.changeType).toBe('updated');
    expect(b.template).toBe('Query on table <*> finished in <*>');
    expect(b.previous).toEqual({ templateId: a.templateId, template: a.template });
    expect(b.params).toEqual(['users', '40ms']);
    expect(miner.templates()).toEqual([{ templateId: b.templateId, template: b.template, size: 2 }]);
  });

  it('keeps different message shapes apart', () => {
    const miner = new TemplateMiner();
    const lines = [
      messages.login('alice', '10.0.0.1'),
      messages.block(5, 10),
      messages.query('orders', 3),
      messages.cache('k1'),
      messages.shutdown(),
    ];
    const ids = new Set(lines.map((message) => miner.add(buildLine({ message })).templateId));
    expect(ids.size).toBe(5);
    expect(miner.size).toBe(5);
  });

  it('does not split a template by header style, level or thread', () => {
    const miner = new TemplateMiner();
    const ids = new Set([
      miner.add(buildLine({ header: 'iso', thread: 'pool-1-thread-9', message: messages.shutdown() })).templateId,
      miner.add(buildLine({ header: 'syslog', message: messages.shutdown() })).templateId,
      miner.add(buildLine({ header: 'apache', level: 'ERROR', message: messages.shutdown() })).templateId,
      miner.add(buildLine({ header: 'pipe', message: messages.shutdown() })).templateId,
      miner.add(buildLine({ header: 'spring', message: messages.shutdown() })).templateId,
      miner.addMessage(messages.shutdown()).templateId,
    ]);
    expect(ids.size).toBe(1);
  });

  it('learns from messages whose header the caller already removed', () => {
    const miner = new TemplateMiner();
    // Without stripping, a message that looks like a header keeps its leading words.
    const r = miner.addMessage('2024-01-01 INFO [x] said hello');
    expect(r.template).toBe('<*> INFO [x] said hello');
    const off = new TemplateMiner({ stripHeader: false });
    expect(off.add('2024-01-01 INFO [x] said hello').template).toBe('<*> INFO [x] said hello');
  });

  it('evicts the least recently used template beyond maxClusters', () => {
    const miner = new TemplateMiner({ maxClusters: 2 });
    const a = miner.addMessage(messages.shutdown());
    const b = miner.addMessage(messages.cache('k'));
    miner.addMessage(messages.shutdown()); // a is now more recent than b
    const c = miner.addMessage(messages.login('bob', '10.0.0.9'));
    expect(c.evictedIds).toEqual([b.templateId]);
    expect(miner.templates().map((t) => t.templateId).sort()).toEqual([a.templateId, c.templateId].sort());
    expect(miner.matchMessage(messages.cache('k'))).toBeNull();
  });

  it('sends tokens past maxChildren down the shared wildcard branch', () => {
    const miner = new TemplateMiner({ maxChildren: 2, depth: 3, similarityThreshold: 0.6, wordVariants: 1 });
    miner.addMessage('alpha one x');
    miner.addMessage('beta one x');
    // The node under length 3 is full: gamma and delta share the wildcard branch and can merge.
    expect(miner.addMessage('gamma one x').changeType).toBe('created');
    expect(miner.addMessage('delta one x')).toMatchObject({ changeType: 'updated', template: '<*> one x' });
    expect(miner.snapshot().clusters.map((c) => c.path)).toEqual([['alpha'], ['beta'], ['<*>']]);
  });

  it('does not start a template per value of a variable second word', () => {
    const miner = new TemplateMiner();
    for (const user of ['alice', 'bob', 'carol', 'dave']) miner.addMessage(`User ${user} logged out after 5 seconds`);
    expect(miner.templates()).toEqual([
      expect.objectContaining({ template: 'User <*> logged out after <*> seconds', size: 4 }),
    ]);
    // The generalised template now lives on the `<*>` branch, and snapshots record that.
    expect(miner.snapshot().clusters.map((c) => c.path)).toEqual([['User', '<*>']]);
    expect(miner.matchMessage('User erin logged out after 9 seconds')?.params).toEqual(['erin', '9']);
  });

  it('handles empty messages as one template', () => {
    const miner = new TemplateMiner();
    expect(miner.addMessage('').changeType).toBe('created');
    expect(miner.addMessage('   ')).toMatchObject({ changeType: 'none', template: '', params: [] });
  });

  it('treats lines below the similarity threshold as new templates', () => {
    const strict = new TemplateMiner({ similarityThreshold: 0.9 });
    strict.addMessage('disk sda is full now');
    expect(strict.addMessage('disk sda was empty now').changeType).toBe('created');
    const loose = new TemplateMiner({ similarityThreshold: 0.5, wordVariants: 1 });
    loose.addMessage('disk sda is full now');
    expect(loose.addMessage('disk sda was empty now')).toMatchObject({
      changeType: 'updated',
      template: 'disk sda <*> <*> now',
    });
  });

  it('rejects unusable options', () => {
    expect(() => new TemplateMiner({ depth: 2 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ similarityThreshold: 1.5 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ maxClusters: 0 })).toThrow(RangeError);
  });
});

describe('TemplateMiner.match', () => {
  it('finds the template without learning', () => {
    const miner = new TemplateMiner({ wordVariants: 1 });
    miner.add(buildLine({ message: messages.query('orders', 1) }));
    miner.add(buildLine({ message: messages.query('users', 2) }));
    const before = miner.templates();
    const m = miner.match(buildLine({ header: 'syslog', message: messages.query('events', 9) }));
    expect(m).toEqual({ templateId: before[0]?.templateId, template: 'Query on table <*> finished in <*>', params: ['events', '9ms'] });
    expect(miner.templates()).toEqual(before);
    expect(miner.match(buildLine({ message: 'Totally unrelated words here' }))).toBeNull();
  });
});

describe('extractParams and templateId', () => {
  it('extracts values and rejects lines that do not fit', () => {
    expect(extractParams('Invalid user <*> from <*>', 'Invalid user admin from 1.2.3.4')).toEqual(['admin', '1.2.3.4']);
    expect(extractParams('session opened for user <*> by (uid=<*>)', 'Jun 15 04:06:18 combo su[1]: session opened for user cyrus by (uid=0)')).toEqual(['cyrus', '0']);
    expect(extractParams('Invalid user <*> from <*>', 'Valid user admin from 1.2.3.4')).toBeNull();
  });

  it('derives a fixed id from the text alone', () => {
    // Pinned: a change here would re-key every stored template in every deployment.
    expect(templateId('User <*> logged in from <*>')).toBe('5f0dac0ef1433ce3');
    expect(templateId('')).toMatch(/^[0-9a-f]{16}$/);
    expect(templateId('a <*>')).not.toBe(templateId('a  <*>'));
  });
});
