import { ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { deleteRule, setRuleEnabled, type Rule } from '../api/rules';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Enable, disable and delete (after an ElMessageBox confirmation: a native confirm() would block
 * the page, and the end-to-end tests refuse every native dialog), with the outcome as a message.
 */
export function useRuleActions() {
  const { t } = useI18n();
  /** Ids of the rules with a request in flight (their switch and buttons wait). */
  const busy = ref(new Set<string>());
  const mark = (id: string, on: boolean): void => {
    const next = new Set(busy.value);
    if (on) next.add(id);
    else next.delete(id);
    busy.value = next;
  };

  /** Turns a rule on or off; the stored rule, or null when the server refused. */
  async function toggle(rule: Pick<Rule, 'id' | 'name'>, enabled: boolean): Promise<Rule | null> {
    mark(rule.id, true);
    try {
      const r = await setRuleEnabled(rule.id, enabled);
      ElMessage.success(t(enabled ? 'rules.action.enabled' : 'rules.action.disabled', { name: r.name }));
      return r;
    } catch (err) {
      ElMessage.error(t('rules.action.toggleFailed', { message: message(err) }));
      return null;
    } finally {
      mark(rule.id, false);
    }
  }

  /** Asks, then deletes; true when the rule is gone. */
  async function remove(rule: Pick<Rule, 'id' | 'name'>): Promise<boolean> {
    try {
      await ElMessageBox.confirm(t('rules.delete.text', { name: rule.name }), t('rules.delete.title'), {
        confirmButtonText: t('rules.delete.confirm'),
        cancelButtonText: t('rules.delete.cancel'),
        type: 'warning',
        confirmButtonClass: 'el-button--danger',
        customClass: 'ls-rule-delete-box',
      });
    } catch {
      return false; // cancelled
    }
    mark(rule.id, true);
    try {
      await deleteRule(rule.id);
      ElMessage.success(t('rules.delete.done', { name: rule.name }));
      return true;
    } catch (err) {
      ElMessage.error(t('rules.delete.failed', { message: message(err) }));
      return false;
    } finally {
      mark(rule.id, false);
    }
  }

  return { busy, toggle, remove };
}
