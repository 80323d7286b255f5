// JMH JSON (`java -jar benchmarks.jar -rf json -rff jmh-result.json`): an array with one entry per
// benchmark method and parameter set.
//
// Rounds: every measurement iteration of every fork, `primaryMetric.rawData[fork][iteration]`; in
// sample mode (`-bm sample`), the median of each iteration's `rawDataHistogram`; without either,
// `primaryMetric.score` once. Units: time per operation (`avgt`, `sample`, `ss`: `ns/op`, `us/op`,
// `ms/op`, `s/op`) → ns, lower is better; throughput (`thrpt`: `ops/s`, `ops/ms`, ...) keeps its
// unit, higher is better. Secondary metrics (`-prof gc`, `@AuxCounters`) get their own id
// `name (metric)` in their own unit: time → ns, `·gc.*` and other non-rates lower, rates higher
// (except the `·gc.*` allocation rates, lower).
// Suite: the benchmark's class (`org.example.MyBench`); name: the method, plus `(k=v, ...)` from
// `params`, plus ` [mode]` when one method ran in several modes.
import { IngestError } from './errors.ts';
import { asArray, asNumber, asObject, asString, isObject, join, parseJsonText, type JsonObject } from './json.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';
import { isRate, nsPer } from './units.ts';

const MODES = new Set(['thrpt', 'avgt', 'sample', 'ss']);

/** The median of a histogram `[[value, count], ...]`. */
function histogramMedian(pairs: Array<[number, number]>): number {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, c]) => s + c, 0);
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= total / 2) return value;
  }
  return Number.NaN;
}

interface Metric {
  unit: string;
  factor: number;
  rounds: number[];
  summaryOnly?: string;
}

function readMetric(m: JsonObject, file: string, path: string): Metric {
  const rawUnit = asString(m.scoreUnit, file, join(path, 'scoreUnit'));
  const ns = nsPer(rawUnit);
  const unit = ns !== undefined ? 'ns' : rawUnit;
  const factor = ns ?? 1;
  if (m.rawData !== undefined && m.rawData !== null) {
    const forks = asArray(m.rawData, file, join(path, 'rawData'));
    const rounds = forks.flatMap((fork, f) => asArray(fork, file, join(join(path, 'rawData'), f)).map((v, k) => asNumber(v, file, join(join(join(path, 'rawData'), f), k)) * factor));
    if (rounds.length) return { unit, factor, rounds };
  }
  if (m.rawDataHistogram !== undefined && m.rawDataHistogram !== null) {
    const hp = join(path, 'rawDataHistogram');
    const forks = asArray(m.rawDataHistogram, file, hp);
    const rounds: number[] = [];
    forks.forEach((fork, f) => {
      asArray(fork, file, join(hp, f)).forEach((iteration, k) => {
        const ip = join(join(hp, f), k);
        const pairs = asArray(iteration, file, ip).map((pair, j) => {
          const pp = join(ip, j);
          const p = asArray(pair, file, pp);
          if (p.length !== 2) throw new IngestError(file, pp, `expected a [value, count] pair, got ${p.length} items`);
          return [asNumber(p[0], file, join(pp, 0)), asNumber(p[1], file, join(pp, 1))] as [number, number];
        });
        if (pairs.length) rounds.push(histogramMedian(pairs) * factor);
      });
    });
    if (rounds.length) return { unit, factor, rounds };
  }
  const score = asNumber(m.score, file, join(path, 'score'));
  return { unit, factor, rounds: [score * factor], summaryOnly: 'JMH score; no rawData' };
}

function parse(file: IngestFile): ParsedFile {
  const items = asArray(parseJsonText(file.text, file.path), file.path, '');
  const benchmarks: RawBenchmark[] = [];
  const heads = items.map((item, i) => {
    const path = join('', i);
    const e = asObject(item, file.path, path);
    const full = asString(e.benchmark, file.path, join(path, 'benchmark'));
    const mode = asString(e.mode, file.path, join(path, 'mode'));
    if (!MODES.has(mode)) throw new IngestError(file.path, join(path, 'mode'), `expected thrpt, avgt, sample or ss, got "${mode}"`);
    const dot = full.lastIndexOf('.');
    const suite = dot > 0 ? full.slice(0, dot) : 'jmh';
    let name = dot > 0 ? full.slice(dot + 1) : full;
    if (e.params !== undefined && e.params !== null) {
      const params = asObject(e.params, file.path, join(path, 'params'));
      const text = Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
      if (text) name = `${name}(${text})`;
    }
    return { e, path, suite, name, mode };
  });
  const modes = new Map<string, Set<string>>();
  for (const h of heads) modes.set(`${h.suite}/${h.name}`, (modes.get(`${h.suite}/${h.name}`) ?? new Set()).add(h.mode));

  for (const { e, path, suite, mode, ...h } of heads) {
    const name = (modes.get(`${suite}/${h.name}`)?.size ?? 0) > 1 ? `${h.name} [${mode}]` : h.name;
    const primary = asObject(e.primaryMetric, file.path, join(path, 'primaryMetric'));
    const m = readMetric(primary, file.path, join(path, 'primaryMetric'));
    const direction = mode === 'thrpt' && m.unit !== 'ns' ? 'higher' : 'lower';
    benchmarks.push({ suite, name, unit: m.unit, direction, rounds: m.rounds, samples: m.summaryOnly ? [] : m.rounds, ...(m.summaryOnly ? { summaryOnly: m.summaryOnly } : {}) });
    if (e.secondaryMetrics !== undefined && e.secondaryMetrics !== null) {
      const sp = join(path, 'secondaryMetrics');
      const secondary = asObject(e.secondaryMetrics, file.path, sp);
      for (const [key, value] of Object.entries(secondary)) {
        const mp = join(sp, key);
        if (!isObject(value)) throw new IngestError(file.path, mp, 'expected an object with score and scoreUnit');
        const s = readMetric(value, file.path, mp);
        const label = key.replace(/^[·.]/, '');
        const gc = /^gc\./.test(label);
        const dir = s.unit === 'ns' || gc || !isRate(s.unit) ? 'lower' : 'higher';
        benchmarks.push({ suite, name: `${name} (${label})`, unit: s.unit, direction: dir, rounds: s.rounds, samples: s.summaryOnly ? [] : s.rounds, ...(s.summaryOnly ? { summaryOnly: s.summaryOnly } : {}) });
      }
    }
  }
  return { benchmarks, notices: [] };
}

export const jmh: IngestFormat = {
  name: 'jmh',
  aliases: ['java-jmh'],
  description: 'JMH -rf json: every measurement iteration of every fork is a round',
  parse,
};
