import { defang, escapeSlack, truncateBytes } from '../escape.js';
import type { Message } from '../render.js';
import { postJson, targetOf, type Channel, type ProviderCheck } from './channel.js';
import type { SlackConfig } from './schema.js';

const plain = (text: string) => ({ type: 'plain_text', text, emoji: false });
// Slack's own limits: header 150 characters, section text 3000, field text 2000.
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Blocks: untrusted text goes into plain_text objects (no mentions, links or formatting are parsed
 * there); the notification fallback `text` is mrkdwn and is escaped.
 */
function blocks(m: Message): unknown[] {
  return [
    { type: 'header', text: plain(cut(`${m.headline} ${defang(m.ruleName)}`, 150)) },
    { type: 'section', fields: m.facts.slice(0, 10).map(([k, v]) => plain(cut(`${k}: ${defang(v)}`, 2000))) },
    ...m.sections.map(([k, v]) => ({ type: 'section', text: plain(cut(`${k}\n${defang(truncateBytes(v, 8000))}`, 3000)) })),
    ...(m.notes.length > 0 ? [{ type: 'context', elements: [plain(cut(m.notes.join(' '), 2000))] }] : []),
    { type: 'actions', elements: [{ type: 'button', text: plain(m.linkLabel), url: m.link }] },
  ];
}

// Incoming webhooks answer "ok" as text; errors come as 4xx with a reason we do not show.
const check: ProviderCheck = () => undefined;

/** Slack incoming webhook: escaped fallback text and Block Kit blocks. */
export const slack: Channel<SlackConfig> = {
  limits: [[1, 1000]],
  target: (c) => targetOf('slack', c.url),
  async send(ctx, c, _n, m) {
    const text = cut(`${m.headline} ${escapeSlack(m.ruleName)} ${m.facts.map(([k, v]) => `${k}: ${escapeSlack(v)}`).join(' · ')}`, 3000);
    return postJson(ctx, c.url, JSON.stringify({ text, blocks: blocks(m) }), {}, check);
  },
};
