import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'ai-service', include: ['test/**/*.test.ts', 'src/**/*.test.ts'] },
});
