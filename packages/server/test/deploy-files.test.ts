import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_SPEC } from '../src/config/index.js';
import { startTestServer, type TestServer } from './helpers.js';

// No Docker engine or systemd runs here: these checks read the deployment files and hold every
// variable, role, health path and dependency they name against the product itself.
const ROOT = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');

/** The commands cli.ts maps to roles (read from its source: importing cli.ts would start LogSage). */
function cliRoles(): string[] {
  const body = /const ROLES[^=]*=\s*\{([^}]*)\}/.exec(read('packages/server/src/cli.ts'))?.[1] ?? '';
  return [...body.matchAll(/^\s*(\w+):/gm)].map((m) => m[1] ?? '');
}
const ROLES = cliRoles();
const unknownVars = (names: string[]): string[] => names.filter((n) => !(n in CONFIG_SPEC));
/** Paths of http://127.0.0.1… URLs inside health checks. */
const healthPaths = (text: string): string[] => [...text.matchAll(/http:\/\/127\.0\.0\.1[^/]*?(\/[\w/-]+)/g)].map((m) => m[1] ?? '');

type Service = Record<string, unknown> & {
  image?: string; build?: unknown; command?: string[]; environment?: Record<string, string>; env_file?: string[];
  depends_on?: Record<string, { condition: string }>; healthcheck?: { test?: string[]; disable?: boolean }; deploy?: { replicas?: number };
};
type Compose = { services: Record<string, Service> };

const isLogSage = (s: Service): boolean => s.build !== undefined || s.image?.startsWith('logsage') === true;

/** Every problem of the compose file: unknown variables and roles, missing health checks and dependencies. */
function checkCompose(doc: Compose): string[] {
  const problems: string[] = [];
  const services = doc.services;
  for (const name of ['postgres', 'redis']) if (!services[name]?.healthcheck?.test) problems.push(`${name}: no health check`);
  if (!JSON.stringify(services.redis?.command ?? '').includes('"--maxmemory-policy","noeviction"')) problems.push('redis: maxmemory-policy is not noeviction');
  if (!/^postgres:15/.test(services.postgres?.image ?? '')) problems.push('postgres: not PostgreSQL 15');
  const count: Record<string, number> = {};
  for (const [name, s] of Object.entries(services).filter(([, s]) => isLogSage(s))) {
    const role = s.command?.[0] ?? 'start';
    if (!ROLES.includes(role) || (s.command?.length ?? 1) !== 1) problems.push(`${name}: command ${JSON.stringify(s.command)} is not a logsage role`);
    count[role] = (count[role] ?? 0) + (s.deploy?.replicas ?? 1);
    for (const v of unknownVars(Object.keys(s.environment ?? {}))) problems.push(`${name}: unknown variable ${v}`);
    // ${NAME} interpolations come from the env file: they must be LogSage's variables too.
    for (const m of JSON.stringify(s.environment ?? {}).matchAll(/\$\{(\w+)/g)) for (const v of unknownVars([m[1] ?? ''])) problems.push(`${name}: unknown variable ${v}`);
    for (const f of s.env_file ?? []) if (!existsSync(new URL(`deploy/${f}.example`, ROOT))) problems.push(`${name}: no deploy/${f}.example`);
    for (const dep of ['postgres', 'redis']) {
      if (s.depends_on?.[dep]?.condition !== 'service_healthy') problems.push(`${name}: does not wait for a healthy ${dep}`);
    }
    if (!s.healthcheck?.test && s.healthcheck?.disable !== true) problems.push(`${name}: health check neither set nor disabled`);
    if (role === 'api' && !healthPaths(JSON.stringify(s.healthcheck?.test ?? '')).length) problems.push(`${name}: api without an HTTP health check`);
  }
  if ((count.api ?? 0) < 2) problems.push(`api processes: ${count.api ?? 0}, want 2`);
  if ((count.worker ?? 0) < 2) problems.push(`worker processes: ${count.worker ?? 0}, want 2`);
  if (count.ai !== 1) problems.push(`ai processes: ${count.ai ?? 0}, want 1`);
  return problems;
}

/** Instructions of the last stage, with line continuations joined. */
function lastStage(dockerfile: string): string[] {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return lines.slice(lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true));
}

/** Every problem of the Dockerfile: root user, unknown variables, entrypoint, role, workspaces. */
function checkDockerfile(text: string, workspaces: string[]): string[] {
  const problems: string[] = [];
  const stage = lastStage(text);
  const user = stage.filter((l) => /^USER\s/i.test(l)).at(-1)?.split(/\s+/)[1];
  if (!user || /^(root|0)(:|$)/.test(user)) problems.push(`runs as ${user ?? 'root (no USER)'}`);
  for (const env of stage.filter((l) => /^ENV\s/i.test(l))) {
    const names = [...env.slice(4).matchAll(/(\w+)=/g)].map((m) => m[1] ?? '');
    for (const v of unknownVars(names)) problems.push(`unknown variable ${v}`);
  }
  const json = (kw: string): unknown => {
    const l = stage.find((x) => x.startsWith(`${kw} `));
    return l ? JSON.parse(l.slice(kw.length + 1)) : undefined;
  };
  if (JSON.stringify(json('ENTRYPOINT')) !== '["node","packages/server/dist/cli.js"]') problems.push('ENTRYPOINT is not node packages/server/dist/cli.js');
  const cmd = json('CMD') as string[] | undefined;
  if (!cmd || !ROLES.includes(cmd[0] ?? '')) problems.push(`CMD ${JSON.stringify(cmd)} is not a logsage role`);
  if (!/^FROM node:20-slim\b/m.test(text)) problems.push('not built on node:20-slim');
  if (!stage.some((l) => l.startsWith('HEALTHCHECK '))) problems.push('no HEALTHCHECK');
  // npm ci checks every workspace against the lockfile: a manifest left out breaks the build.
  for (const w of workspaces) if (!text.includes(`COPY packages/${w}/package.json packages/${w}/`)) problems.push(`workspace ${w}: manifest not copied before npm ci`);
  return problems;
}

/** `Key=value` lines of one unit file, by section. */
function unitKeys(text: string): { section: string; key: string; value: string }[] {
  let section = '';
  const out: { section: string; key: string; value: string }[] = [];
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (!l || l.startsWith('#')) continue;
    const sec = /^\[(\w+)\]$/.exec(l);
    if (sec) section = sec[1] ?? '';
    else out.push({ section, key: l.slice(0, l.indexOf('=')), value: l.slice(l.indexOf('=') + 1) });
  }
  return out;
}

/** Every problem of one systemd unit: user, environment, role, hardening. */
function checkUnit(name: string, text: string): string[] {
  const keys = unitKeys(text).filter((k) => k.section === 'Service');
  const get = (k: string): string[] => keys.filter((x) => x.key === k).map((x) => x.value);
  const problems: string[] = [];
  const user = get('User')[0];
  if (!user || user === 'root' || user === '0') problems.push(`${name}: runs as ${user ?? 'root'}`);
  if (!get('EnvironmentFile').includes('/etc/logsage/logsage.env')) problems.push(`${name}: no EnvironmentFile=/etc/logsage/logsage.env`);
  for (const v of unknownVars(get('Environment').map((e) => e.split('=')[0] ?? ''))) problems.push(`${name}: unknown variable ${v}`);
  const role = /cli\.js\s+(\S+)\s*$/.exec(get('ExecStart')[0] ?? '')?.[1];
  if (!role || !ROLES.includes(role)) problems.push(`${name}: ExecStart role ${role ?? '(none)'} is not a logsage role`);
  for (const [k, v] of [['NoNewPrivileges', 'yes'], ['ProtectSystem', 'strict'], ['ProtectHome', 'yes'], ['PrivateTmp', 'yes']]) {
    if (get(k ?? '')[0] !== v) problems.push(`${name}: ${k} is not ${v}`);
  }
  const dataDir = get('Environment').find((e) => e.startsWith('DATA_DIR='))?.slice('DATA_DIR='.length);
  if (!dataDir || !get('ReadWritePaths').join(' ').split(/\s+/).includes(dataDir)) problems.push(`${name}: DATA_DIR is not among ReadWritePaths`);
  return problems;
}

const composeDoc = (): Compose => parse(read('deploy/compose.yaml'), { merge: true }) as Compose;
/** The workspaces npm ci installs: those the lockfile lists (a package directory not in it yet is not built). */
const WORKSPACES = Object.keys((JSON.parse(read('package-lock.json')) as { packages: Record<string, unknown> }).packages)
  .filter((k) => /^packages\/[^/]+$/.test(k)).map((k) => k.slice('packages/'.length));
const UNITS = ['logsage-api@.service', 'logsage-worker@.service', 'logsage-ai.service'];
const envFileNames = (text: string): string[] => [...text.matchAll(/^#?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? '');

describe('deployment files', () => {
  it('reads the roles from cli.ts and the workspaces from the lockfile', () => {
    expect(ROLES).toEqual(expect.arrayContaining(['start', 'api', 'worker', 'ai']));
    expect(WORKSPACES).toEqual(expect.arrayContaining(['server', 'dashboard', 'ai-service']));
  });

  it('compose: LogSage variables and roles only, two api, two workers, one ai, all waiting for healthy stores', () => {
    expect(checkCompose(composeDoc())).toEqual([]);
    const nginx = read('deploy/nginx.conf');
    const apis = Object.entries(composeDoc().services).filter(([, s]) => isLogSage(s) && s.command?.[0] === 'api').map(([n]) => n);
    for (const api of apis) expect(nginx, api).toMatch(new RegExp(`server ${api}:8080\\b`));
  });

  it('compose: the checks catch an unknown variable, a wrong role and a missing dependency', () => {
    const doc = composeDoc();
    const api = doc.services['api-1'] as Service;
    api.environment = { ...api.environment, DATABSE_URL: 'postgres://typo' };
    (doc.services.worker as Service).command = ['workers'];
    delete (doc.services.ai as Service).depends_on?.redis;
    expect(checkCompose(doc)).toEqual(expect.arrayContaining([
      'api-1: unknown variable DATABSE_URL', 'worker: command ["workers"] is not a logsage role', 'ai: does not wait for a healthy redis',
    ]));
  });

  it('the env file template names LogSage variables only', () => {
    const names = envFileNames(read('deploy/logsage.env.example'));
    expect(names).toEqual(expect.arrayContaining(['SECRETS_KEY', 'DB_PASSWORD', 'SILICONFLOW_API_TOKEN', 'LLM_BASE_URL', 'DATABASE_READ_URL']));
    expect(unknownVars(names)).toEqual([]);
    expect(unknownVars(envFileNames('NODE_ENV=production\n#LOGSAGE_PORT=1\nPORT=1'))).toEqual(['NODE_ENV', 'LOGSAGE_PORT']);
  });

  it('Dockerfile: a non-root user, LogSage variables, the cli entrypoint, a real role', () => {
    const text = read('Dockerfile');
    expect(checkDockerfile(text, WORKSPACES)).toEqual([]);
    expect(existsSync(new URL('packages/server/src/cli.ts', ROOT))).toBe(true); // dist/cli.js is built from it
    const broken = text.replace(/^USER .*$/m, 'USER root').replace(/^ENV HOST=/m, 'ENV NODE_ENV=production HOST=').replace('CMD ["start"]', 'CMD ["serve"]');
    expect(checkDockerfile(broken, [...WORKSPACES, 'newpkg'])).toEqual([
      'runs as root', 'unknown variable NODE_ENV', 'CMD ["serve"] is not a logsage role', 'workspace newpkg: manifest not copied before npm ci',
    ]);
  });

  it('systemd units: a dedicated user, the env file, LogSage variables, real roles, hardening', () => {
    const problems = UNITS.flatMap((u) => checkUnit(u, read(`deploy/systemd/${u}`)));
    expect(problems).toEqual([]);
    expect(read('deploy/systemd/logsage-api@.service')).toMatch(/^Environment=PORT=%i$/m);
    const bad = read('deploy/systemd/logsage-ai.service').replace('User=logsage', 'User=root').replace(/ai$/m, 'analyse').replace('Environment=DATA_DIR', 'Environment=DATADIR');
    expect(checkUnit('ai', bad)).toEqual(expect.arrayContaining(['ai: runs as root', 'ai: unknown variable DATADIR', 'ai: ExecStart role analyse is not a logsage role']));
  });

  describe('health-check paths are routes that answer', () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer('pglite');
    });
    afterAll(async () => {
      await s?.cleanup();
    });

    it('every HTTP health check of the Dockerfile, compose services and proxy is a route of the server', async () => {
      const compose = Object.values(composeDoc().services).map((x) => JSON.stringify(x.healthcheck?.test ?? ''));
      const paths = [...new Set([...healthPaths(read('Dockerfile')), ...compose.flatMap(healthPaths)])];
      expect(paths).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
      // A route of its own, not the dashboard's fallback (which answers any other GET with the app).
      for (const url of paths) expect(s.app.hasRoute({ method: 'GET', url }), url).toBe(true);
      expect(s.app.hasRoute({ method: 'GET', url: '/healthzz' })).toBe(false);
      // 200, or 503 from /readyz when this busy test machine's event loop lags: both are the route answering.
      for (const url of paths) expect([200, 503], url).toContain((await s.bare({ method: 'GET', url })).statusCode);
      expect((await s.bare({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    });
  });
});
