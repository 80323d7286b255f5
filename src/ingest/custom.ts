// github-action-benchmark's custom JSON: an array of
//   { "name": "...", "value": 123, "unit": "ms", "range"?: "± 3", "extra"?: "..." }
// Format `customSmallerIsBetter` reads every entry as lower-is-better, `customBiggerIsBetter` as
// higher-is-better; an entry's own `"biggerIsBetter": true|false` overrides that (perfgate only).
// Each entry is one round (the same name again, in the file or in another file, is another
// round). Time units (ns, us, µs, ms, s) are converted to ns; other units are kept as given.
// `range` and `extra` are accepted and not used. Suite: `custom`.
import { IngestError } from './errors.ts';
import { asArray, asNumber, asObject, asString, join, optBoolean, parseJsonText } from './json.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';
import { nsPer } from './units.ts';

function parser(biggerIsBetter: boolean) {
  return (file: IngestFile): ParsedFile => {
    const root = asArray(parseJsonText(file.text, file.path), file.path, '');
    const benchmarks: RawBenchmark[] = root.map((item, i) => {
      const path = join('', i);
      const e = asObject(item, file.path, path);
      const name = asString(e.name, file.path, join(path, 'name'));
      const value = asNumber(e.value, file.path, join(path, 'value'));
      const rawUnit = asString(e.unit, file.path, join(path, 'unit'));
      const range = e.range;
      if (range !== undefined && range !== null && typeof range !== 'string' && typeof range !== 'number') {
        throw new IngestError(file.path, join(path, 'range'), 'expected a string such as "± 3" or a number');
      }
      const bigger = optBoolean(e.biggerIsBetter, file.path, join(path, 'biggerIsBetter')) ?? biggerIsBetter;
      const ns = nsPer(rawUnit);
      const unit = ns !== undefined ? 'ns' : rawUnit;
      const v = value * (ns ?? 1);
      return { suite: 'custom', name, unit, direction: bigger ? 'higher' : 'lower', rounds: [v], samples: [], summaryOnly: 'one value per entry' };
    });
    return { benchmarks, notices: [] };
  };
}

export const customSmallerIsBetter: IngestFormat = {
  name: 'customSmallerIsBetter',
  aliases: ['custom-smaller-is-better', 'custom'],
  description: 'github-action-benchmark custom JSON [{name, value, unit}], lower is better (per-entry biggerIsBetter overrides)',
  parse: parser(false),
};

export const customBiggerIsBetter: IngestFormat = {
  name: 'customBiggerIsBetter',
  aliases: ['custom-bigger-is-better'],
  description: 'github-action-benchmark custom JSON [{name, value, unit}], higher is better (per-entry biggerIsBetter overrides)',
  parse: parser(true),
};
