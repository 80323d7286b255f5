// Pure: a comparison → the annotations to show on the run. A warning per minor regression, an
// error per major or critical one, notices for comparisons that cannot fail (cross-machine, no
// baseline) and for the comparison's own notices. GitHub shows at most 10 annotations of each
// level per step, so each level is capped with a last line saying how many more there were.
import type { BenchmarkComparison, Comparison, Verdict } from '../schema/comparison.ts';

export interface Annotation {
  level: 'notice' | 'warning' | 'error';
  title: string;
  message: string;
}

/** GitHub's per-step limit for each level. */
export const MAX_ANNOTATIONS_PER_LEVEL = 10;

const LEVEL: Partial<Record<Verdict, Annotation['level']>> = { minor: 'warning', major: 'error', critical: 'error' };
const SEVERITY: Partial<Record<Verdict, number>> = { critical: 0, major: 1, minor: 2 };

function pct(x: number): string {
  const v = x * 100;
  return `${v >= 0 ? '+' : ''}${v.toFixed(Math.abs(v) < 10 ? 1 : 0)}%`;
}

function message(b: BenchmarkComparison): string {
  const parts = [b.reason];
  if (b.worse !== undefined && !b.reason.includes('%')) {
    const ci = b.worseCi ? ` (95% CI ${pct(b.worseCi[0])} to ${pct(b.worseCi[1])})` : '';
    parts.push(`Change: ${pct(b.worse)} worse${ci}.`);
  }
  if (b.error && !b.reason.includes(b.error)) parts.push(`Error: ${b.error}`);
  return parts.join(' ');
}

export function annotationsFor(c: Comparison, maxPerLevel = MAX_ANNOTATIONS_PER_LEVEL): Annotation[] {
  const notices: Annotation[] = [];
  if (c.mode === 'none' || !c.base) {
    notices.push({ level: 'notice', title: 'perfgate: no baseline', message: 'No baseline to compare with yet: every benchmark is new, and nothing can regress. A run on the default branch saves one.' });
  }
  if (c.crossMachine) {
    notices.push({
      level: 'notice',
      title: 'perfgate: cross-machine comparison',
      message: `The baseline${c.base ? ` (${c.base.source})` : ''} was measured on another machine, so differences may come from the hardware; regressions warn but do not fail the gate.`,
    });
  }
  const seen = new Set(notices.map((n) => n.message));
  for (const n of c.notices) {
    if (!seen.has(n)) notices.push({ level: 'notice', title: 'perfgate', message: n });
    seen.add(n);
  }

  const regressions = c.benchmarks
    .filter((b) => LEVEL[b.verdict] !== undefined)
    .sort((a, b) => SEVERITY[a.verdict]! - SEVERITY[b.verdict]! || (b.worse ?? Infinity) - (a.worse ?? Infinity));
  const errors: Annotation[] = [];
  const warnings: Annotation[] = [];
  for (const b of regressions) {
    (LEVEL[b.verdict] === 'error' ? errors : warnings).push({ level: LEVEL[b.verdict]!, title: `perfgate: ${b.id} ${b.verdict}`, message: message(b) });
  }
  return [...cap(errors, maxPerLevel), ...cap(warnings, maxPerLevel), ...cap(notices, maxPerLevel)];
}

function cap(list: Annotation[], max: number): Annotation[] {
  if (list.length <= max) return list;
  const kept = list.slice(0, Math.max(0, max - 1));
  const rest = list.length - kept.length;
  const level = list[0].level;
  const what = level === 'notice' ? 'notices' : level === 'error' ? 'major or critical regressions' : 'minor regressions';
  kept.push({ level, title: `perfgate: ${rest} more`, message: `${rest} more ${what}: see the job summary for the full table.` });
  return kept;
}
