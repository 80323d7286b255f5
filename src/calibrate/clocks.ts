// The clock study: which clock gives the tightest same-commit spread on this machine, for
// CPU-bound (synchronous) and for async tasks. Same-commit A/A rounds, every clock measured in
// the same rounds (clock order and side order shuffled per round), each side of each round a
// fresh process. Figures per task, robust to the occasional process whose JIT or GC went another
// way (a per-process outlier of 50% is common and would dominate a standard deviation):
// - CV: the spread of its per-round medians on log scale, 1.4826 × MAD (≈ the coefficient of
//   variation for normal noise), averaged over the two sides;
// - A/A spread: 1.4826 × MAD of the paired log-ratios ln(B/A) of the same commit;
// - the half-width of the 95% Hodges-Lehmann interval of the A/A log-ratio after the rounds:
//   the precision a paired comparison gets from them.
import { probe } from '../../native/index.js';
import { runSuiteRound, type MeasureClock, type RoundResult } from '../measure/index.ts';
import { createRandom, hodgesLehmannPaired, madSd, median, shuffle } from '../stats/index.ts';

export interface ClockStudyInput {
  cwd: string;
  /** Suite files relative to cwd. */
  suites: string[];
  rounds: number;
  clocks?: MeasureClock[];
  taskTimeMs?: number;
  suiteTimeout: number;
  seed?: number;
  onProgress?: (e: { suite: string; round: number; rounds: number; elapsedMs: number }) => void;
}

export interface ClockTaskFigure {
  id: string;
  kind: 'sync' | 'async';
  clock: MeasureClock;
  rounds: number;
  /** Robust coefficient of variation of the per-round medians (1.4826 × MAD of their logs, mean of the sides). */
  cv: number;
  /** Robust spread (1.4826 × MAD) of the paired log-ratios ln(B/A) of the same commit. */
  aaSd: number;
  /** Half-width of the 95% Hodges-Lehmann interval of the A/A log-ratio after `rounds` pairs. */
  aaHalfWidth: number;
  /** Median per-op value (ns), to show what the clock sees. */
  median: number;
}

export interface ClockSummary {
  clock: MeasureClock;
  kind: 'sync' | 'async';
  tasks: number;
  /** Medians over the tasks of the kind. */
  cv: number;
  aaSd: number;
  aaHalfWidth: number;
}

export interface ClockStudy {
  rounds: number;
  clocks: MeasureClock[];
  /** Why instructions was not studied, when it was not. */
  instructions: { available: boolean; reason?: string };
  tasks: ClockTaskFigure[];
  summary: ClockSummary[];
  /** The tightest clock per kind (by A/A spread). */
  best: Partial<Record<'sync' | 'async', MeasureClock>>;
  elapsedMs: number;
}




/** Runs the study. Clocks default to wall and cpu, plus instructions where the kernel allows it. */
export async function studyClocks(input: ClockStudyInput): Promise<ClockStudy> {
  const t0 = performance.now();
  const counter = probe.instructions();
  const instructions = counter.available ? { available: true } : { available: false, reason: counter.reason };
  const clocks: MeasureClock[] = input.clocks ?? (counter.available ? ['wall', 'cpu', 'instructions'] : ['wall', 'cpu']);
  const random = input.seed === undefined ? Math.random : createRandom(input.seed).uniform;
  // rounds[clock][suite] = list of [A, B] round results
  const pairs = new Map<string, Array<[RoundResult, RoundResult]>>();
  for (let r = 0; r < input.rounds; r++) {
    for (const suite of shuffle(input.suites, random)) {
      for (const clock of shuffle(clocks, random)) {
        input.onProgress?.({ suite: `${suite} (${clock})`, round: r + 1, rounds: input.rounds, elapsedMs: performance.now() - t0 });
        const run = () => runSuiteRound(suite, { cwd: input.cwd, clock, timeoutSec: input.suiteTimeout, taskTimeMs: input.taskTimeMs });
        const first = await run();
        const second = await run();
        // Which process is "A" is itself random: the pair is symmetric under the null.
        const pair: [RoundResult, RoundResult] = random() < 0.5 ? [first, second] : [second, first];
        const key = `${clock}\u0000${suite}`;
        pairs.set(key, [...(pairs.get(key) ?? []), pair]);
      }
    }
  }
  const tasks: ClockTaskFigure[] = [];
  for (const [key, list] of pairs) {
    const [clock] = key.split('\u0000') as [MeasureClock];
    const names = new Set(list.flatMap(([a, b]) => [...a.tasks, ...b.tasks].map((t) => t.name)));
    for (const name of names) {
      const a: number[] = [];
      const b: number[] = [];
      let isAsync = false;
      let suiteName = '';
      for (const [ra, rb] of list) {
        const ta = ra.tasks.find((t) => t.name === name);
        const tb = rb.tasks.find((t) => t.name === name);
        if (!ta || !tb || ta.error || tb.error || !(ta.median > 0) || !(tb.median > 0)) continue;
        a.push(Math.log(ta.median));
        b.push(Math.log(tb.median));
        isAsync ||= ta.async;
        suiteName = ra.suite;
      }
      if (a.length < 3) continue;
      const d = a.map((x, i) => b[i] - x);
      const hl = hodgesLehmannPaired(d, 0.95);
      tasks.push({
        id: `${suiteName}/${name}`,
        kind: isAsync ? 'async' : 'sync',
        clock,
        rounds: a.length,
        cv: (madSd(a) + madSd(b)) / 2,
        aaSd: madSd(d),
        aaHalfWidth: (hl.hi - hl.lo) / 2,
        median: Math.exp(median([...a, ...b])),
      });
    }
  }
  const summary: ClockSummary[] = [];
  const best: ClockStudy['best'] = {};
  for (const kind of ['sync', 'async'] as const) {
    let bestSd = Infinity;
    for (const clock of clocks) {
      const of = tasks.filter((t) => t.kind === kind && t.clock === clock);
      if (!of.length) continue;
      const s: ClockSummary = {
        clock,
        kind,
        tasks: of.length,
        cv: median(of.map((t) => t.cv)),
        aaSd: median(of.map((t) => t.aaSd)),
        aaHalfWidth: median(of.map((t) => t.aaHalfWidth)),
      };
      summary.push(s);
      if (s.aaSd < bestSd) {
        bestSd = s.aaSd;
        best[kind] = clock;
      }
    }
  }
  return { rounds: input.rounds, clocks, instructions, tasks, summary, best, elapsedMs: performance.now() - t0 };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

/** The study as a plain-text table. */
export function renderClockStudy(s: ClockStudy): string {
  const lines: string[] = [];
  lines.push(`Clock study: ${s.rounds} same-commit A/A round pairs per clock, ${(s.elapsedMs / 1000).toFixed(0)} s. CV and spread are robust (1.4826 × MAD of logs).`);
  lines.push('');
  lines.push('kind   clock          tasks  CV of round medians  A/A log-ratio spread  95% HL half-width');
  for (const r of s.summary) {
    lines.push(`${r.kind.padEnd(6)} ${r.clock.padEnd(13)} ${String(r.tasks).padStart(6)}  ${pct(r.cv).padStart(19)}  ${pct(r.aaSd).padStart(20)}  ${pct(r.aaHalfWidth).padStart(17)}`);
  }
  if (!s.instructions.available) lines.push(`instructions: unavailable here (${s.instructions.reason}).`);
  lines.push('');
  lines.push('Per task:');
  lines.push('kind   clock          CV  A/A spread  median/op  task');
  for (const t of [...s.tasks].sort((x, y) => x.id.localeCompare(y.id) || x.clock.localeCompare(y.clock))) {
    const med = t.clock === 'instructions' ? `${t.median.toFixed(0)} ins` : `${(t.median / 1000).toFixed(2)} µs`;
    lines.push(`${t.kind.padEnd(6)} ${t.clock.padEnd(13)} ${pct(t.cv).padStart(6)}  ${pct(t.aaSd).padStart(10)}  ${med.padStart(9)}  ${t.id}`);
  }
  lines.push('');
  for (const kind of ['sync', 'async'] as const) if (s.best[kind]) lines.push(`Tightest for ${kind} tasks here: ${s.best[kind]}.`);
  return `${lines.join('\n')}\n`;
}
