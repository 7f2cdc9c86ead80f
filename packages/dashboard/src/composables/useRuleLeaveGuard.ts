import { ElMessageBox } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { onBeforeRouteLeave, onBeforeRouteUpdate } from 'vue-router';

/**
 * Asks before leaving the editor with unsaved edits (to another page, or to another rule in the
 * same view). The question is an ElMessageBox: a native confirm() blocks the page, and the
 * end-to-end tests fail on any native dialog. Closing the tab is not asked about, for the same reason.
 */
export function useRuleLeaveGuard(dirty: () => boolean) {
  const { t } = useI18n();
  async function mayLeave(): Promise<boolean> {
    if (!dirty()) return true;
    try {
      await ElMessageBox.confirm(t('rules.leave.text'), t('rules.leave.title'), {
        confirmButtonText: t('rules.leave.discard'),
        cancelButtonText: t('rules.leave.stay'),
        type: 'warning',
        customClass: 'ls-rule-leave-box',
      });
      return true;
    } catch {
      return false;
    }
  }
  onBeforeRouteLeave(mayLeave);
  onBeforeRouteUpdate(mayLeave);
  return { mayLeave };
}
