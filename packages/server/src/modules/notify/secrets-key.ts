import { randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import { BadValue } from '../../config/spec.js';
import { secretsKey } from '../../config/vars-alerting.js';
import { AppError } from '../../lib/errors.js';

export const SECRETS_KEY_FILE = 'secrets.key';

/** Where the key came from: the environment, a file written by an earlier start, or this start. */
export type SecretsKeySource = 'env' | 'file' | 'generated';

function readKeyFile(file: string): KeyObject {
  try {
    return secretsKey(readFileSync(file, 'utf8'));
  } catch (err) {
    if (!(err instanceof BadValue)) throw err;
    throw new AppError('invalid_config', `invalid configuration:\n  ${file}: ${err.message}`, { problems: [`${file}: ${err.message}`] });
  }
}

/** Reads `<dataDir>/secrets.key`, or creates it (mode 0600) when it does not exist yet. */
function keyFromFile(dataDir: string): { key: KeyObject; source: SecretsKeySource; file: string } {
  const file = join(dataDir, SECRETS_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    // "wx": two processes starting at once on one directory cannot both write a key; the loser reads the winner's.
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return { key: readKeyFile(file), source: 'generated', file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { key: readKeyFile(file), source: 'file', file };
  }
}

/**
 * The key that encrypts notification channel secrets: SECRETS_KEY, else the one in
 * `<DATA_DIR>/secrets.key`, generated at the first start. With PostgreSQL, several hosts share the
 * channels, and a key file on one host leaves the others unable to decrypt: that case is warned.
 */
export function loadSecretsKey(
  cfg: Pick<Config, 'SECRETS_KEY' | 'DATA_DIR' | 'databaseUrl'>,
  log: Logger,
): { key: KeyObject; source: SecretsKeySource } {
  if (cfg.SECRETS_KEY) return { key: cfg.SECRETS_KEY, source: 'env' };
  const { key, source, file } = keyFromFile(cfg.DATA_DIR);
  if (cfg.databaseUrl) {
    log.warn({ keyFile: file }, 'SECRETS_KEY is not set: channel secrets are encrypted with the key in this file; '
      + 'every LogSage process using this PostgreSQL needs the same key, so set SECRETS_KEY on all of them');
  } else if (source === 'generated') {
    log.info({ keyFile: file }, 'generated the key that encrypts channel secrets (keep it with the data directory)');
  }
  return { key, source };
}
