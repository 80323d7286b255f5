// Configuration parsing: the generated deployment configs (app configs, multi-document
// Kubernetes manifests, compose files as YAML; app configs as JSON), read once, then parsed and
// validated (zod). One op = one document (~0.75 KB on average). TypeScript: the `yaml`
// package and JSON.parse; Rust: the addon's YAML parser, values handed over as one JSON text.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkConfigs, listConfigFiles } from '../workload/src/config.ts';
import { ensureCorpus } from '../workload/src/corpus.ts';
import { nativeWorkload } from '../workload/src/native.ts';
import { keep, prewarm, runIfMain, Suite } from './support.ts';

const corpus = ensureCorpus();
// The configs of the first 2 applications (8 files, 13 documents, ~8 KB) per call, after a
// pre-warm that lets V8 optimize the yaml package's code (steady state, as in a long-running
// service). The tests check both twins on the whole corpus.
const all = listConfigFiles(corpus.config);
const apps = new Set([...new Set(all.map((f) => f.split('/')[0]))].slice(0, 2));
const files = all.filter((f) => apps.has(f.split('/')[0])).map((file) => ({ file, bytes: readFileSync(path.join(corpus.config, file)) }));
const rust = nativeWorkload('config') !== null;
prewarm(() => checkConfigs(files, 'ts'), 300, 60);
if (rust) prewarm(() => checkConfigs(files, 'rust'), 50, 250);

const suite = new Suite('config');
suite.twin(
  'parse + validate configs',
  () => keep(checkConfigs(files, 'ts')),
  rust ? () => keep(checkConfigs(files, 'rust')) : null,
);

/** The suite's files, for scripts that probe its task outside the gate (scripts/jit-after-gc.ts). */
export const fixture = { files };
export const perfgate = suite.perfgate;
export default suite.bench;
await runIfMain(suite, import.meta.url);
