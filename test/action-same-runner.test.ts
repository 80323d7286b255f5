// The bundled Action on a pull_request event defaults to same-runner: it checks out the PR's base
// commit in a worktree of the checkout (a real local git repository here), measures both sides
// interleaved, and decides on paired rounds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runAction } from './helpers/action.ts';
import { startGitHubServer } from './helpers/github-server.ts';
import { tempDir } from './helpers/git.ts';
import { steadySuite } from './helpers/steady-suite.ts';

const PR_EVENT = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/events/pull_request.json'), 'utf8'));

/** A suite whose task reports 0.1 ms per 4,000 iterations: the verdict comes from the input, not from how busy the machine is. */
function suite(iterations: number): string {
  return steadySuite({ loop: (0.1 * iterations) / 4000 });
}

describe('baseline: auto on a pull request (dist/index.js)', () => {
  let repo: string;
  const sha: Record<string, string> = {};
  const git = (args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();

  beforeAll(async () => {
    repo = await tempDir('action-ab');
    git(['init', '-q', '-b', 'main']);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'), 'junction');
    writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n.perfgate\n');
    writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'ab', private: true, type: 'module', dependencies: { tinybench: '*' } }));
    mkdirSync(path.join(repo, 'bench'));
    for (const [name, n] of [['base', 4000], ['slow', 6000]] as const) {
      writeFileSync(path.join(repo, 'bench', 'work.bench.mjs'), suite(n));
      git(['add', '-A']);
      git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', name]);
      sha[name] = git(['rev-parse', 'HEAD']);
    }
  });

  it('measures the base commit on the same runner, paired, and fails on a 50% slowdown', async () => {
    const server = await startGitHubServer();
    try {
      const event = structuredClone(PR_EVENT);
      event.pull_request.base.sha = sha.base;
      event.pull_request.head.sha = sha.slow;
      const run = await runAction({
        inputs: { 'github-token': 'test-token', build: 'none', rounds: '6', 'task-time': '60', 'time-budget': '30', clock: 'cpu' },
        eventName: 'pull_request',
        event,
        workspace: repo,
        apiUrl: server.url,
      });
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stdout).toMatch(/baseline mode same-runner \(auto\)/);
      const comparison = JSON.parse(readFileSync(run.outputs['comparison-json'], 'utf8'));
      expect(comparison.mode).toBe('paired');
      expect(comparison.base.commit ?? comparison.base.source).toMatch(new RegExp(sha.base.slice(0, 7)));
      expect(['major', 'critical']).toContain(comparison.benchmarks[0].verdict);
      expect(git(['worktree', 'list']).split('\n')).toHaveLength(1);
      expect(server.comments('octo-org', 'perfgate-demo', PR_EVENT.number)).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });
});
