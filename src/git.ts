// Git facts about the working directory (commit, branch), read with the git CLI: the one
// synchronous git runner (the branch store's streaming runner is src/store/git.ts).
import { execFileSync } from 'node:child_process';

export interface GitRunOptions {
  /** Kill git after this many milliseconds (default: no limit). */
  timeoutMs?: number;
  /** Never ask for credentials on a terminal (GIT_TERMINAL_PROMPT=0). */
  noPrompt?: boolean;
}

/** Output of `git ARGS` in `cwd`, trimmed. Throws when git fails (its stderr is on the error). */
export function runGit(cwd: string, args: string[], o: GitRunOptions = {}): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}),
    ...(o.noPrompt ? { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } } : {}),
  }).trim();
}

/** Output of `git ARGS` in `cwd`, trimmed; undefined when git fails or prints nothing. */
export function git(cwd: string, args: string[]): string | undefined {
  try {
    return runGit(cwd, args) || undefined;
  } catch {
    return undefined;
  }
}

/** The commit and branch of `cwd`, or empty fields outside a git repository. */
export function gitInfo(cwd: string): { commit?: string; ref?: string } {
  const commit = git(cwd, ['rev-parse', 'HEAD']);
  const branch = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  return { commit, ref: branch && branch !== 'HEAD' ? branch : undefined };
}

/** The default branch of `remote` as git knows it (refs/remotes/<remote>/HEAD), else `main`. */
export function defaultBranch(cwd: string, remote = 'origin'): string {
  const ref = git(cwd, ['symbolic-ref', '--quiet', '--short', `refs/remotes/${remote}/HEAD`]) ?? '';
  const name = ref.startsWith(`${remote}/`) ? ref.slice(remote.length + 1) : ref;
  return name || 'main';
}
