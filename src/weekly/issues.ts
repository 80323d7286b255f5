// One GitHub issue per detected regression step (`open-issue: true`). Each issue carries a hidden
// marker naming the benchmark and the run where the step starts; the weekly run finds its issues
// by that marker and then:
//  - a regression step without an issue: creates one;
//  - a step whose issue is open: updates it in place (title and body), also when the detected
//    position moved by a run or two as more history arrived;
//  - a step whose issue was closed by a maintainer: leaves it closed (no nagging);
//  - an open issue whose step has recovered (the level is back within the minor threshold):
//    updates it to say so and closes it.
import type { Octokit } from '../github/client.ts';
import { withRetry, type Log, type RetryOptions } from '../github/retry.ts';
import { dashboardLink } from '../dashboard/links.ts';
import { mermaidTrend } from '../report/charts.ts';
import { markdownCell, safeUrl, truncateText } from '../report/escape.ts';
import { formatP, formatPercent, formatValue } from '../report/format.ts';
import { entryLabel, entryText, type History, type HistoryEntry } from '../history/series.ts';
import { isRegressionStep, type StepFinding } from './analyze.ts';

export const STEP_MARKER_PREFIX = '<!-- perfgate:step ';
export const ISSUE_LABEL = 'perfgate';
/** GitHub's limit on an issue body. */
const MAX_BODY = 65_536;
/** A step found again within this many runs of where its issue says it was is the same step. */
const SAME_STEP_RUNS = 2;
/** Most issue pages scanned for markers when the label lookup finds none. */
const SCAN_PAGES = 5;

function hex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

function unhex(text: string): string | undefined {
  return /^(?:[0-9a-f]{2})+$/.test(text) ? Buffer.from(text, 'hex').toString('utf8') : undefined;
}

/** Where a step starts: the commit of its first run, or that run's start time. */
function stepAnchor(e: HistoryEntry): string {
  return e.commit && /^[0-9a-f]{7,64}$/i.test(e.commit) ? e.commit.toLowerCase() : e.startedAt;
}

/**
 * `<!-- perfgate:step id=<hex of the benchmark id> at=<commit or ISO time> -->`, with
 * ` clock=<clock>` before the end for a history of another clock than wall time (constants.ts
 * clockScope), so that the weekly steps of two clocks keep their own issues.
 */
export function stepMarker(s: Pick<StepFinding, 'id' | 'entry'>, clock?: string): string {
  const scope = clock ? ` clock=${clock.replace(/[^a-z]/g, '')}` : '';
  return `${STEP_MARKER_PREFIX}id=${hex(s.id)} at=${stepAnchor(s.entry).replace(/[^0-9A-Za-z:.TZ+-]/g, '').replace(/-{2,}/g, '-')}${scope} -->`;
}

/** The marker's benchmark, anchor and clock (absent: wall time, as markers without one were). */
export function parseStepMarker(body: string | null | undefined): { id: string; at: string; clock?: string } | undefined {
  if (!body) return undefined;
  const m = /<!-- perfgate:step id=([0-9a-f]+) at=(\S+?)(?: clock=([a-z]+))? -->/.exec(body);
  if (!m) return undefined;
  const id = unhex(m[1]);
  return id === undefined ? undefined : { id, at: m[2], ...(m[3] ? { clock: m[3] } : {}) };
}

export interface StepIssueContext {
  history: History;
  runUrl?: string;
  /** The thresholds' minor value, for the recovery sentence. */
  minor: number;
  /** dashboard-url and the branch it shows: the body links to the benchmark on the dashboard. */
  dashboard?: { url: string; branch?: string };
  /** The history's clock when not wall time (constants.ts clockScope): in the marker and the title. */
  clock?: string;
}

export function stepIssueTitle(s: StepFinding, clock?: string): string {
  const what = s.recovered ? 'recovered from' : s.worse >= 0 ? 'regressed' : 'changed';
  return truncateText(`perfgate: ${s.id} ${what} ${formatPercent(s.change)} (${s.kind}${clock ? `, ${clock}` : ''}) since ${entryText(s.entry)}`, 250);
}

export function stepIssueBody(s: StepFinding, ctx: StepIssueContext): string {
  const url = ctx.runUrl ? safeUrl(ctx.runUrl) : undefined;
  const range = s.previous?.commit && s.entry.commit ? `\`git log ${entryLabel(s.previous)}..${entryLabel(s.entry)}\`` : '';
  const lines = [
    stepMarker(s, ctx.clock),
    `### ${s.recovered ? '✅ Recovered' : s.kind === 'critical' ? '🛑 Critical' : s.kind === 'major' ? '❌ Major' : '⚠️ Minor'} regression step in **${markdownCell(s.id)}**`,
    '',
    `The weekly perfgate run found a step in this benchmark's history: **${markdownCell(formatPercent(s.change))}** (${markdownCell(formatValue(s.before, s.unit))} → ${markdownCell(formatValue(s.after, s.unit))}, ${s.direction} is better) since ${markdownCell(entryText(s.entry))}, detected at run ${s.index + 1} of ${s.of} (E-divisive means with a t-test, ${formatP(s.p)}).`,
    '',
    s.recovered
      ? `It has recovered: the level is now ${markdownCell(formatPercent(s.netWorse))} against before the step, within the ${markdownCell(formatPercent(ctx.minor, { sign: false }))} minor threshold. Closing.`
      : `The level has not come back: it is ${markdownCell(formatPercent(s.netWorse))} against before the step.`,
    '',
    '**Recommended action**',
    s.recovered
      ? '- Nothing to do; reopen if the numbers say otherwise.'
      : `- [ ] Profile ${markdownCell(s.id)} at ${markdownCell(entryText(s.entry))}${s.previous ? ` against ${markdownCell(entryText(s.previous))}` : ''}${range ? `; the suspects are the commits in ${range}` : ''}.`,
  ];
  const series = ctx.history.benchmarks.find((b) => b.id === s.id);
  const chart = series ? mermaidTrend(series, ctx.history.entries, { steps: [s.index] }) : '';
  const page = ctx.dashboard ? dashboardLink(ctx.dashboard.url, { bench: s.id, branch: ctx.dashboard.branch }) : undefined;
  const footer = [
    ...(page ? ['', `📈 [${markdownCell(s.id)} on the history dashboard](${page})`] : []),
    '',
    `<sub>Opened and kept up to date by perfgate's weekly run${url ? ` ([latest run](${url}))` : ''}. Close this issue to stop updates for this step; perfgate closes it when the benchmark recovers.</sub>`,
  ];
  let body = [...lines, ...(chart ? ['', chart] : []), ...footer].join('\n');
  if (body.length > MAX_BODY) body = [...lines, ...footer].join('\n');
  return body.length > MAX_BODY ? body.slice(0, MAX_BODY - 20) : body;
}

export interface IssueLike {
  number: number;
  state: string;
  title: string;
  body?: string | null;
  html_url: string;
  pull_request?: unknown;
}

export interface IssueOutcome {
  benchmark: string;
  action: 'created' | 'updated' | 'unchanged' | 'closed' | 'kept-closed' | 'skipped';
  number?: number;
  url?: string;
  reason?: string;
}

export interface SyncOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  steps: StepFinding[];
  context: StepIssueContext;
  log: Log;
  retry?: RetryOptions;
  /** Open at most this many new issues in one run (default 10). */
  maxNew?: number;
}

/** Our issues: those with a step marker, from the `perfgate` label first, else the latest pages. */
export async function findStepIssues(o: Pick<SyncOptions, 'octokit' | 'owner' | 'repo' | 'log' | 'retry'>): Promise<IssueLike[]> {
  const { octokit, owner, repo, log, retry } = o;
  const call = `GET /repos/${owner}/${repo}/issues`;
  const collect = async (query: { labels?: string }, pages: number): Promise<IssueLike[]> => {
    const out: IssueLike[] = [];
    for (let page = 1; page <= pages; page++) {
      const res = await withRetry(
        `${call}?state=all${query.labels ? `&labels=${query.labels}` : ''}&page=${page}`,
        () => octokit.rest.issues.listForRepo({ owner, repo, state: 'all', per_page: 100, page, ...(query.labels ? { labels: query.labels } : {}) }),
        log,
        retry,
      );
      const list = res.data as IssueLike[];
      out.push(...list.filter((i) => !i.pull_request && parseStepMarker(i.body)));
      if (list.length < 100) break;
    }
    return out;
  };
  const labelled = await collect({ labels: ISSUE_LABEL }, 20);
  if (labelled.length) return labelled;
  // Labels can be dropped (a token without push access): look through the latest issues too.
  return collect({}, SCAN_PAGES);
}

function entryIndex(history: History, anchor: string): number {
  return history.entries.findIndex((e) => stepAnchor(e) === anchor || (e.commit && anchor.length >= 7 && e.commit.toLowerCase().startsWith(anchor.toLowerCase())));
}

/** The issue of `s` among `issues`: same benchmark and clock, and the same anchor or one within two runs. */
export function matchIssue(s: StepFinding, issues: IssueLike[], history: History, clock?: string): IssueLike | undefined {
  const candidates = issues.filter((i) => {
    const m = parseStepMarker(i.body);
    return m?.id === s.id && m.clock === (clock || undefined);
  });
  const same = candidates.filter((i) => {
    const at = parseStepMarker(i.body)!.at;
    if (at === stepAnchor(s.entry)) return true;
    const k = entryIndex(history, at);
    return k >= 0 && Math.abs(k - s.index) <= SAME_STEP_RUNS;
  });
  return same.find((i) => i.state === 'open') ?? same[0];
}

/** Creates, updates or closes the issues of `steps` (see the top of this file). Never throws for one issue. */
export async function syncStepIssues(o: SyncOptions): Promise<IssueOutcome[]> {
  const { octokit, owner, repo, log, retry } = o;
  const issues = await findStepIssues(o);
  const outcomes: IssueOutcome[] = [];
  let created = 0;
  for (const s of o.steps) {
    if (!isRegressionStep(s)) continue;
    const existing = matchIssue(s, issues, o.context.history, o.context.clock);
    const title = stepIssueTitle(s, o.context.clock);
    const body = stepIssueBody(s, o.context);
    try {
      if (s.recovered) {
        if (existing && existing.state === 'open') {
          await withRetry(`PATCH /repos/${owner}/${repo}/issues/${existing.number}`, () => octokit.rest.issues.update({ owner, repo, issue_number: existing.number, title, body, state: 'closed' }), log, retry);
          outcomes.push({ benchmark: s.id, action: 'closed', number: existing.number, url: existing.html_url, reason: 'recovered' });
        }
        continue;
      }
      if (existing && existing.state !== 'open') {
        outcomes.push({ benchmark: s.id, action: 'kept-closed', number: existing.number, url: existing.html_url, reason: 'closed by a maintainer' });
        continue;
      }
      if (existing) {
        if (existing.title === title && (existing.body ?? '') === body) {
          outcomes.push({ benchmark: s.id, action: 'unchanged', number: existing.number, url: existing.html_url });
          continue;
        }
        await withRetry(`PATCH /repos/${owner}/${repo}/issues/${existing.number}`, () => octokit.rest.issues.update({ owner, repo, issue_number: existing.number, title, body }), log, retry);
        outcomes.push({ benchmark: s.id, action: 'updated', number: existing.number, url: existing.html_url });
        continue;
      }
      if (created >= (o.maxNew ?? 10)) {
        outcomes.push({ benchmark: s.id, action: 'skipped', reason: `more than ${o.maxNew ?? 10} new regression steps in one run; not opening more issues` });
        continue;
      }
      const res = await withRetry(`POST /repos/${owner}/${repo}/issues`, () => octokit.rest.issues.create({ owner, repo, title, body, labels: [ISSUE_LABEL] }), log, retry);
      const issue = res.data as IssueLike;
      issues.push(issue);
      created++;
      outcomes.push({ benchmark: s.id, action: 'created', number: issue.number, url: issue.html_url });
    } catch (err) {
      log.warning(`The issue for the regression step in ${s.id} was not written: ${(err as Error).message}`);
      outcomes.push({ benchmark: s.id, action: 'skipped', reason: (err as Error).message });
    }
  }
  return outcomes;
}
