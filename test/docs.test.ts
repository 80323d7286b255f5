// The README's inputs and outputs tables, action.yml and the options the code parses stay in step.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ACTION_ONLY_INPUTS, OUTPUTS } from '../src/constants.ts';
import { DEFAULTS, INSTRUCTIONS_DEFAULTS, INSTRUCTIONS_SUITE_TIMEOUT, OPTION_NAMES } from '../src/options.ts';
import { ROOT } from './helpers/action.ts';

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Rows of the Markdown table under a `## heading`: first cell (backticks removed) → second cell. */
function table(heading: string): Map<string, string> {
  const start = readme.indexOf(`## ${heading}\n`);
  expect(start, `README has a "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const section = readme.slice(start).split('\n## ')[0];
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || /^-+$/.test(cells[1]) || cells[1] === 'input' || cells[1] === 'output') continue;
    rows.set(cells[1].replace(/`/g, ''), cells[2].replace(/`/g, ''));
  }
  return rows;
}

/** Inputs whose default depends on the clock (src/options.ts), as the README's inputs table gives them. */
const CLOCK_DEPENDENT: Record<string, string> = {
  'minor-threshold': `${DEFAULTS.thresholds.minor * 100}, ${INSTRUCTIONS_DEFAULTS['minor-threshold'] * 100} under clock: instructions`,
  'noise-floor': `${DEFAULTS.thresholds.noiseFloor * 100}, ${INSTRUCTIONS_DEFAULTS['noise-floor'] * 100} under clock: instructions`,
  'suite-timeout': `${DEFAULTS.suiteTimeout}, ${INSTRUCTIONS_SUITE_TIMEOUT} under clock: instructions`,
  'ab-design': `${DEFAULTS.abDesign}, rounds under clock: instructions`,
};

describe('docs and action.yml', () => {
  it('runs on node24 from dist/index.js', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('every input is parsed by the code, and every option is an input', () => {
    const inputs = Object.keys(action.inputs).sort();
    expect(inputs).toEqual([...OPTION_NAMES, ...ACTION_ONLY_INPUTS].sort());
  });

  it('the README inputs table lists every input with its default', () => {
    const rows = table('Inputs');
    expect([...rows.keys()].sort()).toEqual(Object.keys(action.inputs).sort());
    for (const [name, spec] of Object.entries(action.inputs)) {
      const documented = rows.get(name)!;
      const value = spec.default ?? '';
      if (name in CLOCK_DEPENDENT) {
        // No default in action.yml (the runner would pass it, and the clock could not set its
        // own): the README gives both, from the code's constants.
        expect(spec.default, name).toBeUndefined();
        expect(documented, name).toBe(CLOCK_DEPENDENT[name]);
      }
      // An empty default means "auto-detect", "none", or the option's built-in default (suites).
      else if (value === '') expect(['auto', 'none', DEFAULTS.suites.join(', ')]).toContain(documented);
      else expect(documented, name).toBe(value);
    }
  });

  it('the README outputs table lists every output', () => {
    const rows = table('Outputs');
    expect([...rows.keys()].sort()).toEqual(Object.keys(action.outputs).sort());
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(OUTPUTS).sort());
  });

  it('every input says its default and allowed values in action.yml', () => {
    for (const [name, spec] of Object.entries(action.inputs)) expect(spec.description, name).toMatch(/[Dd]efault/);
  });
});
