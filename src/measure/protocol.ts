// What the parent runner (runner.ts) and the child harness (harness.ts) exchange.
// The parent passes a HarnessConfig as JSON in argv; the child writes one HarnessOutput as a JSON
// line to the file named in the config (never stdout: suites print whatever they like there).
// Types only, so both sides can import it without pulling code into the other.

export type MeasureClock = 'wall' | 'cpu' | 'instructions';

export interface HarnessConfig {
  /** Absolute path of the suite file. */
  suiteFile: string;
  /** Where the child writes its single JSON line. */
  outFile: string;
  clock: MeasureClock;
  /** Time budget of the sampling phase per task, milliseconds (default 200). */
  taskTimeMs?: number;
  /** Shortest warmup per task, milliseconds (default: half the task budget, at most 100). */
  warmupMs?: number;
  /**
   * Longest warmup per task, milliseconds: warmup goes on past warmupMs while the per-op cost
   * still improves (default: max(warmupMs, min(1000, 5 × taskTimeMs)); see sampler.ts).
   */
  warmupMaxMs?: number;
  /** Samples per task per round: at least (unless one sample takes very long), at most. */
  minSamples?: number;
  maxSamples?: number;
  /** Shortest sample, nanoseconds (default 50 µs); raised to 100× the clock's resolution and overhead. */
  minSampleNs?: number;
  /** The child exits by itself after this many ms (a backstop should the parent die without killing it). */
  deadlineMs?: number;
  /**
   * Run the untimed leak probe after timed sampling: heap checkpoints (forced GCs) for the
   * in-round leak check (default true). Timed sampling itself never forces a GC.
   */
  heapCheckpoints?: boolean;
  /** Length of the leak probe per task, milliseconds (default: min(taskTimeMs, 100)). */
  leakProbeMs?: number;
  /**
   * Serve mode (the A/B worker): load the suite, then take requests on the IPC channel instead
   * of measuring every task and writing `outFile` (ServeRequest / ServeReply below).
   */
  serve?: boolean;
}

/** What the parent asks a serving harness; every request gets exactly one reply with its id. */
export type ServeRequest =
  /**
   * `collect`: one young-generation collection (scavenge) after the warmup, before the reply
   * (serve mode's only forced collection; see harness.ts, scavenge).
   */
  | { cmd: 'warm'; id: number; task: string; collect?: boolean }
  /**
   * `quiet`: the task's background work (background.ts) runs only during this slice (resumed
   * before it, paused after it); without it the background is left as it is (running from the
   * task's warmup on). The parent asks for quiet slices only when both sides of the pair can pause
   * theirs, and then first sends `pause` to both.
   */
  | { cmd: 'slice'; id: number; task: string; ms: number; minBatches: number; maxBatches: number; quiet?: boolean }
  /** Pauses the task's background work until its next quiet slice (background.ts). */
  | { cmd: 'pause'; id: number; task: string }
  | { cmd: 'close'; id: number; task: string }
  | { cmd: 'exit'; id: number };

export type ServeReply =
  /** Sent once, unasked, when the suite is loaded (or could not be: `error`). */
  | {
      kind: 'ready';
      id?: undefined;
      suite: string;
      tasks: Array<{ name: string; error?: string }>;
      error?: string;
      probe?: string;
      clockResolution?: number;
      clockOverhead?: number;
    }
  /** `background`: the task registered background work (background.ts), still running after the warmup. */
  | { kind: 'warm'; id: number; batch: number; warmupMs: number; async: boolean; background?: boolean }
  | { kind: 'paused'; id: number }
  /**
   * Per-op cost of each timed batch of the slice; involuntary switches of the thread meanwhile.
   * `majorGc`: the major (mark-compact) collections that ended during the slice, and their pause
   * in ms, when the runtime reports them (a `gc` PerformanceObserver; see harness.ts), and the
   * process's minor page faults meanwhile; both only while the parent keeps a slice log.
   */
  | { kind: 'slice'; id: number; costs: number[]; wallMs: number; switches?: number; majorGc?: { count: number; ms: number }; minorFaults?: number }
  | { kind: 'closed'; id: number; calls: number }
  | { kind: 'exit'; id: number; meta?: unknown; rusage?: HarnessOutput['rusage'] }
  | { kind: 'error'; id: number; error: string };

export interface TaskOutput {
  name: string;
  /** Value per operation: ns (wall, cpu) or instructions, one per sample, in measuring order. */
  samples: number[];
  /** Median of `samples` (NaN-free; 0 when there are none). */
  median: number;
  /** Calls per sample. */
  batch: number;
  /** Calls made while sampling (warmup and leak probe excluded). */
  calls: number;
  async: boolean;
  /** The slowdown factor PERFGATE_INJECT put into this task's timed samples (calibration), when > 1. */
  injected?: number;
  /**
   * Estimated cycles per call (instructions clock under callgrind, with its cache simulation):
   * `median` × the estimated cycles per instruction of the timed samples (callgrind.ts).
   */
  estimatedCycles?: number;
  /**
   * Heap used after GC once the task and its hooks ran, minus the heap used after GC before, less
   * what the leak probe added: what warmup and timed sampling left behind.
   */
  heapRetainedBytes?: number;
  /** Heap used after GC at the end of the task (absolute), less what the leak probe added. */
  heapAfterBytes?: number;
  /** Heap used after GC in the untimed leak probe: before its first quarter and after each of its four. */
  heapCheckpoints?: number[];
  /** The in-round leak rule fired on `heapCheckpoints` (see sampler.ts, `inRoundLeak`). */
  leakInRound?: boolean;
  /** Calls made by the leak probe. */
  leakProbeCalls?: number;
  /** Wall time of the warmup (calibration and adaptive warmup, from the end of the first call), ms. */
  warmupMs?: number;
  /** Batches run by the adaptive warmup (after calibration). */
  warmupSamples?: number;
  /** Wall time of the timed sampling phase, ms. */
  samplingMs?: number;
  /**
   * Involuntary context switches of the measuring thread during timed sampling: the thread was
   * runnable and something else got the core. Linux counts the thread itself
   * (/proc/thread-self/status); elsewhere the whole process (getrusage).
   */
  involuntarySwitches?: number;
  /**
   * Speed reference (sampler.ts): median over the checks around and inside the sampling windows
   * of one fixed reference loop, on the task's clock (ns per loop). Absent for instructions and
   * for tasks that report their own duration.
   */
  reference?: number;
  /** Speed-reference checks taken, and how many of them were slow spells (slower than 1.2× the process's fastest). */
  referenceChecks?: number;
  referenceSlow?: number;
  /** Set when the task (or one of its hooks) threw: first line of the message and top stack frame. */
  error?: string;
  /**
   * Not measured in this round by design (no samples): a same-runner A/B pair after the look at
   * which this benchmark resolved measures only the benchmarks still unresolved (slices.ts). Both
   * sides of the pair skip it, so the benchmark's rounds stay paired; buildResults leaves the
   * round out of its values rather than counting it failed.
   */
  skipped?: boolean;
}

export interface HarnessOutput {
  /** perfgate.suite ?? the file's base name without `.bench.ts` (or its other extensions). */
  suite: string;
  /**
   * The raw `export const perfgate = {...}` of the suite module (validated by the parent), as it
   * is once the tasks ran: a load task writes its metrics into `tasks[name].load` when it ends.
   */
  meta?: unknown;
  tasks: TaskOutput[];
  /** Suite-level failure (import threw, no Bench exported, clock unavailable...). */
  error?: string;
  /** Resolution and per-read overhead of the clock measured at start (same unit as samples). */
  clockResolution?: number;
  clockOverhead?: number;
  /** `native` or `js` (the probe's pure-JS fallback). */
  probe?: string;
  rusage?: {
    maxRssBytes: number;
    involuntaryContextSwitches: number;
    voluntaryContextSwitches: number;
  };
  /** Wall time spent from harness start to output, ms. */
  elapsedMs: number;
}
