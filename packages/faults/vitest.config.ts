import { defineConfig } from 'vitest/config';

// The fault matrix: one file that starts its own PostgreSQL cluster, Redis, LLM stand-in and LogSage
// processes, then breaks them in turn. Run alone (scripts/test.mjs gives it its own pass): killing and
// restarting processes on a two-core machine shared with thirty test servers would time out both sides.
export default defineConfig({
  test: {
    name: 'faults',
    environment: 'node',
    include: ['test/**/*.int.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
