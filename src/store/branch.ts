// Branch store: a git data branch (default `perfgate-data`) in the repository's remote.
//
// Layout on the branch:
//   baselines/<branch>.json                   latest baseline of each branch
//   history/<branch>/<time>-<sha7>-<rand>.json one file per saved run (no two writers touch the same file)
//   corrupt/<branch>-<time>.json              a corrupt baseline that a save moved aside
//   <dashboard-dir>/index.html                the Action's published dashboard (writeFiles, opt-in)
// Branch names become file names with names.ts (`release/1.x` → `release%2F1.x`).
//
// Every operation works in a private temporary bare repository: fetch the tip (depth 1), read
// blobs with `git cat-file`, and for a save build the new tree in a temporary index and commit it
// with `git commit-tree` on top of the fetched tip. No working tree, no checkout, nothing touches
// the user's clone. Writers race (matrix jobs, merges): when the push is rejected, the store
// fetches the new tip and re-applies its change to it (recomputing the history cap there), with
// exponential backoff and full jitter, up to `maxAttempts`; a re-applied change never drops
// another writer's entry except by the cap, oldest first.
//
// A corrupt `baselines/<branch>.json`: load() throws naming `perfgate-data:baselines/<branch>.json`,
// the problem and the fix; save() keeps it, moving it to `corrupt/` in the same commit that writes
// the new baseline, and reports that in its notices.
//
// Authentication: the repository's `http.<url>.extraheader` (what actions/checkout leaves behind)
// is carried over, or `token` is sent as a basic-auth header; both through GIT_CONFIG_* variables,
// never on a command line, and masked in every message.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Results } from '../schema/results.ts';
import { createGitRunner, parseCatFileBatch, parseLsTree, type GitRunner, type TreeEntry } from './git.ts';
import { compareStrings, parseStoredResults, stringifyResults, withMeta } from './json.ts';
import { compactTimestamp, encodeName } from './names.ts';
import { StoreUnavailableError, type BaselineStore, type LoadResult, type SaveMeta, type SaveResult } from './types.ts';

export const DEFAULT_DATA_BRANCH = 'perfgate-data';
export const DEFAULT_MAX_ENTRIES = 200;
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const DEFAULT_AUTHOR = { name: 'perfgate', email: 'perfgate@users.noreply.github.com' };

export interface BranchStoreOptions {
  /** The repository whose remote holds the data branch (default: the current directory). */
  cwd?: string;
  /** Remote name in `cwd` (default `origin`). */
  remote?: string;
  /** Remote URL or path; overrides `remote` (tests use a local bare repository). */
  remoteUrl?: string;
  /** Default `perfgate-data`. */
  dataBranch?: string;
  /** A GitHub token for HTTPS remotes (sent as `x-access-token`); default: the checkout's credentials. */
  token?: string;
  /** History cap per branch: entries (default 200) and bytes (default 20 MB); the oldest go first. */
  maxEntries?: number;
  maxBytes?: number;
  /** Push attempts when other writers race (default 10) and the first backoff (default 200 ms). */
  maxAttempts?: number;
  retryBaseMs?: number;
  /** Where the private temporary repositories go (default: the OS temp folder). */
  tmpDir?: string;
  now?: () => Date;
  /** The git executable (default `git`). */
  git?: string;
  /** Called before each retry of a save whose push was rejected because the branch moved. */
  onRetry?: (attempt: number, maxAttempts: number) => void;
}

interface Session {
  git: GitRunner;
  repo: string;
  url: string;
  shownUrl: string;
  author: { name: string; email: string };
}

const RETRYABLE_PUSH = /\[rejected\]|non-fast-forward|fetch first|failed to (update|lock) ref|cannot lock ref|unable to (update|lock)|stale info|incorrect old value|reference already exists|but expected/i;

const AUTH_FAILURE = /authentication failed|could not read (username|password)|terminal prompts disabled|permission to .* denied|requested url returned error: 40[13]|invalid credentials|access denied/i;

/** A hint for failures that look like missing credentials or permissions. */
function authHint(text: string): string {
  return AUTH_FAILURE.test(text)
    ? ' The job needs write access to the repository: give it `permissions: contents: write` and keep actions/checkout\'s credentials (persist-credentials), or pass a token.'
    : '';
}

/** A filesystem path rather than a URL (`https://…`, `file://…`) or scp-like address (`git@host:repo`). */
function isLocalPath(url: string): boolean {
  if (path.isAbsolute(url)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return false;
  return !/^[^/\\]*:/.test(url);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function shortSha(commit: string | undefined): string {
  return commit && /^[0-9a-f]{7,64}$/i.test(commit) ? commit.slice(0, 7).toLowerCase() : 'nocommit';
}

/** The data branch store, and writing other files (the dashboard) to the branch the same way. */
export interface BranchStore extends BaselineStore {
  writeFiles(dir: string, files: Record<string, string>, message: string): Promise<string>;
}

export function createBranchStore(options: BranchStoreOptions = {}): BranchStore {
  const cwd = options.cwd ?? process.cwd();
  const dataBranch = options.dataBranch ?? DEFAULT_DATA_BRANCH;
  const maxEntries = Math.max(1, Math.floor(options.maxEntries ?? DEFAULT_MAX_ENTRIES));
  const maxBytes = Math.max(1, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 10);
  const retryBaseMs = options.retryBaseMs ?? 200;
  const now = options.now ?? (() => new Date());
  const tipRef = 'refs/perfgate/tip';
  const label = (file: string): string => `${dataBranch}:${file}`;

  /** Sets up a private bare repository and the git runner with the right credentials. */
  async function open(): Promise<Session> {
    const secrets: string[] = [];
    const config: [string, string][] = [];
    const probe = createGitRunner({ git: options.git });
    let url = options.remoteUrl;
    if (!url) {
      const remote = options.remote ?? 'origin';
      const res = await probe.run(['remote', 'get-url', remote], { cwd });
      if (res.code !== 0) {
        throw new StoreUnavailableError(
          'branch',
          probe.mask(`The data branch store needs the git remote "${remote}", but \`git remote get-url ${remote}\` failed in ${cwd}: ${res.stderr.trim()}. Run inside a clone (actions/checkout) or configure the remote.`),
        );
      }
      url = res.stdout.toString('utf8').trim();
    }
    // A local path (as tests and some setups use) is relative to the repository, not to our temp repo.
    if (isLocalPath(url)) url = path.resolve(cwd, url);
    if (options.token) {
      const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${options.token}`).toString('base64')}`;
      secrets.push(options.token, header.slice('AUTHORIZATION: basic '.length));
      config.push(['http.extraheader', header]);
    } else {
      // actions/checkout persists its token as an extraheader in the repository's config.
      const res = await probe.run(['config', '--null', '--includes', '--get-regexp', '^http\\..*\\.extraheader$'], { cwd });
      if (res.code === 0) {
        for (const record of res.stdout.toString('utf8').split('\0')) {
          const nl = record.indexOf('\n');
          if (nl <= 0) continue;
          const value = record.slice(nl + 1);
          config.push([record.slice(0, nl), value]);
          const m = /^AUTHORIZATION:\s*\S+\s+(.+)$/i.exec(value);
          if (m) secrets.push(m[1]);
        }
      }
    }
    const name = (await probe.run(['config', '--get', 'user.name'], { cwd })).stdout.toString('utf8').trim();
    const email = (await probe.run(['config', '--get', 'user.email'], { cwd })).stdout.toString('utf8').trim();
    const repo = await mkdtemp(path.join(options.tmpDir ?? os.tmpdir(), 'perfgate-data-'));
    config.push(['core.hooksPath', path.join(repo, 'no-hooks')], ['gc.auto', '0'], ['commit.gpgSign', 'false']);
    const env: Record<string, string> = {};
    if (!process.env.GIT_SSH_COMMAND && !process.env.GIT_SSH) env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
    const git = createGitRunner({ git: options.git, config, secrets, env });
    try {
      await git.ok(['init', '--quiet', '--bare', repo]);
    } catch (error) {
      await rm(repo, { recursive: true, force: true });
      throw error;
    }
    return { git, repo, url, shownUrl: git.mask(url), author: { name: name || DEFAULT_AUTHOR.name, email: email || DEFAULT_AUTHOR.email } };
  }

  async function withSession<T>(fn: (s: Session) => Promise<T>): Promise<T> {
    const session = await open();
    try {
      return await fn(session);
    } finally {
      await rm(session.repo, { recursive: true, force: true });
    }
  }

  /** Fetches the data branch's tip; undefined when the branch does not exist yet. */
  async function fetchTip(s: Session): Promise<string | undefined> {
    const res = await s.git.run(['fetch', '--quiet', '--no-tags', '--depth=1', s.url, `+refs/heads/${dataBranch}:${tipRef}`], { cwd: s.repo });
    if (res.code !== 0) {
      if (/couldn't find remote ref|no such ref|not our ref/i.test(res.stderr)) return undefined;
      throw new StoreUnavailableError('branch', s.git.mask(`Could not fetch ${dataBranch} from ${s.shownUrl}: ${res.stderr.trim()}.${authHint(res.stderr)}`));
    }
    return (await s.git.ok(['rev-parse', '--verify', `${tipRef}^{commit}`], { cwd: s.repo })).trim();
  }

  async function readBlobs(s: Session, tip: string, paths: string[]): Promise<(Buffer | undefined)[]> {
    if (paths.length === 0) return [];
    const input = paths.map((p) => `${tip}:${p}\n`).join('');
    const res = await s.git.run(['cat-file', '--batch'], { cwd: s.repo, input });
    if (res.code !== 0) throw new Error(s.git.mask(`git cat-file failed: ${res.stderr.trim()}`));
    return parseCatFileBatch(res.stdout, paths.length);
  }

  async function listDir(s: Session, tip: string, dir: string): Promise<TreeEntry[]> {
    const out = await s.git.run(['ls-tree', '-l', '-z', tip, '--', `${dir}/`], { cwd: s.repo });
    if (out.code !== 0) throw new Error(s.git.mask(`git ls-tree failed: ${out.stderr.trim()}`));
    return parseLsTree(out.stdout).filter((e) => e.path.endsWith('.json'));
  }

  /** A commit on top of `tip` (or a root commit) with `changes` applied: content, or null to delete. */
  async function commit(s: Session, tip: string | undefined, changes: Map<string, string | null>, message: string): Promise<string> {
    const index = path.join(s.repo, `perfgate-index-${randomBytes(4).toString('hex')}`);
    const env = { GIT_INDEX_FILE: index };
    await s.git.ok(tip ? ['read-tree', tip] : ['read-tree', '--empty'], { cwd: s.repo, env });
    const lines: string[] = [];
    for (const [file, content] of changes) {
      if (content === null) {
        lines.push(`0 ${'0'.repeat(40)}\t${file}`);
      } else {
        const sha = (await s.git.ok(['hash-object', '-w', '--stdin'], { cwd: s.repo, input: content })).trim();
        lines.push(`100644 ${sha}\t${file}`);
      }
    }
    await s.git.ok(['update-index', '--index-info'], { cwd: s.repo, env, input: `${lines.join('\n')}\n` });
    const tree = (await s.git.ok(['write-tree'], { cwd: s.repo, env })).trim();
    await rm(index, { force: true });
    const identity = {
      GIT_AUTHOR_NAME: s.author.name,
      GIT_AUTHOR_EMAIL: s.author.email,
      GIT_COMMITTER_NAME: s.author.name,
      GIT_COMMITTER_EMAIL: s.author.email,
    };
    const args = ['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-F', '-'];
    return (await s.git.ok(args, { cwd: s.repo, env: identity, input: message })).trim();
  }

  /** true: pushed; false: rejected because the branch moved (retry). Throws on other failures. */
  async function push(s: Session, sha: string): Promise<boolean> {
    const res = await s.git.run(['push', '--porcelain', '--quiet', s.url, `${sha}:refs/heads/${dataBranch}`], { cwd: s.repo });
    if (res.code === 0) return true;
    const text = `${res.stdout.toString('utf8')}\n${res.stderr}`;
    if (RETRYABLE_PUSH.test(text) && !/hook declined|protected branch/i.test(text)) return false;
    throw new StoreUnavailableError('branch', s.git.mask(`Could not push to ${dataBranch} on ${s.shownUrl}: ${text.trim()}.${authHint(text)}`));
  }

  /**
   * Fetches the tip, builds a commit on it (`build`), pushes; when the push is rejected because the
   * branch moved, fetches the new tip and builds again, with exponential backoff and full jitter,
   * up to `maxAttempts`. `what` starts the error when every attempt lost the race.
   */
  async function commitWithRetry<T>(
    s: Session,
    what: string,
    build: (tip: string | undefined) => Promise<{ changes: Map<string, string | null>; message: string; done: () => T }>,
  ): Promise<T> {
    let lastReason = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const tip = await fetchTip(s);
      const { changes, message, done } = await build(tip);
      const sha = await commit(s, tip, changes, message);
      if (await push(s, sha)) return done();
      lastReason = `attempt ${attempt}: the branch moved`;
      if (attempt < maxAttempts) {
        options.onRetry?.(attempt, maxAttempts);
        const ceiling = Math.min(5000, retryBaseMs * 2 ** (attempt - 1));
        await sleep(retryBaseMs / 2 + Math.random() * ceiling);
      }
    }
    throw new StoreUnavailableError('branch', `${what} to ${dataBranch} on ${s.shownUrl} after ${maxAttempts} attempts (${lastReason}); other writers kept moving the branch.`);
  }

  const corruptFix = (file: string): string =>
    `Fix or delete it on the ${dataBranch} branch (\`git fetch origin ${dataBranch} && git switch ${dataBranch}\`), ` +
    `or let the next saving run replace it: a save moves a corrupt baseline to corrupt/ in the same commit.`;

  async function load(branch: string): Promise<LoadResult> {
    const file = `baselines/${encodeName(branch)}.json`;
    return withSession(async (s) => {
      const tip = await fetchTip(s);
      if (!tip) return { found: false, reason: `no baseline yet for branch ${branch}: ${s.shownUrl} has no ${dataBranch} branch` };
      const [blob] = await readBlobs(s, tip, [file]);
      if (!blob) return { found: false, reason: `no baseline yet for branch ${branch} on ${dataBranch} (no ${file})` };
      const results = parseStoredResults(blob.toString('utf8'), label(file), corruptFix(file));
      return { found: true, results, location: label(file) };
    });
  }

  async function save(branch: string, results: Results, meta: SaveMeta): Promise<SaveResult> {
    const enc = encodeName(branch);
    const baselineFile = `baselines/${enc}.json`;
    const historyDir = `history/${enc}`;
    const stored = withMeta(results, meta);
    const text = stringifyResults(stored);
    const stamp = compactTimestamp(now());
    const sha7 = shortSha(stored.commit);
    // Named once, so a retried save re-applies the same entry instead of adding a second one.
    const entryFile = `${historyDir}/${stamp}-${sha7}-${randomBytes(3).toString('hex')}.json`;
    const entrySize = Buffer.byteLength(text);

    return withSession(async (s) =>
      commitWithRetry(s, `Could not save the baseline of ${branch}`, async (tip) => {
        const changes = new Map<string, string | null>();
        const notices: string[] = [];
        if (tip) {
          const [existing] = await readBlobs(s, tip, [baselineFile]);
          if (existing) {
            try {
              parseStoredResults(existing.toString('utf8'), label(baselineFile), '');
            } catch (error) {
              const aside = `corrupt/${enc}-${stamp}.json`;
              changes.set(aside, existing.toString('utf8'));
              const problem = (error as Error).message.split('\n')[0];
              notices.push(`${problem} Moved it to ${label(aside)} in the same commit that saves the new baseline.`);
            }
          }
        }
        changes.set(baselineFile, text);
        changes.set(entryFile, text);

        // History cap on the fresh tip: oldest (by name = time) dropped first, never the new entry.
        const entries = (tip ? await listDir(s, tip, historyDir) : []).filter((e) => e.path !== entryFile);
        entries.push({ path: entryFile, size: entrySize });
        entries.sort((a, b) => compareStrings(a.path, b.path));
        let count = entries.length;
        let bytes = entries.reduce((sum, e) => sum + e.size, 0);
        const dropped: string[] = [];
        for (const e of entries) {
          if (count <= maxEntries && bytes <= maxBytes) break;
          if (e.path === entryFile) continue;
          changes.set(e.path, null);
          dropped.push(e.path);
          count--;
          bytes -= e.size;
        }

        const message =
          `perfgate: baseline for ${branch} at ${sha7}\n\n` +
          `Saves ${baselineFile} and ${entryFile}` +
          (dropped.length ? `; drops ${dropped.length} old history entr${dropped.length === 1 ? 'y' : 'ies'} (cap: ${maxEntries} entries, ${maxBytes} bytes)` : '') +
          '.\n';
        return {
          changes,
          message,
          done: (): SaveResult => {
            if (dropped.length) notices.push(`Dropped ${dropped.length} old history entr${dropped.length === 1 ? 'y' : 'ies'} of ${branch} to stay within ${maxEntries} entries and ${maxBytes} bytes.`);
            return { location: label(baselineFile), notices };
          },
        };
      }),
    );
  }

  /**
   * Writes files under `dir` of the data branch (e.g. the dashboard's index.html) in one commit,
   * leaving everything else on the branch as it is: on a rejected push the files are re-applied
   * to the new tip, like a save, so no writer's history entry is lost. Returns `branch:dir`.
   */
  async function writeFiles(dir: string, files: Record<string, string>, message: string): Promise<string> {
    const folder = dir.replace(/\/+$/, '');
    return withSession(async (s) =>
      commitWithRetry(s, `Could not write ${folder}/ on ${dataBranch}`, async () => ({
        changes: new Map(Object.entries(files).map(([name, content]): [string, string] => [`${folder}/${name}`, content])),
        message,
        done: () => label(`${folder}/`),
      })),
    );
  }

  async function history(branch: string, limit?: number): Promise<Results[]> {
    const historyDir = `history/${encodeName(branch)}`;
    return withSession(async (s) => {
      const tip = await fetchTip(s);
      if (!tip) return [];
      const entries = (await listDir(s, tip, historyDir)).sort((a, b) => compareStrings(b.path, a.path));
      const chosen = limit === undefined ? entries : entries.slice(0, Math.max(0, limit));
      const blobs = await readBlobs(s, tip, chosen.map((e) => e.path));
      return blobs.map((blob, i) => {
        const file = chosen[i].path;
        if (!blob) throw new Error(`${label(file)} disappeared while reading the history; try again.`);
        return parseStoredResults(blob.toString('utf8'), label(file), `Delete it from the ${dataBranch} branch; the other history entries are unaffected.`);
      });
    });
  }

  return {
    kind: 'branch',
    describe: () => `${dataBranch} branch (${options.remoteUrl ? maskUrl(options.remoteUrl) : (options.remote ?? 'origin')})`,
    load,
    save,
    history,
    writeFiles,
  };
}

function maskUrl(url: string): string {
  return url.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}
