// The terminal report: the same grade table, aligned, optionally coloured. Pure: the caller
// decides colour (NO_COLOR, FORCE_COLOR, isTTY) and width.
import pc from 'picocolors';
import type { Comparison, Grade, Verdict } from '../schema/comparison.ts';
import { terminalText, truncateText } from './escape.ts';
import {
  allRows,
  benchmarkRow,
  changedBenchmarks,
  countsText,
  countVerdicts,
  hasNoBaseline,
  hasCycles,
  hasSpeedups,
  headline,
  isRegression,
  legendText,
  notices,
  regressionWords,
  runRow,
  VERDICT_TERMINAL,
  type Row,
  changeHeader,
} from './model.ts';
import { formatGeomean } from './format.ts';

export interface TerminalOptions {
  /** Colour with ANSI codes. Default false. */
  color?: boolean;
  /** Columns available; the table's name columns shrink (with "…") and prose wraps to fit. */
  width?: number;
  /** `all` (default): every benchmark by suite; `changed`: only the changed ones, worst first. */
  rows?: 'all' | 'changed';
}

type Colors = ReturnType<typeof pc.createColors>;

const ANSI = /\u001b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Length as a terminal shows it: ANSI codes take no room. */
export function visibleLength(text: string): number {
  return Array.from(stripAnsi(text)).length;
}

function verdictColor(colors: Colors, v: Verdict): (s: string) => string {
  switch (v) {
    case 'improved':
      return colors.green;
    case 'unchanged':
    case 'missing':
      return colors.dim;
    case 'inconclusive':
      return colors.magenta;
    case 'minor':
      return colors.yellow;
    case 'major':
      return colors.red;
    case 'critical':
      return (s) => colors.bold(colors.red(s));
    case 'new':
      return colors.cyan;
  }
}

function gradeColor(colors: Colors, g: string): (s: string) => string {
  const grade = g as Grade;
  if (grade === 'A+' || grade === 'A' || grade === 'A-') return colors.green;
  if (grade === 'B' || grade === 'C') return colors.yellow;
  if (grade === 'D' || grade === 'F') return colors.red;
  return (s) => s;
}

/** Word-wraps plain text to `width` columns (no wrapping when width is undefined). */
function wrap(text: string, width: number | undefined, indent = ''): string {
  if (!width || width < 20 || text.length <= width) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && visibleLength(line) + 1 + visibleLength(word) > width) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

function paintLines(text: string, paint: (s: string) => string): string {
  return text
    .split('\n')
    .map((line) => paint(line))
    .join('\n');
}

interface Column {
  header: string;
  align: 'left' | 'right';
  /** Minimum width it may shrink to when the table is too wide (undefined: never shrinks). */
  shrinkTo?: number;
  /** Columns with a lower number shrink first. */
  shrinkOrder?: number;
  cell(row: Row): string;
  style?(row: Row, text: string): string;
}

const GAP = '  ';

function tableLines(rows: Row[], columns: Column[], colors: Colors, width: number | undefined): string[] {
  const plain = rows.map((row) => columns.map((col) => terminalText(col.cell(row))));
  const widths = columns.map((col, i) => Math.max(visibleLength(col.header), ...plain.map((cells) => visibleLength(cells[i]))));
  if (width) {
    let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1) - width;
    const order = columns.map((_, i) => i).sort((a, b) => (columns[a].shrinkOrder ?? 0) - (columns[b].shrinkOrder ?? 0));
    for (const i of order) {
      if (excess <= 0) break;
      const min = columns[i].shrinkTo;
      if (min === undefined || widths[i] <= min) continue;
      const cut = Math.min(excess, widths[i] - Math.max(min, visibleLength(columns[i].header)));
      widths[i] -= cut;
      excess -= cut;
    }
  }
  const pad = (text: string, i: number) => {
    const room = widths[i] - visibleLength(text);
    return columns[i].align === 'right' ? ' '.repeat(room) + text : text + ' '.repeat(room);
  };
  const line = (cells: string[]) => cells.map(pad).join(GAP).replace(/\s+$/, '');
  const out = [
    line(columns.map((c) => colors.bold(c.header))),
    line(widths.map((w) => colors.dim('─'.repeat(w)))),
  ];
  rows.forEach((row, r) => {
    const cells = plain[r].map((text, i) => {
      const fitted = truncateText(text, widths[i]);
      return columns[i].style ? columns[i].style!(row, fitted) : fitted;
    });
    out.push(line(cells));
  });
  return out;
}

/** The terminal report. Pure; see TerminalOptions. */
export function renderTerminal(c: Comparison, opts: TerminalOptions = {}): string {
  const colors = pc.createColors(opts.color ?? false);
  const width = opts.width && opts.width > 0 ? opts.width : undefined;
  const counts = countVerdicts(c.benchmarks);
  const noBaseline = hasNoBaseline(c);
  const out: string[] = [];

  const h = headline(c, counts);
  const gradeText = h.grade
    ? gradeColor(colors, h.grade)(colors.bold(`grade ${h.grade}`)) + ` (${h.label}) — `
    : h.compared
      ? `${terminalText((h.label ?? 'Not graded').toLowerCase())} — `
      : '';
  const headText = c.gate.failed ? colors.red(h.text) : h.text;
  out.push(`${colors.bold('perfgate:')} ${gradeText}${headText}`);
  out.push(wrap(`Gate: ${c.gate.failed ? colors.red('failed') : colors.green('passed')}${c.gate.reason ? ` — ${terminalText(c.gate.reason)}` : ''}`, width));
  out.push(countsText(counts));
  for (const n of notices(c, counts)) out.push(paintLines(wrap(`! ${terminalText(n)}`, width, '  '), colors.yellow));

  const changed = noBaseline ? [] : changedBenchmarks(c);
  for (const b of changed.filter((x) => isRegression(x.verdict))) {
    const paint = verdictColor(colors, b.verdict);
    out.push(wrap(`  ${paint(VERDICT_TERMINAL[b.verdict])} — ${terminalText(b.suite)} / ${colors.bold(terminalText(b.name))}: ${terminalText(regressionWords(b))}`, width, '    '));
  }
  out.push('');

  const speedups = hasSpeedups(c);
  const summaryRow = (row: Row) => row.kind !== 'benchmark';
  const columns: Column[] = [
    { header: 'Suite', align: 'left', shrinkTo: 10, shrinkOrder: 1, cell: (r) => r.suite },
    {
      header: 'Benchmark',
      align: 'left',
      shrinkTo: 16,
      shrinkOrder: 2,
      cell: (r) => (r.kind === 'geomean' ? 'geomean' : r.kind === 'run' ? 'run' : r.name),
      style: (r, t) => (summaryRow(r) ? colors.bold(t) : t),
    },
    { header: 'Base', align: 'right', cell: (r) => r.base },
    { header: 'Head', align: 'right', cell: (r) => r.head },
    {
      header: changeHeader(c),
      align: 'right',
      cell: (r) => r.change,
      style: (r, t) => (r.verdict ? verdictColor(colors, r.verdict)(t) : summaryRow(r) ? colors.bold(t) : t),
    },
    ...(hasCycles(c) ? [{ header: 'Est. cycles', align: 'right' as const, cell: (r: Row) => r.cycles }] : []),
    ...(speedups ? [{ header: 'Native speedup', align: 'right' as const, cell: (r: Row) => r.speedup, style: (_r: Row, t: string) => colors.cyan(t) }] : []),
    { header: 'n', align: 'right', cell: (r) => r.n },
    {
      header: 'Verdict',
      align: 'left',
      cell: (r) => (r.verdict ? VERDICT_TERMINAL[r.verdict] : ''),
      style: (r, t) => (r.verdict ? verdictColor(colors, r.verdict)(t) : t),
    },
    { header: 'Grade', align: 'left', cell: (r) => r.grade, style: (r, t) => gradeColor(colors, r.grade)(summaryRow(r) ? colors.bold(t) : t) },
  ];
  const rows = opts.rows === 'changed' ? [...changed.map(benchmarkRow), runRow(c)] : allRows(c);
  if (c.benchmarks.length) out.push(...tableLines(rows, columns, colors, width), '');

  if (!noBaseline) {
    const grade = c.overall.grade ? `${gradeColor(colors, c.overall.grade)(colors.bold(`grade ${c.overall.grade}`))} (${h.label})` : terminalText(h.label ?? 'not graded');
    const overall = `Overall: ${grade} · run geomean ${formatGeomean(c.overall.geomeanWorseRatio)} · gate ${c.gate.failed ? colors.red('failed') : colors.green('passed')}`;
    out.push(overall);
  } else out.push('Nothing to compare against yet: a baseline is saved by runs on the default branch.');
  out.push(paintLines(wrap(`Decision rule: ${legendText(c)}`, width), colors.dim));
  return out.join('\n') + '\n';
}
