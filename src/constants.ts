// Names of the Action's inputs and outputs (action.yml uses the same kebab-case names).
import { type ClockOption, OPTION_NAMES } from './options.ts';

/** Inputs that are not gate options (they configure the Action itself). */
export const ACTION_ONLY_INPUTS = ['github-token', 'working-directory', 'shard', 'open-issue', 'dashboard', 'dashboard-dir', 'dashboard-url', 'format', 'results-file', 'results-dir'] as const;

/** Every input the Action reads: the shared options plus the Action's own. */
export const INPUTS: readonly string[] = [...OPTION_NAMES, ...ACTION_ONLY_INPUTS];

export const OUTPUTS = {
  verdict: 'verdict',
  grade: 'grade',
  regressions: 'regressions',
  improvements: 'improvements',
  reportMarkdown: 'report-markdown',
  resultsJson: 'results-json',
  comparisonJson: 'comparison-json',
  commentId: 'comment-id',
} as const;

/** Hidden HTML marker that identifies the gate's sticky PR comment (the wall clock's). */
export const COMMENT_MARKER = '<!-- perfgate:gate -->';

/**
 * What scopes a run's names by its clock, so that two steps of one job (`clock: wall` and
 * `clock: instructions`) keep apart: their PR comments, report artifacts and stored baselines. The
 * wall clock (and `auto`, which is the wall clock) has none: its names are the ones perfgate has
 * always used, so baselines and comments made before stay found.
 */
export function clockScope(clock: ClockOption): string | undefined {
  return clock === 'auto' || clock === 'wall' ? undefined : clock;
}

/** The sticky comment's marker for a clock: `<!-- perfgate:gate -->`, `<!-- perfgate:gate:instructions -->`. */
export function commentMarker(clock: ClockOption): string {
  const scope = clockScope(clock);
  return scope ? `<!-- perfgate:gate:${scope} -->` : COMMENT_MARKER;
}

/**
 * The key a stored baseline (and history) of `branch` is kept under for a clock: the branch name
 * itself for the wall clock, `<branch>:<clock>` otherwise. A ':' never occurs in a git branch name,
 * so no branch's key can meet another clock's.
 */
export function baselineKey(branch: string, clock: ClockOption): string {
  const scope = clockScope(clock);
  return scope ? `${branch}:${scope}` : branch;
}
