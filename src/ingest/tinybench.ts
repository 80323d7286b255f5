// tinybench output dumped as JSON. Two shapes are read:
//
// 1. The tasks (recommended; keeps samples when the Bench has `retainSamples: true`):
//      JSON.stringify(bench.tasks.map((t) => ({ name: t.name, result: t.result })))
//    optionally wrapped as { "name": bench.name, "tasks": [...] } to name the suite.
//    tinybench 3-6 keep times in `result.latency` (ms); tinybench 2's flat `result` is read too.
// 2. The table: JSON.stringify(bench.table()) — rows with "Task name" and
//    "Latency med (ns)" / "Latency avg (ns)" strings such as "14241 ± 121.00"
//    (tinybench 2's "Task Name" / "Average Time (ns)" too).
//
// One run of a Bench is one process: one round per file, the median latency (ns; the mean when
// the shape has no median); the latency samples are kept when present. Errored or aborted tasks
// are failed benchmarks. Suite: the wrapper's `name`, else `tinybench`.
import { IngestError, show } from './errors.ts';
import { asArray, asNumberArray, asObject, asString, isObject, join, optNumber, parseJsonText, type JsonObject } from './json.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';

function tableNumber(value: unknown, file: string, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const m = typeof value === 'string' ? /^\s*([-+]?[\d,]*\.?\d+(?:[eE][-+]?\d+)?)/.exec(value) : null;
  if (!m) throw new IngestError(file, path, `expected a number such as "14241 ± 121.00", got ${show(value)}`);
  return Number(m[1].replace(/,/g, ''));
}

function fromTable(rows: unknown[], file: IngestFile, suite: string): RawBenchmark[] {
  const out: RawBenchmark[] = [];
  rows.forEach((item, i) => {
    if (item === null) return; // table() gives null for tasks without a result
    const path = join('', i);
    const row = asObject(item, file.path, path);
    const nameKey = 'Task name' in row ? 'Task name' : 'Task Name';
    const name = asString(row[nameKey], file.path, join(path, nameKey));
    const base = { suite, name, unit: 'ns', direction: 'lower' as const };
    if (row.Error !== undefined) {
      out.push({ ...base, rounds: [], samples: [], failed: `tinybench reported: ${String(row.Error)}` });
      return;
    }
    const key = ['Latency med (ns)', 'Latency avg (ns)', 'Average Time (ns)'].find((k) => row[k] !== undefined);
    if (!key) throw new IngestError(file.path, join(path, 'Latency med (ns)'), 'expected the latency column of bench.table()');
    const value = tableNumber(row[key], file.path, join(path, key));
    const stat = key.includes('med') ? 'median' : 'mean';
    out.push({ ...base, rounds: [value], samples: [], summaryOnly: `the ${stat} of one tinybench run` });
  });
  return out;
}

function fromTasks(tasks: unknown[], file: IngestFile, suite: string, basePath: string, notices: string[]): RawBenchmark[] {
  const out: RawBenchmark[] = [];
  tasks.forEach((item, i) => {
    const path = join(basePath, i);
    const task = asObject(item, file.path, path);
    const name = asString(task.name, file.path, join(path, 'name'));
    const base = { suite, name, unit: 'ns', direction: 'lower' as const };
    if (task.result === undefined || task.result === null) {
      notices.push(`${file.path}: ${path}: task "${name}" has no result (it did not run); skipped.`);
      return;
    }
    const result = asObject(task.result, file.path, join(path, 'result'));
    const state = typeof result.state === 'string' ? result.state : undefined;
    const error = result.error;
    if (state === 'errored' || state === 'aborted' || (state === undefined && error !== undefined && error !== null)) {
      const message = isObject(error) && typeof error.message === 'string' ? error.message : typeof error === 'string' ? error : state ?? 'errored';
      out.push({ ...base, rounds: [], samples: [], failed: `tinybench reported: ${message}` });
      return;
    }
    if (state === 'not-started' || state === 'started') {
      notices.push(`${file.path}: ${path}: task "${name}" is ${state}, with no statistics; skipped.`);
      return;
    }
    const latencyPath = isObject(result.latency) ? join(join(path, 'result'), 'latency') : join(path, 'result');
    const latency: JsonObject = isObject(result.latency) ? result.latency : result;
    const samples =
      latency.samples === undefined || latency.samples === null
        ? []
        : asNumberArray(latency.samples, file.path, join(latencyPath, 'samples')).map((s) => s * 1e6);
    const p50 = optNumber(latency.p50 ?? latency.median, file.path, join(latencyPath, 'p50'));
    const center = p50 ?? optNumber(latency.mean, file.path, join(latencyPath, 'mean'));
    if (center === undefined) throw new IngestError(file.path, join(latencyPath, 'p50'), 'expected the median latency in ms (or the mean)');
    out.push({
      ...base,
      rounds: [center * 1e6],
      samples,
      summaryOnly: `the ${p50 !== undefined ? 'median' : 'mean'} of one tinybench run`,
    });
  });
  return out;
}

function parse(file: IngestFile): ParsedFile {
  const root = parseJsonText(file.text, file.path);
  const notices: string[] = [];
  if (isObject(root)) {
    const suite = typeof root.name === 'string' && root.name ? root.name : 'tinybench';
    return { benchmarks: fromTasks(asArray(root.tasks, file.path, 'tasks'), file, suite, 'tasks', notices), notices };
  }
  const items = asArray(root, file.path, '');
  const first = items.find((x) => x !== null);
  if (isObject(first) && ('Task name' in first || 'Task Name' in first)) {
    return { benchmarks: fromTable(items, file, 'tinybench'), notices };
  }
  return { benchmarks: fromTasks(items, file, 'tinybench', '', notices), notices };
}

export const tinybench: IngestFormat = {
  name: 'tinybench',
  aliases: [],
  description: 'tinybench tasks or bench.table() dumped as JSON: one round (the median) per file; samples kept when retained',
  parse,
};
