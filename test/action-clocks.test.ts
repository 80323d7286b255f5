// Two gate steps in one job, one per clock (`clock: wall` and `clock: instructions`), run as the
// runner runs the bundled Action (dist/index.js): the data branch is a local bare repository, the
// GitHub API a local server that records requests. Each clock keeps its own baseline and history
// on the data branch, its own sticky PR comment and its own verdict, so a workflow reports both and
// fails on either (or on one only, with continue-on-error on the other step). A baseline of
// another clock is never compared. The head comes from results files (no valgrind needed here; the
// instruction-count clock's own measuring is tested in test/valgrind.test.ts and
// test/instructions-action.test.ts).
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineKey, clockScope, COMMENT_MARKER, commentMarker } from '../src/constants.ts';
import { reportArtifactName } from '../src/github/fork.ts';
import { DEFAULTS } from '../src/options.ts';
import { decide } from '../src/pipeline.ts';
import type { Results } from '../src/schema/results.ts';
import { stringifyResults } from '../src/store/json.ts';
import { makeProject, ROOT, runAction } from './helpers/action.ts';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.ts';
import { weeklyRun, type SeriesSpec } from './helpers/weekly.ts';

const run = promisify(execFile);
const PUSH_EVENT = path.join(ROOT, 'test/fixtures/events/push.json');
const PR_EVENT = path.join(ROOT, 'test/fixtures/events/pull_request.json');
const OWNER = 'octo-org';
const REPO = 'perfgate-demo';
const WALL_MARKER = '<!-- perfgate:gate -->';
const COUNT_MARKER = '<!-- perfgate:gate:instructions -->';
const SPECS: SeriesSpec[] = [
  { id: 'work/sort', level: () => 20_000 },
  { id: 'work/sum', level: () => 60_000 },
];

let remote: string;
let project: string;
let artifacts: string;
let server: GitHubServer;

/** A results file in the project: the wall clock's (ns), or instruction counts, `scale` × the level. */
function resultsFile(name: string, clock: 'wall' | 'instructions', scale = 1): string {
  const r = weeklyRun(40, SPECS.map((s) => ({ ...s, level: () => s.level(0) * scale, unit: clock === 'instructions' ? 'instructions' : 'ns' })), 3);
  writeFileSync(path.join(project, name), stringifyResults({ ...r, clock }));
  return name;
}

async function tree(): Promise<string[]> {
  const { stdout } = await run('git', ['--git-dir', remote, 'ls-tree', '-r', '--name-only', 'perfgate-data']);
  return stdout.trim().split('\n').filter(Boolean);
}

const show = async (file: string) => (await run('git', ['--git-dir', remote, 'show', `perfgate-data:${file}`])).stdout;

const action = (o: { inputs: Record<string, string>; eventName: string; event: string; env?: Record<string, string> }) =>
  runAction({
    inputs: { baseline: 'branch', build: 'none', 'github-token': 'test-token', comment: 'always', ...o.inputs },
    eventName: o.eventName,
    event: o.event,
    workspace: project,
    apiUrl: server.url,
    env: { PERFGATE_ARTIFACT_DIR: artifacts, ...o.env },
  });

const comments = (marker: string) => server.comments(OWNER, REPO, 42).filter((c) => c.body.includes(marker));

beforeAll(async () => {
  remote = mkdtempSync(path.join(os.tmpdir(), 'perfgate-clocks-remote-'));
  artifacts = mkdtempSync(path.join(os.tmpdir(), 'perfgate-clocks-artifacts-'));
  execFileSync('git', ['init', '-q', '--bare', remote]);
  project = makeProject('clocks');
  const git = (args: string[]) => run('git', args, { cwd: project });
  await git(['init', '-q', '-b', 'main']);
  await git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'init']);
  await git(['remote', 'add', 'origin', remote]);
  server = await startGitHubServer();
}, 60_000);

afterAll(async () => {
  rmSync(remote, { recursive: true, force: true });
  rmSync(artifacts, { recursive: true, force: true });
  await server?.stop();
});

describe('names scoped by clock (src/constants.ts)', () => {
  it('keeps the wall clock’s names as they were and gives every other clock its own', () => {
    for (const wall of ['auto', 'wall'] as const) {
      expect(clockScope(wall)).toBeUndefined();
      expect(commentMarker(wall)).toBe(COMMENT_MARKER);
      expect(baselineKey('main', wall)).toBe('main');
    }
    expect(commentMarker('instructions')).toBe(COUNT_MARKER);
    expect(commentMarker('cpu')).toBe('<!-- perfgate:gate:cpu -->');
    // The wall marker is not found inside another clock's comment (the sticky lookup is by substring).
    expect(COUNT_MARKER.includes(WALL_MARKER)).toBe(false);
    expect(baselineKey('main', 'instructions')).toBe('main:instructions');
    expect(baselineKey('feature/x', 'cpu')).toBe('feature/x:cpu');
    expect(reportArtifactName(clockScope('wall'))).toBe('perfgate-report');
    expect(reportArtifactName(clockScope('instructions'))).toBe('perfgate-report-instructions');
  });
});

describe('a baseline of another clock (src/pipeline.ts decide)', () => {
  const head = (clock: 'wall' | 'instructions'): Results => ({ ...weeklyRun(1, SPECS, 5), clock });

  it('is not compared: every row says there is no baseline, and the notice names both clocks and the fix', () => {
    const c = decide(DEFAULTS, head('instructions'), { results: head('wall'), source: 'baselines/ (file)' });
    expect(c.benchmarks.map((b) => b.verdict)).toEqual(['new', 'new']);
    expect(c.base).toBeFalsy();
    expect(c.notices.join('\n')).toContain(
      'The baseline (baselines/ (file)) was measured with clock wall, this run with clock instructions: they do not compare, so nothing was compared. Save a baseline measured with clock instructions',
    );
    expect(c.gate.failed).toBe(false);
    // fail-on-missing-baseline applies to it as to any missing baseline.
    expect(decide({ ...DEFAULTS, failOnMissingBaseline: true }, head('instructions'), { results: head('wall'), source: 'x' }).gate.failed).toBe(true);
  });

  it('of the same clock is compared as before', () => {
    const c = decide(DEFAULTS, head('wall'), { results: head('wall'), source: 'baselines/ (file)' });
    expect(c.benchmarks.every((b) => b.verdict !== 'new')).toBe(true);
    expect(c.notices.join('\n')).not.toContain('was measured with clock');
  });
});

describe('one step per clock in a job (dist/index.js)', () => {
  it('pushes: each clock saves its own baseline and history on the data branch', async () => {
    const wall = await action({ inputs: { 'results-file': resultsFile('push-wall.json', 'wall') }, eventName: 'push', event: PUSH_EVENT });
    expect(wall.code, wall.stdout + wall.stderr).toBe(0);
    expect(wall.stdout).toMatch(/baseline saved: perfgate-data:baselines\/main\.json/);
    const counts = await action({
      inputs: { clock: 'instructions', 'results-file': resultsFile('push-counts.json', 'instructions') },
      eventName: 'push',
      event: PUSH_EVENT,
      env: { GITHUB_RUN_ID: '1001' },
    });
    expect(counts.code, counts.stdout + counts.stderr).toBe(0);
    // The first counted push found no baseline of its clock: the wall one beside it was not used.
    expect(counts.summary).toContain('no baseline yet for branch main:instructions on perfgate-data (no baselines/main%3Ainstructions.json)');
    expect(counts.summary).toMatch(/^2 new\s*$/m);
    expect(counts.stdout).toMatch(/baseline saved: perfgate-data:baselines\/main%3Ainstructions\.json/);
    const files = await tree();
    expect(files).toContain('baselines/main.json');
    expect(files).toContain('baselines/main%3Ainstructions.json');
    expect(files.filter((f) => f.startsWith('history/main/'))).toHaveLength(1);
    expect(files.filter((f) => f.startsWith('history/main%3Ainstructions/'))).toHaveLength(1);
    expect(JSON.parse(await show('baselines/main.json')).clock).toBe('wall');
    expect(JSON.parse(await show('baselines/main%3Ainstructions.json')).clock).toBe('instructions');
  });

  it('a pull request: two comments, each clock compared with its own baseline, and each step its own verdict', async () => {
    // Wall time 2.5x slower; instruction counts as on main.
    const wall = await action({ inputs: { 'results-file': resultsFile('pr-wall.json', 'wall', 2.5) }, eventName: 'pull_request', event: PR_EVENT });
    expect(wall.code, wall.stdout + wall.stderr).toBe(1);
    expect(wall.outputs.verdict).toBe('fail');
    const counts = await action({
      inputs: { clock: 'instructions', 'results-file': resultsFile('pr-counts.json', 'instructions') },
      eventName: 'pull_request',
      event: PR_EVENT,
      env: { GITHUB_RUN_ID: '1002' },
    });
    expect(counts.code, counts.stdout + counts.stderr).toBe(0);
    expect(counts.outputs.verdict).toMatch(/^(pass|warn)$/);
    expect(counts.outputs.regressions).toBe('0');
    const w = comments(WALL_MARKER);
    const c = comments(COUNT_MARKER);
    expect(w).toHaveLength(1);
    expect(c).toHaveLength(1);
    expect(w[0].id).not.toBe(c[0].id);
    expect(w[0].body).toMatch(/gate failed: 2 critical regressions/);
    expect(w[0].body).toContain('baselines/main.json');
    expect(c[0].body).not.toMatch(/gate failed/);
    expect(c[0].body).toContain('baselines/main%3Ainstructions.json');

    // The wall step again, now without the slowdown: it updates its own comment and leaves the other.
    server.clearRequests();
    const again = await action({ inputs: { 'results-file': resultsFile('pr-wall-2.json', 'wall') }, eventName: 'pull_request', event: PR_EVENT, env: { GITHUB_RUN_ID: '1003' } });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(server.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([expect.stringContaining(`/comments/${w[0].id}`)]);
    expect(comments(WALL_MARKER)[0].body).not.toMatch(/gate failed/);
    expect(comments(COUNT_MARKER)[0].body).toBe(c[0].body);
  });

  it('a baseline folder of the wall clock is not compared with a counted run', async () => {
    const dir = path.join(project, 'wall-baselines');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'work.json'), stringifyResults({ ...weeklyRun(40, SPECS, 3), clock: 'wall' }));
    const r = await action({
      inputs: { clock: 'instructions', baseline: 'file', 'baseline-dir': 'wall-baselines', comment: 'never', 'results-file': resultsFile('pr-counts-2.json', 'instructions', 3) },
      eventName: 'pull_request',
      event: PR_EVENT,
      env: { GITHUB_RUN_ID: '1004' },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.summary).toContain('was measured with clock wall, this run with clock instructions: they do not compare, so nothing was compared');
    expect(r.outputs.regressions).toBe('0');
  });
});
