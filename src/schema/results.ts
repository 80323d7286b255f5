// perfgate/results@1: every measurement, whatever its source, becomes this JSON.
// Pure module: the schema, its types, and validation of already-parsed values.
// Reading files lives in ./io.ts.
import { z } from 'zod';

export const RESULTS_SCHEMA = 'perfgate/results@1' as const;

/** Most raw samples kept per benchmark (the rest are dropped evenly). */
export const MAX_SAMPLES = 2000;

export const directionSchema = z.enum(['lower', 'higher']);
export type Direction = z.infer<typeof directionSchema>;

export const clockSchema = z.enum(['wall', 'cpu', 'instructions']);
export type Clock = z.infer<typeof clockSchema>;

export const machineSchema = z.object({
  /** Stable hash of os, arch, cpuModel, cores and memory (GiB): equal fingerprints mean "same machine kind". */
  fingerprint: z.string().min(1),
  os: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  cores: z.number().int().nonnegative(),
  memoryBytes: z.number().nonnegative(),
  node: z.string(),
  v8: z.string(),
  hostname: z.string().optional(),
});
export type Machine = z.infer<typeof machineSchema>;

export const summarySchema = z.object({
  n: z.number().int().nonnegative(),
  mean: z.number(),
  median: z.number(),
  p95: z.number(),
  p99: z.number(),
  sd: z.number().nonnegative(),
  min: z.number(),
  max: z.number(),
  /** 95% confidence interval of the median (distribution-free, from order statistics). */
  ci95: z.tuple([z.number(), z.number()]),
});
export type Summary = z.infer<typeof summarySchema>;

export const memorySchema = z.object({
  /** Heap still used after the benchmark ran and a forced GC, minus the heap before it (bytes). */
  heapRetainedBytes: z.number().optional(),
  /** Peak resident set size of the suite process (bytes). */
  peakRssBytes: z.number().optional(),
  /** Heap used after GC at the end of each round, in order: a steady climb suggests a leak. */
  heapAfterRounds: z.array(z.number()).optional(),
  leakSuspected: z.boolean().optional(),
});
export type Memory = z.infer<typeof memorySchema>;

export const loadSchema = z.object({
  users: z.number().int().positive(),
  durationMs: z.number().nonnegative(),
  requests: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  /** Successful requests per second. */
  throughput: z.number().nonnegative(),
  /** Fraction of requests that succeeded, 0..1. */
  successRate: z.number().min(0).max(1),
  latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number(), mean: z.number() }),
});
export type Load = z.infer<typeof loadSchema>;

/** An absolute target: `metric` must stay at or below `max` / at or above `min`. */
export const slaSchema = z.object({
  metric: z.enum(['value', 'p95', 'p99', 'throughput', 'successRate', 'latencyP95Ms', 'latencyP99Ms', 'peakRssBytes', 'heapRetainedBytes']),
  max: z.number().optional(),
  min: z.number().optional(),
});
export type Sla = z.infer<typeof slaSchema>;

export const benchmarkStatusSchema = z.enum(['ok', 'failed']);

export const benchmarkSchema = z.object({
  /** Stable id: `suite/name`. */
  id: z.string().min(1),
  suite: z.string().min(1),
  name: z.string().min(1),
  /** Unit of `rounds`, `samples` and `stats`: `ns` (time per operation) for timed benchmarks. */
  unit: z.string().min(1),
  direction: directionSchema,
  status: benchmarkStatusSchema,
  error: z.string().optional(),
  /** Per-round reductions (the median of each round), in round order. The decision uses these. */
  rounds: z.array(z.number()),
  /** Raw samples, bounded by MAX_SAMPLES, kept for inspection and charts. */
  samples: z.array(z.number()).max(MAX_SAMPLES),
  /** Operations per sample when sub-microsecond work was batched (1 when not). */
  batch: z.number().int().positive().optional(),
  stats: summarySchema.optional(),
  memory: memorySchema.optional(),
  load: loadSchema.optional(),
  sla: z.array(slaSchema).optional(),
  /**
   * Speed reference per round, aligned with `rounds`: the median time of one fixed reference loop
   * (same code in every process) timed beside this benchmark's samples, in ns. It tells how fast
   * the CPU was while the round was measured; stored comparisons can judge a change relative to it.
   */
  reference: z.array(z.number().positive()).optional(),
  /**
   * Estimated cycles per operation per round, aligned with `rounds` (clock instructions under
   * callgrind): callgrind's cache simulation, Ir + 10 × L1 misses + 100 × last-level misses, so a
   * change in memory behaviour shows where the instruction count alone would not.
   */
  estimatedCycles: z.array(z.number().nonnegative()).optional(),
  /** Speed-reference checks over all rounds, and how many fell in a slow spell (> 1.2× the process's fastest). */
  slowSpells: z.object({ checks: z.number().int().nonnegative(), slow: z.number().int().nonnegative() }).optional(),
  /**
   * Twin implementations of one component (TypeScript vs Rust): benchmarks sharing `group` are
   * the same work; `impl` names the implementation. The report shows the speedup between them.
   */
  group: z.string().optional(),
  impl: z.string().optional(),
});
export type Benchmark = z.infer<typeof benchmarkSchema>;

export const resultsSchema = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  tool: z.object({ name: z.string(), version: z.string() }),
  /** Where the numbers came from: perfgate's own runner, or an ingested harness output. */
  source: z.object({ kind: z.enum(['perfgate', 'ingest']), format: z.string().optional() }),
  commit: z.string().optional(),
  ref: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  clock: clockSchema,
  machine: machineSchema,
  /** Signs that the machine was disturbed during the run (context switches, steal). */
  disturbance: z
    .object({
      involuntaryContextSwitches: z.number().optional(),
      stealPercent: z.number().optional(),
      /** Cores' worth of CPU time other processes used on average while measuring. */
      otherCores: z.number().optional(),
      warning: z.string().optional(),
    })
    .optional(),
  /** Learned same-commit noise per benchmark id (fraction, e.g. 0.02), stored with baselines. */
  noiseFloor: z.record(z.string(), z.number().nonnegative()).optional(),
  /**
   * How much separate measuring sessions of the same code differ, per benchmark id: `n` sessions
   * and `sd`, the standard deviation of the natural log of their medians. Stored with baselines
   * saved over several sessions (`perfgate baseline save --sessions N`); stored comparisons test
   * a change against it.
   */
  sessions: z.record(z.string(), z.object({ n: z.number().int().min(2), sd: z.number().nonnegative() })).optional(),
  benchmarks: z.array(benchmarkSchema),
});
export type Results = z.infer<typeof resultsSchema>;

/** One problem found in a document: where (a dotted path) and what was expected. */
export interface SchemaProblem {
  path: string;
  message: string;
}

export function describeIssues(error: z.ZodError): SchemaProblem[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

/** Validates a parsed value; throws an Error naming `label`, each bad field and what was expected. */
export function parseResults(value: unknown, label: string): Results {
  const parsed = resultsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error)
    .slice(0, 8)
    .map((p) => `  - ${p.path}: ${p.message}`)
    .join('\n');
  const hint =
    value && typeof value === 'object' && (value as { schema?: unknown }).schema !== RESULTS_SCHEMA
      ? `\nIt is not a ${RESULTS_SCHEMA} file; other harnesses' output can be converted with \`perfgate ingest\`.`
      : '\nRegenerate it with `perfgate run --out FILE` (or `perfgate baseline save`).';
  throw new Error(`${label} is not valid ${RESULTS_SCHEMA}:\n${problems}${hint}`);
}
