// github-action-benchmark → perfgate: a workflow with a `benchmark-action/github-action-benchmark`
// step becomes a perfgate workflow. The step's `tool:` becomes `format:` and `output-file-path:`
// becomes `results-file:`; the steps that run the harness stay as they are. Pure: YAML text in,
// YAML text out (comments and the other steps are kept).
import { isMap, isScalar, isSeq, parseDocument, YAMLMap, type Document } from 'yaml';
import { findFormat } from '../ingest/index.ts';
import { GATE_WORKFLOW_NAME, PERFGATE_USES } from './templates.ts';

/** The Action's repository, under its current and its former owner. */
const GAB_USES = /^\s*(benchmark-action|rhysd)\/github-action-benchmark(@.*)?\s*$/i;

/** A problem with the workflow to convert: names the file, the bad value and the fix. */
export class InitError extends Error {
  override name = 'InitError';
}

export interface StepConversion {
  /** The job id. */
  job: string;
  /** github-action-benchmark's `tool:` as written, and perfgate's format it maps to. */
  tool: string;
  format: string;
  resultsFile: string;
  /** github-action-benchmark inputs perfgate has no counterpart for (left out, named in a comment). */
  dropped: string[];
}

export interface Conversion {
  text: string;
  steps: StepConversion[];
  /** What else changed in the workflow (triggers, permissions, name). */
  changes: string[];
}

/** True when the workflow text has a github-action-benchmark step (a cheap test before parsing). */
export function mentionsGab(text: string): boolean {
  return /github-action-benchmark/i.test(text);
}

function str(node: unknown): string | undefined {
  if (isScalar(node) && node.value !== null && node.value !== undefined) return String(node.value);
  return undefined;
}

/** github-action-benchmark's `alert-threshold` ('200%': alert at twice the previous value) as perfgate thresholds. */
function thresholds(alert: string, file: string): { major: number; critical?: number } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(alert);
  const ratio = m ? Number(m[1]) / 100 : Number.NaN;
  if (!Number.isFinite(ratio) || ratio <= 1) {
    throw new InitError(`${file}: alert-threshold is "${alert}"; expected a percentage above 100% such as '200%' (github-action-benchmark's form). Fix it in the workflow, or remove it to use perfgate's defaults.`);
  }
  const major = Math.round((ratio - 1) * 1000) / 10; // percent
  // perfgate's thresholds must rise: minor 5% < major < critical (default 50%).
  return major >= 50 ? { major, critical: major * 2 } : { major };
}

/** The perfgate step's `with:` for one github-action-benchmark step's `with:`. */
function convertWith(gabWith: YAMLMap, file: string, where: string): { with: YAMLMap; conv: Omit<StepConversion, 'job'> } {
  const get = (key: string) => str(gabWith.get(key, true));
  const tool = get('tool');
  if (!tool) throw new InitError(`${file}: ${where} has no tool: input; github-action-benchmark needs one (e.g. tool: 'cargo'). Add it, then run perfgate init again.`);
  let format: string;
  try {
    format = findFormat(tool).name;
  } catch {
    throw new InitError(
      `${file}: ${where} has tool: '${tool}', which perfgate does not read; have the benchmark write github-action-benchmark's custom JSON ([{name, value, unit}]) and use tool: 'customSmallerIsBetter', then run perfgate init again.`,
    );
  }
  const resultsFile = get('output-file-path');
  if (!resultsFile) throw new InitError(`${file}: ${where} has no output-file-path: input; add the path of the benchmark's output file, then run perfgate init again.`);

  const out = new YAMLMap();
  out.set('format', format);
  out.set('results-file', resultsFile);
  const token = get('github-token');
  if (token) out.set('github-token', token);
  const alert = get('alert-threshold');
  if (alert) {
    const t = thresholds(alert, file);
    out.set('major-threshold', `${t.major}%`);
    if (t.critical) out.set('critical-threshold', `${t.critical}%`);
  }
  // github-action-benchmark only warns unless fail-on-alert is true.
  out.set('fail-on', get('fail-on-alert') === 'true' ? 'major' : 'never');
  // auto-push kept the history on a branch (gh-pages); perfgate keeps its own on perfgate-data.
  if (get('auto-push') === 'true') out.set('baseline', 'branch');
  const mapped = new Set(['tool', 'output-file-path', 'github-token', 'alert-threshold', 'fail-on-alert', 'auto-push']);
  const dropped = gabWith.items.map((p) => str(p.key) ?? '').filter((k) => k && !mapped.has(k));
  return { with: out, conv: { tool, format, resultsFile, dropped } };
}

function ensurePullRequestTrigger(doc: Document, changes: string[]): void {
  const on = doc.get('on', true);
  if (isMap(on)) {
    if (!on.has('pull_request')) {
      on.set('pull_request', null);
      changes.push('added the pull_request trigger (perfgate gates pull requests)');
    }
  } else if (isSeq(on)) {
    if (!on.items.some((i) => str(i) === 'pull_request')) {
      on.add('pull_request');
      changes.push('added the pull_request trigger (perfgate gates pull requests)');
    }
  } else {
    const one = str(on);
    if (one !== 'pull_request') {
      doc.set('on', doc.createNode(one ? [one, 'pull_request'] : ['pull_request']));
      changes.push('added the pull_request trigger (perfgate gates pull requests)');
    }
  }
}

/**
 * Converts a workflow with github-action-benchmark steps; null when it has none. `file` is named in
 * errors. Every such step becomes a perfgate step; each job that had one gets perfgate's
 * permissions; the workflow is named `perfgate` (the fork companion waits for that name) and runs
 * on pull requests too.
 */
export function convertWorkflow(text: string, file: string): Conversion | null {
  if (!mentionsGab(text)) return null;
  const doc = parseDocument(text);
  if (doc.errors.length) throw new InitError(`${file}: not valid YAML (${doc.errors[0].message.split('\n')[0]}); fix the workflow, then run perfgate init again.`);
  const jobs = doc.get('jobs', true);
  if (!isMap(jobs)) return null;
  const steps: StepConversion[] = [];
  const changes: string[] = [];
  for (const pair of jobs.items) {
    let branch = false;
    const jobId = str(pair.key) ?? '';
    const job = pair.value;
    if (!isMap(job)) continue;
    const list = job.get('steps', true);
    if (!isSeq(list)) continue;
    let converted = false;
    list.items.forEach((step, i) => {
      if (!isMap(step) || !GAB_USES.test(str(step.get('uses', true)) ?? '')) return;
      const where = `jobs.${jobId}.steps[${i}]`;
      const gabWith = step.get('with', true);
      if (!isMap(gabWith)) throw new InitError(`${file}: ${where} has no with: block; github-action-benchmark needs tool: and output-file-path:. Add them, then run perfgate init again.`);
      const gabUses = str(step.get('uses', true)) ?? 'github-action-benchmark';
      const { with: perfgateWith, conv } = convertWith(gabWith, file, where);
      if (perfgateWith.has('baseline')) branch = true;
      step.set('uses', PERFGATE_USES);
      step.set('with', perfgateWith);
      const name = str(step.get('name', true));
      step.set('name', name ? `${name} (perfgate)` : 'perfgate');
      const note = [`converted from ${gabUses} by perfgate init: tool -> format, output-file-path -> results-file`];
      if (conv.dropped.length) note.push(`left out (no perfgate counterpart): ${conv.dropped.join(', ')}`);
      const noteText = ` ${note.join('\n ')}`;
      step.commentBefore = step.commentBefore ? `${step.commentBefore}\n${noteText}` : noteText;
      steps.push({ job: jobId, ...conv });
      converted = true;
    });
    if (!converted) continue;
    const permissions = doc.createNode({
      contents: branch ? 'write' : 'read',
      'pull-requests': 'write',
      actions: 'write',
    }) as YAMLMap;
    permissions.commentBefore = ` perfgate: contents ${branch ? 'write (the perfgate-data branch)' : 'read'}, pull-requests write (the grade comment), actions write (the Actions cache)`;
    job.set('permissions', permissions);
    changes.push(`set jobs.${jobId}.permissions to what perfgate needs`);
  }
  if (steps.length === 0) return null;
  if (str(doc.get('name', true)) !== GATE_WORKFLOW_NAME) {
    doc.set('name', GATE_WORKFLOW_NAME);
    changes.push(`named the workflow "${GATE_WORKFLOW_NAME}" (the fork companion workflow waits for it)`);
  }
  ensurePullRequestTrigger(doc, changes);
  return { text: doc.toString({ lineWidth: 0, nullStr: '' }), steps, changes };
}
