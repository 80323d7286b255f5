// Regenerates the reference workload's corpora (the suites do this by themselves when the folder
// is missing or stale; this is for a different seed, size or folder).
//
//   npx tsx workload/scripts/gen-corpus.ts [--dir bench/.corpus] [--seed N] [--services N] [--apps N]
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CORPUS_DIR, ensureCorpus } from '../src/corpus.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: DEFAULT_CORPUS_DIR },
    seed: { type: 'string' },
    services: { type: 'string' },
    apps: { type: 'string' },
  },
});
const num = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${v}"`);
  return n;
};
const dir = path.resolve(values.dir!);
rmSync(dir, { recursive: true, force: true });
const info = ensureCorpus(dir, { seed: num('seed', values.seed), services: num('services', values.services), apps: num('apps', values.apps) });
console.log(`corpus v${info.version} (seed ${info.seed}) in ${path.relative(process.cwd(), info.root) || '.'}: infra/ and config/`);
