import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createAppI18n } from '../src/i18n';
import TimeRangePicker from '../src/components/common/TimeRangePicker.vue';
import { DEFAULT_RANGE, isLive, rangeFromQuery, rangeToQuery, resolveRange, sameRange, type TimeRange } from '../src/lib/timerange';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');

describe('resolveRange', () => {
  it('turns each quick range into [now - span, now]', () => {
    const spans: Record<string, number> = { '15m': 15, '1h': 60, '6h': 360, '24h': 1440, '7d': 10080 };
    for (const [key, minutes] of Object.entries(spans)) {
      const r = resolveRange({ kind: 'quick', key } as TimeRange, NOW);
      expect(r.to).toBe('2026-12-01T12:00:00.000Z');
      expect(Date.parse(r.to) - Date.parse(r.from)).toBe(minutes * 60_000);
    }
  });

  it('re-reads the clock: the same quick range moves with now', () => {
    const range: TimeRange = { kind: 'quick', key: '1h' };
    const a = resolveRange(range, NOW);
    const b = resolveRange(range, NOW + 30_000);
    expect(Date.parse(b.from) - Date.parse(a.from)).toBe(30_000);
    expect(b.to).toBe('2026-12-01T12:00:30.000Z');
  });

  it('keeps an absolute range where it is, whatever the time', () => {
    const range: TimeRange = { kind: 'absolute', from: Date.parse('2026-11-30T08:00:00Z'), to: Date.parse('2026-11-30T09:30:00Z') };
    expect(resolveRange(range, NOW)).toEqual({ from: '2026-11-30T08:00:00.000Z', to: '2026-11-30T09:30:00.000Z' });
    expect(resolveRange(range, NOW + 86_400_000)).toEqual(resolveRange(range, NOW));
  });
});

describe('isLive', () => {
  it('polls quick ranges and absolute ranges that end in the future, not ranges in the past', () => {
    expect(isLive({ kind: 'quick', key: '15m' }, NOW)).toBe(true);
    expect(isLive({ kind: 'absolute', from: NOW - 1000, to: NOW + 1000 }, NOW)).toBe(true);
    expect(isLive({ kind: 'absolute', from: NOW - 2000, to: NOW - 1000 }, NOW)).toBe(false);
  });
});

describe('URL round trip', () => {
  it('writes a quick range by name and reads it back', () => {
    const r: TimeRange = { kind: 'quick', key: '6h' };
    expect(rangeToQuery(r)).toEqual({ range: '6h' });
    expect(rangeFromQuery(rangeToQuery(r))).toEqual(r);
  });

  it('leaves the default range out of the URL', () => {
    expect(rangeToQuery(DEFAULT_RANGE)).toEqual({});
    expect(rangeFromQuery({})).toEqual(DEFAULT_RANGE);
  });

  it('writes an absolute range as ISO instants and reads it back to the millisecond', () => {
    const r: TimeRange = { kind: 'absolute', from: Date.parse('2026-11-30T08:00:00.123Z'), to: Date.parse('2026-11-30T09:00:00.456Z') };
    const q = rangeToQuery(r);
    expect(q).toEqual({ from: '2026-11-30T08:00:00.123Z', to: '2026-11-30T09:00:00.456Z' });
    expect(rangeFromQuery(q)).toEqual(r);
  });

  it('accepts epoch milliseconds in hand-made links', () => {
    expect(rangeFromQuery({ from: '1796126400000', to: '1796130000000' })).toEqual({ kind: 'absolute', from: 1796126400000, to: 1796130000000 });
  });

  it('falls back to the default for unreadable or reversed ranges and unknown names', () => {
    expect(rangeFromQuery({ range: '3w' })).toEqual(DEFAULT_RANGE);
    expect(rangeFromQuery({ from: 'yesterday', to: '2026-11-30T09:00:00Z' })).toEqual(DEFAULT_RANGE);
    expect(rangeFromQuery({ from: '2026-11-30T10:00:00Z', to: '2026-11-30T09:00:00Z' })).toEqual(DEFAULT_RANGE);
  });

  it('prefers from/to over a range name when both are present', () => {
    expect(rangeFromQuery({ range: '1h', from: '2026-11-30T08:00:00Z', to: '2026-11-30T09:00:00Z' }).kind).toBe('absolute');
  });

  it('compares ranges by meaning', () => {
    expect(sameRange({ kind: 'quick', key: '1h' }, { kind: 'quick', key: '1h' })).toBe(true);
    expect(sameRange({ kind: 'quick', key: '1h' }, { kind: 'quick', key: '6h' })).toBe(false);
    expect(sameRange({ kind: 'quick', key: '1h' }, { kind: 'absolute', from: 1, to: 2 })).toBe(false);
    expect(sameRange({ kind: 'absolute', from: 1, to: 2 }, { kind: 'absolute', from: 1, to: 2 })).toBe(true);
  });
});

describe('TimeRangePicker', () => {
  const mountPicker = (modelValue: TimeRange) =>
    mount(TimeRangePicker, { props: { modelValue }, global: { plugins: [createAppI18n('en'), ElementPlus] } });

  it('marks the current quick range and emits another one when clicked', async () => {
    const w = mountPicker({ kind: 'quick', key: '1h' });
    expect(w.get('[data-test="time-range-1h"]').classes()).toContain('is-active');
    await w.get('[data-test="time-range-6h"] input').setValue(true);
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([{ kind: 'quick', key: '6h' }]);
  });

  it('marks no quick range while an absolute range is shown', () => {
    const w = mountPicker({ kind: 'absolute', from: NOW - 3_600_000, to: NOW });
    expect(w.findAll('.el-radio-button.is-active')).toHaveLength(0);
  });

  it('emits an absolute range from the date picker, ignores a reversed one, and clearing goes back to 1 h', () => {
    const w = mountPicker({ kind: 'quick', key: '1h' });
    const picker = w.findComponent({ name: 'ElDatePicker' });
    const from = new Date('2026-11-30T08:00:00Z');
    const to = new Date('2026-11-30T09:00:00Z');
    picker.vm.$emit('update:modelValue', [from, to]);
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([{ kind: 'absolute', from: from.getTime(), to: to.getTime() }]);
    picker.vm.$emit('update:modelValue', [to, from]);
    expect(w.emitted('update:modelValue')).toHaveLength(1);
    picker.vm.$emit('update:modelValue', null);
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([{ kind: 'quick', key: '1h' }]);
  });
});
