// A small git CLI runner for the branch store: execFile-style (no shell), output captured,
// never prompting, secrets masked in every message it produces.
import { spawn } from 'node:child_process';

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitRunner {
  run(args: string[], options?: { cwd?: string; input?: string | Buffer; env?: Record<string, string> }): Promise<GitResult>;
  /** Like run, but throws an Error (masked) when git exits non-zero. */
  ok(args: string[], options?: { cwd?: string; input?: string | Buffer; env?: Record<string, string> }): Promise<string>;
  mask(text: string): string;
}

/** Variables inherited from a hook or another git that would point our git at the wrong repo. */
const SCRUB = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_NAMESPACE', 'GIT_PREFIX'];

export function maskSecrets(text: string, secrets: string[]): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

export function createGitRunner(options: { git?: string; config?: [string, string][]; env?: Record<string, string>; secrets?: string[] }): GitRunner {
  const git = options.git ?? 'git';
  const secrets = options.secrets ?? [];
  const baseEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !SCRUB.includes(k)) baseEnv[k] = v;
  // Extra configuration through GIT_CONFIG_* (git ≥ 2.31): unlike `-c`, it stays out of process listings.
  let count = Number(baseEnv.GIT_CONFIG_COUNT ?? 0) || 0;
  for (const [key, value] of options.config ?? []) {
    baseEnv[`GIT_CONFIG_KEY_${count}`] = key;
    baseEnv[`GIT_CONFIG_VALUE_${count}`] = value;
    count++;
  }
  if (count) baseEnv.GIT_CONFIG_COUNT = String(count);
  // Never wait for a password: no terminal prompt, no inherited GUI askpass helper.
  delete baseEnv.GIT_ASKPASS;
  delete baseEnv.SSH_ASKPASS;
  Object.assign(baseEnv, { GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', LC_ALL: 'C' }, options.env);
  const mask = (text: string): string => maskSecrets(text, secrets);

  const run: GitRunner['run'] = (args, opts = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn(git, args, { cwd: opts.cwd, env: { ...baseEnv, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.once('error', (error) => reject(new Error(mask(`Could not run git (${error.message}); is git installed and on PATH?`))));
      child.once('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
      child.stdin.on('error', () => {
        // git may exit before reading all input; its exit status tells what happened.
      });
      child.stdin.end(opts.input ?? '');
    });

  return {
    run,
    mask,
    async ok(args, opts) {
      const res = await run(args, opts);
      if (res.code !== 0) {
        throw new Error(mask(`git ${args[0]} failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.toString('utf8').trim()}`));
      }
      return res.stdout.toString('utf8');
    },
  };
}

/** Parses `git cat-file --batch` output for the requested objects, in order (undefined when missing). */
export function parseCatFileBatch(output: Buffer, count: number): (Buffer | undefined)[] {
  const out: (Buffer | undefined)[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const nl = output.indexOf(0x0a, pos);
    if (nl < 0) throw new Error('Unexpected end of git cat-file output.');
    const header = output.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const parts = header.split(' ');
    if (parts.length !== 3 || parts[2] === 'missing' || !/^\d+$/.test(parts[2])) {
      out.push(undefined);
      continue;
    }
    const size = Number(parts[2]);
    out.push(parts[1] === 'blob' ? output.subarray(pos, pos + size) : undefined);
    pos += size + 1;
  }
  return out;
}

export interface TreeEntry {
  path: string;
  size: number;
}

/** Parses `git ls-tree -l -z` output (blobs only). */
export function parseLsTree(output: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [, type, , size] = record.slice(0, tab).split(/ +/);
    if (type === 'blob') entries.push({ path: record.slice(tab + 1), size: Number(size) });
  }
  return entries;
}
