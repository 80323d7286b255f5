// Ingest: other harnesses' output → perfgate/results@1. Pure: text in, Results out
// (file reading lives in ./io.ts).
import type { Results } from '../schema/results.ts';
import { benchmarkDotNet } from './benchmarkdotnet.ts';
import { benchmarkJs } from './benchmarkjs.ts';
import { buildResults, type IngestOutput } from './build.ts';
import { cargoBench } from './cargo-bench.ts';
import { cargoCriterion } from './cargo-criterion.ts';
import { catch2 } from './catch2.ts';
import { customBiggerIsBetter, customSmallerIsBetter } from './custom.ts';
import { go } from './go.ts';
import { googleBenchmark } from './google-benchmark.ts';
import { hyperfine } from './hyperfine.ts';
import { jmh } from './jmh.ts';
import { julia } from './julia.ts';
import { pytestBenchmark } from './pytest-benchmark.ts';
import { tinybench } from './tinybench.ts';
import type { IngestFile, IngestFormat, IngestMeta } from './types.ts';
import { vitest } from './vitest.ts';

export type { IngestFile, IngestFormat, IngestMeta, ParsedFile, RawBenchmark } from './types.ts';
export type { IngestOutput } from './build.ts';
export { IngestError } from './errors.ts';

/** Every supported format, in the order `--help` lists them. */
export const FORMATS: readonly IngestFormat[] = [
  vitest,
  tinybench,
  hyperfine,
  googleBenchmark,
  go,
  pytestBenchmark,
  cargoBench,
  cargoCriterion,
  benchmarkDotNet,
  customSmallerIsBetter,
  customBiggerIsBetter,
  benchmarkJs,
  catch2,
  julia,
  jmh,
];

/** Canonical format names. */
export const FORMAT_NAMES: readonly string[] = FORMATS.map((f) => f.name);

const normalise = (name: string) => name.trim().toLowerCase().replace(/[\s_]+/g, '-');

/** Finds a format by name or alias (case-insensitive; github-action-benchmark's `tool:` values work). */
export function findFormat(name: string): IngestFormat {
  const key = normalise(name);
  const found = FORMATS.find((f) => normalise(f.name) === key || f.aliases.some((a) => normalise(a) === key));
  if (found) return found;
  const known = FORMATS.map((f) => (f.aliases.length ? `${f.name} (${f.aliases.join(', ')})` : f.name)).join(', ');
  throw new Error(`unknown ingest format "${name}"; known formats: ${known}`);
}

/** Parses every file with one format and builds one document, with notices for the user. */
export function ingestDetailed(format: string, files: IngestFile[], meta: IngestMeta): IngestOutput {
  const f = findFormat(format);
  if (files.length === 0) throw new Error(`no ${f.name} files given to ingest`);
  const parsed = files.map((file) => ({ path: file.path, parsed: f.parse(file) }));
  return buildResults(f.name, parsed, meta);
}

/** Parses every file with one format into one perfgate/results@1 document. */
export function ingest(format: string, files: IngestFile[], meta: IngestMeta): Results {
  return ingestDetailed(format, files, meta).results;
}
