import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCorpus } from '../src/corpus.ts';
import { nativeUnavailableReason } from '../src/native.ts';
import { fileKind, RULES, type FileKind } from '../src/scan-rules.ts';
import { listInfraFiles, scanDirectory, scanDirectoryNative, scanText, scanTexts, scanTextsNative } from '../src/scan.ts';

const noRust = nativeUnavailableReason('scan');

function findings(text: string, kind: FileKind): string[] {
  return scanText(text, kind).map(([line, r]) => `${line}:${RULES[r].id}`);
}

describe('scan rules (TypeScript)', () => {
  it('has at least 15 rules with unique ids and a severity each', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(15);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) expect(['critical', 'high', 'medium', 'low']).toContain(r.severity);
  });

  it('classifies infrastructure files by name', () => {
    expect(fileKind('Dockerfile')).toBe('dockerfile');
    expect(fileKind('api.Dockerfile')).toBe('dockerfile');
    expect(fileKind('docker-compose.prod.yml')).toBe('compose');
    expect(fileKind('compose.yaml')).toBe('compose');
    expect(fileKind('deployment.yaml')).toBe('yaml');
    expect(fileKind('main.tf')).toBe('terraform');
    expect(fileKind('.env')).toBe('env');
    expect(fileKind('.env.production')).toBe('env');
    expect(fileKind('deploy.sh')).toBe('shell');
    expect(fileKind('README.md')).toBeNull();
  });

  it('finds hard-coded secrets, with boundaries', () => {
    expect(findings('AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n', 'env')).toEqual(['1:SEC001']);
    expect(findings('X=AKIAABCDEFGHIJKLMNOPQ\nY=ZAKIAABCDEFGHIJKLMNOP\n', 'env')).toEqual([]);
    expect(findings('-----BEGIN RSA PRIVATE KEY-----\n', 'terraform')).toEqual(['1:SEC002']);
    expect(findings(`token: ghp_${'a1'.repeat(18)}\n`, 'yaml')).toEqual(['1:SEC003', '1:SEC004']);
    expect(findings('DB_PASSWORD=s3cretpassw0rd\n', 'env')).toEqual(['1:SEC004']);
    expect(findings('DB_PASSWORD=${DB_PASSWORD}\nsecretName: db-creds\npassword: short\n', 'env')).toEqual([]);
    expect(findings('  password = var.db_password\n  password = "hunter2hunter2"\n', 'terraform')).toEqual(['2:SEC004']);
    expect(findings('url: postgres://app:pa55word@db:5432/x\nurl: https://example.com/a@b\n', 'yaml')).toEqual(['1:SEC005']);
  });

  it('reports leaked secrets in comments but not configuration rules there', () => {
    expect(findings('# AKIAABCDEFGHIJKLMNOP\n# privileged: true\n', 'yaml')).toEqual(['1:SEC001']);
  });

  it('checks Dockerfiles', () => {
    const text = ['FROM node AS build', 'FROM build', 'FROM nginx:latest', 'FROM scratch', 'FROM $BASE', 'USER root', 'ADD https://example.com/x.tgz /x', 'ADD ./local /x', 'EXPOSE 8080 22', 'RUN curl -fsSL https://x.sh | bash', 'RUN curl -o x https://x && echo ok || true'].join('\n');
    expect(findings(text, 'dockerfile')).toEqual(['1:IMG002', '3:IMG001', '6:DKR001', '7:DKR002', '9:NET001', '10:DKR003']);
  });

  it('checks Kubernetes manifests, including containers without limits', () => {
    const text = [
      'spec:',
      '  hostNetwork: true',
      '  containers:',
      '  - name: a',
      '    image: registry/a:latest',
      '    securityContext:',
      '      privileged: true',
      '      allowPrivilegeEscalation: true',
      '      runAsUser: 0',
      '    resources:',
      '      limits: {cpu: "1"}',
      '  - name: b',
      '    image: registry/b',
      '    ports:',
      '    - containerPort: 22',
      '  volumes: []',
      '  loadBalancerSourceRanges: ["0.0.0.0/0"]',
    ].join('\n');
    expect(findings(text, 'yaml')).toEqual(['2:K8S002', '5:IMG001', '7:K8S001', '8:K8S003', '9:K8S005', '12:K8S004', '13:IMG002', '15:NET001', '17:NET002']);
  });

  it('checks compose files and Terraform', () => {
    const compose = ['services:', '  web:', '    image: nginx', '    ports:', '      - "2222:22"', '    network_mode: host', '    user: root', '    cap_add: [SYS_ADMIN]', '    environment:', '      DEBUG: "true"'].join('\n');
    expect(findings(compose, 'compose')).toEqual(['3:IMG002', '5:NET001', '6:K8S002', '7:K8S005', '8:K8S008', '10:GEN001']);
    const tf = ['  from_port = 22', '  cidr_blocks = ["0.0.0.0/0"]', '  cidr_blocks = ["10.0.0.0/16"]', '  acl = "public-read"', '  storage_encrypted = false'].join('\n');
    expect(findings(tf, 'terraform')).toEqual(['1:NET001', '2:NET002', '4:TF001', '5:TF002']);
  });

  it('handles CRLF, a missing final newline and an empty file', () => {
    expect(findings('a: 1\r\nprivileged: true\r\n', 'compose')).toEqual(['2:K8S001']);
    expect(findings('privileged: true', 'compose')).toEqual(['1:K8S001']);
    expect(findings('', 'yaml')).toEqual([]);
  });
});

describe('scanning a folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'perfgate-scan-'));
    mkdirSync(path.join(dir, 'svc'));
    mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(path.join(dir, 'svc', 'Dockerfile'), 'FROM node:latest\nUSER root\n');
    writeFileSync(path.join(dir, 'svc', '.env'), 'DEBUG=true\n');
    writeFileSync(path.join(dir, 'node_modules', 'x', 'Dockerfile'), 'USER root\n');
    writeFileSync(path.join(dir, 'binary.yaml'), Buffer.from([0x70, 0x72, 0x69, 0x76, 0, 1, 2]));
    writeFileSync(path.join(dir, 'notes.md'), 'USER root\n');
    // an entry that cannot be read: a dangling symbolic link with a scanned name
    symlinkSync(path.join(dir, 'missing-target'), path.join(dir, 'svc', 'docker-compose.yml'));
    // a link to a real file is followed
    symlinkSync(path.join(dir, 'svc', '.env'), path.join(dir, 'linked.env'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('walks, skips node_modules, binary and unknown files, and reports unreadable entries', () => {
    const r = scanDirectory(dir);
    expect(r.findings.map((f) => `${f.file}:${f.line}:${f.ruleId}:${f.severity}`)).toEqual([
      'linked.env:1:GEN001:low',
      'svc/.env:1:GEN001:low',
      'svc/Dockerfile:1:IMG001:medium',
      'svc/Dockerfile:2:DKR001:high',
    ]);
    expect(r.errors.map((e) => e.file)).toEqual(['svc/docker-compose.yml']);
    expect(r.errors[0].message).toMatch(/ENOENT/);
    expect(r.files).toBe(3);
  });

  it.skipIf(noRust)('the Rust twin reports the same findings and the same unreadable entries', () => {
    const ts = scanDirectory(dir);
    const rs = scanDirectoryNative(dir)!;
    expect(rs.findings).toEqual(ts.findings);
    expect(rs.errors.map((e) => e.file)).toEqual(ts.errors.map((e) => e.file));
    expect(rs.files).toBe(ts.files);
    expect(rs.bytes).toBe(ts.bytes);
  });

  it('a missing folder is an error entry, not a crash', () => {
    const r = scanDirectory(path.join(dir, 'nope'));
    expect(r.findings).toEqual([]);
    expect(r.errors).toHaveLength(1);
  });
});

describe('twins agree on the whole generated corpus', () => {
  const corpus = ensureCorpus();

  it('the corpus triggers every rule', () => {
    const r = scanDirectory(corpus.infra);
    expect(r.files).toBeGreaterThan(300);
    expect(r.errors).toEqual([]);
    expect(new Set(r.findings.map((f) => f.ruleId))).toEqual(new Set(RULES.map((r) => r.id)));
  });

  it.skipIf(noRust)(`directory scan: identical findings${noRust ? ` (skipped: ${noRust})` : ''}`, () => {
    const ts = scanDirectory(corpus.infra);
    for (const threads of [1, 2, 4]) {
      const rs = scanDirectoryNative(corpus.infra, threads)!;
      expect(rs.findings).toEqual(ts.findings);
      expect({ files: rs.files, bytes: rs.bytes, errors: rs.errors }).toEqual({ files: ts.files, bytes: ts.bytes, errors: ts.errors });
    }
  });

  it.skipIf(noRust)('in-memory scan: identical findings', () => {
    const files = listInfraFiles(corpus.infra).files.map((file) => ({ file, bytes: readFileSync(path.join(corpus.infra, file)) }));
    const ts = scanTexts(files);
    expect(scanTextsNative(files)!.findings).toEqual(ts.findings);
    expect(ts.findings).toEqual(scanDirectory(corpus.infra).findings);
  });

  it.skipIf(noRust)('identical findings on mutated files (every line truncated, joined, upper-cased)', () => {
    // Variations the generator does not write: cut lines, merged lines, changed case.
    const files = listInfraFiles(corpus.infra).files.slice(0, 120);
    const variants: Array<{ file: string; bytes: Buffer }> = [];
    files.forEach((file, i) => {
      const text = readFileSync(path.join(corpus.infra, file), 'latin1');
      const lines = text.split('\n');
      const cut = lines.map((l, j) => l.slice(0, Math.max(0, l.length - ((i + j) % 7)))).join('\n');
      const joined = lines.join(i % 2 ? ' ' : '\r\n');
      const upper = text.toUpperCase();
      for (const [k, v] of [cut, joined, upper].entries()) variants.push({ file: `${file}.v${k}/${path.posix.basename(file)}`, bytes: Buffer.from(v, 'latin1') });
    });
    expect(scanTextsNative(variants)!.findings).toEqual(scanTexts(variants).findings);
  });
});
