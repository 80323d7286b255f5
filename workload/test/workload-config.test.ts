import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfigFolder, checkConfigs, ConfigSyntaxError, listConfigFiles, parseConfigNative, parseConfigTs, validateConfig } from '../src/config.ts';
import { ensureCorpus } from '../src/corpus.ts';
import { nativeUnavailableReason } from '../src/native.ts';

const noRust = nativeUnavailableReason('config');

/** YAML the deployment configs use, edge cases included. Both parsers must give these values. */
const CASES: Array<[string, unknown[]]> = [
  ['', []],
  ['# only a comment\n', []],
  ['---\n', [null]],
  ['a: 1\n---\nb: 2\n', [{ a: 1 }, { b: 2 }]],
  ['---\na: 1\n...\n---\n', [{ a: 1 }, null]],
  ['%YAML 1.2\n---\na: 1\n', [{ a: 1 }]],
  ['1: x\ntrue: y\n~: z\n1.50: w\n', [{ 1: 'x', true: 'y', '': 'z', '1.5': 'w' }]],
  ['k: 012\nh: 0x1F\no: 0o17\ne: 1e3\nf: 1.\ng: .5\nn: -12\np: +7\nq: 12:30\nr: 1_000\ns: 0o\nt: 1e\nu: Null\nv: FALSE\n', [{ k: 12, h: 31, o: 15, e: 1000, f: 1, g: 0.5, n: -12, p: 7, q: '12:30', r: '1_000', s: '0o', t: '1e', u: null, v: false }]],
  ['- &a {x: 1}\n- *a\n', [[{ x: 1 }, { x: 1 }]]],
  ['a: |\n  x\n  y\n\nb: >-\n  p\n  q\n\n  r\n', [{ a: 'x\ny\n', b: 'p q\nr' }]],
  ['a: >\n  one\n  two\n\n    more\n    indented\n  back\n\n\nb: 1\n', [{ a: 'one two\n\n  more\n  indented\nback\n', b: 1 }]],
  ['a: |+\n  x\n\n\nb: |-\n  y\n\n', [{ a: 'x\n\n\n', b: 'y' }]],
  ['a: |2\n   x\n  y\n', [{ a: ' x\ny\n' }]],
  ['k: "a\\tb\\u00e9\\x41 \\"q\\" \\\\"\n', [{ k: 'a\tbéA "q" \\' }]],
  ["k: 'it''s'\n", [{ k: "it's" }]],
  ['a: "multi\n  line\n\n  text"\n', [{ a: 'multi line\ntext' }]],
  ['k: [a, b, {c: d}, ]\n', [{ k: ['a', 'b', { c: 'd' }] }]],
  ['k: {a, b: c, d: }\n', [{ k: { a: null, b: 'c', d: null } }]],
  ['k: [a b, c:d, "e"]\n', [{ k: ['a b', 'c:d', 'e'] }]],
  ['k: [a,\n  b, c]\n', [{ k: ['a', 'b', 'c'] }]],
  ['k:\n  - a\n  -\n  - c\n', [{ k: ['a', null, 'c'] }]],
  ['- a\n-   b: 1\n    c: 2\n- - x\n  - y\n', [['a', { b: 1, c: 2 }, ['x', 'y']]]],
  ['x:\n- 1\n- 2\ny: 3\n', [{ x: [1, 2], y: 3 }]],
  ['a:\n  b:\n  c: 1\n', [{ a: { b: null, c: 1 } }]],
  ['a: plain\n  continued\n\n  paragraph\n', [{ a: 'plain continued\nparagraph' }]],
  ['a: x#y # comment\nb: "#not"\n', [{ a: 'x#y', b: '#not' }]],
  ['a:\tb\nkey with spaces: v\n"q k": v2\n', [{ a: 'b', 'key with spaces': 'v', 'q k': 'v2' }]],
  ['a: !Ref foo\nb: !Ref 12\nc: !!int "12"\nd: !!str 12\ne: !custom {x: 1}\n', [{ a: 'foo', b: '12', c: 12, d: '12', e: { x: 1 } }]],
  ['{"a":1,"b":[true,null,"x"],"c":{"d":-0.5e-3}}', [{ a: 1, b: [true, null, 'x'], c: { d: -0.0005 } }]],
  ['a: 1\r\nb:\r\n  - x\r\n', [{ a: 1, b: ['x'] }]],
  ['\ufeffa: 1\n', [{ a: 1 }]],
  ['list: [ ]\nmap: { }\nempty: ""\n', [{ list: [], map: {}, empty: '' }]],
];

describe('config parsing', () => {
  it.each(CASES)('TypeScript: %j', (src, expected) => {
    expect(parseConfigTs(src, 'case.yaml')).toEqual(expected);
  });

  it.skipIf(noRust).each(CASES)('Rust equals the yaml package: %j', (src, expected) => {
    expect(parseConfigNative(src, 'case.yaml')).toEqual(expected);
    expect(parseConfigNative(src, 'case.yaml', 'values')).toEqual(expected);
  });

  it.skipIf(noRust)('numbers without a JSON form (NaN, ±Infinity) come through the Node-API path', () => {
    const src = 'a: .inf\nb: -.Inf\nc: .NaN\nd: -0\n';
    const ts = parseConfigTs(src, 'x.yaml')[0] as Record<string, number>;
    const rs = parseConfigNative(src, 'x.yaml')![0] as Record<string, number>;
    expect(rs).toEqual(ts);
    expect(rs.a).toBe(Infinity);
    expect(rs.b).toBe(-Infinity);
    expect(Number.isNaN(rs.c)).toBe(true);
    expect(Object.is(rs.d, -0)).toBe(true);
  });

  it('JSON files go through JSON.parse in the TypeScript twin', () => {
    expect(parseConfigTs('{"a": [1, 2]}', 'app.json')).toEqual([{ a: [1, 2] }]);
  });
});

/** [document, line, column] of the first error: both parsers point at the same place. */
const BAD: Array<[string, number, number]> = [
  ['a: 1\na: 2\n', 2, 1],
  ['a: b: c\n', 1, 4],
  ['\ta: 1\n', 1, 1],
  ['a: @x\n', 1, 4],
  ['a: 1\nb: - x\n', 2, 4],
  ['a: x #c\nb: "y"#z\n', 2, 7],
];

describe('bad documents: file:line:col: message', () => {
  it.each(BAD)('TypeScript: %j', (src, line, col) => {
    const e = (() => {
      try {
        parseConfigTs(src, 'deploy/config.yaml');
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(ConfigSyntaxError);
    expect((e as ConfigSyntaxError).message).toMatch(new RegExp(`^deploy/config\\.yaml:${line}:${col}: \\S`));
  });

  it.skipIf(noRust).each(BAD)('Rust: %j', (src, line, col) => {
    expect(() => parseConfigNative(src, 'deploy/config.yaml')).toThrow(ConfigSyntaxError);
    expect(() => parseConfigNative(src, 'deploy/config.yaml')).toThrow(new RegExp(`^deploy/config\\.yaml:${line}:${col}: \\S`));
  });

  it.skipIf(noRust)('Rust names what was expected', () => {
    expect(() => parseConfigNative('a: 1\nnot a key\nc: 2\n', 'config.yaml')).toThrow(/^config\.yaml:2:10: expected ':' after a mapping key$/);
    expect(() => parseConfigNative('a: [1, 2\n', 'c.yaml')).toThrow(/^c\.yaml:1:4: flow sequence is missing its closing \]$/);
    expect(() => parseConfigNative('a: "x\n', 'c.yaml')).toThrow(/^c\.yaml:1:4: missing closing " quote$/);
    expect(() => parseConfigNative('a: *nope\n', 'c.yaml')).toThrow(/unresolved alias \*nope/);
    expect(() => parseConfigNative('? complex\n: key\n', 'c.yaml')).toThrow(/complex mapping keys/);
    expect(() => parseConfigNative('{"a": 1,}x', 'c.json')).toThrow(ConfigSyntaxError);
  });

  it('a bad JSON file gets a line and column too', () => {
    expect(() => parseConfigTs('{\n  "a": 1,\n  "b": }\n', 'app.json')).toThrow(/^app\.json:3:\d+: /);
  });
});

describe('validation', () => {
  it('accepts a valid app config and names each problem of a bad one', () => {
    const [doc] = parseConfigTs(readFileSync(path.join(ensureCorpus().config, listConfigFiles(ensureCorpus().config).find((f) => f.endsWith('app.yaml'))!)), 'app.yaml');
    expect(validateConfig(doc)).toEqual({ kind: 'app', issues: [] });
    const bad = structuredClone(doc) as { server: { port: unknown }; app: { environment: string } };
    bad.server.port = 'eighty';
    bad.app.environment = 'moon';
    const v = validateConfig(bad);
    expect(v.kind).toBe('app');
    expect(v.issues.some((i) => i.startsWith('server.port:'))).toBe(true);
    expect(v.issues.some((i) => i.startsWith('app.environment:'))).toBe(true);
  });

  it('recognises manifests and compose files, rejects unknown shapes', () => {
    expect(validateConfig({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } }).issues).toEqual([]);
    expect(validateConfig({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'Web_1' } }).issues[0]).toMatch(/^metadata\.name: expected a DNS-1123 name/);
    expect(validateConfig({ services: { web: { image: 'nginx:1.25' } } })).toEqual({ kind: 'compose', issues: [] });
    expect(validateConfig([1, 2]).kind).toBe('unknown');
  });
});

describe('twins agree on the whole generated corpus', () => {
  const corpus = ensureCorpus();
  const files = listConfigFiles(corpus.config).map((file) => ({ file, bytes: readFileSync(path.join(corpus.config, file)) }));

  it('the corpus parses; a few documents fail validation on purpose', () => {
    const r = checkConfigFolder(corpus.config);
    expect(r.errors).toEqual([]);
    expect(r.documents).toBeGreaterThan(100);
    expect(r.invalid.length).toBeGreaterThan(0);
    expect(r.invalid.every((i) => i.issues.some((x) => x.startsWith('server.port:')))).toBe(true);
  });

  it.skipIf(noRust)(`identical values, document by document${noRust ? ` (skipped: ${noRust})` : ''}`, () => {
    let docs = 0;
    for (const { file, bytes } of files) {
      const ts = parseConfigTs(bytes, file);
      // the Rust parser reads JSON too (the TypeScript twin uses JSON.parse for .json files)
      expect(parseConfigNative(bytes, file), file).toEqual(ts);
      expect(parseConfigNative(bytes, file, 'values'), file).toEqual(ts);
      docs += ts.length;
    }
    expect(docs).toBeGreaterThan(100);
  });

  it.skipIf(noRust)('identical validation reports', () => {
    expect(checkConfigs(files, 'rust')).toEqual(checkConfigs(files, 'ts'));
  });
});

describe.skipIf(noRust)('twins on mutated documents (a bounded differential check)', () => {
  it('whenever both parse a mutated corpus file they give equal values; Rust alone rejects only what it documents as unsupported', async () => {
    const { createRandom } = await import('../src/random.ts');
    const corpus = ensureCorpus();
    const sources = listConfigFiles(corpus.config)
      .filter((f) => !f.endsWith('.json'))
      .map((f) => readFileSync(path.join(corpus.config, f), 'utf8'));
    const rng = createRandom(99);
    const inserts = [':', ' ', '#', '"', "'", '-', '[', ']', '{', '}', ',', '&a ', '*a', '|', '>', '\t', '!!str ', 'x'];
    let both = 0;
    for (let n = 0; n < 1500; n++) {
      const lines = rng.pick(sources).split('\n');
      const i = rng.int(0, lines.length - 1);
      const op = rng.int(0, 3);
      if (op === 0) lines.splice(i, 1);
      else if (op === 1) lines[i] = ` ${lines[i]}`;
      else {
        const p = rng.int(0, lines[i].length);
        lines[i] = lines[i].slice(0, p) + (op === 2 ? rng.pick(inserts) : '') + lines[i].slice(p + (op === 3 ? 1 : 0));
      }
      const src = lines.join('\n');
      let ts: unknown[] | undefined;
      let rs: unknown[] | null | undefined;
      let rsError = '';
      try {
        ts = parseConfigTs(src, 'f.yaml');
      } catch {
        // the yaml package rejects it
      }
      try {
        rs = parseConfigNative(src, 'f.yaml');
      } catch (e) {
        rsError = (e as Error).message;
      }
      if (ts && rs) {
        both++;
        expect(rs, src).toEqual(ts);
      } else if (ts && !rs) {
        expect(rsError, src).toMatch(/not supported|unexpected indicator :|unexpected [}\]] in a flow collection/);
      }
    }
    expect(both).toBeGreaterThan(300);
  });
});
