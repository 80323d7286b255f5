// The Rust twins of the workload, as the workload's own addon exports them
// (workload/native/src/{scan,yaml,vector}.rs, built by `npm run build:native` into
// workload/native/perfgate-workload.<platform>-<arch>[-abi].node), typed. When the addon is
// missing, or was built before these functions existed, nativeWorkload() returns null and prints
// one notice per process; the suites then run the TypeScript tasks only.
//
// Environment: PERFGATE_NO_NATIVE=1 leaves the addon unloaded (as it does perfgate's probe).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { platformTriples } from 'perfgate/native';

const ADDON_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../native');
const BINARY_NAME = 'perfgate-workload';

/** Loads the workload's addon; never throws. */
function loadWorkloadAddon(): { addon: Record<string, unknown> | null; reason: string | null } {
  if (process.env.PERFGATE_NO_NATIVE === '1') return { addon: null, reason: 'disabled by PERFGATE_NO_NATIVE=1' };
  const files = platformTriples()
    .map((triple) => path.join(ADDON_DIR, `${BINARY_NAME}.${triple}.node`))
    .filter((file) => existsSync(file));
  if (files.length === 0) return { addon: null, reason: `no ${BINARY_NAME}.${platformTriples()[0]}.node in ${ADDON_DIR}` };
  const require = createRequire(import.meta.url);
  const failures: string[] = [];
  for (const file of files) {
    try {
      return { addon: require(file) as Record<string, unknown>, reason: null };
    } catch (error) {
      failures.push(`${file}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    }
  }
  return { addon: null, reason: failures.join('; ') };
}

const loaded = loadWorkloadAddon();
const addon = loaded.addon;

/** What scanDirectory / scanFiles return: the JS wrapper in scan.ts expands it into findings. */
export interface RawScan {
  files: number;
  bytes: number;
  /** File names of the findings, joined by NUL, in finding order. */
  names: string;
  /** [index into names, line, rule index] per finding. */
  records: Float64Array;
  errors: Array<{ file: string; message: string }>;
}

export interface WorkloadAddon {
  scanDirectory(root: string, threads?: number): RawScan;
  scanFiles(root: string, files: string[], threads?: number): RawScan;
  /** In-memory files (names joined by NUL): file i is data[ends[i-1]..ends[i]]. */
  scanTexts(names: string, data: Uint8Array, ends: Float64Array, threads?: number): RawScan;
  scanRuleIds(): string[];
  /** Parses YAML (or JSON) bytes; returns the documents as one JSON array text. Throws `file:line:col: message`. */
  parseConfigJson(bytes: Uint8Array, file: string): string;
  /** Same, but builds the JavaScript values directly through Node-API. */
  parseConfigValues(bytes: Uint8Array, file: string): unknown[];
  /** Copies `count × dims` floats into a Rust-side index; returns its handle. */
  vectorIndexCreate(data: Float32Array, dims: number): number;
  vectorIndexFree(handle: number): boolean;
  /** Cosine top-k of each of the queries (`q × dims` floats): ids and scores, query after query. */
  vectorTopK(handle: number, queries: Float32Array, k: number): { ids: Float64Array; scores: Float64Array };
  /** Dot product of the query with every indexed vector. */
  vectorDotAll(handle: number, query: Float32Array): Float64Array;
  vectorDot(a: Float32Array, b: Float32Array): number;
  vectorCosine(a: Float32Array, b: Float32Array): number;
  /** Which kernel runs: `avx2+fma`, `neon` or `scalar`. */
  vectorSimd(): string;
}

export type NativeFeature = 'scan' | 'config' | 'vector';

const REQUIRED: Record<NativeFeature, Array<keyof WorkloadAddon>> = {
  scan: ['scanDirectory', 'scanFiles', 'scanTexts', 'scanRuleIds'],
  config: ['parseConfigJson', 'parseConfigValues'],
  vector: ['vectorIndexCreate', 'vectorIndexFree', 'vectorTopK', 'vectorDotAll', 'vectorDot', 'vectorCosine', 'vectorSimd'],
};

const notified = new Set<string>();

/** Why the Rust twin of `feature` is unavailable, or null when it is available. */
export function nativeUnavailableReason(feature: NativeFeature): string | null {
  if (!addon) return `the workload's native addon did not load (${loaded.reason})`;
  const missing = REQUIRED[feature].filter((name) => typeof addon?.[name] !== 'function');
  if (missing.length > 0) return `the workload's native addon lacks ${missing.join(', ')} (built from older sources)`;
  return null;
}

/**
 * The Rust twins, or null (with one notice on stderr per process and reason, unless `quiet`)
 * when the addon is missing or lacks the functions of `feature`. Build it with
 * `npm run build:native`.
 */
export function nativeWorkload(feature: NativeFeature, options: { quiet?: boolean } = {}): WorkloadAddon | null {
  const reason = nativeUnavailableReason(feature);
  if (reason === null) return addon as unknown as WorkloadAddon;
  if (!notified.has(reason) && !options.quiet && !process.env.PERFGATE_QUIET_NATIVE) {
    notified.add(reason);
    process.stderr.write(`perfgate: Rust twins of the workload skipped: ${reason}. Build it with \`npm run build:native\`.\n`);
  }
  return null;
}
