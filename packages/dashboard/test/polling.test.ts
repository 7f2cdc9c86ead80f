import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { usePolling } from '../src/composables/usePolling';
import { usePrefs } from '../src/stores/prefs';

function host<T>(fetcher: (s: AbortSignal) => Promise<T>) {
  let api!: ReturnType<typeof usePolling<T>>;
  const C = defineComponent({ setup() { api = usePolling(fetcher); return () => h('div'); } });
  const wrapper = mount(C);
  return { wrapper, api: () => api };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await nextTick();
};

describe('usePolling', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('loads at mount, then every pollSeconds', async () => {
    const fetcher = vi.fn(async () => 42);
    const { api } = host(fetcher);
    await flush();
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(api().data.value).toBe(42);
    expect(api().loading.value).toBe(false);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(fetcher).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('never has two requests in flight: a refresh during a load joins it', async () => {
    let release!: (v: number) => void;
    const fetcher = vi.fn(() => new Promise<number>((r) => (release = r)));
    const { api } = host(fetcher);
    await flush();
    void api().refresh();
    void api().refresh();
    expect(fetcher).toHaveBeenCalledTimes(1);
    release(1);
    await flush();
    expect(api().data.value).toBe(1);
  });

  it('stops polling when set to off and follows the refresh button', async () => {
    const fetcher = vi.fn(async () => 'x');
    host(fetcher);
    await flush();
    const prefs = usePrefs();
    prefs.pollSeconds = 0;
    await flush();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetcher).toHaveBeenCalledTimes(1);
    prefs.refreshAll();
    await flush();
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('pauses while the tab is hidden and catches up when it shows', async () => {
    const fetcher = vi.fn(async () => 1);
    host(fetcher);
    await flush();
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(90_000);
    expect(fetcher).toHaveBeenCalledTimes(1);
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    document.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('keeps the last data and reports the error when a poll fails', async () => {
    const fetcher = vi.fn().mockResolvedValueOnce('ok').mockRejectedValueOnce(new Error('boom'));
    const { api } = host(fetcher);
    await flush();
    await api().refresh();
    expect(api().error.value?.message).toBe('boom');
    expect(api().data.value).toBe('ok');
  });

  it('refreshNow waits for a load in flight (it may predate a change) and loads once more', async () => {
    const resolvers: ((v: number) => void)[] = [];
    const fetcher = vi.fn(() => new Promise<number>((r) => resolvers.push(r)));
    const { api } = host(fetcher);
    await flush();
    const done = api().refreshNow();
    expect(fetcher).toHaveBeenCalledTimes(1);
    resolvers[0]!(1);
    await flush();
    expect(fetcher).toHaveBeenCalledTimes(2);
    resolvers[1]!(2);
    await done;
    expect(api().data.value).toBe(2);
  });

  it('drops an answer that arrives after a reset', async () => {
    const resolvers: ((v: string) => void)[] = [];
    const fetcher = vi.fn(() => new Promise<string>((r) => resolvers.push(r)));
    const { api } = host(fetcher);
    await flush();
    void api().reset();
    resolvers[1]!('new');
    resolvers[0]!('stale');
    await flush();
    expect(api().data.value).toBe('new');
  });
});
