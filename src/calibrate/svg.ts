// The power curve as a hand-written SVG: detection rate against injected slowdown (log scale),
// measured points with their exact 95% intervals, the bootstrap curve, and the 80% line. Pure.

export interface PowerPoint {
  /** Injected slowdown, fraction (0.05 = 5%). */
  slowdown: number;
  /** Measured detection rate and its interval, when real runs covered this level. */
  measured?: { rate: number; lo: number; hi: number; trials: number };
  /** Detection rate of the bootstrap replays. */
  bootstrap?: number;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const W = 640;
const H = 400;
const M = { left: 64, right: 24, top: 48, bottom: 56 };

/** Renders the chart; `title` and `subtitle` are plain text (escaped here). */
export function powerCurveSvg(points: PowerPoint[], opts: { title: string; subtitle?: string; minor?: number; major?: number }): string {
  const xs = points.map((p) => p.slowdown).filter((x) => x > 0);
  const xMin = Math.min(...xs, 0.02) / 1.25;
  const xMax = Math.max(...xs, 0.5) * 1.25;
  const lx = (x: number) => M.left + ((Math.log(x) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin))) * (W - M.left - M.right);
  const ly = (y: number) => H - M.bottom - y * (H - M.top - M.bottom);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="600">${esc(opts.title)}</text>`);
  if (opts.subtitle) out.push(`<text x="${W / 2}" y="37" text-anchor="middle" fill="#555">${esc(opts.subtitle)}</text>`);
  // Grid and axes.
  for (const y of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${ly(y)}" y2="${ly(y)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${M.left - 8}" y="${ly(y) + 4}" text-anchor="end">${Math.round(y * 100)}%</text>`);
  }
  for (const x of xs) {
    out.push(`<line x1="${lx(x)}" x2="${lx(x)}" y1="${ly(0)}" y2="${ly(1)}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${lx(x)}" y="${ly(0) + 18}" text-anchor="middle">${+(x * 100).toFixed(1)}%</text>`);
  }
  out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${ly(0)}" y2="${ly(0)}" stroke="#333"/>`);
  out.push(`<line x1="${M.left}" x2="${M.left}" y1="${ly(0)}" y2="${ly(1)}" stroke="#333"/>`);
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 14}" text-anchor="middle">injected slowdown (log scale)</text>`);
  out.push(`<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">detected (minor or worse)</text>`);
  // Thresholds.
  for (const [name, x] of [
    ['minor', opts.minor],
    ['major', opts.major],
  ] as const) {
    if (x === undefined || x <= xMin || x >= xMax) continue;
    out.push(`<line x1="${lx(x)}" x2="${lx(x)}" y1="${ly(0)}" y2="${ly(1)}" stroke="#bbb" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${lx(x) + 3}" y="${ly(0) - 6}" fill="#888">${name}</text>`);
  }
  // The 80% line.
  out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${ly(0.8)}" y2="${ly(0.8)}" stroke="#d97706" stroke-dasharray="6 4"/>`);
  out.push(`<text x="${W - M.right - 4}" y="${ly(0.8) - 5}" text-anchor="end" fill="#d97706">80%</text>`);
  // Bootstrap curve.
  const boot = points.filter((p) => p.bootstrap !== undefined).sort((a, b) => a.slowdown - b.slowdown);
  if (boot.length) {
    const d = boot.map((p, i) => `${i ? 'L' : 'M'}${lx(p.slowdown).toFixed(1)} ${ly(p.bootstrap!).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="#2563eb" stroke-width="2"/>`);
    for (const p of boot) out.push(`<circle cx="${lx(p.slowdown).toFixed(1)}" cy="${ly(p.bootstrap!).toFixed(1)}" r="3" fill="#2563eb"/>`);
  }
  // Measured points with intervals.
  for (const p of points) {
    if (!p.measured) continue;
    const x = lx(p.slowdown);
    out.push(`<line x1="${x}" x2="${x}" y1="${ly(p.measured.lo).toFixed(1)}" y2="${ly(p.measured.hi).toFixed(1)}" stroke="#111" stroke-width="1.5"/>`);
    out.push(`<rect x="${(x - 4).toFixed(1)}" y="${(ly(p.measured.rate) - 4).toFixed(1)}" width="8" height="8" fill="#111"/>`);
    out.push(`<text x="${x + 7}" y="${ly(p.measured.rate) + 4}" fill="#111" font-size="10">${p.measured.trials}</text>`);
  }
  // Legend.
  const lgx = M.left + 12;
  const lgy = M.top + 8;
  out.push(`<rect x="${lgx - 6}" y="${lgy - 10}" width="250" height="${boot.length ? 40 : 22}" fill="#fff" stroke="#ddd"/>`);
  out.push(`<rect x="${lgx}" y="${lgy - 4}" width="8" height="8" fill="#111"/><text x="${lgx + 14}" y="${lgy + 4}">measured (95% CI; number = trials)</text>`);
  if (boot.length) {
    out.push(`<line x1="${lgx - 2}" x2="${lgx + 10}" y1="${lgy + 18}" y2="${lgy + 18}" stroke="#2563eb" stroke-width="2"/><text x="${lgx + 14}" y="${lgy + 22}">bootstrap replays of the A/A rounds</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
