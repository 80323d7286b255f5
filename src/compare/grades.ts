// Grades of benchmarks and of groups (suites, the run). Pure.
import { GRADE_LABELS, type Grade } from '../schema/comparison.ts';

/** Grade points, as on a US grade scale. */
export const GRADE_POINTS: Record<Grade, number> = { 'A+': 4.3, A: 4.0, 'A-': 3.7, B: 3.0, C: 2.0, D: 1.0, F: 0 };

/** Worst to best. */
export const GRADE_ORDER: readonly Grade[] = ['F', 'D', 'C', 'B', 'A-', 'A', 'A+'];

export const NOT_GRADED_LABEL = 'Not graded';

/** The better (higher) of two grades is `a` when gradeRank(a) > gradeRank(b). */
export function gradeRank(g: Grade): number {
  return GRADE_ORDER.indexOf(g);
}

/** The worse of two grades. */
export function worseGrade(a: Grade, b: Grade): Grade {
  return gradeRank(a) <= gradeRank(b) ? a : b;
}

/** The highest grade whose points are at or below `points`. */
export function gradeAtOrBelow(points: number): Grade {
  let out: Grade = 'F';
  for (const g of GRADE_ORDER) if (GRADE_POINTS[g] <= points + 1e-9) out = g;
  return out;
}

/**
 * A group's grade from its benchmarks' grades (ungraded ones are skipped): the mean of the grade
 * points, mapped to the highest grade at or below it, then capped at one grade above the worst
 * grade in the group (a group with a D is at best C, with an F at best D, with a B at best A-).
 * Undefined when nothing was graded.
 */
export function groupGrade(grades: ReadonlyArray<Grade | undefined>): Grade | undefined {
  const graded = grades.filter((g): g is Grade => g !== undefined);
  if (graded.length === 0) return undefined;
  const mean = graded.reduce((s, g) => s + GRADE_POINTS[g], 0) / graded.length;
  const byPoints = gradeAtOrBelow(mean);
  const worst = graded.reduce(worseGrade);
  const cap = GRADE_ORDER[Math.min(GRADE_ORDER.length - 1, gradeRank(worst) + 1)];
  return worseGrade(byPoints, cap);
}

export function gradeLabel(g: Grade | undefined): string {
  return g ? GRADE_LABELS[g] : NOT_GRADED_LABEL;
}
