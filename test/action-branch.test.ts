// The git data branch as baseline store, through the bundled Action, with a local bare repository
// as the remote: a push saves baseline and history, a pull request compares with them, and `auto`
// picks the branch once it exists.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, ROOT, runAction } from './helpers/action.ts';

const run = promisify(execFile);
const PR_EVENT = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/events/pull_request.json'), 'utf8'));
const PUSH_EVENT = path.join(ROOT, 'test/fixtures/events/push.json');
const INPUTS = { rounds: '5', 'task-time': '60', build: 'none', comment: 'never', 'github-token': '' };

describe('baseline: branch (dist/index.js)', () => {
  let remote: string;
  let project: string;
  const git = (args: string[], cwd = project) => run('git', args, { cwd });

  beforeAll(async () => {
    remote = mkdtempSync(path.join(os.tmpdir(), 'perfgate-remote-'));
    execFileSync('git', ['init', '-q', '--bare', remote]);
    project = makeProject('branch');
    await git(['init', '-q', '-b', 'main']);
    await git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'init']);
    await git(['remote', 'add', 'origin', remote]);
  });
  afterAll(() => rmSync(remote, { recursive: true, force: true }));

  it('a push saves baseline and history on the data branch', async () => {
    const push = await runAction({ inputs: { ...INPUTS, baseline: 'branch' }, eventName: 'push', event: PUSH_EVENT, workspace: project });
    expect(push.code, push.stdout + push.stderr).toBe(0);
    expect(push.stdout).toMatch(/baseline saved: perfgate-data:baselines\/main\.json/);
    const { stdout: files } = await run('git', ['--git-dir', remote, 'ls-tree', '-r', '--name-only', 'perfgate-data']);
    expect(files).toMatch(/^baselines\/main\.json$/m);
    expect(files).toMatch(/^history\/main\/.+\.json$/m);
    const { stdout: baseline } = await run('git', ['--git-dir', remote, 'show', 'perfgate-data:baselines/main.json']);
    expect(JSON.parse(baseline).benchmarks.map((b: { id: string }) => b.id).sort()).toEqual(['work/sort', 'work/sum <b>loop</b> | 1']);
  });

  it('auto uses the data branch once it exists, for pushes; a pull request compares with it', async () => {
    const push = await runAction({ inputs: { ...INPUTS, baseline: 'auto' }, eventName: 'push', event: PUSH_EVENT, workspace: project, env: { GITHUB_RUN_ID: '1002' } });
    expect(push.code, push.stdout + push.stderr).toBe(0);
    expect(push.stdout).toMatch(/baseline mode branch \(auto\)/);
    const { stdout: history } = await run('git', ['--git-dir', remote, 'ls-tree', '-r', '--name-only', 'perfgate-data', 'history/main/']);
    expect(history.trim().split('\n')).toHaveLength(2);

    const pr = await runAction({
      inputs: { ...INPUTS, baseline: 'branch' },
      eventName: 'pull_request',
      event: PR_EVENT,
      workspace: project,
      env: { PERFGATE_INJECT: JSON.stringify({ '*': 3 }) },
    });
    expect(pr.code, pr.stdout + pr.stderr).toBe(1);
    const comparison = JSON.parse(readFileSync(pr.outputs['comparison-json'], 'utf8'));
    expect(comparison.base.source).toMatch(/perfgate-data:baselines\/main\.json/);
    expect(comparison.benchmarks.every((b: { verdict: string }) => b.verdict === 'critical')).toBe(true);
  });
});
