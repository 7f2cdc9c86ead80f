import { afterEach, describe, expect, it, vi } from 'vitest';
import { getTemplate } from '../src/api/analysis';

describe('getTemplate', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks for the sparkline only when told to', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ id: 'a b' }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    await getTemplate('a b');
    await getTemplate('a b', { sparkline: true });
    expect(fetch.mock.calls.map((c) => (c as unknown[])[0])).toEqual(['/api/v1/templates/a%20b', '/api/v1/templates/a%20b?sparkline=true']);
  });
});
