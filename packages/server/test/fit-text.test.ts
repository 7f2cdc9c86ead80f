import { describe, expect, it } from 'vitest';
import { fitText, quotedValues, textFitter } from '../src/modules/analysis/fit-text.js';

describe('fitting a reused verdict text to a line', () => {
  const rep = 'worker-17: heap usage 11MB over limit';
  const summary = 'worker-17 ran out of heap at 11MB; the limit was reached';

  it('finds the representative values the text quotes, whole tokens only', () => {
    expect(quotedValues(rep, [summary]).sort()).toEqual(['11MB', 'heap', 'limit', 'worker-17'].sort());
    expect(quotedValues('job 7 used 111MB', ['it took 1111MB at 17'])).toEqual([]);
  });

  it('puts the line\'s own values where the lines align, and keeps what they share', () => {
    const line = 'worker-3: heap usage 512MB over limit';
    const out = fitText(summary, rep, line, quotedValues(rep, [summary]));
    expect(out).toBe('worker-3 ran out of heap at 512MB; the limit was reached');
  });

  it('masks a value the line does not have when the lines do not align', () => {
    const line = 'worker-3: heap usage 512MB over soft limit';
    const out = fitText(summary, rep, line, quotedValues(rep, [summary]));
    expect(out).not.toContain('worker-17');
    expect(out).not.toContain('11MB');
    expect(out).toBe('<*> ran out of heap at <*>; the limit was reached');
  });

  it('leaves the representative\'s own text and texts that quote nothing alone', () => {
    expect(fitText(summary, rep, rep, quotedValues(rep, [summary]))).toBe(summary);
    expect(fitText('Heap exhausted', rep, 'worker-3: heap usage 512MB over limit', [])).toBe('Heap exhausted');
  });

  it('one prepared fitter serves many lines and texts, each fitted to its own line', () => {
    const fitter = textFitter(rep, quotedValues(rep, [summary, 'restart worker-17']));
    const lines = ['worker-3: heap usage 512MB over limit', 'worker-4: heap usage 9MB over limit', 'worker-3: heap usage 512MB over soft limit'];
    const fitted = lines.map((l) => fitter(l)).map((fit) => [fit(summary), fit('restart worker-17')]);
    expect(fitted).toEqual([
      ['worker-3 ran out of heap at 512MB; the limit was reached', 'restart worker-3'],
      ['worker-4 ran out of heap at 9MB; the limit was reached', 'restart worker-4'],
      ['<*> ran out of heap at <*>; the limit was reached', 'restart <*>'],
    ]);
    expect(fitter(rep)(summary)).toBe(summary);
  });
});
