import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'log-patterns', include: ['test/**/*.test.ts', 'src/**/*.test.ts'] },
});
