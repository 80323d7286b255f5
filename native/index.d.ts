// Types of the native probe addon and of its pure-JS fallback (native/index.js).

export interface Rusage {
  /** Peak resident set size of this process, bytes. */
  maxRssBytes: number;
  minorFaults: number;
  majorFaults: number;
  voluntaryContextSwitches: number;
  involuntaryContextSwitches: number;
  /** User and system CPU time of the process, nanoseconds. */
  userCpuNs: number;
  systemCpuNs: number;
}

export type InstructionCounter =
  | { available: true; /** Starts counting for the calling thread; returns a handle. */ start(): number; /** Instructions retired since start(handle). */ stop(handle: number): number }
  | { available: false; reason: string };

/**
 * Callgrind's client requests (the instructions clock under valgrind, src/measure/callgrind.ts),
 * available when the process runs under valgrind.
 */
export type CallgrindControl =
  | {
      available: true;
      /** RUNNING_ON_VALGRIND: how many valgrinds the process runs under (1). */
      running: number;
      /** CALLGRIND_START_INSTRUMENTATION (true) / CALLGRIND_STOP_INSTRUMENTATION (false). */
      instrument(on: boolean): void;
      /** CALLGRIND_ZERO_STATS: a batch starts (the process runs with --collect-atstart=yes, so every thread counts). Throws when already on. */
      collect(): void;
      /** CALLGRIND_DUMP_STATS: the costs of every thread since collect() go to the next dump file (and are zeroed). Throws without a collect(). */
      dump(): void;
    }
  | { available: false; reason: string };

export interface Probe {
  /** `native` when the Rust addon loaded, `js` for the fallback. */
  readonly kind: 'native' | 'js';
  /** Why the addon did not load (only for kind `js`). */
  readonly notice?: string;
  /** Monotonic clock, nanoseconds, as a double (exact below 2^53 ns, ~104 days). */
  monotonicNs(): number;
  /** CPU time of the calling thread, nanoseconds (fallback: process CPU time). */
  threadCpuNs(): number;
  rusage(): Rusage;
  /** Hardware instructions through perf_event_open, or why not. */
  instructions(): InstructionCounter;
  /** Callgrind's client requests when running under valgrind, or why not. */
  callgrind(): CallgrindControl;
}

/** The probe: the addon when its .node file loads, the pure-JS fallback otherwise (one notice on stderr). */
export declare const probe: Probe;
/** The raw addon module, or null when it did not load. */
export declare const addon: Record<string, unknown> | null;
export declare function loadProbe(options?: { quiet?: boolean }): Probe;
/** The file the addon was loaded from, or null. */
export declare const addonPath: string | null;
/** The `<platform>-<arch>[-abi]` parts `napi build --platform` puts in the file name here, most likely first. */
export declare function platformTriples(): string[];
/** The addon file names this platform can load, e.g. `perfgate.linux-x64-gnu.node`. */
export declare function addonFileNames(): string[];
