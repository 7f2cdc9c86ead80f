import { describe, expect, it } from 'vitest';
import { LayoutLearner, TemplateMiner, inferLayout } from '../src/index.js';
import { groupingAccuracy } from '../../../bench/patterns/accuracy.js';
import { counter } from './factories.js';
import { randomLayout, wrap } from './fuzz.js';

// Generated messages with their ground truth: event shapes with varying parameters, some sharing
// leading words, none read from disk.
function fixture(count: number, seed: number): { messages: string[]; truth: string[] } {
  const next = counter(seed);
  const users = ['alice', 'bob', 'carol', 'dave'];
  const shapes: ((n: number) => string)[] = [
    (n) => `Accepted password for ${users[n % 4]} from 10.0.${n % 256}.${n % 97} port ${n % 65535} ssh2`,
    (n) => `Failed password for ${users[n % 4]} from 10.0.${n % 256}.${n % 97} port ${n % 65535} ssh2`,
    (n) => `Received block blk_${n} of size ${n % 99999} from /10.1.${n % 255}.${n % 13}`,
    (n) => `Deleting block blk_${n} file /data/dfs/current/subdir${n % 64}/blk_${n}`,
    (n) => `Query on table ${users[n % 4]} finished in ${n % 900}ms`,
    (n) => `Cache miss for key session:${(n * 2654435761).toString(16)}`,
    () => 'Shutting down the scheduler',
    (n) => `Worker ${n % 64} finished job ${n} in ${n % 10000} ms`,
    (n) => `Connection from ${users[n % 4]} closed after ${n % 300} seconds`,
    (n) => `GC pause ${n % 300}ms, heap ${n % 4096}MB -> ${(n * 7) % 4096}MB`,
    (n) => `Starting container container_${n % 9}_${n % 1000} on node-${n % 40}`,
    () => 'Health check passed',
  ];
  const messages: string[] = [];
  const truth: string[] = [];
  // The generator's high bits: its low bits repeat with a short period and would draw a few
  // shapes and users only.
  const draw = (): number => next() >>> 12;
  for (let i = 0; i < count; i++) {
    const k = draw() % shapes.length;
    messages.push((shapes[k] as (n: number) => string)(draw() % 100_000));
    truth.push(String(k));
  }
  return { messages, truth };
}

function groups(miner: TemplateMiner, lines: readonly string[], raw: boolean): string[] {
  if (raw) miner.prime(lines.slice(0, 64));
  lines.forEach((l) => (raw ? miner.add(l) : miner.addMessage(l)));
  // Final assignment: the template each line matches once every line was learned.
  return lines.map((l) => (raw ? miner.match(l) : miner.matchMessage(l))?.templateId ?? 'none');
}

describe('header inference (format fuzzer)', () => {
  const { messages, truth } = fixture(600, 42);

  it('recovers the exact message under 80 randomly drawn header layouts', () => {
    for (let seed = 1; seed <= 80; seed++) {
      const lines = wrap(messages, seed);
      const learner = new LayoutLearner();
      learner.prime(lines);
      const wrong = lines.filter((l, i) => learner.split(l).message !== messages[i]);
      expect({ seed, layout: learner.layout, wrong: wrong.length, example: wrong[0] }).toMatchObject({ wrong: 0 });
    }
  });

  it('groups wrapped lines within 0.02 GA of the bare messages', () => {
    const bare = groupingAccuracy(groups(new TemplateMiner(), messages, false), truth);
    expect(bare).toBeGreaterThan(0.9);
    for (let seed = 100; seed < 130; seed++) {
      const wrapped = groupingAccuracy(groups(new TemplateMiner(), wrap(messages, seed), true), truth);
      expect({ seed, ga: wrapped }).toEqual({ seed, ga: expect.closeTo(bare, 1.5) as number });
      expect(wrapped).toBeGreaterThanOrEqual(bare - 0.02);
    }
  });

  it('leaves lines whole when a source shows no consistent header', () => {
    const learner = new LayoutLearner();
    learner.prime(messages);
    expect(learner.layout).toBe('');
    expect(learner.split(messages[3] ?? '').message).toBe(messages[3]);
    expect(inferLayout(['42 users online', 'Disk full', '[preauth] closed', 'INFO is a word here'])).toBe('');
  });

  it('keeps a message whose first words repeat on every line', () => {
    const lines = Array.from({ length: 64 }, (_, i) => `2024-01-01 10:00:${String(i % 60).padStart(2, '0')} INFO User u${i} logged in after ${i} s`);
    const learner = new LayoutLearner();
    learner.prime(lines);
    expect(learner.split(lines[5] ?? '').message).toBe('User u5 logged in after 5 s');
  });

  it('surfaces the timestamp, level, host and component a header carried', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `Mar  4 10:00:${String(i % 60).padStart(2, '0')} web-${i % 3} sshd[${100 + i}]: Accepted key ${i}`);
    const learner = new LayoutLearner();
    learner.prime(lines);
    expect(learner.split(lines[7] ?? '')).toEqual({
      message: 'Accepted key 7',
      fields: { timestamp: 'Mar  4 10:00:07', host: 'web-1', component: 'sshd' },
    });
    const iso = Array.from({ length: 40 }, (_, i) => `2024-03-04T10:00:00.${100 + i}Z [worker-${i % 4}] WARN com.acme.Pool - slow ${i}`);
    learner.prime([]);
    const other = new LayoutLearner();
    other.prime(iso);
    expect(other.split(iso[2] ?? '').fields).toMatchObject({ timestamp: '2024-03-04T10:00:00.102Z', level: 'WARN' });
    expect(other.split(iso[2] ?? '').message).toBe('slow 2');
    // A date and a clock as two bare numbers (yyMMdd HHmmss); a pid after them is not part of it.
    const compact = Array.from({ length: 40 }, (_, i) => `081109 2036${String(i % 60).padStart(2, '0')} ${140 + i} INFO dfs.DataNode: Receiving block blk_${i}`);
    const third = new LayoutLearner();
    third.prime(compact);
    expect(third.split(compact[5] ?? '')).toEqual({
      message: 'Receiving block blk_5',
      fields: { timestamp: '081109 203605', level: 'INFO', component: 'dfs.DataNode' },
    });
  });

  it('learns a source again when its format changes', () => {
    const before = wrap(messages, 7);
    const after = wrap(messages, 8).concat(wrap(messages, 8));
    const learner = new LayoutLearner();
    for (const l of before) learner.observe(l);
    const old = learner.layout;
    for (const l of after) learner.observe(l);
    expect(learner.layout).not.toBe(old);
    expect(learner.split(after[after.length - 1] ?? '').message).toBe(messages[messages.length - 1]);
  });

  it('keeps each source layout apart and across a snapshot', () => {
    const miner = new TemplateMiner();
    const a = wrap(messages, 11);
    const b = wrap(messages, 12);
    miner.prime(a, 'a');
    miner.prime(b, 'b');
    const restored = TemplateMiner.restore(JSON.stringify(miner.snapshot()));
    expect(restored.split(a[9] ?? '', 'a').message).toBe(messages[9]);
    expect(restored.split(b[9] ?? '', 'b').message).toBe(messages[9]);
    expect(randomLayout(11)(0)).not.toBe(randomLayout(12)(0));
  });
});
