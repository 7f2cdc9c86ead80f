import { defang, escapeMarkdown, fitBytes, truncateBytes } from '../escape.js';
import type { Message } from '../render.js';
import { signFeishu } from '../signing.js';
import { codeCheck, postJson, targetOf, type Channel } from './channel.js';
import { perSection } from './markdown.js';
import type { FeishuConfig } from './schema.js';

const MAX_BODY = 20_000; // Feishu refuses request bodies over 20 KB
const check = codeCheck('code', [9499, 11232]); // frequency limited
const COLOURS = { critical: 'red', high: 'orange', medium: 'yellow', low: 'blue', info: 'grey' } as const;

const md = (content: string) => ({ tag: 'lark_md', content });

/** The interactive card: header, facts, sections (escaped lark_md), notes, a button to the alert. */
function card(m: Message, sectionBytes: number): Record<string, unknown> {
  const esc = escapeMarkdown;
  return {
    config: { wide_screen_mode: true },
    header: {
      title: { tag: 'plain_text', content: `${m.headline} ${defang(m.ruleName)}` },
      template: m.status === 'resolved' ? 'green' : COLOURS[m.severity],
    },
    elements: [
      { tag: 'div', fields: m.facts.map(([k, v]) => ({ is_short: true, text: md(`**${k}**\n${esc(v)}`) })) },
      ...m.sections.map(([k, v]) => ({ tag: 'div', text: md(`**${k}**\n${esc(truncateBytes(v, sectionBytes))}`) })),
      ...(m.notes.length > 0 ? [{ tag: 'note', elements: [{ tag: 'plain_text', content: m.notes.join(' ') }] }] : []),
      { tag: 'action', actions: [{ tag: 'button', text: { tag: 'plain_text', content: m.linkLabel }, type: 'primary', url: m.link }] },
    ],
  };
}

/** Feishu/Lark custom bot: signed body (timestamp, sign), an interactive card. */
export const feishu: Channel<FeishuConfig> = {
  limits: [[5, 1000], [100, 60_000]],
  target: (c) => targetOf('feishu', c.url),
  async send(ctx, c, _n, m) {
    const signed = c.secret ? signFeishu(c.secret, ctx.now()) : {};
    const body = fitBytes((budget) => JSON.stringify({ ...signed, msg_type: 'interactive', card: card(m, perSection(m, budget)) }), MAX_BODY);
    return postJson(ctx, c.url, body, {}, check);
  },
};
