import type { Queryable } from '../../db/types.js';
import type { ChannelType, Language } from './types.js';

/** A stored channel, secrets included: never returned by the API as is. */
export interface ChannelRow {
  id: string;
  name: string;
  type: ChannelType;
  enabled: boolean;
  language: Language | null;
  config: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

interface Raw {
  id: string; name: string; type: ChannelType; enabled: boolean; language: Language | null;
  config: Record<string, unknown>; created_at: Date | string; updated_at: Date | string;
}

const row = (r: Raw): ChannelRow => ({
  id: r.id, name: r.name, type: r.type, enabled: r.enabled, language: r.language, config: r.config,
  createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
});

export type ChannelFields = Pick<ChannelRow, 'name' | 'type' | 'enabled' | 'language' | 'config'>;

/** Inserts a channel and returns it. */
export async function insertChannel(q: Queryable, c: ChannelFields): Promise<ChannelRow> {
  const res = await q.query<Raw>(
    'INSERT INTO notify_channels (name, type, enabled, language, config) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING *',
    [c.name, c.type, c.enabled, c.language, JSON.stringify(c.config)],
  );
  return row(res.rows[0]!);
}

/** Every channel, oldest first. */
export async function listChannels(q: Queryable): Promise<ChannelRow[]> {
  return (await q.query<Raw>('SELECT * FROM notify_channels ORDER BY created_at, id')).rows.map(row);
}

/** The channels with these ids (unknown ids are skipped). */
export async function channelsByIds(q: Queryable, ids: string[]): Promise<ChannelRow[]> {
  return (await q.query<Raw>('SELECT * FROM notify_channels WHERE id = ANY($1::text[])', [ids])).rows.map(row);
}

/** Replaces a channel's fields; undefined when it does not exist. */
export async function updateChannel(q: Queryable, id: string, c: ChannelFields): Promise<ChannelRow | undefined> {
  const res = await q.query<Raw>(
    `UPDATE notify_channels SET name = $2, enabled = $3, language = $4, config = $5::jsonb, updated_at = now()
      WHERE id = $1 RETURNING *`,
    [id, c.name, c.enabled, c.language, JSON.stringify(c.config)],
  );
  return res.rows[0] && row(res.rows[0]);
}

/** Deletes a channel and its outbox rows; false when it did not exist. */
export async function deleteChannel(q: Queryable, id: string): Promise<boolean> {
  return (await q.query('DELETE FROM notify_channels WHERE id = $1', [id])).rowCount > 0;
}
