// The bundled Action, run as the runner runs it, against a real local GitHub API server.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, ROOT, runAction, type ActionRunOptions } from './helpers/action.ts';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.ts';

const PR_EVENT = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/events/pull_request.json'), 'utf8')) as { number: number };
const OWNER = 'octo-org';
const REPO = 'perfgate-demo';
const MARKER = '<!-- perfgate:gate -->';
/** Small and quick: the slowdowns injected below are large, so few samples decide them. */
const MEASURE = { rounds: '5', 'task-time': '60', build: 'none', baseline: 'file' };
const SLOW = { PERFGATE_INJECT: JSON.stringify({ '*': 3 }) };

let server: GitHubServer;
let project: string;

beforeAll(() => {
  project = makeProject('action');
  // The committed baseline of the project, saved by the CLI the way a maintainer would.
  execFileSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'baseline', 'save', '--rounds', '5', '--task-time', '60', '--quiet'], {
    cwd: project,
    env: { ...process.env, PERFGATE_QUIET_NATIVE: '1' },
    stdio: 'pipe',
  });
}, 120_000);

async function gate(inputs: Record<string, string>, extra: Partial<ActionRunOptions> = {}) {
  return runAction({
    inputs: { 'github-token': 'test-token', ...MEASURE, ...inputs },
    eventName: 'pull_request',
    event: PR_EVENT,
    workspace: project,
    apiUrl: server.url,
    ...extra,
  });
}

const ours = () => server.comments(OWNER, REPO, PR_EVENT.number).filter((c) => c.body.includes(MARKER));

describe('the Action on a pull request (dist/index.js)', () => {
  beforeAll(async () => {
    server = await startGitHubServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('creates one comment on a regression, fails the check, and sets outputs, summary and annotations', async () => {
    const run = await gate({}, { env: SLOW });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/::error::perfgate: .*(major|critical)/);
    expect(run.outputs.verdict).toBe('fail');
    expect(run.outputs.grade).toMatch(/^[DF]$/);
    expect(Number(run.outputs.regressions)).toBe(2);
    expect(run.outputs.improvements).toBe('0');
    for (const key of ['report-markdown', 'results-json', 'comparison-json']) expect(existsSync(run.outputs[key]), key).toBe(true);
    const comparison = JSON.parse(readFileSync(run.outputs['comparison-json'], 'utf8'));
    expect(comparison.schema).toBe('perfgate/comparison@1');
    expect(comparison.benchmarks.map((b: { verdict: string }) => b.verdict).sort()).toEqual(['critical', 'critical']);
    // Job summary: the same report, without the marker.
    expect(run.summary).toContain('perfgate: grade');
    expect(run.summary).not.toContain(MARKER);
    // Annotations: one error per critical regression.
    const errors = run.commands.filter((c) => c.command === 'error').map((c) => c.message);
    for (const id of ['work/sort', 'work/sum']) expect(errors.some((m) => m.includes(id) && m.includes('critical')), id).toBe(true);
    // Exactly one comment, created with the marker; the benchmark name is escaped, not HTML.
    const list = ours();
    expect(list).toHaveLength(1);
    expect(run.outputs['comment-id']).toBe(String(list[0].id));
    expect(list[0].body).toMatch(/gate failed: 2 critical regressions/);
    expect(list[0].body).toContain('🛑 critical');
    expect(list[0].body).not.toContain('<b>loop</b>');
    expect(list[0].body).toContain('&lt;b&gt;loop&lt;/b&gt;');
  });

  it('updates the same comment on the next run, and turns it green when the regression is gone', async () => {
    server.clearRequests();
    const run = await gate({});
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.verdict).toMatch(/^(pass|warn)$/);
    const list = ours();
    expect(list).toHaveLength(1);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(server.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(list[0].body).toMatch(/no regressions/);
    expect(list[0].body).not.toMatch(/🛑 critical|gate failed/);
    expect(run.outputs['comment-id']).toBe(String(list[0].id));
  });

  it('follows fail-on: never reports the regression but passes the check', async () => {
    const run = await gate({ 'fail-on': 'never', comment: 'never' }, { env: SLOW });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.verdict).toBe('warn');
    expect(Number(run.outputs.regressions)).toBe(2);
  });

  it('warns on a 500 from the comments endpoint and still decides', async () => {
    server.failNext('*', /\/issues\/\d+\/comments$/, 500, 50);
    const run = await gate({}, { env: SLOW });
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    expect(run.commands.some((c) => c.command === 'warning' && /comment was not posted/.test(c.message) && /500/.test(c.message))).toBe(true);
    expect(run.stdout).toMatch(/::error::perfgate: .*critical/);
    server.failNext('*', /\/issues\/\d+\/comments$/, 500, 0);
  });
});

describe('the sticky comment among many (dist/index.js)', () => {
  it('finds our comment on page 2 of a PR with 150 comments', async () => {
    server = await startGitHubServer();
    try {
      const seeded = Array.from({ length: 150 }, (_, i) =>
        i === 139
          ? { login: 'github-actions[bot]', type: 'Bot' as const, body: `${MARKER}\nold report` }
          : i === 20
            ? { login: 'mallory', body: `${MARKER}\nnot ours` }
            : { login: `user${i % 5}`, body: `comment ${i}` },
      );
      const created = server.seedComments(OWNER, REPO, PR_EVENT.number, seeded);
      const run = await gate({});
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const pages = server.requests.filter((r) => r.method === 'GET' && /\/comments$/.test(r.path)).map((r) => r.query.page ?? '1');
      expect(pages).toEqual(expect.arrayContaining(['1', '2']));
      expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
      expect(run.outputs['comment-id']).toBe(String(created[139].id));
      expect(server.comments(OWNER, REPO, PR_EVENT.number)[20].body).toContain('not ours');
    } finally {
      await server.stop();
    }
  });
});

describe('bad inputs (dist/index.js)', () => {
  const bad: Array<[string, string, RegExp]> = [
    ['fail-on', 'sometimes', /input "fail-on" is "sometimes"; allowed: major, minor, never/],
    ['minor-threshold', 'abc', /input "minor-threshold" is "abc"; expected a percentage/],
    ['major-threshold', '-3', /input "major-threshold" is "-3"/],
    ['critical-threshold', 'ten', /input "critical-threshold" is "ten"/],
    ['noise-floor', 'lots', /input "noise-floor" is "lots"/],
    ['baseline', 'yesterday', /input "baseline" is "yesterday"; allowed: auto, same-runner, cache, branch, file/],
    ['comment', 'loud', /input "comment" is "loud"; allowed: auto, always, on-regression, never/],
    ['clock', 'sundial', /input "clock" is "sundial"; allowed: auto, wall, cpu, instructions/],
    ['rounds', '2.5', /input "rounds" is "2.5"; expected a whole number/],
    ['time-budget', '0', /input "time-budget" is "0"/],
    ['suite-timeout', 'forever', /input "suite-timeout" is "forever"/],
    ['task-time', 'x', /input "task-time" is "x"/],
    ['save-baseline', 'maybe', /input "save-baseline" is "maybe"; allowed: auto, true, false, always/],
    ['mode', 'party', /input "mode" is "party"; allowed: gate, comment, weekly, merge/],
    ['fail-on-missing-baseline', 'yes', /input "fail-on-missing-baseline" is "yes"; expected true or false/],
    ['fail-on-cross-machine', '1', /input "fail-on-cross-machine" is "1"; expected true or false/],
    ['alpha', '2', /input "alpha" is "2"/],
  ];

  it.each(bad)('%s: %s fails with a message naming the input, the value and the allowed ones', async (name, value, message) => {
    const run = await runAction({ inputs: { [name]: value, build: 'none' }, eventName: 'push', event: { ref: 'refs/heads/main' }, workspace: project });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(message);
    expect(run.outputs.verdict).toBe('error');
  });

  it('an unknown input is named', async () => {
    const run = await runAction({ inputs: { 'minor-treshold': '5', build: 'none' }, eventName: 'push', event: { ref: 'refs/heads/main' }, workspace: project });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Unknown input "minor-treshold"/);
  });
});

describe('a pull request from a fork (dist/index.js)', () => {
  it('decides without commenting, uploads the report, and the workflow_run companion posts it', async () => {
    const { mkdtempSync } = await import('node:fs');
    const os = await import('node:os');
    const artifacts = mkdtempSync(path.join(os.tmpdir(), 'perfgate-artifacts-'));
    server = await startGitHubServer({ tokens: { 'fork-token': { login: 'github-actions[bot]', type: 'Bot', readOnly: true } } });
    try {
      const forkEvent = path.join(ROOT, 'test/fixtures/events/pull_request.fork.json');
      const gateRun = await runAction({
        inputs: { 'github-token': 'fork-token', ...MEASURE },
        eventName: 'pull_request',
        event: forkEvent,
        workspace: project,
        apiUrl: server.url,
        env: { ...SLOW, PERFGATE_ARTIFACT_DIR: artifacts },
      });
      // The gate still decides: a 3x slowdown fails the check.
      expect(gateRun.code, gateRun.stdout + gateRun.stderr).toBe(1);
      expect(gateRun.outputs.verdict).toBe('fail');
      expect(gateRun.stdout).toMatch(/read-only/);
      expect(server.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH')).toHaveLength(0);
      expect(existsSync(path.join(artifacts, 'perfgate-report', 'report.md'))).toBe(true);
      expect(readFileSync(path.join(artifacts, 'perfgate-report', 'pr-number.txt'), 'utf8').trim()).toBe('43');

      // The companion workflow: on workflow_run, mode comment, a write token; runs no PR code.
      server.setPull(OWNER, REPO, 43, { headSha: '3484a3fb816e0859fd6e1cea078d76385ff50625', headRepo: 'contributor/perfgate-demo' });
      const commentRun = await runAction({
        inputs: { 'github-token': 'base-token', mode: 'comment' },
        eventName: 'workflow_run',
        event: path.join(ROOT, 'test/fixtures/events/workflow_run.fork.json'),
        workspace: mkdtempSync(path.join(os.tmpdir(), 'perfgate-empty-')),
        apiUrl: server.url,
        env: { PERFGATE_ARTIFACT_DIR: artifacts },
      });
      expect(commentRun.code, commentRun.stdout + commentRun.stderr).toBe(0);
      const posted = server.comments(OWNER, REPO, 43).filter((c) => c.body.includes(MARKER));
      expect(posted).toHaveLength(1);
      expect(posted[0].body).toMatch(/gate failed: 2 critical regressions/);
      expect(commentRun.outputs['comment-id']).toBe(String(posted[0].id));
    } finally {
      await server.stop();
    }
  });
});
