// `vitest bench --outputJson FILE` (vitest 1 to 4): files → groups → benchmarks, times in ms.
//
// vitest runs each bench once, in one process: one round per file, its median (ns). vitest 4's
// JSON report always writes `samples: []` (even with `benchmark.includeSamples`); samples are
// kept if a file has them. Pass the files of several repeated runs to get several rounds.
// Suite: the group's `fullName` (`file.bench.ts > describe name`); name: the bench name.
import { asArray, asNumber, asNumberArray, asObject, asString, join, optNumber, parseJsonText } from './json.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';

function parse(file: IngestFile): ParsedFile {
  const root = asObject(parseJsonText(file.text, file.path), file.path, '');
  const files = asArray(root.files, file.path, 'files');
  const benchmarks: RawBenchmark[] = [];
  files.forEach((fItem, fi) => {
    const fp = join('files', fi);
    const f = asObject(fItem, file.path, fp);
    asArray(f.groups, file.path, join(fp, 'groups')).forEach((gItem, gi) => {
      const gp = join(join(fp, 'groups'), gi);
      const g = asObject(gItem, file.path, gp);
      const suite = asString(g.fullName, file.path, join(gp, 'fullName'));
      asArray(g.benchmarks, file.path, join(gp, 'benchmarks')).forEach((bItem, bi) => {
        const bp = join(join(gp, 'benchmarks'), bi);
        const b = asObject(bItem, file.path, bp);
        const name = asString(b.name, file.path, join(bp, 'name'));
        const samples = b.samples === undefined || b.samples === null ? [] : asNumberArray(b.samples, file.path, join(bp, 'samples')).map((s) => s * 1e6);
        const median = optNumber(b.median, file.path, join(bp, 'median'));
        const center = median ?? asNumber(b.mean, file.path, join(bp, 'mean'));
        benchmarks.push({
          suite,
          name,
          unit: 'ns',
          direction: 'lower',
          rounds: [center * 1e6],
          samples,
          summaryOnly: `the ${median !== undefined ? 'median' : 'mean'} of one vitest run`,
        });
      });
    });
  });
  return { benchmarks, notices: [] };
}

export const vitest: IngestFormat = {
  name: 'vitest',
  aliases: ['vitest-bench'],
  description: 'vitest bench --outputJson FILE: one round (the median) per file; samples kept when included',
  parse,
};
