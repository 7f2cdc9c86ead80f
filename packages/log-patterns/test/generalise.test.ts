import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, TemplateMiner, extractParams } from '../src/index.js';
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
    const miner = new TemplateMiner({ wordVariants: 1 });
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

  it('by default, a word becomes a parameter once a fourth value is seen at its place', () => {
    expect(DEFAULT_OPTIONS.wordVariants).toBe(4);
    const miner = new TemplateMiner();
    const ids = ['orders', 'users', 'events'].map((t) => miner.addMessage(`Query on table ${t} finished in 5ms`).templateId);
    expect(new Set(ids).size).toBe(3);
    const fourth = miner.addMessage('Query on table audit finished in 7ms');
    expect(fourth.template).toBe('Query on table <*> finished in <*>');
    expect(miner.size).toBe(1);
  });

  it('keeps a line apart when it differs from a template in a word that is partly a value', () => {
    const miner = new TemplateMiner();
    const ssh = (host: string): string => `authentication failure; logname= uid=0 tty=NODEVssh ruser= rhost=${host}`;
    for (let i = 1; i <= 5; i++) miner.addMessage(ssh(`10.0.0.${i}`));
    const local = miner.addMessage('authentication failure; logname= uid=0 tty=:0 ruser= rhost=');
    expect(local.changeType).toBe('created');
    expect(miner.matchMessage(ssh('10.0.0.9'))?.template).toBe('authentication failure; logname= uid=<*> tty=NODEVssh ruser= rhost=<*>');
  });

  it('keeps two words that change together apart: they name a transition, not a value', () => {
    const miner = new TemplateMiner();
    const states = [['NEW', 'SCHEDULED'], ['SCHEDULED', 'RUNNING'], ['RUNNING', 'SUCCEEDED'], ['RUNNING', 'FAILED'], ['NEW', 'KILLED']];
    for (const [from, to] of states) miner.addMessage(`task_${from?.length ?? 0}1 Transitioned from ${from} to ${to}`);
    expect(miner.size).toBe(states.length);
  });

  it('masks a compound id as one value, not a list of values', () => {
    const miner = new TemplateMiner();
    const map = miner.addMessage('attempt_1445144423722_0020_m_000000_0 TaskAttempt Transitioned from NEW to UNASSIGNED');
    const reduce = miner.addMessage('attempt_1445144423722_0020_r_000000_0 TaskAttempt Transitioned from NEW to UNASSIGNED');
    expect(reduce.templateId).toBe(map.templateId);
    expect(map.template).toBe('attempt_<*> TaskAttempt Transitioned from NEW to UNASSIGNED');
    expect(miner.addMessage('steps 10|20|30 done').template).toBe('steps <*>|<*>|<*> done');
  });

  it('folding word variants keeps the <*> of a variant, so every folded line still fits', () => {
    const miner = new TemplateMiner();
    const lines = ['Query plan for disk uses index eth0x', 'Query plan for sda uses index cache', 'Query plan for orders uses index cache', 'Query plan for bob uses index cache'];
    const results = lines.map((l) => miner.addMessage(l));
    expect(results[0]?.template).toBe('Query plan for disk uses index <*>');
    expect(results[3]?.mergedIds).toHaveLength(2);
    expect(miner.templates().map((t) => t.template)).toEqual(['Query plan for <*> uses index <*>']);
    for (const l of lines) expect(extractParams(miner.matchMessage(l)?.template ?? '', l), l).not.toBeNull();
  });
});
