// `clock: instructions` in the Action: where the hardware counters are refused (most hosted
// runners), perfgate counts under valgrind's callgrind (src/measure/callgrind.ts), so the Action
// installs valgrind when it is missing on a Linux runner (`sudo -n apt-get install -y valgrind`,
// after `apt-get update` if the first try fails), and says why and how to fix it where it
// cannot: not Linux, or no apt-get/sudo. docs/instructions-clock.md.
import { spawnSync } from 'node:child_process';
import { findOnPath, planInstructions } from '../measure/callgrind.ts';

export interface ValgrindSetup {
  /** none: not needed (another clock, or hardware counters); present: already installed; installed: installed now. */
  action: 'none' | 'present' | 'installed';
  valgrind?: string;
  /** Wall seconds the installation took. */
  seconds?: number;
  /** What counts the instructions: perf (hardware counters) or callgrind. */
  source?: 'perf' | 'callgrind';
}

export interface ValgrindDeps {
  platform?: NodeJS.Platform;
  /** PATH to look in (default process.env.PATH, read again after installing). */
  pathList?: () => string;
  uid?: number;
  hardware?: { available: true } | { available: false; reason: string };
  nativeProbe?: boolean;
  force?: string;
  /** Runs a command, output captured (default spawnSync). */
  run?: (cmd: string, args: string[]) => { status: number | null; output: string };
  log?: (message: string) => void;
}

export class ValgrindSetupError extends Error {}

const WALL = 'use `clock: wall` (or `clock: cpu`)';

function defaultRun(cmd: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 900_000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error.message) : ''}` };
}

function tail(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/**
 * Makes `clock: instructions` able to run here, or throws a ValgrindSetupError naming the fix.
 * Nothing to do for another clock or where hardware counters work.
 */
export function ensureValgrind(clock: string, deps: ValgrindDeps = {}): ValgrindSetup {
  if (clock !== 'instructions') return { action: 'none' };
  const pathList = deps.pathList ?? (() => process.env.PATH ?? '');
  const log = deps.log ?? (() => {});
  const run = deps.run ?? defaultRun;
  const platform = deps.platform ?? process.platform;
  const common = { platform, hardware: deps.hardware, nativeProbe: deps.nativeProbe, force: deps.force };
  const first = planInstructions({ ...common, pathList: pathList() });
  if (first.source === 'perf') return { action: 'none', source: 'perf' };
  if (first.source === 'callgrind') return { action: 'present', valgrind: first.valgrind, source: 'callgrind' };
  // Not perf, no valgrind (or it cannot run here): install it where that is possible.
  if (platform !== 'linux' || findOnPath('valgrind', pathList())) throw new ValgrindSetupError(first.error);
  const apt = findOnPath('apt-get', pathList());
  const sudo = findOnPath('sudo', pathList());
  const root = (deps.uid ?? process.getuid?.() ?? -1) === 0;
  if (!apt || (!sudo && !root)) {
    throw new ValgrindSetupError(
      `clock: instructions needs valgrind on this runner (hardware instruction counters are unavailable) and valgrind is not installed; perfgate cannot install it here (${!apt ? 'no apt-get on PATH' : 'no sudo on PATH and not root'}). Install valgrind in an earlier step, or ${WALL}.`,
    );
  }
  const as = (args: string[]): [string, string[]] => (root ? [apt, args] : [sudo!, ['-n', apt, ...args]]);
  const t0 = Date.now();
  log(`perfgate: clock: instructions: valgrind is missing; installing it (${root ? '' : 'sudo -n '}apt-get install -y valgrind)`);
  let r = run(...as(['install', '-y', '-q', 'valgrind']));
  if (r.status !== 0) {
    log(`perfgate: apt-get install failed (${tail(r.output, 2)}); running apt-get update and trying again`);
    const u = run(...as(['update', '-q']));
    if (u.status !== 0) log(`perfgate: apt-get update failed: ${tail(u.output, 2)}`);
    r = run(...as(['install', '-y', '-q', 'valgrind']));
  }
  const seconds = (Date.now() - t0) / 1000;
  const after = planInstructions({ ...common, pathList: pathList() });
  if (r.status !== 0 || after.source !== 'callgrind') {
    throw new ValgrindSetupError(
      `clock: instructions needs valgrind and installing it failed (${r.status !== 0 ? `apt-get exited ${r.status}: ${tail(r.output)}` : after.source === 'none' ? after.error : 'valgrind not found after installing'}). Install valgrind in an earlier step, or ${WALL}.`,
    );
  }
  log(`perfgate: valgrind installed in ${seconds.toFixed(1)} s (${after.valgrind})`);
  return { action: 'installed', valgrind: after.valgrind, seconds, source: 'callgrind' };
}

/** The run's cost line for the log and the job summary. */
export function costLine(setup: ValgrindSetup, wallSec: number): string {
  const how = setup.source === 'perf' ? 'hardware instruction counters' : 'callgrind (valgrind runs the code about 50× slower than natively)';
  const install = setup.action === 'installed' && setup.seconds !== undefined ? `; installing valgrind took ${setup.seconds.toFixed(0)} s of it` : '';
  return `perfgate: clock instructions counted with ${how}: this run took ${formatDuration(wallSec)} of wall time${install}.`;
}

export function formatDuration(sec: number): string {
  if (sec < 60) return `${sec.toFixed(1)} s`;
  const m = Math.floor(sec / 60);
  return `${m} min ${Math.round(sec - 60 * m)} s`;
}
