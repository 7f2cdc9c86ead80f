// Model and log text is attacker-controlled: a log line can carry "@all", a phishing link or markup
// that a chat client would render. Every untrusted string goes through one of these before it is
// placed into a message.

const ZWSP = '\u200b';
// Bare domains chat clients turn into links; dotted identifiers such as java.lang.Foo stay untouched.
const TLD = /([a-z0-9-])\.(com|net|org|cn|io|ru|xyz|top|info|me|co|app|dev|site|online|link|cc|tk|biz|us|uk|de|jp|vip|shop)(?![a-z0-9])/gi;

/** Makes mentions and links inert: "@all" stops mentioning, "https://x.com" stops being a link. */
export function defang(s: string): string {
  return s
    .replace(/[@＠]/g, (m) => m + ZWSP)
    .replace(/([a-z][a-z0-9+.-]*):\/\//gi, '$1[:]//')
    .replace(/\bwww\./gi, 'www[.]')
    .replace(TLD, '$1[.]$2');
}

const MARKDOWN_MAP: Record<string, string> = {
  '[': '［', ']': '］', '<': '＜', '>': '＞', '*': '＊', '`': 'ˋ', '#': '＃', '~': '～', '|': '｜', '&': '＆', '\\': '＼',
};

/**
 * Escapes untrusted text for DingTalk, WeCom and Feishu markdown. These dialects have no reliable
 * backslash escape, so markup characters become their full-width look-alikes: no link, image,
 * heading, quote, emphasis, HTML tag (<font>, <at>, <@userid>) or entity can be formed.
 */
export function escapeMarkdown(s: string): string {
  return defang(s)
    .replace(/[[\]<>*`#~|&\\]/g, (c) => MARKDOWN_MAP[c]!)
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '＿'); // emphasis; snake_case identifiers stay as they are
}

/** Escapes untrusted text for Slack mrkdwn: &, < and > are the only control characters (<!channel>, <@U…>, <url|x>). */
export function escapeSlack(s: string): string {
  return defang(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes untrusted text for HTML email. */
export function escapeHtml(s: string): string {
  return defang(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Cuts `s` to at most `maxBytes` UTF-8 bytes on a character boundary, ending with "…" when cut. */
export function truncateBytes(s: string, maxBytes: number, marker = '…'): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  const room = maxBytes - Buffer.byteLength(marker);
  if (room <= 0) return '';
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    // iterating by code point keeps surrogate pairs (emoji) whole
    const n = Buffer.byteLength(ch);
    if (bytes + n > room) break;
    bytes += n;
    out += ch;
  }
  return out + marker;
}

/**
 * Builds a payload whose untrusted part is cut until the whole fits `limit` bytes: `build(budget)`
 * gets a byte budget for the untrusted text and returns the serialized payload.
 */
export function fitBytes(build: (budget: number) => string, limit: number, start = limit): string {
  let budget = start;
  for (let i = 0; i < 20; i++) {
    const out = build(budget);
    const over = Buffer.byteLength(out) - limit;
    if (over <= 0) return out;
    budget = Math.max(0, budget - over - 16);
  }
  return build(0);
}
