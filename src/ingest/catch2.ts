// Catch2 benchmarks (BENCHMARK inside a TEST_CASE), either output:
//
// - the console reporter (the default; what github-action-benchmark's `tool: 'catch2'` reads):
//     benchmark name                       samples       iterations    estimated
//                                          mean          low mean      high mean
//                                          std dev       low std dev   high std dev
//     -------------------------------------------------------------------------------
//     Fibonacci 20                                   100             1    2.76542 ms
//                                             27.5831 us    27.5058 us    27.6809 us
//                                             443.131 ns    367.524 ns    551.674 ns
// - the XML reporter (`-r xml`): `<BenchmarkResults name=... samples=...><mean value=... /></BenchmarkResults>`,
//   values in ns.
//
// Catch2 reports a summary (the mean of its samples and the bootstrap interval), not the samples:
// the mean is the single round per file (pass the output of several runs for more). Unit ns,
// lower is better. Suite: the TEST_CASE's name (`catch2` when it cannot be read).
import { IngestError, show } from './errors.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';
import { nsPer } from './units.ts';

const NUM = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const UNIT = String.raw`ns|us|µs|μs|ms|s`;
const FIRST = new RegExp(String.raw`^(.*?)\s+(\d+)\s+(\d+)\s+(${NUM})\s+(${UNIT})\s*$`);
const TRIPLE = new RegExp(String.raw`^\s*(${NUM})\s+(${UNIT})\s+(${NUM})\s+(${UNIT})\s+(${NUM})\s+(${UNIT})\s*$`);
const DASHES = /^-{20,}\s*$/;

function unescapeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(String.raw`\s${name}="([^"]*)"`).exec(tag);
  return m ? unescapeXml(m[1]) : undefined;
}

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function parseXml(file: IngestFile): ParsedFile {
  const text = file.text;
  const benchmarks: RawBenchmark[] = [];
  // Test cases open and close around their benchmarks; walk the tags in order.
  const tags = /<TestCase\b[^>]*>|<\/TestCase>|<BenchmarkResults\b[^>]*>[\s\S]*?<\/BenchmarkResults>/g;
  const suites: string[] = [];
  for (let m = tags.exec(text); m; m = tags.exec(text)) {
    const tag = m[0];
    if (tag.startsWith('</TestCase')) {
      suites.pop();
      continue;
    }
    if (tag.startsWith('<TestCase')) {
      suites.push(attr(tag, 'name') || 'catch2');
      continue;
    }
    const where = `line ${lineOf(text, m.index)}`;
    const open = /^<BenchmarkResults\b[^>]*>/.exec(tag)![0];
    const name = attr(open, 'name');
    if (!name) throw new IngestError(file.path, where, 'expected a name attribute on <BenchmarkResults>');
    const mean = /<mean\b[^>]*\/?>/.exec(tag);
    const value = mean ? attr(mean[0], 'value') : undefined;
    const v = value === undefined ? Number.NaN : Number(value);
    if (!Number.isFinite(v)) {
      throw new IngestError(file.path, `${where}: <BenchmarkResults name=${JSON.stringify(name)}>`, `expected <mean value="NANOSECONDS" .../>, got ${mean ? `value=${show(value)}` : 'no <mean>'}`);
    }
    const iterations = Number(attr(open, 'iterations'));
    benchmarks.push({
      suite: suites[suites.length - 1] ?? 'catch2',
      name,
      unit: 'ns',
      direction: 'lower',
      rounds: [v],
      samples: [],
      ...(Number.isInteger(iterations) && iterations > 0 ? { batch: iterations } : {}),
      summaryOnly: "Catch2's mean of its samples",
    });
  }
  if (benchmarks.length === 0) throw new IngestError(file.path, '', 'expected <BenchmarkResults> elements (Catch2 -r xml with BENCHMARK blocks), found none');
  return { benchmarks, notices: [] };
}

function parseConsole(file: IngestFile): ParsedFile {
  const lines = file.text.split(/\r?\n/);
  const benchmarks: RawBenchmark[] = [];
  let suite = 'catch2';
  let inTable = false;
  let pendingName: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\s+$/, '');
    // A test case header: a dashed line, the test case's name (and its sections, indented), a dashed line.
    if (DASHES.test(line) && i + 2 < lines.length && lines[i + 1].trim() && !DASHES.test(lines[i + 1])) {
      let j = i + 1;
      while (j < lines.length && !DASHES.test(lines[j]) && lines[j].trim()) j++;
      if (j < lines.length && DASHES.test(lines[j]) && !/^benchmark name\s/.test(lines[i + 1])) {
        suite = lines[i + 1].trim();
        inTable = false;
        i = j;
        continue;
      }
    }
    if (/^benchmark name\s/.test(line)) {
      inTable = true;
      pendingName = [];
      // Skip the two header lines under it and the dashed line.
      while (i + 1 < lines.length && !DASHES.test(lines[i + 1])) i++;
      i++;
      continue;
    }
    if (!inTable) continue;
    if (!line.trim()) {
      pendingName = [];
      continue;
    }
    if (/^={20,}/.test(line) || DASHES.test(line) || /^\.{20,}/.test(line)) {
      inTable = false;
      continue;
    }
    const first = FIRST.exec(line);
    if (!first) {
      // A long name wraps onto lines of its own before the numbers.
      if (!TRIPLE.test(line) && pendingName.length < 5) {
        pendingName.push(line.trim());
        continue;
      }
      throw new IngestError(file.path, `line ${i + 1}`, `expected "NAME SAMPLES ITERATIONS ESTIMATED UNIT" (Catch2's benchmark table), got ${show(line.trim())}`);
    }
    const name = [...pendingName, first[1].trim()].filter(Boolean).join(' ');
    pendingName = [];
    const meanLine = lines[i + 1] ?? '';
    const mean = TRIPLE.exec(meanLine);
    if (!mean) {
      throw new IngestError(file.path, `line ${i + 2}`, `expected the mean, low mean and high mean of "${name}" (three values with units such as "27.58 us"), got ${show(meanLine.trim())}`);
    }
    const factor = nsPer(mean[2])!;
    benchmarks.push({
      suite,
      name,
      unit: 'ns',
      direction: 'lower',
      rounds: [Number(mean[1]) * factor],
      samples: [],
      batch: Number(first[3]) > 0 ? Number(first[3]) : undefined,
      summaryOnly: "Catch2's mean of its samples",
    });
    i += TRIPLE.test(lines[i + 2] ?? '') ? 2 : 1;
  }
  if (benchmarks.length === 0) {
    throw new IngestError(file.path, '', 'expected a Catch2 benchmark table ("benchmark name  samples  iterations ..." and its rows), found none; run the test binary with its default reporter, or -r xml');
  }
  return { benchmarks, notices: [] };
}

function parse(file: IngestFile): ParsedFile {
  const head = file.text.trimStart();
  return head.startsWith('<?xml') || head.startsWith('<Catch') ? parseXml(file) : parseConsole(file);
}

export const catch2: IngestFormat = {
  name: 'catch2',
  aliases: [],
  description: 'Catch2 benchmarks, console table or -r xml: the mean is one round per file',
  parse,
};
