// `cargo bench` in bencher format: Rust's built-in libtest harness (nightly `#[bench]`) and
// Criterion.rs with `-- --output-format bencher` print
//   test name ... bench:       1,234.56 ns/iter (+/- 78.9)
//   test name ... bench:         585 ns/iter (+/- 43) = 56013 MB/s
// libtest's value is the median of its samples: one summary, so one round per file (pass several
// files from repeated runs for more). `X/iter` in a time unit → ns; other units (`cycles/iter`)
// are kept without `/iter`, lower is better; a rate (`MS/s`) is higher. `= N MB/s` becomes its own
// id `name (MB/s)`, higher is better.
// Suite: the bench target from cargo's `Running benches/NAME.rs (target/.../NAME-HASH)` line when
// stderr was captured too (`2>&1`), else `cargo-bench`.
import { IngestError, show } from './errors.ts';
import type { IngestFile, IngestFormat, ParsedFile, RawBenchmark } from './types.ts';
import { isRate, nsPer } from './units.ts';

const NUMBER = String.raw`[\d,]+(?:\.\d+)?|\d*\.\d+`;
const LINE = new RegExp(
  String.raw`^test (.+?)\s+\.\.\. bench:\s+(${NUMBER}) (\S+) \(\+/- (${NUMBER})\)(?: = (${NUMBER}) (\S+))?\s*$`,
);

function num(text: string): number {
  return Number(text.replace(/,/g, ''));
}

function parse(file: IngestFile): ParsedFile {
  const benchmarks: RawBenchmark[] = [];
  const notices: string[] = [];
  let target = 'cargo-bench';
  let block = 0;
  const seen = new Map<string, number>(); // id → block it was seen in
  file.text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = rawLine.trim();
    // `Running benches/hashing.rs (target/release/deps/hashing-770bfbeaa74c8a18)`: the binary
    // name without its hash is the bench target (the crate name for `unittests src/lib.rs`).
    const running = /^Running .*\(([^()]+)\)$/.exec(line);
    if (running) {
      const binary = running[1].split(/[\\/]/).pop() ?? '';
      target = binary.replace(/\.exe$/i, '').replace(/-[0-9a-f]{16}$/, '') || 'cargo-bench';
      return;
    }
    if (/^running \d+ tests?$/.test(line)) {
      block++;
      return;
    }
    if (!/^test .+\s\.\.\. bench:/.test(line)) {
      const failed = /^test (.+?)\s+\.\.\. FAILED$/.exec(line);
      if (failed) {
        benchmarks.push({ suite: target, name: failed[1], unit: 'ns', direction: 'lower', rounds: [], samples: [], failed: 'cargo bench reported FAILED' });
      }
      return;
    }
    const m = LINE.exec(line);
    if (!m) {
      throw new IngestError(
        file.path,
        `line ${i + 1}`,
        `expected "test NAME ... bench: VALUE UNIT/iter (+/- DEVIATION)", got ${show(line)}`,
      );
    }
    let name = m[1];
    const rawUnit = m[3];
    const unitBase = rawUnit.replace(/\/iter$/, '');
    const ns = rawUnit.endsWith('/iter') ? nsPer(unitBase) : undefined;
    const unit = ns !== undefined ? 'ns' : unitBase === rawUnit ? rawUnit : unitBase;
    const direction = ns === undefined && isRate(rawUnit) ? 'higher' : 'lower';
    const id = `${target}/${name}`;
    const firstBlock = seen.get(id);
    if (firstBlock !== undefined && firstBlock !== block) {
      // The same name in another test binary whose `Running` line was not captured.
      const renamed = `${name} #${block}`;
      notices.push(`${file.path}: line ${i + 1}: "${name}" appears in two bench targets; the second is named "${renamed}" (capture cargo's stderr too, 2>&1, to name targets).`);
      name = renamed;
    } else seen.set(id, block);
    const value = num(m[2]) * (ns ?? 1);
    benchmarks.push({ suite: target, name, unit, direction, rounds: [value], samples: [], summaryOnly: 'the one summary line of a cargo bench run' });
    if (m[5] !== undefined) {
      const rate = num(m[5]);
      benchmarks.push({ suite: target, name: `${name} (${m[6]})`, unit: m[6], direction: 'higher', rounds: [rate], samples: [], summaryOnly: 'the one summary line of a cargo bench run' });
    }
  });
  if (benchmarks.length === 0) {
    throw new IngestError(file.path, '', 'expected bencher lines such as "test name ... bench: 1,234 ns/iter (+/- 56)", found none');
  }
  return { benchmarks, notices };
}

export const cargoBench: IngestFormat = {
  name: 'cargo-bench',
  aliases: ['cargo', 'libtest', 'bencher', 'criterion-bencher'],
  description: 'cargo bench bencher text (libtest #[bench], Criterion --output-format bencher): one round per file',
  parse,
};
