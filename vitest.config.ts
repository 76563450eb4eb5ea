import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Model-heavy suites share two cores; run files one or two at a time rather than thrash.
    maxWorkers: 2,
    pool: 'forks',
  },
});
