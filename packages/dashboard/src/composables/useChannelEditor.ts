import { computed, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '../api/http';
import { createChannel, updateChannel, type Channel, type ChannelType } from '../api/channels';
import { fieldErrors, type FieldErrors } from '../lib/field-errors';
import { createBody, emptyForm, formFromChannel, needsReentry, patchBody, type ChannelForm } from '../components/channels/channelForm';
import { validateChannel } from '../components/channels/channelValidate';

/** Field errors that no input shows (the settings object as a whole, unknown fields): shown above the buttons. */
export function generalErrors(errors: FieldErrors): string[] {
  return Object.entries(errors)
    .filter(([k]) => k !== 'name' && !k.startsWith('config.') && !k.startsWith('headers#'))
    .map(([, v]) => v);
}

/**
 * The channel editor's state: the form, client checks (shown once the user tried to save), the
 * server's field errors (until the form changes again) and saving. `original` is the channel being
 * edited, null for a new one.
 */
export function useChannelEditor(original: () => Channel | null, saved: (c: Channel) => void) {
  const { t } = useI18n();
  const form = ref<ChannelForm>(emptyForm());
  const submitted = ref(false);
  const saving = ref(false);
  const server = ref<FieldErrors>({});

  // Any change after a refusal may have fixed it: the server's messages go, the client's checks stay.
  watch(form, () => void (server.value = {}), { deep: true });

  function reset(type: ChannelType = 'dingtalk'): void {
    const o = original();
    form.value = o ? formFromChannel(o) : emptyForm(type);
    submitted.value = false;
    server.value = {};
  }

  /** A new type on a new channel: its own blank settings, the common fields kept. */
  function switchType(type: ChannelType): void {
    const { name, enabled, language } = form.value;
    form.value = { ...emptyForm(type), name, enabled, language };
  }

  const reentry = computed(() => ({ secret: needsReentry(form.value, original(), 'secret'), password: needsReentry(form.value, original(), 'password') }));
  const errors = computed<FieldErrors>(() => ({ ...(submitted.value ? validateChannel(form.value, original(), t) : {}), ...server.value }));

  async function save(): Promise<boolean> {
    submitted.value = true;
    const o = original();
    if (Object.keys(validateChannel(form.value, o, t)).length > 0) return false;
    saving.value = true;
    try {
      const c = o ? await updateChannel(o.id, patchBody(form.value, o)) : await createChannel(createBody(form.value));
      saved(c);
      return true;
    } catch (err) {
      const fields = err instanceof ApiError && err.status === 400 ? fieldErrors(err, 'config.') : {};
      server.value = Object.keys(fields).length > 0 ? fields : { '': err instanceof Error ? err.message : String(err) };
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { form, errors, reentry, saving, reset, switchType, save };
}
