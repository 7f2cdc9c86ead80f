// Redaction of secrets and personal data before anything leaves the process (GUIDE §5: log text
// is attacker-controlled and may carry credentials). Each hit becomes a typed placeholder such as
// `[REDACTED:email]`, so the model still knows what kind of value stood there.
import { ENTROPY_RULES, LABEL_RULES, tag, VENDOR_RULES, type Rule } from './redact-secrets.js';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** True for an 18-character Chinese resident ID number whose check character matches. */
export function isChineseId(value: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] === value[17]?.toUpperCase();
}

/** True when the digit string passes the Luhn check used by payment cards. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function cardOrId(match: string): string | undefined {
  const digits = match.replace(/[ -]/g, '');
  if (digits.length === 18 && isChineseId(digits)) return tag('id_number');
  // Cards start with 2-6 (Mastercard 2-series, Amex/JCB 3, Visa 4, Mastercard 5, UnionPay and
  // Discover 6); requiring it keeps millisecond timestamps (1…) from being taken for cards.
  if (/^\d+$/.test(digits) && /^[2-6]/.test(digits) && passesLuhn(digits)) return tag('bank_card');
  return undefined;
}

function internationalPhone(match: string): string | undefined {
  const count = match.replace(/\D/g, '').length;
  return count >= 8 && count <= 15 ? tag('phone') : undefined;
}

// Every rule that starts with an unbounded run begins only where that run begins (a lookbehind):
// otherwise a 16 KB line of word characters costs quadratic time, and log text is attacker-made.
// Order matters: structured secrets first (a JWT inside `Bearer …`, a password inside a URL
// before the email rule sees `pass@host`), digit rules last.
const RULES: readonly Rule[] = [
  {
    kind: 'private_key',
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----|[\s\S]*$)/g,
  },
  {
    kind: 'password',
    pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]*):([^\s@/]+)@/gi,
    replace: (_m, scheme = '', user = '') => `${scheme}${user}:${tag('password')}@`,
  },
  { kind: 'jwt', pattern: /\beyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]+/g },
  {
    kind: 'token',
    pattern: /\b(Bearer)\s+(?!\[REDACTED)[\w.~+/=-]{8,}/gi,
    replace: (_m, scheme = '') => `${scheme} ${tag('token')}`,
  },
  {
    // Basic credentials are base64; demanding a digit or padding keeps prose ("Basic authentication
    // failed") intact.
    kind: 'token',
    pattern: /\b(Basic)\s+(?=[A-Za-z0-9+/]*[0-9=])[A-Za-z0-9+/]{8,}={0,2}/g,
    replace: (_m, scheme = '') => `${scheme} ${tag('token')}`,
  },
  ...VENDOR_RULES,
  ...LABEL_RULES,
  ...ENTROPY_RULES,
  { kind: 'email', pattern: /(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: 'id_number', pattern: /(?<![\w-])\d{17}[\dXx](?![\w-])/g, replace: (m) => (isChineseId(m) ? tag('id_number') : undefined) },
  { kind: 'bank_card', pattern: /(?<![\w-])(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?)(?![\w-])/g, replace: cardOrId },
  { kind: 'phone', pattern: /(?<![\w+])(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g },
  { kind: 'phone', pattern: /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?![\w])/g, replace: internationalPhone },
];

/** Replaces secrets and personal data in `text` with typed placeholders like `[REDACTED:email]`. */
export function redact(text: string): string {
  let out = text;
  for (const rule of RULES) {
    const { replace, kind } = rule;
    out = out.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
      if (!replace) return tag(kind);
      const groups = rest.filter((g): g is string => typeof g === 'string');
      return replace(match, ...groups) ?? match;
    });
  }
  return out;
}
