import { describe, expect, it } from 'vitest';
import { cjkSearchText } from '../src/lib/cjk.js';

describe('cjkSearchText', () => {
  it('indexes each CJK run as its overlapping pairs and keeps the rest', () => {
    expect(cjkSearchText('支付服务超时 timeout=30s')).toBe(' 支付 付服 服务 务超 超时  timeout=30s');
    expect(cjkSearchText('x库y')).toBe('x 库 y');
    expect(cjkSearchText('ユーザー認証')).toBe(' ユー ーザ ザー ー認 認証 ');
  });

  it('is null for text without CJK (the message itself is indexed)', () => {
    expect(cjkSearchText('connection refused by replica 3')).toBeNull();
    expect(cjkSearchText('café naïve Ünïcode')).toBeNull();
  });
});
