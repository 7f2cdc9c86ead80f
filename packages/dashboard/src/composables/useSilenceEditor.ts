import { computed, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../api/http';
import { createSilence, type Silence } from '../api/silences';
import { fieldErrors, type FieldErrors } from '../lib/field-errors';
import { emptySilence, silenceBody, validateSilence, type SilenceForm } from '../components/silences/silenceModel';

/** The fields the dialog shows errors at; anything else the server names is shown above its buttons. */
const SHOWN = ['matchers', 'starts_at', 'ends_at', 'duration_minutes', 'comment'];

/**
 * The create-silence form: client checks once the user tried to save, the server's field errors
 * until the form changes, and saving. `saved` gets the stored silence.
 */
export function useSilenceEditor(saved: (s: Silence) => void) {
  const { t } = useI18n();
  const form = ref<SilenceForm>(emptySilence());
  const submitted = ref(false);
  const saving = ref(false);
  const server = ref<FieldErrors>({});
  watch(form, () => void (server.value = {}), { deep: true });

  function reset(): void {
    form.value = emptySilence();
    submitted.value = false;
    server.value = {};
  }

  const errors = computed<FieldErrors>(() => ({ ...(submitted.value ? validateSilence(form.value, t) : {}), ...server.value }));
  const general = computed(() => Object.entries(errors.value).filter(([k]) => !k.startsWith('row#') && !SHOWN.some((f) => k === f || k.startsWith(`${f}.`))).map(([, v]) => v));

  async function save(): Promise<boolean> {
    submitted.value = true;
    if (Object.keys(validateSilence(form.value, t)).length > 0) return false;
    saving.value = true;
    try {
      saved(await createSilence(silenceBody(form.value)));
      return true;
    } catch (err) {
      const fields = err instanceof ApiError && err.status === 400 ? fieldErrors(err) : {};
      server.value = Object.keys(fields).length > 0 ? fields : { '': err instanceof Error ? err.message : String(err) };
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { form, errors, general, saving, reset, save };
}
