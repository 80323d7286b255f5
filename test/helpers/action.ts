// Runs the bundled Action (`node dist/index.js`) the way the runner does: inputs as INPUT_*
// variables, the event as a file in GITHUB_EVENT_PATH, outputs and the job summary as files.
import { steadySuite } from './steady-suite.ts';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST_INDEX = path.join(ROOT, 'dist', 'index.js');
/**
 * The node binary that runs the bundled Action: PERFGATE_TEST_NODE when set (.ci/run points it
 * at Node 24, the runtime action.yml declares), else the node running the tests.
 */
export const ACTION_NODE = process.env.PERFGATE_TEST_NODE || process.execPath;

/**
 * The inputs that action.yml gives a default, with it. The runner sets INPUT_<NAME> for each of
 * them when the workflow does not, so runAction does too: a default in action.yml that differs
 * from the code's (or that hides a default the code would choose) shows in the tests as it would
 * on GitHub.
 */
export const ACTION_DEFAULTS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries((parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: unknown }> }).inputs)
    .filter(([, spec]) => spec.default !== undefined)
    .map(([name, spec]) => [name, String(spec.default)]),
);

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::warning::…`, `::error::…` workflow commands printed on stdout. */
  commands: Array<{ command: string; message: string }>;
}

export interface ActionRunOptions {
  inputs: Record<string, string>;
  eventName: string;
  /** The event payload (written to a file) or the path of a fixture. */
  event: unknown;
  workspace: string;
  apiUrl?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Parses the GITHUB_OUTPUT file format (`name<<DELIM\nvalue\nDELIM`, or `name=value`). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]);
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      out[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return out;
}

export async function runAction(o: ActionRunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-action-'));
  const eventPath = typeof o.event === 'string' ? o.event : path.join(dir, 'event.json');
  if (typeof o.event !== 'string') writeFileSync(eventPath, JSON.stringify(o.event));
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const runnerTemp = path.join(dir, 'runner-temp');
  mkdirSync(runnerTemp);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: o.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_REPOSITORY: 'octo-org/perfgate-demo',
    GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    GITHUB_REF: o.eventName === 'pull_request' ? 'refs/pull/42/merge' : 'refs/heads/main',
    GITHUB_RUN_ID: '1000',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: o.apiUrl ?? 'http://127.0.0.1:9',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    PERFGATE_QUIET_NATIVE: '1',
    ...o.env,
  };
  for (const [name, value] of Object.entries(ACTION_DEFAULTS)) env[`INPUT_${name.toUpperCase()}`] ??= value;
  for (const [name, value] of Object.entries(o.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawn(ACTION_NODE, [DIST_INDEX], { cwd: o.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the Action did not finish in ${o.timeoutMs ?? 120_000} ms:\n${stdout}\n${stderr}`));
    }, o.timeoutMs ?? 120_000);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c ?? 1);
    });
  });
  const commands = [...stdout.matchAll(/^::(warning|error|notice)[^:]*::(.*)$/gm)].map((m) => ({ command: m[1], message: m[2] }));
  const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
  const summary = readFileSync(summaryFile, 'utf8');
  // Report files under RUNNER_TEMP are read by the tests after the run: keep them until exit.
  removeAtExit(dir);
  return { code, stdout, stderr, outputs, summary, commands };
}

const leftovers = new Set<string>();

/** Removes `dir` when the test process exits: one exit listener for all of them (not one per run). */
function removeAtExit(dir: string): void {
  if (leftovers.size === 0) process.once('exit', () => {
    for (const d of leftovers) rmSync(d, { recursive: true, force: true });
  });
  leftovers.add(dir);
}

/**
 * A throwaway project with one small CPU-bound suite; its node_modules links to this repo's, so
 * the suite resolves tinybench as a user project would.
 */
export function makeProject(name = 'project'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `perfgate-${name}-`));
  removeAtExit(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, type: 'module', private: true }, null, 2));
  if (!existsSync(path.join(dir, 'node_modules'))) symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  mkdirSync(path.join(dir, 'bench'));
  // Durations reported by the tasks (steadySuite): the Action's verdicts do not depend on how
  // busy the machine is.
  writeFileSync(path.join(dir, 'bench', 'work.bench.mjs'), steadySuite({ 'sum <b>loop</b> | 1': 0.06, sort: 0.026 }));
  return dir;
}
