// Configuration parsing: the generated deployment configs (app configs, multi-document
// Kubernetes manifests, compose files as YAML; app configs as JSON), read once, then parsed and
// validated (zod) per call. One op = one document (~0.75 KB on average). TypeScript: the `yaml`
// package and JSON.parse; Rust: the addon's YAML parser, values handed over as one JSON text.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkConfigs, listConfigFiles } from '../src/workload/config.ts';
import { ensureCorpus } from '../src/workload/corpus.ts';
import { nativeWorkload } from '../src/workload/native.ts';
import { keep, runIfMain, Suite } from './support.ts';

const corpus = ensureCorpus();
const files = listConfigFiles(corpus.config).map((file) => ({ file, bytes: readFileSync(path.join(corpus.config, file)) }));
const rust = nativeWorkload('config') !== null;

const suite = new Suite('config');
suite.twin(
  'parse + validate configs',
  () => keep(checkConfigs(files, 'ts')),
  rust ? () => keep(checkConfigs(files, 'rust')) : null,
);

export const perfgate = suite.perfgate;
export default suite.bench;
await runIfMain(suite, import.meta.url);
