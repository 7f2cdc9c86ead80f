import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, RouterLinkStub, type VueWrapper } from '@vue/test-utils';
import type { Component } from 'vue';
import ElementPlus, { ElMessageBox } from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { createAppI18n } from '../src/i18n';
import { useAuth } from '../src/stores/auth';
import { ApiError } from '../src/api/http';
import SettingsKeys from '../src/components/settings/SettingsKeys.vue';
import SettingsUsers from '../src/components/settings/SettingsUsers.vue';
import SettingsAudit from '../src/components/settings/SettingsAudit.vue';
import { buildAuditEntry, buildKey, buildUser } from './factories';

vi.mock('../src/api/keys', async (orig) => ({ ...(await orig<object>()), listKeys: vi.fn(), createKey: vi.fn(), revokeKey: vi.fn() }));
vi.mock('../src/api/users', async (orig) => ({ ...(await orig<object>()), listUsers: vi.fn(), createUser: vi.fn(), updateUser: vi.fn(), deleteUser: vi.fn() }));
vi.mock('../src/api/audit', () => ({ listAudit: vi.fn() }));
const keysApi = vi.mocked(await import('../src/api/keys'));
const usersApi = vi.mocked(await import('../src/api/users'));
const auditApi = vi.mocked(await import('../src/api/audit'));

let mounted: VueWrapper | undefined;
async function mountView(view: Component) {
  const pinia = createPinia();
  setActivePinia(pinia);
  Object.assign(useAuth(), { user: { kind: 'user', id: 'u1', name: 'admin', role: 'admin' }, checked: true });
  // Dialogs are teleported to <body>: attach so they can be found there.
  mounted = mount(view, { attachTo: document.body, global: { plugins: [ElementPlus, createAppI18n('en'), pinia], stubs: { transition: false, 'transition-group': false, RouterLink: RouterLinkStub } } });
  await flushPromises();
  return mounted;
}
const body = (sel: string) => document.body.querySelector<HTMLElement>(sel);
async function type(sel: string, value: string): Promise<void> {
  const el = body(sel) as HTMLInputElement;
  el.value = value;
  el.dispatchEvent(new Event('input'));
  await flushPromises();
}
async function click(sel: string): Promise<void> {
  body(sel)!.click();
  await flushPromises();
  await new Promise((r) => setTimeout(r, 150)); // el-form-item shows a new error state after a short debounce
}

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
  vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never);
});
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
  document.body.innerHTML = '';
});

describe('API keys', () => {
  it('creates a key with the chosen scopes and shows it once with a copy button and a curl line', async () => {
    keysApi.listKeys.mockResolvedValue([buildKey()]);
    keysApi.createKey.mockResolvedValue({ ...buildKey({ id: 'k2', name: 'reader', scopes: ['read'] }), key: 'ls_secret_value_123' });
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await mountView(SettingsKeys);
    await click('[data-test=key-create]');
    await click('[data-test=key-submit]');
    expect(body('[data-test=key-form]')!.textContent).toContain('Enter a name');
    expect(keysApi.createKey).not.toHaveBeenCalled();
    await type('input[data-test=key-name]', ' reader ');
    for (const [scope, on] of [['ingest', false], ['read', true]] as const) {
      const box = body(`[data-scope=${scope}] input`) as HTMLInputElement;
      box.checked = on;
      box.dispatchEvent(new Event('change'));
      await flushPromises(); // the group's model must update before the next box reads it
    }
    await click('[data-test=key-submit]');
    expect(keysApi.createKey).toHaveBeenCalledWith({ name: 'reader', scopes: ['read'] });
    expect(body('[data-test=key-created-key]')!.textContent).toBe('ls_secret_value_123');
    expect(body('[data-test=key-created-warning]')!.textContent).toContain('shown only this once');
    expect(body('[data-test=key-created-curl]')!.textContent).toBe(`curl -H 'Authorization: Bearer ls_secret_value_123' '${window.location.origin}/api/v1/logs?limit=5'`);
    await click('[data-test=key-copy]');
    expect(writeText).toHaveBeenCalledWith('ls_secret_value_123');
  });

  it('puts the server\'s reason under the name', async () => {
    keysApi.listKeys.mockResolvedValue([]);
    keysApi.createKey.mockRejectedValue(new ApiError(400, 'validation', 'bad body', [{ field: '/name', reason: 'must NOT have more than 100 characters' }]));
    await mountView(SettingsKeys);
    expect(body('[data-state=empty]')!.textContent).toContain('No API keys yet');
    await click('[data-test=key-create]');
    await type('input[data-test=key-name]', 'x');
    await click('[data-test=key-submit]');
    expect(body('[data-test=key-form] .el-form-item__error')!.textContent).toContain('must NOT have more than 100 characters');
  });

  it('revokes after a confirmation, and revoked keys have no revoke button', async () => {
    keysApi.listKeys.mockResolvedValue([buildKey(), buildKey({ id: 'k0', name: 'old', revoked_at: '2026-12-01T11:00:00.000Z' })]);
    keysApi.revokeKey.mockResolvedValue(undefined);
    const w = await mountView(SettingsKeys);
    expect(w.findAll('tr [data-test=key-revoke]')).toHaveLength(1);
    await w.find('tr [data-test=key-revoke]').trigger('click');
    await flushPromises();
    expect(ElMessageBox.confirm).toHaveBeenCalledOnce();
    expect(keysApi.revokeKey).toHaveBeenCalledWith('k1');
  });
});

describe('users', () => {
  it('marks the signed-in admin\'s own row and refuses a short password before asking the server', async () => {
    usersApi.listUsers.mockResolvedValue([buildUser({ id: 'u1', username: 'admin', role: 'admin' }), buildUser()]);
    usersApi.createUser.mockResolvedValue(buildUser({ id: 'u3', username: 'carol' }));
    const w = await mountView(SettingsUsers);
    const you = w.findAll('[data-test=user-you]');
    expect(you).toHaveLength(1);
    expect(w.find('[data-test=user-row][data-username=admin]').element.parentElement!.textContent).toContain('you');
    await click('[data-test=user-create]');
    await type('input[data-test=user-username]', 'carol');
    await type('input[data-test=user-password]', 'elevenchars');
    await click('[data-test=user-submit]');
    expect(body('[data-test=user-form]')!.textContent).toContain('At least 12 characters');
    expect(usersApi.createUser).not.toHaveBeenCalled();
    await type('input[data-test=user-password]', 'twelve-chars');
    await click('[data-test=user-submit]');
    expect(usersApi.createUser).toHaveBeenCalledWith({ username: 'carol', password: 'twelve-chars', role: 'viewer' });
  });

  it('shows the server\'s last-admin refusal and disables a user after a confirmation', async () => {
    usersApi.listUsers.mockResolvedValue([buildUser({ id: 'u1', username: 'admin', role: 'admin' }), buildUser({ id: 'u3', username: 'root', role: 'admin' }), buildUser()]);
    usersApi.updateUser.mockRejectedValueOnce(new ApiError(409, 'conflict', 'the last admin cannot be removed, demoted or disabled'));
    const w = await mountView(SettingsUsers);
    // The signed-in admin's own row has no disable, reset or delete: those would end their own session.
    expect(w.findAll('tr [data-test=user-toggle]')).toHaveLength(2);
    await w.findAll('tr [data-test=user-toggle]')[0]!.trigger('click');
    await flushPromises();
    expect(usersApi.updateUser).toHaveBeenCalledWith('u3', { disabled: true });
    expect(w.find('[data-test=users-error]').text()).toContain('the last admin cannot be removed, demoted or disabled');
    usersApi.updateUser.mockResolvedValue(buildUser({ disabled: true }));
    await w.findAll('tr [data-test=user-toggle]')[1]!.trigger('click');
    await flushPromises();
    expect(usersApi.updateUser).toHaveBeenLastCalledWith('u2', { disabled: true });
    expect(ElMessageBox.confirm).toHaveBeenCalledTimes(2);
  });
});

describe('audit log', () => {
  it('reads actions as words beside the raw name, and loads older pages with the cursor', async () => {
    auditApi.listAudit
      .mockResolvedValueOnce({ entries: [buildAuditEntry(), buildAuditEntry({ id: '9', action: 'PATCH /api/v1/rules/:id', route: '/api/v1/rules/:id', details: {} })], next_before: '9' })
      .mockResolvedValueOnce({ entries: [buildAuditEntry({ id: '8', action: 'auth.login' })], next_before: null });
    const w = await mountView(SettingsAudit);
    expect(auditApi.listAudit).toHaveBeenCalledWith({ limit: 50 });
    const rows = w.findAll('[data-test=audit-row]');
    expect(rows.map((r) => r.text())).toEqual(['User changed', 'Rule changed']);
    expect(w.text()).toContain('PATCH /api/v1/rules/:id');
    expect(w.find('[data-test=audit-details]').text()).toContain('changed: ["role"]');
    await w.find('[data-test=audit-load-more]').trigger('click');
    await flushPromises();
    expect(auditApi.listAudit).toHaveBeenLastCalledWith({ limit: 50, before: '9' });
    expect(w.findAll('[data-test=audit-row]').map((r) => r.attributes('data-id'))).toEqual(['10', '9', '8']);
    expect(w.find('[data-test=audit-end]').exists()).toBe(true);
  });

  it('keeps the rows when an older page fails, and asks for one action when filtered', async () => {
    auditApi.listAudit
      .mockResolvedValueOnce({ entries: [buildAuditEntry()], next_before: '10' })
      .mockRejectedValueOnce(new Error('database unavailable'))
      .mockResolvedValueOnce({ entries: [buildAuditEntry({ id: '3', action: 'user.create' })], next_before: null });
    const w = await mountView(SettingsAudit);
    await w.find('[data-test=audit-load-more]').trigger('click');
    await flushPromises();
    expect(w.findAll('[data-test=audit-row]')).toHaveLength(1);
    expect(w.find('[data-test=audit-more-error]').text()).toContain('database unavailable');
    (w.findComponent({ name: 'ElSelect' }).vm as unknown as { $emit: (e: string, v: string) => void }).$emit('update:modelValue', 'user.create');
    await flushPromises();
    expect(auditApi.listAudit).toHaveBeenLastCalledWith({ limit: 50, action: 'user.create' });
    expect(w.findAll('[data-test=audit-row]').map((r) => r.attributes('data-action'))).toEqual(['user.create']);
  });
});
