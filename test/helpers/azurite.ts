// Azurite's blob service (the npm package, run from node_modules) as a real local Azure Blob
// Storage for tests: started on a free port with its data in a temporary folder, one container created with the
// well-known development account key, SAS URLs handed out like the Actions cache service does.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  BlobSASPermissions,
  BlobServiceClient,
  SASProtocol,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';

/** Azurite's fixed development account (public, documented by Microsoft; not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** Path-style account endpoint: `http://127.0.0.1:<port>/devstoreaccount1`. */
  accountUrl: string;
  container: string;
  credential: StorageSharedKeyCredential;
  /** `http://127.0.0.1:<port>/devstoreaccount1/<container>/<blob>?<sas>` with the given permissions ("r", "cw"…). */
  sasUrl(blobName: string, permissions: string, minutes?: number): string;
  /** Size of a blob in bytes, or undefined when it does not exist. */
  blobSize(blobName: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

function azuriteBlobMain(): string {
  const pkgPath = require.resolve('azurite/package.json');
  const bin = (require(pkgPath) as { bin: Record<string, string> }).bin['azurite-blob'];
  return path.join(path.dirname(pkgPath), bin);
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startAzurite(options: { container?: string } = {}): Promise<Azurite> {
  const location = await mkdtemp(path.join(os.tmpdir(), 'perfgate-azurite-'));
  const child = spawn(
    process.execPath,
    [
      azuriteBlobMain(),
      '--blobHost', '127.0.0.1',
      '--blobPort', '0',
      '--location', location,
      '--silent',
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true },
  );
  running.add(child);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    await rm(location, { recursive: true, force: true });
  };

  let baseUrl: string;
  try {
    baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Azurite did not start within 30 s. Output:\n${output}`)), 30_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const m = /successfully listens on (http:\/\/[^\s]+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1].replace(/\/$/, ''));
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited (code ${code}) before listening. Output:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  // Keep draining output so the pipes never fill up.
  child.stdout?.resume();
  child.stderr?.resume();

  const accountUrl = `${baseUrl}/${DEV_ACCOUNT}`;
  const container = options.container ?? 'actions-cache';
  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY);
  const service = new BlobServiceClient(accountUrl, credential);
  const containerClient = service.getContainerClient(container);
  try {
    await containerClient.createIfNotExists();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    accountUrl,
    container,
    credential,
    sasUrl(blobName, permissions, minutes = 60) {
      const sas = generateBlobSASQueryParameters(
        {
          containerName: container,
          blobName,
          permissions: BlobSASPermissions.parse(permissions),
          startsOn: new Date(Date.now() - 5 * 60_000),
          expiresOn: new Date(Date.now() + minutes * 60_000),
          protocol: SASProtocol.HttpsAndHttp,
        },
        credential,
      ).toString();
      return `${accountUrl}/${container}/${encodeURIComponent(blobName)}?${sas}`;
    },
    async blobSize(blobName) {
      try {
        const props = await containerClient.getBlobClient(blobName).getProperties();
        return props.contentLength;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    },
    stop,
  };
}
