// primeSuite (src/measure/runner.ts): before a suite's first round under callgrind, perfgate
// imports it once in a plain node process so the TypeScript loader's cache is warm when counting.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { primeSuite } from '../src/measure/runner.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-prime-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('priming a suite before counted rounds', () => {
  it('imports it once per suite, with the variables a round sets, and ends even when the suite keeps the loop alive', async () => {
    const marker = path.join(dir, 'imports.log');
    const suite = path.join(dir, 'alive.bench.mjs');
    writeFileSync(
      suite,
      `import { appendFileSync } from 'node:fs';\n` +
        `appendFileSync(${JSON.stringify(marker)}, JSON.stringify({ clock: process.env.PERFGATE_CLOCK, mode: process.env.PERFGATE_MODE, harness: process.env.PERFGATE_HARNESS }) + '\\n');\n` +
        `setInterval(() => {}, 1000);\n` +
        `export default {};\n`,
    );
    expect(await primeSuite(dir, suite, [], process.env)).toBe(true);
    expect(await primeSuite(dir, suite, [], process.env)).toBe(true);
    const lines = readFileSync(marker, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ clock: 'instructions', mode: 'run', harness: '1' }]);
  });

  it('reports a suite that fails to import (the round then reports why)', async () => {
    const broken = path.join(dir, 'broken.bench.mjs');
    writeFileSync(broken, `throw new Error('cannot load');\n`);
    expect(await primeSuite(dir, broken, [], process.env)).toBe(false);
    expect(await primeSuite(dir, path.join(dir, 'missing.bench.mjs'), [], process.env)).toBe(false);
    expect(existsSync(path.join(dir, 'missing.bench.mjs'))).toBe(false);
  });

  it('gives up on a suite whose import hangs, after the time limit', async () => {
    const hang = path.join(dir, 'hang.bench.mjs');
    writeFileSync(hang, `await new Promise(() => setInterval(() => {}, 1000));\n`);
    expect(await primeSuite(dir, hang, [], process.env, 500)).toBe(false);
  });
});
