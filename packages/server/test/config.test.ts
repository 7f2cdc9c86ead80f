import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_SPEC, parseConfig } from '../src/config/index.js';
import { AppError } from '../src/lib/errors.js';

describe('configuration', () => {
  it('uses the embedded defaults when nothing is set', () => {
    const cfg = parseConfig({});
    expect(cfg.PORT).toBe(8080);
    expect(cfg.databaseUrl).toBeUndefined();
    expect(cfg.DATA_DIR).toBe('./data');
    expect(cfg.RETENTION_DAYS).toBe(7);
    expect(cfg.MAX_BODY_BYTES).toBe(10 * 1024 * 1024);
    expect(cfg.SILICONFLOW_MODEL).toBe('Qwen/QwQ-32B');
  });

  it("builds the PostgreSQL URL from the seed's DB_HOST and DB_PORT, and lets DATABASE_URL win", () => {
    expect(parseConfig({ DB_HOST: 'pg.internal', DB_PORT: '6543', DB_PASSWORD: 'p@ss' }).databaseUrl).toBe(
      'postgres://postgres:p%40ss@pg.internal:6543/logsage',
    );
    expect(parseConfig({ DB_HOST: 'x', DATABASE_URL: 'postgres://a@b/c' }).databaseUrl).toBe('postgres://a@b/c');
  });

  it('lists every bad variable in one error, without echoing secrets', () => {
    let err: unknown;
    try {
      parseConfig({ PORT: 'eighty', RETENTION_DAYS: '0', DATABASE_URL: 'mysql://root:hunter2@x/db', LOG_LEVEL: 'loud', LOG_PRETTY: 'maybe' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const message = (err as AppError).message;
    for (const name of ['PORT', 'RETENTION_DAYS', 'DATABASE_URL', 'LOG_LEVEL', 'LOG_PRETTY']) expect(message).toContain(`${name}:`);
    expect(message).not.toContain('hunter2');
    expect((err as AppError).details).toMatchObject({ problems: expect.arrayContaining([expect.stringMatching(/^PORT: must be a whole number/)]) });
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    for (const [name, spec] of Object.entries(CONFIG_SPEC)) {
      expect(example, name).toMatch(new RegExp(`^#?${name}=`, 'm'));
      expect(example, name).toContain(spec.doc);
    }
  });
});
