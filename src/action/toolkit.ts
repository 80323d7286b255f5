// The thin edge to @actions/core for delivery: the log, annotations and the job summary. Used by
// the Action's orchestrator (src/action/main.ts) and its jobs only; everything that decides what
// to say lives in pure modules.
import * as core from '@actions/core';
import type { Annotation } from '../github/annotations.ts';
import type { Log } from '../github/retry.ts';

/** A Log that writes through @actions/core (info lines and warning annotations). */
export const coreLog: Log = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
};

export function emitAnnotations(list: Annotation[]): void {
  for (const a of list) {
    const props = { title: a.title };
    if (a.level === 'error') core.error(a.message, props);
    else if (a.level === 'warning') core.warning(a.message, props);
    else core.notice(a.message, props);
  }
}

/** GitHub's limit for one step's summary. */
export const MAX_SUMMARY_BYTES = 1024 * 1024;

/**
 * Appends the report to the job summary. Without GITHUB_STEP_SUMMARY (a runner or tool that has
 * no job summaries) it logs a line and returns false instead of failing.
 */
export async function writeJobSummary(markdown: string, log: Log = coreLog): Promise<boolean> {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path) {
    log.info('GITHUB_STEP_SUMMARY is not set (no job summary on this runner); the report is in the log and the report files.');
    return false;
  }
  let text = markdown;
  if (Buffer.byteLength(text) > MAX_SUMMARY_BYTES) {
    const note = '\n\n_Report truncated to fit the 1 MiB job summary limit; the full report is in the report files._\n';
    text = Buffer.from(text).subarray(0, MAX_SUMMARY_BYTES - Buffer.byteLength(note) - 4).toString().replace(/\uFFFD+$/, '') + note;
    log.warning('The report is larger than the 1 MiB job summary limit: the job summary holds a truncated copy.');
  }
  try {
    await core.summary.addRaw(text, true).write();
    return true;
  } catch (err) {
    log.warning(`Could not write the job summary to ${path}: ${(err as Error).message}`);
    return false;
  } finally {
    core.summary.emptyBuffer();
  }
}
