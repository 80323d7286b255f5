// What `perfgate init` writes: the starter suite and the three workflows, in the shapes the README
// documents (the gate, the fork companion, the weekly run). Pure: strings in, strings out.

/** The Action as a user's workflow refers to it. */
export const PERFGATE_USES = 'perfgate/perfgate@v1';
/** The gate workflow's `name:`: the fork companion waits for a workflow of this name. */
export const GATE_WORKFLOW_NAME = 'perfgate';

export const GATE_WORKFLOW_FILE = '.github/workflows/perfgate.yml';
export const COMMENT_WORKFLOW_FILE = '.github/workflows/perfgate-comment.yml';
export const WEEKLY_WORKFLOW_FILE = '.github/workflows/perfgate-weekly.yml';

/** A starter suite: plain tinybench plus the one perfgate line, `export default bench`. */
export function suiteTemplate(typescript: boolean): string {
  const types = typescript ? ': number[]' : '';
  return `// A perfgate suite (written by \`perfgate init\`): plain tinybench, plus \`export default bench\`.
// Replace the example task with calls into your own code; every task is one benchmark.
// Run it here with \`npx perfgate run\`; in CI the perfgate workflow measures it on every pull request.
import { Bench } from 'tinybench';

const bench = new Bench();

const input${types} = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);

bench.add('sort 1,000 numbers', () => {
  [...input].sort((a, b) => a - b);
});

export default bench;
`;
}

export interface GateWorkflowOptions {
  /** The `suites:` input, when the suites are not in the default place (bench/). */
  suites?: string;
  /** Node version for actions/setup-node. */
  node?: string;
}

/** `.github/workflows/perfgate.yml`: the README's complete workflow. */
export function gateWorkflow(o: GateWorkflowOptions = {}): string {
  const suites = o.suites ? `\n          suites: ${o.suites}` : '';
  return `# Written by \`perfgate init\`. perfgate measures the suites on every pull request against the
# pull request's base commit (measured in the same job) and posts one grade table on the PR.
name: ${GATE_WORKFLOW_NAME}
on:
  pull_request:
  push:
    branches: [main]
concurrency:
  group: perfgate-\${{ github.ref }}
  cancel-in-progress: true
jobs:
  gate:
    runs-on: ubuntu-latest
    timeout-minutes: 40
    permissions:
      contents: read        # check out the code and the PR's base commit
      pull-requests: write  # the sticky grade comment
      actions: write        # save baselines in the Actions cache on pushes to main
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0    # same-runner mode checks out the base commit in a worktree
      - uses: actions/setup-node@v4
        with:
          node-version: ${o.node ?? '24'}
      - run: npm ci
      - uses: ${PERFGATE_USES}
        with:${suites}
          fail-on: major
`;
}

/** `.github/workflows/perfgate-comment.yml`: posts a fork PR's report without running its code. */
export function commentWorkflow(gateName = GATE_WORKFLOW_NAME): string {
  return `# Written by \`perfgate init --fork\`. A fork's pull request gets a read-only token: the gate still
# measures and decides, and uploads its report as an artifact; this workflow posts the comment
# without checking out or running the pull request's code.
name: perfgate comment
on:
  workflow_run:
    workflows: [${gateName}]
    types: [completed]
jobs:
  comment:
    if: github.event.workflow_run.event == 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: 5
    permissions:
      actions: read         # download the gate's report artifact
      pull-requests: write  # post the comment
    steps:
      - uses: ${PERFGATE_USES}
        with:
          mode: comment
`;
}

/** `.github/workflows/perfgate-weekly.yml`: the weekly trend report over the data branch's history. */
export function weeklyWorkflow(o: GateWorkflowOptions = {}): string {
  const suites = o.suites ? `\n          suites: ${o.suites}` : '';
  return `# Written by \`perfgate init --weekly\`. Every Monday: measure the default branch, append the run to
# the perfgate-data branch's history, find change points and write the weekly summary.
# Weekly runs never fail the job.
name: perfgate weekly
on:
  schedule:
    - cron: '17 4 * * 1'
  workflow_dispatch:
jobs:
  weekly:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    permissions:
      contents: write   # append the run to the perfgate-data branch
      issues: write     # open or update an issue per detected regression step
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: ${o.node ?? '24'}
      - run: npm ci
      - uses: ${PERFGATE_USES}
        with:
          mode: weekly
          baseline: branch${suites}
          open-issue: true
`;
}
