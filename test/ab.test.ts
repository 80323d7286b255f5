// `perfgate ab --base REF` end to end, in a real git repository made by the test: a commit with a
// 30% slowdown fails the gate (exit 1, major), an identical commit passes (exit 0), a base that
// does not build is reported and nothing passes as unchanged, an unknown base is a usage error,
// and no worktree is left behind in any case. The CLI runs from source in a child process.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listWorktrees } from '../src/ab/index.ts';
import { comparisonSchema } from '../src/schema/comparison.ts';
import { git, tempDir } from './helpers/git.ts';
import { steadySuite } from './helpers/steady-suite.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const cli = path.join(root, 'src', 'cli.ts');

/**
 * A suite whose one task does `iterations` units of work, reported as 0.1 ms per 4,000
 * (steadySuite): more iterations are proportionally slower, whatever else the machine is doing.
 */
function suite(iterations: number): string {
  return steadySuite({ loop: (0.1 * iterations) / 4000 });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function perfgate(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, cli, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CI: '1', PERFGATE_QUIET_NATIVE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The temporary checkout a run used (from its log line), to check it is gone. */
function checkoutOf(run: Run): string | undefined {
  return /checked out in (\S+)\./.exec(run.stderr)?.[1];
}

let repo: string;
const commits: Record<string, string> = {};
// Small and quick: six process pairs, short slices; the durations come from the suite itself.
const FAST = ['--time-budget', '120', '--rounds', '6', '--slices', '8', '--slice-time', '5', '-q'];

beforeAll(async () => {
  repo = await tempDir('ab-repo');
  await git(['init', '--quiet', '--initial-branch=main'], { cwd: repo });
  // Dependencies come from perfgate's own node_modules (not committed): the base checkout reuses
  // them because package.json is identical, which is the CLI's default build path.
  symlinkSync(path.join(root, 'node_modules'), path.join(repo, 'node_modules'), 'junction');
  writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n.perfgate\n');
  writeFileSync(path.join(repo, 'package.json'), `${JSON.stringify({ name: 'ab-fixture', private: true, type: 'module', dependencies: { tinybench: '*' } }, null, 2)}\n`);
  mkdirSync(path.join(repo, 'bench'));
  const commit = async (name: string, iterations: number, note = '') => {
    writeFileSync(path.join(repo, 'bench', 'work.bench.mjs'), suite(iterations));
    writeFileSync(path.join(repo, 'NOTES.md'), `${name}${note}\n`);
    await git(['add', '-A'], { cwd: repo });
    await git(['commit', '--quiet', '-m', name], { cwd: repo });
    commits[name] = (await git(['rev-parse', 'HEAD'], { cwd: repo })).trim();
  };
  await commit('base', 4000);
  await commit('slow', 5200); // +30% work per call
  await commit('same', 5200, ' (docs only)');
});

afterAll(async () => {
  if (repo) await rm(repo, { recursive: true, force: true });
});

describe('perfgate ab --base REF', () => {
  it('fails on a 30% slowdown (exit 1, major) and leaves no worktree', async () => {
    await git(['checkout', '--quiet', '--detach', commits.slow], { cwd: repo });
    const out = path.join(repo, '.perfgate', 'slow.json');
    const run = await perfgate(repo, ['ab', '--base', 'HEAD~1', ...FAST, '--json', out]);
    expect(run.code, `${run.stderr}\n${existsSync(out) ? readFileSync(out, 'utf8').slice(0, 3000) : ''}`).toBe(1);
    const c = comparisonSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(c.mode).toBe('paired');
    expect(c.base?.commit).toBe(commits.base);
    expect(c.base?.source).toMatch(/^base commit [0-9a-f]{7} \(same runner\)$/);
    const b = c.benchmarks.find((x) => x.id === 'work/loop')!;
    expect(b.verdict).toBe('major');
    expect(b.worse!).toBeGreaterThan(0.15);
    expect(c.gate.failed).toBe(true);
    expect(c.notices.join('\n')).toMatch(/Same-runner A\/B/);
    expect(run.stdout).toMatch(/major/);
    expect(listWorktrees(repo)).toEqual([realpathSync(repo)]);
    const dir = checkoutOf(run);
    expect(dir).toBeDefined();
    expect(existsSync(dir!)).toBe(false);
  });

  it('passes identical code (exit 0)', async () => {
    await git(['checkout', '--quiet', '--detach', commits.same], { cwd: repo });
    const out = path.join(repo, '.perfgate', 'same.json');
    const run = await perfgate(repo, ['ab', '--base', 'HEAD~1', ...FAST, '--json', out]);
    expect(run.code, `${run.stderr}\n${existsSync(out) ? readFileSync(out, 'utf8').slice(0, 3000) : ''}`).toBe(0);
    const c = comparisonSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    const b = c.benchmarks.find((x) => x.id === 'work/loop')!;
    expect(['unchanged', 'inconclusive']).toContain(b.verdict);
    expect(c.gate.failed).toBe(false);
    expect(listWorktrees(repo)).toEqual([realpathSync(repo)]);
  });

  it('reports a base that does not build, compares nothing, and cleans up', async () => {
    await git(['checkout', '--quiet', '--detach', commits.slow], { cwd: repo });
    const out = path.join(repo, '.perfgate', 'nobuild.json');
    const run = await perfgate(repo, ['ab', '--base', 'HEAD~1', '--build', 'echo compiling; exit 3', '--rounds', '2', '-q', '--json', out]);
    expect(run.code, run.stderr).toBe(0);
    const c = comparisonSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(c.mode).toBe('none');
    expect(c.benchmarks.every((b) => b.verdict === 'new')).toBe(true);
    expect(c.notices.join('\n')).toMatch(/did not build.*exit code 3/s);
    expect(c.notices.join('\n')).toMatch(/not a pass of unchanged code/);
    expect(c.gate.reason).toMatch(/nothing compared/);
    expect(listWorktrees(repo)).toEqual([realpathSync(repo)]);
    expect(existsSync(checkoutOf(run)!)).toBe(false);
  });

  it('refuses an unknown base with exit 2 and a clear message', async () => {
    const run = await perfgate(repo, ['ab', '--base', 'no-such-branch', '-q']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown base revision "no-such-branch"/);
    expect(listWorktrees(repo)).toEqual([realpathSync(repo)]);
  });
});
