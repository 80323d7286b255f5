// hyperfine `--export-json FILE`: one result per command; `times` holds every run in seconds.
// Each run is a round and a sample (ns). `memory_usage_byte` (hyperfine 1.19+) becomes
// `<command> (max RSS)` in bytes. Suite: `hyperfine`.
import { IngestError } from './errors.ts';
import { asArray, asNumberArray, asObject, asString, join, optNumber, parseJsonText } from './json.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';

function parse(file: IngestFile): ParsedFile {
  const root = asObject(parseJsonText(file.text, file.path), file.path, '');
  const results = asArray(root.results, file.path, 'results');
  const benchmarks: RawBenchmark[] = [];
  const notices: string[] = [];
  results.forEach((item, i) => {
    const path = join('results', i);
    const r = asObject(item, file.path, path);
    const name = asString(r.command, file.path, join(path, 'command'));
    if (r.times === undefined || r.times === null) {
      // Never written by hyperfine itself, but tolerate a summary-only document.
      const mean = optNumber(r.mean, file.path, join(path, 'mean'));
      if (mean === undefined) throw new IngestError(file.path, join(path, 'times'), 'expected an array of run times in seconds');
      benchmarks.push({
        suite: 'hyperfine',
        name,
        unit: 'ns',
        direction: 'lower',
        rounds: [(optNumber(r.median, file.path, join(path, 'median')) ?? mean) * 1e9],
        samples: [],
        summaryOnly: r.median != null ? 'median' : 'mean',
      });
      return;
    }
    const times = asNumberArray(r.times, file.path, join(path, 'times'));
    if (times.length === 0) throw new IngestError(file.path, join(path, 'times'), 'expected at least one run time');
    const ns = times.map((t) => t * 1e9);
    const b: RawBenchmark = { suite: 'hyperfine', name, unit: 'ns', direction: 'lower', rounds: ns, samples: ns };
    if (r.exit_codes !== undefined && r.exit_codes !== null) {
      const codes = asArray(r.exit_codes, file.path, join(path, 'exit_codes'));
      const bad = codes.filter((c) => c !== 0 && c !== null).length;
      if (bad) b.failed = `the command exited non-zero in ${bad} of ${codes.length} runs`;
    }
    benchmarks.push(b);
    if (r.memory_usage_byte !== undefined && r.memory_usage_byte !== null) {
      const mem = asNumberArray(r.memory_usage_byte, file.path, join(path, 'memory_usage_byte'));
      if (mem.length) {
        benchmarks.push({ suite: 'hyperfine', name: `${name} (max RSS)`, unit: 'B', direction: 'lower', rounds: mem, samples: mem });
      }
    }
  });
  return { benchmarks, notices };
}

export const hyperfine: IngestFormat = {
  name: 'hyperfine',
  aliases: [],
  description: 'hyperfine --export-json FILE (every run is a round)',
  parse,
};
