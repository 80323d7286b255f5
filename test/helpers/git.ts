// Real local git repositories for tests: a bare repository as the remote, working clones, and
// direct reads of what a branch holds. Runs the git CLI (no shell), isolated from the user's and
// the system's git configuration.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Environment for test git commands: no global/system config, fixed identity, no prompts. */
export const GIT_ENV: Record<string, string> = {
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_TERMINAL_PROMPT: '0',
};

export function git(args: string[], options: { cwd?: string; input?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd: options.cwd, env: { ...process.env, ...GIT_ENV }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.on('error', () => {}); // git may exit before reading its input
    child.stdin?.end(options.input ?? '');
  });
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `perfgate-${prefix}-`));
}

export interface BareRepo {
  /** Path of the bare repository: usable as a remote URL. */
  dir: string;
  cleanup(): Promise<void>;
}

export async function makeBareRepo(): Promise<BareRepo> {
  const root = await tempDir('remote');
  const dir = path.join(root, 'remote.git');
  await git(['init', '--quiet', '--bare', '--initial-branch=main', dir]);
  return { dir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** A working repository with `origin` pointing at `remote` and one commit on main. */
export async function makeClone(remote: string): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await tempDir('clone');
  await git(['init', '--quiet', '--initial-branch=main', dir]);
  await git(['remote', 'add', 'origin', remote], { cwd: dir });
  await git(['commit', '--quiet', '--allow-empty', '-m', 'initial'], { cwd: dir });
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Commits `files` (path → content; null deletes) on top of `branch` in `remote` (created if absent). */
export async function commitFiles(remote: string, branch: string, files: Record<string, string | null>, message = 'test commit'): Promise<void> {
  const dir = await tempDir('writer');
  try {
    await git(['init', '--quiet', dir]);
    const fetched = await git(['fetch', '--quiet', remote, `+refs/heads/${branch}:refs/remotes/r/${branch}`], { cwd: dir }).then(
      () => true,
      () => false,
    );
    await git(fetched ? ['checkout', '--quiet', '-B', branch, `refs/remotes/r/${branch}`] : ['checkout', '--quiet', '--orphan', branch], { cwd: dir });
    for (const [file, content] of Object.entries(files)) {
      if (content === null) {
        await git(['rm', '--quiet', '--', file], { cwd: dir });
      } else {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), content);
        await git(['add', '--', file], { cwd: dir });
      }
    }
    await git(['commit', '--quiet', '-m', message], { cwd: dir });
    await git(['push', '--quiet', remote, `HEAD:refs/heads/${branch}`], { cwd: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Paths and sizes of the files on `ref` in a (bare) repository, sorted. */
export async function listFiles(repo: string, ref: string): Promise<{ path: string; size: number }[]> {
  const out = await git(['ls-tree', '-r', '-l', '-z', ref], { cwd: repo });
  return out
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const tab = record.indexOf('\t');
      return { path: record.slice(tab + 1), size: Number(record.slice(0, tab).split(/ +/)[3]) };
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

export function readAt(repo: string, ref: string, file: string): Promise<string> {
  return git(['show', `${ref}:${file}`], { cwd: repo });
}
