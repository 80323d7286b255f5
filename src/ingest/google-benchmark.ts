// Google Benchmark `--benchmark_format=json` (or `--benchmark_out=FILE --benchmark_out_format=json`).
//
// Every `run_type: "iteration"` row is one round (with `--benchmark_repetitions=N`, N rounds);
// aggregate rows (mean, median, stddev, cv, custom) are skipped. When only aggregates were
// reported (`--benchmark_report_aggregates_only`), the median aggregate is the single round.
// Time: `real_time` (wall) in `time_unit`, converted to ns per iteration; `cpu_time` is not used.
// Suite: the executable's file name from `context.executable` (`google-benchmark` without it).
// Extra metrics, each its own id `name (metric)`: `bytes_per_second` → B/s and
// `items_per_second` → items/s (higher is better); user counters keep their name as unit, higher
// is better when the name reads as a rate (`..._per_second`, `.../s`), otherwise lower.
import { IngestError } from './errors.ts';
import { asArray, asNumber, asObject, asString, isObject, join, optString, parseJsonText, type JsonObject } from './json.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';
import { directionOf, nsPer } from './units.ts';

/** Fields of a row that are not user counters. */
const KNOWN = new Set([
  'name', 'family_index', 'per_family_instance_index', 'run_name', 'run_type', 'repetitions',
  'repetition_index', 'threads', 'iterations', 'real_time', 'cpu_time', 'time_unit',
  'aggregate_name', 'aggregate_unit', 'error_occurred', 'error_message', 'label', 'big_o',
  'rms', 'complexity_n', 'skipped', 'skip_message', 'bytes_per_second', 'items_per_second',
]);
const AGGREGATE_SUFFIX = /_(mean|median|stddev|cv)$/;

function parse(file: IngestFile): ParsedFile {
  const root = asObject(parseJsonText(file.text, file.path), file.path, '');
  const context = isObject(root.context) ? root.context : {};
  const exe = typeof context.executable === 'string' ? context.executable : '';
  const suite = exe.split(/[\\/]/).pop()?.replace(/\.exe$/i, '') || 'google-benchmark';
  const rows = asArray(root.benchmarks, file.path, 'benchmarks');

  const benchmarks: RawBenchmark[] = [];
  const notices: string[] = [];
  const withIterations = new Set<string>();
  const medians: Array<{ runName: string; row: JsonObject; path: string }> = [];

  const metrics = (runName: string, row: JsonObject, path: string, summaryOnly?: string) => {
    const unit = asString(row.time_unit ?? 'ns', file.path, join(path, 'time_unit'));
    const factor = nsPer(unit);
    if (factor === undefined) throw new IngestError(file.path, join(path, 'time_unit'), `expected ns, us, ms or s, got "${unit}"`);
    const time = asNumber(row.real_time, file.path, join(path, 'real_time')) * factor;
    const iterations = row.iterations;
    const batch = typeof iterations === 'number' && Number.isInteger(iterations) && !summaryOnly ? iterations : undefined;
    const one = (name: string, unitName: string, direction: 'lower' | 'higher', value: number): RawBenchmark => ({
      suite, name, unit: unitName, direction, rounds: [value], samples: summaryOnly ? [] : [value],
      summaryOnly: summaryOnly ?? 'one repetition; use --benchmark_repetitions=6 or more',
    });
    benchmarks.push({ ...one(runName, 'ns', 'lower', time), batch });
    if (row.bytes_per_second !== undefined) {
      benchmarks.push(one(`${runName} (bytes/s)`, 'B/s', 'higher', asNumber(row.bytes_per_second, file.path, join(path, 'bytes_per_second'))));
    }
    if (row.items_per_second !== undefined) {
      benchmarks.push(one(`${runName} (items/s)`, 'items/s', 'higher', asNumber(row.items_per_second, file.path, join(path, 'items_per_second'))));
    }
    for (const [key, value] of Object.entries(row)) {
      if (KNOWN.has(key) || typeof value !== 'number') continue;
      benchmarks.push(one(`${runName} (${key})`, key, directionOf(key), value));
    }
  };

  rows.forEach((item, i) => {
    const path = join('benchmarks', i);
    const row = asObject(item, file.path, path);
    const name = asString(row.name, file.path, join(path, 'name'));
    const runType = optString(row.run_type, file.path, join(path, 'run_type'));
    const aggregate = runType === 'aggregate' || (runType === undefined && AGGREGATE_SUFFIX.test(name));
    const runName = optString(row.run_name, file.path, join(path, 'run_name')) || (aggregate ? name.replace(AGGREGATE_SUFFIX, '') : name);
    if (aggregate) {
      const agg = optString(row.aggregate_name, file.path, join(path, 'aggregate_name')) ?? AGGREGATE_SUFFIX.exec(name)?.[1];
      if (agg === 'median') medians.push({ runName, row, path });
      return;
    }
    if (runType !== undefined && runType !== 'iteration') {
      throw new IngestError(file.path, join(path, 'run_type'), `expected "iteration" or "aggregate", got "${runType}"`);
    }
    withIterations.add(runName);
    if (row.error_occurred === true || row.skipped === true || (typeof row.skipped === 'number' && row.skipped > 0)) {
      const message = optString(row.error_message ?? row.skip_message, file.path, join(path, 'error_message'));
      benchmarks.push({
        suite, name: runName, unit: 'ns', direction: 'lower', rounds: [], samples: [],
        failed: message ? `Google Benchmark reported: ${message}` : 'Google Benchmark reported an error',
      });
      return;
    }
    metrics(runName, row, path);
  });

  for (const m of medians) {
    if (withIterations.has(m.runName)) continue;
    metrics(m.runName, m.row, m.path, 'median aggregate');
  }
  return { benchmarks, notices };
}

export const googleBenchmark: IngestFormat = {
  name: 'google-benchmark',
  aliases: ['googlecpp', 'gbench', 'googlebenchmark'],
  description: 'Google Benchmark --benchmark_format=json: repetitions are rounds, aggregate rows skipped',
  parse,
};
