import { defineConfig } from 'vitest/config';

// Engine tests run in Node (no DOM). Browser behaviour is tested by Playwright in e2e/.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
