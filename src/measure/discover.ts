// Suite discovery: glob patterns (relative to cwd) → sorted relative paths of suite files.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

export const DEFAULT_SUITE_PATTERN = 'bench/**/*.bench.{ts,js,mjs}';
const IGNORE = ['**/node_modules/**', '**/.git/**'];

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Finds the suite files named by `patterns` (globs or plain paths, relative to `cwd`; default
 * `bench/**\/*.bench.{ts,js,mjs}`), ignoring node_modules. Returns sorted paths relative to `cwd`
 * with `/` separators. A plain path that does not exist, or any glob that matches nothing, throws
 * an Error saying what was looked for and where (a typo must not silently drop suites from the
 * gate). Patterns starting with `!` exclude. A plain path naming a directory means the suite
 * files under it (`<dir>/**\/*.bench.{ts,js,mjs}`).
 */
export async function discoverSuites(cwd: string, patterns: string[]): Promise<string[]> {
  const list = patterns.map((p) => p.trim()).filter(Boolean);
  if (list.length === 0) list.push(DEFAULT_SUITE_PATTERN);
  const found = new Set<string>();
  const globs: string[] = [];
  for (const p of list) {
    if (p.startsWith('!') || isDynamicPattern(p)) {
      globs.push(p);
      continue;
    }
    const abs = path.resolve(cwd, p);
    if (!existsSync(abs)) {
      throw new Error(`Suite file "${p}" does not exist (looked in ${cwd}). Check the suites option or the path.`);
    }
    if (statSync(abs).isDirectory()) {
      const rel = toPosix(path.relative(cwd, abs)) || '.';
      const inDir = await glob(`${rel === '.' ? '' : `${rel}/`}**/*.bench.{ts,js,mjs}`, { cwd, ignore: IGNORE, onlyFiles: true });
      if (inDir.length === 0) throw new Error(`Folder "${p}" holds no suite files (*.bench.ts, *.bench.js, *.bench.mjs; looked in ${cwd}).`);
      for (const f of inDir) found.add(toPosix(f));
    } else {
      found.add(toPosix(path.relative(cwd, abs)));
    }
  }
  const positive = globs.filter((g) => !g.startsWith('!'));
  const negative = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  const empty: string[] = [];
  for (const g of positive) {
    const matched = await glob(g, { cwd, ignore: [...IGNORE, ...negative], onlyFiles: true });
    if (matched.length === 0) empty.push(g);
    for (const f of matched) found.add(toPosix(f));
  }
  if (empty.length) {
    throw new Error(
      `No suite files match ${empty.map((g) => `"${g}"`).join(', ')} (looked in ${cwd}). ` +
        `Suites are tinybench files such as bench/parse.bench.ts; set the suites option to where yours are.`,
    );
  }
  if (found.size === 0) throw new Error(`No suite files left after the exclusions in ${list.map((g) => `"${g}"`).join(', ')} (looked in ${cwd}).`);
  return [...found].sort();
}

export { suiteNameFromFile } from './names.ts';
