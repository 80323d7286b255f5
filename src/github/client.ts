// The Octokit the GitHub adapters use: @actions/github's, pointed at GITHUB_API_URL (GHES, or a
// local test server). Retries are not installed here; each adapter call goes through withRetry.
import { getOctokit } from '@actions/github';

export type Octokit = ReturnType<typeof getOctokit>;

/** `apiUrl` is the REST base, e.g. https://api.github.com or http://127.0.0.1:PORT. */
export function createOctokit(token: string, apiUrl: string): Octokit {
  if (!token) {
    throw new Error(
      'github-token is empty: the PR comment needs a token. Leave the github-token input at its default (${{ github.token }}) or pass a token with pull-requests: write.',
    );
  }
  return getOctokit(token, { baseUrl: apiUrl.replace(/\/+$/, '') });
}
