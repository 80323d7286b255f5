// benchmark.js output text: the line `String(event.target)` prints for each benchmark on `cycle`
// (what github-action-benchmark's `tool: 'benchmarkjs'` reads):
//   fib(20) x 11,465 ops/sec ±1.12% (91 runs sampled)
// The value is benchmark.js's mean rate over its sampled runs, so it is one summary: one round per
// file (pass the output of several runs for more). Unit `ops/sec`, higher is better.
// Other lines (`Fastest is ...`, the program's own logging) are skipped. Suite: `benchmarkjs`.
import { IngestError, show } from './errors.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';

const NUMBER = String.raw`\d[\d,]*(?:\.\d+)?`;
const LINE = new RegExp(String.raw`^(.+?) x (${NUMBER}) ops\/sec (?:±|\+-|\+\/-)\s*(${NUMBER})% \((\d+) runs? sampled\)$`);
/** A line that looks like a result line (`... x N ops/sec`), so a line that fails LINE is malformed, not other output. */
const LOOKS_LIKE = /\sx\s+\S+\s+ops\/sec\b/;

function parse(file: IngestFile): ParsedFile {
  const benchmarks: RawBenchmark[] = [];
  file.text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!LOOKS_LIKE.test(line)) return;
    const m = LINE.exec(line);
    if (!m) {
      throw new IngestError(file.path, `line ${i + 1}`, `expected "NAME x 1,234 ops/sec ±1.23% (91 runs sampled)" (benchmark.js's String(bench)), got ${show(line)}`);
    }
    const value = Number(m[2].replace(/,/g, ''));
    if (!(value > 0)) throw new IngestError(file.path, `line ${i + 1}`, `expected a positive ops/sec, got ${show(m[2])}`);
    benchmarks.push({
      suite: 'benchmarkjs',
      name: m[1],
      unit: 'ops/sec',
      direction: 'higher',
      rounds: [value],
      samples: [],
      summaryOnly: "benchmark.js's mean rate over its sampled runs",
    });
  });
  if (benchmarks.length === 0) {
    throw new IngestError(file.path, '', 'expected benchmark.js result lines such as "fib x 1,234 ops/sec ±1.23% (91 runs sampled)", found none; print String(event.target) in the suite\'s "cycle" handler');
  }
  return { benchmarks, notices: [] };
}

export const benchmarkJs: IngestFormat = {
  name: 'benchmarkjs',
  aliases: ['benchmark.js', 'benchmark-js'],
  description: 'benchmark.js output lines "NAME x N ops/sec ±R% (K runs sampled)": one round per file',
  parse,
};
