// readEventContext on the captured event payloads in test/fixtures/events.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventContext } from '../src/github/context.ts';
import { hasReadOnlyToken } from '../src/github/fork.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'events');
const readFile = (p: string) => readFileSync(p, 'utf8');
const BASE_SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const HEAD_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const FORK_SHA = '3484a3fb816e0859fd6e1cea078d76385ff50625';
const MERGE_SHA = 'c6b8e5a8d7a1c1f4e9b07b3d1c8f2a9e4d5b6c7a';

function env(eventName: string, file: string, extra: Record<string, string> = {}) {
  return {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: join(FIXTURES, file),
    GITHUB_REPOSITORY: 'octo-org/perfgate-demo',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '9493107777',
    ...extra,
  };
}

describe('readEventContext', () => {
  it('pull_request from a branch of the same repository', () => {
    const ctx = readEventContext(env('pull_request', 'pull_request.json', { GITHUB_REF: 'refs/pull/42/merge', GITHUB_SHA: MERGE_SHA }), readFile);
    expect(ctx).toEqual({
      eventName: 'pull_request',
      owner: 'octo-org',
      repo: 'perfgate-demo',
      prNumber: 42,
      baseRef: 'main',
      baseSha: BASE_SHA,
      headRef: 'faster-cache',
      headSha: HEAD_SHA,
      sha: MERGE_SHA,
      ref: 'refs/pull/42/merge',
      isFork: false,
      defaultBranch: 'main',
      isDefaultBranch: false,
      apiUrl: 'https://api.github.com',
      serverUrl: 'https://github.com',
      runId: 9493107777,
      runUrl: 'https://github.com/octo-org/perfgate-demo/actions/runs/9493107777',
    });
    expect(hasReadOnlyToken(ctx)).toBe(false);
  });

  it('pull_request from a fork: isFork, read-only token', () => {
    const ctx = readEventContext(env('pull_request', 'pull_request.fork.json', { GITHUB_REF: 'refs/pull/43/merge', GITHUB_SHA: MERGE_SHA }), readFile);
    expect(ctx).toMatchObject({ prNumber: 43, isFork: true, headRef: 'patch-1', headSha: FORK_SHA, baseRef: 'main' });
    expect(hasReadOnlyToken(ctx)).toBe(true);
    // pull_request_target runs in the base repository with a write token.
    const target = readEventContext(env('pull_request_target', 'pull_request.fork.json', { GITHUB_REF: 'refs/heads/main' }), readFile);
    expect(target.isFork).toBe(true);
    expect(hasReadOnlyToken(target)).toBe(false);
  });

  it('a PR whose fork was deleted (head.repo null) counts as a fork', () => {
    const payload = JSON.parse(readFile(join(FIXTURES, 'pull_request.fork.json')));
    payload.pull_request.head.repo = null;
    const ctx = readEventContext(env('pull_request', 'x.json'), () => JSON.stringify(payload));
    expect(ctx.isFork).toBe(true);
  });

  it('push to the default branch, and to another branch', () => {
    const main = readEventContext(env('push', 'push.json', { GITHUB_REF: 'refs/heads/main', GITHUB_SHA: HEAD_SHA, GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }), readFile);
    expect(main).toMatchObject({ eventName: 'push', headRef: 'main', headSha: HEAD_SHA, isDefaultBranch: true, defaultBranch: 'main', isFork: false, apiUrl: 'https://ghe.example.com/api/v3' });
    expect(main.prNumber).toBeUndefined();
    const other = readEventContext(env('push', 'push.json', { GITHUB_REF: 'refs/heads/release-1', GITHUB_SHA: HEAD_SHA }), readFile);
    expect(other).toMatchObject({ headRef: 'release-1', isDefaultBranch: false });
    const tag = readEventContext(env('push', 'push.json', { GITHUB_REF: 'refs/tags/v1.0.0', GITHUB_SHA: HEAD_SHA }), readFile);
    expect(tag).toMatchObject({ headRef: undefined, isDefaultBranch: false });
  });

  it('workflow_run for a fork PR (no pull_requests) and for a same-repository PR', () => {
    const fork = readEventContext(env('workflow_run', 'workflow_run.fork.json', { GITHUB_REF: 'refs/heads/main' }), readFile);
    expect(fork.workflowRun).toEqual({
      id: 9493107001,
      prNumbers: [],
      headSha: FORK_SHA,
      headBranch: 'patch-1',
      conclusion: 'failure',
      event: 'pull_request',
      headRepository: 'contributor/perfgate-demo',
    });
    expect(fork.prNumber).toBeUndefined();
    expect(fork.isDefaultBranch).toBe(false);
    const same = readEventContext(env('workflow_run', 'workflow_run.json'), readFile);
    expect(same.workflowRun).toMatchObject({ id: 9493106999, prNumbers: [42], headSha: HEAD_SHA, conclusion: 'success' });
  });

  it('schedule: no repository in the payload, always the default branch', () => {
    const ctx = readEventContext(env('schedule', 'schedule.json', { GITHUB_REF: 'refs/heads/main', GITHUB_SHA: HEAD_SHA }), readFile);
    expect(ctx).toMatchObject({ owner: 'octo-org', repo: 'perfgate-demo', isDefaultBranch: true, headRef: 'main', defaultBranch: undefined });
  });

  it('workflow_dispatch on the default branch may save', () => {
    const payload = { ref: 'refs/heads/main', inputs: {}, repository: { full_name: 'octo-org/perfgate-demo', default_branch: 'main' } };
    const ctx = readEventContext({ ...env('workflow_dispatch', 'd.json', { GITHUB_REF: 'refs/heads/main' }), GITHUB_REPOSITORY: undefined }, () => JSON.stringify(payload));
    expect(ctx).toMatchObject({ owner: 'octo-org', repo: 'perfgate-demo', isDefaultBranch: true });
  });

  it('missing or malformed event files get an error naming GITHUB_EVENT_PATH and the file', () => {
    const missing = join(FIXTURES, 'does-not-exist.json');
    expect(() => readEventContext(env('push', 'does-not-exist.json'), readFile)).toThrow(
      new RegExp(`GITHUB_EVENT_PATH points at ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, which cannot be read`),
    );
    expect(() => readEventContext(env('push', 'README.md'), readFile)).toThrow(/GITHUB_EVENT_PATH file .*README\.md is not valid JSON/);
    expect(() => readEventContext(env('push', 'a.json'), () => '[1]')).toThrow(/GITHUB_EVENT_PATH file .*a\.json holds an array; expected a JSON object/);
    expect(() => readEventContext({ ...env('push', 'a.json'), GITHUB_EVENT_PATH: undefined }, readFile)).toThrow(/GITHUB_EVENT_PATH is not set/);
    expect(() => readEventContext(env('pull_request', 'push.json'), readFile)).toThrow(/has no pull_request object, but GITHUB_EVENT_NAME is pull_request/);
    expect(() => readEventContext(env('push', 'push.json', { GITHUB_REPOSITORY: 'no-slash' }), readFile)).toThrow(/GITHUB_REPOSITORY is "no-slash"; expected "owner\/name"/);
    expect(() => readEventContext({ ...env('push', 'push.json'), GITHUB_EVENT_NAME: undefined }, readFile)).toThrow(/GITHUB_EVENT_NAME is not set/);
  });
});
