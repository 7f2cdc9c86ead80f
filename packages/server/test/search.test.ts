import { describe, expect, it } from 'vitest';
import { cjkSearchText } from '../src/lib/cjk.js';
import { searchQuery } from '../src/modules/query/search.js';

describe('searchQuery', () => {
  it('turns a CJK run into a phrase of its character pairs, outside and inside quotes', () => {
    expect(searchQuery('数据库')).toBe(' "数据 据库" ');
    expect(searchQuery('"连接超时" timeout')).toBe('" 连接 接超 超时 " timeout');
    expect(searchQuery('-数据库 error')).toBe('- "数据 据库"  error');
    expect(searchQuery('認証 데이터')).toBe(' "認証"   "데이 이터" ');
  });

  it('leaves other text and single characters alone', () => {
    expect(searchQuery('replica refused -timeout "slow query"')).toBe('replica refused -timeout "slow query"');
    expect(searchQuery('库')).toBe(' "库" ');
  });
});

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
