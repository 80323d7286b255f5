import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'workload/test/**/*.test.ts'],
    // Timeouts are safety nets for a hung child process, not speed checks: on a 2-vCPU runner that is
    // busy with other jobs, the end-to-end tests (real processes, git, valgrind) take 2-3x their
    // quiet time, and a 60 s limit failed correct code.
    testTimeout: 240_000,
    hookTimeout: 240_000,
    // Suites spawn child processes and local services; two cores do not gain from more workers.
    maxWorkers: 2,
    // TMPDIR is a folder of the run's own, removed at its end (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
  },
});
