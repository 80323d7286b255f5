// A real local HTTP server speaking the slice of GitHub's REST API perfgate uses. Tests point an
// Octokit (or the bundled Action, via GITHUB_API_URL) at `url` and assert on `requests`.
//
// Endpoints:
//   GET    /user                                   200 for tokens with canReadUser, else 403 like GITHUB_TOKEN
//   GET    /repos/:o/:r/issues/:n/comments         per_page (default 30, max 100) and page, Link rel=next/last/prev/first
//   POST   /repos/:o/:r/issues/:n/comments         201; 422 over 65,536 characters; 403 for read-only tokens
//   PATCH  /repos/:o/:r/issues/comments/:id        200; 403 for another account's comment or a read-only token
//   GET    /repos/:o/:r/pulls/:n                   seeded with setPull, else 404
//   GET    /repos/:o/:r/issues                     state, labels, creator filters; per_page/page
//   POST   /repos/:o/:r/issues                     201
//   PATCH  /repos/:o/:r/issues/:n                  200 (title, body, state, labels)
// Anything else is a 404 with GitHub's error shape. failNext() injects failures.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  authorization?: string;
  /** Parsed JSON body, when there was one. */
  body?: unknown;
  /** The status the server answered with. */
  status: number;
}

export interface Account {
  login: string;
  type?: 'User' | 'Bot';
  /** GET /user answers (a personal access token). Default false: 403 like GITHUB_TOKEN. */
  canReadUser?: boolean;
  /** Writes are refused with 403 "Resource not accessible by integration" (a fork PR's token). */
  readOnly?: boolean;
}

export interface Comment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: { login: string; id: number; type: 'User' | 'Bot' };
  created_at: string;
  updated_at: string;
  author_association: string;
}

export interface Issue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  labels: Array<{ name: string }>;
  user: { login: string; id: number; type: 'User' | 'Bot' };
  html_url: string;
  created_at: string;
  updated_at: string;
}

export interface PullSeed {
  headSha: string;
  headRef?: string;
  headRepo?: string;
  baseRef?: string;
  baseSha?: string;
  state?: 'open' | 'closed';
}

export interface GitHubServerOptions {
  /** token → account. Unknown (or missing) tokens act as GITHUB_TOKEN: github-actions[bot]. */
  tokens?: Record<string, Account>;
  /** Used in html_url fields. Default https://github.com. */
  serverUrl?: string;
}

export interface SeedComment {
  login: string;
  type?: 'User' | 'Bot';
  body: string;
}

export interface GitHubServer {
  url: string;
  requests: Recorded[];
  comments(owner: string, repo: string, issue: number): Comment[];
  seedComments(owner: string, repo: string, issue: number, list: SeedComment[]): Comment[];
  setPull(owner: string, repo: string, n: number, pull: PullSeed): void;
  issues(owner: string, repo: string): Issue[];
  /** The next `times` requests matching method ('*' for any) and path (exact string or RegExp) get `status`. */
  failNext(method: string, pathPattern: string | RegExp, status: number, times?: number, headers?: Record<string, string>, message?: string): void;
  /** Drops recorded requests (not state). */
  clearRequests(): void;
  stop(): Promise<void>;
}

const ACTIONS_BOT: Account = { login: 'github-actions[bot]', type: 'Bot', canReadUser: false };
const NOT_ACCESSIBLE = 'Resource not accessible by integration';
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Bad credentials',
  403: 'Forbidden',
  404: 'Not Found',
  422: 'Validation Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

interface Failure {
  method: string;
  pattern: string | RegExp;
  status: number;
  left: number;
  headers: Record<string, string>;
  message?: string;
}

function userId(login: string): number {
  let h = 7;
  for (const ch of login) h = (h * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  return h;
}

export async function startGitHubServer(opts: GitHubServerOptions = {}): Promise<GitHubServer> {
  const serverUrl = (opts.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  const tokens = opts.tokens ?? {};
  const requests: Recorded[] = [];
  const commentsByIssue = new Map<string, Comment[]>();
  const commentsById = new Map<number, { key: string; comment: Comment }>();
  const pulls = new Map<string, PullSeed>();
  const issuesByRepo = new Map<string, Issue[]>();
  const failures: Failure[] = [];
  let nextId = 1000;
  // New issues get numbers well above the PR numbers tests use.
  let nextIssueNumber = 500;
  let clock = Date.parse('2024-01-01T00:00:00Z');
  let baseUrl = '';

  const tick = (): string => new Date((clock += 1000)).toISOString();
  const issueKey = (o: string, r: string, n: number): string => `${o}/${r}#${n}`;

  function accountFor(auth: string | undefined): Account {
    const token = auth?.replace(/^(token|bearer)\s+/i, '');
    return (token && tokens[token]) || ACTIONS_BOT;
  }

  function userJson(a: { login: string; type?: 'User' | 'Bot' }): Comment['user'] {
    return { login: a.login, id: userId(a.login), type: a.type ?? (a.login.endsWith('[bot]') ? 'Bot' : 'User') };
  }

  function addComment(o: string, r: string, n: number, author: { login: string; type?: 'User' | 'Bot' }, body: string): Comment {
    const id = nextId++;
    const now = tick();
    const c: Comment = {
      id,
      node_id: `IC_${id}`,
      url: `${baseUrl}/repos/${o}/${r}/issues/comments/${id}`,
      html_url: `${serverUrl}/${o}/${r}/pull/${n}#issuecomment-${id}`,
      issue_url: `${baseUrl}/repos/${o}/${r}/issues/${n}`,
      body,
      user: userJson(author),
      created_at: now,
      updated_at: now,
      author_association: author.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
    };
    const key = issueKey(o, r, n);
    const list = commentsByIssue.get(key) ?? [];
    list.push(c);
    commentsByIssue.set(key, list);
    commentsById.set(id, { key, comment: c });
    return c;
  }

  function send(res: ServerResponse, rec: Recorded, status: number, data: unknown, headers: Record<string, string> = {}): void {
    rec.status = status;
    const text = data === undefined ? '' : JSON.stringify(data);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-media-type': 'github.v3', ...headers });
    res.end(text);
  }

  function error(res: ServerResponse, rec: Recorded, status: number, message?: string, headers?: Record<string, string>): void {
    send(res, rec, status, { message: message ?? STATUS_TEXT[status] ?? 'Error', documentation_url: 'https://docs.github.com/rest', status: String(status) }, headers);
  }

  function paginate<T>(res: ServerResponse, rec: Recorded, path: string, items: T[]): void {
    const perPage = Math.min(100, Math.max(1, Number(rec.query.per_page ?? 30) || 30));
    const page = Math.max(1, Number(rec.query.page ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const link = (p: number): string => {
      const q = new URLSearchParams({ ...rec.query, per_page: String(perPage), page: String(p) });
      return `${baseUrl}${path}?${q.toString()}`;
    };
    const rels: string[] = [];
    if (page > 1) rels.push(`<${link(page - 1)}>; rel="prev"`);
    if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`);
    if (page < last) rels.push(`<${link(last)}>; rel="last"`);
    if (page > 1) rels.push(`<${link(1)}>; rel="first"`);
    send(res, rec, 200, slice, rels.length ? { link: rels.join(', ') } : {});
  }

  function takeFailure(method: string, path: string): Failure | undefined {
    const f = failures.find(
      (x) => x.left > 0 && (x.method === '*' || x.method === method) && (typeof x.pattern === 'string' ? x.pattern === path : x.pattern.test(path)),
    );
    if (f) f.left--;
    return f;
  }

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (chunks.length === 0) return undefined;
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    const rec: Recorded = {
      method,
      path: u.pathname,
      query: Object.fromEntries(u.searchParams.entries()),
      authorization: req.headers.authorization,
      body,
      status: 0,
    };
    requests.push(rec);

    const f = takeFailure(method, u.pathname);
    if (f) return error(res, rec, f.status, f.message, f.headers);

    const account = accountFor(req.headers.authorization);
    const b = (body ?? {}) as Record<string, unknown>;
    let m: RegExpExecArray | null;

    if (method === 'GET' && u.pathname === '/user') {
      if (!account.canReadUser) return error(res, rec, 403, NOT_ACCESSIBLE);
      return send(res, rec, 200, { ...userJson(account), name: account.login });
    }

    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(u.pathname))) {
      const [, o, r, ns] = m;
      const n = Number(ns);
      if (method === 'GET') return paginate(res, rec, u.pathname, commentsByIssue.get(issueKey(o, r, n)) ?? []);
      if (method === 'POST') {
        if (account.readOnly) return error(res, rec, 403, NOT_ACCESSIBLE);
        if (typeof b.body !== 'string' || b.body === '') return error(res, rec, 422, 'Invalid request.\n\n"body" wasn\'t supplied.');
        if ([...b.body].length > 65_536) return error(res, rec, 422, 'Validation Failed: body is too long (maximum is 65536 characters)');
        return send(res, rec, 201, addComment(o, r, n, account, b.body));
      }
    }

    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(u.pathname))) {
      const found = commentsById.get(Number(m[3]));
      if (!found) return error(res, rec, 404);
      if (method === 'GET') return send(res, rec, 200, found.comment);
      if (method === 'PATCH') {
        if (account.readOnly || found.comment.user.login !== account.login) return error(res, rec, 403, NOT_ACCESSIBLE);
        if (typeof b.body !== 'string' || b.body === '') return error(res, rec, 422, 'Invalid request.\n\n"body" wasn\'t supplied.');
        if ([...b.body].length > 65_536) return error(res, rec, 422, 'Validation Failed: body is too long (maximum is 65536 characters)');
        found.comment.body = b.body;
        found.comment.updated_at = tick();
        return send(res, rec, 200, found.comment);
      }
    }

    if (method === 'GET' && (m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(u.pathname))) {
      const [, o, r, ns] = m;
      const p = pulls.get(issueKey(o, r, Number(ns)));
      if (!p) return error(res, rec, 404);
      return send(res, rec, 200, {
        number: Number(ns),
        state: p.state ?? 'open',
        html_url: `${serverUrl}/${o}/${r}/pull/${ns}`,
        head: { ref: p.headRef ?? 'feature', sha: p.headSha, repo: { full_name: p.headRepo ?? `${o}/${r}` } },
        base: { ref: p.baseRef ?? 'main', sha: p.baseSha ?? '0'.repeat(40), repo: { full_name: `${o}/${r}` } },
      });
    }

    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(u.pathname))) {
      const key = `${m[1]}/${m[2]}`;
      const list = issuesByRepo.get(key) ?? [];
      if (method === 'GET') {
        const state = rec.query.state ?? 'open';
        const labels = rec.query.labels ? rec.query.labels.split(',').map((s) => s.trim()) : [];
        const filtered = list.filter(
          (i) =>
            (state === 'all' || i.state === state) &&
            labels.every((l) => i.labels.some((x) => x.name === l)) &&
            (!rec.query.creator || i.user.login === rec.query.creator),
        );
        return paginate(res, rec, u.pathname, [...filtered].reverse());
      }
      if (method === 'POST') {
        if (account.readOnly) return error(res, rec, 403, NOT_ACCESSIBLE);
        if (typeof b.title !== 'string' || !b.title) return error(res, rec, 422, 'Validation Failed: title is missing');
        const number = nextIssueNumber++;
        const now = tick();
        const issue: Issue = {
          id: nextId++,
          number,
          title: b.title,
          body: typeof b.body === 'string' ? b.body : null,
          state: 'open',
          labels: Array.isArray(b.labels) ? b.labels.map((l) => ({ name: String(typeof l === 'object' && l ? (l as { name: unknown }).name : l) })) : [],
          user: userJson(account),
          html_url: `${serverUrl}/${key}/issues/${number}`,
          created_at: now,
          updated_at: now,
        };
        list.push(issue);
        issuesByRepo.set(key, list);
        return send(res, rec, 201, issue);
      }
    }

    if (method === 'PATCH' && (m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(u.pathname))) {
      const issue = (issuesByRepo.get(`${m[1]}/${m[2]}`) ?? []).find((i) => i.number === Number(m![3]));
      if (!issue) return error(res, rec, 404);
      if (account.readOnly) return error(res, rec, 403, NOT_ACCESSIBLE);
      if (typeof b.title === 'string') issue.title = b.title;
      if (typeof b.body === 'string') issue.body = b.body;
      if (b.state === 'open' || b.state === 'closed') issue.state = b.state;
      if (Array.isArray(b.labels)) issue.labels = b.labels.map((l) => ({ name: String(l) }));
      issue.updated_at = tick();
      return send(res, rec, 200, issue);
    }

    return error(res, rec, 404);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `test server bug: ${(err as Error).message}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    requests,
    comments: (o, r, n) => (commentsByIssue.get(issueKey(o, r, n)) ?? []).map((c) => ({ ...c, user: { ...c.user } })),
    seedComments: (o, r, n, list) => list.map((s) => addComment(o, r, n, { login: s.login, type: s.type }, s.body)),
    setPull: (o, r, n, p) => void pulls.set(issueKey(o, r, n), p),
    issues: (o, r) => [...(issuesByRepo.get(`${o}/${r}`) ?? [])],
    failNext: (method, pathPattern, status, times = 1, headers = {}, message) =>
      void failures.push({ method: method.toUpperCase(), pattern: pathPattern, status, left: times, headers, message }),
    clearRequests: () => void requests.splice(0),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
