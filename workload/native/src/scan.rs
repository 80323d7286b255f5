//! Infrastructure scanning, Rust twin of `workload/src/scan.ts` + `scan-rules.ts`.
//!
//! One pass of an Aho-Corasick automaton (all rule anchors, ASCII case-insensitive, byte classes
//! so the transition table fits in L1) finds the candidate lines of each file; each candidate
//! (line, rule) then runs the rule's hand-written check, the same check as the TypeScript twin,
//! so both report identical findings. Files are read and scanned in parallel threads
//! (`std::thread::scope`, a shared work index). No regex crate: std only.

use perfgate_napi::{CallArgs, Env, Js, JsResult};
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------
// File kinds and rules (the table mirrors RULES in scan-rules.ts, in the same order)

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Dockerfile,
    Compose,
    Yaml,
    Terraform,
    Env,
    Shell,
    Json,
}

impl Kind {
    fn bit(self) -> u8 {
        match self {
            Kind::Dockerfile => 1,
            Kind::Compose => 2,
            Kind::Yaml => 4,
            Kind::Terraform => 8,
            Kind::Env => 16,
            Kind::Shell => 32,
            Kind::Json => 64,
        }
    }
}

const ALL: u8 = 127;
const DF: u8 = 1;
const CO: u8 = 2;
const YA: u8 = 4;
const TF: u8 = 8;
const EN: u8 = 16;

pub struct Rule {
    pub id: &'static str,
    pub severity: &'static str,
    kinds: u8,
    anchors: &'static [&'static str],
    in_comments: bool,
}

const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "access_key",
    "private_key",
];
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "name", "ref", "file", "path", "_arn", "_id", "version", "length", "ttl",
];

pub const RULES: &[Rule] = &[
    Rule {
        id: "SEC001",
        severity: "critical",
        kinds: ALL,
        anchors: &["akia", "asia"],
        in_comments: true,
    },
    Rule {
        id: "SEC002",
        severity: "critical",
        kinds: ALL,
        anchors: &["-----begin "],
        in_comments: true,
    },
    Rule {
        id: "SEC003",
        severity: "critical",
        kinds: ALL,
        anchors: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
        in_comments: true,
    },
    Rule {
        id: "SEC004",
        severity: "high",
        kinds: ALL,
        anchors: SECRET_WORDS,
        in_comments: false,
    },
    Rule {
        id: "SEC005",
        severity: "high",
        kinds: ALL,
        anchors: &["://"],
        in_comments: true,
    },
    Rule {
        id: "IMG001",
        severity: "medium",
        kinds: DF | CO | YA | TF,
        anchors: &["from", "image"],
        in_comments: false,
    },
    Rule {
        id: "IMG002",
        severity: "medium",
        kinds: DF | CO | YA | TF,
        anchors: &["from", "image"],
        in_comments: false,
    },
    Rule {
        id: "DKR001",
        severity: "high",
        kinds: DF,
        anchors: &["user"],
        in_comments: false,
    },
    Rule {
        id: "DKR002",
        severity: "medium",
        kinds: DF,
        anchors: &["add"],
        in_comments: false,
    },
    Rule {
        id: "DKR003",
        severity: "high",
        kinds: ALL,
        anchors: &["curl", "wget"],
        in_comments: false,
    },
    Rule {
        id: "NET001",
        severity: "medium",
        kinds: DF | CO | YA | TF,
        anchors: &[
            "expose",
            "containerport",
            "hostport",
            "from_port",
            ":22",
            "target",
        ],
        in_comments: false,
    },
    Rule {
        id: "NET002",
        severity: "high",
        kinds: ALL,
        anchors: &["0.0.0.0/0", "::/0"],
        in_comments: false,
    },
    Rule {
        id: "K8S001",
        severity: "critical",
        kinds: YA | CO,
        anchors: &["privileged"],
        in_comments: false,
    },
    Rule {
        id: "K8S002",
        severity: "high",
        kinds: YA | CO,
        anchors: &["hostnetwork", "network_mode"],
        in_comments: false,
    },
    Rule {
        id: "K8S003",
        severity: "high",
        kinds: YA | CO,
        anchors: &["allowprivilegeescalation"],
        in_comments: false,
    },
    Rule {
        id: "K8S004",
        severity: "medium",
        kinds: YA,
        anchors: &["containers:"],
        in_comments: false,
    },
    Rule {
        id: "K8S005",
        severity: "high",
        kinds: YA | CO,
        anchors: &["runasuser", "runasnonroot", "user"],
        in_comments: false,
    },
    Rule {
        id: "K8S006",
        severity: "critical",
        kinds: ALL,
        anchors: &["/var/run/docker.sock"],
        in_comments: false,
    },
    Rule {
        id: "K8S007",
        severity: "high",
        kinds: YA | CO,
        anchors: &["hostpid", "hostipc", "pid", "ipc"],
        in_comments: false,
    },
    Rule {
        id: "K8S008",
        severity: "high",
        kinds: YA | CO,
        anchors: &["sys_admin", "net_admin"],
        in_comments: false,
    },
    Rule {
        id: "TF001",
        severity: "high",
        kinds: TF,
        anchors: &["acl"],
        in_comments: false,
    },
    Rule {
        id: "TF002",
        severity: "medium",
        kinds: TF,
        anchors: &["encrypted"],
        in_comments: false,
    },
    Rule {
        id: "TLS001",
        severity: "medium",
        kinds: ALL,
        anchors: &[
            "insecure",
            "verify_ssl",
            "sslmode=disable",
            "node_tls_reject_unauthorized",
        ],
        in_comments: false,
    },
    Rule {
        id: "GEN001",
        severity: "low",
        kinds: EN | YA | CO,
        anchors: &["debug"],
        in_comments: false,
    },
];

/// The kind of an infrastructure file from its base name, or None when it is not scanned.
pub fn file_kind(base: &str) -> Option<Kind> {
    let b = base.to_ascii_lowercase();
    if b == "dockerfile"
        || b == "containerfile"
        || b.starts_with("dockerfile.")
        || b.ends_with(".dockerfile")
    {
        return Some(Kind::Dockerfile);
    }
    let yaml = b.ends_with(".yml") || b.ends_with(".yaml");
    if yaml && (b.starts_with("docker-compose") || b.starts_with("compose.")) {
        return Some(Kind::Compose);
    }
    if yaml {
        return Some(Kind::Yaml);
    }
    if b.ends_with(".tf") || b.ends_with(".tfvars") || b.ends_with(".hcl") {
        return Some(Kind::Terraform);
    }
    if b == ".env" || b.starts_with(".env.") || b.ends_with(".env") {
        return Some(Kind::Env);
    }
    if b.ends_with(".sh") {
        return Some(Kind::Shell);
    }
    if b.ends_with(".json") {
        return Some(Kind::Json);
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Aho-Corasick over byte classes

struct Automaton {
    /// Byte → class (ASCII letters folded to lower case; bytes in no anchor share class 0).
    class: [u8; 256],
    classes: usize,
    /// Dense transitions indexed by `state * classes + class`. An entry holds the next state
    /// premultiplied by `classes` (so the hot loop needs no multiplication), with bit 31 set when
    /// some anchor ends in that state.
    next: Vec<u32>,
    /// Rules (bit i = RULES[i]) whose anchor ends at a state (suffix outputs included), by state.
    out: Vec<u32>,
}

const HAS_OUTPUT: u32 = 1 << 31;

fn automaton() -> &'static Automaton {
    static AC: OnceLock<Automaton> = OnceLock::new();
    AC.get_or_init(build_automaton)
}

fn build_automaton() -> Automaton {
    let mut class = [0u8; 256];
    let mut classes = 1usize;
    for rule in RULES {
        for a in rule.anchors {
            for &b in a.as_bytes() {
                if class[b as usize] == 0 {
                    class[b as usize] = classes as u8;
                    classes += 1;
                }
            }
        }
    }
    for b in b'A'..=b'Z' {
        class[b as usize] = class[b.to_ascii_lowercase() as usize];
    }
    // trie
    let mut goto: Vec<Vec<i32>> = vec![vec![-1; classes]];
    let mut out: Vec<u32> = vec![0];
    for (r, rule) in RULES.iter().enumerate() {
        for a in rule.anchors {
            let mut s = 0usize;
            for &b in a.as_bytes() {
                let c = class[b as usize] as usize;
                if goto[s][c] < 0 {
                    goto.push(vec![-1; classes]);
                    out.push(0);
                    goto[s][c] = (goto.len() - 1) as i32;
                }
                s = goto[s][c] as usize;
            }
            out[s] |= 1 << r;
        }
    }
    // failure links, breadth first, turning the trie into a complete DFA
    let n = goto.len();
    let mut fail = vec![0usize; n];
    let mut next = vec![0u32; n * classes];
    let mut queue = std::collections::VecDeque::new();
    for c in 0..classes {
        let t = goto[0][c];
        if t >= 0 {
            let t = t as usize;
            fail[t] = 0;
            next[c] = t as u32;
            queue.push_back(t);
        } else {
            next[c] = 0;
        }
    }
    while let Some(s) = queue.pop_front() {
        out[s] |= out[fail[s]];
        for c in 0..classes {
            let t = goto[s][c];
            if t >= 0 {
                let t = t as usize;
                fail[t] = next[fail[s] * classes + c] as usize;
                next[s * classes + c] = t as u32;
                queue.push_back(t);
            } else {
                next[s * classes + c] = next[fail[s] * classes + c];
            }
        }
    }
    assert!(
        n * classes < HAS_OUTPUT as usize,
        "too many automaton states"
    );
    let next = next
        .iter()
        .map(|&t| {
            let t = t as usize;
            (t * classes) as u32 | if out[t] != 0 { HAS_OUTPUT } else { 0 }
        })
        .collect();
    Automaton {
        class,
        classes,
        next,
        out,
    }
}

impl Automaton {
    /// Runs the automaton over `text` and returns `(line start, rule mask)` for each line
    /// holding an anchor of a rule in `applicable`, in text order. A table-driven DFA is bound by
    /// the latency of its dependent loads, so texts above 1 KiB are split at a newline (anchors
    /// never span lines) and the two halves run interleaved as independent streams.
    fn candidate_lines(&self, text: &[u8], applicable: u32) -> Vec<(usize, u32)> {
        let mut hits_a: Vec<(usize, u32)> = Vec::new();
        let mut hits_b: Vec<(usize, u32)> = Vec::new();
        let split = if text.len() > 1024 {
            find_byte(text, b'\n', text.len() / 2).map_or(text.len(), |p| p + 1)
        } else {
            text.len()
        };
        let (a, b) = text.split_at(split);
        let n = a.len().min(b.len());
        let (mut sa, mut sb) = (0u32, 0u32);
        for i in 0..n {
            let ea = self.next[sa as usize + self.class[a[i] as usize] as usize];
            let eb = self.next[sb as usize + self.class[b[i] as usize] as usize];
            sa = ea & !HAS_OUTPUT;
            sb = eb & !HAS_OUTPUT;
            if (ea | eb) & HAS_OUTPUT != 0 {
                if ea & HAS_OUTPUT != 0 {
                    self.record(text, i, sa, applicable, &mut hits_a);
                }
                if eb & HAS_OUTPUT != 0 {
                    self.record(text, split + i, sb, applicable, &mut hits_b);
                }
            }
        }
        for (i, &c) in a.iter().enumerate().skip(n) {
            let e = self.next[sa as usize + self.class[c as usize] as usize];
            sa = e & !HAS_OUTPUT;
            if e & HAS_OUTPUT != 0 {
                self.record(text, i, sa, applicable, &mut hits_a);
            }
        }
        for (i, &c) in b.iter().enumerate().skip(n) {
            let e = self.next[sb as usize + self.class[c as usize] as usize];
            sb = e & !HAS_OUTPUT;
            if e & HAS_OUTPUT != 0 {
                self.record(text, split + i, sb, applicable, &mut hits_b);
            }
        }
        hits_a.extend(hits_b);
        hits_a
    }

    #[inline]
    fn record(
        &self,
        text: &[u8],
        pos: usize,
        premultiplied: u32,
        applicable: u32,
        hits: &mut Vec<(usize, u32)>,
    ) {
        let rules = self.out[premultiplied as usize / self.classes] & applicable;
        if rules == 0 {
            return;
        }
        let line_start = text[..pos]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1);
        match hits.last_mut() {
            Some(last) if last.0 == line_start => last.1 |= rules,
            _ => hits.push((line_start, rules)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Byte helpers (ASCII classification only, exactly as the TypeScript twin)

fn is_digit(c: u8) -> bool {
    c.is_ascii_digit()
}
fn is_upper(c: u8) -> bool {
    c.is_ascii_uppercase()
}
fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}
fn is_word(c: u8) -> bool {
    is_alnum(c) || c == b'_'
}
fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}
fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}
fn is_key_char(c: u8) -> bool {
    is_alnum(c) || c == b'_' || c == b'.' || c == b'-'
}
/// JavaScript's `trimEnd` set, restricted to single bytes (latin1): TAB LF VT FF CR SP NBSP.
fn is_js_space(c: u8) -> bool {
    matches!(c, 9..=13 | 32 | 0xa0)
}

fn at(s: &[u8], i: usize) -> Option<u8> {
    s.get(i).copied()
}

fn skip_blank(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && is_blank(s[i]) {
        i += 1;
    }
    i
}

fn find(h: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return Some(from.min(h.len()));
    }
    if from >= h.len() || h.len() - from < needle.len() {
        return None;
    }
    let first = needle[0];
    let last = h.len() - needle.len();
    let mut i = from;
    while i <= last {
        if h[i] == first && &h[i..i + needle.len()] == needle {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn find_byte(h: &[u8], b: u8, from: usize) -> Option<usize> {
    h.get(from..)?
        .iter()
        .position(|&x| x == b)
        .map(|p| p + from)
}

fn contains(h: &[u8], needle: &[u8]) -> bool {
    find(h, needle, 0).is_some()
}

fn starts_with_at(s: &[u8], i: usize, lit: &[u8]) -> bool {
    s.len() >= i + lit.len() && &s[i..i + lit.len()] == lit
}

fn starts_with_ci(s: &[u8], i: usize, lit: &[u8]) -> bool {
    s.len() >= i + lit.len()
        && s[i..i + lit.len()]
            .iter()
            .zip(lit)
            .all(|(&a, &b)| a.to_ascii_lowercase() == b)
}

fn lower(s: &[u8]) -> Vec<u8> {
    s.to_ascii_lowercase()
}

pub fn indent_of(s: &[u8]) -> usize {
    skip_blank(s, 0)
}

pub fn is_comment_line(s: &[u8]) -> bool {
    let i = skip_blank(s, 0);
    match at(s, i) {
        Some(b'#') => true,
        Some(b'/') => at(s, i + 1) == Some(b'/'),
        _ => false,
    }
}

fn is_blank_line(s: &[u8]) -> bool {
    skip_blank(s, 0) == s.len()
}

struct KeyValue<'s> {
    key: &'s [u8],
    value: &'s [u8],
    quoted: bool,
}

fn parse_key_value(s: &[u8]) -> Option<KeyValue<'_>> {
    let mut i = skip_blank(s, 0);
    if at(s, i) == Some(b'-') && at(s, i + 1) == Some(b' ') {
        i = skip_blank(s, i + 2);
    }
    let mut instruction = false;
    if starts_with_ci(s, i, b"export ") {
        i = skip_blank(s, i + 7);
    } else if starts_with_ci(s, i, b"env ") || starts_with_ci(s, i, b"arg ") {
        i = skip_blank(s, i + 4);
        instruction = true;
    }
    let key: &[u8];
    match at(s, i) {
        Some(q @ (b'"' | b'\'')) => {
            let end = find_byte(s, q, i + 1)?;
            key = &s[i + 1..end];
            i = end + 1;
        }
        _ => {
            let start = i;
            while i < s.len() && is_key_char(s[i]) {
                i += 1;
            }
            key = &s[start..i];
        }
    }
    if key.is_empty() {
        return None;
    }
    let after_key = i;
    i = skip_blank(s, i);
    match at(s, i) {
        Some(b':' | b'=') => i = skip_blank(s, i + 1),
        _ => {
            if !(instruction && i > after_key && i < s.len()) {
                return None;
            }
        }
    }
    if let Some(q @ (b'"' | b'\'')) = at(s, i) {
        let value = match find_byte(s, q, i + 1) {
            Some(end) => &s[i + 1..end],
            None => &s[i + 1..],
        };
        return Some(KeyValue {
            key,
            value,
            quoted: true,
        });
    }
    let start = i;
    while i < s.len() && !is_blank(s[i]) && s[i] != b'#' {
        i += 1;
    }
    Some(KeyValue {
        key,
        value: &s[start..i],
        quoted: false,
    })
}

fn kv_is(s: &[u8], key: &[u8], values: &[&[u8]]) -> bool {
    match parse_key_value(s) {
        Some(kv) => kv.key == key && values.contains(&kv.value),
        None => false,
    }
}

fn tokens(s: &[u8]) -> Vec<&[u8]> {
    s.split(|&c| is_blank(c))
        .filter(|t| !t.is_empty())
        .collect()
}

/// The tokens of a Dockerfile instruction line whose first token is `word` (lower-case,
/// compared case-insensitively), or None.
fn instruction<'s>(s: &'s [u8], word: &[u8]) -> Option<Vec<&'s [u8]>> {
    let i = skip_blank(s, 0);
    let end = i + word.len();
    if !starts_with_ci(s, i, word) || at(s, end).is_some_and(|c| !is_blank(c)) {
        return None;
    }
    Some(tokens(s))
}

#[derive(PartialEq, Eq, Debug)]
pub enum TagState {
    Latest,
    Untagged,
    Ok,
}

pub fn image_tag(image: &[u8]) -> TagState {
    if image.contains(&b'@') {
        return TagState::Ok;
    }
    let from = image.iter().rposition(|&c| c == b'/').map_or(0, |p| p + 1);
    match find_byte(image, b':', from) {
        None => TagState::Untagged,
        Some(colon) if &image[colon + 1..] == b"latest" => TagState::Latest,
        Some(_) => TagState::Ok,
    }
}

// ---------------------------------------------------------------------------------------------
// Per-file context and the checks

struct Ctx<'t> {
    kind: Kind,
    text: &'t [u8],
    /// (start, end) of every line, computed on first use.
    lines: Option<Vec<(usize, usize)>>,
    /// Dockerfile build stages (lower-case name, 0-based line), computed on first use.
    stages: Option<Vec<(Vec<u8>, usize)>>,
}

/// Line starts as the TypeScript twin computes them: a final newline opens no extra line.
fn line_spans(text: &[u8]) -> Vec<(usize, usize)> {
    let mut starts = vec![0usize];
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' {
            starts.push(i + 1);
        }
    }
    if starts.len() > 1 && *starts.last().unwrap() == text.len() {
        starts.pop();
    }
    (0..starts.len())
        .map(|i| {
            let start = starts[i];
            let mut end = if i + 1 < starts.len() {
                starts[i + 1] - 1
            } else {
                text.len()
            };
            if i + 1 == starts.len() && end > start && text[end - 1] == b'\n' {
                end -= 1; // final newline
            }
            if end > start && text[end - 1] == b'\r' {
                end -= 1;
            }
            (start, end)
        })
        .collect()
}

impl<'t> Ctx<'t> {
    fn lines(&mut self) -> &Vec<(usize, usize)> {
        if self.lines.is_none() {
            self.lines = Some(line_spans(self.text));
        }
        self.lines.as_ref().unwrap()
    }

    fn stages(&mut self) -> &Vec<(Vec<u8>, usize)> {
        if self.stages.is_none() {
            let text = self.text;
            let mut stages = Vec::new();
            for (i, &(a, b)) in self.lines().iter().enumerate() {
                if let Some(t) = instruction(&text[a..b], b"from") {
                    let mut k = 1;
                    while k < t.len() && t[k].starts_with(b"--") {
                        k += 1;
                    }
                    if k + 2 < t.len() && lower(t[k + 1]) == b"as" {
                        stages.push((lower(t[k + 2]), i));
                    }
                }
            }
            self.stages = Some(stages);
        }
        self.stages.as_ref().unwrap()
    }
}

fn image_of<'s>(s: &'s [u8], index: usize, ctx: &mut Ctx) -> Option<&'s [u8]> {
    if ctx.kind == Kind::Dockerfile {
        let t = instruction(s, b"from")?;
        let mut k = 1;
        while k < t.len() && t[k].starts_with(b"--") {
            k += 1;
        }
        let image = *t.get(k)?;
        let low = lower(image);
        if low == b"scratch" || image.contains(&b'$') {
            return None;
        }
        if ctx
            .stages()
            .iter()
            .any(|(name, line)| *line < index && *name == low)
        {
            return None;
        }
        return Some(image);
    }
    let kv = parse_key_value(s)?;
    if kv.key != b"image" || kv.value.is_empty() || kv.value.contains(&b'$') {
        return None;
    }
    Some(kv.value)
}

fn is_secret_assignment(s: &[u8], kind: Kind) -> bool {
    let Some(kv) = parse_key_value(s) else {
        return false;
    };
    if kind == Kind::Terraform && !kv.quoted {
        return false;
    }
    let key = lower(kv.key);
    if !SECRET_WORDS.iter().any(|w| contains(&key, w.as_bytes())) {
        return false;
    }
    if NOT_SECRET_SUFFIXES
        .iter()
        .any(|x| key.ends_with(x.as_bytes()))
    {
        return false;
    }
    let v = kv.value;
    if v.len() < 8 {
        return false;
    }
    if matches!(v[0], b'$' | b'<' | b'{' | b'%' | b'/') {
        return false;
    }
    !(contains(v, b"${") || contains(v, b"{{"))
}

fn has_aws_key(s: &[u8]) -> bool {
    for prefix in [b"AKIA", b"ASIA"] {
        let mut from = 0;
        while let Some(p) = find(s, prefix, from) {
            if (p == 0 || !is_alnum(s[p - 1]))
                && p + 20 <= s.len()
                && s[p + 4..p + 20].iter().all(|&c| is_upper(c) || is_digit(c))
                && (p + 20 == s.len() || !is_alnum(s[p + 20]))
            {
                return true;
            }
            from = p + 1;
        }
    }
    false
}

fn run_length(s: &[u8], i: usize, cls: fn(u8) -> bool) -> usize {
    s.get(i..)
        .map_or(0, |r| r.iter().take_while(|&&c| cls(c)).count())
}

fn has_github_token(s: &[u8]) -> bool {
    let mut from = 0;
    while let Some(p) = find(s, b"gh", from) {
        if (p == 0 || !is_word(s[p - 1])) && at(s, p + 3) == Some(b'_') {
            if let Some(b'p' | b'o' | b'u' | b's' | b'r') = at(s, p + 2) {
                if run_length(s, p + 4, is_alnum) >= 36 {
                    return true;
                }
            }
        }
        from = p + 1;
    }
    let mut from = 0;
    while let Some(p) = find(s, b"github_pat_", from) {
        if (p == 0 || !is_word(s[p - 1])) && run_length(s, p + 11, is_word) >= 22 {
            return true;
        }
        from = p + 1;
    }
    false
}

fn has_url_credentials(s: &[u8]) -> bool {
    let mut from = 0;
    while let Some(p) = find(s, b"://", from) {
        let j = p + 3;
        let mut k = j;
        while k < s.len()
            && !matches!(
                s[k],
                b' ' | b'\t' | b'/' | b'@' | b'"' | b'\'' | b'<' | b'>' | b'#' | b'?'
            )
        {
            k += 1;
        }
        if k < s.len() && s[k] == b'@' {
            if let Some(colon) = find_byte(s, b':', j) {
                if colon > j && colon + 1 < k && s[colon + 1] != b'$' {
                    return true;
                }
            }
        }
        from = p + 3;
    }
    false
}

fn has_curl_pipe_shell(low: &[u8]) -> bool {
    let p = match (find(low, b"curl", 0), find(low, b"wget", 0)) {
        (None, None) => return false,
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (Some(a), Some(b)) => a.min(b),
    };
    let mut bar = find_byte(low, b'|', p);
    while let Some(b) = bar {
        let mut q = skip_blank(low, b + 1);
        if starts_with_at(low, q, b"sudo ") {
            q = skip_blank(low, q + 5);
        }
        let len = if starts_with_at(low, q, b"sh") {
            2
        } else if starts_with_at(low, q, b"bash") {
            4
        } else {
            0
        };
        if len > 0 {
            match at(low, q + len) {
                None => return true,
                Some(c) if is_blank(c) || c == b';' || c == b')' => return true,
                _ => {}
            }
        }
        bar = find_byte(low, b'|', b + 1);
    }
    false
}

fn has_open_cidr(s: &[u8]) -> bool {
    let mut from = 0;
    while let Some(p) = find(s, b"0.0.0.0/0", from) {
        let before_ok = p == 0 || !(is_digit(s[p - 1]) || s[p - 1] == b'.');
        if before_ok && !at(s, p + 9).is_some_and(is_digit) {
            return true;
        }
        from = p + 1;
    }
    let mut from = 0;
    while let Some(p) = find(s, b"::/0", from) {
        let before_ok = p == 0 || !(is_hex(s[p - 1]) || s[p - 1] == b':');
        if before_ok && !at(s, p + 4).is_some_and(is_digit) {
            return true;
        }
        from = p + 1;
    }
    false
}

fn has_word(s: &[u8], word: &[u8]) -> bool {
    let mut from = 0;
    while let Some(p) = find(s, word, from) {
        if (p == 0 || !is_word(s[p - 1])) && !at(s, p + word.len()).is_some_and(is_word) {
            return true;
        }
        from = p + 1;
    }
    false
}

fn ssh_exposed(s: &[u8], kind: Kind) -> bool {
    match kind {
        Kind::Dockerfile => match instruction(s, b"expose") {
            Some(t) => t[1..].iter().any(|x| *x == b"22" || x.starts_with(b"22/")),
            None => false,
        },
        Kind::Terraform => kv_is(s, b"from_port", &[b"22"]),
        Kind::Yaml => kv_is(s, b"containerPort", &[b"22"]) || kv_is(s, b"hostPort", &[b"22"]),
        Kind::Compose => {
            let i = skip_blank(s, 0);
            if !(at(s, i) == Some(b'-') && at(s, i + 1) == Some(b' ')) {
                return kv_is(s, b"target", &[b"22"]);
            }
            let mut v = &s[skip_blank(s, i + 2)..];
            if let Some(hash) = find(v, b" #", 0) {
                v = &v[..hash];
            }
            while let Some((&last, rest)) = v.split_last() {
                if is_js_space(last) {
                    v = rest;
                } else {
                    break;
                }
            }
            if v.len() >= 2 && (v[0] == b'"' || v[0] == b'\'') && v[v.len() - 1] == v[0] {
                v = &v[1..v.len() - 1];
            }
            let Some(colon) = v.iter().rposition(|&c| c == b':') else {
                return false;
            };
            let mut port = &v[colon + 1..];
            if port.ends_with(b"/tcp") {
                port = &port[..port.len() - 4];
            }
            port == b"22"
        }
        _ => false,
    }
}

/// K8S004: list items under `containers:` / `initContainers:` without a `limits` key.
fn containers_without_limits(s: &[u8], index: usize, ctx: &mut Ctx, out: &mut Vec<usize>) {
    let Some(kv) = parse_key_value(s) else { return };
    if (kv.key != b"containers" && kv.key != b"initContainers") || !kv.value.is_empty() {
        return;
    }
    let base = indent_of(s);
    let text = ctx.text;
    let lines = ctx.lines();
    let mut item_indent: Option<usize> = None;
    let mut item_line: Option<usize> = None;
    let mut has_limits = false;
    for (i, &(a, b)) in lines.iter().enumerate().skip(index + 1) {
        let line = &text[a..b];
        if is_blank_line(line) || is_comment_line(line) {
            continue;
        }
        let ind = indent_of(line);
        let is_item =
            at(line, ind) == Some(b'-') && (ind + 1 == line.len() || is_blank(line[ind + 1]));
        if ind < base {
            break;
        }
        if is_item && item_indent.map_or(true, |x| x == ind) {
            if let Some(l) = item_line {
                if !has_limits {
                    out.push(l);
                }
            }
            item_indent = Some(ind);
            item_line = Some(i);
            has_limits = false;
        } else if ind == base || item_indent.map_or(true, |x| ind < x) {
            break;
        }
        if !has_limits {
            if let Some(inner) = parse_key_value(line) {
                if inner.key == b"limits" {
                    has_limits = true;
                }
            }
        }
    }
    if let Some(l) = item_line {
        if !has_limits {
            out.push(l);
        }
    }
}

// Rule indices (positions in RULES).
const SEC001: usize = 0;
const SEC002: usize = 1;
const SEC003: usize = 2;
const SEC004: usize = 3;
const SEC005: usize = 4;
const IMG001: usize = 5;
const IMG002: usize = 6;
const DKR001: usize = 7;
const DKR002: usize = 8;
const DKR003: usize = 9;
const NET001: usize = 10;
const NET002: usize = 11;
const K8S001: usize = 12;
const K8S002: usize = 13;
const K8S003: usize = 14;
const K8S004: usize = 15;
const K8S005: usize = 16;
const K8S006: usize = 17;
const K8S007: usize = 18;
const K8S008: usize = 19;
const TF001: usize = 20;
const TF002: usize = 21;
const TLS001: usize = 22;
const GEN001: usize = 23;

/// Runs rule `r` on line `index`; pushes the 0-based lines it reports.
fn check(r: usize, s: &[u8], index: usize, ctx: &mut Ctx, out: &mut Vec<usize>) {
    let kind = ctx.kind;
    let hit = match r {
        SEC001 => has_aws_key(s),
        SEC002 => match find(s, b"-----BEGIN ", 0) {
            Some(p) => find(s, b"PRIVATE KEY-----", p + 11).is_some(),
            None => false,
        },
        SEC003 => has_github_token(s),
        SEC004 => is_secret_assignment(s, kind),
        SEC005 => has_url_credentials(s),
        IMG001 => image_of(s, index, ctx).is_some_and(|i| image_tag(i) == TagState::Latest),
        IMG002 => image_of(s, index, ctx).is_some_and(|i| image_tag(i) == TagState::Untagged),
        DKR001 => match instruction(s, b"user") {
            Some(t) if t.len() >= 2 => {
                let user = match find_byte(t[1], b':', 0) {
                    Some(c) => &t[1][..c],
                    None => t[1],
                };
                user == b"root" || user == b"0"
            }
            _ => false,
        },
        DKR002 => match instruction(s, b"add") {
            Some(t) => {
                let mut k = 1;
                while k < t.len() && t[k].starts_with(b"--") {
                    k += 1;
                }
                k < t.len()
                    && (starts_with_ci(t[k], 0, b"http://") || starts_with_ci(t[k], 0, b"https://"))
            }
            None => false,
        },
        DKR003 => has_curl_pipe_shell(&lower(s)),
        NET001 => ssh_exposed(s, kind),
        NET002 => has_open_cidr(s),
        K8S001 => kv_is(s, b"privileged", &[b"true"]),
        K8S002 => {
            if kind == Kind::Compose {
                kv_is(s, b"network_mode", &[b"host"])
            } else {
                kv_is(s, b"hostNetwork", &[b"true"])
            }
        }
        K8S003 => kv_is(s, b"allowPrivilegeEscalation", &[b"true"]),
        K8S004 => {
            containers_without_limits(s, index, ctx, out);
            false
        }
        K8S005 => {
            if kind == Kind::Compose {
                kv_is(s, b"user", &[b"root", b"0", b"root:root", b"0:0"])
            } else {
                kv_is(s, b"runAsUser", &[b"0"]) || kv_is(s, b"runAsNonRoot", &[b"false"])
            }
        }
        K8S006 => contains(s, b"/var/run/docker.sock"),
        K8S007 => {
            if kind == Kind::Compose {
                kv_is(s, b"pid", &[b"host"]) || kv_is(s, b"ipc", &[b"host"])
            } else {
                kv_is(s, b"hostPID", &[b"true"]) || kv_is(s, b"hostIPC", &[b"true"])
            }
        }
        K8S008 => has_word(s, b"SYS_ADMIN") || has_word(s, b"NET_ADMIN"),
        TF001 => kv_is(s, b"acl", &[b"public-read", b"public-read-write"]),
        TF002 => kv_is(s, b"encrypted", &[b"false"]) || kv_is(s, b"storage_encrypted", &[b"false"]),
        TLS001 => {
            if contains(&lower(s), b"sslmode=disable") {
                true
            } else if let Some(kv) = parse_key_value(s) {
                let key = lower(kv.key);
                let value = lower(kv.value);
                match key.as_slice() {
                    b"insecureskipverify" | b"insecure_skip_verify" | b"insecure" => {
                        value == b"true"
                    }
                    b"verify_ssl" => value == b"false",
                    b"node_tls_reject_unauthorized" => value == b"0",
                    _ => false,
                }
            } else {
                false
            }
        }
        GEN001 => match parse_key_value(s) {
            Some(kv) if lower(kv.key) == b"debug" => {
                matches!(lower(kv.value).as_slice(), b"true" | b"1" | b"yes" | b"on")
            }
            _ => false,
        },
        _ => false,
    };
    if hit {
        out.push(index);
    }
}

/// Scans one file's bytes: `(line (1-based), rule index)` pairs, sorted, without duplicates.
pub fn scan_text(text: &[u8], kind: Kind) -> Vec<(u32, u8)> {
    let ac = automaton();
    let mask = kind.bit();
    let applicable: u32 = RULES
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kinds & mask != 0)
        .fold(0, |m, (i, _)| m | (1 << i));

    let candidates = ac.candidate_lines(text, applicable);
    if candidates.is_empty() {
        return Vec::new();
    }
    let mut ctx = Ctx {
        kind,
        text,
        lines: None,
        stages: None,
    };
    let mut found: Vec<(u32, u8)> = Vec::new();
    let mut lines_out = Vec::new();
    // line index of each candidate: newlines counted incrementally between candidates
    let mut index = 0usize;
    let mut counted_to = 0usize;
    for &(start, rules) in &candidates {
        index += text[counted_to..start]
            .iter()
            .filter(|&&c| c == b'\n')
            .count();
        counted_to = start;
        let mut end = find_byte(text, b'\n', start).unwrap_or(text.len());
        if end > start && text[end - 1] == b'\r' {
            end -= 1;
        }
        let s = &text[start..end];
        let comment = is_comment_line(s);
        let mut bits = rules;
        while bits != 0 {
            let r = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if comment && !RULES[r].in_comments {
                continue;
            }
            lines_out.clear();
            check(r, s, index, &mut ctx, &mut lines_out);
            for &l in &lines_out {
                found.push((l as u32 + 1, r as u8));
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

// ---------------------------------------------------------------------------------------------
// Directory walk and parallel scan

#[derive(Debug, Default)]
pub struct ScanOutput {
    pub files: usize,
    pub bytes: u64,
    /// (file, line, rule index), sorted by file, line, rule id.
    pub findings: Vec<(String, u32, u8)>,
    /// (file, message), sorted by file.
    pub errors: Vec<(String, String)>,
}

const SKIP_DIRS: &[&str] = &[".git", "node_modules"];

/// Infrastructure files under `root` (relative, `/`-separated, sorted) and the entries that
/// could not be examined; same rules as `listInfraFiles` in scan.ts.
pub fn list_infra_files(root: &Path) -> (Vec<String>, Vec<(String, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    walk(root, "", &mut files, &mut errors);
    files.sort();
    (files, errors)
}

fn walk(dir: &Path, rel: &str, files: &mut Vec<String>, errors: &mut Vec<(String, String)>) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push((
                if rel.is_empty() {
                    ".".into()
                } else {
                    rel.into()
                },
                e.to_string(),
            ));
            return;
        }
    };
    for entry in entries {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        let child = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            if !SKIP_DIRS.contains(&name.as_str()) {
                walk(&entry.path(), &child, files, errors);
            }
        } else if file_kind(&name).is_some() {
            if ft.is_file() {
                files.push(child);
            } else if ft.is_symlink() {
                match fs::metadata(entry.path()) {
                    Ok(m) if m.is_file() => files.push(child),
                    Ok(_) => {}
                    Err(e) => errors.push((child, e.to_string())),
                }
            }
        }
    }
}

fn is_binary(buf: &[u8]) -> bool {
    buf[..buf.len().min(1024)].contains(&0)
}

enum FileResult {
    Skipped,
    Error(String),
    Scanned(u64, Vec<(u32, u8)>),
}

fn scan_one(root: &Path, file: &str) -> FileResult {
    let base = file.rsplit('/').next().unwrap_or(file);
    let Some(kind) = file_kind(base) else {
        return FileResult::Skipped;
    };
    READ_BUFFER.with(|cell| {
        let mut buf = cell.borrow_mut();
        match read_into(&root.join(file), &mut buf) {
            Err(e) => FileResult::Error(e.to_string()),
            Ok(()) if is_binary(&buf) => FileResult::Skipped,
            Ok(()) => FileResult::Scanned(buf.len() as u64, scan_text(&buf, kind)),
        }
    })
}

thread_local! {
    /// Each scanning thread reads every file into the same buffer.
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(Vec::with_capacity(64 * 1024));
}

/// Reads a whole file into `buf` (reusing its capacity). Unlike `fs::read`, it does not ask for
/// the file's size first: for small files that saves a `statx` and an `lseek` per file.
fn read_into(path: &Path, buf: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Read;
    buf.clear();
    let file = fs::File::open(path)?;
    (&file).take(u64::MAX).read_to_end(buf)?;
    Ok(())
}

/// Scans `files` (relative to `root`) on `threads` threads (0: one per available core).
pub fn scan_files(root: &Path, files: &[String], threads: usize) -> ScanOutput {
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    }
    .clamp(1, files.len().max(1));
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, FileResult)> = Vec::with_capacity(files.len());
    let work = || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= files.len() {
                break;
            }
            mine.push((i, scan_one(root, &files[i])));
        }
        mine
    };
    if threads == 1 {
        results = work();
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads - 1).map(|_| scope.spawn(work)).collect();
            results.extend(work());
            for h in handles {
                results.extend(h.join().expect("scan thread panicked"));
            }
        });
    }
    collect(files, results)
}

fn collect(files: &[String], results: Vec<(usize, FileResult)>) -> ScanOutput {
    let mut out = ScanOutput::default();
    for (i, r) in results {
        match r {
            FileResult::Skipped => {}
            FileResult::Error(m) => out.errors.push((files[i].clone(), m)),
            FileResult::Scanned(bytes, hits) => {
                out.files += 1;
                out.bytes += bytes;
                out.findings.extend(
                    hits.into_iter()
                        .map(|(line, r)| (files[i].clone(), line, r)),
                );
            }
        }
    }
    out.findings.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then(RULES[a.2 as usize].id.cmp(RULES[b.2 as usize].id))
    });
    out.errors.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Walks `root` and scans every infrastructure file below it.
pub fn scan_directory(root: &Path, threads: usize) -> ScanOutput {
    let (files, walk_errors) = list_infra_files(root);
    let mut out = scan_files(root, &files, threads);
    if !walk_errors.is_empty() {
        out.errors.extend(walk_errors);
        out.errors.sort_by(|a, b| a.0.cmp(&b.0));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// JavaScript bindings

/// Findings in a compact form the JS wrapper expands: `files` joined by NUL, and one
/// `[file index, line, rule index]` triple per finding in `records`.
fn output_to_js<'a>(env: &'a Env, out: ScanOutput) -> JsResult<'a> {
    let mut names: Vec<&str> = Vec::new();
    let mut records: Vec<f64> = Vec::with_capacity(out.findings.len() * 3);
    for (file, line, rule) in &out.findings {
        if names.last() != Some(&file.as_str()) {
            names.push(file);
        }
        records.push((names.len() - 1) as f64);
        records.push(f64::from(*line));
        records.push(f64::from(*rule));
    }
    let errors = Js::array(out.errors.iter().map(|(f, m)| {
        Js::object([
            ("file", Js::from(f.as_str())),
            ("message", Js::from(m.as_str())),
        ])
    }));
    env.create_js(&Js::object([
        ("files", Js::from(out.files)),
        ("bytes", Js::from(out.bytes)),
        ("names", Js::from(names.join("\0"))),
        ("records", Js::F64Array(records)),
        ("errors", errors),
    ]))
}

/// scanDirectory(root: string, threads?: number) → { files, bytes, names, records, errors }
pub fn js_scan_directory<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let root = args.arg_string(0)?;
    let threads = if args.is_undefined(1)? {
        0
    } else {
        args.arg_usize(1)?
    };
    output_to_js(env, scan_directory(Path::new(&root), threads))
}

/// scanFiles(root: string, files: string[], threads?: number) → same shape as scanDirectory
pub fn js_scan_files<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let root = args.arg_string(0)?;
    let files = args.arg_string_array(1)?;
    let threads = if args.is_undefined(2)? {
        0
    } else {
        args.arg_usize(2)?
    };
    output_to_js(env, scan_files(Path::new(&root), &files, threads))
}

/// Scans in-memory files on `threads` threads: `(name, bytes)` pairs; same output as scan_files.
pub fn scan_texts(files: &[(String, &[u8])], threads: usize) -> ScanOutput {
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    }
    .clamp(1, files.len().max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= files.len() {
                break;
            }
            let (name, bytes) = &files[i];
            let base = name.rsplit('/').next().unwrap_or(name);
            let result = match file_kind(base) {
                None => FileResult::Skipped,
                Some(_) if is_binary(bytes) => FileResult::Skipped,
                Some(kind) => FileResult::Scanned(bytes.len() as u64, scan_text(bytes, kind)),
            };
            mine.push((i, result));
        }
        mine
    };
    let mut results: Vec<(usize, FileResult)> = Vec::with_capacity(files.len());
    if threads == 1 {
        results = work();
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads - 1).map(|_| scope.spawn(work)).collect();
            results.extend(work());
            for h in handles {
                results.extend(h.join().expect("scan thread panicked"));
            }
        });
    }
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    collect(&names, results)
}

/// scanTexts(names: string (joined by NUL), data: Uint8Array, ends: Float64Array, threads?: number):
/// file i is `data[ends[i-1]..ends[i]]`. Same result shape as scanDirectory.
pub fn js_scan_texts<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let joined = args.arg_string(0)?;
    let names: Vec<String> = if joined.is_empty() {
        Vec::new()
    } else {
        joined.split('\0').map(str::to_owned).collect()
    };
    let data = args.arg_bytes(1)?;
    let ends = args.arg_f64_array(2)?;
    let threads = if args.is_undefined(3)? {
        0
    } else {
        args.arg_usize(3)?
    };
    if ends.len() != names.len() {
        return Err(format!(
            "{} names but {} file ends",
            names.len(),
            ends.len()
        ));
    }
    let mut files = Vec::with_capacity(names.len());
    let mut start = 0usize;
    for (name, &end) in names.into_iter().zip(&ends) {
        let end = end as usize;
        if end < start || end > data.len() {
            return Err(format!(
                "file end {end} of {name} is outside the data ({} bytes)",
                data.len()
            ));
        }
        files.push((name, &data[start..end]));
        start = end;
    }
    output_to_js(env, scan_texts(&files, threads))
}

/// scanRuleIds() → string[]: rule ids in rule-index order (the JS wrapper checks it matches).
pub fn js_scan_rule_ids<'a>(env: &'a Env, _args: &CallArgs<'a>) -> JsResult<'a> {
    env.create_js(&Js::array(RULES.iter().map(|r| Js::from(r.id))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str, kind: Kind) -> Vec<(u32, &'static str)> {
        scan_text(text.as_bytes(), kind)
            .into_iter()
            .map(|(l, r)| (l, RULES[r as usize].id))
            .collect()
    }

    #[test]
    fn aws_key_needs_boundaries_and_sixteen_chars() {
        assert_eq!(
            ids("KEY=AKIAABCDEFGHIJKLMNOP\n", Kind::Env),
            vec![(1, "SEC001")]
        );
        assert!(ids("KEY=XAKIAABCDEFGHIJKLMNOP\n", Kind::Env).is_empty());
        assert!(ids("KEY=AKIAABCDEFGHIJKLMNOPQ\n", Kind::Env).is_empty());
        assert!(ids("KEY=akiaabcdefghijklmnop\n", Kind::Env).is_empty());
    }

    #[test]
    fn secrets_in_comments_still_count_but_config_rules_do_not() {
        let text = "# AKIAABCDEFGHIJKLMNOP\n# privileged: true\n";
        assert_eq!(ids(text, Kind::Yaml), vec![(1, "SEC001")]);
    }

    #[test]
    fn dockerfile_rules() {
        let text = "FROM node AS build\nFROM build\nFROM nginx:latest\nUSER root:root\nADD --chown=a https://x/y /z\nEXPOSE 80 22/tcp\nRUN curl -fsSL https://x | sudo bash -\n";
        assert_eq!(
            ids(text, Kind::Dockerfile),
            vec![
                (1, "IMG002"),
                (3, "IMG001"),
                (4, "DKR001"),
                (5, "DKR002"),
                (6, "NET001"),
                (7, "DKR003")
            ]
        );
    }

    #[test]
    fn missing_limits_reports_each_container_item() {
        let text = "spec:\n  containers:\n  - name: a\n    resources:\n      limits: {cpu: 1}\n  - name: b\n    image: x:1\n  volumes: []\n";
        assert_eq!(ids(text, Kind::Yaml), vec![(6, "K8S004")]);
    }

    #[test]
    fn crlf_and_no_final_newline() {
        assert_eq!(
            ids("a: 1\r\nprivileged: true\r\n", Kind::Compose),
            vec![(2, "K8S001")]
        );
        assert_eq!(ids("privileged: true", Kind::Compose), vec![(1, "K8S001")]);
    }

    #[test]
    fn rule_index_constants_match_the_table() {
        for (i, id) in [
            SEC001, SEC002, SEC003, SEC004, SEC005, IMG001, IMG002, DKR001, DKR002, DKR003, NET001,
            NET002,
        ]
        .iter()
        .chain(&[
            K8S001, K8S002, K8S003, K8S004, K8S005, K8S006, K8S007, K8S008, TF001, TF002, TLS001,
            GEN001,
        ])
        .enumerate()
        {
            assert_eq!(i, *id, "{}", RULES[i].id);
        }
        assert_eq!(RULES.len(), 24);
    }

    #[test]
    fn file_kinds() {
        assert_eq!(file_kind("Dockerfile"), Some(Kind::Dockerfile));
        assert_eq!(file_kind("docker-compose.prod.yml"), Some(Kind::Compose));
        assert_eq!(file_kind("deploy.yaml"), Some(Kind::Yaml));
        assert_eq!(file_kind(".env.local"), Some(Kind::Env));
        assert_eq!(file_kind("README.md"), None);
    }
}
