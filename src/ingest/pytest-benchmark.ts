// pytest-benchmark `--benchmark-json FILE` (also its saved runs under .benchmarks/).
//
// `stats.data` holds the time of every round in seconds per iteration (pytest-benchmark 5 always
// writes it to --benchmark-json; saved runs need --benchmark-save-data): each becomes a round
// and a sample, in ns. Without `data`, the single round is `stats.median`.
// Suite: the test file from `fullname` (`tests/test_x.py::test_fn[param]` → `tests/test_x.py`),
// name: the rest (`test_fn[param]`).
import { asArray, asNumber, asNumberArray, asObject, asString, join, optNumber, parseJsonText } from './json.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';

function parse(file: IngestFile): ParsedFile {
  const root = asObject(parseJsonText(file.text, file.path), file.path, '');
  const items = asArray(root.benchmarks, file.path, 'benchmarks');
  const benchmarks: RawBenchmark[] = [];
  items.forEach((item, i) => {
    const path = join('benchmarks', i);
    const b = asObject(item, file.path, path);
    const fullname = typeof b.fullname === 'string' && b.fullname ? b.fullname : asString(b.name, file.path, join(path, 'name'));
    const cut = fullname.lastIndexOf('::');
    const suite = cut > 0 ? fullname.slice(0, cut) : 'pytest';
    const name = cut > 0 ? fullname.slice(cut + 2) : fullname;
    const stats = asObject(b.stats, file.path, join(path, 'stats'));
    const iterations = optNumber(stats.iterations, file.path, join(path, 'stats.iterations'));
    const batch = iterations !== undefined && Number.isInteger(iterations) && iterations > 0 ? iterations : undefined;
    if (stats.data !== undefined && stats.data !== null) {
      const data = asNumberArray(stats.data, file.path, join(path, 'stats.data')).map((s) => s * 1e9);
      if (data.length > 0) {
        benchmarks.push({ suite, name, unit: 'ns', direction: 'lower', rounds: data, samples: data, batch });
        return;
      }
    }
    const median = asNumber(stats.median, file.path, join(path, 'stats.median')) * 1e9;
    benchmarks.push({
      suite, name, unit: 'ns', direction: 'lower', rounds: [median], samples: [], batch,
      summaryOnly: 'stats.median; no stats.data in this file',
    });
  });
  return { benchmarks, notices: [] };
}

export const pytestBenchmark: IngestFormat = {
  name: 'pytest-benchmark',
  aliases: ['pytest'],
  description: 'pytest-benchmark --benchmark-json FILE: stats.data rounds are rounds (else the median)',
  parse,
};
