// cargo-criterion `--message-format=json`: one JSON message per line; `benchmark-complete`
// messages are read, others (group-complete, cargo's own) skipped.
//
// Each of Criterion's samples is a round: `measured_values[i] / iteration_count[i]` (time per
// iteration, ns when `unit` is a time unit; other measurements such as cycles keep their unit).
// Without measured values, the single round is the `median` estimate (else `typical`).
// Suite: `criterion`; name: Criterion's id (`group/function/parameter`).
import { IngestError, show } from './errors.ts';
import { asNumber, asNumberArray, asObject, asString, isObject, join, parseJsonText } from './json.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';
import { normaliseUnit } from './units.ts';

function parse(file: IngestFile): ParsedFile {
  const benchmarks: RawBenchmark[] = [];
  const lines = file.text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const where = `line ${i + 1}`;
    if (!line.trimStart().startsWith('{')) {
      throw new IngestError(file.path, where, `expected one JSON message per line (cargo criterion --message-format=json), got ${show(line.trim())}`);
    }
    const msg = asObject(parseJsonText(line, file.path, where), file.path, where);
    if (msg.reason !== 'benchmark-complete') return;
    const at = (field: string) => `${where}: ${field}`;
    const id = asString(msg.id, file.path, at('id'));
    const rawUnit = asString(msg.unit ?? 'ns', file.path, at('unit'));
    // Criterion measures a cost (time, cycles, ...): lower is better whatever the unit.
    const { unit, factor } = normaliseUnit(rawUnit);
    const measured = msg.measured_values;
    if (Array.isArray(measured) && measured.length > 0) {
      const values = asNumberArray(measured, file.path, at('measured_values'));
      const counts = asNumberArray(msg.iteration_count, file.path, at('iteration_count'));
      if (counts.length !== values.length) {
        throw new IngestError(file.path, at('iteration_count'), `expected ${values.length} counts (one per measured value), got ${counts.length}`);
      }
      const perIter = values.map((v, k) => {
        if (counts[k] <= 0) throw new IngestError(file.path, at(join('iteration_count', k)), `expected a positive count, got ${counts[k]}`);
        return (v / counts[k]) * factor;
      });
      benchmarks.push({ suite: 'criterion', name: id, unit, direction: 'lower', rounds: perIter, samples: perIter });
      return;
    }
    const key = isObject(msg.median) ? 'median' : 'typical';
    const estimate = asObject(msg[key], file.path, at(key));
    const estUnit = normaliseUnit(asString(estimate.unit ?? rawUnit, file.path, at(`${key}.unit`)));
    const value = asNumber(estimate.estimate, file.path, at(`${key}.estimate`)) * estUnit.factor;
    benchmarks.push({ suite: 'criterion', name: id, unit: estUnit.unit, direction: 'lower', rounds: [value], samples: [], summaryOnly: `the ${key} estimate; no measured_values` });
  });
  if (benchmarks.length === 0) {
    throw new IngestError(file.path, '', 'expected at least one {"reason":"benchmark-complete",...} message, found none');
  }
  return { benchmarks, notices: [] };
}

export const cargoCriterion: IngestFormat = {
  name: 'cargo-criterion',
  aliases: ['criterion', 'criterion-json'],
  description: 'cargo criterion --message-format=json: each Criterion sample (per-iteration time) is a round',
  parse,
};
