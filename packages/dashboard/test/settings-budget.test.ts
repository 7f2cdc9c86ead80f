import { describe, expect, it, vi } from 'vitest';
import { ref, shallowRef } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createAppI18n } from '../src/i18n';
import type { LlmBudget } from '../src/api/analysis';
import type { UsageDay } from '../src/api/usage';
import type { Polled } from '../src/composables/usePolling';
import SettingsBudget from '../src/components/settings/SettingsBudget.vue';
import SettingsCostTable from '../src/components/settings/SettingsCostTable.vue';
import { budgetPercent, costRows, formatCosts, formatMoney } from '../src/components/settings/cost';
import { buildUsageDays } from './factories';

function buildBudget(over: Partial<LlmBudget> = {}): LlmBudget {
  return {
    day: '2026-12-02',
    tokens: { used: 1500, limit: 2000, remaining: 500 },
    cost: { used: { CNY: 0.006 }, unpriced_models: [], limit: 5, currency: 'CNY', remaining: 4.994 },
    reached: null,
    resumes_at: null,
    ...over,
  };
}

function polled<T>(data: T): Polled<T> {
  return {
    data: shallowRef(data), loading: ref(false), busy: ref(false), error: ref(null), updatedAt: ref(Date.now()),
    refresh: vi.fn(async () => undefined), refreshNow: vi.fn(async () => undefined), reset: vi.fn(async () => undefined),
  };
}

const plugins = (locale: 'en' | 'zh-CN' = 'en') => ({ global: { plugins: [ElementPlus, createAppI18n(locale)] } });

describe('LLM budget and cost figures', () => {
  it('formats money per currency, keeping small amounts visible, and says — when nothing is priced', () => {
    expect(formatMoney(1.5, 'USD')).toBe('$1.50');
    expect(formatMoney(0.0042, 'USD')).toBe('$0.0042');
    expect(formatCosts({ USD: 2, CNY: 3 })).toBe('CN¥3.00 · $2.00');
    expect(formatCosts({})).toBe('—');
    expect(formatCosts(undefined)).toBe('—');
  });

  it('gives the share of a budget used, capped at 100, or null without a budget', () => {
    expect(budgetPercent(1500, 2000)).toBe(75);
    expect(budgetPercent(2500, 2000)).toBe(100);
    expect(budgetPercent(10, null)).toBeNull();
  });

  it('lists cost per day and service, newest day first', () => {
    const svc = (service: string, tokens: number, usd: number) => ({ service, entries: 2, prompt_tokens: tokens, completion_tokens: 10, reasoning_tokens: 0, cost: { USD: usd }, unpriced_tokens: 0 });
    const days: UsageDay[] = buildUsageDays(3, { 0: { by_service: [svc('api', 100, 0.1)] }, 2: { by_service: [svc('db', 300, 0.3), svc('web', 50, 0.05)] } });
    expect(costRows(days).map((r) => [r.day, r.service, r.tokens])).toEqual([
      ['2026-12-02', 'db', 310], ['2026-12-02', 'web', 60], ['2026-11-30', 'api', 110],
    ]);
  });
});

describe('SettingsBudget', () => {
  it('shows today\'s tokens and cost against the budgets', () => {
    const w = mount(SettingsBudget, { props: { budget: buildBudget() }, ...plugins() });
    expect(w.find('[data-test=llm-budget-tokens]').text()).toContain('1,500 / 2,000');
    expect(w.find('[data-test=llm-budget-tokens]').text()).toContain('500 left');
    expect(w.find('[data-test=llm-budget-cost]').text()).toContain('CN¥0.0060 / CN¥5.00');
    expect(w.find('[data-test=llm-budget-reached]').exists()).toBe(false);
    expect(w.find('[data-test=llm-budget]').attributes('data-reached')).toBe('');
  });

  it('says which budget is reached and when analysis resumes, in Chinese too', () => {
    const budget = buildBudget({ tokens: { used: 2100, limit: 2000, remaining: 0 }, reached: 'tokens', resumes_at: '2026-12-03T00:00:00.000Z', cost: { used: {}, unpriced_models: ['local-llm'], limit: null, currency: null, remaining: null } });
    const en = mount(SettingsBudget, { props: { budget }, ...plugins() });
    expect(en.find('[data-test=llm-budget-reached]').text()).toBe('token budget reached');
    expect(en.find('[data-test=llm-budget-resumes]').text()).toContain('Nothing is lost');
    expect(en.find('[data-test=llm-budget-cost]').text()).toContain('— / no limit');
    expect(en.find('[data-test=llm-budget-unpriced]').text()).toBe('local-llm');
    const zh = mount(SettingsBudget, { props: { budget }, ...plugins('zh-CN') });
    expect(zh.find('[data-test=llm-budget-reached]').text()).toBe('Token 预算已用完');
  });
});

describe('SettingsCostTable', () => {
  it('renders one row per day and service with its cost', async () => {
    const days = buildUsageDays(2, { 1: { by_service: [{ service: 'checkout', entries: 5, prompt_tokens: 900, completion_tokens: 100, reasoning_tokens: 0, cost: { USD: 0.0026 }, unpriced_tokens: 0 }] } });
    const w = mount(SettingsCostTable, { props: { usage: polled(days) }, ...plugins() });
    await flushPromises();
    expect(w.find('[data-test=llm-cost-table]').attributes('data-rows')).toBe('1');
    expect(w.text()).toContain('checkout');
    expect(w.find('[data-test=llm-cost-cell]').text()).toBe('$0.0026');
  });

  it('says so when no service used the LLM', () => {
    const w = mount(SettingsCostTable, { props: { usage: polled(buildUsageDays(3)) }, ...plugins() });
    expect(w.find('[data-test=llm-cost-table]').attributes('data-rows')).toBe('0');
    expect(w.text()).toContain('No LLM usage by service in the last 14 days');
  });
});
