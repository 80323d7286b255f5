// Thin wrapper over @actions/artifact with a filesystem fallback: where the runner's artifact
// service is not available (ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL unset: local runs, tests),
// an artifact is a folder `<PERFGATE_ARTIFACT_DIR or $TMPDIR/perfgate-artifacts>/<name>`.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Log } from './retry.ts';

type Env = Record<string, string | undefined>;

export interface ArtifactResult {
  /** `actions`: the runner's artifact service; `local`: the filesystem fallback. */
  kind: 'actions' | 'local';
  /** Artifact id (actions) or the folder holding it (local). */
  id?: number;
  location: string;
}

/** Where the runner's artifact service can be reached; false in local runs and tests. */
export function artifactServiceAvailable(env: Env): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL);
}

export function localArtifactRoot(env: Env): string {
  return resolve(env.PERFGATE_ARTIFACT_DIR || join(tmpdir(), 'perfgate-artifacts'));
}

function checkName(name: string): void {
  // The service's own rules, plus no path tricks for the local fallback.
  if (!name || /[":<>|*?\r\n\\/]/.test(name) || name === '.' || name === '..') {
    throw new Error(`Artifact name ${JSON.stringify(name)} is not allowed: avoid " : < > | * ? \\ / and line breaks.`);
  }
}

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

export interface UploadOptions {
  name: string;
  /** Folder whose files make up the artifact (paths inside it are kept). */
  rootDir: string;
  /** Files to upload (absolute, inside rootDir); default: every file under rootDir. */
  files?: string[];
  env: Env;
  log: Log;
  retentionDays?: number;
}

export async function uploadArtifact(o: UploadOptions): Promise<ArtifactResult> {
  checkName(o.name);
  const rootDir = resolve(o.rootDir);
  if (!existsSync(rootDir) || !statSync(rootDir).isDirectory()) throw new Error(`Artifact ${o.name}: folder ${rootDir} does not exist.`);
  const files = (o.files ?? listFiles(rootDir)).map((f) => resolve(rootDir, f));
  for (const f of files) {
    if (relative(rootDir, f).startsWith('..')) throw new Error(`Artifact ${o.name}: file ${f} is outside ${rootDir}.`);
  }
  if (artifactServiceAvailable(o.env)) {
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const res = await new DefaultArtifactClient().uploadArtifact(o.name, files, rootDir, { retentionDays: o.retentionDays });
    o.log.info(`Uploaded artifact ${o.name} (${files.length} files${res.size !== undefined ? `, ${res.size} bytes` : ''}).`);
    return { kind: 'actions', id: res.id, location: o.name };
  }
  const dest = join(localArtifactRoot(o.env), o.name);
  rmSync(dest, { recursive: true, force: true });
  for (const f of files) {
    const to = join(dest, relative(rootDir, f));
    mkdirSync(join(to, '..'), { recursive: true });
    cpSync(f, to);
  }
  o.log.info(`No artifact service here (ACTIONS_RUNTIME_TOKEN/ACTIONS_RESULTS_URL unset): artifact ${o.name} copied to ${dest}.`);
  return { kind: 'local', location: dest };
}

export interface DownloadOptions {
  name: string;
  /** Folder to put the artifact's files in. */
  destination: string;
  env: Env;
  log: Log;
  /** Another workflow run's artifact (the companion workflow); omit for this run's. */
  findBy?: { token: string; runId: number; owner: string; repo: string };
}

export async function downloadArtifact(o: DownloadOptions): Promise<ArtifactResult> {
  checkName(o.name);
  const destination = resolve(o.destination);
  mkdirSync(destination, { recursive: true });
  if (artifactServiceAvailable(o.env)) {
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const client = new DefaultArtifactClient();
    const findBy = o.findBy
      ? { findBy: { token: o.findBy.token, workflowRunId: o.findBy.runId, repositoryOwner: o.findBy.owner, repositoryName: o.findBy.repo } }
      : {};
    const { artifact } = await client.getArtifact(o.name, findBy);
    // The service records the digest of what was uploaded; bytes changed in storage since then fail.
    const expectedHash = artifact.digest || undefined;
    const { digestMismatch } = await client.downloadArtifact(artifact.id, { path: destination, ...findBy, ...(expectedHash ? { expectedHash } : {}) });
    if (digestMismatch) {
      rmSync(destination, { recursive: true, force: true });
      throw new Error(`Artifact ${o.name} (id ${artifact.id}) does not match the digest recorded at upload (${expectedHash}): it was changed after the upload; not using it.`);
    }
    o.log.info(`Downloaded artifact ${o.name} (id ${artifact.id}${expectedHash ? `, ${expectedHash.slice(0, 19)}… verified` : ''}) into ${destination}.`);
    return { kind: 'actions', id: artifact.id, location: destination };
  }
  const src = join(localArtifactRoot(o.env), o.name);
  if (!existsSync(src)) {
    throw new Error(`Artifact ${o.name} not found in ${src} (no artifact service here; set PERFGATE_ARTIFACT_DIR to the folder the upload used).`);
  }
  cpSync(src, destination, { recursive: true });
  o.log.info(`No artifact service here: artifact ${o.name} copied from ${src} into ${destination}.`);
  return { kind: 'local', location: destination };
}
