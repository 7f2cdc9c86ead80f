import { computed, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { previewRule, type RuleBody, type RulePreview } from '../api/rules';

/** Stands in for a name not typed yet: the preview needs one, and no rule is stored by it. */
const UNNAMED = 'preview';

/**
 * "How often would this have fired?": the form as it is now, replayed by the server over the last
 * 24 hours. The form is checked first like a save (`validate`); a refusal from the server lands at
 * the fields through `refused`. `stale` says the form changed since the answer shown.
 */
export function useRulePreview(body: () => RuleBody, validate: () => boolean, refused: (err: unknown) => void) {
  const { t } = useI18n();
  const result = shallowRef<RulePreview | null>(null);
  const running = ref(false);
  const error = ref<string | null>(null);
  const asked = ref<string | null>(null);
  let seq = 0;

  const stale = computed(() => result.value !== null && asked.value !== JSON.stringify(body()));

  async function run(): Promise<void> {
    if (!validate()) {
      error.value = t('rules.preview.fix');
      return;
    }
    const mine = ++seq;
    const sent = body();
    running.value = true;
    error.value = null;
    try {
      const answer = await previewRule({ ...sent, name: sent.name || UNNAMED });
      if (mine !== seq) return;
      result.value = answer;
      asked.value = JSON.stringify(sent);
    } catch (err) {
      if (mine !== seq) return;
      refused(err);
      result.value = null;
      error.value = t('rules.preview.refused', { message: err instanceof Error ? err.message : String(err) });
    } finally {
      if (mine === seq) running.value = false;
    }
  }

  return { result, running, error, stale, run };
}
