// Suite naming shared by the harness (child) and the runner (parent). Pure.
import path from 'node:path';

const SUITE_EXT = /\.bench\.(?:[cm]?[jt]s|tsx|jsx)$/;

/** Suite name from a file: base name without `.bench.ts` (or `.bench.js`, `.bench.mjs`, ...), else without its extension. */
export function suiteNameFromFile(file: string): string {
  const base = path.basename(file);
  if (SUITE_EXT.test(base)) return base.replace(SUITE_EXT, '');
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}

/** Benchmark id. */
export function benchmarkId(suite: string, task: string): string {
  return `${suite}/${task}`;
}

/** Pseudo-task name used when a suite failed before any task name was known. */
export const SUITE_TASK = '(suite)';
