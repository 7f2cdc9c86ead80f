import { describe, expect, it } from 'vitest';
import { isChineseId, passesLuhn, redact } from '../src/redact.js';
import { ORDINARY_LINES, SECRET_SHAPES } from './secret-shapes.js';

describe('checksums', () => {
  it('accepts valid resident ID numbers and rejects a changed digit', () => {
    expect(isChineseId('11010519491231002X')).toBe(true);
    expect(isChineseId('11010519491231002x')).toBe(true);
    expect(isChineseId('110105194912310021')).toBe(false);
    expect(isChineseId('11010519491231002')).toBe(false);
  });

  it('implements Luhn', () => {
    for (const card of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '6250941006528599']) {
      expect(passesLuhn(card)).toBe(true);
    }
    expect(passesLuhn('4111111111111112')).toBe(false);
  });
});

describe('redact', () => {
  const cases: [string, string, string][] = [
    ['email', 'login failed for alice.smith+ops@example.co.uk', 'alice.smith'],
    ['phone', 'SMS to 13812345678 failed', '13812345678'],
    ['phone', 'SMS to +86 138-1234-5678 failed', '1234-5678'],
    ['phone', 'call +1 (415) 555-2671 now', '555-2671'],
    ['phone', 'call +44 20 7946 0958 now', '7946'],
    ['id_number', 'kyc check for 11010519491231002X', '11010519491231002X'],
    ['bank_card', 'charge card 4111111111111111 declined', '4111111111111111'],
    ['bank_card', 'charge card 5555 5555 5555 4444 declined', '5555 5555'],
    ['bank_card', 'unionpay 6250941006528599 ok', '6250941006528599'],
    ['api_key', 'using key sk-proj-Abcdefghijklmnop1234567890', 'Abcdefghijklmnop'],
    ['aws_key', 'aws AKIAIOSFODNN7EXAMPLE denied', 'IOSFODNN7'],
    ['github_token', 'push with ghp_abcdefghijklmnopqrstuvwxyz0123456789 failed', 'ghp_abc'],
    ['jwt', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'dozjg'],
    ['token', 'Authorization: Bearer abc123def456ghi789', 'abc123def456'],
    ['token', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', 'dXNlcj'],
    ['password', 'connect postgres://app:s3cr3t-Pw@db.internal:5432/app', 's3cr3t'],
    ['password', 'login user=bob password=hunter2 ok', 'hunter2'],
    ['password', '{"user":"bob","passwd":"open sesame"}', 'open sesame'],
    ['password', 'pwd: letmein!', 'letmein'],
    ['secret', 'GET /callback?token=tok_8f7a6b5c&state=1', 'tok_8f7a6b5c'],
    ['secret', 'config api_key=AbC123xYz secret=shh', 'AbC123xYz'],
    ['private_key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA'],
    ['private_key', 'key dump -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg (cut)', 'MIIEvQIBADANBg'],
  ];

  it.each(cases)('replaces %s values (%s)', (kind, input, secret) => {
    const out = redact(input);
    expect(out).toContain(`[REDACTED:${kind}]`);
    expect(out).not.toContain(secret);
  });

  it('leaves ordinary log text alone', () => {
    const lines = [
      'Database connection failed: timeout after 30s',
      'GET /api/v1/users/12345 200 in 35ms',
      'Basic authentication failed for user bob',
      'request took 1700000000123 ns at 2026-01-02T03:04:05Z, pid 4242',
      'order 110105194912310021 not found',
      'card number 4111111111111112 rejected as invalid',
      'Token expired, refreshing session',
    ];
    for (const line of lines) expect(redact(line)).toBe(line);
  });

  it.each(SECRET_SHAPES.map((c) => [c.name, c] as const))('removes %s', (_name, c) => {
    const out = redact(c.line);
    expect(out).not.toContain(c.secret);
    expect(out).toContain('[REDACTED:');
  });

  it.each(ORDINARY_LINES)('keeps ordinary text: %s', (line) => {
    expect(redact(line)).toBe(line);
  });

  it('redacts a template as it redacts the message, <*> inside the secret included', () => {
    const template = 'secret wJalrXUtnFEMI/<*>/bPxRfiCYEXAMPLEKEY used';
    expect(redact(template)).toBe('secret [REDACTED:secret] used');
  });

  it('keeps the user name and host of a URL with a password', () => {
    expect(redact('redis://cache:pw123@10.0.0.5:6379/0')).toBe('redis://cache:[REDACTED:password]@10.0.0.5:6379/0');
  });

  it('is idempotent', () => {
    const once = redact('mail bob@example.com password=x token=y 13812345678');
    expect(redact(once)).toBe(once);
  });
});
