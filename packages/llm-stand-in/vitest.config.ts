import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'llm-stand-in', include: ['test/**/*.test.ts', 'src/**/*.test.ts'] },
});
