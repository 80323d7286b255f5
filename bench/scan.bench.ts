// Infrastructure scanning: the generated corpus of Dockerfiles, Kubernetes YAML, compose files,
// Terraform, .env files and scripts (366 files, ~388 KB; one op = one file, ~1.06 KB on average).
// "scan corpus": walk + read + scan, as the CLI does. "scan in memory": the rule engine alone on
// files already read. Rust: Aho-Corasick over all rule anchors, files on parallel threads.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureCorpus } from '../workload/src/corpus.ts';
import { nativeWorkload } from '../workload/src/native.ts';
import { listInfraFiles, packFiles, scanDirectory, scanDirectoryNative, scanTexts, scanTextsNative } from '../workload/src/scan.ts';
import { keep, prewarm, runIfMain, Suite } from './support.ts';

const corpus = ensureCorpus();
const files = listInfraFiles(corpus.infra).files.map((file) => ({ file, bytes: readFileSync(path.join(corpus.infra, file)) }));
const packed = packFiles(files);
const rust = nativeWorkload('scan') !== null;
prewarm(() => scanTexts(files), 150, 15);

const suite = new Suite('scan');
suite.twin(
  'scan corpus',
  () => keep(scanDirectory(corpus.infra)),
  rust ? () => keep(scanDirectoryNative(corpus.infra)) : null,
);
suite.twin(
  'scan in memory',
  () => keep(scanTexts(files)),
  rust ? () => keep(scanTextsNative(packed)) : null,
);

export const perfgate = suite.perfgate;
export default suite.bench;
await runIfMain(suite, import.meta.url);
