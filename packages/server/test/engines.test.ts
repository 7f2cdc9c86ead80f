import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// `npm ci` warns (EBADENGINE) for every installed package whose `engines.node` excludes the Node
// version running it. LogSage promises the range in the root package.json, so every package the
// lockfile installs, development tools included, must accept the oldest Node of that range.
const ROOT = new URL('../../../', import.meta.url);
const readJson = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, ROOT), 'utf8')) as T;

interface LockEntry { version?: string; engines?: { node?: string } | string[] }
const promised = readJson<{ engines: { node: string } }>('package.json').engines.node;
const lock = readJson<{ packages: Record<string, LockEntry> }>('package-lock.json');

/** `name@version wants node <range>` for each locked package that refuses `node`. */
export function refusing(packages: Record<string, LockEntry>, node: string): string[] {
  const out: string[] = [];
  for (const [path, entry] of Object.entries(packages)) {
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (!path.includes('node_modules/') || range === undefined) continue;
    if (!semver.satisfies(node, range, { includePrerelease: true })) {
      out.push(`${path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version ?? '?'} wants node ${range}`);
    }
  }
  return out.sort();
}

describe('engines', () => {
  const oldest = semver.minVersion(promised)?.version ?? '';

  it('the promised range has an oldest version', () => {
    expect(oldest).toMatch(/^20\.\d+\.\d+$/);
  });

  it('every package npm ci installs accepts the oldest Node LogSage supports', () => {
    expect(refusing(lock.packages, oldest)).toEqual([]);
  });

  it('the check names a package that wants a newer Node', () => {
    const sample = {
      'node_modules/cookie': { version: '2.0.2', engines: { node: '>=22' } },
      'node_modules/a/node_modules/ok': { version: '1.0.0', engines: { node: '>=18' } },
      'packages/server': { engines: { node: '>=24' } },
    };
    expect(refusing(sample, oldest)).toEqual(['cookie@2.0.2 wants node >=22']);
  });
});
