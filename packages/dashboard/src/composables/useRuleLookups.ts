import { computed } from 'vue';
import { listServices } from '../api/logs';
import { listChannels } from '../api/channels';
import { usePolling } from './usePolling';

/**
 * What the rule editor offers to pick from: the services that sent logs and the notification
 * channels. Loaded once (they change rarely; the header's refresh button loads them again).
 */
export function useRuleLookups() {
  const services = usePolling(async (signal) => (await listServices(signal)).map((s) => s.name).sort(), { seconds: () => 0 });
  const channels = usePolling((signal) => listChannels(signal), { seconds: () => 0 });
  return {
    services: computed(() => services.data.value ?? []),
    channels: computed(() => channels.data.value),
    channelsError: computed(() => (channels.data.value ? null : (channels.error.value?.message ?? null))),
  };
}
