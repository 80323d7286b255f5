// Loader of the native probe addon (native/src, Rust) with a pure-JS fallback. Types: index.d.ts.
//
// Plain ESM JavaScript, no build step. Importing this module never throws: when the `.node` file
// is missing or does not load, `probe` is the pure-JS probe, and the first use of a fallback
// probe prints one notice on stderr per process (PERFGATE_QUIET_NATIVE=1 silences it).
//
// Environment:
//   PERFGATE_NO_NATIVE=1     use the pure-JS probe even when the addon exists (tests)
//   PERFGATE_QUIET_NATIVE=1  no notice on stderr
//   PERFGATE_NATIVE_PATH     load this .node file instead of looking next to this file (for
//                            example the base commit's build in same-runner mode)

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BINARY_NAME = 'perfgate';
const REQUIRED_EXPORTS = [
  'version',
  'monotonicNs',
  'threadCpuNs',
  'rusage',
  'instructionsAvailable',
  'instructionsStart',
  'instructionsStop',
];

function isMusl() {
  if (process.platform !== 'linux') return false;
  try {
    return readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
  } catch {
    // No ldd (minimal image): ask Node's own report, which names glibc when it runs on it.
    try {
      const header = /** @type {any} */ (process.report?.getReport())?.header;
      return !header?.glibcVersionRuntime;
    } catch {
      return false;
    }
  }
}

/**
 * The `<platform>-<arch>[-abi]` parts `napi build --platform` puts in the file name, most likely
 * first (linux: the C library in use, then the other one).
 * @returns {string[]}
 */
export function platformTriples() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    if (arch === 'arm') return ['linux-arm-gnueabihf', 'linux-arm-musleabihf'];
    const abis = isMusl() ? ['musl', 'gnu'] : ['gnu', 'musl'];
    return abis.map((abi) => `linux-${arch}-${abi}`);
  }
  if (platform === 'win32') return [`win32-${arch}-msvc`, `win32-${arch}-gnu`];
  if (platform === 'darwin') return [`darwin-${arch}`, 'darwin-universal'];
  return [`${platform}-${arch}`];
}

/**
 * The addon file names this platform can use, e.g. `perfgate.linux-x64-gnu.node`.
 * @returns {string[]}
 */
export function addonFileNames() {
  return platformTriples().map((t) => `${BINARY_NAME}.${t}.node`);
}

/** @returns {string} */
function firstLine(error) {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].trim();
}

/**
 * Finds and loads the addon. Never throws.
 * @returns {{ addon: Record<string, unknown> | null, path: string | null, reason: string | null }}
 */
function loadAddon() {
  try {
    if (process.env.PERFGATE_NO_NATIVE === '1') {
      return { addon: null, path: null, reason: 'disabled by PERFGATE_NO_NATIVE=1' };
    }
    const here = dirname(fileURLToPath(import.meta.url));
    let candidates;
    if (process.env.PERFGATE_NATIVE_PATH) {
      candidates = [resolve(process.env.PERFGATE_NATIVE_PATH)];
    } else {
      // Next to this file; and ../native when this file was bundled into dist/.
      const dirs = [...new Set([here, join(here, '..', 'native')])];
      candidates = dirs.flatMap((dir) => addonFileNames().map((name) => join(dir, name)));
    }
    const present = candidates.filter((file) => existsSync(file));
    if (present.length === 0) {
      const where = process.env.PERFGATE_NATIVE_PATH
        ? candidates[0]
        : `${addonFileNames()[0]} in ${here}`;
      return { addon: null, path: null, reason: `no ${where}` };
    }
    const require = createRequire(import.meta.url);
    const failures = [];
    for (const file of present) {
      try {
        const addon = require(file);
        const missing = REQUIRED_EXPORTS.filter((name) => typeof addon?.[name] !== 'function');
        if (missing.length > 0) {
          failures.push(`${file} lacks ${missing.join(', ')} (a stale build?)`);
          continue;
        }
        return { addon, path: file, reason: null };
      } catch (error) {
        failures.push(`${file}: ${firstLine(error)}`);
      }
    }
    return { addon: null, path: null, reason: failures.join('; ') };
  } catch (error) {
    return { addon: null, path: null, reason: firstLine(error) };
  }
}

const loaded = loadAddon();

/** The raw addon module, or null when it did not load. */
export const addon = loaded.addon;
/** The file the addon was loaded from, or null. */
export const addonPath = loaded.path;

/** @param {any} native */
function nativeProbe(native) {
  return Object.freeze({
    kind: 'native',
    monotonicNs: native.monotonicNs,
    threadCpuNs: native.threadCpuNs,
    rusage: native.rusage,
    instructions() {
      const status = native.instructionsAvailable();
      if (status.available) {
        return Object.freeze({
          available: true,
          start: native.instructionsStart,
          stop: native.instructionsStop,
        });
      }
      return Object.freeze({ available: false, reason: String(status.reason) });
    },
    callgrind() {
      if (typeof native.valgrindRunning !== 'function') return NO_CALLGRIND_EXPORTS;
      const running = native.valgrindRunning();
      if (!running) return NOT_UNDER_VALGRIND;
      return Object.freeze({
        available: true,
        running,
        instrument: (on) => native.callgrindInstrument(on ? 1 : 0),
        collect: native.callgrindCollect,
        dump: native.callgrindDump,
      });
    },
  });
}

const NO_CALLGRIND_EXPORTS = Object.freeze({
  available: false,
  reason: 'the native addon has no valgrind client requests (a stale build? run `npm run build:native`)',
});
const NOT_UNDER_VALGRIND = Object.freeze({ available: false, reason: 'not running under valgrind' });

const NOT_LOADED = Object.freeze({ available: false, reason: 'native addon not loaded' });

/** @param {string} reason */
function jsProbe(reason) {
  return Object.freeze({
    kind: 'js',
    notice: reason,
    monotonicNs: () => Number(process.hrtime.bigint()),
    // Process CPU time (all threads): JavaScript has no per-thread CPU clock.
    threadCpuNs: () => {
      const { user, system } = process.cpuUsage();
      return (user + system) * 1000;
    },
    rusage: () => {
      const r = process.resourceUsage();
      return {
        maxRssBytes: r.maxRSS * 1024,
        minorFaults: r.minorPageFault,
        majorFaults: r.majorPageFault,
        voluntaryContextSwitches: r.voluntaryContextSwitches,
        involuntaryContextSwitches: r.involuntaryContextSwitches,
        userCpuNs: r.userCPUTime * 1000,
        systemCpuNs: r.systemCPUTime * 1000,
      };
    },
    instructions: () => NOT_LOADED,
    callgrind: () => NOT_LOADED,
  });
}

// Shared by every copy of this module in the process (bundled and unbundled), so the notice
// prints once.
const NOTICE_PRINTED = Symbol.for('perfgate.native.noticePrinted');

/** @param {string} reason */
function printNoticeOnce(reason) {
  const g = /** @type {Record<symbol, unknown>} */ (globalThis);
  if (g[NOTICE_PRINTED] || process.env.PERFGATE_QUIET_NATIVE === '1') return;
  g[NOTICE_PRINTED] = true;
  try {
    process.stderr.write(
      `perfgate: native probe not loaded (${reason}); using the pure-JS probe. ` +
        'Build it with `npm run build:native` (needs Rust/cargo).\n',
    );
  } catch {
    // stderr closed: nothing to tell.
  }
}

let cached;

/**
 * The probe: the addon when it loaded, else the pure-JS fallback (printing the notice once
 * unless `quiet`).
 * @param {{ quiet?: boolean }} [options]
 */
export function loadProbe(options = {}) {
  cached ??= loaded.addon ? nativeProbe(loaded.addon) : jsProbe(loaded.reason ?? 'unknown reason');
  if (cached.kind === 'js' && !options.quiet) printNoticeOnce(cached.notice);
  return cached;
}

/**
 * The default probe. Its members resolve on first use, so importing this module prints nothing;
 * the fallback's notice appears when the probe is first used. For tight timing loops take the
 * functions from `loadProbe()`, which skips this indirection.
 */
export const probe = Object.freeze({
  get kind() {
    return loadProbe().kind;
  },
  get notice() {
    return loadProbe().notice;
  },
  monotonicNs: () => loadProbe().monotonicNs(),
  threadCpuNs: () => loadProbe().threadCpuNs(),
  rusage: () => loadProbe().rusage(),
  instructions: () => loadProbe().instructions(),
  callgrind: () => loadProbe().callgrind(),
});
