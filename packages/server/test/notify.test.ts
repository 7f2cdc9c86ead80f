import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, escapeSlack, defang, fitBytes, truncateBytes } from '../src/modules/notify/escape.js';
import { isForbiddenAddress, parseAllowList } from '../src/modules/notify/netguard.js';
import { parseRetryAfter } from '../src/modules/notify/outbound.js';
import { signDingTalkUrl, signFeishu, signWebhook } from '../src/modules/notify/signing.js';
import { maskConfig, mergeConfig } from '../src/modules/notify/secrets.js';
import { renderMessage } from '../src/modules/notify/render.js';
import { backoffMs } from '../src/modules/notify/worker.js';
import { buildNotification } from './notify-helpers.js';

const HOSTILE = '@all @everyone <!channel> <@U123> [click](https://evil.example.com/x) **bold** <font color="red">x</font> <at id=all></at> # head';

describe('escaping untrusted text', () => {
  it('makes mentions and links inert everywhere', () => {
    const d = defang('@all see https://evil.com/a and www.evil.cn or evil.com, not java.lang.Foo');
    expect(d).not.toMatch(/@all|https:\/\/|www\.|evil\.com|evil\.cn/);
    expect(d).toContain('java.lang.Foo');
  });

  it('leaves no markdown link, tag, heading or emphasis for DingTalk, WeCom and Feishu', () => {
    const e = escapeMarkdown(HOSTILE);
    expect(e).not.toMatch(/[[\]<>*#`]/);
    expect(e).not.toMatch(/@all|@everyone/);
    expect(e).not.toContain('https://');
    expect(escapeMarkdown('user_id _x_')).toBe('user_id ＿x＿');
  });

  it('escapes Slack control characters and HTML', () => {
    const s = escapeSlack(HOSTILE);
    expect(s).not.toMatch(/<|>/);
    expect(s).toContain('&lt;!channel&gt;');
    const h = escapeHtml('<script>alert("x")</script> & \'q\'');
    expect(h).not.toMatch(/[<>"']/);
    expect(h).toContain('&#60;script&#62;');
  });

  it('truncates on a UTF-8 character boundary with a marker', () => {
    const s = '告警'.repeat(10) + '😀';
    const t = truncateBytes(s, 10);
    expect(Buffer.byteLength(t)).toBeLessThanOrEqual(10);
    expect(t.endsWith('…')).toBe(true);
    expect(t).not.toContain('\ufffd');
    expect(truncateBytes('short', 10)).toBe('short');
    expect(truncateBytes('😀😀', 6)).toBe('…'); // 3 bytes of marker leave no room for a 4-byte emoji
  });

  it('fits a payload under a byte limit by shrinking only the untrusted part', () => {
    const long = '错'.repeat(10_000);
    const out = fitBytes((budget) => JSON.stringify({ head: 'fixed', text: truncateBytes(long, budget) }), 4096);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(4096);
    expect(JSON.parse(out).head).toBe('fixed');
  });
});

describe('address guard', () => {
  it('refuses private, loopback, link-local and mapped forms', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '0.0.0.0', '::1', '::', 'fc00::1', 'fd12::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::7f00:1', 'not-an-ip']) {
      expect(isForbiddenAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111']) expect(isForbiddenAddress(a), a).toBe(false);
  });

  it('admits what OUTBOUND_ALLOW lists: IPs, CIDRs, hosts, with or without port', () => {
    const allow = parseAllowList(['127.0.0.1:8025', '10.0.0.0/8', 'relay.internal', '[::1]']);
    expect(allow.admits('127.0.0.1', '127.0.0.1', 8025)).toBe(true);
    expect(allow.admits('127.0.0.1', '127.0.0.1', 8026)).toBe(false);
    expect(allow.admits('x', '10.9.8.7', 80)).toBe(true);
    expect(allow.admits('relay.internal', '192.168.0.5', 25)).toBe(true);
    expect(allow.admits('[::1]', '::1', 80)).toBe(true);
    expect(allow.admits('other', '192.168.0.5', 25)).toBe(false);
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('signing (known-answer vectors computed with openssl)', () => {
  it('signs DingTalk URLs', () => {
    const url = signDingTalkUrl('https://oapi.dingtalk.com/robot/send?access_token=t', 'SECtestsecret', 1_700_000_000_000);
    expect(url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign=${encodeURIComponent('7LVwF0dAF3/+MRRulbpE4y72Ogzykc6bS2nG4I99T4s=')}`);
  });

  it('signs Feishu bodies', () => {
    expect(signFeishu('feishusecret', 1_700_000_000_999)).toEqual({ timestamp: '1700000000', sign: '5Wc8F8b2vZlNjoVFpK6BAaovMobglP4Rm1FzmEq/rCU=' });
  });

  it('signs webhooks', () => {
    expect(signWebhook('whsecret', '{"a":1}', 1_700_000_000_000).signature).toBe('sha256=15d410d1cdb353b5e77d15b79f2cf9b142f784abbc3bbf7654676b96d67b9494');
  });
});

describe('channel secrets', () => {
  it('masks secrets and webhook tokens on read', () => {
    const m = maskConfig('dingtalk', { url: 'https://oapi.dingtalk.com/robot/send?access_token=abcdef123456', secret: 'SECabcdefgh12345', atMobiles: ['13800000000'] });
    expect(JSON.stringify(m)).not.toMatch(/abcdef123456|SECabcdefgh/);
    expect(m.url).toMatch(/^https:\/\/oapi\.dingtalk\.com\/••••/);
    expect(m.atMobiles).toEqual(['13800000000']);
    expect(maskConfig('webhook', { url: 'https://h.example/x', headers: { Authorization: 'Bearer 0123456789abcdef' } }).headers).toEqual({ Authorization: '••••cdef' });
  });

  it('keeps secrets an update omits or sends back masked, and clears them on null', () => {
    const stored = { url: 'https://hooks.slack.com/services/T/B/secret', secret: 'xyz', headers: { A: 'one', B: 'two' } };
    expect(mergeConfig('webhook', stored, { secret: '••••' }).secret).toBe('xyz');
    expect(mergeConfig('webhook', stored, {}).url).toBe(stored.url);
    expect(mergeConfig('webhook', stored, { headers: { A: '••••', C: 'three' } }).headers).toEqual({ A: 'one', C: 'three' });
    expect(mergeConfig('webhook', stored, { secret: null })).not.toHaveProperty('secret');
  });
});

describe('rendering', () => {
  it('speaks Chinese by default and English on request, links to the alert, and says when analysis was a demo', () => {
    const zh = renderMessage(buildNotification({ demo: true, alertId: 'a/1' }), 'zh-CN', 'https://logs.example.com/');
    expect(zh.headline).toBe('[告警][高]');
    expect(zh.link).toBe('https://logs.example.com/alerts/a%2F1');
    expect(zh.notes.join()).toContain('演示模式');
    const en = renderMessage(buildNotification({ status: 'resolved' }), 'en', 'http://x');
    expect(en.headline).toBe('[RESOLVED][high]');
    expect(en.notes).toEqual([]);
  });

  it('backs off exponentially within jitter and a one-hour cap', () => {
    expect(backoffMs(1, 1000)).toBeGreaterThanOrEqual(800);
    expect(backoffMs(3, 1000)).toBeLessThanOrEqual(4800);
    expect(backoffMs(40, 1000)).toBeLessThanOrEqual(3_600_000 * 1.2);
  });
});
