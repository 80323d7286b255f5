// The Action: the only code that imports @actions/core or reads INPUT_* (see docs/ARCHITECTURE.md).
export { run, resolveBaselineMode, type ResolvedBaseline } from './main.ts';
export { readActionInputs, readInputs, parseJobInputs, type ActionInputs, type JobInputs } from './inputs.ts';
