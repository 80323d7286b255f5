// The sticky PR comment: one comment per gate, found by a hidden HTML marker among the comments
// written by the token's own account, created once and then updated in place.
//
// Whose comment is "ours":
//  - `authorLogin` given: exactly that login.
//  - else GET /user answers (a personal access token): exactly that login.
//  - else (GITHUB_TOKEN and GitHub App tokens get 403 from GET /user): the comment by
//    `github-actions[bot]` (what GITHUB_TOKEN writes as); failing that, a comment by another Bot
//    account (a GitHub App token writes as `<app>[bot]`). A comment by a person is never ours,
//    whatever it contains. If an adopted Bot comment turns out not to be ours (403 on update),
//    a new comment is created instead.
// Among several matches the oldest wins, so the comment stays where it first appeared.
import type { Octokit } from './client.ts';
import { GitHubApiError, withRetry, type Log, type RetryOptions } from './retry.ts';

/** GitHub rejects issue comment bodies longer than this. */
export const MAX_COMMENT_CHARS = 65_536;
/** The login GITHUB_TOKEN writes as. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export interface IssueComment {
  id: number;
  body?: string | null;
  html_url: string;
  user: { login: string; type?: string } | null;
}

export interface Identity {
  login: string;
  /** true when the login is known for certain (given, or from GET /user). */
  exact: boolean;
}

export interface StickyTarget {
  octokit: Octokit;
  owner: string;
  repo: string;
  issueNumber: number;
  /** A hidden HTML comment, e.g. `<!-- perfgate:gate -->`. */
  marker: string;
  log: Log;
  /** Overrides the account whose comment is ours. */
  authorLogin?: string;
  retry?: RetryOptions;
}

export interface UpsertResult {
  action: 'created' | 'updated' | 'unchanged';
  id: number;
  url: string;
}

/** Links to follow at most: 1 000 pages of 100 comments. */
const MAX_PAGES = 1000;

export function validateMarker(marker: string): void {
  if (!/^<!--[\s\S]*\S[\s\S]*-->$/.test(marker) || marker.slice(4, -3).includes('--')) {
    throw new Error(`Comment marker ${JSON.stringify(marker)} is not a hidden HTML comment; expected something like "<!-- perfgate:gate -->".`);
  }
}

/** Who the token writes comments as. Never throws: unknown identity falls back to github-actions[bot]. */
export async function resolveIdentity(octokit: Octokit, log: Log, authorLogin?: string, retry?: RetryOptions): Promise<Identity> {
  if (authorLogin) return { login: authorLogin, exact: true };
  try {
    const res = await withRetry('GET /user', () => octokit.request('GET /user'), log, retry);
    const login = (res.data as { login?: unknown }).login;
    if (typeof login === 'string' && login) return { login, exact: true };
  } catch (err) {
    const status = err instanceof GitHubApiError ? err.status : 0;
    if (status !== 401 && status !== 403 && status !== 404) {
      log.warning(`Could not tell which account the token belongs to (${(err as Error).message}); assuming ${ACTIONS_BOT_LOGIN}.`);
    }
  }
  return { login: ACTIONS_BOT_LOGIN, exact: false };
}

function nextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m && m[2].split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}

/** All comments of an issue or PR, 100 a page, following rel="next" links to the end. */
export async function listAllComments(t: Omit<StickyTarget, 'marker' | 'authorLogin'>): Promise<IssueComment[]> {
  const { octokit, owner, repo, issueNumber, log, retry } = t;
  const all: IssueComment[] = [];
  const first = `GET /repos/${owner}/${repo}/issues/${issueNumber}/comments`;
  type Page = { data: unknown; headers: { link?: string } };
  let res: Page = await withRetry(
    `${first}?per_page=100&page=1`,
    () => octokit.rest.issues.listComments({ owner, repo, issue_number: issueNumber, per_page: 100, page: 1 }),
    log,
    retry,
  );
  for (let page = 1; ; page++) {
    if (!Array.isArray(res.data)) throw new Error(`${first}: expected a list of comments, got ${typeof res.data}.`);
    all.push(...(res.data as IssueComment[]));
    const next = nextLink(res.headers.link);
    if (!next) break;
    if (page >= MAX_PAGES) {
      log.warning(`${first}: stopped after ${MAX_PAGES} pages; the sticky comment may be duplicated.`);
      break;
    }
    res = await withRetry(`GET ${next}`, () => octokit.request({ method: 'GET', url: next }), log, retry);
  }
  return all;
}

/** Picks our comment from a list, following the rules at the top of this file. */
export function pickStickyComment(comments: IssueComment[], marker: string, identity: Identity): IssueComment | undefined {
  const marked = comments.filter((c) => typeof c.body === 'string' && c.body.includes(marker) && c.user);
  const byLogin = marked.find((c) => c.user!.login === identity.login);
  if (byLogin || identity.exact) return byLogin;
  return marked.find((c) => c.user!.type === 'Bot');
}

/** Finds our sticky comment, if any. */
export async function findStickyComment(t: StickyTarget): Promise<{ comment?: IssueComment; identity: Identity }> {
  validateMarker(t.marker);
  const identity = await resolveIdentity(t.octokit, t.log, t.authorLogin, t.retry);
  const comments = await listAllComments(t);
  return { comment: pickStickyComment(comments, t.marker, identity), identity };
}

/** The body as posted: the marker first if the caller left it out, so the next run finds it. */
export function stickyBody(marker: string, body: string): string {
  const full = body.includes(marker) ? body : `${marker}\n${body}`;
  if (full.length > MAX_COMMENT_CHARS) {
    throw new Error(
      `PR comment body is ${full.length} characters; GitHub accepts at most ${MAX_COMMENT_CHARS}. The report renderer should have truncated it: this is a bug in perfgate.`,
    );
  }
  return full;
}

/** Creates our comment, or updates it in place; leaves it alone when the body is unchanged. */
export async function upsertStickyComment(t: StickyTarget & { body: string }): Promise<UpsertResult>;
/** With `createIfMissing: false`, only an existing comment is updated (`comment: on-regression`). */
export async function upsertStickyComment(
  t: StickyTarget & { body: string; createIfMissing: boolean },
): Promise<UpsertResult | { action: 'skipped'; reason: string }>;
export async function upsertStickyComment(
  t: StickyTarget & { body: string; createIfMissing?: boolean },
): Promise<UpsertResult | { action: 'skipped'; reason: string }> {
  const { octokit, owner, repo, issueNumber, log, retry } = t;
  const body = stickyBody(t.marker, t.body);
  const { comment, identity } = await findStickyComment(t);
  if (comment) {
    if (comment.body === body) {
      log.info(`PR comment ${comment.html_url} is already up to date.`);
      return { action: 'unchanged', id: comment.id, url: comment.html_url };
    }
    try {
      const res = await withRetry(
        `PATCH /repos/${owner}/${repo}/issues/comments/${comment.id}`,
        () => octokit.rest.issues.updateComment({ owner, repo, comment_id: comment.id, body }),
        log,
        retry,
      );
      log.info(`Updated PR comment ${res.data.html_url}.`);
      return { action: 'updated', id: res.data.id, url: res.data.html_url };
    } catch (err) {
      const adopted = !identity.exact && comment.user?.login !== identity.login;
      // A read-only token fails the create below just the same, and is reported there.
      if (!(adopted && err instanceof GitHubApiError && err.status === 403)) throw err;
      log.info(`Comment ${comment.html_url} by ${comment.user?.login} is not ours to edit; creating our own.`);
    }
  } else if (t.createIfMissing === false) {
    // comment: on-regression: nothing to report yet, and no earlier comment to keep up to date.
    return { action: 'skipped', reason: 'no regression to report and no earlier comment to update' };
  }
  const res = await withRetry(
    `POST /repos/${owner}/${repo}/issues/${issueNumber}/comments`,
    () => octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body }),
    log,
    retry,
  );
  log.info(`Created PR comment ${res.data.html_url}.`);
  return { action: 'created', id: res.data.id, url: res.data.html_url };
}
