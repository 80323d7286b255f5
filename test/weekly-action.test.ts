// Weekly mode through the bundled Action (dist/index.js): a scheduled run measures the project,
// reads the history from the data branch (a local bare repository), writes the executive summary
// to the job summary and the report files, opens one issue for the regression step in the
// history (local GitHub API server), appends itself to the history; a second run updates the
// issue instead of opening another.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringifyResults } from '../src/store/json.ts';
import { makeProject, ROOT, runAction } from './helpers/action.ts';
import { commitFiles } from './helpers/git.ts';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.ts';
import { weeklyHistory } from './helpers/weekly.ts';

const run = promisify(execFile);
const SCHEDULE_EVENT = path.join(ROOT, 'test/fixtures/events/schedule.json');
const INPUTS = { mode: 'weekly', baseline: 'branch', 'open-issue': 'true', rounds: '4', 'task-time': '40', build: 'none', 'github-token': 'test-token' };

let remote: string;
let project: string;
let artifacts: string;
let server: GitHubServer;

beforeAll(async () => {
  remote = mkdtempSync(path.join(os.tmpdir(), 'perfgate-weekly-remote-'));
  artifacts = mkdtempSync(path.join(os.tmpdir(), 'perfgate-weekly-artifacts-'));
  execFileSync('git', ['init', '-q', '--bare', remote]);
  project = makeProject('weekly');
  const git = (args: string[]) => run('git', args, { cwd: project });
  await git(['init', '-q', '-b', 'main']);
  await git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'init']);
  await git(['remote', 'add', 'origin', remote]);
  // 30 weekly runs on the data branch, with a 30% step in work/sort at run 20 (index 19).
  const runs = weeklyHistory(30, [
    { id: 'work/sort', level: (i) => (i >= 19 ? 26_000 : 20_000) },
    { id: 'work/sum <b>loop</b> | 1', level: () => 60_000 },
  ]);
  const files: Record<string, string> = {};
  runs.forEach((r, i) => {
    const stamp = r.startedAt.replace(/[-:.]/g, '');
    files[`history/main/${stamp}-${r.commit!.slice(0, 7)}-${String(i).padStart(6, '0')}.json`] = stringifyResults(r);
  });
  files['baselines/main.json'] = stringifyResults(runs[29]);
  await commitFiles(remote, 'perfgate-data', files, 'seed the history');
  server = await startGitHubServer();
}, 120_000);

afterAll(async () => {
  rmSync(remote, { recursive: true, force: true });
  rmSync(artifacts, { recursive: true, force: true });
  await server?.stop();
});

const weekly = (env: Record<string, string> = {}) =>
  runAction({ inputs: INPUTS, eventName: 'schedule', event: SCHEDULE_EVENT, workspace: project, apiUrl: server.url, env: { PERFGATE_ARTIFACT_DIR: artifacts, ...env } });

async function historyCount(): Promise<number> {
  const { stdout } = await run('git', ['--git-dir', remote, 'ls-tree', '-r', '--name-only', 'perfgate-data', 'history/main/']);
  return stdout.trim().split('\n').filter(Boolean).length;
}

describe('mode: weekly (dist/index.js)', () => {
  it('writes the executive summary, opens one issue for the step, and appends the run to the history', async () => {
    const r = await weekly();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/weekly report against the history in the branch store/);
    expect(r.stdout).toMatch(/30 saved runs of main in the history/);
    expect(r.summary).toMatch(/^# Weekly performance summary\n\n## octo-org\/perfgate-demo/);
    expect(r.summary).toMatch(/Profile \*\*work\/sort\*\*: \+\d+\.\d% since [0-9a-f]{7} \(2025-\d\d-\d\d\) \(step detected at run (19|20|21) of 31\)/);
    expect(r.summary).toContain('```mermaid\nxychart-beta');
    expect(r.outputs['report-markdown']).toMatch(/weekly\.md$/);
    const dir = path.dirname(r.outputs['report-markdown']);
    expect(readFileSync(r.outputs['report-markdown'], 'utf8')).toContain('<!-- perfgate:weekly -->');
    expect(JSON.parse(readFileSync(path.join(dir, 'weekly.json'), 'utf8')).steps.map((s: { id: string }) => s.id)).toContain('work/sort');
    expect(readdirSync(path.join(dir, 'charts')).some((f) => f.startsWith('trend-work-sort-'))).toBe(true);
    expect(existsSync(path.join(artifacts, 'perfgate-weekly', 'weekly.md'))).toBe(true);
    expect(Number(r.outputs.regressions)).toBeGreaterThanOrEqual(1);
    expect(r.outputs.verdict).toBe('warn');

    const issues = server.issues('octo-org', 'perfgate-demo');
    const sortIssues = issues.filter((i) => i.title.includes('work/sort'));
    expect(sortIssues).toHaveLength(1);
    expect(sortIssues[0].body).toContain('<!-- perfgate:step id=');
    expect(await historyCount()).toBe(31);
  });

  it('a second week updates the issue instead of opening another', async () => {
    const before = server.issues('octo-org', 'perfgate-demo').length;
    const r = await weekly({ GITHUB_RUN_ID: '1001' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/issue for work\/sort: (updated|unchanged) #\d+/);
    expect(server.issues('octo-org', 'perfgate-demo')).toHaveLength(before);
    expect(await historyCount()).toBe(32);
  });
});
