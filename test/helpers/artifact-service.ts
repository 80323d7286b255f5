// A local GitHub Actions artifact service (v4+, the one @actions/artifact 2+ talks to) for tests: a
// real HTTP server speaking Twirp JSON at `/twirp/github.actions.results.api.v1.ArtifactService/<Method>`
// (CreateArtifact, FinalizeArtifact, ListArtifacts, GetSignedArtifactURL) with Azurite as the blob
// storage behind SAS URLs, plus the two REST endpoints a download from another workflow run uses
// (`GET /repos/:o/:r/actions/runs/:run/artifacts?name=` and `GET /repos/:o/:r/actions/artifacts/:id/zip`,
// a 302 to the blob), as on GitHub.
//
// The runtime token is a JWT whose `scp` claim names the run's backend ids, as the runner's is:
// `service.envFor(runId)` gives a job of workflow run `runId` its ACTIONS_RUNTIME_TOKEN,
// ACTIONS_RESULTS_URL, GITHUB_SERVER_URL and GITHUB_API_URL.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAzurite, type Azurite } from './azurite.ts';

export const ARTIFACT_TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/';

export interface StoredArtifact {
  id: number;
  runId: number;
  runBackendId: string;
  jobBackendId: string;
  name: string;
  blobName: string;
  size: number;
  /** `sha256:<hex>` as the uploader reported it at FinalizeArtifact. */
  digest?: string;
  finalized: boolean;
  createdAt: string;
}

export interface ArtifactService {
  url: string;
  /** The runner's variables for a job of workflow run `runId` (numeric, as in the REST API). */
  envFor(runId: number): Record<string, string>;
  artifacts(): StoredArtifact[];
  /** Every request received: Twirp methods by name, REST calls as `GET /path`. */
  requests: Array<{ method: string; body: Record<string, unknown>; status: number }>;
  azurite: Azurite;
  /** Replace an artifact's stored bytes (a tampered blob) without touching its recorded digest. */
  replaceBlob(id: number, bytes: Buffer): Promise<void>;
  readBlob(id: number): Promise<Buffer>;
  stop(): Promise<void>;
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** A JWT as the runner's ACTIONS_RUNTIME_TOKEN: unsigned here; the service only reads its scope. */
function runtimeToken(runBackendId: string, jobBackendId: string): string {
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ scp: `Actions.GenericRead:0 Actions.Results:${runBackendId}:${jobBackendId}`, exp: 4102444800 })}.c2lnbmF0dXJl`;
}

export async function startArtifactService(): Promise<ArtifactService> {
  const azurite = await startAzurite({ container: 'artifacts' });
  const stored: StoredArtifact[] = [];
  const requests: ArtifactService['requests'] = [];
  const tokens = new Map<string, { runId: number; runBackendId: string; jobBackendId: string }>();
  let nextId = 101;

  const twirp = async (method: string, body: Record<string, unknown>, auth: string | undefined): Promise<[number, unknown]> => {
    const who = tokens.get((auth ?? '').replace(/^Bearer /, ''));
    if (!who) return [401, { code: 'unauthenticated', msg: 'missing or unknown runtime token' }];
    if (body.workflow_run_backend_id !== who.runBackendId || body.workflow_job_run_backend_id !== who.jobBackendId) {
      return [403, { code: 'permission_denied', msg: 'backend ids do not match the token' }];
    }
    const mine = stored.filter((a) => a.runBackendId === who.runBackendId);
    switch (method) {
      case 'CreateArtifact': {
        const name = String(body.name ?? '');
        if (mine.some((a) => a.name === name && a.finalized)) return [409, { code: 'already_exists', msg: `an artifact named ${name} exists in this run` }];
        const a: StoredArtifact = { id: nextId++, runId: who.runId, runBackendId: who.runBackendId, jobBackendId: who.jobBackendId, name, blobName: `${who.runBackendId}-${randomUUID()}.zip`, size: 0, finalized: false, createdAt: new Date().toISOString() };
        stored.push(a);
        return [200, { ok: true, signed_upload_url: azurite.sasUrl(a.blobName, 'cw') }];
      }
      case 'FinalizeArtifact': {
        const a = mine.find((x) => x.name === body.name && !x.finalized);
        if (!a) return [404, { code: 'not_found', msg: `no pending artifact named ${String(body.name)}` }];
        const size = await azurite.blobSize(a.blobName);
        if (size === undefined || size !== Number(body.size)) return [200, { ok: false, artifact_id: '0' }];
        a.size = size;
        a.digest = typeof body.hash === 'string' ? body.hash : undefined;
        a.finalized = true;
        return [200, { ok: true, artifact_id: String(a.id) }];
      }
      case 'ListArtifacts': {
        const name = body.name_filter as string | undefined;
        const id = body.id_filter as string | undefined;
        const list = mine.filter((a) => a.finalized && (name === undefined || a.name === name) && (id === undefined || String(a.id) === String(id)));
        return [200, { artifacts: list.map((a) => ({ workflow_run_backend_id: a.runBackendId, workflow_job_run_backend_id: a.jobBackendId, database_id: String(a.id), name: a.name, size: String(a.size), created_at: a.createdAt, ...(a.digest ? { digest: a.digest } : {}) })) }];
      }
      case 'GetSignedArtifactURL': {
        const a = mine.find((x) => x.finalized && x.name === body.name);
        if (!a) return [404, { code: 'not_found', msg: `no artifact named ${String(body.name)}` }];
        return [200, { signed_url: azurite.sasUrl(a.blobName, 'r') }];
      }
      default:
        return [404, { code: 'bad_route', msg: `no handler for ${method}` }];
    }
  };

  const rest = (method: string, url: URL): [number, unknown, Record<string, string>?] => {
    let m = /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)\/artifacts$/.exec(url.pathname);
    if (method === 'GET' && m) {
      const runId = Number(m[1]);
      const name = url.searchParams.get('name');
      const list = stored.filter((a) => a.finalized && a.runId === runId && (!name || a.name === name));
      return [200, { total_count: list.length, artifacts: list.map((a) => ({ id: a.id, name: a.name, size_in_bytes: a.size, created_at: a.createdAt, expired: false, digest: a.digest ?? null, workflow_run: { id: a.runId } })) }];
    }
    m = /^\/repos\/[^/]+\/[^/]+\/actions\/artifacts\/(\d+)\/zip$/.exec(url.pathname);
    if (method === 'GET' && m) {
      const a = stored.find((x) => x.finalized && x.id === Number(m![1]));
      if (!a) return [404, { message: 'Not Found' }];
      return [302, '', { Location: azurite.sasUrl(a.blobName, 'r') }];
    }
    return [404, { message: `no route ${method} ${url.pathname}` }];
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        let body: Record<string, unknown> = {};
        try {
          body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
        } catch {
          body = {};
        }
        let status: number;
        let payload: unknown;
        let headers: Record<string, string> = {};
        let method: string;
        if (req.method === 'POST' && url.pathname.startsWith(ARTIFACT_TWIRP_PREFIX)) {
          method = url.pathname.slice(ARTIFACT_TWIRP_PREFIX.length);
          try {
            [status, payload] = await twirp(method, body, req.headers.authorization);
          } catch (error) {
            [status, payload] = [500, { code: 'internal', msg: (error as Error).message }];
          }
        } else {
          method = `${req.method} ${url.pathname}`;
          [status, payload, headers = {}] = rest(req.method ?? 'GET', url);
        }
        requests.push({ method, body, status });
        const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
        res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const blobClient = (a: StoredArtifact) => {
    return import('@azure/storage-blob').then(({ BlobServiceClient }) =>
      new BlobServiceClient(azurite.accountUrl, azurite.credential).getContainerClient(azurite.container).getBlockBlobClient(a.blobName),
    );
  };
  const byId = (id: number) => {
    const a = stored.find((x) => x.id === id);
    if (!a) throw new Error(`no artifact ${id}`);
    return a;
  };

  return {
    url,
    envFor(runId) {
      const runBackendId = `run-${runId}-${randomUUID()}`;
      const jobBackendId = `job-${randomUUID()}`;
      const token = runtimeToken(runBackendId, jobBackendId);
      tokens.set(token, { runId, runBackendId, jobBackendId });
      return { ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: `${url}/`, GITHUB_SERVER_URL: 'https://github.com', GITHUB_API_URL: url };
    },
    artifacts: () => stored.filter((a) => a.finalized).map((a) => ({ ...a })),
    requests,
    azurite,
    async replaceBlob(id, bytes) {
      const client = await blobClient(byId(id));
      await client.uploadData(bytes, { blobHTTPHeaders: { blobContentType: 'application/zip' } });
    },
    async readBlob(id) {
      const client = await blobClient(byId(id));
      return client.downloadToBuffer();
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await azurite.stop();
    },
  };
}
