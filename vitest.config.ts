import { defineConfig } from 'vitest/config';

// Every package with a vitest.config.ts is a project; `npm test` runs them all.
export default defineConfig({
  test: { projects: ['packages/*/vitest.config.ts'] },
});
