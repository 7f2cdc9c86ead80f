import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
// Starting a TypeScript process through tsx takes seconds on a busy machine.
const STARTUP_TIMEOUT_MS = 30_000;

describe('cli', () => {
  it('serves on the given port with the given key and stops on SIGTERM', async () => {
    // Run from source through tsx so the test does not depend on a prior build.
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--api-key', 'k', '--model', 'local-model'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          out += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', () => reject(new Error(`cli exited early: ${out}`)));
      });
      const unauthorised = await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer wrong' } });
      expect(unauthorised.status).toBe(401);
      const models = await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer k' } });
      expect(((await models.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toEqual(['local-model']);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, STARTUP_TIMEOUT_MS);

  it('rejects a bad option value', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', 'eighty'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toContain('--port');
  }, STARTUP_TIMEOUT_MS);
});
