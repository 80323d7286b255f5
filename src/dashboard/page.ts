// The dashboard page: one self-contained index.html (inline CSS, script and data; no external
// requests), pure. The data sits in a JSON script element with every `<` escaped, so no name in
// it can close the element; the script renders every string as text.
import { escapeHtml } from '../report/escape.ts';
import { CLIENT_JS } from './client.ts';
import type { DashboardData } from './model.ts';

const CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); background: #fff; }
header.top { position: sticky; top: 0; z-index: 2; background: var(--bg); border-bottom: 1px solid var(--line); padding: 10px 24px; display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; }
header.top h1 { font-size: 18px; margin: 0 12px 0 0; }
header.top .src { color: var(--muted); font-size: 12px; flex-basis: 100%; }
label { color: var(--muted); font-size: 12px; }
select, input { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
#count { color: var(--muted); }
main { padding: 8px 24px 40px; }
h2 { font-size: 16px; margin: 18px 0 8px; }
h3 { font-size: 14px; margin: 14px 0 6px; }
h4 { font-size: 12px; margin: 6px 0 2px; color: var(--muted); font-weight: 600; }
.muted { color: var(--muted); }
.notice { background: #fff8c5; border: 1px solid #d4a72c; padding: 6px 10px; border-radius: 6px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; min-height: 214px; }
.card.detail { grid-column: 1 / -1; }
.card header { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.card header a { font-weight: 600; color: var(--accent); text-decoration: none; word-break: break-word; }
.card header a:hover { text-decoration: underline; }
.meta { color: var(--muted); font-size: 12px; }
.grade, .kind { color: #fff; border-radius: 4px; padding: 0 5px; font-size: 11px; font-weight: 600; }
.nsteps { color: #cf222e; }
.metrics { display: flex; flex-wrap: wrap; gap: 8px 20px; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg .grid { stroke: #eaeef2; }
svg .tick { font-size: 10px; fill: var(--muted); }
svg .empty { font-size: 12px; fill: var(--muted); }
svg .band { fill: #0969da; fill-opacity: 0.14; stroke: none; }
svg .line { fill: none; stroke: #0969da; stroke-width: 1.4; }
svg .pt { fill: #0969da; }
svg .step { stroke-width: 1.5; stroke-dasharray: 4 3; }
svg.grades { display: block; border: 1px solid var(--line); border-radius: 4px; }
table.steps { border-collapse: collapse; font-size: 12px; }
table.steps th, table.steps td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; }
a { color: var(--accent); }
`;

/** The JSON of `data` safe inside a <script> element. */
export function embedJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The whole page. */
export function renderDashboardHtml(data: DashboardData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(data.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="top">
<h1 id="title">${escapeHtml(data.title)}</h1>
<label>branch <select id="branch"></select></label>
<label>suite <select id="suite"></select></label>
<label>benchmark <input id="q" type="search" placeholder="filter by name" autocomplete="off"></label>
<span id="count"></span>
<button id="all" type="button" hidden>show all benchmarks</button>
<div class="src" id="source"></div>
</header>
<main>
<div id="notices"></div>
<section id="runs"></section>
<div id="cards"></div>
</main>
<script id="perfgate-data" type="application/json">${embedJson(data)}</script>
<script>${CLIENT_JS}</script>
</body>
</html>
`;
}
