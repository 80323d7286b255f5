import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { listConfigFiles, parseConfigTs, parseConfigNative, checkConfigs, validateConfig } from '../src/workload/config.ts';
const root = '/tmp/corpus1/config';
const files = listConfigFiles(root).map(file => ({ file, bytes: readFileSync(root + '/' + file) }));
let diffs = 0;
for (const { file, bytes } of files) {
  const a = parseConfigTs(bytes, file), b = parseConfigNative(bytes, file), c = parseConfigNative(bytes, file, 'values');
  if (!isDeepStrictEqual(a, b) || !isDeepStrictEqual(a, c)) { diffs++; if (diffs < 3) { console.log('DIFF', file); console.log(JSON.stringify(a).slice(0, 3000)); console.log(JSON.stringify(b).slice(0, 3000)); } }
}
console.log('files', files.length, 'diffs', diffs);
const r = checkConfigs(files, 'ts');
console.log(r.files, r.documents, r.valid, r.invalid.length, r.errors.length, r.invalid.slice(0, 3).map(x => x.file + ' ' + x.issues.join(';')));
const time = (name, fn, n = 10) => { for (let i = 0; i < 3; i++) fn(); const ts = []; for (let i = 0; i < n; i++) { const t = performance.now(); fn(); ts.push(performance.now() - t); } ts.sort((a, b) => a - b); console.log(name, ts[0].toFixed(2), ts[n >> 1].toFixed(2), 'ms', (r.documents / ts[n>>1] * 1000).toFixed(0), 'docs/s', (r.bytes / ts[n>>1] / 1000).toFixed(1), 'MB/s'); };
time('ts parse', () => { for (const f of files) parseConfigTs(f.bytes, f.file); });
time('rust json', () => { for (const f of files) parseConfigNative(f.bytes, f.file); });
time('rust values', () => { for (const f of files) parseConfigNative(f.bytes, f.file, 'values'); });
const docs = files.flatMap(f => parseConfigTs(f.bytes, f.file));
time('validate', () => { for (const d of docs) validateConfig(d); });
time('ts check', () => checkConfigs(files, 'ts'));
time('rust check', () => checkConfigs(files, 'rust'));
