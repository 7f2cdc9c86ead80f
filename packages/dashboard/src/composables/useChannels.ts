import { computed } from 'vue';
import { listChannels, listDeliveries, type Channel, type Delivery } from '../api/channels';
import { usePolling } from './usePolling';

export interface ChannelsData {
  channels: Channel[];
  /** Each channel's newest outbox row: null when it has none, undefined when it could not be read. */
  last: Record<string, Delivery | null | undefined>;
}

/** The channels with their last delivery state, polled like every list. */
export function useChannels() {
  const polled = usePolling<ChannelsData>(async (signal) => {
    const channels = await listChannels(signal);
    // One small read per channel: the outbox has no "latest per channel" query, and channels are few.
    const last = await Promise.all(
      channels.map((c) => listDeliveries({ channel_id: c.id, limit: 1 }, signal).then((r) => r[0] ?? null, () => undefined)),
    );
    return { channels, last: Object.fromEntries(channels.map((c, i) => [c.id, last[i]])) };
  });
  const channels = computed(() => polled.data.value?.channels ?? []);
  const last = computed(() => polled.data.value?.last ?? {});
  return { ...polled, channels, last };
}
