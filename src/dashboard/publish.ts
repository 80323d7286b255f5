// The Action's dashboard publishing (dashboard: true): the history of the default branch, read
// from the data branch, rendered as the static page and committed under `dir` of the data branch
// with the store's own push/retry loop (BranchStore.writeFiles), so GitHub Pages ("Deploy from a
// branch") serves it. Only the folder's files change; the history entries are never touched.
import type { FailOn, Thresholds } from '../options.ts';
import { loadRunsFromStore } from '../history/load.ts';
import type { BranchStore } from '../store/branch.ts';
import { DEFAULT_MAX_ENTRIES } from '../store/branch.ts';
import { buildDashboard } from './model.ts';
import { renderDashboardHtml } from './page.ts';

export interface PublishDashboardInput {
  store: BranchStore;
  /** The branch whose history is shown (the default branch). */
  branch: string;
  /** The key its history is stored under, when not the branch name (a clock other than wall: src/constants.ts baselineKey). */
  historyKey?: string;
  /** The folder of the data branch (validated by the inputs). */
  dir: string;
  thresholds: Thresholds;
  failOn: FailOn;
  /** owner/repo, for the title. */
  project: string;
  /** https://github.com/OWNER/REPO/commit/{commit} */
  commitUrl?: string;
  /** The commit this run measured, for the commit message. */
  commit?: string;
  log: { info: (m: string) => void; warning: (m: string) => void };
}

export interface PublishedDashboard {
  /** `perfgate-data:dashboard/` */
  location: string;
  runs: number;
  benchmarks: number;
  bytes: number;
}

export async function publishDashboard(i: PublishDashboardInput): Promise<PublishedDashboard> {
  const loaded = await loadRunsFromStore(i.store, i.historyKey ?? i.branch, DEFAULT_MAX_ENTRIES);
  for (const n of loaded.notices) i.log.info(`perfgate: ${n}`);
  const data = buildDashboard({
    runs: loaded.runs,
    source: loaded.source,
    thresholds: i.thresholds,
    failOn: i.failOn,
    title: `perfgate: ${i.project}`,
    defaultBranch: i.branch,
    ...(i.commitUrl ? { commitUrl: i.commitUrl } : {}),
  });
  for (const n of data.notices) i.log.warning(`perfgate: dashboard: ${n}`);
  const html = renderDashboardHtml(data);
  const at = i.commit && /^[0-9a-f]{7,64}$/i.test(i.commit) ? ` at ${i.commit.slice(0, 7)}` : '';
  const message = `perfgate: dashboard of ${i.branch}${at}\n\nWrites ${i.dir}/index.html from ${loaded.runs.length} saved run${loaded.runs.length === 1 ? '' : 's'}.\n`;
  const location = await i.store.writeFiles(i.dir, { 'index.html': html }, message);
  const benchmarks = new Set(data.branches.flatMap((b) => b.benchmarks.map((x) => x.id))).size;
  return { location, runs: loaded.runs.length, benchmarks, bytes: Buffer.byteLength(html) };
}
