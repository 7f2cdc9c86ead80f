import { computed, ref, shallowRef, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ApiError } from '../api/http';
import { createRule, getRule, updateRule, type Rule, type RuleBody } from '../api/rules';
import { fieldErrors, type FieldErrors } from '../lib/field-errors';
import { bodyFromForm, changedFields, emptyForm, formFromRule, stillStanding, type RuleForm } from '../components/rules/ruleModel';
import { validateRule } from '../components/rules/ruleValidation';

/** The fields the editor shows a reason under; a reason for anything else goes to the form's banner. */
export const RULE_FIELDS = [
  'kind', 'name', 'description', 'enabled', 'conditions.min_severity', 'conditions.anomaly', 'conditions.categories', 'conditions.services',
  'conditions.service_pattern', 'conditions.levels', 'conditions.templates', 'conditions.text_contains', 'conditions.text_regex',
  'conditions.ignore_case', 'threshold', 'group_by', 'group_wait_seconds', 'group_interval_seconds', 'repeat_interval_seconds',
  'resolve_after_minutes', 'notify_resolved', 'channel_ids',
];
const shown = (key: string): boolean => RULE_FIELDS.some((f) => key === f || key.startsWith(`${f}.`));

/** Splits an API refusal into reasons under fields and one line for the rest (null when all have a field). */
export function splitRefusal(err: unknown): { fields: FieldErrors; general: string | null } {
  const all = fieldErrors(err);
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const [k, v] of Object.entries(all)) {
    if (k && shown(k)) fields[k] = v;
    else rest.push(k ? `${k}: ${v}` : v);
  }
  if (rest.length) return { fields, general: rest.join('; ') };
  return { fields, general: Object.keys(fields).length ? null : err instanceof Error ? err.message : String(err) };
}

/** Loads rule `id()` whenever it changes ('new': none) and hands it to `show`. */
function useRuleLoader(id: () => string, current: () => Rule | null, show: (r: Rule | null) => void) {
  const loading = ref(false);
  const loadError = ref<Error | null>(null);
  const notFound = ref(false);
  async function load(): Promise<void> {
    const want = id();
    notFound.value = false;
    loadError.value = null;
    if (want === 'new') return show(null);
    if (current()?.id === want) return; // just created here: the answer is already shown
    loading.value = true;
    try {
      const r = await getRule(want);
      if (id() === want) show(r);
    } catch (err) {
      if (id() !== want) return;
      if (err instanceof ApiError && err.status === 404) notFound.value = true;
      else loadError.value = err instanceof Error ? err : new Error(String(err));
    } finally {
      if (id() === want) loading.value = false;
    }
  }
  watch(id, () => void load(), { immediate: true });
  return { loading, loadError, notFound, load };
}

/**
 * One rule's editor (id 'new' for a new one): the form, whether it differs from what is stored,
 * the reasons it cannot be saved (found here or sent by the server, by field), and save: POST for
 * a new rule (then its own address), PATCH with only the changed fields for a stored one.
 */
export function useRuleEditor(id: () => string) {
  const { t } = useI18n();
  const router = useRouter();
  const form = ref<RuleForm>(emptyForm());
  const rule = shallowRef<Rule | null>(null);
  const baseline = ref<RuleBody>(bodyFromForm(emptyForm()));
  const errors = ref<FieldErrors>({});
  const formError = ref<string | null>(null);
  const saving = ref(false);
  const isNew = computed(() => id() === 'new');
  const body = computed(() => bodyFromForm(form.value));
  const dirty = computed(() => JSON.stringify(body.value) !== JSON.stringify(baseline.value));
  // A reason goes away once its input changed: it may no longer hold, and the next check says.
  watch(body, (after, before) => void (errors.value = stillStanding(errors.value, before, after)));

  function show(r: Rule | null): void {
    rule.value = r;
    form.value = r ? formFromRule(r) : emptyForm();
    baseline.value = bodyFromForm(form.value);
    errors.value = {};
    formError.value = null;
  }
  const loader = useRuleLoader(id, () => rule.value, show);

  /**
   * Checks the form as the server would; false (with the reasons shown) when it cannot be sent.
   * A preview needs no name yet (one stands in for it).
   */
  function validate(purpose: 'save' | 'preview' = 'save'): boolean {
    const found = validateRule(form.value, (k, v) => t(k, v ?? {}));
    if (purpose === 'preview' && !form.value.name.trim()) delete found.name;
    errors.value = found;
    formError.value = null;
    return Object.keys(errors.value).length === 0;
  }
  /** Shows the server's refusal at its fields. */
  function refused(err: unknown): void {
    ({ fields: errors.value, general: formError.value } = splitRefusal(err));
  }

  async function save(): Promise<boolean> {
    if (!validate()) {
      formError.value = t('rules.save.fix');
      return false;
    }
    const stored = isNew.value ? null : rule.value;
    const changes = stored ? changedFields(baseline.value, body.value) : body.value;
    if (stored && Object.keys(changes).length === 0) return true;
    saving.value = true;
    try {
      const saved = stored ? await updateRule(stored.id, changes) : await createRule(body.value);
      show(saved);
      ElMessage.success(t(stored ? 'rules.save.saved' : 'rules.save.created', { name: saved.name }));
      if (!stored) await router.replace({ name: 'rule', params: { id: saved.id } });
      return true;
    } catch (err) {
      refused(err);
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { ...loader, form, rule, body, isNew, errors, formError, saving, dirty, validate, refused, save, show };
}
