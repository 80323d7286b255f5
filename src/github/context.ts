// What the run is about, from the variables and the event file the runner provides.
// Pure apart from the injected readFile: tests pass a fixture reader and a plain env object.

export interface WorkflowRunInfo {
  /** Id of the run that triggered this one (the gate run whose artifact to fetch). */
  id: number;
  /** PR numbers GitHub attached to that run. Empty for pull requests from forks. */
  prNumbers: number[];
  headSha: string;
  headBranch?: string;
  /** success, failure, cancelled, … (null while in progress). */
  conclusion: string | null;
  /** The event that triggered that run, e.g. pull_request. */
  event?: string;
  /** owner/name of the repository the run's head commit lives in (a fork for fork PRs). */
  headRepository?: string;
}

export interface EventContext {
  eventName: string;
  owner: string;
  repo: string;
  /** PR number for pull_request / pull_request_target events. */
  prNumber?: number;
  baseRef?: string;
  baseSha?: string;
  /** Branch name (no refs/heads/) of the PR head, or of the pushed branch. */
  headRef?: string;
  /** Commit measured as "head": the PR head commit, or GITHUB_SHA otherwise. */
  headSha: string;
  /** GITHUB_SHA as given (for pull_request: the test merge commit). */
  sha: string;
  /** GITHUB_REF as given. */
  ref: string;
  /** A pull request whose head lives in another repository: its token is read-only. */
  isFork: boolean;
  defaultBranch?: string;
  /** push / schedule / workflow_dispatch on the default branch: the runs that may save a baseline. */
  isDefaultBranch: boolean;
  apiUrl: string;
  serverUrl: string;
  runId?: number;
  runUrl?: string;
  workflowRun?: WorkflowRunInfo;
}

type Env = Record<string, string | undefined>;
type Json = Record<string, unknown>;

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);
const SAVE_EVENTS = new Set(['push', 'schedule', 'workflow_dispatch']);

function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
function posInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}
function branchOf(ref: string | undefined): string | undefined {
  return ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

function readPayload(env: Env, readFile: (p: string) => string): Json {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) {
    throw new Error(
      'GITHUB_EVENT_PATH is not set: the Action needs the event file the GitHub runner writes. Outside Actions, run the CLI (npx perfgate) instead.',
    );
  }
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    throw new Error(`GITHUB_EVENT_PATH points at ${path}, which cannot be read: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`GITHUB_EVENT_PATH file ${path} is not valid JSON (${(err as Error).message}); expected the event payload the runner writes.`);
  }
  const payload = obj(parsed);
  if (!payload) throw new Error(`GITHUB_EVENT_PATH file ${path} holds ${Array.isArray(parsed) ? 'an array' : typeof parsed}; expected a JSON object (the event payload).`);
  return payload;
}

function ownerRepo(env: Env, payload: Json): { owner: string; repo: string } {
  const full = str(env.GITHUB_REPOSITORY) ?? str(obj(payload.repository)?.full_name);
  if (!full) throw new Error('GITHUB_REPOSITORY is not set and the event payload names no repository; expected "owner/name".');
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(full);
  if (!m) throw new Error(`GITHUB_REPOSITORY is "${full}"; expected "owner/name".`);
  return { owner: m[1], repo: m[2] };
}

/** Reads GITHUB_* variables and the event payload into one plain object. */
export function readEventContext(env: Env, readFile: (p: string) => string): EventContext {
  const eventName = str(env.GITHUB_EVENT_NAME);
  if (!eventName) throw new Error('GITHUB_EVENT_NAME is not set: the Action must run inside a GitHub Actions job.');
  const payload = readPayload(env, readFile);
  const { owner, repo } = ownerRepo(env, payload);
  const apiUrl = (str(env.GITHUB_API_URL) ?? 'https://api.github.com').replace(/\/+$/, '');
  const serverUrl = (str(env.GITHUB_SERVER_URL) ?? 'https://github.com').replace(/\/+$/, '');
  const ref = env.GITHUB_REF ?? '';
  const sha = env.GITHUB_SHA ?? '';
  const runIdNum = Number(env.GITHUB_RUN_ID);
  const runId = Number.isInteger(runIdNum) && runIdNum > 0 ? runIdNum : undefined;
  const defaultBranch = str(obj(payload.repository)?.default_branch);

  const ctx: EventContext = {
    eventName,
    owner,
    repo,
    headSha: sha,
    sha,
    ref,
    isFork: false,
    defaultBranch,
    isDefaultBranch: false,
    apiUrl,
    serverUrl,
    runId,
    runUrl: runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : undefined,
  };

  if (PR_EVENTS.has(eventName)) {
    const pr = obj(payload.pull_request);
    if (!pr) {
      throw new Error(`GITHUB_EVENT_PATH file ${env.GITHUB_EVENT_PATH} has no pull_request object, but GITHUB_EVENT_NAME is ${eventName}.`);
    }
    const base = obj(pr.base);
    const head = obj(pr.head);
    ctx.prNumber = posInt(pr.number) ?? posInt(payload.number);
    ctx.baseRef = str(base?.ref);
    ctx.baseSha = str(base?.sha);
    ctx.headRef = str(head?.ref);
    ctx.headSha = str(head?.sha) ?? sha;
    const baseRepo = str(obj(base?.repo)?.full_name) ?? `${owner}/${repo}`;
    // head.repo is null when the fork was deleted: still not this repository.
    const headRepo = str(obj(head?.repo)?.full_name);
    ctx.isFork = headRepo === undefined || headRepo.toLowerCase() !== baseRepo.toLowerCase();
    ctx.defaultBranch ??= str(obj(base?.repo)?.default_branch);
  } else if (eventName === 'workflow_run') {
    const run = obj(payload.workflow_run);
    if (!run) throw new Error(`GITHUB_EVENT_PATH file ${env.GITHUB_EVENT_PATH} has no workflow_run object, but GITHUB_EVENT_NAME is workflow_run.`);
    const id = posInt(run.id);
    if (!id) throw new Error(`GITHUB_EVENT_PATH file ${env.GITHUB_EVENT_PATH}: workflow_run.id is missing or not a positive integer.`);
    const prs = Array.isArray(run.pull_requests) ? run.pull_requests : [];
    ctx.workflowRun = {
      id,
      prNumbers: prs.map((p) => posInt(obj(p)?.number)).filter((n): n is number => n !== undefined),
      headSha: str(run.head_sha) ?? '',
      headBranch: str(run.head_branch),
      conclusion: str(run.conclusion) ?? null,
      event: str(run.event),
      headRepository: str(obj(run.head_repository)?.full_name),
    };
    ctx.headRef = str(run.head_branch);
    ctx.headSha = str(run.head_sha) ?? sha;
  } else {
    ctx.headRef = branchOf(ref);
    if (eventName === 'push') ctx.headSha = str(payload.after) ?? sha;
  }

  if (SAVE_EVENTS.has(eventName)) {
    // A schedule payload carries no repository; scheduled runs always use the default branch.
    ctx.isDefaultBranch =
      eventName === 'schedule' ? true : ctx.headRef !== undefined && ctx.headRef === defaultBranch;
  }
  return ctx;
}
