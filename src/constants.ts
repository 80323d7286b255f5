// Names of the Action's inputs and outputs (action.yml uses the same kebab-case names).
import { OPTION_NAMES } from './options.ts';

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

/** Hidden HTML marker that identifies the gate's sticky PR comment. */
export const COMMENT_MARKER = '<!-- perfgate:gate -->';
