import { defineConfig } from 'vitest/config';

// End-to-end tests: each file starts its own server and drives one Chromium. One file at a time
// (this machine has two cores; two browsers and two servers at once make timings flaky).
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['test/**/*.int.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    // A page updates on its own clock (polls, requests, animations): wait for it like a person would.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
