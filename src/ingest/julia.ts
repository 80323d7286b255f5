// Julia BenchmarkTools JSON: `BenchmarkTools.save("out.json", results)` (a BenchmarkGroup of
// Trials) or `BenchmarkTools.save("out.json", median(results))` (of TrialEstimates, as
// github-action-benchmark's `tool: 'julia'` example writes). The file is
//   [{"Julia": "1.10.4", "BenchmarkTools": "1.5.0"}, [VALUE, ...]]
// with each VALUE a `[type, fields]` pair: `["BenchmarkGroup", {"data": {key: VALUE}, "tags": []}]`,
// `["Trial", {"times": [ns...], "gctimes", "memory", "allocs", "params": ["Parameters", {"evals"}]}]`
// or `["TrialEstimate", {"time": ns, "gctime", "memory", "allocs", "params"}]`.
//
// A Trial's `times` (ns per evaluation, one per sample) are its rounds and samples, with `evals` as
// the batch; a TrialEstimate's `time` is the single round. `memory` (B) and `allocs` become
// `name (memory)` and `name (allocs)`, lower is better. Ids: the group keys from the top, the last
// one the name, the others the suite (`julia` when there is only one).
import { IngestError } from './errors.ts';
import { asArray, asNumber, asNumberArray, asObject, asString, isObject, join, parseJsonText } from './json.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';

function parse(file: IngestFile): ParsedFile {
  const root = asArray(parseJsonText(file.text, file.path), file.path, '');
  if (root.length !== 2 || !isObject(root[0]) || !Array.isArray(root[1])) {
    throw new IngestError(file.path, '(root)', 'expected [{"Julia": ..., "BenchmarkTools": ...}, [values]] as BenchmarkTools.save writes it');
  }
  const benchmarks: RawBenchmark[] = [];
  const add = (keys: string[], name: string, unit: string, rounds: number[], extra: Partial<RawBenchmark>) => {
    const suite = keys.length ? keys.join('/') : 'julia';
    benchmarks.push({ suite, name, unit, direction: 'lower', rounds, samples: [], ...extra });
  };

  const visit = (value: unknown, path: string, keys: string[]) => {
    const pair = asArray(value, file.path, path);
    const type = asString(pair[0], file.path, join(path, 0));
    const fields = asObject(pair[1], file.path, join(path, 1));
    const fp = join(path, 1);
    if (type === 'BenchmarkGroup') {
      const data = asObject(fields.data, file.path, join(fp, 'data'));
      for (const [key, child] of Object.entries(data)) visit(child, join(join(fp, 'data'), key), [...keys, key]);
      return;
    }
    if (type !== 'Trial' && type !== 'TrialEstimate') {
      throw new IngestError(file.path, join(path, 0), `expected "BenchmarkGroup", "Trial" or "TrialEstimate", got "${type}"; save the results of run(suite) or median(results)`);
    }
    if (keys.length === 0) throw new IngestError(file.path, path, `a ${type} outside a BenchmarkGroup has no name; save a BenchmarkGroup`);
    const name = keys[keys.length - 1];
    const suiteKeys = keys.slice(0, -1);
    if (type === 'Trial') {
      const times = asNumberArray(fields.times, file.path, join(fp, 'times'));
      if (times.length === 0) throw new IngestError(file.path, join(fp, 'times'), 'expected at least one sample time');
      let batch: number | undefined;
      if (Array.isArray(fields.params) && isObject(fields.params[1])) {
        const evals = fields.params[1].evals;
        if (typeof evals === 'number' && Number.isInteger(evals) && evals > 0) batch = evals;
      }
      add(suiteKeys, name, 'ns', times, { samples: times, batch });
    } else {
      const time = asNumber(fields.time, file.path, join(fp, 'time'));
      add(suiteKeys, name, 'ns', [time], { summaryOnly: 'a TrialEstimate (one statistic of a trial)' });
    }
    const memory = asNumber(fields.memory, file.path, join(fp, 'memory'));
    const allocs = asNumber(fields.allocs, file.path, join(fp, 'allocs'));
    add(suiteKeys, `${name} (memory)`, 'B', [memory], { summaryOnly: 'BenchmarkTools memory estimate' });
    add(suiteKeys, `${name} (allocs)`, 'allocs', [allocs], { summaryOnly: 'BenchmarkTools allocation count' });
  };

  const values = root[1] as unknown[];
  values.forEach((v, i) => visit(v, join('', 1) + `[${i}]`, []));
  if (benchmarks.length === 0) throw new IngestError(file.path, '[1]', 'expected at least one Trial or TrialEstimate in the saved groups');
  return { benchmarks, notices: [] };
}

export const julia: IngestFormat = {
  name: 'julia',
  aliases: ['benchmarktools', 'julia-benchmarktools'],
  description: 'Julia BenchmarkTools.save JSON: a Trial\'s sample times are rounds; a TrialEstimate is one round',
  parse,
};
