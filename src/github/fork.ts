// Pull requests from forks get a read-only token: the gate still measures and decides, writes its
// report into an artifact, and a companion workflow (on: workflow_run, `mode: comment`) running in
// the base repository with a write token posts it. That companion never checks out or runs the
// PR's code: it only reads the artifact's files, validates them and posts the Markdown.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Octokit } from './client.ts';
import { MAX_COMMENT_CHARS, upsertStickyComment, type StickyTarget, type UpsertResult } from './comment.ts';
import type { WorkflowRunInfo } from './context.ts';
import { GitHubApiError, withRetry, type Log, type RetryOptions } from './retry.ts';

/** Default name of the artifact the gate uploads and the companion workflow downloads. */
export const REPORT_ARTIFACT_NAME = 'perfgate-report';

/** The report artifact's name for a run scoped by its clock (src/constants.ts clockScope): `perfgate-report`, `perfgate-report-instructions`. */
export function reportArtifactName(scope: string | undefined): string {
  return scope ? `${REPORT_ARTIFACT_NAME}-${scope}` : REPORT_ARTIFACT_NAME;
}
export const REPORT_ARTIFACT_SCHEMA = 'perfgate/report-artifact@1' as const;
export const ARTIFACT_FILES = {
  prNumber: 'pr-number.txt',
  report: 'report.md',
  comparison: 'comparison.json',
  meta: 'meta.json',
} as const;

export type CommentOutcome =
  | UpsertResult
  | { action: 'skipped-read-only'; reason: string }
  | { action: 'skipped'; reason: string };

export const READ_ONLY_HELP =
  'The token cannot write to this pull request (pull requests from forks get a read-only GITHUB_TOKEN), so perfgate did not comment. ' +
  `The gate still decided, and its report is in the "${REPORT_ARTIFACT_NAME}" artifact: add the companion workflow ` +
  '(on: workflow_run, with mode: comment; see the README, "Pull requests from forks") to post it without running the PR\'s code.';

/** A 403 that means "this token may not write here", as opposed to a rate limit. */
export function isReadOnlyError(err: unknown): boolean {
  return err instanceof GitHubApiError && err.status === 403 && /not accessible by integration|must have (push|write|admin)/i.test(err.apiMessage);
}

/**
 * The event gives a read-only token: a pull_request from a fork. (pull_request_target runs in the
 * base repository with a write token, so it is not read-only.)
 */
export function hasReadOnlyToken(ctx: { eventName: string; isFork: boolean }): boolean {
  return ctx.eventName === 'pull_request' && ctx.isFork;
}

/**
 * The gate's comment: skipped with an explanation when the token is known to be read-only, or
 * when GitHub refuses the write as such; otherwise upserted. Other API failures throw.
 */
export async function postGateComment(t: StickyTarget & { body: string; readOnly: boolean; createIfMissing?: boolean }): Promise<CommentOutcome> {
  if (t.readOnly) {
    t.log.info(READ_ONLY_HELP);
    return { action: 'skipped-read-only', reason: 'pull request from a fork: the token is read-only' };
  }
  try {
    return await upsertStickyComment({ ...t, createIfMissing: t.createIfMissing ?? true });
  } catch (err) {
    if (!isReadOnlyError(err)) throw err;
    t.log.info(READ_ONLY_HELP);
    return { action: 'skipped-read-only', reason: `GitHub refused the write: ${(err as GitHubApiError).apiMessage}` };
  }
}

export interface ReportArtifact {
  prNumber: number;
  markdown: string;
  /** The comparison JSON, as an object or as its text. */
  comparisonJson: unknown;
  headSha: string;
}

/** Writes the files of the report artifact into `dir`; returns their paths (for the upload). */
export function writeReportArtifactFiles(dir: string, a: ReportArtifact): string[] {
  if (!Number.isInteger(a.prNumber) || a.prNumber <= 0) throw new Error(`Report artifact: PR number ${a.prNumber} is not a positive integer.`);
  mkdirSync(dir, { recursive: true });
  const files: Array<[string, string]> = [
    [ARTIFACT_FILES.prNumber, `${a.prNumber}\n`],
    [ARTIFACT_FILES.report, a.markdown],
    [ARTIFACT_FILES.comparison, typeof a.comparisonJson === 'string' ? a.comparisonJson : `${JSON.stringify(a.comparisonJson, null, 2)}\n`],
    [ARTIFACT_FILES.meta, `${JSON.stringify({ schema: REPORT_ARTIFACT_SCHEMA, prNumber: a.prNumber, headSha: a.headSha }, null, 2)}\n`],
  ];
  return files.map(([name, text]) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  });
}

function readLimited(dir: string, name: string, maxBytes: number, required: boolean): string | undefined {
  const p = join(dir, name);
  if (!existsSync(p)) {
    if (!required) return undefined;
    throw new Error(`Report artifact in ${dir} has no ${name}; expected the files the perfgate gate writes (${Object.values(ARTIFACT_FILES).join(', ')}).`);
  }
  const st = statSync(p);
  if (!st.isFile()) throw new Error(`Report artifact: ${p} is not a regular file.`);
  if (st.size > maxBytes) throw new Error(`Report artifact: ${p} is ${st.size} bytes; at most ${maxBytes} are accepted.`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(p));
  } catch {
    throw new Error(`Report artifact: ${p} is not valid UTF-8 text.`);
  }
}

function shown(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/**
 * Reads and validates a downloaded report artifact. Everything in it came from a run of untrusted
 * code, so every field is checked, and none of it is executed.
 */
export function readReportArtifact(dir: string, opts: { marker: string; workflowRun?: WorkflowRunInfo }): { prNumber: number; markdown: string; headSha?: string } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`Report artifact folder ${dir} does not exist: download the gate's "${REPORT_ARTIFACT_NAME}" artifact there first.`);
  }
  const prText = readLimited(dir, ARTIFACT_FILES.prNumber, 64, true)!.trim();
  if (!/^[1-9][0-9]{0,9}$/.test(prText)) {
    throw new Error(`Report artifact: ${ARTIFACT_FILES.prNumber} holds ${shown(prText)}; expected a positive integer (the number of the pull request the gate ran for).`);
  }
  const prNumber = Number(prText);

  let headSha: string | undefined;
  const metaText = readLimited(dir, ARTIFACT_FILES.meta, 64 * 1024, false);
  if (metaText !== undefined) {
    let meta: Record<string, unknown>;
    try {
      meta = JSON.parse(metaText) as Record<string, unknown>;
    } catch {
      throw new Error(`Report artifact: ${ARTIFACT_FILES.meta} is not valid JSON.`);
    }
    if (meta === null || typeof meta !== 'object' || meta.schema !== REPORT_ARTIFACT_SCHEMA) {
      throw new Error(`Report artifact: ${ARTIFACT_FILES.meta} is not a ${REPORT_ARTIFACT_SCHEMA} file.`);
    }
    if (meta.prNumber !== prNumber) {
      throw new Error(`Report artifact: ${ARTIFACT_FILES.meta} says PR ${shown(String(meta.prNumber))} but ${ARTIFACT_FILES.prNumber} says ${prNumber}.`);
    }
    if (meta.headSha !== undefined) {
      if (typeof meta.headSha !== 'string' || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(meta.headSha)) {
        throw new Error(`Report artifact: ${ARTIFACT_FILES.meta} headSha ${shown(String(meta.headSha))} is not a commit id.`);
      }
      headSha = meta.headSha;
    }
  }

  const markdown = readLimited(dir, ARTIFACT_FILES.report, MAX_COMMENT_CHARS * 4, true)!;
  if (markdown.length > MAX_COMMENT_CHARS) {
    throw new Error(`Report artifact: ${ARTIFACT_FILES.report} is ${markdown.length} characters; a PR comment holds at most ${MAX_COMMENT_CHARS}.`);
  }
  if (!markdown.includes(opts.marker)) {
    throw new Error(`Report artifact: ${ARTIFACT_FILES.report} does not contain the marker ${opts.marker}; it was not written by this perfgate gate.`);
  }

  const run = opts.workflowRun;
  if (run) {
    if (run.prNumbers.length > 0 && !run.prNumbers.includes(prNumber)) {
      throw new Error(
        `Report artifact names PR #${prNumber}, but the workflow run ${run.id} belongs to PR ${run.prNumbers.map((n) => `#${n}`).join(', ')}: refusing to post.`,
      );
    }
    if (headSha !== undefined && run.headSha && headSha !== run.headSha) {
      throw new Error(`Report artifact was made for commit ${headSha}, but workflow run ${run.id} ran ${run.headSha}: refusing to post.`);
    }
  }
  return { prNumber, markdown, headSha };
}

export interface PostFromArtifactOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** Folder the report artifact was downloaded into. */
  reportDir: string;
  marker: string;
  log: Log;
  /** The triggering run (from the workflow_run event): ties the artifact to its pull request. */
  workflowRun?: WorkflowRunInfo;
  authorLogin?: string;
  retry?: RetryOptions;
}

/**
 * The companion workflow's job: validate the downloaded report and upsert the PR comment.
 * For fork PRs GitHub lists no pull requests on the workflow run, so the PR is fetched and its
 * head commit must be the commit the gate ran on.
 */
export async function postFromArtifact(o: PostFromArtifactOptions): Promise<CommentOutcome> {
  const { prNumber, markdown } = readReportArtifact(o.reportDir, { marker: o.marker, workflowRun: o.workflowRun });
  const run = o.workflowRun;
  if (run && run.prNumbers.length === 0) {
    if (!run.headSha) throw new Error(`Workflow run ${run.id} has no head_sha: cannot tie the report to PR #${prNumber}.`);
    const pr = await withRetry(
      `GET /repos/${o.owner}/${o.repo}/pulls/${prNumber}`,
      () => o.octokit.rest.pulls.get({ owner: o.owner, repo: o.repo, pull_number: prNumber }),
      o.log,
      o.retry,
    );
    const prHead = pr.data.head.sha;
    if (prHead !== run.headSha) {
      const reason = `PR #${prNumber} is now at ${prHead.slice(0, 12)}, but the report is for ${run.headSha.slice(0, 12)} (workflow run ${run.id}); not posting a stale or mismatched report.`;
      o.log.warning(reason);
      return { action: 'skipped', reason };
    }
  }
  const target: StickyTarget & { body: string } = {
    octokit: o.octokit,
    owner: o.owner,
    repo: o.repo,
    issueNumber: prNumber,
    marker: o.marker,
    log: o.log,
    authorLogin: o.authorLogin,
    retry: o.retry,
    body: markdown,
  };
  return postGateComment({ ...target, readOnly: false });
}
