import { escapeMarkdown, fitBytes } from '../escape.js';
import { signDingTalkUrl } from '../signing.js';
import { codeCheck, postJson, targetOf, type Channel } from './channel.js';
import { markdownText, perSection } from './markdown.js';
import type { DingTalkConfig } from './schema.js';

const MAX_BODY = 20_000; // DingTalk refuses bodies over 20 KB
const check = codeCheck('errcode', [130101]); // 130101: "send too fast"

/** DingTalk custom robot: signed URL, markdown, optional @mobiles (ours, never from model text). */
export const dingtalk: Channel<DingTalkConfig> = {
  limits: [[20, 60_000]],
  target: (c) => targetOf('dingtalk', c.url),
  async send(ctx, c, _n, m) {
    const mobiles = c.atMobiles ?? [];
    const mention = mobiles.length > 0 ? `\n\n${mobiles.map((p) => `@${p}`).join(' ')}` : '';
    const body = fitBytes((budget) => JSON.stringify({
      msgtype: 'markdown',
      markdown: { title: `${m.headline} ${escapeMarkdown(m.ruleName)}`.slice(0, 100), text: markdownText(m, perSection(m, budget), '\n\n') + mention },
      at: { atMobiles: mobiles, isAtAll: false },
    }), MAX_BODY);
    const url = c.secret ? signDingTalkUrl(c.url, c.secret, ctx.now()) : c.url;
    return postJson(ctx, url, body, {}, check);
  },
};
