// The Action's inputs, read once: every INPUT_* variable becomes one typed ActionInputs object
// (the gate options, the token and folder, and the job inputs of shard, merge, weekly and
// results-file runs). Nothing else reads INPUT_*. The names are listed once, in src/constants.ts
// (ACTION_ONLY_INPUTS) and src/options.ts (OPTION_NAMES); action.yml and the README follow them
// (test/docs.test.ts).
import { ACTION_ONLY_INPUTS, INPUTS } from '../constants.ts';
import { OptionsError, parseOptions, type Options, type RawOptions } from '../options.ts';
import { parseShard, parseShardTotal, type Shard } from '../shard/shard.ts';

type Env = Record<string, string | undefined>;

export type ActionOnlyInput = (typeof ACTION_ONLY_INPUTS)[number];

/** The inputs that configure the Action's jobs rather than the decision or the Action itself. */
export type JobInput = Exclude<ActionOnlyInput, 'github-token' | 'working-directory'>;

export interface JobInputs {
  /** `shard: i/n` in gate mode (undefined: not sharded). */
  shard?: Shard;
  /** Merge mode: the number of shards to expect (undefined: found from the artifacts). */
  shardTotal?: number;
  openIssue: boolean;
  /** `dashboard`, `dashboard-dir`, `dashboard-url`: publish the history dashboard, and link to it. */
  dashboard: DashboardInputs;
  /** Results files instead of measuring, and their format (`perfgate` = results@1 JSON). */
  resultsFiles: string[];
  format: string;
  /** Merge mode: a folder holding the shards' folders (e.g. from actions/download-artifact). */
  resultsDir?: string;
}

/** Every input of every mode, parsed and validated. */
export interface ActionInputs {
  options: Options;
  /** `github-token` ('' when not given). */
  token: string;
  /** `working-directory`, as given ('' when not given). */
  workingDirectory: string;
  /** The job inputs (all empty in comment mode, which does not read them). */
  job: JobInputs;
}

export interface DashboardInputs {
  /** `dashboard: true`: write the dashboard to the data branch (weekly runs and default-branch pushes). */
  publish: boolean;
  /** The folder of the data branch it goes in (default `dashboard`). */
  dir: string;
  /** Where GitHub Pages serves it (undefined: no links in the summary, issues and comment). */
  url?: string;
}

export const DEFAULT_DASHBOARD_DIR = 'dashboard';

const NO_JOB: JobInputs = { openIssue: false, dashboard: { publish: false, dir: DEFAULT_DASHBOARD_DIR }, resultsFiles: [], format: 'perfgate' };

/** Reads every known input once; an input the Action does not know is an error naming it. */
export function readInputs(env: Env): { raw: RawOptions; action: Record<ActionOnlyInput, string> } {
  const known = new Set(INPUTS.map((n) => n.toUpperCase()));
  for (const key of Object.keys(env)) {
    if (!key.startsWith('INPUT_')) continue;
    const name = key.slice('INPUT_'.length);
    if (!known.has(name)) {
      throw new OptionsError(`Unknown input "${name.toLowerCase()}". Known inputs: ${INPUTS.join(', ')}.`);
    }
  }
  const get = (name: string) => (env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
  const raw: RawOptions = {};
  for (const name of INPUTS) if (!(ACTION_ONLY_INPUTS as readonly string[]).includes(name)) raw[name] = get(name);
  const action = Object.fromEntries(ACTION_ONLY_INPUTS.map((n) => [n, get(n)])) as Record<ActionOnlyInput, string>;
  return { raw, action };
}

/** Reads and validates the inputs into one ActionInputs; a bad value is an OptionsError naming the input. */
export function readActionInputs(env: Env): ActionInputs {
  const { raw, action } = readInputs(env);
  const options = parseOptions([{ raw, source: { kind: 'input' } }]);
  const job = options.mode === 'comment' ? { ...NO_JOB } : parseJobInputs((name) => action[name], options.mode);
  return { options, token: action['github-token'], workingDirectory: action['working-directory'], job };
}

/** Parses the job inputs; a bad value is an OptionsError naming the input. */
export function parseJobInputs(get: (name: JobInput) => string, mode: Options['mode']): JobInputs {
  const shardText = get('shard');
  let shard: Shard | undefined;
  let shardTotal: number | undefined;
  try {
    if (mode === 'merge') shardTotal = parseShardTotal(shardText, 'input "shard"');
    else if (shardText) shard = parseShard(shardText, 'input "shard"');
  } catch (err) {
    throw new OptionsError((err as Error).message);
  }
  const openIssueText = get('open-issue').toLowerCase();
  if (openIssueText && openIssueText !== 'true' && openIssueText !== 'false') {
    throw new OptionsError(`input "open-issue" is "${get('open-issue')}"; expected true or false.`);
  }
  const dashboard = parseDashboardInputs(get);
  const resultsFiles = get('results-file')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const format = get('format') || 'perfgate';
  if (format !== 'perfgate' && resultsFiles.length === 0) throw new OptionsError('input "format" is set but "results-file" is empty; give the files to read (results-file: path/to/output.json).');
  if (shard && resultsFiles.length) throw new OptionsError('inputs "shard" and "results-file" do not go together: a shard measures its share of the suites.');
  const resultsDir = get('results-dir') || undefined;
  if (resultsDir && mode !== 'merge') throw new OptionsError('input "results-dir" is for mode: merge (a folder of shard results); leave it empty in other modes.');
  return { shard, shardTotal, openIssue: openIssueText === 'true', dashboard, resultsFiles, format, resultsDir };
}

/** The store's own folders on the data branch, which the dashboard must not write into. */
const DATA_BRANCH_FOLDERS = ['baselines', 'history', 'corrupt'];

/** `dashboard`, `dashboard-dir` and `dashboard-url`; a bad value is an OptionsError naming the input, the value and the fix. */
export function parseDashboardInputs(get: (name: 'dashboard' | 'dashboard-dir' | 'dashboard-url') => string): DashboardInputs {
  const publishText = get('dashboard');
  const publish = publishText.toLowerCase();
  if (publish && publish !== 'true' && publish !== 'false') {
    throw new OptionsError(`input "dashboard" is "${publishText}"; expected true or false. Set dashboard: true to publish the history dashboard to the data branch, or leave it out (default false).`);
  }
  const dirText = get('dashboard-dir');
  const dir = (dirText || DEFAULT_DASHBOARD_DIR).replace(/\\/g, '/').replace(/\/+$/, '');
  const segments = dir.split('/');
  if (
    !dir ||
    dir.startsWith('/') ||
    !/^[A-Za-z0-9._\/-]+$/.test(dir) ||
    segments.some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.')) ||
    DATA_BRANCH_FOLDERS.includes(segments[0])
  ) {
    throw new OptionsError(
      `input "dashboard-dir" is "${dirText}"; expected a folder of the data branch, relative and without . or .. (letters, digits, . _ - /), other than ${DATA_BRANCH_FOLDERS.join('/, ')}/ (the history's own), e.g. ${DEFAULT_DASHBOARD_DIR} (the default) or docs.`,
    );
  }
  const urlText = get('dashboard-url');
  let url: string | undefined;
  if (urlText) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(urlText);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username || parsed.password) {
      throw new OptionsError(`input "dashboard-url" is "${urlText}"; expected the http(s) address where GitHub Pages serves the dashboard, e.g. https://OWNER.github.io/REPO/${DEFAULT_DASHBOARD_DIR}/, or leave it out for no links.`);
    }
    parsed.hash = '';
    url = parsed.toString();
  }
  return { publish: publish === 'true', dir, ...(url ? { url } : {}) };
}
