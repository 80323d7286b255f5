// Interleaved, randomized A/B rounds with adaptive sampling (see adaptive.ts for the rule).
// Each round: for every suite still unresolved, in a shuffled order, both sides run the suite in
// a fresh process each, in random order (a coin flip per suite and round). The two sides may be
// different checkouts (same-runner A/B) or the same folder with different environments (the
// calibration's A/A runs and injected slowdowns).
import { compare, MIN_PAIRS } from '../compare/index.ts';
import { shuffle } from '../stats/index.ts';
import { machineInfo } from '../machine.ts';
import { buildResults, readCpuTimes, runSuiteRound, suiteNameFromFile, type CpuTimes, type MeasureClock, type RoundOptions, type RoundResult } from '../measure/index.ts';
import type { FailOn, Thresholds } from '../options.ts';
import type { Comparison } from '../schema/comparison.ts';
import type { Machine, Results } from '../schema/results.ts';
import { lookAlpha, planLooks, resolution, type AdaptiveSettings, type LookPlan } from './adaptive.ts';

export interface SideSpec {
  /** The folder the side's suites run in (suite paths are relative to it). */
  cwd: string;
  /** Extra environment for this side's suite processes. */
  env?: Record<string, string>;
  commit?: string;
  ref?: string;
}

/** What both same-runner designs (rounds here, slices in slices.ts) are given. */
export interface SameRunnerInput {
  /** Suite files relative to both sides' cwd; `inBase: false` runs on the head side only. */
  suites: Array<{ file: string; inBase: boolean }>;
  head: SideSpec;
  base: SideSpec;
  clock: MeasureClock;
  /** Seconds one suite process may run. */
  suiteTimeout: number;
  /** Sampling budget per task per round, ms (the harness default when absent). */
  taskTimeMs?: number;
  /** Seconds for measuring both sides in total (see each design for how it stops). */
  timeBudget: number;
  /** Learned noise floor per benchmark id (fraction). */
  noiseFloor?: Record<string, number>;
  /** Uniform [0, 1) source for the orders (default Math.random). */
  random?: () => number;
  log?: (message: string) => void;
  machine?: Machine;
}

export interface InterleavedInput extends SameRunnerInput {
  thresholds: Thresholds;
  failOn: FailOn;
  settings: AdaptiveSettings;
  pin?: boolean;
  onProgress?: (e: { suite: string; round: number; rounds: number; elapsedMs: number }) => void;
  /** Runs one round of one suite (default: runSuiteRound, a fresh process); tests simulate here. */
  runner?: (suiteFile: string, opts: RoundOptions) => Promise<RoundResult>;
}

export interface LookRecord {
  look: number;
  alpha: number;
  /** Rounds each suite had at this look (suites measured at it). */
  rounds: Record<string, number>;
  /** Suites still unresolved after this look. */
  unresolvedSuites: string[];
  elapsedMs: number;
}

export interface InterleavedOutput {
  head: Results;
  base: Results;
  /** Rounds of each suite file (pairs; head-only suites: head rounds). */
  roundsBySuite: Record<string, number>;
  /** The most rounds any suite got. */
  rounds: number;
  plan: LookPlan;
  looks: LookRecord[];
  /** Alpha of the last look made: the level of the final comparison. */
  alpha: number;
  /** Benchmarks still unresolved at the end (id → why). */
  unresolved: Record<string, string>;
  stoppedBy: 'resolved' | 'looks' | 'budget';
  /** The final comparison (paired, at `alpha`, with `unresolved`), for callers that do not decide again. */
  comparison: Comparison;
  elapsedMs: number;
  /** Wall time of all suite processes per side, ms (for the cost figures). */
  processMs: { head: number; base: number };
  notices: string[];
  /** The raw rounds per suite file and side, paired by index (for the calibration's replays). */
  raw: Record<string, { head: RoundResult[]; base: RoundResult[] }>;
}


interface SuiteState {
  file: string;
  inBase: boolean;
  head: RoundResult[];
  base: RoundResult[];
  /** Wall ms of each completed round (both sides). */
  roundMs: number[];
  /** Look at which it was resolved (frozen), or undefined while active. */
  frozenAt?: number;
  /** A side failed as a whole (crash, timeout, load error): more rounds would not help. */
  broken?: string;
}

/** Suite names as buildResults gives them (the reported name; the file path when two share a name). */
export function suiteNames(states: ReadonlyArray<{ file: string; head: RoundResult[] }>): Map<string, string> {
  const names = states.map((s) => s.head.find((r) => !r.error && r.tasks.length)?.suite ?? s.head.find((r) => r.tasks.length)?.suite ?? suiteNameFromFile(s.file));
  const dup = new Set(names.filter((n, i) => names.indexOf(n) !== i));
  return new Map(
    states.map((s, i) => [s.file, dup.has(names[i]) ? s.file.replace(/\.bench\.(?:[cm]?[jt]s|tsx|jsx)$/, '').replace(/\.[^./]+$/, '') : names[i]]),
  );
}

/** Runs interleaved A/B rounds adaptively; never throws for suite failures (they are in the results). */
export async function runInterleaved(input: InterleavedInput): Promise<InterleavedOutput> {
  const random = input.random ?? Math.random;
  const log = input.log ?? (() => {});
  const machine = input.machine ?? machineInfo();
  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;
  const budgetMs = input.timeBudget * 1000;
  const startedAt = new Date().toISOString();
  const cpuBefore: CpuTimes | undefined = readCpuTimes();
  const notices: string[] = [];
  const processMs = { head: 0, base: 0 };

  const states: SuiteState[] = input.suites.map((s) => ({ file: s.file, inBase: s.inBase, head: [], base: [], roundMs: [] }));
  let plan = planLooks(input.settings);

  const runSide = async (st: SuiteState, side: 'head' | 'base'): Promise<RoundResult> => {
    const spec = input[side];
    const r = await (input.runner ?? runSuiteRound)(st.file, {
      cwd: spec.cwd,
      clock: input.clock,
      timeoutSec: input.suiteTimeout,
      env: spec.env,
      taskTimeMs: input.taskTimeMs,
      pin: input.pin,
    });
    processMs[side] += r.wallMs;
    return r;
  };

  const runRound = async (st: SuiteState): Promise<void> => {
    const started = performance.now();
    const order: Array<'head' | 'base'> = !st.inBase ? ['head'] : random() < 0.5 ? ['head', 'base'] : ['base', 'head'];
    for (const side of order) {
      const r = await runSide(st, side);
      st[side].push(r);
      if (r.error && !st.broken) st.broken = `${side} side: ${r.error.split('\n')[0]}`;
    }
    st.roundMs.push(performance.now() - started);
  };

  const meanRoundMs = (st: SuiteState) => (st.roundMs.length ? st.roundMs.reduce((a, b) => a + b, 0) / st.roundMs.length : 0);
  const active = () => states.filter((s) => s.frozenAt === undefined && !s.broken);

  let budgetHit = false;
  let look = 0;
  let stoppedBy: InterleavedOutput['stoppedBy'] = 'looks';
  let lastAlpha = input.settings.alpha;
  let final: Comparison | undefined;
  let unresolved: Record<string, string> = {};
  const looks: LookRecord[] = [];

  /** Both sides' results so far; `final` passes the metadata notes to the log (once). */
  const results = (final = false): { head: Results; base: Results } => {
    const common = { clock: input.clock, startedAt, finishedAt: new Date().toISOString(), machine, cpuBefore, cpuAfter: readCpuTimes() };
    const head = buildResults({
      ...common,
      suites: states.map((s) => ({ file: s.file, rounds: s.head })),
      commit: input.head.commit,
      ref: input.head.ref,
      log: final ? log : undefined,
    });
    const base = buildResults({
      ...common,
      suites: states.filter((s) => s.inBase).map((s) => ({ file: s.file, rounds: s.base })),
      commit: input.base.commit,
      ref: input.base.ref,
    });
    if (input.noiseFloor) base.noiseFloor = { ...input.noiseFloor };
    return { head, base };
  };

  const compareAt = (alpha: number, sides: { head: Results; base: Results }, unresolvedIds?: Record<string, string>): Comparison =>
    compare({
      base: sides.base,
      head: sides.head,
      thresholds: { ...input.thresholds, alpha },
      failOn: input.failOn,
      failOnCrossMachine: false,
      mode: 'paired',
      baseSource: 'base',
      noiseFloor: input.noiseFloor,
      unresolved: unresolvedIds,
    });

  let replanned = false;
  for (look = 1; look <= plan.rounds.length; look++) {
    let target = plan.rounds[look - 1];
    // Rounds up to this look's target, interleaved across the active suites.
    for (;;) {
      const todo = active().filter((s) => s.head.length < target && (look === 1 || s.inBase));
      if (todo.length === 0) break;
      const roundCost = todo.reduce((a, s) => a + meanRoundMs(s), 0);
      const haveMin = todo.every((s) => s.head.length >= MIN_PAIRS);
      if (haveMin && elapsed() + roundCost > budgetMs) {
        budgetHit = true;
        break;
      }
      for (const st of shuffle(todo, random)) {
        input.onProgress?.({ suite: st.file, round: st.head.length + 1, rounds: target, elapsedMs: elapsed() });
        await runRound(st);
      }
      // After the first round: fix the number of looks so that the whole schedule fits the budget.
      if (!replanned) {
        replanned = true;
        // The family is now known: every task of the suites that run on both sides.
        const family = states.filter((s) => s.inBase).reduce((a, s) => a + (s.base[0]?.tasks.length ?? 0), 0);
        const settings = { ...input.settings, family: Math.max(input.settings.family ?? 1, family) };
        const perRound = states.reduce((a, s) => a + meanRoundMs(s), 0);
        const oneRound = elapsed();
        let k = input.settings.maxLooks;
        while (k > 1) {
          const p = planLooks({ ...settings, maxLooks: k });
          if (oneRound + perRound * (p.rounds[k - 1] - 1) <= budgetMs) break;
          k--;
        }
        const replan = planLooks({ ...settings, maxLooks: k });
        if (replan.rounds[0] !== plan.rounds[0]) {
          notices.push(
            `${family} benchmarks are compared: Holm's first step needs the signed-rank test to reach alpha / ${family} at the first look, so it comes after ${replan.rounds[0]} rounds instead of ${plan.rounds[0]}.`,
          );
        }
        plan = replan;
        target = plan.rounds[0];
        if (k < input.settings.maxLooks) {
          notices.push(
            `At ${(perRound / 1000).toFixed(1)} s per round of all suites, the time budget of ${input.timeBudget} s allows ${k === 1 ? 'a single look' : `${k} looks`} (up to ${plan.rounds[k - 1]} rounds) instead of ${input.settings.maxLooks}.`,
          );
        }
      }
      if (budgetHit) break;
    }
    const planned = plan.rounds.length;
    const sides = results();
    const alpha = lookAlpha(plan, look, false);
    const cmp = compareAt(alpha, sides);
    const unresolvedNow: Record<string, string> = {};
    const unresolvedSuites = new Set<string>();
    const names = suiteNames(states);
    const fileOfSuite = new Map<string, SuiteState>();
    for (const st of active()) fileOfSuite.set(names.get(st.file)!, st);
    for (const b of cmp.benchmarks) {
      const st = fileOfSuite.get(b.suite);
      if (!st || !st.inBase) continue; // frozen, broken and head-only suites keep their state
      const file = st.file;
      const r = resolution(b, input.thresholds);
      if (!r.resolved) {
        unresolvedNow[b.id] = r.why ?? 'unresolved';
        unresolvedSuites.add(file);
      }
    }
    for (const st of active()) if (!unresolvedSuites.has(st.file) || !st.inBase) st.frozenAt = look;
    looks.push({
      look,
      alpha,
      rounds: Object.fromEntries(states.filter((s) => s.frozenAt === look || unresolvedSuites.has(s.file)).map((s) => [s.file, s.head.length])),
      unresolvedSuites: [...unresolvedSuites],
      elapsedMs: elapsed(),
    });
    lastAlpha = alpha;
    unresolved = unresolvedNow;
    if (unresolvedSuites.size === 0) {
      stoppedBy = 'resolved';
      final = cmp;
      break;
    }
    if (budgetHit) {
      stoppedBy = 'budget';
      break;
    }
    if (look >= planned) {
      stoppedBy = 'looks';
      break;
    }
    // Will the next batch fit? If not, this was the last look.
    const nextCost = active().reduce((a, s) => a + meanRoundMs(s) * (plan.rounds[look] - s.head.length), 0);
    if (elapsed() + nextCost > budgetMs) {
      budgetHit = true;
      stoppedBy = 'budget';
      break;
    }
  }

  const sides = results(true);
  if (!final || Object.keys(unresolved).length) final = compareAt(lastAlpha, sides, unresolved);
  const ids = Object.keys(unresolved);
  if (ids.length) {
    const why = stoppedBy === 'budget' ? `the time budget of ${input.timeBudget} s ran out` : `the most rounds (${plan.rounds[plan.rounds.length - 1]}) were reached`;
    notices.push(
      `${ids.length} benchmark${ids.length === 1 ? '' : 's'} did not resolve before ${why}: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}. ` +
        'Their intervals still straddle a threshold; an "unchanged" among them is reported inconclusive. Raise time-budget or reduce noise for a firmer answer.',
    );
  }
  for (const st of states) if (st.broken) notices.push(`${st.file}: stopped after ${st.head.length} round${st.head.length === 1 ? '' : 's'} because the ${st.broken}`);
  const rounds = Math.max(0, ...states.map((s) => s.head.length));
  return {
    head: sides.head,
    base: sides.base,
    roundsBySuite: Object.fromEntries(states.map((s) => [s.file, s.head.length])),
    rounds,
    plan,
    looks,
    alpha: lastAlpha,
    unresolved,
    stoppedBy,
    comparison: final,
    elapsedMs: elapsed(),
    processMs,
    notices,
    raw: Object.fromEntries(states.map((s) => [s.file, { head: s.head, base: s.base }])),
  };
}
