import { escapeMarkdown, truncateBytes } from '../escape.js';
import type { Message } from '../render.js';

/**
 * The markdown shared by DingTalk and WeCom robots. Untrusted values are escaped; each long section
 * is cut to `sectionBytes` so the whole message can be fitted to the provider's size limit.
 */
export function markdownText(m: Message, sectionBytes: number, br: string): string {
  const esc = escapeMarkdown;
  const cut = (s: string) => truncateBytes(s, sectionBytes);
  return [
    `### ${m.headline} ${esc(m.ruleName)}`,
    ...m.facts.map(([k, v]) => `**${k}**: ${esc(v)}`),
    ...m.sections.map(([k, v]) => `**${k}**: ${esc(cut(v))}`),
    ...m.notes.map((n) => `> ${n}`),
    `[${m.linkLabel}](${m.link})`,
  ].join(br);
}

/** Plain text: no markup to escape, mentions and links still made inert. */
export function plainText(m: Message, sectionBytes: number, esc: (s: string) => string): string {
  const cut = (s: string) => truncateBytes(s, sectionBytes);
  return [
    `${m.headline} ${esc(m.ruleName)}`,
    ...m.facts.map(([k, v]) => `${k}: ${esc(v)}`),
    ...m.sections.map(([k, v]) => `${k}: ${esc(cut(v))}`),
    ...m.notes,
    `${m.linkLabel}: ${m.link}`,
  ].join('\n');
}

/** Budget per section when `total` bytes are shared among the message's sections. */
export function perSection(m: Message, total: number): number {
  return Math.max(0, Math.floor(total / Math.max(1, m.sections.length)));
}
