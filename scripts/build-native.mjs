#!/usr/bin/env node
// Builds the native addons (Rust): perfgate's probe (native/, into
// native/perfgate.<platform>-<arch>[-abi].node) and, for this repository's own suites, the
// reference workload's kernels (workload/native/, into workload/native/perfgate-workload.<...>.node).
// Both use the shared Node-API binding crate native/napi.
//
//   node scripts/build-native.mjs [--force] [--probe-only]     (npm run build:native: both)
//
// With @napi-rs/cli installed it runs `napi build --platform --release`; without it (a runner
// executing the bundled Action) it runs `cargo build --release` and copies the library under the
// same name. Skips the build when the .node file is newer than every source (unless --force).
// Without cargo it explains and exits 0, since perfgate then uses its pure-JS probe; with
// PERFGATE_REQUIRE_NATIVE=1 (CI) a missing cargo or a failed build exits 1.
//
// `buildNative(options)` is the same logic for the Action (e.g. building a base commit's addon);
// it builds the probe alone unless `options.addon` is 'workload': the Action never compiles the
// workload.

import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The two addons of the repository: folder, Cargo package and napi binary name. */
const ADDONS = {
  probe: { dir: 'native', cargoPackage: 'perfgate-native', binaryName: 'perfgate' },
  workload: { dir: join('workload', 'native'), cargoPackage: 'perfgate-workload', binaryName: 'perfgate-workload' },
};
/** The Node-API binding crate both addons depend on. */
const BINDING_DIR = join('native', 'napi');
const DEFAULT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * napi's `<platform>-<arch>[-abi]` for a Rust target triple, e.g. x86_64-unknown-linux-gnu →
 * linux-x64-gnu, aarch64-apple-darwin → darwin-arm64, x86_64-pc-windows-msvc → win32-x64-msvc.
 * @param {string} triple
 */
export function platformArchAbi(triple) {
  const parts = triple.split('-');
  const cpu = parts[0];
  const arches = {
    x86_64: 'x64',
    aarch64: 'arm64',
    i686: 'ia32',
    i586: 'ia32',
    riscv64gc: 'riscv64',
    powerpc64le: 'ppc64',
  };
  const arch = arches[cpu] ?? (cpu.startsWith('armv7') ? 'arm' : cpu);
  const sys = parts.length === 4 ? parts[2] : parts[1];
  const abi = parts.length === 4 ? parts[3] : parts[2];
  const platform = { apple: 'darwin', darwin: 'darwin', windows: 'win32' }[sys] ?? sys;
  if (platform === 'darwin') return `darwin-${arch}`;
  return abi ? `${platform}-${arch}-${abi}` : `${platform}-${arch}`;
}

/**
 * The addon file names the loaders (native/index.js, workload/src/native.ts) accept on this
 * machine.
 * @param {string} binaryName
 */
function candidateNames(binaryName) {
  const { platform, arch } = process;
  let triples;
  if (platform === 'linux') {
    triples =
      arch === 'arm'
        ? ['linux-arm-gnueabihf', 'linux-arm-musleabihf']
        : [`linux-${arch}-gnu`, `linux-${arch}-musl`];
  } else if (platform === 'win32') triples = [`win32-${arch}-msvc`, `win32-${arch}-gnu`];
  else if (platform === 'darwin') triples = [`darwin-${arch}`, 'darwin-universal'];
  else triples = [`${platform}-${arch}`];
  return triples.map((t) => `${binaryName}.${t}.node`);
}

/** @param {string} dir @returns {string[]} */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** @param {string | undefined} name @returns {typeof ADDONS.probe} */
function addonSpec(name = 'probe') {
  const spec = ADDONS[/** @type {keyof typeof ADDONS} */ (name)];
  if (!spec) throw new Error(`unknown addon ${name} (expected ${Object.keys(ADDONS).join(' or ')})`);
  return spec;
}

/**
 * Whether an addon for this machine exists and is newer than every source (its crate's, the
 * binding crate's and the workspace's).
 * @param {string} root
 * @param {'probe' | 'workload'} [addon]
 * @returns {{ upToDate: boolean, file: string | null }}
 */
export function addonStatus(root = DEFAULT_ROOT, addon = 'probe') {
  const spec = addonSpec(addon);
  const nativeDir = join(root, spec.dir);
  const bindingDir = join(root, BINDING_DIR);
  const file = candidateNames(spec.binaryName)
    .map((name) => join(nativeDir, name))
    .find((path) => existsSync(path));
  if (!file) return { upToDate: false, file: null };
  const sources = [
    ...filesUnder(join(nativeDir, 'src')),
    join(nativeDir, 'Cargo.toml'),
    join(nativeDir, 'build.rs'),
    join(nativeDir, 'package.json'),
    ...filesUnder(join(bindingDir, 'src')),
    join(bindingDir, 'Cargo.toml'),
    join(root, 'Cargo.toml'),
    join(root, 'Cargo.lock'),
  ].filter((path) => existsSync(path));
  const newest = Math.max(0, ...sources.map((path) => statSync(path).mtimeMs));
  return { upToDate: statSync(file).mtimeMs > newest, file };
}

/**
 * cargo on PATH, else where rustup puts it ($CARGO_HOME/bin, ~/.cargo/bin).
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | null}
 */
export function findCargo(env = process.env) {
  const exe = process.platform === 'win32' ? 'cargo.exe' : 'cargo';
  const onPath = spawnSync(exe, ['--version'], { env, stdio: 'ignore' });
  if (onPath.status === 0) return exe;
  const homes = [env.CARGO_HOME, join(homedir(), '.cargo')].filter(Boolean);
  for (const home of homes) {
    const path = join(/** @type {string} */ (home), 'bin', exe);
    const works = existsSync(path) && spawnSync(path, ['--version'], { env, stdio: 'ignore' }).status === 0;
    if (works) return path;
  }
  return null;
}

/** @param {string} root @returns {string | null} the @napi-rs/cli entry script */
function findNapiCli(root) {
  try {
    const require = createRequire(join(root, 'package.json'));
    const pkgPath = require.resolve('@napi-rs/cli/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.napi;
    return bin ? join(dirname(pkgPath), bin) : null;
  } catch {
    return null;
  }
}

/**
 * Builds an addon (the probe unless `addon` says 'workload') unless it is up to date.
 * @param {{
 *   root?: string,              repository root (holds Cargo.toml and native/)
 *   addon?: 'probe' | 'workload',
 *   force?: boolean,            build even when up to date
 *   requireNative?: boolean,    a missing cargo is an error (default: PERFGATE_REQUIRE_NATIVE=1)
 *   useNapiCli?: boolean,       use @napi-rs/cli when installed (default true)
 *   env?: NodeJS.ProcessEnv,
 *   log?: (line: string) => void,
 * }} [options]
 * @returns {{ status: 'built' | 'up-to-date' | 'skipped', file: string | null, reason?: string }}
 * @throws {Error} when the build fails, or cargo is missing and requireNative is set
 */
export function buildNative(options = {}) {
  const root = resolve(options.root ?? DEFAULT_ROOT);
  const env = options.env ?? process.env;
  const log = options.log ?? ((line) => console.error(line));
  const requireNative = options.requireNative ?? env.PERFGATE_REQUIRE_NATIVE === '1';
  const addon = options.addon ?? 'probe';
  const spec = addonSpec(addon);
  const nativeDir = join(root, spec.dir);
  const show = (path) => relative(process.cwd(), path) || path;

  const before = addonStatus(root, addon);
  if (before.upToDate && !options.force) {
    log(`perfgate: native addon up to date (${show(/** @type {string} */ (before.file))})`);
    return { status: 'up-to-date', file: before.file };
  }

  const cargo = findCargo(env);
  if (!cargo) {
    if (requireNative) {
      throw new Error(
        'cargo not found: install Rust (https://rustup.rs) or unset PERFGATE_REQUIRE_NATIVE',
      );
    }
    const reason = 'cargo not found';
    log(
      before.file
        ? `perfgate: ${reason}, so ${show(before.file)} is not rebuilt from the changed ` +
            'sources (perfgate keeps using it). Install Rust (https://rustup.rs) and run ' +
            '`npm run build:native`.'
        : `perfgate: ${reason}, so the native addon is not built; perfgate will use its ` +
            'pure-JS probe (process CPU time, no instruction counts). Install Rust ' +
            '(https://rustup.rs) and run `npm run build:native` for the native probe.',
    );
    return { status: 'skipped', file: before.file, reason };
  }
  // Let napi and cargo find each other when cargo is not on PATH.
  const childEnv = cargo.includes('/') || cargo.includes('\\')
    ? { ...env, PATH: `${dirname(cargo)}${delimiter}${env.PATH ?? ''}` }
    : env;

  const started = Date.now();
  const napiCli = options.useNapiCli === false ? null : findNapiCli(root);
  const file = napiCli
    ? buildWithNapi(napiCli, nativeDir, spec, childEnv)
    : buildWithCargo(cargo, root, nativeDir, spec, childEnv, log);
  log(`perfgate: built ${show(file)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { status: 'built', file };
}

/** napi build writes index.js / index.d.ts in some configurations; ours are hand-written. */
function keepingLoaderFiles(nativeDir, run) {
  const kept = ['index.js', 'index.d.ts']
    .map((name) => join(nativeDir, name))
    .filter((path) => existsSync(path))
    .map((path) => [path, readFileSync(path)]);
  try {
    return run();
  } finally {
    for (const [path, content] of kept) {
      if (!existsSync(path) || !readFileSync(path).equals(content)) writeFileSync(path, content);
    }
  }
}

function buildWithNapi(napiCli, nativeDir, spec, env) {
  const args = [napiCli, 'build', '--platform', '--release', '--no-js', '--cwd', nativeDir];
  const result = keepingLoaderFiles(nativeDir, () =>
    spawnSync(process.execPath, args, {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'inherit', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
  // napi warns that it generates no type definitions for a crate without `napi-derive`: true,
  // expected (std only, DESIGN.md section 3; the .d.ts files are hand-written), so not repeated.
  const stderr = (result.stderr ?? '')
    .split('\n')
    .filter((line) => !line.includes('`napi-derive` crate is not used'))
    .join('\n');
  if (stderr.trim()) process.stderr.write(stderr.endsWith('\n') ? stderr : `${stderr}\n`);
  if (result.status !== 0) {
    const code = result.status ?? result.signal ?? result.error?.message;
    throw new Error(`native addon build failed: napi build exited with ${code}`);
  }
  const built = candidateNames(spec.binaryName)
    .map((name) => join(nativeDir, name))
    .filter((path) => existsSync(path))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!built) {
    const names = candidateNames(spec.binaryName).join(', ');
    throw new Error(`napi build succeeded but wrote none of ${names} in ${nativeDir}`);
  }
  return built;
}

function buildWithCargo(cargo, root, nativeDir, spec, env, log) {
  log(`perfgate: building ${spec.cargoPackage} with cargo (no @napi-rs/cli)`);
  const vv = spawnSync(env.RUSTC || 'rustc', ['-vV'], { env, encoding: 'utf8' });
  const host = /^host: (\S+)/m.exec(vv.stdout ?? '')?.[1];
  if (!host) {
    throw new Error('native addon build failed: `rustc -vV` did not name the host triple');
  }
  const target = env.CARGO_BUILD_TARGET || host;

  const args = ['build', '--release', '--lib', '-p', spec.cargoPackage];
  args.push('--manifest-path', join(root, 'Cargo.toml'), '--message-format=json-render-diagnostics');
  if (env.CARGO_BUILD_TARGET) args.push('--target', target);
  const result = spawnSync(cargo, args, {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const code = result.status ?? result.signal ?? result.error?.message;
    throw new Error(`native addon build failed: cargo build exited with ${code}`);
  }
  const library = result.stdout
    .split('\n')
    .flatMap((line) => {
      try {
        const message = JSON.parse(line);
        const cdylib = message.reason === 'compiler-artifact' && message.target?.kind?.includes('cdylib');
        return cdylib ? message.filenames.filter((f) => /\.(so|dylib|dll)$/.test(f)) : [];
      } catch {
        return [];
      }
    })
    .at(-1);
  if (!library) throw new Error('native addon build failed: cargo reported no cdylib artifact');

  const dest = join(nativeDir, `${spec.binaryName}.${platformArchAbi(target)}.node`);
  // Copy then rename, so a process that has the old file loaded keeps a valid mapping.
  const temp = `${dest}.${process.pid}.tmp`;
  copyFileSync(library, temp);
  renameSync(temp, dest);
  return dest;
}

function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(
      'usage: node scripts/build-native.mjs [--force] [--probe-only]\n' +
        'Builds native/perfgate.<platform>.node (the probe) and workload/native/perfgate-workload.<platform>.node\n' +
        '(the reference workload; not with --probe-only). PERFGATE_REQUIRE_NATIVE=1: a missing cargo is an error.',
    );
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--force' && arg !== '--probe-only');
  if (unknown.length > 0) {
    console.error(`build-native: unknown argument ${unknown[0]} (expected --force or --probe-only)`);
    return 2;
  }
  try {
    const force = argv.includes('--force');
    const probe = buildNative({ force });
    // The workload's kernels only when the probe could be built (no cargo: one notice is enough).
    if (probe.status !== 'skipped' && !argv.includes('--probe-only')) {
      buildNative({ force, addon: 'workload' });
    }
    return 0;
  } catch (error) {
    console.error(`perfgate: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
