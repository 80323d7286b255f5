// GitHub delivery: event context, the sticky PR comment, fork handling, artifacts, annotations.
// The Actions toolkit side (the log, core.summary and annotation commands) lives in
// src/action/toolkit.ts, so that this folder stays free of the toolkit's core package.
export { createOctokit, type Octokit } from './client.ts';
export { readEventContext, type EventContext, type WorkflowRunInfo } from './context.ts';
export {
  ACTIONS_BOT_LOGIN,
  MAX_COMMENT_CHARS,
  findStickyComment,
  listAllComments,
  pickStickyComment,
  resolveIdentity,
  stickyBody,
  upsertStickyComment,
  type IssueComment,
  type StickyTarget,
  type UpsertResult,
} from './comment.ts';
export {
  ARTIFACT_FILES,
  READ_ONLY_HELP,
  REPORT_ARTIFACT_NAME,
  reportArtifactName,
  hasReadOnlyToken,
  isReadOnlyError,
  postFromArtifact,
  postGateComment,
  readReportArtifact,
  writeReportArtifactFiles,
  type CommentOutcome,
  type ReportArtifact,
} from './fork.ts';
export { downloadArtifact, uploadArtifact, artifactServiceAvailable, localArtifactRoot, type ArtifactResult } from './artifact.ts';
export { annotationsFor, type Annotation } from './annotations.ts';
export { GitHubApiError, withRetry, type Log, type RetryOptions } from './retry.ts';
