// The build stage: the Action's own probe addon, then the project with the `build` input.
// Child processes only; the orchestrator wraps each step in a log group.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
