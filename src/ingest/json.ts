// Reading JSON harness output with precise messages: a syntax error names the line and column,
// a wrong field names its path (`benchmarks[3].real_time`) and what was expected.
import { IngestError, show } from './errors.ts';

export type JsonObject = Record<string, unknown>;

/**
 * Path of a child: `join('a', 'b')` is `a.b`, `join('a', 3)` is `a[3]`, `join('a', 'b.c')` is
 * `a.b.c` (a dotted key of plain names is a path), `join('a', 'x y')` is `a["x y"]`.
 */
export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(key) ? key : JSON.stringify(key);
  if (!path) return safe.startsWith('"') ? `[${safe}]` : safe;
  return safe.startsWith('"') ? `${path}[${safe}]` : `${path}.${safe}`;
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

/** Parses JSON text; a syntax error becomes an IngestError naming the line and column. */
export function parseJsonText(text: string, file: string, where = ''): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!body.trim()) throw new IngestError(file, where, 'expected JSON, found an empty file');
  try {
    return JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const pos = /position (\d+)/.exec(message);
    const lc = /line (\d+) column (\d+)/.exec(message);
    let at = '';
    if (lc) at = `line ${lc[1]}, column ${lc[2]}`;
    else if (pos) {
      const { line, column } = lineColumn(body, Number(pos[1]));
      at = `line ${line}, column ${column}`;
    }
    const location = where ? (at ? `${where}, ${at.replace(/^line \d+, /, '')}` : where) : at;
    throw new IngestError(file, location, `not valid JSON (${message.replace(/\s*\(line \d+ column \d+\)/, '')})`);
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown, file: string, path: string): JsonObject {
  if (!isObject(value)) throw new IngestError(file, path || '(root)', `expected an object, got ${show(value)}`);
  return value;
}

export function asArray(value: unknown, file: string, path: string): unknown[] {
  if (!Array.isArray(value)) throw new IngestError(file, path || '(root)', `expected an array, got ${show(value)}`);
  return value;
}

export function asNumber(value: unknown, file: string, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new IngestError(file, path, `expected a number, got ${show(value)}`);
  }
  return value;
}

export function asString(value: unknown, file: string, path: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new IngestError(file, path, `expected a non-empty string, got ${show(value)}`);
  }
  return value;
}

export function optNumber(value: unknown, file: string, path: string): number | undefined {
  return value === undefined || value === null ? undefined : asNumber(value, file, path);
}

export function optString(value: unknown, file: string, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new IngestError(file, path, `expected a string, got ${show(value)}`);
  return value;
}

export function optBoolean(value: unknown, file: string, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new IngestError(file, path, `expected true or false, got ${show(value)}`);
  return value;
}

/** An array of finite numbers (e.g. raw samples). */
export function asNumberArray(value: unknown, file: string, path: string): number[] {
  const items = asArray(value, file, path);
  return items.map((item, i) => asNumber(item, file, join(path, i)));
}
