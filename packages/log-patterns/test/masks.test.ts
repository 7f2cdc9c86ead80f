import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_MASKS, mask } from '../src/index.js';
import { compileMasks, tokenize } from '../src/tokens.js';
import { maskFlags, maskToken } from '../src/masks.js';

describe('mask', () => {
  const cases: [string, string, string][] = [
    ['ipv4 with port', 'from 10.251.30.85:50010 ok', 'from <*> ok'],
    ['ipv6', 'peer fe80::1ff:fe23:4567:890a up', 'peer <*> up'],
    ['uuid', 'job 550e8400-e29b-41d4-a716-446655440000 done', 'job <*> done'],
    ['hex id', 'session 0x14ed93111f20027 closed', 'session <*> closed'],
    ['number', 'took 42 steps, -7 left, 3.5 avg', 'took <*> steps, <*> left, <*> avg'],
    ['duration and size', 'took 45ms wrote 10KB', 'took <*> wrote <*>'],
    ['path', 'open /etc/httpd/conf/workers2.properties failed', 'open <*> failed'],
    ['url', 'GET https://example.com/a?b=c now', 'GET <*> now'],
    ['email', 'mail to bob.smith@example.org sent', 'mail to <*> sent'],
    ['quoted', "service 'sparkDriver' on \"two words\" here", "service '<*>' on \"<*>\" here"],
    ['timestamp', 'at 2015-10-18T18:01:47.978Z and 12:30:45', 'at <*> and <*>'],
    ['word date', 'connection at Sat Jun 18 02:08:11 2005 from x', 'connection at <*> from x'],
    ['key=value', 'user=root tty=NODEVssh ruser= count=3', 'user=<*> tty=<*> ruser= count=<*>'],
    ['digits inside words', 'attempt_1445_0020_m_000009_0 on blk_-42', 'attempt_<*> on blk_<*>'],
    ['wrapping punctuation', 'from [10.0.0.1] (uid=0) port 55904.', 'from [<*>] (uid=<*>) port <*>.'],
  ];
  for (const [name, input, expected] of cases) {
    it(`masks ${name}`, () => {
      expect(mask(input)).toBe(expected);
    });
  }

  it('keeps plain words and whitespace untouched', () => {
    expect(mask('  Shutting   down\tnow ')).toBe('  Shutting   down\tnow ');
  });

  it('applies only the chosen built-in masks', () => {
    expect(mask('user=root at 10.0.0.1', { builtins: ['ipv4'] })).toBe('user=root at <*>');
    expect(mask('user=root at 10.0.0.1', { builtins: [] })).toBe('user=root at 10.0.0.1');
    expect(mask("say 'hi there'", { builtins: ['digits'] })).toBe("say 'hi there'");
  });

  it('applies custom regex masks before tokenising', () => {
    const custom = [{ name: 'ticket', pattern: /TICKET-[A-Z]+/ }];
    expect(mask('closed TICKET-ABC and TICKET-XYZ', { builtins: [], custom })).toBe('closed <*> and <*>');
  });

  it('is idempotent on tricky tokens', () => {
    for (const t of ['--1', 'a--1', 'x_-1', '-<*>', '<*>.<*>', "'<*>'", 'k==1', '[-5]', '1.2.3.4.5.6']) {
      expect(mask(mask(t))).toBe(mask(t));
    }
    expect(mask('--1')).toBe('<*>');
  });

  it('is idempotent (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom('user', 'from', 'port', 'blk_', '=', ':', '/', '.', '-', '"', "'", '(', ')', '[', ']', '<*>', ' ', '  '),
      fc.integer({ min: -99999, max: 99999 }).map(String),
      fc.ipV4(),
      fc.uuid(),
      fc.emailAddress(),
      fc.webUrl(),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const once = mask(pieces.join(''));
        expect(mask(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
    // 500 generated lines take under a second alone; the whole suite on two cores can stretch that past the 5 s default.
  }, 30_000);

  it('numeric fast path agrees with full token masking (property)', () => {
    const flags = maskFlags(ALL_MASKS);
    const compiled = compileMasks();
    const numberLike = fc
      .array(fc.constantFrom('0', '7', '42', '.', ':', ',', '_', '/', '-'), { minLength: 1, maxLength: 8 })
      .map((xs) => xs.join(''));
    fc.assert(
      fc.property(numberLike, (token) => {
        expect(tokenize(token, compiled).masked).toEqual([maskToken(token, flags)]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('tokenize', () => {
  it('keeps raw values beside masked tokens', () => {
    const t = tokenize("copy 'a b' to 10.0.0.1", compileMasks());
    expect(t.masked).toEqual(['copy', "'<*>'", 'to', '<*>']);
    expect(t.raw).toEqual(['copy', "'a b'", 'to', '10.0.0.1']);
  });
});
