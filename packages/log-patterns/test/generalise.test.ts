import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, TemplateMiner } from '../src/index.js';
import { stretchFits } from '../src/stretch.js';

describe('default masking and clustering', () => {
  it('masks inside quoted strings: a quoted method stays a word of the template', () => {
    expect(DEFAULT_OPTIONS.builtins).not.toContain('quoted');
    const miner = new TemplateMiner();
    expect(miner.addMessage('10.0.0.1 "GET /api/v1/users/42 HTTP/1.1" 200').template).toBe('<*> "GET <*> HTTP/<*>" <*>');
    // Told apart once a word must vary before it becomes a parameter.
    const apart = new TemplateMiner({ wordVariants: 3 });
    apart.addMessage('10.0.0.1 "GET /api/v1/users/42 HTTP/1.1" 200');
    expect(apart.addMessage('10.0.0.2 "POST /api/v1/users/43 HTTP/1.1" 201').template).toBe('<*> "POST <*> HTTP/<*>" <*>');
    expect(apart.size).toBe(2);
  });

  it('treats host names as parameters by their shape, class names as words', () => {
    const miner = new TemplateMiner();
    const r = miner.addMessage('reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com failed');
    expect(r.template).toBe('reverse mapping checking getaddrinfo for <*> failed');
    expect(miner.addMessage('open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS').template).toBe('open through proxy <*> HTTPS');
    expect(miner.addMessage('Loaded org.apache.hadoop.Foo ok').template).toBe('Loaded org.apache.hadoop.Foo ok');
  });

  it('keeps a size with its unit as one value, so units do not split an event', () => {
    const miner = new TemplateMiner();
    const a = miner.addMessage('Block rdd_1 stored (estimated size 16.0 KB, free 413.9 MB)');
    const b = miner.addMessage('Block rdd_2 stored (estimated size 384 B, free 412.1 MB)');
    expect(b.templateId).toBe(a.templateId);
    expect(b.template).toBe('Block rdd_<*> stored (estimated size <*>, free <*>)');
    expect(b.params).toEqual(['2', '384 B', '412.1 MB']);
  });

  it('masks key=value values by their shape only', () => {
    const miner = new TemplateMiner();
    expect(miner.addMessage('login uid=0 user=root').template).toBe('login uid=<*> user=root');
  });

  it('lets a value written as several tokens join its template instead of starting one per length', () => {
    const miner = new TemplateMiner();
    const a = miner.addMessage('Session closed after 00:01 for <b> done');
    miner.addMessage('Session closed after 00:02 for <c> done');
    const c = miner.addMessage('Session closed after 1 5 for <d> done');
    expect(stretchFits(['after', '<*>', 'x'], ['after', '<*>', '<*>', 'x'])).toBe(true);
    expect(stretchFits(['after', '<*>', 'x'], ['after', '<*>', 'word', 'x'])).toBe(false);
    expect(stretchFits(['a', '<*>'], ['a'])).toBe(false);
    expect(a.template).toBe('Session closed after <*> for <b> done');
    expect(c).toMatchObject({ changeType: 'none', template: 'Session closed after <*> for <*> done', params: ['1 5', '<d>'] });
  });

  it('keeps a rare line out of a general template it matches only by wildcards', () => {
    const miner = new TemplateMiner();
    miner.addMessage('job 1 took 5 ms on node 7');
    miner.addMessage('job 2 took 9 ms on node 3');
    const odd = miner.addMessage('<*> 8 <*> 4 <*> 6 <*> 2');
    expect(odd.changeType).toBe('created');
  });

  it('with wordVariants, keeps events that differ by one word apart until the word varies', () => {
    const miner = new TemplateMiner({ wordVariants: 3 });
    const bytes = miner.addMessage('Block 7 stored as bytes in memory');
    const values = miner.addMessage('Block 8 stored as values in memory');
    expect(values.templateId).not.toBe(bytes.templateId);
    const third = miner.addMessage('Block 9 stored as blobs in memory');
    expect(third.template).toBe('Block <*> stored as <*> in memory');
    expect([...(third.mergedIds ?? []), third.previous?.templateId].sort()).toEqual([bytes.templateId, values.templateId].sort());
    expect(miner.size).toBe(1);
    const restored = TemplateMiner.restore(JSON.stringify(miner.snapshot()));
    expect(restored.options.wordVariants).toBe(3);
  });
});
