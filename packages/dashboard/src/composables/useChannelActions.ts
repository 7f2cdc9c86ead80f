import { reactive } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { deleteChannel, testChannel, updateChannel, type Channel, type TestResult } from '../api/channels';

/** A channel's last test send: running, or its outcome (the server's, or why the request itself failed). */
export interface TestState {
  running: boolean;
  result?: TestResult;
  at?: number;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Test send, enable/disable and delete, each reporting back; `changed` reloads the list. Test outcomes
 * stay beside their channel (a toast would vanish before a slow robot answered).
 */
export function useChannelActions(changed: () => void) {
  const { t } = useI18n();
  const tests = reactive<Record<string, TestState>>({});
  const toggling = reactive<Record<string, boolean>>({});

  async function test(c: Channel): Promise<void> {
    tests[c.id] = { running: true };
    let result: TestResult;
    try {
      result = await testChannel(c.id);
    } catch (err) {
      result = { ok: false, status: null, error: message(err) };
    }
    tests[c.id] = { running: false, result, at: Date.now() };
    changed();
  }

  async function setEnabled(c: Channel, enabled: boolean): Promise<void> {
    toggling[c.id] = true;
    try {
      await updateChannel(c.id, { enabled });
      ElMessage.success(t(enabled ? 'channels.done.enabled' : 'channels.done.disabled', { name: c.name }));
      changed();
    } catch (err) {
      ElMessage.error(t('channels.done.failed', { message: message(err) }));
    } finally {
      toggling[c.id] = false;
    }
  }

  /** Asks first: the channel's outbox rows (sent, waiting and parked notifications) go with it. */
  async function remove(c: Channel): Promise<void> {
    try {
      await ElMessageBox.confirm(t('channels.confirmDelete.text', { name: c.name }), t('channels.confirmDelete.title'), {
        type: 'warning', confirmButtonText: t('channels.action.delete'), cancelButtonText: t('channels.action.cancel'), confirmButtonClass: 'el-button--danger',
      });
    } catch {
      return; // cancelled
    }
    try {
      await deleteChannel(c.id);
      delete tests[c.id];
      ElMessage.success(t('channels.done.deleted', { name: c.name }));
      changed();
    } catch (err) {
      ElMessage.error(t('channels.done.failed', { message: message(err) }));
    }
  }

  return { tests, toggling, test, setEnabled, remove };
}
