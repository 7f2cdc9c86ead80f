import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../src/i18n';
import type { Channel } from '../src/api/channels';
import { buildConfig, createBody, destinationChanged, emptyForm, formFromChannel, needsReentry, patchBody } from '../src/components/channels/channelForm';
import { headerKey, validateChannel } from '../src/components/channels/channelValidate';
import { destinationText } from '../src/components/channels/channelView';
import { buildChannel } from './factories';

const { t } = createAppI18n('en').global;
const tr = (k: string, p?: Record<string, unknown>): string => (p ? t(k, p) : t(k));

const webhook = (): Channel => buildChannel({
  id: 'c2', type: 'webhook', name: 'Ops',
  config: { url: 'https://hooks.example.com/••••oook', secret: '••••2345', headers: { 'X-Token': '••••', 'X-Env': '••••prod' } },
});
const email = (): Channel => buildChannel({
  id: 'c3', type: 'email', name: 'Mail',
  config: { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'bot', password: '••••word', from: 'bot@example.com', to: ['sre@example.com'] },
});

describe('channel form: secrets kept, replaced, cleared', () => {
  it('an untouched edit sends no secret at all (the server keeps the stored ones)', () => {
    const c = buildChannel();
    const body = patchBody(formFromChannel(c), c);
    expect(body).toEqual({ name: 'SRE group', enabled: true, language: null, config: { atMobiles: ['13800000000'] } });
    expect(JSON.stringify(body)).not.toContain('••••');
  });

  it('a typed secret replaces the stored one, a removed one is sent as null', () => {
    const c = buildChannel();
    const f = formFromChannel(c);
    f.secret.value = 'SECnew';
    expect(buildConfig(f, c)).toMatchObject({ secret: 'SECnew' });
    f.secret = { ...f.secret, value: '', cleared: true };
    expect(buildConfig(f, c)).toMatchObject({ secret: null });
    expect(buildConfig(f, c)).not.toHaveProperty('url');
  });

  it('kept header values go back as their masks (same name), removing every header clears them', () => {
    const c = webhook();
    const f = formFromChannel(c);
    expect(buildConfig(f, c)).toEqual({ headers: { 'X-Token': '••••', 'X-Env': '••••prod' } });
    f.headers[0]!.value = 'new-token';
    expect(buildConfig(f, c)).toEqual({ headers: { 'X-Token': 'new-token', 'X-Env': '••••prod' } });
    f.headers = [];
    expect(buildConfig(f, c)).toEqual({ headers: null });
  });

  it('a new channel sends only what was filled in, trimmed', () => {
    const f = emptyForm('dingtalk');
    Object.assign(f, { name: ' SRE ', language: 'zh-CN' });
    f.url.value = ' https://oapi.dingtalk.com/robot/send?access_token=abc ';
    expect(createBody(f)).toEqual({ name: 'SRE', type: 'dingtalk', enabled: true, language: 'zh-CN', config: { url: 'https://oapi.dingtalk.com/robot/send?access_token=abc' } });
  });

  it('email: an empty username on an edit is cleared, the port and security are sent as numbers and words', () => {
    const c = email();
    const f = formFromChannel(c);
    f.username = '';
    expect(buildConfig(f, c)).toEqual({ host: 'smtp.example.com', port: 587, security: 'starttls', username: null, from: 'bot@example.com', to: ['sre@example.com'], tlsInsecure: false });
  });
});

describe('channel form: a new destination asks for the other secrets again', () => {
  it('a new URL needs the signing secret and every header value again; the client refuses to save without them', () => {
    const c = webhook();
    const f = formFromChannel(c);
    expect(destinationChanged(f, c)).toBe(false);
    expect(validateChannel(f, c, tr)).toEqual({});
    f.url.value = 'https://elsewhere.example.com/hook';
    expect(destinationChanged(f, c)).toBe(true);
    expect(needsReentry(f, c, 'secret')).toBe(true);
    const errors = validateChannel(f, c, tr);
    expect(errors['config.secret']).toMatch(/destination changed/);
    expect(errors[headerKey(0, 'value')]).toMatch(/Enter the value again/);
    expect(errors[headerKey(1, 'value')]).toMatch(/Enter the value again/);
    // Typed again, or removed: both are allowed.
    f.secret.value = 'whsec-new';
    f.headers[0]!.value = 'tok';
    f.headers.splice(1, 1);
    expect(validateChannel(f, c, tr)).toEqual({});
    expect(buildConfig(f, c)).toEqual({ url: 'https://elsewhere.example.com/hook', secret: 'whsec-new', headers: { 'X-Token': 'tok' } });
    f.secret = { ...f.secret, value: '', cleared: true };
    expect(validateChannel(f, c, tr)).toEqual({});
    expect(buildConfig(f, c)).toMatchObject({ secret: null });
  });

  it('email: host, port, security and the certificate check are the destination; the sender is not', () => {
    const c = email();
    for (const change of [{ host: 'relay.example.com' }, { port: 2525 }, { security: 'ssl' as const }, { tlsInsecure: true }]) {
      const f = { ...formFromChannel(c), ...change };
      expect(needsReentry(f, c, 'password'), JSON.stringify(change)).toBe(true);
      expect(validateChannel(f, c, tr)['config.password']).toMatch(/destination changed/);
    }
    const f = { ...formFromChannel(c), from: 'other@example.com', to: ['a@example.com'] };
    expect(needsReentry(f, c, 'password')).toBe(false);
  });

  it('renaming a stored header asks for its value again, even at the same URL', () => {
    const c = webhook();
    const f = formFromChannel(c);
    f.headers[1]!.key = 'X-Stage';
    expect(validateChannel(f, c, tr)[headerKey(1, 'value')]).toBeDefined();
    expect(validateChannel(f, c, tr)[headerKey(0, 'value')]).toBeUndefined();
  });

  it('robots without a signing secret (WeCom, Slack) have nothing to ask again', () => {
    const c = buildChannel({ type: 'wecom', config: { url: 'https://qyapi.weixin.qq.com/••••abcd', format: 'text' } });
    const f = formFromChannel(c);
    f.url.value = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=new';
    expect(validateChannel(f, c, tr)).toEqual({});
    expect(buildConfig(f, c)).toEqual({ url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=new', format: 'text', mentionedMobiles: [] });
  });
});

describe('channel form: the server schema’s limits', () => {
  it('refuses what the server refuses, each at its field', () => {
    const f = emptyForm('dingtalk');
    f.url.value = 'ftp://x.example.com';
    f.secret.value = 'x'.repeat(513);
    f.atMobiles = ['12ab'];
    expect(validateChannel(f, null, tr)).toEqual({
      name: 'Required', 'config.url': 'Must start with http:// or https://', 'config.secret': 'From 1 to 512 characters',
      'config.atMobiles': '“12ab” is not a mobile number (digits and -, optional +, 5 to 20)',
    });
    f.name = 'n'.repeat(201);
    f.url.value = 'http://a';
    expect(validateChannel(f, null, tr)).toMatchObject({ name: 'From 1 to 200 characters', 'config.url': 'From 10 to 2048 characters' });
  });

  it('email needs host, a port, a sender and 1 to 50 recipients', () => {
    const f = emptyForm('email');
    f.port = 70000;
    f.from = 'ab';
    expect(Object.keys(validateChannel(f, null, tr)).sort()).toEqual(['config.from', 'config.host', 'config.port', 'config.to', 'name']);
    Object.assign(f, { name: 'm', host: 'smtp', port: 25, from: 'a@b.c', to: Array.from({ length: 51 }, (_, i) => `u${i}@x.y`) });
    expect(validateChannel(f, null, tr)).toEqual({ 'config.to': 'At most 50' });
  });

  it('webhook header names are letters, digits and dashes, once each', () => {
    const f = emptyForm('webhook');
    Object.assign(f, { name: 'w', url: { mask: null, value: 'https://hooks.example.com/x', cleared: false } });
    f.headers = [{ key: 'X Bad', value: 'v', mask: null, origKey: null }, { key: 'X-Ok', value: '', mask: null, origKey: null }, { key: 'x-ok', value: 'v', mask: null, origKey: null }];
    expect(validateChannel(f, null, tr)).toEqual({ [headerKey(0, 'key')]: 'Letters, digits and -, up to 64', [headerKey(2, 'key')]: 'Already set above' });
  });

  it('the list shows the destination the server masked, never more', () => {
    expect(destinationText(buildChannel())).toBe('https://oapi.dingtalk.com/••••a1b2');
    expect(destinationText(email())).toBe('smtp.example.com:587 → sre@example.com');
  });
});
