// Infrastructure scanning, TypeScript twin: walk a directory of infrastructure files and report
// the findings of the rule set in scan-rules.ts. The Rust twin (workload/native/src/scan.rs, through
// scanDirectoryNative in native.ts) reports identical findings.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { nativeWorkload, type RawScan } from './native.ts';
import { fileKind, isCommentLine, kindBit, RULES, type FileKind, type Rule, type ScanContext, type Severity } from './scan-rules.ts';

export { RULES, fileKind, type FileKind, type Severity } from './scan-rules.ts';

export interface Finding {
  /** Path relative to the scanned root, `/`-separated. */
  file: string;
  /** 1-based line. */
  line: number;
  ruleId: string;
  severity: Severity;
}

export interface ScanError {
  file: string;
  message: string;
}

export interface ScanResult {
  /** Files scanned (binary files and unreadable ones excluded). */
  files: number;
  /** Bytes scanned. */
  bytes: number;
  /** Sorted by file, line, rule id. */
  findings: Finding[];
  /** Files that could not be read, sorted by file. */
  errors: ScanError[];
}

/** Anchor → indices of the rules it triggers, built once. */
const ANCHORS: ReadonlyArray<{ anchor: string; rules: number[] }> = (() => {
  const map = new Map<string, number[]>();
  RULES.forEach((rule, index) => {
    for (const a of rule.anchors) {
      const list = map.get(a) ?? [];
      if (!list.includes(index)) list.push(index);
      map.set(a, list);
    }
  });
  return [...map].map(([anchor, rules]) => ({ anchor, rules }));
})();

const RULE_COUNT = RULES.length;

/**
 * Scans one file's text (decoded as latin1, so that indices are byte offsets). Returns
 * `[line (1-based), rule index]` pairs, sorted by line then rule index, without duplicates.
 */
export function scanText(text: string, kind: FileKind): Array<[number, number]> {
  const lower = text.toLowerCase();
  const starts: number[] = [0];
  for (let p = text.indexOf('\n'); p >= 0; p = text.indexOf('\n', p + 1)) starts.push(p + 1);
  if (starts.length > 1 && starts[starts.length - 1] === text.length) starts.pop();
  const mask = kindBit(kind);

  // Candidates: (line, rule) pairs whose line holds an anchor of the rule.
  const candidates = new Set<number>();
  for (const { anchor, rules } of ANCHORS) {
    let applicable = false;
    for (const r of rules) if (RULES[r].kinds & mask) applicable = true;
    if (!applicable) continue;
    let line = 0;
    for (let p = lower.indexOf(anchor); p >= 0; p = lower.indexOf(anchor, p + 1)) {
      while (line + 1 < starts.length && starts[line + 1] <= p) line++;
      for (const r of rules) if (RULES[r].kinds & mask) candidates.add(line * RULE_COUNT + r);
    }
  }
  if (candidates.size === 0) return [];

  const lines: string[] = new Array(starts.length);
  for (let i = 0; i < starts.length; i++) {
    let end = i + 1 < starts.length ? starts[i + 1] - 1 : text.length;
    if (i + 1 === starts.length && end > starts[i] && text.charCodeAt(end - 1) === 10) end--; // final newline
    if (end > starts[i] && text.charCodeAt(end - 1) === 13) end--;
    lines[i] = text.slice(starts[i], end);
  }
  const ctx: ScanContext = { kind, stages: null, lines };
  const found = new Set<number>();
  const sorted = [...candidates].sort((a, b) => a - b);
  for (const c of sorted) {
    const lineIndex = Math.floor(c / RULE_COUNT);
    const r = c - lineIndex * RULE_COUNT;
    const rule: Rule = RULES[r];
    const line = lines[lineIndex];
    if (!rule.inComments && isCommentLine(line)) continue;
    const hit = rule.check(line, lineIndex, ctx);
    if (hit === true) found.add(lineIndex * RULE_COUNT + r);
    else if (Array.isArray(hit)) for (const l of hit) found.add(l * RULE_COUNT + r);
  }
  return [...found].sort((a, b) => a - b).map((c) => {
    const l = Math.floor(c / RULE_COUNT);
    return [l + 1, c - l * RULE_COUNT];
  });
}

const SKIP_DIRS = new Set(['.git', 'node_modules']);

/**
 * The infrastructure files under `root` (relative, `/`-separated, sorted), plus the entries that
 * could not be examined. Directories named .git and node_modules are skipped; symbolic links to
 * files are followed, links to directories are not (no cycles); a dangling link with a scanned
 * name is reported as an error.
 */
export function listInfraFiles(root: string): { files: string[]; errors: ScanError[] } {
  const files: string[] = [];
  const errors: ScanError[] = [];
  const walk = (dir: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      errors.push({ file: rel || '.', message: errorMessage(error) });
      return;
    }
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name), childRel);
      } else if (fileKind(e.name) !== null) {
        if (e.isFile()) files.push(childRel);
        else if (e.isSymbolicLink()) {
          try {
            if (statSync(path.join(dir, e.name)).isFile()) files.push(childRel);
          } catch (error) {
            errors.push({ file: childRel, message: errorMessage(error) });
          }
        }
      }
    }
  };
  walk(root, '');
  files.sort(compareBytes);
  return { files, errors };
}

/**
 * Path order shared with the Rust twin (which compares UTF-8 bytes): UTF-16 code-unit order,
 * equal to it except for names mixing characters above U+FFFF with U+E000-U+FFFF.
 */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorMessage(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e && typeof e === 'object' && 'code' in e && e.code ? `${e.code}: ${e.message}` : String(error);
}

/** Scans explicit files (relative to `root`). Unreadable files become errors, binary files are skipped. */
export function scanFiles(root: string, files: readonly string[]): ScanResult {
  const findings: Finding[] = [];
  const errors: ScanError[] = [];
  let count = 0;
  let bytes = 0;
  for (const file of files) {
    const kind = fileKind(path.posix.basename(file));
    if (kind === null) continue;
    let buf: Buffer;
    try {
      buf = readFileSync(path.join(root, file));
    } catch (error) {
      errors.push({ file, message: errorMessage(error) });
      continue;
    }
    if (isBinary(buf)) continue;
    count++;
    bytes += buf.length;
    for (const [line, r] of scanText(buf.toString('latin1'), kind)) {
      findings.push({ file, line, ruleId: RULES[r].id, severity: RULES[r].severity });
    }
  }
  findings.sort(compareFindings);
  errors.sort((a, b) => compareBytes(a.file, b.file));
  return { files: count, bytes, findings, errors };
}

export interface InMemoryFile {
  /** Relative path, `/`-separated (its base name decides the file kind). */
  file: string;
  bytes: Uint8Array;
}

/** Scans files already in memory (no I/O): the rule engine alone. */
export function scanTexts(files: readonly InMemoryFile[]): ScanResult {
  const findings: Finding[] = [];
  let count = 0;
  let bytes = 0;
  for (const { file, bytes: buf } of files) {
    const kind = fileKind(path.posix.basename(file));
    if (kind === null || isBinary(buf)) continue;
    count++;
    bytes += buf.length;
    const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
    for (const [line, r] of scanText(text, kind)) findings.push({ file, line, ruleId: RULES[r].id, severity: RULES[r].severity });
  }
  findings.sort(compareFindings);
  return { files: count, bytes, findings, errors: [] };
}

/** Files packed for the Rust twin's in-memory scan (pack once, scan many times). */
export interface PackedFiles {
  /** File names joined by NUL (one string crosses the boundary faster than an array). */
  names: string;
  data: Uint8Array;
  ends: Float64Array;
}

export function packFiles(files: readonly InMemoryFile[]): PackedFiles {
  const data = Buffer.concat(files.map((f) => f.bytes));
  const ends = new Float64Array(files.length);
  let end = 0;
  files.forEach((f, i) => {
    end += f.bytes.byteLength;
    ends[i] = end;
  });
  return { names: files.map((f) => f.file).join('\0'), data, ends };
}

/** scanTexts by the Rust twin (parallel threads); null without the addon. */
export function scanTextsNative(files: readonly InMemoryFile[] | PackedFiles, threads?: number): ScanResult | null {
  const native = nativeWorkload('scan');
  if (!native) return null;
  const packed = 'names' in files ? files : packFiles(files);
  return expandNative(native.scanTexts(packed.names, packed.data, packed.ends, threads));
}

/** Walks `root` and scans every infrastructure file below it. */
export function scanDirectory(root: string): ScanResult {
  const listed = listInfraFiles(root);
  const result = scanFiles(root, listed.files);
  if (listed.errors.length > 0) {
    result.errors = [...listed.errors, ...result.errors].sort((a, b) => compareBytes(a.file, b.file));
  }
  return result;
}

/** A NUL byte in the first KiB marks a binary file. */
export function isBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, 1024);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

export function compareFindings(a: Finding, b: Finding): number {
  return compareBytes(a.file, b.file) || a.line - b.line || compareBytes(a.ruleId, b.ruleId);
}

/** The same scan by the Rust twin (parallel threads); null without the addon. */
export function scanDirectoryNative(root: string, threads?: number): ScanResult | null {
  const native = nativeWorkload('scan');
  if (!native) return null;
  return expandNative(native.scanDirectory(root, threads));
}

/** scanFiles by the Rust twin; null without the addon. */
export function scanFilesNative(root: string, files: readonly string[], threads?: number): ScanResult | null {
  const native = nativeWorkload('scan');
  if (!native) return null;
  return expandNative(native.scanFiles(root, [...files], threads));
}

let checkedRuleIds = false;

function expandNative(raw: RawScan): ScanResult {
  if (!checkedRuleIds) {
    const ids = nativeWorkload('scan')?.scanRuleIds() ?? [];
    const expected = RULES.map((r) => r.id);
    if (ids.join() !== expected.join()) {
      throw new Error(`The Rust scanner's rules (${ids.join(', ')}) differ from the TypeScript rules (${expected.join(', ')}): rebuild the addon.`);
    }
    checkedRuleIds = true;
  }
  const names = raw.names.length > 0 ? raw.names.split('\0') : [];
  const r = raw.records;
  const findings: Finding[] = new Array(r.length / 3);
  for (let i = 0, j = 0; i < r.length; i += 3, j++) {
    const rule = RULES[r[i + 2]];
    findings[j] = { file: names[r[i]], line: r[i + 1], ruleId: rule.id, severity: rule.severity };
  }
  return { files: raw.files, bytes: raw.bytes, findings, errors: raw.errors };
}
