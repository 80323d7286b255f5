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
 * with `/` separators. A plain path that does not exist, or globs that match nothing, throw an
 * Error saying what was looked for and where. A plain path naming a directory means the suite
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
  if (globs.some((g) => !g.startsWith('!'))) {
    const matched = await glob(globs, { cwd, ignore: IGNORE, onlyFiles: true });
    if (matched.length === 0 && found.size === 0) {
      throw new Error(
        `No suite files match ${globs.map((g) => `"${g}"`).join(', ')} (looked in ${cwd}). ` +
          `Suites are tinybench files such as bench/parse.bench.ts; set the suites option to where yours are.`,
      );
    }
    for (const f of matched) found.add(toPosix(f));
  }
  return [...found].sort();
}

export { suiteNameFromFile } from './names.ts';
