// `go test -bench . [-benchmem] [-count N]` text output (or `go test -json`, whose Output
// fields are joined back into text first).
//
// Each result line is one round: `BenchmarkName-8  1000  1234 ns/op  56 B/op  2 allocs/op`.
// Suite: the package from the preceding `pkg:` line (`go` when there is none).
// Name: the benchmark name; the `-8` GOMAXPROCS suffix is dropped when every result line of the
// file carries the same one, so ids do not change between runners with different core counts
// (with `-cpu 1,2,4` the suffixes differ and are kept).
// Metrics: `ns/op` is the benchmark itself (unit ns, lower is better); every other metric becomes
// its own benchmark `Name (unit)`: `B/op` → B, `allocs/op` → allocs (lower); `MB/s` and any unit
// ending in `/s` → higher; custom `b.ReportMetric` units are kept as given, lower is better.
import { IngestError, show } from './errors.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';
import type { Direction } from '../schema/results.ts';
import { isRate, nsPer } from './units.ts';

interface Row {
  line: number;
  pkg: string;
  name: string;
  iterations: number;
  metrics: Array<{ value: number; unit: string }>;
}

/** `go test -json` output → the text it wraps (benchmark lines may be split across events). */
function unwrapJson(file: IngestFile): string {
  const parts: string[] = [];
  file.text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      throw new IngestError(file.path, `line ${i + 1}`, `expected a go test -json event (one JSON object per line), got ${show(line)}`);
    }
    const output = (event as { Output?: unknown }).Output;
    if (typeof output === 'string') parts.push(output);
  });
  return parts.join('');
}

function metricFor(unit: string): { unit: string; direction: Direction; factor: number; label?: string } {
  if (unit === 'ns/op') return { unit: 'ns', direction: 'lower', factor: 1 };
  if (unit === 'B/op') return { unit: 'B', direction: 'lower', factor: 1, label: unit };
  if (unit === 'allocs/op') return { unit: 'allocs', direction: 'lower', factor: 1, label: unit };
  if (isRate(unit)) return { unit, direction: 'higher', factor: 1, label: unit };
  const ns = /\/op$/.test(unit) ? nsPer(unit) : undefined;
  if (ns !== undefined) return { unit: 'ns', direction: 'lower', factor: ns, label: unit };
  return { unit, direction: 'lower', factor: 1, label: unit };
}

function parse(file: IngestFile): ParsedFile {
  const text = /^\s*\{/.test(file.text) ? unwrapJson(file) : file.text;
  const rows: Row[] = [];
  const failed: Array<{ pkg: string; name: string }> = [];
  let pkg = 'go';
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = rawLine.trimEnd();
    const pkgMatch = /^pkg: (\S+)/.exec(line);
    if (pkgMatch) {
      pkg = pkgMatch[1];
      return;
    }
    const fail = /--- FAIL: (Benchmark\S*)/.exec(line);
    if (fail) {
      failed.push({ pkg, name: fail[1] });
      return;
    }
    if (!/^Benchmark\S*\s/.test(line)) return; // name-only lines (-v), logs, PASS, ok ...
    const [name, iterField, ...rest] = line.split(/\s+/);
    if (!/^\d+$/.test(iterField)) {
      // A benchmark that printed to stdout after its padded name: not a result line.
      if (!/^[\d.,]+$/.test(iterField)) return;
      throw new IngestError(file.path, `line ${i + 1}`, `expected a whole iteration count after ${name}, got ${show(iterField)}`);
    }
    if (rest.length === 0 || rest.length % 2 !== 0) {
      throw new IngestError(
        file.path,
        `line ${i + 1}`,
        `expected "value unit" pairs after the iteration count (e.g. "1234 ns/op"), got ${show(rest.join(' '))}`,
      );
    }
    const metrics: Row['metrics'] = [];
    for (let k = 0; k < rest.length; k += 2) {
      const value = Number(rest[k]);
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(rest[k]) || !Number.isFinite(value)) {
        throw new IngestError(file.path, `line ${i + 1}`, `expected a number before "${rest[k + 1]}", got ${show(rest[k])}`);
      }
      metrics.push({ value, unit: rest[k + 1] });
    }
    rows.push({ line: i + 1, pkg, name, iterations: Number(iterField), metrics });
  });

  // Drop a uniform -N (GOMAXPROCS) suffix.
  const suffixOf = (name: string) => /-(\d+)$/.exec(name)?.[1];
  const suffixes = new Set((rows.length ? rows.map((r) => r.name) : failed.map((f) => f.name)).map(suffixOf));
  const strip = suffixes.size === 1 && [...suffixes][0] !== undefined;
  const suffix = strip ? `-${[...suffixes][0]}` : '';
  const clean = (name: string) => (suffix && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name);

  const benchmarks: RawBenchmark[] = [];
  for (const row of rows) {
    for (const m of row.metrics) {
      const spec = metricFor(m.unit);
      const value = m.value * spec.factor;
      benchmarks.push({
        suite: row.pkg,
        name: spec.label ? `${clean(row.name)} (${spec.label})` : clean(row.name),
        unit: spec.unit,
        direction: spec.direction,
        rounds: [value],
        samples: [value],
        batch: spec.label ? undefined : row.iterations,
        summaryOnly: 'mean of one -count repetition; use -count 6 or more',
      });
    }
  }
  for (const f of failed) {
    benchmarks.push({
      suite: f.pkg,
      name: clean(f.name),
      unit: 'ns',
      direction: 'lower',
      rounds: [],
      samples: [],
      failed: 'go test reported --- FAIL for this benchmark',
    });
  }
  if (rows.length === 0 && failed.length === 0) {
    throw new IngestError(
      file.path,
      '',
      'expected go test -bench result lines such as "BenchmarkName-8  1000  1234 ns/op", found none',
    );
  }
  return { benchmarks, notices: [] };
}

export const go: IngestFormat = {
  name: 'go',
  aliases: ['go-test', 'gotest', 'go-bench'],
  description: 'go test -bench text (or -json): -count repetitions are rounds; B/op, allocs/op, MB/s, custom metrics each their own id',
  parse,
};
