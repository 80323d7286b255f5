// The bundled Action with `clock: instructions` where valgrind is missing (src/action/valgrind.ts),
// run as the runner runs it (dist/index.js) with a PATH that has no valgrind: it installs valgrind
// through sudo + apt-get (fakes that record their arguments and put the real valgrind on PATH),
// measures under callgrind and says the run's cost; without apt-get or sudo, or when apt-get
// fails, it fails with the fix (`clock: wall`).
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../src/measure/callgrind.ts';
import { readActionInputs } from '../src/action/inputs.ts';
import { ACTION_DEFAULTS, makeProject, ROOT, runAction } from './helpers/action.ts';

const PUSH_EVENT = path.join(ROOT, 'test/fixtures/events/push.json');
const INPUTS = { clock: 'instructions', rounds: '2', 'task-time': '20', build: 'none', baseline: 'file', comment: 'never', 'save-baseline': 'false', 'github-token': 'test-token' };
const valgrind = findOnPath('valgrind');

/** A project with the tiny suite, and a bin folder with node and git but no valgrind. */
function setup(name: string, tools: { apt?: 'ok' | 'fail'; sudo?: boolean }) {
  const project = makeProject(name);
  writeFileSync(path.join(project, 'bench', 'work.bench.mjs'), readFileSync(path.join(ROOT, 'test/fixtures/valgrind/tiny.bench.mjs'), 'utf8'));
  const bin = path.join(project, 'fake-bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, path.join(bin, 'node'));
  const git = findOnPath('git');
  if (git) symlinkSync(git, path.join(bin, 'git'));
  const log = path.join(project, 'apt.log');
  const script = (file: string, text: string) => {
    writeFileSync(path.join(bin, file), text);
    chmodSync(path.join(bin, file), 0o755);
  };
  if (tools.apt) {
    const install = tools.apt === 'ok' && valgrind ? `printf '#!/bin/sh\\nexec ${valgrind} "$@"\\n' > ${bin}/valgrind; /bin/chmod +x ${bin}/valgrind` : 'echo "E: Unable to locate package valgrind" >&2; exit 100';
    script('apt-get', `#!/bin/sh\necho "$@" >> ${log}\ncase "$1" in install) ${install};; esac\nexit 0\n`);
  }
  if (tools.sudo) script('sudo', '#!/bin/sh\n[ "$1" = "-n" ] && shift\nexec "$@"\n');
  return { project, env: { PATH: bin, PERFGATE_INSTRUCTIONS: 'callgrind' }, log };
}

describe('clock: instructions through the Action inputs', () => {
  it("keeps the clock's own defaults where the runner passes action.yml's defaults", () => {
    // The runner sets INPUT_<NAME> for every input that action.yml gives a default. Those that
    // depend on the clock have none there, so the clock sets them as documented.
    const env = (extra: Record<string, string>) => Object.fromEntries(Object.entries({ ...ACTION_DEFAULTS, ...extra }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
    const counts = readActionInputs(env({ clock: 'instructions' })).options;
    expect(counts.thresholds).toMatchObject({ minor: 0.01, noiseFloor: 0.005, major: 0.15 });
    expect(counts.abDesign).toBe('rounds');
    expect(counts.suiteTimeout).toBe(3600);
    const wall = readActionInputs(env({})).options;
    expect(wall.thresholds).toMatchObject({ minor: 0.05, noiseFloor: 0.01 });
    expect(wall.abDesign).toBe('slices');
    expect(wall.suiteTimeout).toBe(300);
    const set = readActionInputs(env({ clock: 'instructions', 'minor-threshold': '3', 'suite-timeout': '900' })).options;
    expect(set.thresholds.minor).toBe(0.03);
    expect(set.suiteTimeout).toBe(900);
  });
});

describe('clock: instructions in the Action where valgrind is missing (dist/index.js)', () => {
  it('fails with the fix where it cannot install valgrind (no apt-get, no sudo)', async () => {
    const { project, env } = setup('instr-noapt', {});
    const run = await runAction({ inputs: INPUTS, eventName: 'push', event: PUSH_EVENT, workspace: project, env });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const error = run.commands.find((c) => c.command === 'error')?.message ?? '';
    expect(error).toContain('valgrind is not installed');
    expect(error).toContain('no apt-get on PATH');
    expect(error).toContain('`clock: wall`');
    expect(run.outputs.verdict).toBe('error');
  });

  it('fails with the fix when apt-get cannot install it, after an apt-get update', async () => {
    const { project, env, log } = setup('instr-aptfail', { apt: 'fail', sudo: true });
    const run = await runAction({ inputs: INPUTS, eventName: 'push', event: PUSH_EVENT, workspace: project, env });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['install -y -q valgrind', 'update -q', 'install -y -q valgrind']);
    const error = run.commands.find((c) => c.command === 'error')?.message ?? '';
    expect(error).toContain('installing it failed (apt-get exited 100');
    expect(error).toContain('Unable to locate package valgrind');
    expect(error).toContain('`clock: wall`');
  });

  it.runIf(valgrind)('installs valgrind with sudo apt-get, measures under callgrind and shows the cost', async () => {
    const { project, env, log } = setup('instr-install', { apt: 'ok', sudo: true });
    const run = await runAction({ inputs: INPUTS, eventName: 'push', event: PUSH_EVENT, workspace: project, env, timeoutMs: 180_000 });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(readFileSync(log, 'utf8').trim()).toBe('install -y -q valgrind');
    // As root (this VM) apt-get runs directly; elsewhere (GitHub's runners) through sudo -n.
    expect(run.stdout).toContain(`valgrind is missing; installing it (${process.getuid?.() === 0 ? '' : 'sudo -n '}apt-get install -y valgrind)`);
    expect(run.stdout).toMatch(/valgrind installed in [\d.]+ s \(.*fake-bin\/valgrind\)/);
    const results = JSON.parse(readFileSync(run.outputs['results-json'], 'utf8')) as { clock: string; benchmarks: Array<{ id: string; status: string; unit: string; rounds: number[]; error?: string }> };
    expect(results.clock).toBe('instructions');
    expect(results.benchmarks[0].status, results.benchmarks[0].error).toBe('ok');
    expect(results.benchmarks[0].unit).toBe('instructions');
    expect(results.benchmarks[0].rounds).toHaveLength(2);
    const cost = /perfgate: clock instructions counted with callgrind \(valgrind runs the code about 50× slower than natively\): this run took ([\d.]+ s|\d+ min \d+ s) of wall time; installing valgrind took \d+ s of it\./;
    expect(run.stdout).toMatch(cost);
    expect(run.summary).toMatch(cost);
  }, 200_000);
});
