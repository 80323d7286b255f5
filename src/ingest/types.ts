// Shared shapes of the ingest stage: what a format parser gets and gives back.
// Pure: no fs, no process.env.
import type { Direction, Machine } from '../schema/results.ts';

/** One harness output file: its path (for messages) and its text. */
export interface IngestFile {
  path: string;
  text: string;
}

/** Run metadata the caller supplies (parsers never look at the machine they run on). */
export interface IngestMeta {
  machine: Machine;
  commit?: string;
  ref?: string;
  startedAt: string;
  /** perfgate's own version (goes to `tool.version`). */
  toolVersion: string;
}

/**
 * One observation of one benchmark, as a parser read it. The builder merges observations with
 * the same id (`suite/name`), across files and within a file, by appending their rounds and
 * samples in order: another line, repetition or file of the same benchmark is another round.
 */
export interface RawBenchmark {
  suite: string;
  name: string;
  /** Unit after normalisation: `ns` for time per operation, else e.g. `B`, `MB/s`, `allocs`. */
  unit: string;
  direction: Direction;
  /** Values the decision uses, one per repetition (round) of the benchmark. */
  rounds: number[];
  /** Raw samples in the same unit (may be empty when the format keeps none). */
  samples: number[];
  /** Operations per sample, when the format says and it is constant. */
  batch?: number;
  failed?: string;
  /**
   * Set when the format gave only a summary, so the single round is that summary:
   * says which statistic it is (e.g. "median of 6795 samples").
   */
  summaryOnly?: string;
}

export interface ParsedFile {
  benchmarks: RawBenchmark[];
  notices: string[];
}

export interface IngestFormat {
  /** Canonical name, used in `source.format` and `--format`. */
  name: string;
  /** Other accepted names (github-action-benchmark's `tool:` values among them). */
  aliases: string[];
  /** One line for `--help`. */
  description: string;
  parse(file: IngestFile): ParsedFile;
}
