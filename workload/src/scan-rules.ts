// The infrastructure-scanning rule set, shared by the TypeScript scanner (scan.ts) and mirrored
// rule for rule by the Rust scanner (workload/native/src/scan.rs). Both twins must report identical
// findings, so the rules avoid regular expressions: each has literal anchors (lower-case; a hit
// of any anchor anywhere in a line makes the line a candidate) and a small hand-written check of
// the candidate line. Lines are byte strings: the TypeScript side decodes files as latin1, so a
// string index is a byte offset exactly as in Rust, and only ASCII is ever classified.

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export type FileKind = 'dockerfile' | 'compose' | 'yaml' | 'terraform' | 'env' | 'shell' | 'json';

const KIND_BITS: Record<FileKind, number> = { dockerfile: 1, compose: 2, yaml: 4, terraform: 8, env: 16, shell: 32, json: 64 };
const ALL = 127;
const bits = (...kinds: FileKind[]): number => kinds.reduce((m, k) => m | KIND_BITS[k], 0);

export function kindBit(kind: FileKind): number {
  return KIND_BITS[kind];
}

/** Per-file state that line checks may read and update (in line order). */
export interface ScanContext {
  kind: FileKind;
  /** Dockerfile build stages (`FROM x AS name`: lower-case name, 0-based line), found on first use. */
  stages: Array<{ name: string; line: number }> | null;
  /** All lines of the file (for the structural rule). */
  lines: string[];
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  /** Bit mask of the file kinds the rule applies to. */
  kinds: number;
  /** Lower-case literals; a line containing one (case-insensitively) is checked. */
  anchors: string[];
  /** Whether the rule also looks at comment lines (leaked secrets are leaked in comments too). */
  inComments: boolean;
  /**
   * Checks candidate line `index` (0-based); returns the 0-based lines to report (usually
   * `[index]`, empty when the rule does not fire).
   */
  check(line: string, index: number, ctx: ScanContext): number[] | boolean;
}

// ---- byte classes (ASCII only) ----

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isAlnum = (c: number): boolean => isDigit(c) || isUpper(c) || isLower(c);
const isWord = (c: number): boolean => isAlnum(c) || c === 95; // _
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isBlank = (c: number): boolean => c === 32 || c === 9;
const isKeyChar = (c: number): boolean => isAlnum(c) || c === 95 || c === 46 || c === 45; // _ . -

/**
 * Lower-casing for matching. On latin1 strings `toLowerCase` also folds the letters U+00C0-U+00DE,
 * where Rust's `to_ascii_lowercase` leaves them; every use here compares with or searches for
 * ASCII literals only, and non-ASCII stays non-ASCII either way, so both give the same answers.
 */
export function asciiLower(s: string): string {
  return s.toLowerCase();
}

function skipBlank(s: string, i: number): number {
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i;
}

function startsWithCI(s: string, i: number, lit: string): boolean {
  if (i + lit.length > s.length) return false;
  for (let k = 0; k < lit.length; k++) {
    let c = s.charCodeAt(i + k);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lit.charCodeAt(k)) return false;
  }
  return true;
}

/** Indentation: leading spaces and tabs. */
export function indentOf(s: string): number {
  return skipBlank(s, 0);
}

export function isCommentLine(s: string): boolean {
  const i = skipBlank(s, 0);
  if (i >= s.length) return false;
  const c = s.charCodeAt(i);
  return c === 35 /* # */ || (c === 47 && s.charCodeAt(i + 1) === 47); /* // */
}

function isBlankLine(s: string): boolean {
  return skipBlank(s, 0) === s.length;
}

/** `key` then `:` or `=` then a value, after optional `- `, `export `, `ENV `/`ARG ` prefixes. */
export interface KeyValue {
  key: string;
  value: string;
  quoted: boolean;
}

export function parseKeyValue(s: string): KeyValue | null {
  let i = skipBlank(s, 0);
  if (s.charCodeAt(i) === 45 && s.charCodeAt(i + 1) === 32) i = skipBlank(s, i + 2); // "- "
  let instruction = false;
  if (startsWithCI(s, i, 'export ')) i = skipBlank(s, i + 7);
  else if (startsWithCI(s, i, 'env ') || startsWithCI(s, i, 'arg ')) {
    i = skipBlank(s, i + 4);
    instruction = true;
  }
  let key: string;
  const q0 = s.charCodeAt(i);
  if (q0 === 34 || q0 === 39) {
    const end = s.indexOf(s[i], i + 1);
    if (end < 0) return null;
    key = s.slice(i + 1, end);
    i = end + 1;
  } else {
    const start = i;
    while (i < s.length && isKeyChar(s.charCodeAt(i))) i++;
    key = s.slice(start, i);
  }
  if (key.length === 0) return null;
  const afterKey = i;
  i = skipBlank(s, i);
  const sep = s.charCodeAt(i);
  if (sep === 58 /* : */ || sep === 61 /* = */) {
    i = skipBlank(s, i + 1);
  } else if (!(instruction && i > afterKey && i < s.length)) {
    return null;
  }
  const q = s.charCodeAt(i);
  if (q === 34 || q === 39) {
    const end = s.indexOf(s[i], i + 1);
    return { key, value: end < 0 ? s.slice(i + 1) : s.slice(i + 1, end), quoted: true };
  }
  const start = i;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isBlank(c) || c === 35) break;
    i++;
  }
  return { key, value: s.slice(start, i), quoted: false };
}

function kvIs(s: string, key: string, values: readonly string[]): boolean {
  const kv = parseKeyValue(s);
  return kv !== null && kv.key === key && values.includes(kv.value);
}

/** Tokens of a line split on blanks (spaces and tabs). */
function tokens(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    i = skipBlank(s, i);
    const start = i;
    while (i < s.length && !isBlank(s.charCodeAt(i))) i++;
    if (i > start) out.push(s.slice(start, i));
  }
  return out;
}

/** Dockerfile instruction check: the line's first token equals `word` case-insensitively. */
function instruction(s: string, word: string): string[] | null {
  const t = tokens(s);
  if (t.length === 0 || asciiLower(t[0]) !== word) return null;
  return t;
}

type TagState = 'latest' | 'untagged' | 'ok';

export function imageTag(image: string): TagState {
  if (image.includes('@')) return 'ok';
  const slash = image.lastIndexOf('/');
  const colon = image.indexOf(':', slash + 1);
  if (colon < 0) return 'untagged';
  return image.slice(colon + 1) === 'latest' ? 'latest' : 'ok';
}

/** Build stages of a Dockerfile: `FROM image AS name`, in line order. */
function stagesOf(ctx: ScanContext): Array<{ name: string; line: number }> {
  if (ctx.stages) return ctx.stages;
  const stages: Array<{ name: string; line: number }> = [];
  ctx.lines.forEach((line, i) => {
    const t = instruction(line, 'from');
    if (!t) return;
    let k = 1;
    while (k < t.length && t[k].startsWith('--')) k++;
    if (k + 2 < t.length && asciiLower(t[k + 1]) === 'as') stages.push({ name: asciiLower(t[k + 2]), line: i });
  });
  ctx.stages = stages;
  return stages;
}

/** The image line `index` refers to (Dockerfile FROM, or an `image:` key), or null. */
function imageOf(s: string, index: number, ctx: ScanContext): string | null {
  if (ctx.kind === 'dockerfile') {
    const t = instruction(s, 'from');
    if (!t) return null;
    let k = 1;
    while (k < t.length && t[k].startsWith('--')) k++;
    if (k >= t.length) return null;
    const image = t[k];
    const lower = asciiLower(image);
    if (lower === 'scratch' || image.includes('$')) return null;
    // a reference to an earlier build stage, not an image
    if (stagesOf(ctx).some((st) => st.line < index && st.name === lower)) return null;
    return image;
  }
  const kv = parseKeyValue(s);
  if (!kv || kv.key !== 'image' || kv.value.length === 0 || kv.value.includes('$')) return null;
  return kv.value;
}

/** Secret-looking keys and the suffixes that make them names or references instead. */
const SECRET_WORDS = ['password', 'passwd', 'secret', 'token', 'api_key', 'apikey', 'access_key', 'private_key'];
const NOT_SECRET_SUFFIXES = ['name', 'ref', 'file', 'path', '_arn', '_id', 'version', 'length', 'ttl'];

function isSecretAssignment(s: string, kind: FileKind): boolean {
  const kv = parseKeyValue(s);
  if (!kv) return false;
  // an unquoted Terraform value is an expression (var.x, data.y), not a literal
  if (kind === 'terraform' && !kv.quoted) return false;
  const key = asciiLower(kv.key);
  if (!SECRET_WORDS.some((w) => key.includes(w))) return false;
  if (NOT_SECRET_SUFFIXES.some((x) => key.endsWith(x))) return false;
  const v = kv.value;
  if (v.length < 8) return false;
  const c = v.charCodeAt(0);
  if (c === 36 /* $ */ || c === 60 /* < */ || c === 123 /* { */ || c === 37 /* % */ || c === 47 /* / */) return false;
  if (v.includes('${') || v.includes('{{')) return false;
  return true;
}

function hasAwsKey(s: string): boolean {
  for (const prefix of ['AKIA', 'ASIA']) {
    let p = s.indexOf(prefix);
    while (p >= 0) {
      if ((p === 0 || !isAlnum(s.charCodeAt(p - 1))) && p + 20 <= s.length) {
        let ok = true;
        for (let k = p + 4; k < p + 20; k++) {
          const c = s.charCodeAt(k);
          if (!(isUpper(c) || isDigit(c))) {
            ok = false;
            break;
          }
        }
        if (ok && (p + 20 === s.length || !isAlnum(s.charCodeAt(p + 20)))) return true;
      }
      p = s.indexOf(prefix, p + 1);
    }
  }
  return false;
}

function runLength(s: string, i: number, cls: (c: number) => boolean): number {
  let k = i;
  while (k < s.length && cls(s.charCodeAt(k))) k++;
  return k - i;
}

function hasGithubToken(s: string): boolean {
  let p = s.indexOf('gh');
  while (p >= 0) {
    const t = s.charCodeAt(p + 2);
    if ((p === 0 || !isWord(s.charCodeAt(p - 1))) && s.charCodeAt(p + 3) === 95) {
      // ghp_ gho_ ghu_ ghs_ ghr_
      if ((t === 112 || t === 111 || t === 117 || t === 115 || t === 114) && runLength(s, p + 4, isAlnum) >= 36) return true;
    }
    p = s.indexOf('gh', p + 1);
  }
  p = s.indexOf('github_pat_');
  while (p >= 0) {
    if ((p === 0 || !isWord(s.charCodeAt(p - 1))) && runLength(s, p + 11, isWord) >= 22) return true;
    p = s.indexOf('github_pat_', p + 1);
  }
  return false;
}

function hasUrlCredentials(s: string): boolean {
  let p = s.indexOf('://');
  while (p >= 0) {
    const j = p + 3;
    let k = j;
    while (k < s.length) {
      const c = s.charCodeAt(k);
      // space tab / @ " ' < > # ?
      if (c === 32 || c === 9 || c === 47 || c === 64 || c === 34 || c === 39 || c === 60 || c === 62 || c === 35 || c === 63) break;
      k++;
    }
    if (k < s.length && s.charCodeAt(k) === 64) {
      const colon = s.indexOf(':', j);
      if (colon > j && colon + 1 < k && s.charCodeAt(colon + 1) !== 36) return true;
    }
    p = s.indexOf('://', p + 3);
  }
  return false;
}

function hasCurlPipeShell(lower: string): boolean {
  const a = lower.indexOf('curl');
  const b = lower.indexOf('wget');
  const p = a < 0 ? b : b < 0 ? a : Math.min(a, b);
  if (p < 0) return false;
  let bar = lower.indexOf('|', p);
  while (bar >= 0) {
    let q = skipBlank(lower, bar + 1);
    if (lower.startsWith('sudo ', q)) q = skipBlank(lower, q + 5);
    let len = 0;
    if (lower.startsWith('sh', q)) len = 2;
    else if (lower.startsWith('bash', q)) len = 4;
    if (len > 0) {
      const c = lower.charCodeAt(q + len);
      if (q + len >= lower.length || isBlank(c) || c === 59 /* ; */ || c === 41 /* ) */) return true;
    }
    bar = lower.indexOf('|', bar + 1);
  }
  return false;
}

function hasOpenCidr(s: string): boolean {
  let p = s.indexOf('0.0.0.0/0');
  while (p >= 0) {
    const before = p === 0 ? 0 : s.charCodeAt(p - 1);
    if (!(isDigit(before) || before === 46) && !isDigit(s.charCodeAt(p + 9))) return true;
    p = s.indexOf('0.0.0.0/0', p + 1);
  }
  p = s.indexOf('::/0');
  while (p >= 0) {
    const before = p === 0 ? 0 : s.charCodeAt(p - 1);
    if (!(isHex(before) || before === 58) && !isDigit(s.charCodeAt(p + 4))) return true;
    p = s.indexOf('::/0', p + 1);
  }
  return false;
}

function hasWord(s: string, word: string): boolean {
  let p = s.indexOf(word);
  while (p >= 0) {
    if ((p === 0 || !isWord(s.charCodeAt(p - 1))) && !isWord(s.charCodeAt(p + word.length))) return true;
    p = s.indexOf(word, p + 1);
  }
  return false;
}

function sshExposed(s: string, ctx: ScanContext): boolean {
  switch (ctx.kind) {
    case 'dockerfile': {
      const t = instruction(s, 'expose');
      return t !== null && t.slice(1).some((x) => x === '22' || x.startsWith('22/'));
    }
    case 'terraform':
      return kvIs(s, 'from_port', ['22']);
    case 'yaml':
      return kvIs(s, 'containerPort', ['22']) || kvIs(s, 'hostPort', ['22']);
    case 'compose': {
      const i = skipBlank(s, 0);
      if (!(s.charCodeAt(i) === 45 && s.charCodeAt(i + 1) === 32)) return kvIs(s, 'target', ['22']);
      let v = s.slice(skipBlank(s, i + 2));
      const hash = v.indexOf(' #');
      if (hash >= 0) v = v.slice(0, hash);
      v = v.trimEnd();
      if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) v = v.slice(1, -1);
      const colon = v.lastIndexOf(':');
      if (colon < 0) return false;
      let port = v.slice(colon + 1);
      if (port.endsWith('/tcp')) port = port.slice(0, -4);
      return port === '22';
    }
    default:
      return false;
  }
}

/** The structural rule: k8s containers without `resources.limits`. Returns item lines. */
function containersWithoutLimits(s: string, index: number, ctx: ScanContext): number[] {
  const kv = parseKeyValue(s);
  if (!kv || (kv.key !== 'containers' && kv.key !== 'initContainers') || kv.value.length !== 0) return [];
  const base = indentOf(s);
  const lines = ctx.lines;
  const out: number[] = [];
  let itemIndent = -1;
  let itemLine = -1;
  let hasLimits = false;
  for (let i = index + 1; i < lines.length; i++) {
    const line = lines[i];
    if (isBlankLine(line) || isCommentLine(line)) continue;
    const ind = indentOf(line);
    const isItem = line.charCodeAt(ind) === 45 && (ind + 1 === line.length || isBlank(line.charCodeAt(ind + 1)));
    if (ind < base) break;
    if (isItem && (itemIndent < 0 || ind === itemIndent)) {
      if (itemLine >= 0 && !hasLimits) out.push(itemLine);
      itemIndent = ind;
      itemLine = i;
      hasLimits = false;
    } else if (ind === base || itemIndent < 0 || ind < itemIndent) {
      break;
    }
    if (!hasLimits) {
      const inner = parseKeyValue(line);
      if (inner && inner.key === 'limits') hasLimits = true;
    }
  }
  if (itemLine >= 0 && !hasLimits) out.push(itemLine);
  return out;
}

const YAMLISH = bits('yaml', 'compose');

export const RULES: readonly Rule[] = [
  {
    id: 'SEC001',
    title: 'AWS access key id',
    severity: 'critical',
    kinds: ALL,
    anchors: ['akia', 'asia'],
    inComments: true,
    check: (s) => hasAwsKey(s),
  },
  {
    id: 'SEC002',
    title: 'private key block',
    severity: 'critical',
    kinds: ALL,
    anchors: ['-----begin '],
    inComments: true,
    check: (s) => {
      const p = s.indexOf('-----BEGIN ');
      return p >= 0 && s.indexOf('PRIVATE KEY-----', p + 11) >= 0;
    },
  },
  {
    id: 'SEC003',
    title: 'GitHub token',
    severity: 'critical',
    kinds: ALL,
    anchors: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    inComments: true,
    check: (s) => hasGithubToken(s),
  },
  {
    id: 'SEC004',
    title: 'hard-coded password or secret',
    severity: 'high',
    kinds: ALL,
    anchors: SECRET_WORDS,
    inComments: false,
    check: (s, _i, ctx) => isSecretAssignment(s, ctx.kind),
  },
  {
    id: 'SEC005',
    title: 'credentials in a URL',
    severity: 'high',
    kinds: ALL,
    anchors: ['://'],
    inComments: true,
    check: (s) => hasUrlCredentials(s),
  },
  {
    id: 'IMG001',
    title: 'image pinned to :latest',
    severity: 'medium',
    kinds: bits('dockerfile', 'compose', 'yaml', 'terraform'),
    anchors: ['from', 'image'],
    inComments: false,
    check: (s, i, ctx) => {
      const image = imageOf(s, i, ctx);
      return image !== null && imageTag(image) === 'latest';
    },
  },
  {
    id: 'IMG002',
    title: 'image without a tag',
    severity: 'medium',
    kinds: bits('dockerfile', 'compose', 'yaml', 'terraform'),
    anchors: ['from', 'image'],
    inComments: false,
    check: (s, i, ctx) => {
      const image = imageOf(s, i, ctx);
      return image !== null && imageTag(image) === 'untagged';
    },
  },
  {
    id: 'DKR001',
    title: 'container runs as root (USER root)',
    severity: 'high',
    kinds: bits('dockerfile'),
    anchors: ['user'],
    inComments: false,
    check: (s) => {
      const t = instruction(s, 'user');
      if (!t || t.length < 2) return false;
      const colon = t[1].indexOf(':');
      const user = colon < 0 ? t[1] : t[1].slice(0, colon);
      return user === 'root' || user === '0';
    },
  },
  {
    id: 'DKR002',
    title: 'ADD from a remote URL',
    severity: 'medium',
    kinds: bits('dockerfile'),
    anchors: ['add'],
    inComments: false,
    check: (s) => {
      const t = instruction(s, 'add');
      if (!t) return false;
      let k = 1;
      while (k < t.length && t[k].startsWith('--')) k++;
      return k < t.length && (startsWithCI(t[k], 0, 'http://') || startsWithCI(t[k], 0, 'https://'));
    },
  },
  {
    id: 'DKR003',
    title: 'download piped into a shell',
    severity: 'high',
    kinds: ALL,
    anchors: ['curl', 'wget'],
    inComments: false,
    check: (s) => hasCurlPipeShell(asciiLower(s)),
  },
  {
    id: 'NET001',
    title: 'SSH port 22 exposed',
    severity: 'medium',
    kinds: bits('dockerfile', 'compose', 'yaml', 'terraform'),
    anchors: ['expose', 'containerport', 'hostport', 'from_port', ':22', 'target'],
    inComments: false,
    check: (s, _i, ctx) => sshExposed(s, ctx),
  },
  {
    id: 'NET002',
    title: 'world-open CIDR (0.0.0.0/0)',
    severity: 'high',
    kinds: ALL,
    anchors: ['0.0.0.0/0', '::/0'],
    inComments: false,
    check: (s) => hasOpenCidr(s),
  },
  {
    id: 'K8S001',
    title: 'privileged container',
    severity: 'critical',
    kinds: YAMLISH,
    anchors: ['privileged'],
    inComments: false,
    check: (s) => kvIs(s, 'privileged', ['true']),
  },
  {
    id: 'K8S002',
    title: 'host network',
    severity: 'high',
    kinds: YAMLISH,
    anchors: ['hostnetwork', 'network_mode'],
    inComments: false,
    check: (s, _i, ctx) => (ctx.kind === 'compose' ? kvIs(s, 'network_mode', ['host']) : kvIs(s, 'hostNetwork', ['true'])),
  },
  {
    id: 'K8S003',
    title: 'privilege escalation allowed',
    severity: 'high',
    kinds: YAMLISH,
    anchors: ['allowprivilegeescalation'],
    inComments: false,
    check: (s) => kvIs(s, 'allowPrivilegeEscalation', ['true']),
  },
  {
    id: 'K8S004',
    title: 'container without resources.limits',
    severity: 'medium',
    kinds: bits('yaml'),
    anchors: ['containers:'],
    inComments: false,
    check: (s, i, ctx) => containersWithoutLimits(s, i, ctx),
  },
  {
    id: 'K8S005',
    title: 'runs as root user',
    severity: 'high',
    kinds: YAMLISH,
    anchors: ['runasuser', 'runasnonroot', 'user'],
    inComments: false,
    check: (s, _i, ctx) =>
      ctx.kind === 'compose'
        ? kvIs(s, 'user', ['root', '0', 'root:root', '0:0'])
        : kvIs(s, 'runAsUser', ['0']) || kvIs(s, 'runAsNonRoot', ['false']),
  },
  {
    id: 'K8S006',
    title: 'Docker socket mounted',
    severity: 'critical',
    kinds: ALL,
    anchors: ['/var/run/docker.sock'],
    inComments: false,
    check: (s) => s.includes('/var/run/docker.sock'),
  },
  {
    id: 'K8S007',
    title: 'host PID or IPC namespace',
    severity: 'high',
    kinds: YAMLISH,
    anchors: ['hostpid', 'hostipc', 'pid', 'ipc'],
    inComments: false,
    check: (s, _i, ctx) =>
      ctx.kind === 'compose'
        ? kvIs(s, 'pid', ['host']) || kvIs(s, 'ipc', ['host'])
        : kvIs(s, 'hostPID', ['true']) || kvIs(s, 'hostIPC', ['true']),
  },
  {
    id: 'K8S008',
    title: 'dangerous capability added (SYS_ADMIN, NET_ADMIN)',
    severity: 'high',
    kinds: YAMLISH,
    anchors: ['sys_admin', 'net_admin'],
    inComments: false,
    check: (s) => hasWord(s, 'SYS_ADMIN') || hasWord(s, 'NET_ADMIN'),
  },
  {
    id: 'TF001',
    title: 'public bucket ACL',
    severity: 'high',
    kinds: bits('terraform'),
    anchors: ['acl'],
    inComments: false,
    check: (s) => kvIs(s, 'acl', ['public-read', 'public-read-write']),
  },
  {
    id: 'TF002',
    title: 'storage not encrypted',
    severity: 'medium',
    kinds: bits('terraform'),
    anchors: ['encrypted'],
    inComments: false,
    check: (s) => kvIs(s, 'encrypted', ['false']) || kvIs(s, 'storage_encrypted', ['false']),
  },
  {
    id: 'TLS001',
    title: 'TLS verification disabled',
    severity: 'medium',
    kinds: ALL,
    anchors: ['insecure', 'verify_ssl', 'sslmode=disable', 'node_tls_reject_unauthorized'],
    inComments: false,
    check: (s) => {
      const lower = asciiLower(s);
      if (lower.includes('sslmode=disable')) return true;
      const kv = parseKeyValue(s);
      if (!kv) return false;
      const key = asciiLower(kv.key);
      const value = asciiLower(kv.value);
      if (key === 'insecureskipverify' || key === 'insecure_skip_verify' || key === 'insecure') return value === 'true';
      if (key === 'verify_ssl') return value === 'false';
      if (key === 'node_tls_reject_unauthorized') return value === '0';
      return false;
    },
  },
  {
    id: 'GEN001',
    title: 'debug mode enabled',
    severity: 'low',
    kinds: bits('env', 'yaml', 'compose'),
    anchors: ['debug'],
    inComments: false,
    check: (s) => {
      const kv = parseKeyValue(s);
      if (!kv || asciiLower(kv.key) !== 'debug') return false;
      const v = asciiLower(kv.value);
      return v === 'true' || v === '1' || v === 'yes' || v === 'on';
    },
  },
];

/** The kind of an infrastructure file from its base name, or null when it is not scanned. */
export function fileKind(baseName: string): FileKind | null {
  const b = asciiLower(baseName);
  if (b === 'dockerfile' || b === 'containerfile' || b.startsWith('dockerfile.') || b.endsWith('.dockerfile')) return 'dockerfile';
  const yaml = b.endsWith('.yml') || b.endsWith('.yaml');
  if (yaml && (b.startsWith('docker-compose') || b.startsWith('compose.'))) return 'compose';
  if (yaml) return 'yaml';
  if (b.endsWith('.tf') || b.endsWith('.tfvars') || b.endsWith('.hcl')) return 'terraform';
  if (b === '.env' || b.startsWith('.env.') || b.endsWith('.env')) return 'env';
  if (b.endsWith('.sh')) return 'shell';
  if (b.endsWith('.json')) return 'json';
  return null;
}

export const RULE_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
