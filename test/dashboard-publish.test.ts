// The dashboard published by the bundled Action (dist/index.js), run as the runner runs it: the
// data branch is a local bare repository, the GitHub API a local server that records requests.
// dashboard: true writes the page under dashboard-dir of the data branch on weekly runs and on
// default-branch pushes without touching the history; dashboard-url links the weekly summary, the
// step issues and the PR comment to it (a deep link per regressed benchmark); without it nothing
// links. Bad values of the new inputs fail naming the input, the value and the fix. Last, the
// store's writeFiles racing saves (src): every history entry survives.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardLine, dashboardLink, MAX_DEEP_LINKS } from '../src/dashboard/links.ts';
import { createBranchStore } from '../src/store/branch.ts';
import { stringifyResults } from '../src/store/json.ts';
import { makeProject, ROOT, runAction } from './helpers/action.ts';
import { commitFiles } from './helpers/git.ts';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.ts';
import { weeklyHistory, weeklyRun, type SeriesSpec } from './helpers/weekly.ts';

const run = promisify(execFile);
const SCHEDULE_EVENT = path.join(ROOT, 'test/fixtures/events/schedule.json');
const PUSH_EVENT = path.join(ROOT, 'test/fixtures/events/push.json');
const PR_EVENT = path.join(ROOT, 'test/fixtures/events/pull_request.json');
const OWNER = 'octo-org';
const REPO = 'perfgate-demo';
const PAGES = 'https://octo-org.github.io/perfgate-demo/dashboard/';
const PAGE_LINK = `📈 [History dashboard](${PAGES}#branch=main)`;
const SORT_LINK = `${PAGES}#bench=work%2Fsort&branch=main`;
/** A 30% step in work/sort at run 20 of the seeded history; the other series flat. */
const SPECS: SeriesSpec[] = [
  { id: 'work/sort', level: (i) => (i >= 19 ? 26_000 : 20_000) },
  { id: 'work/sum <b>loop</b> | 1', level: () => 60_000 },
];
const SEEDED = 30;

let remote: string;
let project: string;
let artifacts: string;
let server: GitHubServer;
let seededFiles: Map<string, string>;

/** Every file on the data branch → its blob id. */
async function tree(): Promise<Map<string, string>> {
  const { stdout } = await run('git', ['--git-dir', remote, 'ls-tree', '-r', 'perfgate-data']);
  return new Map(
    stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [meta, file] = line.split('\t');
        return [file, meta.split(' ')[2]];
      }),
  );
}

const show = async (file: string) => (await run('git', ['--git-dir', remote, 'show', `perfgate-data:${file}`], { maxBuffer: 64 * 1024 * 1024 })).stdout;
const tipMessage = async () => (await run('git', ['--git-dir', remote, 'log', '-1', '--format=%s', 'perfgate-data'])).stdout.trim();
const historyOf = (t: Map<string, string>) => [...t.keys()].filter((f) => f.startsWith('history/main/'));

/** The data embedded in a dashboard page (the JSON script element, `<` escaped as \u003c). */
function pageData(html: string): { title: string; branches: Array<{ name: string; runs: unknown[]; benchmarks: Array<{ id: string }> }> } {
  const m = /<script id="perfgate-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  expect(m, 'the page embeds its data').not.toBeNull();
  return JSON.parse(m![1]);
}

/** A results file in the project (the Action reads it instead of measuring). */
function resultsFile(name: string, i: number, scale = 1): string {
  const r = weeklyRun(i, SPECS.map((s) => ({ ...s, level: (k: number) => s.level(k) * scale })), 7);
  writeFileSync(path.join(project, name), stringifyResults(r));
  return name;
}

const action = (o: { inputs: Record<string, string>; eventName: string; event: string; env?: Record<string, string> }) =>
  runAction({
    inputs: { baseline: 'branch', build: 'none', 'github-token': 'test-token', ...o.inputs },
    eventName: o.eventName,
    event: o.event,
    workspace: project,
    apiUrl: server.url,
    env: { PERFGATE_ARTIFACT_DIR: artifacts, ...o.env },
  });

beforeAll(async () => {
  remote = mkdtempSync(path.join(os.tmpdir(), 'perfgate-dashpub-remote-'));
  artifacts = mkdtempSync(path.join(os.tmpdir(), 'perfgate-dashpub-artifacts-'));
  execFileSync('git', ['init', '-q', '--bare', remote]);
  project = makeProject('dashpub');
  const git = (args: string[]) => run('git', args, { cwd: project });
  await git(['init', '-q', '-b', 'main']);
  await git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'init']);
  await git(['remote', 'add', 'origin', remote]);
  const runs = weeklyHistory(SEEDED, SPECS);
  const files: Record<string, string> = {};
  runs.forEach((r, i) => {
    const stamp = r.startedAt.replace(/[-:.]/g, '');
    files[`history/main/${stamp}-${r.commit!.slice(0, 7)}-${String(i).padStart(6, '0')}.json`] = stringifyResults(r);
  });
  files['baselines/main.json'] = stringifyResults(runs[SEEDED - 1]);
  await commitFiles(remote, 'perfgate-data', files, 'seed the history');
  seededFiles = await tree();
  server = await startGitHubServer();
}, 120_000);

afterAll(async () => {
  rmSync(remote, { recursive: true, force: true });
  rmSync(artifacts, { recursive: true, force: true });
  await server?.stop();
});

describe('dashboard: true (dist/index.js)', () => {
  it('weekly: writes dashboard/index.html on the data branch from the history, keeps every history entry, and links the summary and the step issue', async () => {
    const r = await action({
      inputs: { mode: 'weekly', 'open-issue': 'true', dashboard: 'true', 'dashboard-url': PAGES, 'results-file': resultsFile('week-30.json', SEEDED) },
      eventName: 'schedule',
      event: SCHEDULE_EVENT,
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/dashboard published: perfgate-data:dashboard\/index\.html \(31 runs of main, 2 benchmarks, \d+ KiB\); served at https:\/\/octo-org\.github\.io\/perfgate-demo\/dashboard\//);

    const after = await tree();
    // The history: every seeded file as it was, plus this run's entry; the baseline replaced.
    for (const [file, blob] of seededFiles) if (file.startsWith('history/')) expect(after.get(file), file).toBe(blob);
    expect(historyOf(after)).toHaveLength(SEEDED + 1);
    expect(after.has('baselines/main.json')).toBe(true);
    // The page: one self-contained file, built from those 31 runs, as the last commit.
    expect([...after.keys()].filter((f) => f.startsWith('dashboard/'))).toEqual(['dashboard/index.html']);
    expect(await tipMessage()).toMatch(/^perfgate: dashboard of main at [0-9a-f]{7}$/);
    const html = await show('dashboard/index.html');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("default-src 'none'");
    const data = pageData(html);
    expect(data.title).toBe('perfgate: octo-org/perfgate-demo');
    expect(data.branches.map((b) => b.name)).toEqual(['main']);
    expect(data.branches[0].runs).toHaveLength(SEEDED + 1);
    expect(data.branches[0].benchmarks.map((b) => b.id).sort()).toEqual(['work/sort', 'work/sum <b>loop</b> | 1']);

    // The links: the page and the stepped benchmark, in the summary and in the step's issue.
    expect(r.summary).toContain(`${PAGE_LINK} · regression steps: [work/sort](${SORT_LINK})`);
    const issue = server.issues(OWNER, REPO).find((i) => i.title.includes('work/sort'));
    expect(issue?.body).toContain(`📈 [work/sort on the history dashboard](${SORT_LINK})`);
  });

  it('weekly without the inputs: no dashboard commit and no link anywhere', async () => {
    const before = await tree();
    const r = await action({
      inputs: { mode: 'weekly', 'open-issue': 'true', 'results-file': resultsFile('week-31.json', SEEDED + 1) },
      eventName: 'schedule',
      event: SCHEDULE_EVENT,
      env: { GITHUB_RUN_ID: '1001' },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/dashboard published/);
    expect(await tipMessage()).toMatch(/^perfgate: baseline for main/);
    const after = await tree();
    expect(after.get('dashboard/index.html')).toBe(before.get('dashboard/index.html'));
    expect(historyOf(after)).toHaveLength(SEEDED + 2);
    expect(r.summary).toMatch(/^# Weekly performance summary/);
    expect(r.summary).not.toContain('History dashboard');
    expect(r.summary).not.toContain('#bench=');
    // The issue was updated from this run's context: the dashboard line is gone with the input.
    const issue = server.issues(OWNER, REPO).find((i) => i.title.includes('work/sort'));
    expect(issue?.body).toContain('<!-- perfgate:step id=');
    expect(issue?.body).not.toContain('history dashboard');
  });

  it('a push of the default branch saves the run, then writes the page under dashboard-dir (docs)', async () => {
    const before = await tree();
    const r = await action({
      inputs: { dashboard: 'true', 'dashboard-dir': 'docs/', comment: 'never', 'results-file': resultsFile('push.json', SEEDED + 2) },
      eventName: 'push',
      event: PUSH_EVENT,
      env: { GITHUB_RUN_ID: '1002' },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/baseline saved: perfgate-data:baselines\/main\.json/);
    expect(r.stdout).toMatch(/dashboard published: perfgate-data:docs\/index\.html \(33 runs of main/);
    const after = await tree();
    for (const file of historyOf(before)) expect(after.get(file), file).toBe(before.get(file));
    expect(historyOf(after)).toHaveLength(SEEDED + 3);
    // The other folder is left as it was; the new one holds the page of all 33 runs.
    expect(after.get('dashboard/index.html')).toBe(before.get('dashboard/index.html'));
    expect(pageData(await show('docs/index.html')).branches[0].runs).toHaveLength(SEEDED + 3);
    // No link without dashboard-url.
    expect(r.summary).toMatch(/^## perfgate: /m);
    expect(r.summary).not.toContain('History dashboard');
  });

  it('a pull request never publishes; with dashboard-url its comment and summary link the page and each regression', async () => {
    const before = await tree();
    const slow = resultsFile('pr-slow.json', SEEDED + 3, 3);
    const r = await action({
      inputs: { dashboard: 'true', 'dashboard-url': PAGES, comment: 'always', 'results-file': slow },
      eventName: 'pull_request',
      event: PR_EVENT,
    });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/not a run of the default branch: the dashboard is not published/);
    expect(await tree()).toEqual(before);
    const comments = server.comments(OWNER, REPO, 42).filter((c) => c.body.includes('<!-- perfgate:gate -->'));
    expect(comments).toHaveLength(1);
    const sum = `${PAGES}#bench=work%2Fsum%20%3Cb%3Eloop%3C%2Fb%3E%20%7C%201&branch=main`;
    const line = `${PAGE_LINK} · regressed: [work/sort](${SORT_LINK}), [work/sum &lt;b&gt;loop&lt;/b&gt; \\| 1](${sum})`;
    expect(comments[0].body).toContain(line);
    expect(r.summary).toContain(line);

    // The same pull request without dashboard-url: the comment is updated and links nowhere.
    const again = await action({ inputs: { comment: 'always', 'results-file': slow }, eventName: 'pull_request', event: PR_EVENT, env: { GITHUB_RUN_ID: '1003' } });
    expect(again.code, again.stdout + again.stderr).toBe(1);
    const updated = server.comments(OWNER, REPO, 42).filter((c) => c.body.includes('<!-- perfgate:gate -->'));
    expect(updated).toHaveLength(1);
    expect(updated[0].body).toContain('critical');
    expect(updated[0].body).not.toContain('History dashboard');
    expect(updated[0].body).not.toContain('#bench=');
  });
});

describe('bad values of the dashboard inputs (dist/index.js)', () => {
  const bad: Array<[string, string, RegExp]> = [
    ['dashboard', 'yes', /input "dashboard" is "yes"; expected true or false\. Set dashboard: true to publish the history dashboard to the data branch, or leave it out \(default false\)\./],
    ['dashboard-dir', '../site', /input "dashboard-dir" is "\.\.\/site"; expected a folder of the data branch, relative and without \. or \.\..*e\.g\. dashboard \(the default\) or docs\./],
    ['dashboard-dir', 'history', /input "dashboard-dir" is "history"; .*other than baselines\/, history\/, corrupt\/ \(the history's own\)/],
    ['dashboard-url', 'octo-org.github.io/perfgate-demo', /input "dashboard-url" is "octo-org\.github\.io\/perfgate-demo"; expected the http\(s\) address where GitHub Pages serves the dashboard, e\.g\. https:\/\/OWNER\.github\.io\/REPO\/dashboard\/, or leave it out for no links\./],
  ];

  it.each(bad)('%s: %s fails the step with a message naming the input, the value and the fix', async (name, value, message) => {
    const before = await tree();
    const r = await runAction({ inputs: { [name]: value, build: 'none' }, eventName: 'push', event: { ref: 'refs/heads/main' }, workspace: project });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(message);
    expect(r.outputs.verdict).toBe('error');
    expect(await tree()).toEqual(before);
  });
});

describe('BranchStore.writeFiles when another writer moves the data branch (src)', () => {
  it('is rejected, fetches the new tip and re-applies the page there: the other writer’s history entry survives', async () => {
    const gitDir = ['--git-dir', remote];
    const tip0 = (await run('git', [...gitDir, 'rev-parse', 'perfgate-data'])).stdout.trim();
    // The other writer's commit (a history entry), made now and held back: the data branch is
    // rewound to tip0, and moved to this commit by the git wrapper just before our first push.
    const other = 'history/main/29990101T000000000Z-0123456-other.json';
    await commitFiles(remote, 'perfgate-data', { [other]: stringifyResults(weeklyRun(50, SPECS, 5)) }, 'the other writer');
    const tip1 = (await run('git', [...gitDir, 'rev-parse', 'perfgate-data'])).stdout.trim();
    await run('git', [...gitDir, 'update-ref', 'refs/heads/perfgate-data', tip0]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-dashpub-git-'));
    const wrapper = path.join(dir, 'git-racer');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nfor a in "$@"; do\n  if [ "$a" = push ] && [ ! -e '${dir}/moved' ]; then touch '${dir}/moved'; git --git-dir='${remote}' update-ref refs/heads/perfgate-data ${tip1}; fi\ndone\nexec git "$@"\n`,
      { mode: 0o755 },
    );
    try {
      const retries: number[] = [];
      const store = createBranchStore({ remoteUrl: remote, git: wrapper, retryBaseMs: 1, onRetry: (n) => retries.push(n) });
      const before = await tree();
      expect(before.has(other)).toBe(false);
      expect(await store.writeFiles('site', { 'index.html': '<!doctype html><p>page</p>' }, 'page\n')).toBe('perfgate-data:site/');
      expect(retries).toEqual([1]);
      const after = await tree();
      expect(after.has(other)).toBe(true);
      for (const [file, blob] of before) expect(after.get(file), file).toBe(blob);
      expect(await show('site/index.html')).toBe('<!doctype html><p>page</p>');
      expect((await run('git', [...gitDir, 'rev-parse', 'perfgate-data^'])).stdout.trim()).toBe(tip1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('dashboard links (src)', () => {
  it('deep links encode the id so that client.ts readHash gets it back, and Markdown cannot break on it', () => {
    const id = 'api/get (cached) & #1!';
    const link = dashboardLink('https://o.github.io/r/dashboard/#old', { bench: id, branch: 'release/1.x' })!;
    expect(link).toBe('https://o.github.io/r/dashboard/#bench=api%2Fget%20%28cached%29%20%26%20%231%21&branch=release%2F1.x');
    const hash = link.slice(link.indexOf('#') + 1).split('&').map((kv) => kv.split('='));
    expect(hash.map(([k, v]) => [k, decodeURIComponent(v)])).toEqual([['bench', id], ['branch', 'release/1.x']]);
    expect(dashboardLink('javascript:alert(1)')).toBeUndefined();
    expect(dashboardLine('ftp://o/r/')).toBe('');
  });

  it('links at most MAX_DEEP_LINKS benchmarks and counts the rest', () => {
    const ids = Array.from({ length: MAX_DEEP_LINKS + 3 }, (_, i) => `s/b${i}`);
    const line = dashboardLine('https://o.github.io/r/', { branch: 'main', benchmarks: [...ids, ids[0]], label: 'regressed:' });
    expect(line.startsWith('📈 [History dashboard](https://o.github.io/r/#branch=main) · regressed: [s/b0](https://o.github.io/r/#bench=s%2Fb0&branch=main), ')).toBe(true);
    expect(line.match(/#bench=/g)).toHaveLength(MAX_DEEP_LINKS);
    expect(line.endsWith(' and 3 more')).toBe(true);
    expect(dashboardLine('https://o.github.io/r/', { branch: 'main' })).toBe('📈 [History dashboard](https://o.github.io/r/#branch=main)');
  });
});
