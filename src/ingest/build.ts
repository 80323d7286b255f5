// Turns parsed observations into one perfgate/results@1 document: merges repeated observations
// of a benchmark into rounds, bounds samples, computes summaries and validates the result. Pure.
import { parseResults, MAX_SAMPLES, RESULTS_SCHEMA, type Benchmark, type Results } from '../schema/results.ts';
import { thin } from '../measure/stats.ts';
import { summarize } from '../stats/summary.ts';
import type { IngestMeta, ParsedFile, RawBenchmark } from './types.ts';

export interface IngestOutput {
  results: Results;
  /** Things the user should know: single-summary benchmarks, dropped values, skipped rows. */
  notices: string[];
}

interface Merged {
  raw: RawBenchmark;
  rounds: number[];
  samples: number[];
  batches: Set<number | undefined>;
  failures: string[];
  summaryOnly: string[];
  files: Set<string>;
}

export function idOf(b: { suite: string; name: string }): string {
  return `${b.suite}/${b.name}`;
}

/**
 * Builds the document. `parsed` holds one entry per input file, in the order given: rounds of the
 * same benchmark id are appended in that order, so N files from N repeated runs give N rounds.
 */
export function buildResults(
  format: string,
  parsed: Array<{ path: string; parsed: ParsedFile }>,
  meta: IngestMeta,
): IngestOutput {
  const notices: string[] = [];
  const byId = new Map<string, Merged>();
  for (const { path, parsed: file } of parsed) {
    notices.push(...file.notices);
    for (const raw of file.benchmarks) {
      const id = idOf(raw);
      let m = byId.get(id);
      if (!m) {
        m = { raw, rounds: [], samples: [], batches: new Set(), failures: [], summaryOnly: [], files: new Set() };
        byId.set(id, m);
      } else if (m.raw.unit !== raw.unit || m.raw.direction !== raw.direction) {
        throw new Error(
          `${path}: benchmark "${id}" is in ${raw.unit} (${raw.direction} is better) here but in ` +
            `${m.raw.unit} (${m.raw.direction} is better) earlier; one id must keep one unit and direction`,
        );
      }
      m.rounds.push(...raw.rounds);
      m.samples.push(...raw.samples);
      m.batches.add(raw.batch);
      m.files.add(path);
      if (raw.failed) m.failures.push(raw.failed);
      if (raw.summaryOnly) m.summaryOnly.push(raw.summaryOnly);
    }
  }

  const benchmarks: Benchmark[] = [];
  const singleRound = new Map<string, string[]>(); // what the one round is → ids
  const thinned: string[] = [];
  for (const [id, m] of byId) {
    const failed = m.failures.length > 0;
    const values = m.samples.length ? m.samples : m.rounds;
    const stats = values.length ? summarize(values) : undefined;
    if (m.rounds.length > MAX_SAMPLES || m.samples.length > MAX_SAMPLES) thinned.push(id);
    if (!failed && m.rounds.length === 1 && m.summaryOnly.length) {
      const what = m.summaryOnly[0];
      singleRound.set(what, [...(singleRound.get(what) ?? []), id]);
    }
    const batch = m.batches.size === 1 ? [...m.batches][0] : undefined;
    const b: Benchmark = {
      id,
      suite: m.raw.suite,
      name: m.raw.name,
      unit: m.raw.unit,
      direction: m.raw.direction,
      status: failed ? 'failed' : 'ok',
      rounds: thin(m.rounds, MAX_SAMPLES),
      samples: thin(m.samples, MAX_SAMPLES),
    };
    if (failed) b.error = [...new Set(m.failures)].join('; ');
    if (batch !== undefined && Number.isInteger(batch) && batch > 0) b.batch = batch;
    if (stats) b.stats = stats;
    benchmarks.push(b);
  }

  for (const [what, ids] of singleRound) {
    notices.push(
      `${ids.length} benchmark(s) have a single round (${what}): ${listSome(ids)}. ` +
        'The compare stage needs several rounds a side and will call them inconclusive; ' +
        'repeat the run and pass every output file (each file adds a round).',
    );
  }
  if (thinned.length) {
    notices.push(`kept ${MAX_SAMPLES} evenly spread values of the rounds or samples of ${listSome(thinned)}.`);
  }
  if (benchmarks.length === 0) {
    throw new Error(`${parsed.map((p) => p.path).join(', ')}: no benchmarks found in the ${format} output`);
  }

  const doc: Results = {
    schema: RESULTS_SCHEMA,
    tool: { name: 'perfgate', version: meta.toolVersion },
    source: { kind: 'ingest', format },
    startedAt: meta.startedAt,
    clock: 'wall',
    machine: meta.machine,
    benchmarks,
  };
  if (meta.commit) doc.commit = meta.commit;
  if (meta.ref) doc.ref = meta.ref;
  return { results: parseResults(doc, `ingested ${format} output`), notices };
}

function listSome(items: string[], max = 5): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
