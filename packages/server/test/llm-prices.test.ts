import { describe, expect, it } from 'vitest';
import { addCost, costOf, listPrices, priceTable } from '../src/modules/analysis/prices.js';
import { budgetSettings, shareByService, untilNextDay, utcDay } from '../src/modules/analysis/budget.js';
import { parseConfig } from '../src/config/index.js';
import { AppError } from '../src/lib/errors.js';

describe('LLM price table', () => {
  it('has built-in prices for the README\'s providers, marked default', () => {
    const t = priceTable();
    for (const model of ['Qwen/QwQ-32B', 'deepseek-chat', 'qwen-plus', 'gpt-4o-mini']) {
      expect(t.get(model), model).toMatchObject({ default: true });
    }
    expect(t.get('Qwen/QwQ-32B')?.currency).toBe('CNY');
    expect(t.get('gpt-4o-mini')?.currency).toBe('USD');
  });

  it('lets the operator override and add entries; an override keeps the built-in currency unless given', () => {
    const t = priceTable({ 'Qwen/QwQ-32B': { input: 3, output: 5 }, 'llama3:8b': { input: 0, output: 0 }, 'gpt-4o-mini': { input: 1, output: 2, currency: 'eur' } });
    expect(t.get('Qwen/QwQ-32B')).toEqual({ input: 3, output: 5, currency: 'CNY', default: false });
    expect(t.get('llama3:8b')).toEqual({ input: 0, output: 0, currency: 'USD', default: false });
    expect(t.get('gpt-4o-mini')).toEqual({ input: 1, output: 2, currency: 'EUR', default: false });
    expect(t.get('deepseek-chat')?.default).toBe(true);
    const listed = listPrices(t).map((p) => p.model);
    expect(listed).toEqual([...listed].sort((a, b) => a.localeCompare(b)));
  });

  it('prices prompt and completion tokens per million; an unknown model costs null, a free one 0', () => {
    const t = priceTable({ 'my-model': { input: 2, output: 8, currency: 'USD' }, free: { input: 0, output: 0 } });
    expect(costOf(t, 'my-model', 1_500_000, 250_000)).toEqual({ amount: 5, currency: 'USD' });
    expect(costOf(t, 'Qwen/QwQ-32B', 1000, 2000)).toEqual({ amount: (1000 * 1 + 2000 * 4) / 1e6, currency: 'CNY' });
    expect(costOf(t, 'free', 1000, 1000)).toEqual({ amount: 0, currency: 'USD' });
    expect(costOf(t, 'who-knows', 1000, 1000)).toBeNull();
    const sum: Record<string, number> = {};
    addCost(sum, costOf(t, 'my-model', 100, 100));
    addCost(sum, costOf(t, 'my-model', 200, 0));
    addCost(sum, costOf(t, 'Qwen/QwQ-32B', 1_000_000, 0));
    addCost(sum, null);
    expect(sum).toEqual({ USD: 0.0014, CNY: 1 });
  });

  it('reads LLM_PRICES and the budgets from the configuration, refusing bad values by name', () => {
    const cfg = parseConfig({ LLM_PRICES: '{"m": {"input": 1, "output": 2}}', LLM_DAILY_TOKEN_BUDGET: '5000', LLM_DAILY_COST_BUDGET: '20' });
    const s = budgetSettings(cfg);
    expect(s.prices.get('m')).toEqual({ input: 1, output: 2, currency: 'USD', default: false });
    expect(s.tokens).toBe(5000);
    // No currency given: the configured model's (SiliconFlow's Qwen/QwQ-32B by default) is CNY.
    expect(s.cost).toEqual({ amount: 20, currency: 'CNY' });
    expect(budgetSettings(parseConfig({ LLM_DAILY_COST_BUDGET: '2.5 usd' })).cost).toEqual({ amount: 2.5, currency: 'USD' });
    let err: unknown;
    try {
      parseConfig({ LLM_PRICES: '{"m": {"input": -1, "output": 2}}', LLM_DAILY_COST_BUDGET: 'lots' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const problems = ((err as AppError).details as { problems: string[] }).problems;
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^LLM_PRICES: "m"/), expect.stringMatching(/^LLM_DAILY_COST_BUDGET: /)]));
  });
});

describe('budget days and service shares', () => {
  it('dates by the UTC day and counts to the next UTC midnight', () => {
    const t = Date.parse('2026-03-01T23:59:00Z');
    expect(utcDay(t)).toBe('2026-03-01');
    expect(untilNextDay(t)).toBe(60_000);
    expect(utcDay(t + untilNextDay(t))).toBe('2026-03-02');
  });

  it('shares a batch\'s tokens by entries per service, adding up exactly', () => {
    const shares = shareByService(['b', 'a', 'a', ''], { promptTokens: 1001, completionTokens: 7, reasoningTokens: 0 });
    expect(shares.map((s) => [s.service, s.entries])).toEqual([['', 1], ['a', 2], ['b', 1]]);
    expect(shares.reduce((n, s) => n + s.promptTokens, 0)).toBe(1001);
    expect(shares.reduce((n, s) => n + s.completionTokens, 0)).toBe(7);
    expect(shares.find((s) => s.service === 'a')?.promptTokens).toBe(501);
    expect(shareByService([], { promptTokens: 5, completionTokens: 5, reasoningTokens: 5 })).toEqual([]);
  });
});
