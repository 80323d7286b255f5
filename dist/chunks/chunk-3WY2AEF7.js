import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);

// src/measure/names.ts
import path from "node:path";
var SUITE_EXT = /\.bench\.(?:[cm]?[jt]s|tsx|jsx)$/;
function suiteNameFromFile(file) {
  const base = path.basename(file);
  if (SUITE_EXT.test(base)) return base.replace(SUITE_EXT, "");
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}
function benchmarkId(suite, task) {
  return `${suite}/${task}`;
}
var SUITE_TASK = "(suite)";

// src/measure/stats.ts
function sorted(values) {
  return [...values].sort((a, b) => a - b);
}
function quantileSorted(s, q) {
  if (s.length === 0) return 0;
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
function median(values) {
  return quantileSorted(sorted(values), 0.5);
}
function thin(values, max) {
  if (values.length <= max) return [...values];
  if (max <= 0) return [];
  if (max === 1) return [values[0]];
  const out = [];
  const step = (values.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(values[Math.round(i * step)]);
  return out;
}
function theilSenSlope(y) {
  const slopes = [];
  for (let i = 0; i < y.length; i++) for (let j = i + 1; j < y.length; j++) slopes.push((y[j] - y[i]) / (j - i));
  return slopes.length ? median(slopes) : 0;
}
function ranks(values) {
  const idx = values.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
  const r = new Array(values.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k][1]] = avg;
    i = j + 1;
  }
  return r;
}
function spearmanWithIndex(y) {
  const n = y.length;
  if (n < 2) return 0;
  const ry = ranks(y);
  const rx = y.map((_, i) => i + 1);
  const mx = (n + 1) / 2;
  let num = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < n; i++) {
    num += (rx[i] - mx) * (ry[i] - mx);
    dx += (rx[i] - mx) ** 2;
    dy += (ry[i] - mx) ** 2;
  }
  return dx && dy ? num / Math.sqrt(dx * dy) : 0;
}

export {
  suiteNameFromFile,
  benchmarkId,
  SUITE_TASK,
  sorted,
  median,
  thin,
  theilSenSlope,
  spearmanWithIndex
};
//# sourceMappingURL=chunk-3WY2AEF7.js.map
