// BenchmarkDotNet JSON exporter (`*-report-full.json`, `[JsonExporterAttribute.Full]`, or the
// brief/default JSON, which lack Measurements but keep Statistics.OriginalValues).
//
// Rounds and samples: every Measurement with IterationMode "Workload" and IterationStage "Result"
// (overhead already subtracted), as Nanoseconds / Operations; without Measurements,
// Statistics.OriginalValues (ns per operation); without either, the single round is
// Statistics.Median. A benchmark with no Statistics failed.
// Suite: `Namespace.Type`; name: MethodTitle, plus `(Parameters)` when there are any, plus
// `[job]` when one method ran under several jobs.
// Metrics (MemoryDiagnoser and others) become `name (DisplayName)` in the metric's own unit, with
// the direction BenchmarkDotNet declares (TheGreaterTheBetter); without Metrics,
// Memory.BytesAllocatedPerOperation becomes `name (Allocated)` in B, lower is better.
import { IngestError } from './errors.ts';
import { asArray, asNumber, asNumberArray, asObject, asString, isObject, join, optBoolean, optNumber, optString, parseJsonText } from './json.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';

function parse(file: IngestFile): ParsedFile {
  const root = asObject(parseJsonText(file.text, file.path), file.path, '');
  const items = asArray(root.Benchmarks, file.path, 'Benchmarks');
  const benchmarks: RawBenchmark[] = [];

  // Names first, to tell jobs apart only where one method ran under several.
  const names = items.map((item, i) => {
    const path = join('Benchmarks', i);
    const b = asObject(item, file.path, path);
    const ns = optString(b.Namespace, file.path, join(path, 'Namespace'));
    const type = asString(b.Type, file.path, join(path, 'Type'));
    const title = optString(b.MethodTitle, file.path, join(path, 'MethodTitle')) || asString(b.Method, file.path, join(path, 'Method'));
    const params = optString(b.Parameters, file.path, join(path, 'Parameters'));
    const display = optString(b.DisplayInfo, file.path, join(path, 'DisplayInfo')) ?? '';
    // DisplayInfo is `Type.Method: JOB [Parameters]`.
    let job = display.split(': ').slice(1).join(': ');
    if (params && job.endsWith(` [${params}]`)) job = job.slice(0, -(params.length + 3));
    return { suite: ns ? `${ns}.${type}` : type, name: params ? `${title}(${params})` : title, job };
  });
  const count = new Map<string, number>();
  for (const n of names) count.set(`${n.suite}/${n.name}`, (count.get(`${n.suite}/${n.name}`) ?? 0) + 1);

  items.forEach((item, i) => {
    const path = join('Benchmarks', i);
    const b = item as Record<string, unknown>;
    const { suite, job } = names[i];
    const name = (count.get(`${suite}/${names[i].name}`) ?? 0) > 1 && job ? `${names[i].name} [${job}]` : names[i].name;
    if (b.Statistics === null || b.Statistics === undefined) {
      benchmarks.push({ suite, name, unit: 'ns', direction: 'lower', rounds: [], samples: [], failed: 'BenchmarkDotNet has no statistics for it (the benchmark failed)' });
      return;
    }
    const stats = asObject(b.Statistics, file.path, join(path, 'Statistics'));
    let values: number[] = [];
    let operations: Set<number> | undefined;
    if (b.Measurements !== undefined && b.Measurements !== null) {
      const ms = asArray(b.Measurements, file.path, join(path, 'Measurements'));
      operations = new Set();
      ms.forEach((mItem, k) => {
        const mp = join(join(path, 'Measurements'), k);
        const m = asObject(mItem, file.path, mp);
        if (m.IterationMode !== 'Workload' || m.IterationStage !== 'Result') return;
        const ops = asNumber(m.Operations, file.path, join(mp, 'Operations'));
        if (ops <= 0) throw new IngestError(file.path, join(mp, 'Operations'), `expected a positive count, got ${ops}`);
        operations?.add(ops);
        values.push(asNumber(m.Nanoseconds, file.path, join(mp, 'Nanoseconds')) / ops);
      });
    }
    if (values.length === 0 && stats.OriginalValues !== undefined && stats.OriginalValues !== null) {
      values = asNumberArray(stats.OriginalValues, file.path, join(path, 'Statistics.OriginalValues'));
      operations = undefined;
    }
    if (values.length > 0) {
      const batch = operations && operations.size === 1 ? [...operations][0] : undefined;
      benchmarks.push({ suite, name, unit: 'ns', direction: 'lower', rounds: values, samples: values, batch });
    } else {
      const median = asNumber(stats.Median, file.path, join(path, 'Statistics.Median'));
      benchmarks.push({ suite, name, unit: 'ns', direction: 'lower', rounds: [median], samples: [], summaryOnly: 'Statistics.Median; no Measurements or OriginalValues' });
    }

    if (Array.isArray(b.Metrics) && b.Metrics.length > 0) {
      b.Metrics.forEach((metricItem, k) => {
        const mp = join(join(path, 'Metrics'), k);
        const metric = asObject(metricItem, file.path, mp);
        const d = asObject(metric.Descriptor, file.path, join(mp, 'Descriptor'));
        const label = optString(d.DisplayName, file.path, join(mp, 'Descriptor.DisplayName')) || asString(d.Id, file.path, join(mp, 'Descriptor.Id'));
        const unit = optString(d.Unit, file.path, join(mp, 'Descriptor.Unit')) || label;
        const higher = optBoolean(d.TheGreaterTheBetter, file.path, join(mp, 'Descriptor.TheGreaterTheBetter')) ?? false;
        const value = asNumber(metric.Value, file.path, join(mp, 'Value'));
        benchmarks.push({ suite, name: `${name} (${label})`, unit, direction: higher ? 'higher' : 'lower', rounds: [value], samples: [], summaryOnly: 'BenchmarkDotNet metric' });
      });
    } else if (isObject(b.Memory) && b.Memory.BytesAllocatedPerOperation !== undefined) {
      const bytes = asNumber(b.Memory.BytesAllocatedPerOperation, file.path, join(path, 'Memory.BytesAllocatedPerOperation'));
      benchmarks.push({ suite, name: `${name} (Allocated)`, unit: 'B', direction: 'lower', rounds: [bytes], samples: [], summaryOnly: 'BenchmarkDotNet memory diagnoser' });
    }
  });
  return { benchmarks, notices: [] };
}

export const benchmarkDotNet: IngestFormat = {
  name: 'benchmarkdotnet',
  aliases: ['bdn', 'benchmark-dotnet'],
  description: 'BenchmarkDotNet JSON exporter (report-full.json): Workload/Result iterations are rounds',
  parse,
};
