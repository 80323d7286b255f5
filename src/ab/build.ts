// The default build of the base commit's checkout, used by `perfgate ab` (the Action passes its own
// build step). Documented in the README ("Same-runner A/B"):
// 1. Dependencies. When the head folder has node_modules and the base's package-lock.json (or,
//    without a lock file, its package.json) is byte-identical to the head's, the base reuses the
//    head's node_modules through a symlink: no install. Otherwise `npm ci` when the base has a
//    package-lock.json, else `npm install` when its package.json has dependencies.
// 2. The build: the `build` option when set ("none" skips), else planBuild's auto-detection (a
//    napi project's `build:native`/`build:napi` script or `napi build --platform --release`;
//    otherwise `npm run build --if-present`).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { planBuild } from '../build.ts';

/**
 * Runs a shell command in `cwd` with its output on our stderr (never stdout: `--json` prints
 * there); rejects with the exit status and the last lines of its output.
 */
export function runBuildCommand(command: string, cwd: string, echo: boolean = true): Promise<void> {
  return new Promise((resolve, reject) => {
    let tail = '';
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.PERFGATE_HARNESS;
    const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const take = (chunk: Buffer) => {
      if (echo) process.stderr.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.on('error', (err) => reject(new Error(`\`${command}\` could not start: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const last = tail.trimEnd().split('\n').slice(-8).join('\n');
      reject(new Error(`\`${command}\` failed in ${cwd} (${signal ? `signal ${signal}` : `exit code ${code}`})${last ? `:\n${last}` : ''}`));
    });
  });
}

function same(a: string, b: string): boolean {
  try {
    return existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

function hasDependencies(pkgFile: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as Record<string, Record<string, string> | undefined>;
    return ['dependencies', 'devDependencies', 'optionalDependencies'].some((k) => Object.keys(pkg[k] ?? {}).length > 0);
  } catch {
    return false;
  }
}

export interface DefaultBuildOptions {
  /** The head's folder (whose node_modules may be reused). */
  headDir: string;
  /** The `build` option ('' = auto-detect, 'none' = skip). */
  build: string;
  log: (message: string) => void;
  /** Runs a shell command in a folder (default: runBuildCommand, output on stderr). */
  run?: (command: string, cwd: string) => Promise<void>;
}

/** Installs and builds the checkout in `dir` as described above; rejects when a step fails. */
export async function defaultBuild(dir: string, o: DefaultBuildOptions): Promise<void> {
  const run = o.run ?? ((command: string, cwd: string) => runBuildCommand(command, cwd));
  const pkg = path.join(dir, 'package.json');
  if (existsSync(pkg) && !existsSync(path.join(dir, 'node_modules'))) {
    const headModules = path.join(o.headDir, 'node_modules');
    const lock = ['package-lock.json', 'npm-shrinkwrap.json'].find((f) => existsSync(path.join(dir, f)));
    const key = lock ?? 'package.json';
    if (existsSync(headModules) && same(path.join(dir, key), path.join(o.headDir, key))) {
      symlinkSync(headModules, path.join(dir, 'node_modules'), 'junction');
      o.log(`Base checkout: ${key} is identical to the head's, so it reuses the head's node_modules.`);
    } else if (lock) {
      o.log('Base checkout: installing dependencies with npm ci.');
      await run('npm ci --no-audit --no-fund', dir);
    } else if (hasDependencies(pkg)) {
      o.log('Base checkout: installing dependencies with npm install (no package-lock.json).');
      await run('npm install --no-audit --no-fund', dir);
    }
  }
  const plan = planBuild(o.build, dir);
  if (!plan.command) {
    o.log(`Base checkout: no build (${plan.reason}).`);
    return;
  }
  o.log(`Base checkout: building with \`${plan.command}\` (${plan.reason}).`);
  await run(plan.command, dir);
}
