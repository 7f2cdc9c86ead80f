import { defang, fitBytes } from '../escape.js';
import { codeCheck, postJson, targetOf, type Channel } from './channel.js';
import { markdownText, perSection, plainText } from './markdown.js';
import type { WeComConfig } from './schema.js';

// WeCom counts the content, not the body: markdown up to 4096 bytes, text up to 2048 bytes.
const MAX_MARKDOWN = 4096;
const MAX_TEXT = 2048;
const check = codeCheck('errcode', [45009]); // 45009: API frequency limit

/** WeCom group robot: key in the URL, markdown (default) or text with mentioned mobiles. */
export const wecom: Channel<WeComConfig> = {
  limits: [[20, 60_000]],
  target: (c) => targetOf('wecom', c.url),
  async send(ctx, c, _n, m) {
    let body: string;
    if (c.format === 'text') {
      const content = fitBytes((budget) => plainText(m, perSection(m, budget), defang), MAX_TEXT);
      body = JSON.stringify({ msgtype: 'text', text: { content, mentioned_mobile_list: c.mentionedMobiles ?? [] } });
    } else {
      const content = fitBytes((budget) => markdownText(m, perSection(m, budget), '\n'), MAX_MARKDOWN);
      body = JSON.stringify({ msgtype: 'markdown', markdown: { content } });
    }
    return postJson(ctx, c.url, body, {}, check);
  },
};
