// `perfgate history` output: a terminal listing and the perfgate/history@1 JSON. Pure.
import pc from 'picocolors';
import { entryDate, entryLabel, presentPoints, sparkline, type History } from '../history/series.ts';
import { terminalText } from './escape.ts';
import { formatValue } from './format.ts';

export interface HistoryTextOptions {
  color?: boolean;
  /** Wrap the value lists at this width (default 100). */
  width?: number;
}

function wrap(items: string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const item of items) {
    const sep = line === indent ? '' : ', ';
    if (line.length + sep.length + item.length > width && line !== indent) {
      lines.push(`${line},`);
      line = indent + item;
    } else line += sep + item;
  }
  if (line !== indent) lines.push(line);
  return lines;
}

/** Per benchmark: id, unit, number of points, a sparkline, and the medians, newest last. */
export function renderHistoryText(h: History, opts: HistoryTextOptions = {}): string {
  const c = pc.createColors(Boolean(opts.color));
  const width = Math.max(40, opts.width ?? 100);
  const out: string[] = [];
  const first = h.entries[0];
  const last = h.entries[h.entries.length - 1];
  const span = first && last ? `, ${entryDate(first)} … ${entryDate(last)}` : '';
  out.push(
    c.bold(`perfgate history${h.branch ? ` of ${terminalText(h.branch)}` : ''}: ${h.entries.length} entr${h.entries.length === 1 ? 'y' : 'ies'}${span}`) +
      c.dim(` (from ${terminalText(h.source)})`),
  );
  if (h.entries.length === 0) {
    out.push('No history yet: default-branch runs of the Action save one entry each (or pass --dir with results files).');
    return `${out.join('\n')}\n`;
  }
  out.push(c.dim(`Entries, oldest first: ${h.entries.map((e) => entryLabel(e)).join(' ')}`));
  out.push('');
  for (const b of h.benchmarks) {
    const points = presentPoints(b.values);
    const header = `${c.bold(terminalText(b.id))} ${c.dim(`(${terminalText(b.unit)}, ${b.direction} is better, ${points.length} of ${h.entries.length} entries)`)}`;
    out.push(`${header}  ${c.cyan(sparkline(b.values))}`);
    const items = b.values.map((v) => (v === null ? '—' : formatValue(v, b.unit)));
    out.push(...wrap(items, width, '  '));
  }
  return `${out.join('\n')}\n`;
}

/** The history as JSON (perfgate/history@1), two-space indented, trailing newline. */
export function renderHistoryJson(h: History): string {
  return `${JSON.stringify(h, null, 2)}\n`;
}
