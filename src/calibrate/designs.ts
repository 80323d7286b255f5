// `perfgate calibrate --designs`: the same-runner designs compared on this machine, on real A/A
// runs of the checkout against itself, interleaved in time (each round of the study runs every
// variant once, in a shuffled order, so drift and slow spells hit them alike):
// - pinned:   alternating slices, both workers of a pair on one CPU (the default design);
// - unpinned: alternating slices, the scheduler places the workers;
// - duet:     the two workers on two different CPUs, slicing at the same moments.
// Per variant: the spread of the per-pair log-ratios per benchmark (plain sd and robust sd,
// 1.4826 × MAD; for an A/A pair the true value is 0, so the spread is the design's noise), the
// rows flagged by the gate's rule (false alarms), and seconds per run. The variant with the
// smallest median robust spread is named best.
import { runSliced, SLICE_DEFAULTS, type SliceSettings } from '../ab/slices.ts';
import { compare, FAILING } from '../compare/index.ts';
import { machineInfo } from '../machine.ts';
import { suiteNames } from '../ab/interleave.ts';
import { benchmarkId, type MeasureClock } from '../measure/index.ts';
import { type Options, slicesMaxOf } from '../options.ts';
import type { Machine } from '../schema/results.ts';
import { createRandom, madSd, median, sd, shuffle } from '../stats/index.ts';
import type { PairInput, PairOutput } from '../ab/slices.ts';

export const DESIGNS_SCHEMA = 'perfgate/calibration-designs@1' as const;
export const DESIGN_VARIANTS = ['pinned', 'unpinned', 'duet'] as const;
export type DesignVariant = (typeof DESIGN_VARIANTS)[number];

export interface DesignStudyInput {
  cwd: string;
  suites: string[];
  clock: MeasureClock;
  /** A/A runs per variant. */
  runs: number;
  seed?: number;
  variants?: readonly DesignVariant[];
  onProgress?: (e: { suite: string; round: number; rounds: number; elapsedMs: number }) => void;
  /** Runs one pair (default runPair); tests simulate here. */
  pairRunner?: (input: PairInput) => Promise<PairOutput>;
  machine?: Machine;
}

export interface VariantFigures {
  variant: DesignVariant;
  runs: number;
  pairs: number;
  /** Median over benchmarks of the per-pair log-ratio's robust sd (1.4826 × MAD) and plain sd. */
  robustSd: number;
  plainSd: number;
  /** Per benchmark: robust and plain sd of its per-pair log-ratios, and pairs off by more than 10%. */
  benchmarks: Array<{ id: string; robustSd: number; plainSd: number; n: number; offBy10: number }>;
  /** Rows the gate's rule flagged (any verdict other than unchanged/inconclusive), and failing ones. */
  flagged: number;
  failed: number;
  comparisons: number;
  meanSeconds: number;
  /** Why the variant could not run here, if it could not. */
  unavailable?: string;
}

export interface DesignStudy {
  schema: typeof DESIGNS_SCHEMA;
  startedAt: string;
  durationSec: number;
  machine: Machine;
  clock: MeasureClock;
  suites: string[];
  settings: { pairs: number; slices: number; sliceMs: number; seed: number };
  variants: VariantFigures[];
  best?: DesignVariant;
}

function settingsFor(v: DesignVariant, base: SliceSettings): SliceSettings {
  if (v === 'pinned') return { ...base, pin: true, duet: false, looks: 1 };
  if (v === 'unpinned') return { ...base, pin: false, parallel: false, duet: false, looks: 1 };
  return { ...base, pin: true, parallel: false, duet: true, looks: 1 };
}


/** Runs the study (see the header). Real runs unless `pairRunner` simulates. */
export async function studyDesigns(opts: Options, input: DesignStudyInput): Promise<DesignStudy> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const seed = input.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rnd = createRandom(seed);
  const machine = input.machine ?? machineInfo();
  const variants = input.variants ?? DESIGN_VARIANTS;
  const base: SliceSettings = { ...SLICE_DEFAULTS, pairs: opts.rounds, slices: opts.slices, sliceMs: opts.sliceTime, slicesMax: slicesMaxOf(opts) };
  const side = { cwd: input.cwd };
  const acc = new Map<DesignVariant, { ratios: Map<string, number[]>; flagged: number; failed: number; comparisons: number; seconds: number[]; pairs: number; unavailable?: string }>(
    variants.map((v) => [v, { ratios: new Map(), flagged: 0, failed: 0, comparisons: 0, seconds: [], pairs: 0 }]),
  );
  for (let run = 1; run <= input.runs; run++) {
    for (const v of shuffle([...variants], rnd.uniform)) {
      const a = acc.get(v)!;
      if (a.unavailable) continue;
      let out;
      try {
        out = await runSliced({
          suites: input.suites.map((file) => ({ file, inBase: true })),
          head: side,
          base: side,
          clock: input.clock,
          suiteTimeout: opts.suiteTimeout,
          taskTimeMs: opts.taskTime,
          timeBudget: 1e9,
          alpha: opts.thresholds.alpha,
          settings: settingsFor(v, base),
          random: rnd.uniform,
          machine,
          pairRunner: input.pairRunner,
          onProgress: input.onProgress && ((e) => input.onProgress!({ ...e, suite: `${v} ${run}/${input.runs} · ${e.suite}` })),
        });
      } catch (e) {
        a.unavailable = (e as Error).message;
        continue;
      }
      // Pinning refused (not Linux, no taskset): the "pinned" run was not pinned.
      if (v !== 'unpinned' && out.pinned === null) {
        a.unavailable = 'the workers could not be pinned here (needs Linux and taskset)';
        continue;
      }
      a.seconds.push(out.elapsedMs / 1000);
      a.pairs = Math.max(a.pairs, out.pairs);
      const suiteOf = suiteNames(Object.entries(out.raw).map(([file, r]) => ({ file, head: r.head })));
      for (const [file, list] of Object.entries(out.logRatios)) {
        for (const ratios of list) {
          for (const [task, lr] of Object.entries(ratios)) {
            const id = benchmarkId(suiteOf.get(file) ?? file, task);
            a.ratios.set(id, [...(a.ratios.get(id) ?? []), lr]);
          }
        }
      }
      const c = compare({ base: out.base, head: out.head, thresholds: opts.thresholds, failOn: opts.failOn, failOnCrossMachine: false, mode: 'paired', baseSource: 'A' });
      a.comparisons += c.benchmarks.length;
      a.flagged += c.benchmarks.filter((b) => !['unchanged', 'inconclusive', 'new', 'missing'].includes(b.verdict)).length;
      a.failed += c.benchmarks.filter((b) => FAILING[opts.failOn].includes(b.verdict)).length;
    }
  }
  const figures: VariantFigures[] = variants.map((v) => {
    const a = acc.get(v)!;
    const benchmarks = [...a.ratios].map(([id, xs]) => ({ id, robustSd: madSd(xs), plainSd: sd(xs), n: xs.length, offBy10: xs.filter((x) => Math.abs(x) > Math.log(1.1)).length }));
    return {
      variant: v,
      runs: a.seconds.length,
      pairs: a.pairs,
      robustSd: benchmarks.length ? median(benchmarks.map((b) => b.robustSd)) : Number.NaN,
      plainSd: benchmarks.length ? median(benchmarks.map((b) => b.plainSd)) : Number.NaN,
      benchmarks,
      flagged: a.flagged,
      failed: a.failed,
      comparisons: a.comparisons,
      meanSeconds: a.seconds.length ? a.seconds.reduce((x, y) => x + y, 0) / a.seconds.length : 0,
      ...(a.unavailable ? { unavailable: a.unavailable } : {}),
    };
  });
  const ran = figures.filter((f) => f.runs > 0 && Number.isFinite(f.robustSd));
  const best = ran.length ? ran.reduce((b, f) => (f.robustSd < b.robustSd ? f : b)).variant : undefined;
  return {
    schema: DESIGNS_SCHEMA,
    startedAt,
    durationSec: Math.round((performance.now() - t0) / 1000),
    machine,
    clock: input.clock,
    suites: input.suites,
    settings: { pairs: base.pairs, slices: base.slices, sliceMs: base.sliceMs, seed },
    variants: figures,
    ...(best ? { best } : {}),
  };
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—';
}

/** The study as text. */
export function renderDesignStudy(s: DesignStudy): string {
  const lines = [
    `perfgate calibrate --designs — ${s.machine.cpuModel}, ${s.machine.cores} cores, Node ${s.machine.node}`,
    `clock ${s.clock} · ${s.suites.length} suite${s.suites.length === 1 ? '' : 's'} · A/A runs, ${s.settings.pairs} pairs per suite, ${s.settings.slices} slices of ${s.settings.sliceMs} ms a side · took ${(s.durationSec / 60).toFixed(1)} min`,
    '',
    'design     runs  per-pair log-ratio sd (median over benchmarks)   flagged / failed      s per run',
    '                 robust       plain',
  ];
  for (const f of s.variants) {
    if (f.unavailable && f.runs === 0) {
      lines.push(`${f.variant.padEnd(10)} unavailable here: ${f.unavailable}`);
      continue;
    }
    lines.push(`${f.variant.padEnd(10)} ${String(f.runs).padStart(4)}  ${pct(f.robustSd).padStart(6)}      ${pct(f.plainSd).padStart(6)}                              ${`${f.flagged}/${f.comparisons} · ${f.failed}`.padEnd(20)}  ${f.meanSeconds.toFixed(0)}`);
  }
  lines.push('');
  if (s.best) lines.push(`Best here (smallest robust spread of the per-pair estimate): ${s.best}.`);
  lines.push('Noisiest benchmarks per design (robust sd, pairs off by more than 10%):');
  for (const f of s.variants) {
    const worst = [...f.benchmarks].sort((a, b) => b.robustSd - a.robustSd).slice(0, 3);
    if (worst.length) lines.push(`  ${f.variant}: ${worst.map((b) => `${b.id} ${pct(b.robustSd)} (${b.offBy10}/${b.n})`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
