// `perfgate init`: a project's way in. Finds its tinybench suites (or writes a starter suite),
// writes the perfgate workflow (converted from a github-action-benchmark workflow when there is
// one) and, when asked, the fork companion and weekly workflows. Never overwrites a file without
// `force`; says what it wrote, what it skipped and what to do next.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { convertWorkflow, InitError, mentionsGab, type Conversion } from './convert.ts';
import {
  COMMENT_WORKFLOW_FILE,
  commentWorkflow,
  GATE_WORKFLOW_FILE,
  gateWorkflow,
  suiteTemplate,
  WEEKLY_WORKFLOW_FILE,
  weeklyWorkflow,
} from './templates.ts';

export { convertWorkflow, InitError, type Conversion, type StepConversion } from './convert.ts';
export * from './templates.ts';

export interface InitOptions {
  /** The project folder. */
  cwd: string;
  /** Overwrite files that exist. */
  force?: boolean;
  /** Also write the fork companion workflow (posts fork PRs' comments). */
  fork?: boolean;
  /** Also write the weekly workflow. */
  weekly?: boolean;
}

export interface InitFile {
  /** Relative to the project, with `/`. */
  path: string;
  /** written, overwritten (with force), unchanged (same text already there), skipped (exists, no force). */
  status: 'written' | 'overwritten' | 'unchanged' | 'skipped';
  /** Why the file is there. */
  why: string;
}

export interface InitReport {
  files: InitFile[];
  /** Suites found in the project (relative paths). */
  suites: string[];
  /** The github-action-benchmark workflow that was converted, and how. */
  converted?: { from: string; conversion: Conversion };
  notes: string[];
  next: string[];
}

/** The default `suites:` glob (src/options.ts) as a test of one relative path. */
const DEFAULT_SUITE = /^bench\/(.+\/)?[^/]+\.bench\.(ts|js|mjs)$/;
const SUITE_FILE = /\.bench\.(ts|mts|js|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'target', 'coverage', 'out', 'vendor']);

/** Files named `*.bench.{ts,mts,js,mjs}` that import tinybench (vitest's bench files do not). */
export function findSuites(cwd: string, maxDepth = 6): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(path.join(cwd, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (depth < maxDepth && !e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) walk(rel, depth + 1);
      } else if (e.isFile() && SUITE_FILE.test(e.name)) {
        const text = readFileSync(path.join(cwd, rel), 'utf8');
        if (/from\s+['"]tinybench['"]|require\(\s*['"]tinybench['"]\s*\)/.test(text)) found.push(rel);
      }
    }
  };
  walk('', 0);
  return found;
}

/** The `suites:` input for these files, or undefined when the default glob finds them all. */
export function suitesInput(suites: string[]): string | undefined {
  if (suites.every((s) => DEFAULT_SUITE.test(s))) return undefined;
  const globs = new Set(suites.map((s) => {
    const dir = path.posix.dirname(s);
    const ext = /\.bench\.(\w+)$/.exec(s)?.[1] ?? 'ts';
    return `${dir === '.' ? '' : `${dir}/`}**/*.bench.${ext}`;
  }));
  return [...globs].join(',');
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The workflows under .github/workflows with a github-action-benchmark step (relative paths, sorted). */
function gabWorkflows(cwd: string): string[] {
  const dir = path.join(cwd, '.github', 'workflows');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => `.github/workflows/${n}`)
    .filter((rel) => mentionsGab(readFileSync(path.join(cwd, rel), 'utf8')));
}

/** Runs `perfgate init` in `o.cwd`: writes what is missing and reports. */
export function runInit(o: InitOptions): InitReport {
  const cwd = path.resolve(o.cwd);
  const files: InitFile[] = [];
  const notes: string[] = [];
  const next: string[] = [];
  const put = (rel: string, text: string, why: string) => {
    const abs = path.join(cwd, rel);
    if (existsSync(abs)) {
      if (readFileSync(abs, 'utf8') === text) return files.push({ path: rel, status: 'unchanged', why });
      if (!o.force) return files.push({ path: rel, status: 'skipped', why });
      writeFileSync(abs, text);
      return files.push({ path: rel, status: 'overwritten', why });
    }
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    return files.push({ path: rel, status: 'written', why });
  };

  const pkg = readJson(path.join(cwd, 'package.json'));
  const deps = { ...(pkg?.dependencies as object | undefined), ...(pkg?.devDependencies as object | undefined) } as Record<string, string>;

  // A github-action-benchmark workflow: its harness stays, perfgate reads the harness's output.
  let converted: InitReport['converted'];
  const gab = gabWorkflows(cwd).filter((rel) => rel !== GATE_WORKFLOW_FILE);
  for (const rel of gab) {
    const conversion = convertWorkflow(readFileSync(path.join(cwd, rel), 'utf8'), rel);
    if (!conversion) continue;
    if (converted) {
      notes.push(`${rel} also has a github-action-benchmark step; it was not converted (one perfgate workflow per project). Merge its benchmark steps into ${GATE_WORKFLOW_FILE} by hand.`);
      continue;
    }
    converted = { from: rel, conversion };
  }

  let suites = findSuites(cwd);
  if (converted) {
    const c = converted.conversion;
    put(GATE_WORKFLOW_FILE, c.text, `converted from ${converted.from}`);
    for (const s of c.steps) {
      notes.push(
        `${converted.from}: jobs.${s.job}: github-action-benchmark's tool '${s.tool}' is perfgate's format ${s.format}; output-file-path ${s.resultsFile} is results-file.` +
          (s.dropped.length ? ` Left out (no perfgate counterpart): ${s.dropped.join(', ')}.` : ''),
      );
    }
    notes.push(...c.changes.map((ch) => `${GATE_WORKFLOW_FILE}: ${ch}.`));
    next.push(`Remove ${converted.from} (or its github-action-benchmark step) once ${GATE_WORKFLOW_FILE} runs, so the benchmarks do not run twice.`);
    next.push(`Try the conversion here: run your benchmark, then npx perfgate ingest --format ${c.steps[0].format} ${c.steps[0].resultsFile} --out results.json`);
  } else {
    if (suites.length === 0) {
      const typescript = existsSync(path.join(cwd, 'tsconfig.json')) || 'typescript' in deps;
      const rel = `bench/example.bench.${typescript ? 'ts' : 'mjs'}`;
      put(rel, suiteTemplate(typescript), 'a starter suite; no tinybench suite was found');
      suites = [rel];
    } else {
      notes.push(`found ${suites.length} suite file(s): ${suites.join(', ')}`);
      for (const s of suites) {
        if (!/export\s+default\b/.test(readFileSync(path.join(cwd, s), 'utf8'))) {
          notes.push(`${s} has no default export; perfgate finds the Bench it fills, but \`export default bench\` makes it explicit.`);
        }
      }
    }
    put(GATE_WORKFLOW_FILE, gateWorkflow({ suites: suitesInput(suites) }), 'the gate on pull requests');
    if (!pkg) next.push('There is no package.json here: the workflow runs `npm ci`. Run `npm init -y`, then the next step.');
    const want = ['tinybench', 'perfgate'].filter((d) => !(d in deps));
    if (want.length) next.push(`npm install --save-dev ${want.join(' ')}   (the suites import tinybench; the workflow's npm ci needs package-lock.json)`);
    else if (!existsSync(path.join(cwd, 'package-lock.json'))) next.push("npm install   (the workflow's npm ci needs package-lock.json)");
    next.push('npx perfgate run   (measure the suites here and print the table)');
  }

  if (o.fork) put(COMMENT_WORKFLOW_FILE, commentWorkflow(), "posts fork pull requests' reports");
  if (o.weekly) {
    if (converted) {
      notes.push(`${WEEKLY_WORKFLOW_FILE} measures tinybench suites; with results from another harness, copy the job of ${GATE_WORKFLOW_FILE} into a scheduled workflow with mode: weekly and baseline: branch instead.`);
    } else {
      put(WEEKLY_WORKFLOW_FILE, weeklyWorkflow({ suites: suitesInput(suites) }), 'the weekly trend report');
    }
  }

  const skipped = files.filter((f) => f.status === 'skipped');
  if (skipped.length) notes.push(`skipped ${skipped.map((f) => f.path).join(', ')}: already there; perfgate init --force overwrites.`);
  next.push(`Commit ${files.filter((f) => f.status === 'written' || f.status === 'overwritten').map((f) => f.path).join(', ') || 'the files'} and open a pull request: perfgate posts its grade table there.`);
  return { files, suites: converted ? [] : suites, converted, notes, next };
}

/** The report as the lines the CLI prints. */
export function formatInitReport(r: InitReport): string[] {
  const lines: string[] = [];
  for (const f of r.files) {
    const verb = { written: 'wrote', overwritten: 'overwrote', unchanged: 'unchanged', skipped: 'skipped (exists; --force overwrites)' }[f.status];
    lines.push(`${verb}: ${f.path}  (${f.why})`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  if (r.next.length) {
    lines.push('next:');
    r.next.forEach((n, i) => lines.push(`  ${i + 1}. ${n}`));
  }
  return lines;
}

export function assertInitDir(cwd: string): void {
  if (!existsSync(cwd)) throw new InitError(`--dir ${cwd} does not exist; create the project folder first or run perfgate init inside it.`);
}
