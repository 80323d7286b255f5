// The sticky comment, retries, fork handling and the report artifact, against a real local HTTP
// server speaking GitHub's REST API, through a real Octokit from @actions/github.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadArtifact, uploadArtifact } from '../src/github/artifact.ts';
import { createOctokit, type Octokit } from '../src/github/client.ts';
import { MAX_COMMENT_CHARS, findStickyComment, upsertStickyComment } from '../src/github/comment.ts';
import { readEventContext } from '../src/github/context.ts';
import { ARTIFACT_FILES, READ_ONLY_HELP, postFromArtifact, postGateComment, writeReportArtifactFiles } from '../src/github/fork.ts';
import { GitHubApiError, type RetryOptions } from '../src/github/retry.ts';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.ts';

const OWNER = 'octo-org';
const REPO = 'perfgate-demo';
const MARKER = '<!-- perfgate:gate -->';
const FORK_SHA = '3484a3fb816e0859fd6e1cea078d76385ff50625';
const FIXTURES = join(import.meta.dirname, 'fixtures', 'events');

function recorder() {
  const lines: { level: 'info' | 'warning'; msg: string }[] = [];
  return {
    lines,
    info: (msg: string) => void lines.push({ level: 'info', msg }),
    warning: (msg: string) => void lines.push({ level: 'warning', msg }),
  };
}

let server: GitHubServer;
let sleeps: number[];
let retry: RetryOptions;
const tmpDirs: string[] = [];

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'perfgate-gh-'));
  tmpDirs.push(d);
  return d;
}

beforeAll(async () => {
  server = await startGitHubServer({
    tokens: {
      'ghp-personal': { login: 'perf-maintainer', type: 'User', canReadUser: true },
      'ghs-fork': { login: 'github-actions[bot]', type: 'Bot', readOnly: true },
      'ghs-app': { login: 'perf-app[bot]', type: 'Bot' },
    },
  });
});
afterAll(async () => {
  await server.stop();
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

let prNumber = 100;
let pr: number;
let octokit: Octokit;
beforeEach(() => {
  // A fresh PR number per test keeps the server's state apart without restarting it.
  pr = ++prNumber;
  sleeps = [];
  retry = { sleep: async (ms) => void sleeps.push(ms) };
  octokit = createOctokit('ghs-actions-token', server.url);
  server.clearRequests();
});
afterEach(() => server.clearRequests());

const target = (extra: Partial<Parameters<typeof upsertStickyComment>[0]> = {}) => ({
  octokit,
  owner: OWNER,
  repo: REPO,
  issueNumber: pr,
  marker: MARKER,
  log: recorder(),
  retry,
  body: `${MARKER}\n## perfgate: grade B\n`,
  ...extra,
});
const commentsPath = () => `/repos/${OWNER}/${REPO}/issues/${pr}/comments`;
const count = (method: string, path: string | RegExp) =>
  server.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path))).length;

describe('sticky comment', () => {
  it('creates exactly one comment on the first run, with the token sent', async () => {
    const res = await upsertStickyComment(target());
    expect(res.action).toBe('created');
    const list = server.comments(OWNER, REPO, pr);
    expect(list).toHaveLength(1);
    expect(list[0].id).toBe(res.id);
    expect(list[0].user.login).toBe('github-actions[bot]');
    expect(res.url).toBe(list[0].html_url);
    expect(count('POST', commentsPath())).toBe(1);
    const post = server.requests.find((r) => r.method === 'POST')!;
    expect(post.authorization).toBe('token ghs-actions-token');
    expect(post.body).toEqual({ body: `${MARKER}\n## perfgate: grade B\n` });
    // GITHUB_TOKEN cannot read /user: asked once, answered 403, fell back to github-actions[bot].
    expect(server.requests.filter((r) => r.path === '/user').map((r) => r.status)).toEqual([403]);
  });

  it('updates the same comment on the second run (no second POST), and leaves an identical body alone', async () => {
    const first = await upsertStickyComment(target());
    const second = await upsertStickyComment(target({ body: `${MARKER}\n## perfgate: grade A, regressions gone\n` }));
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(count('POST', commentsPath())).toBe(1);
    expect(count('PATCH', `/repos/${OWNER}/${REPO}/issues/comments/${first.id}`)).toBe(1);
    const list = server.comments(OWNER, REPO, pr);
    expect(list).toHaveLength(1);
    expect(list[0].body).toContain('regressions gone');

    server.clearRequests();
    const third = await upsertStickyComment(target({ body: `${MARKER}\n## perfgate: grade A, regressions gone\n` }));
    expect(third).toMatchObject({ action: 'unchanged', id: first.id });
    expect(count('PATCH', /comments/)).toBe(0);
    expect(count('POST', /comments/)).toBe(0);
  });

  it('puts the marker in front of a body that lacks it, so the next run finds it', async () => {
    await upsertStickyComment(target({ body: 'no marker here' }));
    expect(server.comments(OWNER, REPO, pr)[0].body).toBe(`${MARKER}\nno marker here`);
    const again = await upsertStickyComment(target({ body: 'no marker here' }));
    expect(again.action).toBe('unchanged');
  });

  it('finds ours at position 140 of 150, past a decoy with the marker written by another user', async () => {
    const seeds = [];
    for (let i = 1; i <= 150; i++) {
      if (i === 10) seeds.push({ login: 'mallory', type: 'User' as const, body: `copied: ${MARKER} fake report` });
      else if (i === 20) seeds.push({ login: 'github-actions[bot]', type: 'Bot' as const, body: 'another bot comment without the marker' });
      else if (i === 140) seeds.push({ login: 'github-actions[bot]', type: 'Bot' as const, body: `${MARKER}\nold report` });
      else seeds.push({ login: `reviewer-${i % 7}`, type: 'User' as const, body: `LGTM ${i}` });
    }
    const seeded = server.seedComments(OWNER, REPO, pr, seeds);
    const ours = seeded[139];
    const decoy = seeded[9];

    const found = await findStickyComment(target());
    expect(found.comment?.id).toBe(ours.id);

    const res = await upsertStickyComment(target({ body: `${MARKER}\nnew report` }));
    expect(res).toMatchObject({ action: 'updated', id: ours.id });
    const pages = server.requests.filter((r) => r.method === 'GET' && r.path === commentsPath()).map((r) => [r.query.per_page, r.query.page]);
    expect(pages).toContainEqual(['100', '1']);
    expect(pages).toContainEqual(['100', '2']);
    expect(count('POST', commentsPath())).toBe(0);
    const after = server.comments(OWNER, REPO, pr);
    expect(after).toHaveLength(150);
    expect(after.find((c) => c.id === decoy.id)!.body).toBe(`copied: ${MARKER} fake report`);
    expect(after.find((c) => c.id === ours.id)!.body).toBe(`${MARKER}\nnew report`);
  });

  it('with a personal token, uses GET /user and only matches that login', async () => {
    server.seedComments(OWNER, REPO, pr, [{ login: 'github-actions[bot]', type: 'Bot', body: `${MARKER}\nby the Actions bot` }]);
    const pat = createOctokit('ghp-personal', server.url);
    const res = await upsertStickyComment(target({ octokit: pat }));
    expect(res.action).toBe('created');
    const list = server.comments(OWNER, REPO, pr);
    expect(list.map((c) => c.user.login)).toEqual(['github-actions[bot]', 'perf-maintainer']);
    expect((await upsertStickyComment(target({ octokit: pat, body: `${MARKER}\nv2` }))).action).toBe('updated');
    expect(server.comments(OWNER, REPO, pr)[0].body).toBe(`${MARKER}\nby the Actions bot`);
  });

  it('with a GitHub App token (GET /user refused), adopts the Bot comment carrying the marker', async () => {
    const [mine] = server.seedComments(OWNER, REPO, pr, [
      { login: 'mallory', type: 'User', body: `${MARKER}\nhuman copy` },
      { login: 'perf-app[bot]', type: 'Bot', body: `${MARKER}\nold` },
    ]).slice(1);
    const app = createOctokit('ghs-app', server.url);
    const res = await upsertStickyComment(target({ octokit: app, body: `${MARKER}\nnew` }));
    expect(res).toMatchObject({ action: 'updated', id: mine.id });
  });

  it('an adopted Bot comment that is not ours to edit (403) gets our own comment instead, found by login next time', async () => {
    server.seedComments(OWNER, REPO, pr, [{ login: 'other-app[bot]', type: 'Bot', body: `${MARKER}\nold` }]);
    const log = recorder();
    const res = await upsertStickyComment(target({ log }));
    expect(res.action).toBe('created');
    expect(log.lines.some((l) => /not ours to edit/.test(l.msg))).toBe(true);
    const next = await upsertStickyComment(target({ body: `${MARKER}\nv2` }));
    expect(next).toMatchObject({ action: 'updated', id: res.id });
    expect(server.comments(OWNER, REPO, pr).map((c) => c.user.login)).toEqual(['other-app[bot]', 'github-actions[bot]']);
  });

  it('authorLogin overrides the account to match', async () => {
    server.seedComments(OWNER, REPO, pr, [{ login: 'perf-app[bot]', type: 'Bot', body: `${MARKER}\nold` }]);
    const res = await findStickyComment(target({ authorLogin: 'someone-else' }));
    expect(res.comment).toBeUndefined();
    expect(server.requests.some((r) => r.path === '/user')).toBe(false);
  });

  it('rejects a body over 65,536 characters before calling the API', async () => {
    await expect(upsertStickyComment(target({ body: `${MARKER}\n${'x'.repeat(MAX_COMMENT_CHARS)}` }))).rejects.toThrow(
      /65536 characters|at most 65536/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a marker that is not a hidden HTML comment', async () => {
    await expect(findStickyComment(target({ marker: 'perfgate' }))).rejects.toThrow(/not a hidden HTML comment/);
  });
});

describe('retries', () => {
  it('succeeds after two 500s from the comments endpoint, backing off 1 s then 2 s', async () => {
    server.failNext('GET', commentsPath(), 500, 2);
    const log = recorder();
    const res = await upsertStickyComment(target({ log }));
    expect(res.action).toBe('created');
    expect(server.requests.filter((r) => r.method === 'GET' && r.path === commentsPath()).map((r) => r.status)).toEqual([500, 500, 200]);
    expect(sleeps).toEqual([1000, 2000]);
    expect(log.lines.filter((l) => /retrying/.test(l.msg))).toHaveLength(2);
  });

  it('gives up after 3 attempts with a message naming the call and status, saying the gate is unaffected', async () => {
    server.failNext('GET', commentsPath(), 500, 99);
    const err = await upsertStickyComment(target()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect((err as Error).message).toMatch(new RegExp(`GET ${commentsPath()}.* failed with status 500 after 3 attempts`));
    expect((err as Error).message).toMatch(/gate result is unaffected/);
    expect(count('GET', commentsPath())).toBe(3);
    expect(count('POST', commentsPath())).toBe(0);
  });

  it('honours Retry-After on a secondary rate limit (403) and on 429', async () => {
    server.failNext('POST', commentsPath(), 403, 1, { 'retry-after': '3' }, 'You have exceeded a secondary rate limit.');
    server.failNext('POST', commentsPath(), 429, 1, { 'retry-after': '1' });
    const res = await upsertStickyComment(target());
    expect(res.action).toBe('created');
    expect(sleeps).toEqual([3000, 1000]);
    expect(server.comments(OWNER, REPO, pr)).toHaveLength(1);
  });

  it('does not wait longer than the budget: a 60 s Retry-After fails at once', async () => {
    server.failNext('POST', commentsPath(), 429, 1, { 'retry-after': '60' });
    await expect(upsertStickyComment(target())).rejects.toThrow(/asked to wait 60 s, more than the 10 s retry budget.*gate result is unaffected/);
    expect(sleeps).toEqual([]);
  });

  it('waits for x-ratelimit-reset when the primary limit is exhausted and the reset is near', async () => {
    const now = 1_700_000_000_000;
    server.failNext('PATCH', /\/issues\/comments\/\d+$/, 403, 1, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 4) }, 'API rate limit exceeded');
    await upsertStickyComment(target());
    const res = await upsertStickyComment(target({ body: `${MARKER}\nv2`, retry: { ...retry, now: () => now } }));
    expect(res.action).toBe('updated');
    expect(sleeps).toEqual([4000]);
  });

  it('does not retry a 422', async () => {
    server.failNext('POST', commentsPath(), 422, 1, {}, 'Validation Failed');
    await expect(upsertStickyComment(target())).rejects.toThrow(/POST .*comments failed with status 422: Validation Failed/);
    expect(count('POST', commentsPath())).toBe(1);
    expect(sleeps).toEqual([]);
  });
});

describe('read-only tokens (fork pull requests)', () => {
  it('skips without any request when the context says the token is read-only', async () => {
    const log = recorder();
    const res = await postGateComment({ ...target({ log }), readOnly: true });
    expect(res.action).toBe('skipped-read-only');
    expect(server.requests).toHaveLength(0);
    expect(log.lines).toContainEqual({ level: 'info', msg: READ_ONLY_HELP });
    expect(READ_ONLY_HELP).toMatch(/workflow_run/);
  });

  it('turns 403 "Resource not accessible by integration" on create into skipped-read-only', async () => {
    const log = recorder();
    const res = await postGateComment({ ...target({ log, octokit: createOctokit('ghs-fork', server.url) }), readOnly: false });
    expect(res).toMatchObject({ action: 'skipped-read-only' });
    expect(count('POST', commentsPath())).toBe(1); // a 403 of this kind is not retried
    expect(server.comments(OWNER, REPO, pr)).toHaveLength(0);
    expect(log.lines.some((l) => /companion workflow/.test(l.msg))).toBe(true);
  });

  it('still throws other API failures', async () => {
    server.failNext('GET', commentsPath(), 502, 3);
    await expect(postGateComment({ ...target(), readOnly: false })).rejects.toThrow(/502 after 3 attempts/);
  });
});

describe('report artifact and the companion workflow_run mode', () => {
  const forkEnv = (path: string) => ({
    GITHUB_EVENT_NAME: 'workflow_run',
    GITHUB_EVENT_PATH: path,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_SHA: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    GITHUB_REF: 'refs/heads/main',
  });
  const readFile = (p: string) => readFileSync(p, 'utf8');

  function gateWrites(prNum: number, headSha = FORK_SHA): string {
    const dir = tmp();
    const files = writeReportArtifactFiles(dir, {
      prNumber: prNum,
      markdown: `${MARKER}\n## perfgate: grade D\n| benchmark | change |\n`,
      comparisonJson: { schema: 'perfgate/comparison@1' },
      headSha,
    });
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(Object.values(ARTIFACT_FILES).sort());
    return dir;
  }

  it('round-trips: gate writes and uploads (local fallback), companion downloads, validates and posts', async () => {
    const prNum = pr;
    const artifactRoot = tmp();
    const env = { PERFGATE_ARTIFACT_DIR: artifactRoot };
    const log = recorder();
    const up = await uploadArtifact({ name: 'perfgate-report', rootDir: gateWrites(prNum), env, log });
    expect(up).toEqual({ kind: 'local', location: join(artifactRoot, 'perfgate-report') });
    expect(log.lines.some((l) => l.msg.includes(artifactRoot))).toBe(true);

    const dest = tmp();
    const down = await downloadArtifact({ name: 'perfgate-report', destination: dest, env, log });
    expect(down.kind).toBe('local');

    const ctx = readEventContext(forkEnv(join(FIXTURES, 'workflow_run.fork.json')), readFile);
    expect(ctx.workflowRun?.prNumbers).toEqual([]);
    server.setPull(OWNER, REPO, prNum, { headSha: FORK_SHA, headRepo: 'contributor/perfgate-demo' });
    const res = await postFromArtifact({ octokit, owner: OWNER, repo: REPO, reportDir: dest, marker: MARKER, log, workflowRun: ctx.workflowRun, retry });
    expect(res.action).toBe('created');
    expect(server.comments(OWNER, REPO, prNum)[0].body).toContain('grade D');
    expect(count('GET', `/repos/${OWNER}/${REPO}/pulls/${prNum}`)).toBe(1);

    // A second companion run for the same PR updates in place.
    const again = await postFromArtifact({ octokit, owner: OWNER, repo: REPO, reportDir: dest, marker: MARKER, log, workflowRun: ctx.workflowRun, retry });
    expect(again.action).toBe('unchanged');
  });

  it('rejects a bad pr-number.txt', async () => {
    for (const bad of ['0', '-3', 'abc', '42; curl evil', '1e3', '']) {
      const dir = gateWrites(pr);
      writeFileSync(join(dir, 'pr-number.txt'), bad);
      await expect(postFromArtifact({ octokit, owner: OWNER, repo: REPO, reportDir: dir, marker: MARKER, log: recorder(), retry })).rejects.toThrow(
        /pr-number\.txt holds .*expected a positive integer/,
      );
    }
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a PR number that is not the workflow run\'s, a mismatched meta file, and a report without the marker', async () => {
    const ctx = readEventContext(forkEnv(join(FIXTURES, 'workflow_run.json')), readFile);
    expect(ctx.workflowRun?.prNumbers).toEqual([42]);
    const post = (dir: string) =>
      postFromArtifact({ octokit, owner: OWNER, repo: REPO, reportDir: dir, marker: MARKER, log: recorder(), workflowRun: ctx.workflowRun, retry });

    await expect(post(gateWrites(43, ctx.workflowRun!.headSha))).rejects.toThrow(/names PR #43, but the workflow run 9493106999 belongs to PR #42/);

    const metaMismatch = gateWrites(42, ctx.workflowRun!.headSha);
    writeFileSync(join(metaMismatch, 'pr-number.txt'), '41\n');
    await expect(post(metaMismatch)).rejects.toThrow(/meta\.json says PR .*42.* but pr-number\.txt says 41/);

    await expect(post(gateWrites(42, FORK_SHA))).rejects.toThrow(/made for commit 3484a3fb.*refusing to post/);

    const noMarker = gateWrites(42, ctx.workflowRun!.headSha);
    writeFileSync(join(noMarker, 'report.md'), '## looks like a report\n');
    await expect(post(noMarker)).rejects.toThrow(/does not contain the marker/);

    const huge = gateWrites(42, ctx.workflowRun!.headSha);
    writeFileSync(join(huge, 'report.md'), `${MARKER}\n${'y'.repeat(MAX_COMMENT_CHARS)}`);
    await expect(post(huge)).rejects.toThrow(/report\.md is 65559 characters/);

    await expect(post(join(tmp(), 'nope'))).rejects.toThrow(/does not exist: download the gate's "perfgate-report" artifact/);
    expect(server.requests).toHaveLength(0);

    const ok = await post(gateWrites(42, ctx.workflowRun!.headSha));
    expect(ok.action).toBe('created');
    expect(server.comments(OWNER, REPO, 42)).toHaveLength(1);
  });

  it('does not post a fork report when the PR has moved on to another commit', async () => {
    const ctx = readEventContext(forkEnv(join(FIXTURES, 'workflow_run.fork.json')), readFile);
    server.setPull(OWNER, REPO, pr, { headSha: 'b'.repeat(40) });
    const log = recorder();
    const res = await postFromArtifact({ octokit, owner: OWNER, repo: REPO, reportDir: gateWrites(pr), marker: MARKER, log, workflowRun: ctx.workflowRun, retry });
    expect(res.action).toBe('skipped');
    expect(log.lines.some((l) => l.level === 'warning' && /not posting a stale/.test(l.msg))).toBe(true);
    expect(server.comments(OWNER, REPO, pr)).toHaveLength(0);
  });

  it('the local artifact fallback says where a missing artifact was looked for', async () => {
    const env = { PERFGATE_ARTIFACT_DIR: tmp() };
    await expect(downloadArtifact({ name: 'perfgate-report', destination: tmp(), env, log: recorder() })).rejects.toThrow(/not found in .*PERFGATE_ARTIFACT_DIR/);
    await expect(uploadArtifact({ name: '../escape', rootDir: tmp(), env, log: recorder() })).rejects.toThrow(/not allowed/);
  });
});
