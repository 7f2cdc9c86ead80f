import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { createPinia, setActivePinia } from 'pinia';
import { browserLocale, usePrefs } from '../src/stores/prefs';
import { queryString } from '../src/api/http';

describe('preferences', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('picks Chinese for a Chinese browser and English otherwise', () => {
    expect(browserLocale(['zh-CN', 'en'])).toBe('zh-CN');
    expect(browserLocale(['zh-TW'])).toBe('zh-CN');
    expect(browserLocale(['en-US', 'zh-CN'])).toBe('en');
    expect(browserLocale([])).toBe('en');
  });

  it('remembers the polling interval and the language', async () => {
    const p = usePrefs();
    p.pollSeconds = 60;
    p.locale = 'zh-CN';
    await nextTick();
    setActivePinia(createPinia());
    const again = usePrefs();
    expect(again.pollSeconds).toBe(60);
    expect(again.locale).toBe('zh-CN');
  });

  it('ignores a stored interval that is not offered', () => {
    localStorage.setItem('logsage.prefs', JSON.stringify({ pollSeconds: 1 }));
    expect(usePrefs().pollSeconds).toBe(30);
  });
});

describe('queryString', () => {
  it('leaves out empty values and joins lists', () => {
    expect(queryString({ a: 'x', b: undefined, c: '', d: ['e', 'f'], g: [], h: false, i: 0 })).toBe('?a=x&d=e%2Cf&h=false&i=0');
    expect(queryString({})).toBe('');
  });
});
