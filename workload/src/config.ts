// Configuration parsing: deployment configs (YAML, multi-document, and JSON) parsed into
// JavaScript values and validated against a schema. TypeScript twin: the `yaml` package (YAML
// 1.2, core schema) and JSON.parse. Rust twin: workload/native/src/yaml.rs, whose values equal these on
// the whole generated corpus. Both report a bad document as `file:line:col: message`. Validation
// (zod) is the same function for both twins.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { nativeWorkload } from './native.ts';

/** A document that does not parse: where and why. */
export class ConfigSyntaxError extends Error {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly reason: string;
  constructor(file: string, line: number, col: number, reason: string) {
    super(`${file}:${line}:${col}: ${reason}`);
    this.name = 'ConfigSyntaxError';
    this.file = file;
    this.line = line;
    this.col = col;
    this.reason = reason;
  }
}

export function isJsonFile(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

export function isConfigFile(file: string): boolean {
  const f = file.toLowerCase();
  return f.endsWith('.yaml') || f.endsWith('.yml') || f.endsWith('.json');
}

function decode(input: Uint8Array | string): string {
  return typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let p = text.indexOf('\n'); p >= 0 && p < offset; p = text.indexOf('\n', p + 1)) {
    line++;
    start = p + 1;
  }
  return { line, col: Math.max(0, offset - start) + 1 };
}

// ---------------------------------------------------------------------------------------------
// TypeScript twin

/** Parses a YAML stream (every document) or a JSON text with the `yaml` package / JSON.parse. */
export function parseConfigTs(input: Uint8Array | string, file: string): unknown[] {
  let text = decode(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (isJsonFile(file)) return [parseJson(text, file)];
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const e = doc.errors[0];
    if (e) {
      const pos = e.linePos?.[0] ?? lineCol(text, e.pos[0]);
      throw new ConfigSyntaxError(file, pos.line, pos.col, cleanYamlMessage(e.message));
    }
  }
  return list.map((doc) => {
    try {
      return doc.toJS();
    } catch (error) {
      // an alias before its anchor: locate it for the message
      const message = error instanceof Error ? error.message : String(error);
      const name = /: (\S+)$/.exec(message)?.[1];
      const at = name ? text.indexOf(`*${name}`) : -1;
      const pos = lineCol(text, Math.max(0, at));
      throw new ConfigSyntaxError(file, pos.line, pos.col, message);
    }
  });
}

/** `yaml` messages end with " at line L, column C:" and a code excerpt: keep the first part. */
function cleanYamlMessage(message: string): string {
  const first = message.split('\n')[0];
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's messages carry a position only in some versions: locate the error ourselves
    const offset = jsonErrorOffset(text);
    const { line, col } = lineCol(text, offset);
    const message = (error instanceof Error ? error.message : String(error)).replace(/ in JSON at position \d+.*$/s, '').replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '');
    throw new ConfigSyntaxError(file, line, col, message);
  }
}

/** Offset of the first JSON syntax error in `text` (which JSON.parse rejected). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = (): void => {
    if (text[i] !== '"') fail();
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c < 32) fail();
      if (c === 92) {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    i++;
  };
  const number = (): void => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0].length === 0) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Rust twin

export type NativeConfigMode = 'json' | 'values';

/**
 * Parses with the Rust parser. `json` (default): Rust returns one JSON text that JSON.parse turns
 * into values; `values`: Rust builds the values through Node-API calls. Null without the addon.
 */
export function parseConfigNative(input: Uint8Array | string, file: string, mode: NativeConfigMode = 'json'): unknown[] | null {
  const native = nativeWorkload('config');
  if (!native) return null;
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  try {
    if (mode === 'json') {
      const json = native.parseConfigJson(bytes, file);
      // null: a value without a JSON form (NaN, ±Infinity): build the values directly
      if (json !== null) return JSON.parse(json) as unknown[];
    }
    return native.parseConfigValues(bytes, file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const m = /^(.*):(\d+):(\d+): (.*)$/s.exec(message);
    if (m && m[1] === file) throw new ConfigSyntaxError(file, Number(m[2]), Number(m[3]), m[4]);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected a DNS-1123 name (lower-case letters, digits, - and .)');
const port = z.number().int().min(1).max(65535);
const stringMap = z.record(z.string(), z.string());

const containerSchema = z.looseObject({
  name,
  image: z.string().min(1),
  args: z.array(z.string()).optional(),
  ports: z.array(z.looseObject({ containerPort: port })).optional(),
  resources: z
    .looseObject({
      limits: z.looseObject({ cpu: z.union([z.string(), z.number()]).optional(), memory: z.union([z.string(), z.number()]).optional() }).optional(),
      requests: z.looseObject({ cpu: z.union([z.string(), z.number()]).optional(), memory: z.union([z.string(), z.number()]).optional() }).optional(),
    })
    .optional(),
});

const manifestSchema = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({ name, namespace: name.optional(), labels: stringMap.optional(), annotations: stringMap.optional() }),
  spec: z
    .looseObject({
      replicas: z.number().int().min(0).optional(),
      minReplicas: z.number().int().min(1).optional(),
      maxReplicas: z.number().int().min(1).optional(),
      template: z.looseObject({ spec: z.looseObject({ containers: z.array(containerSchema).min(1) }) }).optional(),
      ports: z.array(z.looseObject({ port, targetPort: z.union([port, z.string()]).optional() })).optional(),
    })
    .optional(),
  data: stringMap.optional(),
});

const composeSchema = z.looseObject({
  services: z.record(
    z.string(),
    z.looseObject({
      image: z.string().min(1).optional(),
      ports: z.array(z.union([z.string(), z.number()])).optional(),
      environment: z.union([z.array(z.string()), z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))]).optional(),
      depends_on: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]).optional(),
      deploy: z.looseObject({ replicas: z.number().int().min(0).optional() }).optional(),
      volumes: z.array(z.string()).optional(),
    }),
  ),
  volumes: z.record(z.string(), z.unknown()).optional(),
});

const databaseSchema = z.looseObject({
  url: z.string().regex(/^[a-z][a-z0-9+.-]*:\/\//, 'expected a URL'),
  pool: z.looseObject({ min: z.number().int().min(0), max: z.number().int().min(1), idleMs: z.number().int().min(0) }).refine((p) => p.min <= p.max, 'pool.min must not exceed pool.max'),
  ssl: z.boolean(),
  ratio: z.number().min(0).max(1),
  statementTimeout: z.union([z.string(), z.number()]),
});

const appSchema = z.looseObject({
  app: z.looseObject({ name, version: z.string().min(1), environment: z.enum(['production', 'staging', 'dev']), owners: z.array(z.string()).min(1) }),
  server: z.looseObject({
    host: z.string().min(1),
    port,
    timeoutMs: z.number().int().positive(),
    keepAlive: z.boolean(),
    tls: z.looseObject({ enabled: z.boolean(), minVersion: z.enum(['1.2', '1.3']), ciphers: z.array(z.string()).nullable() }),
  }),
  database: databaseSchema,
  replica: databaseSchema.optional(),
  cache: z.looseObject({
    l1: z.looseObject({ maxEntries: z.number().int().positive(), ttlMs: z.number().int().positive() }),
    l2: z.looseObject({ url: z.string(), ttlMs: z.number().int().positive() }),
  }),
  retry: z.looseObject({ attempts: z.number().int().min(1), baseMs: z.number().positive(), maxMs: z.number().positive(), jitter: z.enum(['full', 'none', 'equal']), budgetRatio: z.number().min(0).max(1) }),
  breaker: z.looseObject({ failureRate: z.number().gt(0).max(1), window: z.number().int().positive(), resetMs: z.number().int().positive(), halfOpenCalls: z.number().int().positive() }),
  features: z.record(z.string(), z.boolean()),
  limits: z.array(z.looseObject({ route: z.string().startsWith('/'), rps: z.number().int().positive(), burst: z.number().int().positive().nullable() })),
});

export type ConfigKind = 'k8s-manifest' | 'compose' | 'app' | 'unknown';

export interface Validation {
  kind: ConfigKind;
  /** `path: message`, empty when the document is valid. */
  issues: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Which deployment config a document is (by shape) and what is wrong with it. */
export function validateConfig(doc: unknown): Validation {
  let kind: ConfigKind = 'unknown';
  let schema: z.ZodType | null = null;
  if (isObject(doc)) {
    if ('apiVersion' in doc || 'kind' in doc) [kind, schema] = ['k8s-manifest', manifestSchema];
    else if ('services' in doc) [kind, schema] = ['compose', composeSchema];
    else if ('app' in doc) [kind, schema] = ['app', appSchema];
  }
  if (!schema) return { kind, issues: ['(root): not a known deployment config (expected a Kubernetes manifest, a compose file or an app config)'] };
  const result = schema.safeParse(doc);
  if (result.success) return { kind, issues: [] };
  return {
    kind,
    issues: result.error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`),
  };
}

// ---------------------------------------------------------------------------------------------
// A folder of configs

export type ConfigImpl = 'ts' | 'rust';

export interface ConfigReport {
  files: number;
  bytes: number;
  documents: number;
  valid: number;
  /** Documents that parsed but failed validation. */
  invalid: Array<{ file: string; document: number; kind: ConfigKind; issues: string[] }>;
  /** Files that could not be read or parsed (`file:line:col: message`). */
  errors: Array<{ file: string; message: string }>;
}

/** The config files under `root` (relative, `/`-separated, sorted). */
export function listConfigFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== '.git') walk(path.join(dir, e.name), r);
      } else if (e.isFile() && isConfigFile(e.name)) out.push(r);
    }
  };
  walk(root, '');
  return out.sort();
}

/** Parses and validates in-memory files with one twin. Throws if `rust` is asked without the addon. */
export function checkConfigs(files: ReadonlyArray<{ file: string; bytes: Uint8Array }>, impl: ConfigImpl, mode: NativeConfigMode = 'json'): ConfigReport {
  const report: ConfigReport = { files: 0, bytes: 0, documents: 0, valid: 0, invalid: [], errors: [] };
  for (const { file, bytes } of files) {
    report.files++;
    report.bytes += bytes.byteLength;
    let docs: unknown[];
    try {
      const parsed = impl === 'ts' ? parseConfigTs(bytes, file) : parseConfigNative(bytes, file, mode);
      if (parsed === null) throw new Error('the Rust config parser is not available: build the addon with `npm run build:native`');
      docs = parsed;
    } catch (error) {
      if (!(error instanceof ConfigSyntaxError)) throw error;
      report.errors.push({ file, message: error.message });
      continue;
    }
    docs.forEach((doc, document) => {
      report.documents++;
      const v = validateConfig(doc);
      if (v.issues.length === 0) report.valid++;
      else report.invalid.push({ file, document, kind: v.kind, issues: v.issues });
    });
  }
  return report;
}

/** Reads, parses and validates every config file under `root`. */
export function checkConfigFolder(root: string, impl: ConfigImpl = 'ts'): ConfigReport {
  const files: Array<{ file: string; bytes: Uint8Array }> = [];
  const unreadable: Array<{ file: string; message: string }> = [];
  for (const file of listConfigFiles(root)) {
    try {
      files.push({ file, bytes: readFileSync(path.join(root, file)) });
    } catch (error) {
      unreadable.push({ file, message: error instanceof Error ? error.message : String(error) });
    }
  }
  const report = checkConfigs(files, impl);
  report.errors.push(...unreadable);
  return report;
}
