// Links to the published dashboard (dashboard-url) from the PR comment, the weekly summary and the
// step issues: the page, and deep links to one benchmark (`#bench=<id>&branch=<name>`, read by
// readHash in client.ts). Pure; every link goes through safeUrl, every name through markdownCell.
import { markdownCell, safeUrl } from '../report/escape.ts';

/** Most benchmarks linked one by one on the dashboard line; the rest are on the page. */
export const MAX_DEEP_LINKS = 10;

/** A fragment value: URL-encoded, with the characters Markdown link targets trip on encoded too. */
function fragmentValue(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The page (no `bench`), or one benchmark on it; `branch` picks the branch the page shows. */
export function dashboardLink(url: string, at: { bench?: string; branch?: string } = {}): string | undefined {
  const base = safeUrl(url.replace(/#.*$/, ''));
  if (!base) return undefined;
  const params = [
    ...(at.bench !== undefined ? [`bench=${fragmentValue(at.bench)}`] : []),
    ...(at.branch ? [`branch=${fragmentValue(at.branch)}`] : []),
  ];
  return params.length ? `${base}#${params.join('&')}` : base;
}

/**
 * One Markdown line: the dashboard, and the benchmarks worth a look (regressions, steps) each as a
 * deep link, at most MAX_DEEP_LINKS. Empty when the URL is not http(s).
 */
export function dashboardLine(url: string, o: { branch?: string; benchmarks?: readonly string[]; label?: string } = {}): string {
  const page = dashboardLink(url, { branch: o.branch });
  if (!page) return '';
  const ids = [...new Set(o.benchmarks ?? [])];
  const shown = ids.slice(0, MAX_DEEP_LINKS).map((id) => `[${markdownCell(id)}](${dashboardLink(url, { bench: id, branch: o.branch })})`);
  const more = ids.length > shown.length ? ` and ${ids.length - shown.length} more` : '';
  return `📈 [History dashboard](${page})${shown.length ? ` · ${o.label ?? 'history of'} ${shown.join(', ')}${more}` : ''}`;
}
