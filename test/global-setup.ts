// One temporary folder for the whole test run: TMPDIR points into it (os.tmpdir() and every child
// process the tests start follow it), and it is removed when the run ends. The helpers' own
// exit-time cleanup does not run in vitest's worker processes, which are stopped, not exited, so
// without this every run left its Action runs, projects and repositories in the system's /tmp.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-tests-'));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
