// compare: results × baseline → per-benchmark verdict, severity and grade; suite and run grades;
// the gate's answer. Pure: no fs, no process.env, no @actions/*.
import {
  COMPARISON_SCHEMA,
  type BenchmarkComparison,
  type Comparison,
  type Grade,
  type GroupSummary,
  type Verdict,
} from '../schema/comparison.ts';
import type { Benchmark, Results } from '../schema/results.ts';
import type { FailOn, Thresholds } from '../options.ts';
import { benjaminiHochberg, geometricMean, holm, median, summarize } from '../stats/index.ts';
import { decide, estimateFields } from './decide.ts';
import { type ChangeEstimate, type SessionSpread, SESSION_SD_FLOOR, estimateChange } from './estimate.ts';
import { percent } from './format.ts';
import { gradeLabel, gradeRank, groupGrade } from './grades.ts';
import { SLA_TIGHT_HEADROOM, checkSla } from './sla.ts';

export { decide, ratioOf, A_PLUS_IMPROVEMENT, B_C_SPLIT, type Decision, type DecisionInput } from './decide.ts';
export { estimateChange, DEFAULT_SESSION_SD, SESSION_SD_FLOOR, MIN_PAIRS, MIN_ROUNDS_STORED, type ChangeEstimate, type SessionSpread } from './estimate.ts';
export { GRADE_POINTS, GRADE_ORDER, NOT_GRADED_LABEL, gradeAtOrBelow, groupGrade, gradeLabel, worseGrade } from './grades.ts';
export { checkSla, slaValue, SLA_TIGHT_HEADROOM, type SlaStatus } from './sla.ts';
export { describeChange, formatP, percent } from './format.ts';

export interface CompareInput {
  /** The baseline, or null when there is none yet (every benchmark is then `new`). */
  base: Results | null;
  head: Results;
  thresholds: Thresholds;
  failOn: FailOn;
  /** Fail on regressions measured against another machine's numbers (default off: warn only). */
  failOnCrossMachine: boolean;
  /** `paired`: rounds of both sides ran interleaved on this runner, paired by index. */
  mode: 'stored' | 'paired';
  /** Where the baseline came from, for the report ("baselines/ (file)"). */
  baseSource: string;
  /** Learned noise per benchmark id (fraction); defaults to the baseline's own `noiseFloor`. */
  noiseFloor?: Record<string, number>;
  /**
   * Benchmarks whose adaptive sampling ended unresolved (id → why, in words): an `unchanged`
   * verdict among them becomes `inconclusive`, so it is never passed off as unchanged.
   */
  unresolved?: Record<string, string>;
  /**
   * Stored mode: the session spread (sd of the log of session medians) to assume when the
   * baseline carries no `sessions` of its own. The gate passes DEFAULT_SESSION_SD; absent, a
   * baseline without `sessions` is compared on the rounds of its one session alone.
   */
  assumeSessionSd?: number;
}

export const ALL_VERDICTS: readonly Verdict[] = ['improved', 'unchanged', 'inconclusive', 'minor', 'major', 'critical', 'new', 'missing'];

/** Verdicts that fail the gate under each fail-on. */
export const FAILING: Record<FailOn, readonly Verdict[]> = {
  major: ['major', 'critical'],
  minor: ['minor', 'major', 'critical'],
  never: [],
};

interface Item {
  out: BenchmarkComparison;
  estimate?: ChangeEstimate;
  /** Why a failing verdict fails: a measured comparison, or something absolute (crash, SLA). */
  cause?: 'comparison' | 'absolute';
}

/** The per-round values a decision uses: rounds, or the raw samples when a source has no rounds. */
function values(b: Benchmark): number[] {
  return b.rounds.length ? b.rounds : b.samples;
}

function side(b: Benchmark): { median: number; n: number } | undefined {
  const v = values(b);
  if (v.length) return { median: summarize(v).median, n: b.rounds.length };
  if (b.stats) return { median: b.stats.median, n: 0 };
  return undefined;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function listIds(items: Item[], max = 5): string {
  const shown = items.slice(0, max).map((i) => `${i.out.id} (${i.out.verdict})`);
  return items.length > max ? `${shown.join(', ')} and ${items.length - max} more` : shown.join(', ');
}

function setVerdict(out: BenchmarkComparison, verdict: Verdict, reason: string, grade?: Grade): void {
  out.verdict = verdict;
  out.reason = reason;
  if (grade) out.grade = grade;
}

function baseItem(b: Benchmark): BenchmarkComparison {
  return { id: b.id, suite: b.suite, name: b.name, unit: b.unit, direction: b.direction, verdict: 'new', reason: '' };
}

/** Native speedups: on each non-`ts` twin of a `group`, its TypeScript twin's metric over its own. */
function speedups(head: Results, items: Map<string, Item>): void {
  const byGroup = new Map<string, Benchmark[]>();
  for (const b of head.benchmarks) {
    if (!b.group || !b.impl || b.status !== 'ok') continue;
    byGroup.set(b.group, [...(byGroup.get(b.group) ?? []), b]);
  }
  for (const members of byGroup.values()) {
    const ts = members.find((b) => b.impl === 'ts');
    if (!ts) continue;
    const tsMedian = side(ts)?.median;
    if (!tsMedian || tsMedian <= 0) continue;
    for (const b of members) {
      if (b === ts) continue;
      const own = side(b)?.median;
      const item = items.get(b.id);
      if (!own || own <= 0 || !item) continue;
      // "versus" names the twin the way the table reads: "Rust 19× vs TypeScript".
      item.out.speedup = { versus: 'TypeScript', factor: b.direction === 'higher' ? own / tsMedian : tsMedian / own };
    }
  }
}

/**
 * Estimated cycles (clock instructions under callgrind): the median per round on each side and
 * head over base − 1, on every benchmark both sides carry them for. Shown beside the count's own
 * change; the verdict stays on the count.
 */
function cycleChanges(baseById: Map<string, Benchmark>, head: Results, items: Map<string, Item>): void {
  for (const hb of head.benchmarks) {
    const bb = baseById.get(hb.id);
    const item = items.get(hb.id);
    if (!bb || !item || hb.status !== 'ok' || bb.status !== 'ok' || !hb.estimatedCycles?.length || !bb.estimatedCycles?.length) continue;
    const b = median(bb.estimatedCycles);
    const h = median(hb.estimatedCycles);
    if (b > 0) item.out.cycles = { base: b, head: h, change: h / b - 1 };
  }
}

function summarizeGroup(name: string, items: Item[]): GroupSummary {
  const counts = Object.fromEntries(ALL_VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const i of items) counts[i.out.verdict]++;
  const ratios = items.map((i) => i.out.worse).filter((w): w is number => w !== undefined && Number.isFinite(w)).map((w) => 1 + w);
  const grade = groupGrade(items.map((i) => i.out.grade));
  return {
    name,
    ...(ratios.length ? { geomeanWorseRatio: geometricMean(ratios) } : {}),
    ...(grade ? { grade } : {}),
    label: gradeLabel(grade),
    counts,
  };
}

/**
 * A learned same-commit noise floor (the calibration's, kept with a baseline) as the decision may
 * use it: the systematic A/A bias of a benchmark never hides a regression past the minor
 * threshold, so each value is capped there. Applied where such a floor enters a comparison (the
 * pipeline's stored decision, same-runner A/B); the weekly run-to-run floor is not a learned
 * bias and is not capped.
 */
export function capLearnedFloor(floor: Record<string, number> | undefined, t: Thresholds): Record<string, number> | undefined {
  return floor && Object.fromEntries(Object.entries(floor).map(([id, v]) => [id, Math.min(v, t.minor)]));
}

/**
 * Against a stored baseline, a slowdown the machine alone can cause when the disturbance detector
 * fired (another busy process, steal): measured here, +27–40% on the Rust tasks that use both
 * cores with one CPU-bound process beside them. Rows are tested against it instead of the noise
 * floor, so a doubling still fails while a busy machine's +40% does not.
 */
export const BUSY_ALLOWANCE = 0.5;

/** A run's slow spells are reported for a benchmark when at least this share of its (at least this many) speed-reference checks fell in one. */
export const SLOW_SPELL_SHARE = 0.2;
export const SLOW_SPELL_MIN_CHECKS = 10;

/**
 * The session spread of each benchmark of a stored baseline. With `sessions` in the baseline: the
 * pooled sd over its benchmarks (variances weighted by n − 1), raised to the benchmark's own sd
 * where that is larger, and to SESSION_SD_FLOOR. Without: `assumed`, or none.
 */
export function sessionSpreads(base: Results, assumed?: number): (id: string) => SessionSpread | undefined {
  const entries = Object.values(base.sessions ?? {});
  if (entries.length) {
    const weight = entries.reduce((a, e) => a + (e.n - 1), 0);
    const pooled = Math.sqrt(entries.reduce((a, e) => a + (e.n - 1) * e.sd * e.sd, 0) / Math.max(1, weight));
    const fewest = Math.min(...entries.map((e) => e.n));
    return (id) => {
      const own = base.sessions?.[id];
      return { sd: Math.max(SESSION_SD_FLOOR, pooled, own?.sd ?? 0), sessions: own?.n ?? fewest, measured: true };
    };
  }
  if (assumed !== undefined) return () => ({ sd: assumed, sessions: 1, measured: false });
  return () => undefined;
}

/**
 * Compares head with the baseline. Every head benchmark gets a verdict, a grade (when one applies)
 * and a one-line reason; baseline benchmarks absent from head are `missing`. See decide() for the
 * rule, and the README ("How the decision is made") for the whole of it.
 */
export function compare(input: CompareInput): Comparison {
  const { base, head, thresholds: t, failOn } = input;
  const crossMachine = base !== null && base.machine.fingerprint !== head.machine.fingerprint;
  const learned = input.noiseFloor ?? base?.noiseFloor ?? {};
  const baseById = new Map((base?.benchmarks ?? []).map((b) => [b.id, b]));
  const items = new Map<string, Item>();
  const notices: string[] = [];
  const spreadOf = base && input.mode === 'stored' ? sessionSpreads(base, input.assumeSessionSd) : () => undefined;
  // A busy machine stretches wall time (the CPU clock hardly, instruction counts not at all).
  const disturbed = input.mode === 'stored' && base && !crossMachine && head.clock === 'wall' ? (head.disturbance?.warning ?? base.disturbance?.warning) : undefined;

  // 1. Per benchmark: sides, SLA, and the estimate where both sides can be compared.
  for (const hb of head.benchmarks) {
    const out = baseItem(hb);
    const item: Item = { out };
    items.set(hb.id, item);
    const bb = baseById.get(hb.id);
    const headSide = side(hb);
    const baseSide = bb ? side(bb) : undefined;
    if (baseSide && bb?.status === 'ok') out.base = baseSide;
    if (headSide && hb.status === 'ok') out.head = headSide;
    if (hb.status === 'failed') {
      setVerdict(out, 'critical', `failed: ${hb.error ?? 'no error message'}`, 'F');
      if (hb.error) out.error = hb.error;
      item.cause = 'absolute';
      continue;
    }
    const sla = checkSla(hb);
    if (sla) out.sla = sla;
    if (!base) {
      out.reason = 'no baseline yet: nothing to compare';
      continue;
    }
    if (!bb) {
      out.reason = 'new: not in the baseline';
      continue;
    }
    if (bb.status === 'failed') {
      out.reason = `the baseline's run of this benchmark failed${bb.error ? ` (${bb.error})` : ''}: nothing to compare`;
      continue;
    }
    const nf = Math.max(t.noiseFloor, learned[hb.id] ?? 0, disturbed ? BUSY_ALLOWANCE : 0);
    out.noiseFloor = nf;
    if (bb.unit !== hb.unit) {
      setVerdict(out, 'inconclusive', `units differ (baseline ${bb.unit}, head ${hb.unit}): not comparable`);
      continue;
    }
    const bv = values(bb);
    const hv = values(hb);
    if (bv.length === 0 || hv.length === 0) {
      setVerdict(out, 'inconclusive', `no per-round values on the ${bv.length ? 'head' : 'baseline'} side to compare`);
      continue;
    }
    try {
      item.estimate = estimateChange(bv, hv, hb.direction, input.mode, nf, t.alpha, input.mode === 'stored' ? spreadOf(hb.id) : undefined);
    } catch (error) {
      setVerdict(out, 'inconclusive', `cannot compare: ${(error as Error).message}`);
      continue;
    }
    Object.assign(out, estimateFields(item.estimate, hb.direction));
    if (item.estimate.note) notices.push(`${hb.id}: ${item.estimate.note}.`);
  }

  // 2. Multiple testing over the benchmarks whose test can reach alpha at all.
  const family = [...items.values()].filter((i) => i.estimate?.enough);
  const pHolm = holm(family.map((i) => i.estimate!.pWorse));
  const pBH = benjaminiHochberg(family.map((i) => i.estimate!.pWorse));
  const pBetterBH = benjaminiHochberg(family.map((i) => i.estimate!.pBetter));
  const adjusted = new Map<Item, { pHolm: number; pBH: number; pBetterBH: number }>();
  family.forEach((i, k) => {
    adjusted.set(i, { pHolm: pHolm[k], pBH: pBH[k], pBetterBH: pBetterBH[k] });
    i.out.pHolm = pHolm[k];
    i.out.pBH = pBH[k];
  });

  // 3. Verdicts, then SLAs on top.
  for (const item of items.values()) {
    const { out, estimate } = item;
    if (estimate) {
      const d = decide({
        estimate,
        direction: out.direction,
        unit: out.unit,
        thresholds: t,
        noiseFloor: out.noiseFloor ?? t.noiseFloor,
        ...adjusted.get(item),
      });
      setVerdict(out, d.verdict, d.reason, d.grade);
      if (d.verdict === 'critical' || d.verdict === 'major' || d.verdict === 'minor') item.cause = 'comparison';
      const why = input.unresolved?.[out.id];
      if (why && d.verdict === 'unchanged') {
        setVerdict(out, 'inconclusive', `not resolved: ${why}; ${d.reason}`);
        delete out.grade;
      }
    }
    if (out.sla && !out.sla.met) {
      setVerdict(out, 'critical', `SLA broken: ${out.sla.detail}${out.reason ? `; ${out.reason}` : ''}`, 'F');
      item.cause = 'absolute';
    } else if (out.sla && out.grade && out.sla.headroom !== undefined && out.sla.headroom < SLA_TIGHT_HEADROOM) {
      if (gradeRank(out.grade) > gradeRank('A-')) out.grade = 'A-';
      out.reason += `; SLA met with only ${percent(out.sla.headroom, 0)} headroom`;
    }
  }

  // 3b. Stored mode on a disturbed machine: a change up to BUSY_ALLOWANCE may be the machine's
  // (the noise floor of every row was raised to it above); what is left unflagged but moved by
  // the minor threshold or more is said to be inconclusive, not unchanged.
  if (disturbed) {
    const moved = [...items.values()].filter((i) => (i.out.verdict === 'unchanged' || i.out.verdict === 'inconclusive') && i.out.worse !== undefined && Math.abs(i.out.worse) >= t.minor);
    for (const i of moved) {
      setVerdict(i.out, 'inconclusive', `machine busy while measuring, re-run: ${i.out.reason}`);
      delete i.out.grade;
    }
    notices.push(
      `The machine was busy while measuring (${disturbed}), so against a stored baseline a change of up to ${percent(BUSY_ALLOWANCE, 0)} may be the machine's: only larger regressions count, no improvement is claimed${moved.length ? `, and ${plural(moved.length, 'row')} that moved ${percent(t.minor, 0)} or more ${moved.length === 1 ? 'is' : 'are'} inconclusive ("machine busy, re-run")` : ''}.`,
    );
  }
  const spreads = [...items.values()].map((i) => i.estimate?.session).filter((x): x is SessionSpread => x !== undefined);
  if (spreads.length) {
    const sp = spreads[0];
    notices.push(
      sp.measured
        ? `Stored comparison: each change is tested against how much separate sessions of the same code differ (pooled sd ${percent(sp.sd, 1)} over the baseline's sessions), not only against this run's rounds.`
        : `Stored comparison: the baseline carries no measure of how much separate sessions differ, so perfgate assumes ${percent(sp.sd, 0)} (sd) and only large changes can fail or improve; save the baseline with \`perfgate baseline save --sessions 5\` for a sharper test.`,
    );
  }

  // Slow spells the speed reference saw while this run measured (sampler.ts): said, not corrected
  // (on this project's VM the reference loop did not track the tasks' slowdowns well enough to
  // divide by it; README, "Slow spells").
  const slow = head.benchmarks.filter((b) => b.slowSpells && b.slowSpells.checks >= SLOW_SPELL_MIN_CHECKS && b.slowSpells.slow / b.slowSpells.checks >= SLOW_SPELL_SHARE);
  if (slow.length) {
    const shown = slow.slice(0, 5).map((b) => `${b.id} (${percent(b.slowSpells!.slow / b.slowSpells!.checks, 0)})`);
    notices.push(
      `Slow spells: the speed reference timed beside the samples ran more than 1.2× slower than its fastest for ${shown.join(', ')}${slow.length > 5 ? ` and ${slow.length - 5} more` : ''} of its checks: the CPU was slower for a while, so these rows may read high.`,
    );
  }

  // 4. Baseline benchmarks this run did not produce.
  const missing: Item[] = [];
  for (const bb of base?.benchmarks ?? []) {
    if (items.has(bb.id)) continue;
    const out: BenchmarkComparison = { ...baseItem(bb), verdict: 'missing', reason: 'in the baseline, not in this run' };
    const s = bb.status === 'ok' ? side(bb) : undefined;
    if (s) out.base = s;
    const item = { out };
    items.set(bb.id, item);
    missing.push(item);
  }
  if (missing.length) notices.push(`${plural(missing.length, 'benchmark')} of the baseline did not run: ${missing.map((i) => i.out.id).join(', ')}.`);

  speedups(head, items);
  cycleChanges(baseById, head, items);

  // 5. Groups: each suite (in order of appearance) and the run.
  const all = [...items.values()];
  const suiteNames = [...new Set(all.map((i) => i.out.suite))];
  const suites = suiteNames.map((s) => summarizeGroup(s, all.filter((i) => i.out.suite === s)));
  const overall = summarizeGroup('(run)', all);

  // 6. The gate.
  const failing = all.filter((i) => FAILING[failOn].includes(i.out.verdict));
  const excused = failing.filter((i) => crossMachine && !input.failOnCrossMachine && i.cause === 'comparison');
  const counted = failing.filter((i) => !excused.includes(i));
  let reason: string;
  if (failOn === 'never') {
    const bad = all.filter((i) => FAILING.minor.includes(i.out.verdict));
    reason = `fail-on is never: the gate does not fail${bad.length ? ` (${plural(bad.length, 'regression')}: ${listIds(bad)})` : ''}`;
  } else if (counted.length) {
    const more = excused.length ? `; ${excused.length} more against another machine's baseline not counted` : '';
    reason = `${plural(counted.length, 'benchmark')} at or above fail-on ${failOn}: ${listIds(counted)}${more}`;
  } else if (!base) {
    reason = 'no baseline yet: nothing compared';
  } else if (excused.length) {
    reason = `${plural(excused.length, 'regression')} against a baseline from another machine (${listIds(excused)}): not failing, because fail-on-cross-machine is off`;
  } else {
    reason = failOn === 'major' ? 'no major or critical regression' : 'no regression at or above the minor threshold';
  }

  if (crossMachine) {
    notices.unshift(
      `The baseline was measured on another machine (fingerprint ${base!.machine.fingerprint}, this run ${head.machine.fingerprint}): comparisons are cross-machine${
        input.failOnCrossMachine ? '' : ' and their regressions do not fail the gate (set fail-on-cross-machine to change that)'
      }.`,
    );
  }
  if (!base) notices.unshift('No baseline yet: every benchmark is reported as new and nothing was compared.');

  return {
    schema: COMPARISON_SCHEMA,
    mode: base ? input.mode : 'none',
    crossMachine,
    ...(base
      ? {
          base: {
            ...(base.commit ? { commit: base.commit } : {}),
            ...(base.ref ? { ref: base.ref } : {}),
            fingerprint: base.machine.fingerprint,
            source: input.baseSource,
          },
        }
      : {}),
    head: { ...(head.commit ? { commit: head.commit } : {}), ...(head.ref ? { ref: head.ref } : {}), fingerprint: head.machine.fingerprint },
    thresholds: { minor: t.minor, major: t.major, critical: t.critical, noiseFloor: t.noiseFloor, alpha: t.alpha },
    benchmarks: all.map((i) => i.out),
    suites,
    overall,
    gate: { failed: failOn !== 'never' && counted.length > 0, failOn, reason },
    notices,
  };
}
