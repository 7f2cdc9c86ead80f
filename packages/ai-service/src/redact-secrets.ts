// Secrets that carry no fixed label: vendor tokens recognised by their shape, values after any
// secret-like word (`aws_secret_access_key=…`, `secret wJalr…`, `AccountKey=…`), cookies, and long
// high-entropy tokens. Labelled keys alone let an AWS secret access key written after the bare word
// "secret" reach the model, in the message and again in the template text sent with it.

export interface Rule {
  readonly kind: string;
  readonly pattern: RegExp;
  /** Returns the replacement, or undefined to keep the match (a check failed). */
  readonly replace?: (match: string, ...groups: string[]) => string | undefined;
}

export const tag = (kind: string): string => `[REDACTED:${kind}]`;

/** Shapes issued by one vendor: the prefix alone says it is a credential. */
export const VENDOR_RULES: readonly Rule[] = [
  { kind: 'api_key', pattern: /\bsk-[\w-]{16,}/g },
  { kind: 'api_key', pattern: /\b[sr]k_(?:live|test)_[0-9A-Za-z]{16,}/g }, // Stripe
  { kind: 'api_key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g }, // Google Cloud
  { kind: 'api_key', pattern: /\bSG\.[\w-]{16,}\.[\w-]{16,}/g }, // SendGrid
  { kind: 'api_key', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'aws_key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'cloud_key', pattern: /\bLTAI[0-9A-Za-z]{12,20}\b/g }, // Alibaba Cloud AccessKey ID
  { kind: 'cloud_key', pattern: /\bAKID[0-9A-Za-z]{13,40}\b/g }, // Tencent Cloud SecretId
  { kind: 'github_token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{22,})\b/g },
  { kind: 'gitlab_token', pattern: /\bglpat-[\w-]{20,}/g },
  { kind: 'slack_token', pattern: /\bxox[abposr]-[\w-]{10,}/g },
  // Robot URLs whose path is the credential; `<*>` stands where a template masked part of it.
  { kind: 'webhook', pattern: /(hooks\.slack\.com\/services\/)(?:[\w/]|<\*>)+/g, replace: (_m, host = '') => `${host}${tag('webhook')}` },
  { kind: 'webhook', pattern: /(\/open-apis\/bot\/(?:\w|<\*>)+\/hook\/)(?:[\w-]|<\*>)+/g, replace: (_m, path = '') => `${path}${tag('webhook')}` }, // Feishu, Lark
  { kind: 'signing_secret', pattern: /\bSEC[0-9a-f]{40,}\b/g }, // DingTalk robot signing secret
];

// Key names whose value is a secret whatever it looks like; `key` alone is one too (`?key=` of a WeCom
// robot URL). Names that merely contain "key" (`cache_key`) need the value to look like one.
const STRONG_KEY = /secret|token|passw|passphrase|pwd|credential|api[_-]?key|access[_-]?key|private[_-]?key|account[_-]?key|auth(?!or)|signature|^sig$|cookie|session[_-]?id|^key$/i;
const WEAK_KEY = /key/i;
// Values no credential has: booleans, empty markers, short numbers (`max_tokens=4096`).
const TRIVIAL = /^["']?(?:true|false|null|none|nil|yes|no|-|bearer|basic|digest|negotiate|\d{1,6})["']?$/i;

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/**
 * True when a value looks machine-made rather than a word: letters and digits mixed, a capital
 * inside a run of lower case, or base64 punctuation, eight characters or more.
 */
export function looksSecret(raw: string): boolean {
  const v = raw.replace(/^["'([]+|["')\].,;]+$/g, '');
  if (v.length < 8 || v.startsWith('[REDACTED')) return false;
  const letters = /[A-Za-z]/.test(v);
  return letters && (/\d/.test(v) || /[a-z][A-Z]/.test(v) || /[+/=]/.test(v));
}

/** True for a long random-looking token: upper, lower and digits mixed, with high entropy. */
export function isHighEntropy(v: string): boolean {
  const body = v.replace(/=+$/, '');
  if (body.length < 20 || !/[a-z]/.test(body) || !/[A-Z]/.test(body)) return false;
  if ((body.match(/\d/g) ?? []).length < 2) return false;
  return entropy(body) >= 4;
}

// A quoted value or a run up to a separator; `?` ends a run so a URL's query is read key by key.
const VALUE = `(?!\\[REDACTED)("[^"]*"|'[^']*'|[^\\s&,;?"'}\\]]+)`;

/** `name=value`, `name: value` and JSON `"name":"value"` where the name is secret-like. */
const namedValue: Rule = {
  kind: 'secret',
  // Not `scheme://`: a kept match is skipped whole, and the URL's own `?token=` must still be read.
  pattern: new RegExp(`(?<![\\w.-])([A-Za-z_][\\w.-]{0,63})("?\\s*[=:](?!\\/\\/)\\s*)${VALUE}`, 'g'),
  replace: (_m, key = '', sep = '', value = '') => {
    if (TRIVIAL.test(value)) return undefined;
    const strong = STRONG_KEY.test(key);
    if (!strong && !(WEAK_KEY.test(key) && (looksSecret(value) || isHighEntropy(value)))) return undefined;
    const quote = value.startsWith('"') || value.startsWith("'") ? value[0] : '';
    const kind = /passw|pwd|passphrase/i.test(key) ? 'password' : 'secret';
    return `${key}${sep}${quote}${tag(kind)}${quote}`;
  },
};

/** A secret-like word, a space, then a machine-made value (`secret wJalrXUtnFEMI/K7MDENG…`). */
const spacedValue: Rule = {
  kind: 'secret',
  pattern: /(?<![\w-])(secret|token|key|passwd|password|pwd|passphrase|credentials?|auth|apikey)(\s+)(?!\[REDACTED)(\S{8,})/gi,
  replace: (_m, word = '', space = '', value = '') => (looksSecret(value) ? `${word}${space}${tag('secret')}` : undefined),
};

/** Cookie headers: every value of the header, whatever its names. */
const cookie: Rule = {
  kind: 'cookie',
  pattern: /(?<![\w-])((?:set-)?cookie"?\s*[:=]\s*"?)(?!\[REDACTED)[^"\r\n]+/gi,
  replace: (_m, head = '') => `${head}${tag('cookie')}`,
};

/** Long random-looking runs with no label at all (a stray key pasted into a message). */
const highEntropy: Rule = {
  kind: 'secret',
  pattern: /(?<![\w+=-])[A-Za-z0-9+_-]{20,}={0,2}(?![\w+=-])/g,
  replace: (m) => (isHighEntropy(m) ? tag('secret') : undefined),
};

/** Rules for values after secret-like names and words, cookies, and unlabelled high-entropy tokens. */
export const LABEL_RULES: readonly Rule[] = [cookie, namedValue, spacedValue];
export const ENTROPY_RULES: readonly Rule[] = [highEntropy];
