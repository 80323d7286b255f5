// The static history dashboard: the data (model.ts, pure), the page (page.ts, pure, with the
// inlined script of client.ts), writing it (one index.html in a folder), publishing it to the data
// branch from the Action (publish.ts) and linking to it (links.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DashboardData } from './model.ts';
import { renderDashboardHtml } from './page.ts';

export { buildDashboard, DASHBOARD_SCHEMA, NO_BRANCH, type DashboardBenchmark, type DashboardBranch, type DashboardData, type DashboardInput, type DashboardRun, type DashboardStep } from './model.ts';
export { embedJson, renderDashboardHtml } from './page.ts';
export { dashboardLine, dashboardLink, MAX_DEEP_LINKS } from './links.ts';
export { publishDashboard, type PublishDashboardInput, type PublishedDashboard } from './publish.ts';

/** Writes `outDir/index.html` (creating the folder); returns its path and size in bytes. */
export function writeDashboard(outDir: string, data: DashboardData): { file: string; bytes: number } {
  const html = renderDashboardHtml(data);
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'index.html');
  try {
    writeFileSync(file, html);
  } catch (err) {
    throw new Error(`Cannot write the dashboard to ${file}: ${(err as Error).message}. Pass --out a folder you can write to.`);
  }
  return { file, bytes: Buffer.byteLength(html) };
}
