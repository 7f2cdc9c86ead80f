import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../lib/errors.js';

const LOCK_NAME = 'logsage.lock';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory's exclusive lock file. Two processes on one PGlite directory would corrupt
 * it, so a live holder makes this throw; a lock left by a dead process (kill -9) is taken over.
 */
export function acquireDirLock(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isFinite(holder) && pidAlive(holder)) {
        throw new AppError(
          'data_dir_locked',
          `data directory ${dir} is in use by process ${holder}; stop it or set DATA_DIR to another directory`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new AppError('data_dir_locked', `could not take the lock file ${path}`);
}
