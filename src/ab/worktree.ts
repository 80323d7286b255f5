// The base commit's checkout for same-runner A/B: a detached git worktree in a temporary folder,
// removed afterwards (also on failure; on SIGINT/SIGTERM the edges call removeOpenWorktrees).
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '../git.ts';

function git(cwd: string, args: string[], timeoutMs = 120_000): string {
  return runGit(cwd, args, { timeoutMs, noPrompt: true });
}

function gitMessage(err: unknown): string {
  const e = err as { stderr?: string | Buffer; message?: string };
  const text = (e.stderr ? String(e.stderr) : '') || e.message || String(err);
  return text.trim().split('\n').filter(Boolean).slice(-3).join(' ');
}

/** The top folder of the git repository holding `cwd`; throws a clear Error outside one. */
export function repoRoot(cwd: string): string {
  try {
    return git(cwd, ['rev-parse', '--show-toplevel']);
  } catch (err) {
    throw new Error(`${cwd} is not inside a git repository (${gitMessage(err)}); same-runner A/B checks the base commit out with git worktree.`);
  }
}

/**
 * The full SHA of `ref` (`git rev-parse --verify REF^{commit}`). When it is not known locally (a
 * shallow CI checkout), one `git fetch --depth=1 origin REF` is tried before giving up with a
 * message that says what to do.
 */
export function resolveCommit(cwd: string, ref: string, log?: (m: string) => void): string {
  const name = ref.trim();
  if (!name) throw new Error('No base given: pass --base REF (a commit, branch or tag, such as HEAD~1 or origin/main).');
  if (name.startsWith('-')) throw new Error(`Base "${name}" is not a git revision.`);
  const verify = () => git(cwd, ['rev-parse', '--verify', '--quiet', `${name}^{commit}`]);
  try {
    return verify();
  } catch {
    // not known locally
  }
  let fetched = false;
  try {
    if (git(cwd, ['remote']).split('\n').includes('origin')) {
      log?.(`Base ${name} is not in the local clone; fetching it from origin (a shallow checkout?).`);
      git(cwd, ['fetch', '--no-tags', '--depth=1', 'origin', name], 300_000);
      fetched = true;
      try {
        return verify();
      } catch {
        return git(cwd, ['rev-parse', '--verify', '--quiet', 'FETCH_HEAD^{commit}']);
      }
    }
  } catch {
    // fall through to the message
  }
  throw new Error(
    `Unknown base revision "${name}": it is not a commit in ${cwd}${fetched ? '' : ' (and could not be fetched from origin)'}. ` +
      'Pass a commit, branch or tag that exists here (e.g. HEAD~1, origin/main); in GitHub Actions check out with `fetch-depth: 0` or fetch the base commit.',
  );
}

export interface Worktree {
  /** The checkout. */
  dir: string;
  sha: string;
  /** Removes the worktree and its temporary folder, and prunes git's records. Safe to call twice. */
  remove(): void;
}

const open = new Set<Worktree>();

/**
 * Removes every worktree still open. The edges (src/cli, src/action) call it when SIGINT or
 * SIGTERM ends the process in the middle of an A/B run, so no checkout is left behind.
 */
export function removeOpenWorktrees(): void {
  for (const w of [...open]) w.remove();
}

/**
 * `git worktree add --detach <tmp>/base <sha>` (plus `git submodule update --init --recursive`
 * when the commit has a .gitmodules). The caller must call remove() in a finally.
 */
export function addWorktree(cwd: string, sha: string): Worktree {
  const root = mkdtempSync(path.join(realpathSync(os.tmpdir()), 'perfgate-base-'));
  const dir = path.join(root, 'base');
  let removed = false;
  const wt: Worktree = {
    dir,
    sha,
    remove() {
      if (removed) return;
      removed = true;
      open.delete(wt);
      try {
        if (existsSync(dir)) git(cwd, ['worktree', 'remove', '--force', '--force', dir]);
      } catch {
        // removed by hand below; prune forgets it
      }
      rmSync(root, { recursive: true, force: true });
      try {
        git(cwd, ['worktree', 'prune']);
      } catch {
        // nothing to prune
      }
    },
  };
  open.add(wt);
  try {
    git(cwd, ['worktree', 'add', '--detach', dir, sha], 300_000);
  } catch (err) {
    wt.remove();
    throw new Error(`git worktree add for the base commit ${sha.slice(0, 7)} failed: ${gitMessage(err)}`);
  }
  if (existsSync(path.join(dir, '.gitmodules'))) {
    try {
      git(dir, ['submodule', 'update', '--init', '--recursive'], 600_000);
    } catch (err) {
      wt.remove();
      throw new Error(`the base commit's submodules could not be checked out: ${gitMessage(err)}`);
    }
  }
  return wt;
}

/** Paths of the worktrees git knows for the repository of `cwd` (for tests and diagnostics). */
export function listWorktrees(cwd: string): string[] {
  return git(cwd, ['worktree', 'list', '--porcelain'])
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));
}
