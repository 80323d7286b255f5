// Sharding through the bundled Action (dist/index.js), as the runner runs it: three matrix jobs
// with `shard: i/3` upload their results through the artifact fallback (PERFGATE_ARTIFACT_DIR),
// and one `mode: merge` job joins them, compares once with the committed baseline, and comments
// once on the pull request. A missing shard fails the merge, naming it and the fix.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../src/schema/comparison.ts';
import type { Results } from '../src/schema/results.ts';
import { makeProject, ROOT, runAction } from './helpers/action.ts';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.ts';

const PUSH_EVENT = path.join(ROOT, 'test/fixtures/events/push.json');
const PR_EVENT = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/events/pull_request.json'), 'utf8')) as { number: number };
const FAST = { rounds: '4', 'task-time': '40', build: 'none', baseline: 'file', comment: 'never', 'github-token': '' };
const SUITES = ['alpha', 'beta', 'gamma'];

let project: string;
let artifacts: string;
let server: GitHubServer;

function suite(name: string, loops: number): string {
  return `import { Bench } from 'tinybench';
const bench = new Bench();
let sink = 0;
bench.add('${name} loop', () => { let s = 0; for (let i = 0; i < ${loops}; i++) s += i % 7; sink += s; });
export default bench;
`;
}

beforeAll(async () => {
  project = makeProject('shards');
  unlinkSync(path.join(project, 'bench', 'work.bench.mjs'));
  SUITES.forEach((name, k) => writeFileSync(path.join(project, 'bench', `${name}.bench.mjs`), suite(name, 2000 * (k + 1))));
  artifacts = mkdtempSync(path.join(os.tmpdir(), 'perfgate-artifacts-'));
  // The committed baseline the merge compares with, saved by the CLI as a maintainer would.
  execFileSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'baseline', 'save', '--rounds', '4', '--task-time', '40', '--quiet'], {
    cwd: project,
    env: { ...process.env, PERFGATE_QUIET_NATIVE: '1' },
    stdio: 'pipe',
  });
  server = await startGitHubServer();
}, 180_000);

afterAll(async () => {
  rmSync(artifacts, { recursive: true, force: true });
  await server?.stop();
});

const shard = (index: number, env: Record<string, string> = {}) =>
  runAction({ inputs: { ...FAST, shard: `${index}/3` }, eventName: 'push', event: PUSH_EVENT, workspace: project, env: { PERFGATE_ARTIFACT_DIR: artifacts, ...env } });

const merge = (inputs: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runAction({
    // fail-on: never: this is about joining and reporting; the numbers of a busy test machine decide nothing.
    inputs: { ...FAST, mode: 'merge', shard: '3', comment: 'always', 'github-token': 'test-token', 'fail-on': 'never', ...inputs },
    eventName: 'pull_request',
    event: PR_EVENT,
    workspace: project,
    apiUrl: server.url,
    env: { PERFGATE_ARTIFACT_DIR: artifacts, ...env },
  });

describe('shards and merge (dist/index.js)', () => {
  it('each shard measures one of the three suites and uploads perfgate-shard-i-of-3', async () => {
    for (const index of [1, 2, 3]) {
      const run = await shard(index);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`shard ${index}/3 measured 1 of 3 suites`));
      expect(run.outputs.verdict).toBe('');
      const folder = path.join(artifacts, `perfgate-shard-${index}-of-3`);
      expect(readdirSync(folder).sort()).toEqual(['results.json', 'shard.json']);
      const results = JSON.parse(readFileSync(path.join(folder, 'results.json'), 'utf8')) as Results;
      expect(results.benchmarks.map((b) => b.suite)).toEqual([SUITES[index - 1]]);
      expect(readFileSync(run.outputs['results-json'], 'utf8')).toBe(readFileSync(path.join(folder, 'results.json'), 'utf8'));
      expect(run.summary).toBe('');
    }
  });

  it('the merge joins all shards, compares once with the baseline, and comments once', async () => {
    const run = await merge();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/merged 3 shards: 3 benchmarks/);
    const merged = JSON.parse(readFileSync(run.outputs['results-json'], 'utf8')) as Results;
    expect(merged.benchmarks.map((b) => b.id)).toEqual(['alpha/alpha loop', 'beta/beta loop', 'gamma/gamma loop']);
    const comparison = JSON.parse(readFileSync(run.outputs['comparison-json'], 'utf8')) as Comparison;
    expect(comparison.mode).toBe('stored');
    expect(comparison.base?.source).toMatch(/baselines\//);
    expect(comparison.benchmarks.every((b) => b.base && b.head)).toBe(true);
    expect(run.outputs.verdict).toMatch(/^(pass|warn)$/);
    expect(run.summary).toMatch(/perfgate: /);
    const comments = server.comments('octo-org', 'perfgate-demo', PR_EVENT.number);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('<!-- perfgate:gate -->');
    expect(comments[0].body).toContain('```mermaid\nxychart-beta');
    expect(existsSync(path.join(path.dirname(run.outputs['report-markdown']), 'charts', 'before-after.svg'))).toBe(true);
  });

  it('finds the shard count from the artifacts when the merge is not told, and reads a results-dir', async () => {
    const found = await merge({ shard: '', comment: 'never' });
    expect(found.code, found.stdout + found.stderr).toBe(0);
    expect(found.stdout).toMatch(/merged 3 shards/);
    // As if actions/download-artifact had put the shards into one folder of the workspace.
    const downloaded = path.join(project, 'downloaded');
    cpSync(artifacts, downloaded, { recursive: true });
    const fromDir = await merge({ 'results-dir': 'downloaded', comment: 'never' }, { PERFGATE_ARTIFACT_DIR: path.join(artifacts, 'nothing-here') });
    expect(fromDir.code, fromDir.stdout + fromDir.stderr).toBe(0);
    expect(fromDir.stdout).toMatch(/merged 3 shards: 3 benchmarks/);
  });

  it('a missing shard fails the merge with a message naming it and the fix', async () => {
    rmSync(path.join(artifacts, 'perfgate-shard-2-of-3'), { recursive: true });
    const run = await merge({ comment: 'never' });
    expect(run.code).toBe(1);
    const error = run.commands.find((c) => c.command === 'error')?.message ?? '';
    expect(error).toMatch(/The merge needs all 3 shards, but shard 2 \(artifact perfgate-shard-2-of-3\) is missing/);
    expect(error).toMatch(/Fix: make the merge job wait for the whole matrix/);
    expect(run.outputs.verdict).toBe('error');
  });

  it('rejects a bad shard value, naming the input', async () => {
    const run = await runAction({ inputs: { ...FAST, shard: '4/3' }, eventName: 'push', event: PUSH_EVENT, workspace: project, env: { PERFGATE_ARTIFACT_DIR: artifacts } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/input "shard" is "4\/3"; expected i\/n/);
  });
});
