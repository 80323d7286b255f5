// The fork-safe report path through @actions/artifact's real protocol: the gate (a fork's pull
// request, read-only token) uploads the report artifact to a local artifact service (Twirp +
// Azurite, test/helpers/artifact-service.ts); the companion run (mode: comment, on workflow_run)
// finds it by the gate's run id over the REST API, downloads it from the blob store, checks its
// digest and contents, and posts the comment to a local GitHub API. A missing artifact and a
// tampered one are refused.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../src/constants.ts';
import { startArtifactService, type ArtifactService } from './helpers/artifact-service.ts';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.ts';

const OWNER = 'octo';
const REPO = 'demo';
const HEAD = '3484a3fb816e0859fd6e1cea078d76385ff50625';
const GATE_RUN = 7001;
const logs: string[] = [];
const log = { info: (m: string) => logs.push(m), warning: (m: string) => logs.push(`warning: ${m}`) };

// @actions/github reads GITHUB_API_URL once, when it is first imported: the modules that use it
// are imported after the local service has its address (beforeAll).
type Artifact = typeof import('../src/github/artifact.ts');
type Fork = typeof import('../src/github/fork.ts');
let downloadArtifact: Artifact['downloadArtifact'];
let uploadArtifact: Artifact['uploadArtifact'];
let postFromArtifact: Fork['postFromArtifact'];
let writeReportArtifactFiles: Fork['writeReportArtifactFiles'];
let createOctokit: typeof import('../src/github/client.ts')['createOctokit'];
const REPORT_ARTIFACT_NAME = 'perfgate-report';

let service: ArtifactService;
let github: GitHubServer;
const saved = { ...process.env };

/** @actions/artifact reads the runner's variables from process.env: set them for one job. */
function asJob(env: Record<string, string>): NodeJS.ProcessEnv {
  for (const k of ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL', 'GITHUB_SERVER_URL', 'GITHUB_API_URL']) delete process.env[k];
  Object.assign(process.env, env);
  return process.env;
}

/** The gate of a fork's PR #43: writes the report files and uploads them as the report artifact. */
async function gateUploads(runId: number, report: { prNumber?: number; meta?: object; markdown?: string } = {}) {
  const env = asJob(service.envFor(runId));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-report-'));
  writeReportArtifactFiles(dir, {
    prNumber: report.prNumber ?? 43,
    markdown: report.markdown ?? `${COMMENT_MARKER}\n### perfgate: gate failed: 2 critical regressions\n`,
    comparisonJson: { schema: 'perfgate/comparison@1' },
    headSha: HEAD,
  });
  return uploadArtifact({ name: REPORT_ARTIFACT_NAME, rootDir: dir, env, log });
}

/** The companion run: downloads the gate run's artifact and posts it. */
async function companionPosts(gateRunId: number) {
  const env = asJob(service.envFor(gateRunId + 1));
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'perfgate-companion-')), 'perfgate-report');
  await downloadArtifact({ name: REPORT_ARTIFACT_NAME, destination: dir, env, log, findBy: { token: 'base-token', runId: gateRunId, owner: OWNER, repo: REPO } });
  const octokit = createOctokit('base-token', github.url);
  return { dir, outcome: await postFromArtifact({ octokit, owner: OWNER, repo: REPO, reportDir: dir, marker: COMMENT_MARKER, log, workflowRun: { id: gateRunId, prNumbers: [], headSha: HEAD, conclusion: 'failure', event: 'pull_request' } }) };
}

beforeAll(async () => {
  service = await startArtifactService();
  process.env.GITHUB_API_URL = service.url;
  ({ downloadArtifact, uploadArtifact } = await import('../src/github/artifact.ts'));
  ({ postFromArtifact, writeReportArtifactFiles } = await import('../src/github/fork.ts'));
  ({ createOctokit } = await import('../src/github/client.ts'));
  github = await startGitHubServer();
  github.setPull(OWNER, REPO, 43, { headSha: HEAD, headRepo: 'contributor/demo' });
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await github?.stop();
  await service?.stop();
});

describe('the report artifact through the real artifact protocol', () => {
  it('round trip: the gate uploads, the companion finds it by run id, verifies its digest and posts the comment', async () => {
    const up = await gateUploads(GATE_RUN);
    expect(up.kind).toBe('actions');
    const [stored] = service.artifacts();
    expect(stored).toMatchObject({ id: up.id, runId: GATE_RUN, name: 'perfgate-report', finalized: true });
    expect(stored.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await service.readBlob(stored.id)).subarray(0, 2).toString('latin1')).toBe('PK'); // a zip in the blob store
    expect(service.requests.map((r) => r.method)).toEqual(['CreateArtifact', 'FinalizeArtifact']);

    const { dir, outcome } = await companionPosts(GATE_RUN);
    expect(readFileSync(path.join(dir, 'pr-number.txt'), 'utf8').trim()).toBe('43');
    expect(service.requests.map((r) => `${r.method} ${r.status}`).slice(2)).toEqual([
      `GET /repos/${OWNER}/${REPO}/actions/runs/${GATE_RUN}/artifacts 200`,
      `GET /repos/${OWNER}/${REPO}/actions/artifacts/${up.id}/zip 302`,
    ]);
    expect(logs.join('\n')).toMatch(/Downloaded artifact perfgate-report \(id \d+, sha256:[0-9a-f]{12}… verified\)/);
    expect(outcome.action).toBe('created');
    const posted = github.comments(OWNER, REPO, 43).filter((c) => c.body.includes(COMMENT_MARKER));
    expect(posted).toHaveLength(1);
    expect(posted[0].body).toMatch(/gate failed: 2 critical regressions/);
  });

  it('a missing artifact: the companion finds none for the run and says so', async () => {
    await expect(companionPosts(GATE_RUN + 100)).rejects.toThrow(/Artifact not found for name: perfgate-report/);
    expect(service.requests.at(-1)).toMatchObject({ method: `GET /repos/${OWNER}/${REPO}/actions/runs/${GATE_RUN + 100}/artifacts`, status: 200 });
  });

  it('a tampered artifact: bytes changed in storage after the upload fail the digest check; nothing is posted', async () => {
    const run = GATE_RUN + 200;
    const good = await gateUploads(run);
    // Another run's valid report zip, for PR #43 but with other text, put in place of this one's blob.
    const other = await gateUploads(run + 50, { markdown: `${COMMENT_MARKER}\n### perfgate: all clear (forged)\n` });
    await service.replaceBlob(good.id!, await service.readBlob(other.id!));
    const before = github.comments(OWNER, REPO, 43).length;
    await expect(companionPosts(run)).rejects.toThrow(
      new RegExp(`Artifact perfgate-report \\(id ${good.id}\\) does not match the digest recorded at upload \\(sha256:[0-9a-f]{64}\\): it was changed after the upload; not using it\\.`),
    );
    expect(github.comments(OWNER, REPO, 43)).toHaveLength(before);
  });

  it('a tampered artifact: a report whose files disagree about the pull request is refused', async () => {
    const run = GATE_RUN + 300;
    // What a fork's code could upload: pr-number.txt and meta.json naming different PRs.
    const env = asJob(service.envFor(run));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-report-'));
    writeReportArtifactFiles(dir, { prNumber: 43, markdown: `${COMMENT_MARKER}\nforged\n`, comparisonJson: {}, headSha: HEAD });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ schema: 'perfgate/report-artifact@1', prNumber: 44, headSha: HEAD }));
    await uploadArtifact({ name: REPORT_ARTIFACT_NAME, rootDir: dir, env, log });
    const before = github.comments(OWNER, REPO, 43).length;
    await expect(companionPosts(run)).rejects.toThrow(/Report artifact: meta\.json says PR "44" but pr-number\.txt says 43\./);
    expect(github.comments(OWNER, REPO, 43)).toHaveLength(before);
  });
});
