// One typed options object for every entry point. The Action's inputs, the config file
// (`perfgate.config.json` or the `perfgate` key of package.json) and CLI flags all use the same
// names (kebab-case, as in action.yml) and pass through `parseOptions`, so a bad value gets the
// same message wherever it came from. Pure: no process.env, no fs.

export const FAIL_ON = ['major', 'minor', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const CLOCKS = ['auto', 'wall', 'cpu', 'instructions'] as const;
export type ClockOption = (typeof CLOCKS)[number];

export const BASELINES = ['auto', 'same-runner', 'cache', 'branch', 'file'] as const;
export type BaselineMode = (typeof BASELINES)[number];

export const COMMENT_MODES = ['auto', 'always', 'on-regression', 'never'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

export const MODES = ['gate', 'comment', 'weekly', 'merge'] as const;
export type Mode = (typeof MODES)[number];

export const SAVE_BASELINE = ['auto', 'true', 'false', 'always'] as const;

export const AB_DESIGNS = ['slices', 'rounds'] as const;
export type AbDesign = (typeof AB_DESIGNS)[number];
export type SaveBaseline = (typeof SAVE_BASELINE)[number];

export interface Thresholds {
  /** Fractions: 0.05 means 5% worse. */
  minor: number;
  major: number;
  critical: number;
  /** Changes inside this fraction are noise, whatever the test says. */
  noiseFloor: number;
  /** Significance level of the tests (family-wise for failing, false-discovery for warnings). */
  alpha: number;
}

export interface Options {
  /** Glob patterns of suite files, relative to `cwd`. */
  suites: string[];
  thresholds: Thresholds;
  failOn: FailOn;
  /** Rounds per suite (minimum rounds in adaptive same-runner mode). Each round is a fresh process. */
  rounds: number;
  /** Seconds: the most measuring may take in total (adaptive sampling stops there). */
  timeBudget: number;
  clock: ClockOption;
  baseline: BaselineMode;
  /** Folder of the file store, relative to `cwd`. */
  baselineDir: string;
  dataBranch: string;
  comment: CommentMode;
  saveBaseline: SaveBaseline;
  /** Fail the gate on a comparison against another machine's numbers (off: cross-machine only warns). */
  failOnCrossMachine: boolean;
  failOnMissingBaseline: boolean;
  /** Seconds one suite process may run before it is killed and recorded as failed. */
  suiteTimeout: number;
  /** Milliseconds each task is sampled per round (after warmup). */
  taskTime: number;
  /** Build command; '' means auto-detect. */
  build: string;
  mode: Mode;
  /**
   * Same-runner design: `slices` alternates short slices of each task between a base and a head
   * worker pinned to one CPU (pairs = rounds); `rounds` runs whole suites in fresh processes.
   */
  abDesign: AbDesign;
  /** Slices per side per task and process pair (even). */
  slices: number;
  /** Milliseconds per slice. */
  sliceTime: number;
  /**
   * Slices a side for a task whose blocks disagree in a pair (even, above `slices`); `auto`
   * (default): 3 × slices; 0: off. See src/ab/slices.ts (SliceSettings.slicesMax).
   */
  slicesMax: number | 'auto';
}

export const DEFAULTS: Options = {
  suites: ['bench/**/*.bench.{ts,js,mjs}'],
  thresholds: { minor: 0.05, major: 0.15, critical: 0.5, noiseFloor: 0.01, alpha: 0.05 },
  failOn: 'major',
  rounds: 8,
  timeBudget: 600,
  clock: 'auto',
  baseline: 'auto',
  baselineDir: 'baselines',
  dataBranch: 'perfgate-data',
  comment: 'auto',
  saveBaseline: 'auto',
  failOnCrossMachine: false,
  failOnMissingBaseline: false,
  suiteTimeout: 300,
  taskTime: 200,
  build: '',
  mode: 'gate',
  abDesign: 'slices',
  slices: 16,
  sliceTime: 10,
  slicesMax: 'auto',
};

/**
 * Defaults that differ under `clock: instructions` (docs/instructions-clock.md, "Defaults"), used
 * where no layer set the option. Counts of the same commit agree within 0.01% for single-threaded
 * code that reads no clock (measured A/A spread, docs/calibration/instructions/), so the noise
 * floor is that spread with room to spare (0.5%) and a 1% change is a minor regression. Rounds
 * stay at 8: the paired rank test's smallest p is 2^-n whatever the spread, and it must reach
 * alpha after the correction over m benchmarks (2^-n × m ≤ alpha: 8 pairs cover up to 12).
 * Same-runner A/B runs use the `rounds` design unless `ab-design` is set.
 */
export const INSTRUCTIONS_DEFAULTS: Readonly<Record<'minor-threshold' | 'noise-floor', number>> = { 'minor-threshold': 0.01, 'noise-floor': 0.005 };

/**
 * `suite-timeout` under `clock: instructions` where nobody set it, seconds. Valgrind runs the code
 * 50–100× slower than natively (more with the cache simulation), so the 300 s that kills a hung
 * suite would kill working ones: this repository's vector suite needs several minutes a round
 * under callgrind (docs/instructions-clock.md). With hardware counters the code runs at native
 * speed, and only a hung suite waits this long.
 */
export const INSTRUCTIONS_SUITE_TIMEOUT = 3600;

/** A value as it arrives from a source: strings from inputs and flags, JSON values from a file. */
export type RawValue = string | number | boolean | string[] | undefined | null;
export type RawOptions = Record<string, RawValue>;

/** Where a raw value came from, for messages: `input`, `config key` or `option`. */
export interface Source {
  /** e.g. "input" (Action), "key in perfgate.config.json", "option" (CLI flag). */
  kind: string;
  /** Turns a canonical name (`minor-threshold`) into how the user wrote it (`--minor-threshold`). */
  spell?: (name: string) => string;
}

export class OptionsError extends Error {}

type Setter = (opts: Options, value: RawValue, where: string) => void;

function enumSetter<T extends string>(values: readonly T[], set: (o: Options, v: T) => void): Setter {
  return (opts, value, where) => {
    const v = String(value).trim();
    if (!(values as readonly string[]).includes(v)) {
      throw new OptionsError(`${where} is "${v}"; allowed: ${values.join(', ')}.`);
    }
    set(opts, v as T);
  };
}

/** Percent: "5", "5%", 5 → 0.05. */
function percentSetter(set: (o: Options, v: number) => void, max = 1000): Setter {
  return (opts, value, where) => {
    const text = String(value).trim();
    const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text);
    const n = m ? Number(m[1]) : Number.NaN;
    if (!Number.isFinite(n) || n < 0 || n > max) {
      throw new OptionsError(`${where} is "${text}"; expected a percentage such as 5 or 5% (0 to ${max}).`);
    }
    set(opts, n / 100);
  };
}

function numberSetter(set: (o: Options, v: number) => void, { min, max, integer }: { min: number; max: number; integer?: boolean }): Setter {
  return (opts, value, where) => {
    const text = String(value).trim();
    const n = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new OptionsError(`${where} is "${text}"; expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}.`);
    }
    set(opts, n);
  };
}

function boolSetter(set: (o: Options, v: boolean) => void): Setter {
  return (opts, value, where) => {
    const v = String(value).trim().toLowerCase();
    if (v === 'true' || v === 'false') return set(opts, v === 'true');
    throw new OptionsError(`${where} is "${String(value)}"; expected true or false.`);
  };
}

function stringSetter(set: (o: Options, v: string) => void, { nonEmpty = false } = {}): Setter {
  return (opts, value, where) => {
    const v = String(value).trim();
    if (nonEmpty && !v) throw new OptionsError(`${where} is empty; expected a value.`);
    set(opts, v);
  };
}

function listSetter(set: (o: Options, v: string[]) => void): Setter {
  return (opts, value, where) => {
    const items = (Array.isArray(value) ? value : String(value).split(/[\n,]/)).map((s) => String(s).trim()).filter(Boolean);
    if (items.length === 0) throw new OptionsError(`${where} is empty; expected one or more glob patterns, such as bench/**/*.bench.ts.`);
    set(opts, items);
  };
}

/** Every option perfgate understands, by its canonical (Action input) name. */
export const OPTION_SETTERS: Record<string, Setter> = {
  suites: listSetter((o, v) => (o.suites = v)),
  'minor-threshold': percentSetter((o, v) => (o.thresholds.minor = v)),
  'major-threshold': percentSetter((o, v) => (o.thresholds.major = v)),
  'critical-threshold': percentSetter((o, v) => (o.thresholds.critical = v)),
  'noise-floor': percentSetter((o, v) => (o.thresholds.noiseFloor = v), 100),
  alpha: numberSetter((o, v) => (o.thresholds.alpha = v), { min: 0.0001, max: 0.5 }),
  'fail-on': enumSetter(FAIL_ON, (o, v) => (o.failOn = v)),
  rounds: numberSetter((o, v) => (o.rounds = v), { min: 2, max: 1000, integer: true }),
  'time-budget': numberSetter((o, v) => (o.timeBudget = v), { min: 1, max: 86400 }),
  clock: enumSetter(CLOCKS, (o, v) => (o.clock = v)),
  baseline: enumSetter(BASELINES, (o, v) => (o.baseline = v)),
  'baseline-dir': stringSetter((o, v) => (o.baselineDir = v), { nonEmpty: true }),
  'data-branch': stringSetter((o, v) => (o.dataBranch = v), { nonEmpty: true }),
  comment: enumSetter(COMMENT_MODES, (o, v) => (o.comment = v)),
  'save-baseline': enumSetter(SAVE_BASELINE, (o, v) => (o.saveBaseline = v)),
  'fail-on-cross-machine': boolSetter((o, v) => (o.failOnCrossMachine = v)),
  'fail-on-missing-baseline': boolSetter((o, v) => (o.failOnMissingBaseline = v)),
  'suite-timeout': numberSetter((o, v) => (o.suiteTimeout = v), { min: 1, max: 86400 }),
  'task-time': numberSetter((o, v) => (o.taskTime = v), { min: 1, max: 600_000 }),
  build: stringSetter((o, v) => (o.build = v)),
  mode: enumSetter(MODES, (o, v) => (o.mode = v)),
  'ab-design': enumSetter(AB_DESIGNS, (o, v) => (o.abDesign = v)),
  slices: numberSetter((o, v) => (o.slices = v), { min: 2, max: 1000, integer: true }),
  'slice-time': numberSetter((o, v) => (o.sliceTime = v), { min: 1, max: 10_000 }),
  'slices-max': (opts, value, where) => {
    if (String(value).trim() === 'auto') opts.slicesMax = 'auto';
    else numberSetter((o, v) => (o.slicesMax = v), { min: 0, max: 10_000, integer: true })(opts, value, `${where} (or auto)`);
  },
};

export const OPTION_NAMES = Object.keys(OPTION_SETTERS);

/** The slices a side a disagreeing pair is extended to: `auto` is 3 × slices; 0 is off. */
export function slicesMaxOf(opts: Pick<Options, 'slices' | 'slicesMax'>): number {
  return opts.slicesMax === 'auto' ? 3 * opts.slices : opts.slicesMax;
}

function cloneDefaults(): Options {
  return { ...DEFAULTS, suites: [...DEFAULTS.suites], thresholds: { ...DEFAULTS.thresholds } };
}

function closest(name: string): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of OPTION_NAMES) {
    const score = editDistance(name.toLowerCase(), candidate);
    if (score < bestScore) [best, bestScore] = [candidate, score];
  }
  return bestScore <= 3 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/**
 * Applies layers of raw options (later layers win) over the defaults. Unknown names and bad values
 * throw an OptionsError naming the source, the name, the value and what is allowed.
 * Camel-case keys (`minorThreshold`) are accepted as aliases of the kebab-case names.
 */
export function parseOptions(layers: Array<{ raw: RawOptions; source: Source }>): Options {
  const opts = cloneDefaults();
  const given = new Set<string>();
  for (const { raw, source } of layers) {
    for (const [key, value] of Object.entries(raw)) {
      if (value === undefined || value === null || value === '') continue;
      const name = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      given.add(name);
      const spelled = source.spell ? source.spell(key) : key;
      const setter = OPTION_SETTERS[name];
      if (!setter) {
        const hint = closest(name);
        throw new OptionsError(
          `Unknown ${source.kind} "${spelled}".${hint ? ` Did you mean "${source.spell ? source.spell(hint) : hint}"?` : ''} Known: ${OPTION_NAMES.join(', ')}.`,
        );
      }
      setter(opts, value, `${source.kind} "${spelled}"`);
    }
  }
  const t = opts.thresholds;
  if (opts.clock === 'instructions') {
    if (!given.has('minor-threshold')) t.minor = INSTRUCTIONS_DEFAULTS['minor-threshold'];
    if (!given.has('noise-floor')) t.noiseFloor = Math.min(INSTRUCTIONS_DEFAULTS['noise-floor'], t.minor);
    if (!given.has('suite-timeout')) opts.suiteTimeout = INSTRUCTIONS_SUITE_TIMEOUT;
    // The slices design's long-lived workers are not started under callgrind; whole-suite rounds
    // (fresh processes through runSuiteRound) are.
    if (!given.has('ab-design')) opts.abDesign = 'rounds';
  }
  if (!(t.minor <= t.major && t.major <= t.critical)) {
    throw new OptionsError(
      `Thresholds must rise from minor to major to critical; got minor ${pct(t.minor)}, major ${pct(t.major)}, critical ${pct(t.critical)}. Lower minor-threshold or raise major-threshold.`,
    );
  }
  if (opts.slices % 2 !== 0) throw new OptionsError(`slices is ${opts.slices}; expected an even number (slices come in ABBA / BAAB blocks of two a side).`);
  if (typeof opts.slicesMax === 'number' && opts.slicesMax !== 0 && (opts.slicesMax % 2 !== 0 || opts.slicesMax <= opts.slices)) {
    throw new OptionsError(`slices-max is ${opts.slicesMax}; expected auto (3 × slices), 0 (off) or an even number above slices (${opts.slices}), e.g. ${3 * opts.slices}.`);
  }
  if (t.noiseFloor > t.minor) {
    throw new OptionsError(`noise-floor (${pct(t.noiseFloor)}) is above minor-threshold (${pct(t.minor)}); lower noise-floor or raise minor-threshold.`);
  }
  return opts;
}

function pct(x: number): string {
  return `${+(x * 100).toFixed(2)}%`;
}
