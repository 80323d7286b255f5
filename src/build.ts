// The build stage: the Action's own probe addon, then the project with the `build` input.
// Child processes only; the orchestrator wraps each step in a log group.
import * as cache from '@actions/cache';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BuildPlan {
  /** Shell command to run in the project folder, or null to skip. */
  command: string | null;
  /** Why this command (for the log). */
  reason: string;
}

/** Is this a napi-rs project (a `napi` key, or @napi-rs/cli among its dependencies)? */
export function isNapiProject(cwd: string): boolean {
  const file = path.join(cwd, 'package.json');
  if (!existsSync(file)) return false;
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    return Boolean(pkg.napi || pkg.dependencies?.['@napi-rs/cli'] || pkg.devDependencies?.['@napi-rs/cli']);
  } catch {
    return false;
  }
}

/** The build command: the `build` input, or auto-detected when it is empty; `none` skips. */
export function planBuild(build: string, cwd: string): BuildPlan {
  const given = build.trim();
  if (given === 'none' || given === 'false') return { command: null, reason: 'build is "none"' };
  if (given) return { command: given, reason: 'the build input' };
  if (isNapiProject(cwd)) {
    const scripts = (JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    // A project that wraps its napi build in a script knows best how to call it.
    const script = ['build:native', 'build:napi', 'build:debug'].find((s) => s in scripts);
    if (script) return { command: `npm run ${script}`, reason: `napi project with a "${script}" script` };
    return { command: 'npx napi build --platform --release', reason: 'napi project (auto-detected)' };
  }
  return { command: 'npm run build --if-present', reason: 'auto-detected (no napi project)' };
}

/** Runs a shell command, streaming its output; rejects with the exit status on failure. */
export function runCommand(command: string, cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (err) => reject(new Error(`Build command "${command}" could not start: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`Build command "${command}" failed in ${cwd} (${signal ? `signal ${signal}` : `exit code ${code}`}). Fix the build or set the build input.`));
    });
  });
}

export interface CargoCachePlan {
  key: string;
  restoreKeys: string[];
  paths: string[];
}

/**
 * What to cache around a Rust build: Cargo's registry and git checkouts and the project's target
 * folder, keyed on the OS, the rustc version and Cargo.lock. Null when there is no Cargo.lock or
 * no rustc (nothing to key on).
 */
export function cargoCachePlan(cwd: string, env: NodeJS.ProcessEnv = process.env): CargoCachePlan | null {
  const lock = path.join(cwd, 'Cargo.lock');
  if (!existsSync(lock)) return null;
  let rustc: string;
  try {
    rustc = execFileSync('rustc', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
  const hash = (text: string | Buffer) => createHash('sha256').update(text).digest('hex').slice(0, 16);
  const prefix = `perfgate-cargo-${env.RUNNER_OS ?? process.platform}-${hash(rustc)}-`;
  const cargoHome = env.CARGO_HOME ?? path.join(os.homedir(), '.cargo');
  return {
    key: `${prefix}${hash(readFileSync(lock))}`,
    restoreKeys: [prefix],
    paths: [path.join(cargoHome, 'registry', 'index'), path.join(cargoHome, 'registry', 'cache'), path.join(cargoHome, 'git', 'db'), path.join(cwd, 'target')],
  };
}

/**
 * Runs `build` between a restore and a save of the Cargo cache. The cache is a speed-up only: when
 * the service is missing or fails, it logs a warning and builds anyway.
 */
export async function withCargoCache(cwd: string, log: { info(m: string): void; warning(m: string): void }, build: () => Promise<void>): Promise<void> {
  const plan = cargoCachePlan(cwd);
  if (!plan || !cache.isFeatureAvailable()) return build();
  let hit: string | undefined;
  try {
    hit = await cache.restoreCache(plan.paths, plan.key, plan.restoreKeys);
    log.info(hit ? `Cargo cache restored (${hit}).` : 'No Cargo cache yet.');
  } catch (err) {
    log.warning(`Cargo cache not restored: ${(err as Error).message}`);
  }
  await build();
  if (hit === plan.key) return;
  try {
    await cache.saveCache(plan.paths, plan.key);
    log.info(`Cargo cache saved (${plan.key}).`);
  } catch (err) {
    log.warning(`Cargo cache not saved: ${(err as Error).message}`);
  }
}
