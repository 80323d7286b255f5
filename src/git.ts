// Git facts about the working directory (commit, branch), read with the git CLI.
import { execFileSync } from 'node:child_process';

/** Output of `git ARGS` in `cwd`, trimmed; undefined when git fails or prints nothing. */
export function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
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
