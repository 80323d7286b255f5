import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'workload/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Suites spawn child processes and local services; two cores do not gain from more workers.
    maxWorkers: 2,
  },
});
