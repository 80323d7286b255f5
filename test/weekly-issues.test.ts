// One issue per regression step, against the local GitHub API server: created once, updated in
// place as the history grows, left closed when a maintainer closed it, closed on recovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOctokit } from '../src/github/index.ts';
import { DEFAULTS } from '../src/options.ts';
import { weeklyArtifactName } from '../src/action/weekly.ts';
import { analyzeWeekly, parseStepMarker, stepMarker, syncStepIssues, type WeeklyAnalysis } from '../src/weekly/index.ts';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.ts';
import { weeklyHistory, type SeriesSpec } from './helpers/weekly.ts';

const OWNER = 'octo-org';
const REPO = 'perfgate-demo';
const quiet = { info: () => {}, warning: () => {} };

let server: GitHubServer;
beforeAll(async () => {
  server = await startGitHubServer();
});
afterAll(() => server.stop());

function weekly(specs: SeriesSpec[], n: number, seed = 3): WeeklyAnalysis {
  const runs = weeklyHistory(n, specs, seed);
  return analyzeWeekly({ latest: runs[n - 1], history: runs.slice(0, n - 1), options: { thresholds: DEFAULTS.thresholds, failOn: 'major' } });
}

async function sync(a: WeeklyAnalysis) {
  return syncStepIssues({
    octokit: createOctokit('token', server.url),
    owner: OWNER,
    repo: REPO,
    steps: a.steps,
    context: { history: a.history, minor: DEFAULTS.thresholds.minor, runUrl: 'https://github.com/octo-org/perfgate-demo/actions/runs/1' },
    log: quiet,
    retry: { attempts: 1 },
  });
}

const stepAt = (at: number, size = 1.2): SeriesSpec[] => [
  { id: 'cache/read', level: (i) => (i >= at ? 1000 * size : 1000) },
  { id: 'config/parse', level: () => 5000 },
];

describe('issues for regression steps', () => {
  it('round-trips the hidden marker, whatever the benchmark id', () => {
    const entry = { index: 0, commit: 'abcdef1234567', startedAt: '2025-01-01T00:00:00.000Z', fingerprint: 'x' };
    for (const id of ['cache/read', 'weird -- id --> "x"', 'ünï/cödé']) {
      const marker = stepMarker({ id, entry });
      expect(marker.slice(4, -3)).not.toContain('--');
      expect(parseStepMarker(`text\n${marker}\nmore`)).toEqual({ id, at: 'abcdef1234567' });
    }
    expect(parseStepMarker('no marker')).toBeUndefined();
  });

  it('keeps the issues of two clocks apart: the same step under wall time and instructions gets one issue each', async () => {
    const entry = { index: 0, commit: 'abcdef1234567', startedAt: '2025-01-01T00:00:00.000Z', fingerprint: 'x' };
    expect(parseStepMarker(stepMarker({ id: 'cache/read', entry }, 'instructions'))).toEqual({ id: 'cache/read', at: 'abcdef1234567', clock: 'instructions' });
    const a = weekly(stepAt(30), 50);
    const run = (clock?: string) =>
      syncStepIssues({
        octokit: createOctokit('token', server.url),
        owner: OWNER,
        repo: 'clocks-demo',
        steps: a.steps,
        context: { history: a.history, minor: DEFAULTS.thresholds.minor, ...(clock ? { clock } : {}) },
        log: quiet,
        retry: { attempts: 1 },
      });
    expect(await run()).toEqual([expect.objectContaining({ benchmark: 'cache/read', action: 'created' })]);
    expect(await run('instructions')).toEqual([expect.objectContaining({ benchmark: 'cache/read', action: 'created' })]);
    // Each clock finds its own issue again and leaves the other's alone.
    expect(await run('instructions')).toEqual([expect.objectContaining({ benchmark: 'cache/read', action: 'unchanged' })]);
    expect(await run()).toEqual([expect.objectContaining({ benchmark: 'cache/read', action: 'unchanged' })]);
    const issues = server.issues(OWNER, 'clocks-demo');
    expect(issues).toHaveLength(2);
    expect(issues.map((i) => parseStepMarker(i.body)?.clock)).toEqual([undefined, 'instructions']);
    // and their report artifacts (two weekly steps in one run upload one each)
    expect([weeklyArtifactName('auto'), weeklyArtifactName('wall'), weeklyArtifactName('instructions')]).toEqual(['perfgate-weekly', 'perfgate-weekly', 'perfgate-weekly-instructions']);
    expect(issues[1].title).toMatch(/^perfgate: cache\/read regressed \+\d+\.\d% \((minor|major), instructions\) since /);
  });

  it('opens one issue per step, updates it as the history grows, and never duplicates it', async () => {
    const first = await sync(weekly(stepAt(30), 50));
    expect(first).toEqual([expect.objectContaining({ benchmark: 'cache/read', action: 'created' })]);
    const [issue] = server.issues(OWNER, REPO);
    expect(issue.title).toMatch(/^perfgate: cache\/read regressed \+\d+\.\d% \((minor|major)\) since [0-9a-f]{7} \(2025-/);
    expect(issue.body).toContain('<!-- perfgate:step id=');
    expect(issue.body).toMatch(/detected at run 3[012] of 50/);
    expect(issue.body).toContain('```mermaid');
    expect(issue.body).toMatch(/git log [0-9a-f]{7}\.\.[0-9a-f]{7}/);
    expect(issue.labels.map((l) => l.name)).toEqual(['perfgate']);

    const again = await sync(weekly(stepAt(30), 56));
    expect(again).toEqual([expect.objectContaining({ benchmark: 'cache/read', action: 'updated', number: issue.number })]);
    expect(server.issues(OWNER, REPO)).toHaveLength(1);
    expect(server.issues(OWNER, REPO)[0].body).toMatch(/of 56/);
    const same = await sync(weekly(stepAt(30), 56));
    expect(same[0].action).toBe('unchanged');
  });

  it('leaves an issue a maintainer closed alone, and opens a new one for a later step', async () => {
    const [issue] = server.issues(OWNER, REPO);
    const octokit = createOctokit('token', server.url);
    await octokit.rest.issues.update({ owner: OWNER, repo: REPO, issue_number: issue.number, state: 'closed' });
    const specs: SeriesSpec[] = [{ id: 'cache/read', level: (i) => (i >= 45 ? 1500 : i >= 30 ? 1200 : 1000) }, stepAt(0)[1]];
    const out = await sync(weekly(specs, 60));
    expect(out.map((o) => o.action).sort()).toEqual(['created', 'kept-closed']);
    expect(server.issues(OWNER, REPO)).toHaveLength(2);
  });

  it('closes the open issue of a step that recovered', async () => {
    const before = server.issues(OWNER, REPO).length;
    const recovering: SeriesSpec[] = [{ id: 'cache/read', level: (i) => (i >= 30 && i < 45 ? 1200 : 1000) }, { id: 'config/parse', level: (i) => (i >= 20 ? 6500 : 5000) }];
    const opened = await sync(weekly(recovering.map((s) => (s.id === 'cache/read' ? { ...s, level: (i: number) => (i >= 20 ? 1200 : 1000) } : s)), 40, 5));
    expect(opened.filter((o) => o.action === 'created')).toHaveLength(2);
    const parseIssue = opened.find((o) => o.benchmark === 'config/parse')!;
    // Later, cache/read came back; config/parse stayed slow.
    const later = weekly([{ id: 'cache/read', level: (i) => (i >= 20 && i < 45 ? 1200 : 1000) }, recovering[1]], 60, 5);
    const out = await sync(later);
    expect(out.find((o) => o.benchmark === 'cache/read')).toMatchObject({ action: 'closed', reason: 'recovered' });
    expect(out.find((o) => o.benchmark === 'config/parse')).toMatchObject({ action: 'updated', number: parseIssue.number });
    const closed = server.issues(OWNER, REPO).find((i) => i.title.includes('recovered from'))!;
    expect(closed.state).toBe('closed');
    expect(closed.body).toMatch(/It has recovered/);
    expect(server.issues(OWNER, REPO)).toHaveLength(before + 2);
  });

  it('turns an API failure into a skipped outcome and a warning, not an exception', async () => {
    const warnings: string[] = [];
    server.failNext('POST', `/repos/${OWNER}/${REPO}/issues`, 500, 1);
    const a = weekly([{ id: 'other/bench', level: (i) => (i >= 25 ? 1400 : 1000) }], 40, 8);
    const out = await syncStepIssues({
      octokit: createOctokit('token', server.url),
      owner: OWNER,
      repo: REPO,
      steps: a.steps,
      context: { history: a.history, minor: 0.05 },
      log: { info: () => {}, warning: (m) => warnings.push(m) },
      retry: { attempts: 1 },
    });
    expect(out).toEqual([expect.objectContaining({ benchmark: 'other/bench', action: 'skipped' })]);
    expect(warnings.join(' ')).toMatch(/other\/bench was not written/);
  });
});
