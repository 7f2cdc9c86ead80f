import { describe, expect, it } from 'vitest';
import { compileSafeRegex, MAX_MATCHED_CHARS, MAX_PATTERN_LENGTH, UnsafePattern } from '../src/modules/alerting/safe-regex.js';

describe('safe regular expressions', () => {
  it('matches like JavaScript on the syntax both share', () => {
    const cases: [string, string][] = [
      ['timeout after \\d+s', 'db timeout after 30s'], ['^ERROR', 'ERROR: x'], ['^ERROR', 'x ERROR'], ['(refused|reset)$', 'connection reset'],
      ['a{2,3}b', 'xaab'], ['a{2,3}b', 'ab'], ['\\bfoo\\b', 'a foo b'], ['\\bfoo\\b', 'afoob'], ['[^a-c]x', 'ax'], ['[^a-c]x', 'dx'],
      ['colou?r', 'color'], ['[\\d.]+ms', 'took 1.5ms'], ['(?:GET|POST) /api/v\\d', 'POST /api/v1/logs'], ['\\x41\\u0042', 'AB'], ['a.c', 'a\nc'],
      ['[\\u0041-\\u005a]{3}', 'xABCx'], ['\\\\u0041', '\\u0041'], ['\\\\u0041', 'A'], ['a{,2}', 'a{,2}'],
    ];
    for (const [p, text] of cases) expect(compileSafeRegex(p).test(text), `${p} on ${text}`).toBe(new RegExp(p).test(text));
  });

  it('ignores case when asked, and with an inline (?i)', () => {
    expect(compileSafeRegex('database (ERROR|FAIL)', true).test('Database error: x')).toBe(true);
    expect(compileSafeRegex('database (ERROR|FAIL)').test('Database error: x')).toBe(false);
    expect(compileSafeRegex('(?i)database (ERROR|FAIL)').test('DATABASE fail')).toBe(true);
    expect(compileSafeRegex('(?i:timeout) AFTER').test('TimeOut AFTER')).toBe(true);
    expect(compileSafeRegex('(?i:timeout) AFTER').test('TimeOut after')).toBe(false);
  });

  it('accepts RE2 syntax the old subset refused: named groups, Unicode classes, \\x{..}, nested quantifiers', () => {
    expect(compileSafeRegex('user (?<name>\\w+) denied').test('user bob denied')).toBe(true);
    expect(compileSafeRegex('user (?P<name>\\w+) denied').test('user  denied')).toBe(false);
    expect(compileSafeRegex('数据库\\p{Han}+').test('错误: 数据库连接失败')).toBe(true);
    expect(compileSafeRegex('^\\p{Han}+$').test('连接abc')).toBe(false);
    expect(compileSafeRegex('\\pL\\p{N}').test('a7')).toBe(true);
    expect(compileSafeRegex('\\x{1F600}').test('ok 😀')).toBe(true);
    expect(compileSafeRegex('(a+)+$').test('baaa')).toBe(true);
  });

  it('refuses what RE2 cannot match in linear time or does not parse, saying what to change', () => {
    const refused: [string, RegExp][] = [
      ['(?=admin)', /lookarounds .* not supported/], ['(?!x)y', /lookarounds/], ['(?<!x)y', /lookarounds/], ['(?<=x)y', /lookarounds/],
      ['(a)\\1', /backreferences .* not supported/], ['(?<n>a)\\k<n>', /backreferences/], ['a{1,1000}', /counted repetition above 100/],
      ['x'.repeat(MAX_PATTERN_LENGTH + 1), /longer than 256/], ['', /empty/], ['(', /missing \)/], ['a)', /unbalanced \)/], ['*a', /needs something to repeat/],
      ['a**', /two quantifiers/], ['[a', /missing \]/], ['a\\', /lone backslash/], ['[b-a]', /not a valid regular expression \(RE2 syntax\): invalid character class range/],
      ['(a{1,100}){1,100}', /counted repetition too large/], ['(?:[a-z]{100}){10}'.repeat(3), /too large once repetitions are expanded/],
    ];
    for (const [p, reason] of refused) {
      expect(() => compileSafeRegex(p), p).toThrow(UnsafePattern);
      expect(() => compileSafeRegex(p), p).toThrow(reason);
    }
  });

  it('answers the classic catastrophic patterns correctly on 50k-character adversarial text', () => {
    // Each of these takes a backtracking engine from seconds to forever on text this long.
    const n = 50_000;
    expect(compileSafeRegex('(a+)+$').test('a'.repeat(n))).toBe(true);
    // The text is cut at MAX_MATCHED_CHARS, so the mismatch sits at the last matched character.
    expect(compileSafeRegex('(a+)+$').test(`${'a'.repeat(MAX_MATCHED_CHARS - 1)}!${'a'.repeat(n - MAX_MATCHED_CHARS)}`)).toBe(false);
    expect(compileSafeRegex('(a|aa)+b').test('a'.repeat(n))).toBe(false);
    expect(compileSafeRegex('(a|aa)+b').test(`${'a'.repeat(3000)}b${'a'.repeat(n - 3001)}`)).toBe(true);
    expect(compileSafeRegex('\\w+\\d+x').test('1'.repeat(n))).toBe(false);
    expect(compileSafeRegex('\\w+\\d+x').test(`${'1'.repeat(4000)}x${'1'.repeat(n - 4001)}`)).toBe(true);
    expect(compileSafeRegex('.*a.*b.*c').test('ab'.repeat(n / 2))).toBe(false);
    expect(compileSafeRegex('.*a.*b.*c').test(`${'ab'.repeat(10)}c`)).toBe(true);
  });

  it(`matches only the first ${MAX_MATCHED_CHARS} characters of a message`, () => {
    expect(compileSafeRegex('needle').test(`${'x'.repeat(5000)}needle`)).toBe(false);
    expect(compileSafeRegex('needle').test(`${'x'.repeat(4000)}needle`)).toBe(true);
  });
});
