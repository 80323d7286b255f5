//! Configuration parsing, Rust twin of `workload/src/config.ts` (which uses the `yaml` package).
//!
//! A YAML 1.2 parser for the subset deployment configs use, std only: block mappings and
//! sequences (compact `- key: value` entries included), flow collections `[...]` / `{...}`
//! spanning lines, plain, single- and double-quoted scalars (escapes, line folding), literal and
//! folded block scalars (chomping and indentation indicators), comments, multi-document streams
//! (`---`, `...`, directives skipped), anchors and aliases, the `!!str` tag (other tags are
//! ignored, and a scalar under an unknown local tag stays a string, as the `yaml` package does).
//! Plain scalars resolve with the YAML 1.2 core schema (null, booleans, decimal/octal/hex
//! integers, floats, .inf/.nan) and map keys become strings the way JavaScript's `String()` turns
//! them into property names, so the values equal what `yaml`'s `toJS()` gives. JSON is YAML's flow
//! subset and parses too. Not supported (clear errors): complex keys (`? ...`, collections as
//! keys), empty keys, multi-line implicit keys.
//!
//! Errors carry line and column (1-based, columns in characters):
//! `config.yaml:12:5: expected ':' after a mapping key`.

use perfgate_napi::{CallArgs, Env, JsResult, Value as JsValue};
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Seq(Vec<Value>),
    /// Keys in document order, already strings (JavaScript property names).
    Map(Vec<(String, Value)>),
}

#[derive(Debug, PartialEq)]
pub struct ParseError {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    pub message: String,
}

type PResult<T> = Result<T, ParseError>;

/// Parses every document of a YAML stream (or a JSON text).
pub fn parse_documents(input: &str) -> PResult<Vec<Value>> {
    let text = normalize_newlines(input);
    let mut p = Parser {
        src: &text,
        s: text.as_bytes(),
        pos: 0,
        line: 0,
        line_start: 0,
        anchors: HashMap::new(),
    };
    if p.s.starts_with("\u{feff}".as_bytes()) {
        p.pos = 3;
        p.line_start = 3;
    }
    p.stream()
}

fn normalize_newlines(input: &str) -> std::borrow::Cow<'_, str> {
    if !input.contains('\r') {
        return std::borrow::Cow::Borrowed(input);
    }
    std::borrow::Cow::Owned(input.replace("\r\n", "\n").replace('\r', "\n"))
}

struct Parser<'s> {
    src: &'s str,
    s: &'s [u8],
    pos: usize,
    /// 0-based line of `pos`.
    line: usize,
    /// Byte offset where the current line starts.
    line_start: usize,
    anchors: HashMap<String, Value>,
}

fn is_ws(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

fn is_flow_indicator(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

#[derive(Default)]
struct Props {
    anchor: Option<String>,
    tag: Option<String>,
}

/// What the bytes after a node's text may be: the parse continues differently after each.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    /// A block node after `key:` (a compact nested mapping or sequence is an error there).
    AfterKey,
    /// A block node after `- ` (compact nested mappings and sequences allowed) or at the start
    /// of a line.
    Block,
}

impl<'s> Parser<'s> {
    // ---- cursor ----------------------------------------------------------------------------

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.s.get(self.pos + k).copied()
    }

    fn eof(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn bump(&mut self) {
        if let Some(&c) = self.s.get(self.pos) {
            self.pos += 1;
            if c == b'\n' {
                self.line += 1;
                self.line_start = self.pos;
            }
        }
    }

    /// Column of `pos` in bytes (0-based): indentation is made of spaces, so bytes = characters.
    fn col(&self) -> usize {
        self.pos - self.line_start
    }

    fn save(&self) -> (usize, usize, usize) {
        (self.pos, self.line, self.line_start)
    }

    fn restore(&mut self, saved: (usize, usize, usize)) {
        (self.pos, self.line, self.line_start) = saved;
    }

    fn err_at<T>(&self, pos: usize, message: impl Into<String>) -> PResult<T> {
        // line and column of an arbitrary position (positions before `pos` are on known lines)
        let before = &self.s[..pos.min(self.s.len())];
        let line = before.iter().filter(|&&c| c == b'\n').count();
        let start = before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1);
        let col = String::from_utf8_lossy(&self.s[start..pos.min(self.s.len())])
            .chars()
            .count();
        Err(ParseError {
            line: line + 1,
            col: col + 1,
            message: message.into(),
        })
    }

    fn err<T>(&self, message: impl Into<String>) -> PResult<T> {
        self.err_at(self.pos, message)
    }

    fn skip_inline_ws(&mut self) {
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
    }

    /// Skips a comment (from `#` to the end of the line, the newline stays).
    fn skip_comment(&mut self) {
        if self.peek() == Some(b'#') {
            while self.peek().is_some_and(|c| c != b'\n') {
                self.pos += 1;
            }
        }
    }

    /// After a node on its line: blanks, an optional comment, then the end of the line.
    fn expect_line_end(&mut self, what: &str) -> PResult<()> {
        self.skip_inline_ws();
        match self.peek() {
            None | Some(b'\n') => Ok(()),
            Some(b'#') if self.pos == self.line_start || is_ws(self.s[self.pos - 1]) => {
                self.skip_comment();
                Ok(())
            }
            Some(b'#') => self.err("comments must be separated from other tokens by white space"),
            Some(_) => self.err(format!("unexpected characters after {what}")),
        }
    }

    /// Skips blanks, comments and line breaks up to the next content. Tabs may not indent.
    fn skip_to_content(&mut self) -> PResult<()> {
        loop {
            match self.peek() {
                Some(b' ') => self.pos += 1,
                Some(b'\t') => {
                    // a tab before the first content of a line is indentation
                    let rest = &self.s[self.pos..];
                    let content = rest.iter().position(|&c| !is_ws(c)).map(|p| rest[p]);
                    if !matches!(content, None | Some(b'\n') | Some(b'#'))
                        && self.s[self.line_start..self.pos].iter().all(|&c| is_ws(c))
                    {
                        return self.err("tabs are not allowed as indentation");
                    }
                    self.pos += 1;
                }
                Some(b'\n') => self.bump(),
                Some(b'#') => self.skip_comment(),
                _ => return Ok(()),
            }
        }
    }

    /// `---` or `...` at the start of a line, followed by a blank, a line break or the end.
    fn at_document_marker(&self) -> bool {
        self.pos == self.line_start
            && (self.s[self.pos..].starts_with(b"---") || self.s[self.pos..].starts_with(b"..."))
            && self.peek_at(3).map_or(true, |c| is_ws(c) || c == b'\n')
    }

    fn at_seq_entry(&self) -> bool {
        self.peek() == Some(b'-') && self.peek_at(1).map_or(true, |c| is_ws(c) || c == b'\n')
    }

    // ---- stream and documents ----------------------------------------------------------------

    fn stream(&mut self) -> PResult<Vec<Value>> {
        let mut docs = Vec::new();
        loop {
            self.skip_to_content()?;
            // directives
            while self.pos == self.line_start && self.peek() == Some(b'%') {
                while self.peek().is_some_and(|c| c != b'\n') {
                    self.pos += 1;
                }
                self.skip_to_content()?;
            }
            if self.eof() {
                break;
            }
            if self.at_document_marker() && self.s[self.pos..].starts_with(b"...") {
                // a document end marker with no document
                self.pos += 3;
                self.expect_line_end("a document end marker")?;
                continue;
            }
            let value = if self.at_document_marker() {
                self.pos += 3;
                self.node(-1, Ctx::Block, true)?
            } else {
                self.node(-1, Ctx::Block, false)?
            };
            docs.push(value);
            self.skip_to_content()?;
            if self.eof() {
                break;
            }
            if self.at_document_marker() {
                if self.s[self.pos..].starts_with(b"...") {
                    self.pos += 3;
                    self.expect_line_end("a document end marker")?;
                }
                continue;
            }
            return self.err("unexpected content after the document (check the indentation)");
        }
        Ok(docs)
    }

    // ---- block nodes -------------------------------------------------------------------------

    /// Node properties (`&anchor`, `!tag`, in any order) at the current position; returns
    /// whether any were found here.
    fn properties(&mut self, props: &mut Props) -> PResult<bool> {
        let mut found = false;
        loop {
            match self.peek() {
                Some(b'&') if props.anchor.is_none() => {
                    self.pos += 1;
                    props.anchor = Some(self.name("anchor")?);
                }
                Some(b'!') if props.tag.is_none() => props.tag = Some(self.tag()?),
                _ => break,
            }
            found = true;
            self.skip_inline_ws();
        }
        Ok(found)
    }

    /// A node whose parent collection is indented `parent` (-1 at the top). `inline`: the node
    /// may start on the current line (after `key:`, `- ` or `---`).
    fn node(&mut self, parent: isize, ctx: Ctx, inline: bool) -> PResult<Value> {
        if inline {
            self.skip_inline_ws();
        }
        let mut props = Props::default();
        let mut ctx = ctx;
        let value = loop {
            // a mapping whose first key carries properties is indented where they start
            let line_col = self.col();
            let here = self.properties(&mut props)?;
            if !matches!(self.peek(), None | Some(b'\n') | Some(b'#')) {
                let indent = if here { line_col } else { self.col() };
                break self.block_content(parent, ctx, &mut props, here, indent)?;
            }
            // nothing more on this line: the content, if any, starts below
            self.expect_line_end("a node")?;
            let saved = self.save();
            self.skip_to_content()?;
            let c = self.col() as isize;
            if self.eof() || self.at_document_marker() {
                self.restore(saved);
                break Value::Null;
            }
            if c > parent {
                ctx = Ctx::Block;
                continue;
            }
            if c == parent && ctx == Ctx::AfterKey && self.at_seq_entry() {
                // `key:` followed by a sequence at the key's own indentation
                break self.block_seq(c as usize)?;
            }
            self.restore(saved);
            break Value::Null;
        };
        let value = apply_tag(props.tag.as_deref(), value);
        if let Some(name) = props.anchor {
            self.anchors.insert(name, value.clone());
        }
        Ok(value)
    }

    /// Properties written on the same line as an implicit key belong to the key: records the
    /// key's anchor and leaves the properties empty for the mapping.
    fn key_properties(&mut self, props: &mut Props, key: &str) {
        let taken = std::mem::take(props);
        if let Some(name) = taken.anchor {
            self.anchors.insert(name, Value::Str(key.to_owned()));
        }
    }

    /// Why a plain scalar may not start here, if it may not.
    fn plain_start_error(&self, flow: bool) -> Option<String> {
        let c = self.peek()?;
        let next_is_space = self.peek_at(1).map_or(true, |n| {
            is_ws(n) || n == b'\n' || (flow && is_flow_indicator(n))
        });
        match c {
            b'|' | b'>' => Some(format!(
                "plain value cannot start with block scalar indicator {}",
                c as char
            )),
            b'@' | b'`' => Some(format!(
                "plain value cannot start with reserved character {}",
                c as char
            )),
            b'%' => Some("plain value cannot start with directive indicator character %".into()),
            b',' | b'[' | b']' | b'{' | b'}' => Some(format!(
                "plain value cannot start with flow indicator character {}",
                c as char
            )),
            b'#' => Some("plain value cannot start with #".into()),
            b'-' | b'?' | b':' if next_is_space => {
                Some(format!("unexpected indicator {}", c as char))
            }
            _ => None,
        }
    }

    /// Block content starting at the current position (its column is the node's indentation).
    fn block_content(
        &mut self,
        parent: isize,
        ctx: Ctx,
        props: &mut Props,
        props_here: bool,
        indent: usize,
    ) -> PResult<Value> {
        let start = self.pos;
        match self.peek() {
            Some(b'-') if self.at_seq_entry() => {
                if ctx == Ctx::AfterKey {
                    return self
                        .err("a block sequence may not start on the same line as its mapping key");
                }
                if props_here {
                    return self.err("missing line break after the properties of a block sequence");
                }
                self.block_seq(indent)
            }
            Some(b'[' | b'{') => {
                let v = self.flow_node()?;
                self.skip_inline_ws();
                if self.peek() == Some(b':')
                    && self.peek_at(1).map_or(true, |c| is_ws(c) || c == b'\n')
                {
                    return self.err_at(start, "collections as mapping keys are not supported");
                }
                self.expect_line_end("a flow collection")?;
                Ok(v)
            }
            Some(b'|' | b'>') => Ok(Value::Str(self.block_scalar(parent)?)),
            Some(b'*') => {
                let v = self.alias()?;
                self.skip_inline_ws();
                if self.peek() == Some(b':') {
                    return self.err_at(start, "aliases as mapping keys are not supported");
                }
                self.expect_line_end("an alias")?;
                Ok(v)
            }
            Some(b'?') if self.peek_at(1).map_or(true, |c| is_ws(c) || c == b'\n') => {
                self.err("complex mapping keys (`? key`) are not supported")
            }
            Some(q @ (b'"' | b'\'')) => {
                let text = if q == b'"' {
                    self.double_quoted()?
                } else {
                    self.single_quoted()?
                };
                let after = self.save();
                self.skip_inline_ws();
                if self.is_key_indicator() {
                    if ctx == Ctx::AfterKey {
                        return self
                            .err_at(start, "nested mappings are not allowed in compact mappings");
                    }
                    if self.line_of(start) != self.line {
                        return self.err_at(start, "implicit keys need to be on a single line");
                    }
                    if props_here {
                        self.key_properties(props, &text);
                    }
                    return self.block_map(indent, Some((text, start)));
                }
                self.restore(after);
                self.expect_line_end("a quoted scalar")?;
                Ok(Value::Str(text))
            }
            _ => {
                if let Some(message) = self.plain_start_error(false) {
                    return self.err(message);
                }
                let (first, stopped_at_key) = self.plain_line(false);
                if stopped_at_key {
                    if ctx == Ctx::AfterKey {
                        return self
                            .err_at(start, "nested mappings are not allowed in compact mappings");
                    }
                    let key = key_string(resolve_plain(Cow::Borrowed(first)));
                    if props_here {
                        self.key_properties(props, &key);
                    }
                    return self.block_map(indent, Some((key, start)));
                }
                let text = self.plain_continuation(first, parent)?;
                Ok(if props.tag.is_some() {
                    Value::Str(text.into_owned())
                } else {
                    resolve_plain(text)
                })
            }
        }
    }

    fn line_of(&self, pos: usize) -> usize {
        self.s[..pos].iter().filter(|&&c| c == b'\n').count()
    }

    /// `:` followed by a blank, a line break or the end.
    fn is_key_indicator(&self) -> bool {
        self.peek() == Some(b':') && self.peek_at(1).map_or(true, |c| is_ws(c) || c == b'\n')
    }

    fn block_map(&mut self, indent: usize, first: Option<(String, usize)>) -> PResult<Value> {
        let mut entries: Vec<(String, Value)> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut pending = first;
        loop {
            let (key, key_pos) = match pending.take() {
                Some(k) => k,
                None => self.block_key()?,
            };
            // at the ':' of the key
            if !self.is_key_indicator() {
                return self.err("expected ':' after a mapping key");
            }
            self.pos += 1;
            let value = self.node(indent as isize, Ctx::AfterKey, true)?;
            if is_duplicate(&entries, &mut seen, &key) {
                return self.err_at(
                    key_pos,
                    format!("map keys must be unique: \"{key}\" appears twice"),
                );
            }
            entries.push((key, value));
            self.skip_to_content()?;
            if self.eof() || self.at_document_marker() {
                break;
            }
            let c = self.col();
            if c < indent {
                break;
            }
            if c > indent {
                return self.err("bad indentation of a mapping entry (all keys of a mapping start at the same column)");
            }
            if self.at_seq_entry() {
                return self.err("a sequence entry is not allowed here: the mapping at this indentation expects a key");
            }
        }
        Ok(Value::Map(entries))
    }

    /// A block mapping key at the current position: quoted or plain, on one line. Leaves the
    /// position at the `:` (after blanks).
    fn block_key(&mut self) -> PResult<(String, usize)> {
        let start = self.pos;
        let key = match self.peek() {
            Some(b'"') => self.double_quoted()?,
            Some(b'\'') => self.single_quoted()?,
            Some(b'[' | b'{') => return self.err("collections as mapping keys are not supported"),
            Some(b'?') if self.peek_at(1).map_or(true, |c| is_ws(c) || c == b'\n') => {
                return self.err("complex mapping keys (`? key`) are not supported");
            }
            Some(b'*') => return self.err("aliases as mapping keys are not supported"),
            Some(b'&' | b'!') => {
                let mut props = Props::default();
                self.properties(&mut props)?;
                if matches!(self.peek(), Some(b'&' | b'!' | b'\n' | b'#') | None) {
                    return self.err("expected a mapping key after its properties");
                }
                let (key, pos) = self.block_key()?;
                self.key_properties(&mut props, &key);
                return Ok((key, pos));
            }
            _ => {
                if let Some(message) = self.plain_start_error(false) {
                    return self.err(message);
                }
                let (text, at_key) = self.plain_line(false);
                if !at_key {
                    return self.err_at(self.pos, "expected ':' after a mapping key");
                }
                return Ok((key_string(resolve_plain(Cow::Borrowed(text))), start));
            }
        };
        self.skip_inline_ws();
        Ok((key, start))
    }

    fn block_seq(&mut self, indent: usize) -> PResult<Value> {
        let mut items = Vec::new();
        loop {
            // at '-'
            self.pos += 1;
            items.push(self.node(indent as isize, Ctx::Block, true)?);
            self.skip_to_content()?;
            if self.eof() || self.at_document_marker() {
                break;
            }
            let c = self.col();
            if c < indent {
                break;
            }
            if c > indent {
                return self.err("bad indentation of a sequence entry");
            }
            if !self.at_seq_entry() {
                break;
            }
        }
        Ok(Value::Seq(items))
    }

    // ---- scalars ----------------------------------------------------------------------------

    /// One line of a plain scalar from the current position. Returns the text (trailing blanks
    /// trimmed) and whether it stopped at a `: ` key indicator (then the position is at ':').
    fn plain_line(&mut self, flow: bool) -> (&'s str, bool) {
        let start = self.pos;
        let s = self.s;
        let mut at_key = false;
        while let Some(c) = self.peek() {
            match c {
                b'\n' => break,
                b':' => {
                    let next = self.peek_at(1);
                    if next.map_or(true, |n| {
                        is_ws(n) || n == b'\n' || (flow && is_flow_indicator(n))
                    }) {
                        at_key = true;
                        break;
                    }
                }
                b'#' if self.pos > start && is_ws(s[self.pos - 1]) => break,
                c if flow && is_flow_indicator(c) => break,
                _ => {}
            }
            self.pos += 1;
        }
        let mut end = self.pos;
        while end > start && is_ws(s[end - 1]) {
            end -= 1;
        }
        // the cut points are ASCII bytes, hence character boundaries
        let text = self.src.get(start..end).unwrap_or("");
        (text, at_key)
    }

    /// Continuation lines of a block plain scalar: lines indented more than `parent`, folded.
    fn plain_continuation(&mut self, first: &'s str, parent: isize) -> PResult<Cow<'s, str>> {
        let mut text = Cow::Borrowed(first);
        loop {
            if self.peek() != Some(b'\n') {
                break;
            }
            let saved = self.save();
            let mut empty = 0usize;
            self.bump();
            loop {
                let rest = &self.s[self.pos..];
                let spaces = rest.iter().take_while(|&&c| is_ws(c)).count();
                if rest.get(spaces) == Some(&b'\n') {
                    empty += 1;
                    self.pos += spaces;
                    self.bump();
                    continue;
                }
                break;
            }
            let spaces = self.s[self.pos..]
                .iter()
                .take_while(|&&c| c == b' ')
                .count();
            let content = self.s.get(self.pos + spaces).copied();
            if self.eof()
                || (spaces as isize) <= parent
                || matches!(content, None | Some(b'#'))
                || (spaces == 0 && self.at_document_marker())
            {
                self.restore(saved);
                break;
            }
            self.pos += spaces;
            self.skip_inline_ws();
            let piece_start = self.pos;
            let (piece, at_key) = self.plain_line(false);
            if at_key {
                return self.err_at(
                    piece_start,
                    "implicit keys need to be on a single line (a plain scalar continues here)",
                );
            }
            let t = text.to_mut();
            if empty == 0 {
                t.push(' ');
            } else {
                t.extend(std::iter::repeat('\n').take(empty));
            }
            t.push_str(piece);
        }
        Ok(text)
    }

    fn double_quoted(&mut self) -> PResult<String> {
        let start = self.pos;
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        // length of `out` not counting unescaped trailing blanks (they are dropped at a fold)
        let mut keep = 0usize;
        loop {
            let Some(c) = self.peek() else {
                return self.err_at(start, "missing closing \" quote");
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return self.err_at(start, "missing closing \" quote");
                    };
                    self.pos += 1;
                    let simple: Option<&[u8]> = match e {
                        b'0' => Some(b"\0"),
                        b'a' => Some(b"\x07"),
                        b'b' => Some(b"\x08"),
                        b't' | b'\t' => Some(b"\t"),
                        b'n' => Some(b"\n"),
                        b'v' => Some(b"\x0b"),
                        b'f' => Some(b"\x0c"),
                        b'r' => Some(b"\r"),
                        b'e' => Some(b"\x1b"),
                        b' ' => Some(b" "),
                        b'"' => Some(b"\""),
                        b'/' => Some(b"/"),
                        b'\\' => Some(b"\\"),
                        b'N' => Some("\u{85}".as_bytes()),
                        b'_' => Some("\u{a0}".as_bytes()),
                        b'L' => Some("\u{2028}".as_bytes()),
                        b'P' => Some("\u{2029}".as_bytes()),
                        _ => None,
                    };
                    if let Some(bytes) = simple {
                        out.extend_from_slice(bytes);
                    } else if e == b'\n' {
                        // escaped line break: join with the next line, its indentation dropped
                        self.pos -= 1;
                        self.bump();
                        self.skip_inline_ws();
                    } else {
                        let digits = match e {
                            b'x' => 2,
                            b'u' => 4,
                            b'U' => 8,
                            _ => {
                                return self.err_at(
                                    self.pos - 2,
                                    format!("invalid escape sequence \\{}", e as char),
                                )
                            }
                        };
                        let hex = self.s.get(self.pos..self.pos + digits).unwrap_or(b"");
                        let code = std::str::from_utf8(hex).ok().filter(|h| {
                            h.len() == digits && h.bytes().all(|b| b.is_ascii_hexdigit())
                        });
                        let Some(code) = code.and_then(|h| u32::from_str_radix(h, 16).ok()) else {
                            return self.err_at(
                                self.pos - 2,
                                "invalid escape sequence: expected hexadecimal digits",
                            );
                        };
                        self.pos += digits;
                        let ch = char::from_u32(code).unwrap_or('\u{fffd}');
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    }
                    keep = out.len();
                }
                b'\n' => {
                    out.truncate(keep);
                    self.fold_lines(&mut out)?;
                    keep = out.len();
                }
                _ => {
                    out.push(c);
                    self.pos += 1;
                    if !is_ws(c) {
                        keep = out.len();
                    }
                }
            }
        }
        Ok(String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    fn single_quoted(&mut self) -> PResult<String> {
        let start = self.pos;
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        let mut keep = 0usize;
        loop {
            let Some(c) = self.peek() else {
                return self.err_at(start, "missing closing ' quote");
            };
            match c {
                b'\'' if self.peek_at(1) == Some(b'\'') => {
                    out.push(b'\'');
                    self.pos += 2;
                    keep = out.len();
                }
                b'\'' => {
                    self.pos += 1;
                    break;
                }
                b'\n' => {
                    out.truncate(keep);
                    self.fold_lines(&mut out)?;
                    keep = out.len();
                }
                _ => {
                    out.push(c);
                    self.pos += 1;
                    if !is_ws(c) {
                        keep = out.len();
                    }
                }
            }
        }
        Ok(String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// At a line break inside a quoted scalar: one break folds to a space, each empty line after
    /// it becomes a newline; the next line's leading blanks are dropped.
    fn fold_lines(&mut self, out: &mut Vec<u8>) -> PResult<()> {
        self.bump();
        let mut empty = 0usize;
        loop {
            self.skip_inline_ws();
            if self.peek() == Some(b'\n') {
                empty += 1;
                self.bump();
                continue;
            }
            break;
        }
        if self.pos == self.line_start && self.at_document_marker() {
            return self.err("a document marker is not allowed inside a quoted scalar");
        }
        if empty == 0 {
            out.push(b' ');
        } else {
            out.extend(std::iter::repeat(b'\n').take(empty));
        }
        Ok(())
    }

    /// A literal (`|`) or folded (`>`) block scalar; `parent` is the parent's indentation.
    fn block_scalar(&mut self, parent: isize) -> PResult<String> {
        let literal = self.peek() == Some(b'|');
        self.pos += 1;
        let mut chomp = b' ';
        let mut explicit: Option<usize> = None;
        for _ in 0..2 {
            match self.peek() {
                Some(c @ (b'-' | b'+')) if chomp == b' ' => {
                    chomp = c;
                    self.pos += 1;
                }
                Some(c @ b'1'..=b'9') if explicit.is_none() => {
                    explicit = Some((c - b'0') as usize);
                    self.pos += 1;
                }
                _ => break,
            }
        }
        let header_end = self.pos;
        self.skip_inline_ws();
        match self.peek() {
            None | Some(b'\n') => {}
            Some(b'#') if self.pos > header_end => self.skip_comment(),
            _ => return self.err("invalid block scalar header"),
        }
        if self.peek() == Some(b'\n') {
            self.bump();
        }
        let base = parent.max(-1);
        // content indentation: explicit, or that of the first non-empty line
        let indent = match explicit {
            Some(n) => (base + n as isize).max(0) as usize,
            None => {
                let mut p = self.pos;
                let mut max_empty = 0usize;
                loop {
                    let spaces = self.s[p..].iter().take_while(|&&c| c == b' ').count();
                    match self.s.get(p + spaces) {
                        Some(b'\n') => {
                            max_empty = max_empty.max(spaces);
                            p += spaces + 1;
                        }
                        None => break max_empty.max(spaces).max((base + 1) as usize),
                        Some(_) => {
                            if max_empty > spaces && spaces as isize > base {
                                return self.err_at(p, "leading empty lines of a block scalar may not be indented more than its first line");
                            }
                            break spaces;
                        }
                    }
                }
            }
        };
        let mut lines: Vec<&[u8]> = Vec::new();
        let mut ended_by_eof_without_newline = false;
        if indent as isize > base {
            loop {
                if self.eof() {
                    break;
                }
                let spaces = self.s[self.pos..]
                    .iter()
                    .take_while(|&&c| c == b' ')
                    .count();
                let after = self.s.get(self.pos + spaces).copied();
                if matches!(after, None | Some(b'\n')) {
                    // an empty line (blanks beyond the indentation are content in literal style)
                    let extra = if spaces > indent {
                        &self.s[self.pos + indent..self.pos + spaces]
                    } else {
                        &b""[..]
                    };
                    lines.push(extra);
                    self.pos += spaces;
                    if after.is_none() {
                        ended_by_eof_without_newline = true;
                        break;
                    }
                    self.bump();
                    continue;
                }
                if spaces < indent || (spaces == 0 && self.at_document_marker()) {
                    break;
                }
                if after == Some(b'\t') && spaces < indent {
                    break;
                }
                let start = self.pos + indent;
                let end = self.s[start..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(self.s.len(), |p| start + p);
                lines.push(&self.s[start..end]);
                self.pos = end;
                if self.eof() {
                    ended_by_eof_without_newline = true;
                    break;
                }
                self.bump();
            }
        }
        let _ = ended_by_eof_without_newline;
        // split off trailing empty lines
        let mut content_end = lines.len();
        while content_end > 0 && lines[content_end - 1].is_empty() {
            content_end -= 1;
        }
        let trailing = lines.len() - content_end;
        let body = &lines[..content_end];
        let mut out: Vec<u8> = Vec::new();
        if literal {
            for (i, l) in body.iter().enumerate() {
                if i > 0 {
                    out.push(b'\n');
                }
                out.extend_from_slice(l);
            }
        } else {
            let mut prev_more: Option<bool> = None; // None: no content line yet
            let mut empties = 0usize;
            for l in body {
                if l.is_empty() {
                    empties += 1;
                    continue;
                }
                let more = is_ws(l[0]);
                match prev_more {
                    None => out.extend(std::iter::repeat(b'\n').take(empties)),
                    Some(prev) => {
                        if !prev && !more {
                            if empties == 0 {
                                out.push(b' ');
                            } else {
                                out.extend(std::iter::repeat(b'\n').take(empties));
                            }
                        } else {
                            out.extend(std::iter::repeat(b'\n').take(empties + 1));
                        }
                    }
                }
                out.extend_from_slice(l);
                prev_more = Some(more);
                empties = 0;
            }
        }
        if !body.is_empty() {
            match chomp {
                b'-' => {}
                b'+' => out.extend(std::iter::repeat(b'\n').take(1 + trailing)),
                _ => out.push(b'\n'),
            }
        } else if chomp == b'+' {
            out.extend(std::iter::repeat(b'\n').take(trailing));
        }
        Ok(String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    // ---- anchors, aliases, tags --------------------------------------------------------------

    fn name(&mut self, what: &str) -> PResult<String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| !is_ws(c) && c != b'\n' && !is_flow_indicator(c))
        {
            self.pos += 1;
        }
        if self.pos == start {
            return self.err(format!("empty {what} name"));
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.pos]).into_owned())
    }

    fn tag(&mut self) -> PResult<String> {
        self.name("tag")
    }

    fn alias(&mut self) -> PResult<Value> {
        let start = self.pos;
        self.pos += 1;
        let name = self.name("alias")?;
        match self.anchors.get(&name) {
            Some(v) => Ok(v.clone()),
            None => self.err_at(
                start,
                format!("unresolved alias *{name} (the anchor must be set before the alias)"),
            ),
        }
    }

    // ---- flow collections --------------------------------------------------------------------

    fn skip_flow_space(&mut self) -> PResult<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'\n') => self.bump(),
                Some(b'#')
                    if self.pos == self.line_start
                        || is_ws(self.s[self.pos - 1])
                        || self.s[self.pos - 1] == b'\n' =>
                {
                    self.skip_comment()
                }
                _ => return Ok(()),
            }
        }
    }

    fn flow_node(&mut self) -> PResult<Value> {
        self.skip_flow_space()?;
        let mut anchor = None;
        let mut tag = None;
        loop {
            match self.peek() {
                Some(b'&') if anchor.is_none() => {
                    self.pos += 1;
                    anchor = Some(self.name("anchor")?);
                }
                Some(b'!') if tag.is_none() => tag = Some(self.tag()?),
                _ => break,
            }
            self.skip_flow_space()?;
        }
        let value = match self.peek() {
            None => return self.err("unexpected end of input in a flow collection"),
            Some(b'[') => self.flow_seq()?,
            Some(b'{') => self.flow_map()?,
            Some(b'"') => Value::Str(self.double_quoted()?),
            Some(b'\'') => Value::Str(self.single_quoted()?),
            Some(b'*') => self.alias()?,
            Some(c @ (b',' | b']' | b'}')) => {
                return self.err(format!("unexpected {} in a flow collection", c as char))
            }
            Some(_) => {
                if let Some(message) = self.plain_start_error(true) {
                    return self.err(message);
                }
                let text = self.flow_plain()?;
                if tag.is_some() {
                    Value::Str(text)
                } else {
                    resolve_plain(Cow::Owned(text))
                }
            }
        };
        let value = apply_tag(tag.as_deref(), value);
        if let Some(name) = anchor {
            self.anchors.insert(name, value.clone());
        }
        Ok(value)
    }

    /// A plain scalar in a flow collection; it may continue on following lines (folded).
    fn flow_plain(&mut self) -> PResult<String> {
        let (first, _) = self.plain_line(true);
        let mut text = first.to_owned();
        loop {
            if self.peek() != Some(b'\n') {
                break;
            }
            let saved = self.save();
            let mut empty = 0usize;
            self.bump();
            loop {
                self.skip_inline_ws();
                if self.peek() == Some(b'\n') {
                    empty += 1;
                    self.bump();
                } else {
                    break;
                }
            }
            match self.peek() {
                None | Some(b',' | b'[' | b']' | b'{' | b'}' | b'#') => {
                    self.restore(saved);
                    break;
                }
                Some(b':')
                    if self
                        .peek_at(1)
                        .map_or(true, |n| is_ws(n) || n == b'\n' || is_flow_indicator(n)) =>
                {
                    self.restore(saved);
                    break;
                }
                _ => {}
            }
            let (piece, _) = self.plain_line(true);
            if empty == 0 {
                text.push(' ');
            } else {
                text.extend(std::iter::repeat('\n').take(empty));
            }
            text.push_str(piece);
        }
        Ok(text)
    }

    fn flow_seq(&mut self) -> PResult<Value> {
        let open = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_flow_space()?;
            match self.peek() {
                None => return self.err_at(open, "flow sequence is missing its closing ]"),
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            let item_start = self.pos;
            let item = self.flow_node()?;
            self.skip_flow_space()?;
            if self.peek() == Some(b':') {
                return self.err_at(
                    item_start,
                    "single-pair mappings inside flow sequences are not supported",
                );
            }
            items.push(item);
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                None => return self.err_at(open, "flow sequence is missing its closing ]"),
                Some(_) => return self.err("expected ',' or ']' in a flow sequence"),
            }
        }
        Ok(Value::Seq(items))
    }

    fn flow_map(&mut self) -> PResult<Value> {
        let open = self.pos;
        self.pos += 1;
        let mut entries: Vec<(String, Value)> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        loop {
            self.skip_flow_space()?;
            match self.peek() {
                None => return self.err_at(open, "flow mapping is missing its closing }"),
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            let key_pos = self.pos;
            let key = match self.peek() {
                Some(b'[' | b'{') => {
                    return self.err("collections as mapping keys are not supported")
                }
                Some(b'?') if self.peek_at(1).map_or(true, |c| is_ws(c) || c == b'\n') => {
                    return self.err("complex mapping keys (`? key`) are not supported");
                }
                _ => key_string(self.flow_node()?),
            };
            self.skip_flow_space()?;
            let value = if self.peek() == Some(b':') {
                self.pos += 1;
                self.skip_flow_space()?;
                if matches!(self.peek(), Some(b',' | b'}')) {
                    Value::Null
                } else {
                    self.flow_node()?
                }
            } else {
                Value::Null
            };
            if is_duplicate(&entries, &mut seen, &key) {
                return self.err_at(
                    key_pos,
                    format!("map keys must be unique: \"{key}\" appears twice"),
                );
            }
            entries.push((key, value));
            self.skip_flow_space()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                None => return self.err_at(open, "flow mapping is missing its closing }"),
                Some(_) => return self.err("expected ',' or '}' in a flow mapping"),
            }
        }
        Ok(Value::Map(entries))
    }
}

/// Whether `key` is already among `entries`: a linear scan for small mappings, a hash set once
/// a mapping grows past 16 keys (`seen` then holds every key).
fn is_duplicate(entries: &[(String, Value)], seen: &mut HashSet<String>, key: &str) -> bool {
    if entries.len() < 16 {
        return entries.iter().any(|(k, _)| k == key);
    }
    if seen.is_empty() {
        seen.extend(entries.iter().map(|(k, _)| k.clone()));
    }
    !seen.insert(key.to_owned())
}

/// `!!str` makes a scalar a string; other tags leave the value (the `yaml` package resolves an
/// unknown tag's scalar as a string, which the callers do by not resolving tagged plain text).
fn apply_tag(tag: Option<&str>, value: Value) -> Value {
    match (tag, value) {
        (Some("!!str"), Value::Null) => Value::Str(String::new()),
        (Some("!!str"), Value::Bool(b)) => Value::Str(b.to_string()),
        (Some("!!str"), Value::Num(n)) => Value::Str(js_number_string(n)),
        (Some("!!int" | "!!float"), Value::Str(s)) => match resolve_plain(Cow::Borrowed(&s)) {
            Value::Num(n) => Value::Num(n),
            _ => Value::Str(s),
        },
        (Some("!!bool" | "!!null"), Value::Str(s)) => match resolve_plain(Cow::Borrowed(&s)) {
            v @ (Value::Bool(_) | Value::Null) => v,
            _ => Value::Str(s),
        },
        (_, v) => v,
    }
}

/// A key's JavaScript property name, as `String(value)` gives it (null → "").
fn key_string(v: Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Num(n) => js_number_string(n),
        Value::Str(s) => s,
        Value::Seq(_) | Value::Map(_) => String::from("[object]"),
    }
}

// ---------------------------------------------------------------------------------------------
// Core schema resolution of plain scalars (the `yaml` package's core tags, same tests, same order)

fn all(s: &[u8], f: fn(u8) -> bool) -> bool {
    !s.is_empty() && s.iter().all(|&c| f(c))
}

fn strip_sign(s: &[u8]) -> &[u8] {
    match s.first() {
        Some(b'-' | b'+') => &s[1..],
        _ => s,
    }
}

/// `[0-9]+(\.[0-9]*)?` or `\.[0-9]+` (`dot_required`: the dot must be there).
fn is_decimal(s: &[u8], dot_required: bool) -> bool {
    match s.iter().position(|&c| c == b'.') {
        None => !dot_required && all(s, |c| c.is_ascii_digit()),
        Some(d) => {
            let (int, frac) = (&s[..d], &s[d + 1..]);
            int.iter().all(|c| c.is_ascii_digit())
                && frac.iter().all(|c| c.is_ascii_digit())
                && !(int.is_empty() && frac.is_empty())
        }
    }
}

fn radix_value(digits: &[u8], radix: u32) -> f64 {
    let mut acc: u128 = 0;
    let mut overflow = false;
    for &c in digits {
        let d = (c as char).to_digit(radix).unwrap_or(0) as u128;
        match acc
            .checked_mul(radix as u128)
            .and_then(|a| a.checked_add(d))
        {
            Some(a) => acc = a,
            None => {
                overflow = true;
                break;
            }
        }
    }
    if !overflow {
        return acc as f64;
    }
    digits.iter().fold(0f64, |a, &c| {
        a * radix as f64 + (c as char).to_digit(radix).unwrap_or(0) as f64
    })
}

fn parse_f64(s: &str) -> f64 {
    // Rust's parser accepts "1.", ".5", "1.e3" like JavaScript's parseFloat does for these forms
    s.parse::<f64>().unwrap_or(f64::NAN)
}

/// The value of a plain scalar under the YAML 1.2 core schema.
pub fn resolve_plain(text: Cow<'_, str>) -> Value {
    let s = text.as_bytes();
    match text.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Value::Num(f64::NAN),
        _ => {}
    }
    if s.len() > 2 && s.starts_with(b"0o") && all(&s[2..], |c| (b'0'..=b'7').contains(&c)) {
        return Value::Num(radix_value(&s[2..], 8));
    }
    let unsigned = strip_sign(s);
    if all(unsigned, |c| c.is_ascii_digit()) {
        return Value::Num(parse_f64(&text));
    }
    if s.len() > 2 && s.starts_with(b"0x") && all(&s[2..], |c| c.is_ascii_hexdigit()) {
        return Value::Num(radix_value(&s[2..], 16));
    }
    if matches!(unsigned, b".inf" | b".Inf" | b".INF") {
        return Value::Num(if s[0] == b'-' {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if let Some(e) = unsigned.iter().position(|&c| c == b'e' || c == b'E') {
        let (mantissa, exp) = (&unsigned[..e], &unsigned[e + 1..]);
        if is_decimal(mantissa, false) && all(strip_sign(exp), |c| c.is_ascii_digit()) {
            return Value::Num(parse_f64(&text));
        }
        return Value::Str(text.into_owned());
    }
    if is_decimal(unsigned, true) {
        return Value::Num(parse_f64(&text));
    }
    Value::Str(text.into_owned())
}

/// JavaScript's Number.prototype.toString() for finite and non-finite doubles.
pub fn js_number_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if n == 0.0 {
        return "0".into();
    }
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        return (n as i64).to_string();
    }
    if n.fract() == 0.0 && n.abs() < 1e21 {
        return format!("{n:.0}");
    }
    // shortest round-trip digits and exponent from Rust's `{:e}` (d.ddde±x)
    let sci = format!("{:e}", n.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let e: i32 = exp.parse().unwrap_or(0);
    let point = e + 1; // value = 0.digits × 10^point
    let sign = if n < 0.0 { "-" } else { "" };
    let body = if k <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - k) as usize))
    } else if 0 < point && point <= 21 {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let exp = point - 1;
        let exp_sign = if exp < 0 { '-' } else { '+' };
        if k == 1 {
            format!("{digits}e{exp_sign}{}", exp.abs())
        } else {
            format!("{}.{}e{exp_sign}{}", &digits[..1], &digits[1..], exp.abs())
        }
    };
    format!("{sign}{body}")
}

// ---------------------------------------------------------------------------------------------
// Output: JSON text (for JSON.parse) or JavaScript values through Node-API

/// Writes the documents as one JSON array. Returns false when a value has no JSON form
/// (NaN, ±Infinity): the caller then builds the values directly instead.
pub fn write_json(docs: &[Value], out: &mut String) -> bool {
    out.push('[');
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if !write_value(d, out) {
            return false;
        }
    }
    out.push(']');
    true
}

fn write_value(v: &Value, out: &mut String) -> bool {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Num(n) => {
            if !n.is_finite() {
                return false;
            }
            if *n == 0.0 && n.is_sign_negative() {
                out.push_str("-0");
            } else {
                out.push_str(&js_number_string(*n));
            }
        }
        Value::Str(s) => write_string(s, out),
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !write_value(item, out) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (k, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                if !write_value(item, out) {
                    return false;
                }
            }
            out.push('}');
        }
    }
    true
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.push_str(&s[last..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => out.push_str(&format!("\\u{b:04x}")),
        }
        last = i + 1;
    }
    out.push_str(&s[last..]);
    out.push('"');
}

fn to_js<'a>(env: &'a Env, v: &Value) -> JsResult<'a> {
    match v {
        Value::Null => env.create_null(),
        Value::Bool(b) => env.create_bool(*b),
        Value::Num(n) => env.create_f64(*n),
        Value::Str(s) => env.create_string(s),
        Value::Seq(items) => {
            let arr = env.create_array(items.len())?;
            for (i, item) in items.iter().enumerate() {
                let value = to_js(env, item)?;
                env.set_element(arr, i as u32, value)?;
            }
            Ok(arr)
        }
        Value::Map(entries) => {
            let obj = env.create_object()?;
            for (k, item) in entries {
                let value = to_js(env, item)?;
                env.set_property(obj, k, value)?;
            }
            Ok(obj)
        }
    }
}

fn parse_for_js(env_args: &CallArgs<'_>) -> Result<Vec<Value>, String> {
    let bytes = env_args.arg_bytes(0)?;
    let file = env_args.arg_string(1)?;
    let text = String::from_utf8_lossy(&bytes);
    parse_documents(&text).map_err(|e| format!("{file}:{}:{}: {}", e.line, e.col, e.message))
}

/// parseConfigJson(bytes: Uint8Array, file: string): string | null — the documents as one JSON
/// array text, or null when a value has no JSON form (NaN, ±Infinity; use parseConfigValues).
/// Throws `file:line:col: message` on a bad document.
pub fn js_parse_config_json<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let docs = parse_for_js(args)?;
    let mut out = String::new();
    if write_json(&docs, &mut out) {
        env.create_string(&out)
    } else {
        env.create_null()
    }
}

/// parseConfigValues(bytes: Uint8Array, file: string): unknown[] — the documents as JavaScript
/// values built through Node-API. Throws `file:line:col: message` on a bad document.
pub fn js_parse_config_values<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
    let docs = parse_for_js(args)?;
    let arr: JsValue<'a> = env.create_array(docs.len())?;
    for (i, d) in docs.iter().enumerate() {
        let v = to_js(env, d)?;
        env.set_element(arr, i as u32, v)?;
    }
    Ok(arr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }
    fn s(x: &str) -> Value {
        Value::Str(x.into())
    }
    fn n(x: f64) -> Value {
        Value::Num(x)
    }
    fn one(src: &str) -> Value {
        let mut docs = parse_documents(src).unwrap_or_else(|e| panic!("{src:?}: {e:?}"));
        assert_eq!(docs.len(), 1, "{src:?}");
        docs.remove(0)
    }
    fn error(src: &str) -> (usize, usize, String) {
        let e = parse_documents(src).expect_err(src);
        (e.line, e.col, e.message)
    }

    #[test]
    fn documents() {
        assert_eq!(parse_documents("").unwrap(), vec![]);
        assert_eq!(parse_documents("# only a comment\n").unwrap(), vec![]);
        assert_eq!(parse_documents("---\n").unwrap(), vec![Value::Null]);
        assert_eq!(
            parse_documents("a: 1\n---\nb: 2\n").unwrap(),
            vec![m(&[("a", n(1.0))]), m(&[("b", n(2.0))])]
        );
        assert_eq!(
            parse_documents("---\na: 1\n...\n---\n").unwrap(),
            vec![m(&[("a", n(1.0))]), Value::Null]
        );
        assert_eq!(
            parse_documents("%YAML 1.2\n---\na: 1\n").unwrap(),
            vec![m(&[("a", n(1.0))])]
        );
        assert_eq!(parse_documents("--- text\n").unwrap(), vec![s("text")]);
    }

    #[test]
    fn core_schema() {
        let v = one("a: 012\nb: 0x1F\nc: 0o17\nd: 1e3\ne: 1.\nf: .5\ng: -.5\nh: +7\ni: 12:30\nj: 1_000\nk: 0o\nl: True\nm: ~\nn: -0\no: .inf\np: 1e\n");
        let Value::Map(e) = v else { panic!() };
        let get = |k: &str| e.iter().find(|(key, _)| key == k).unwrap().1.clone();
        assert_eq!(get("a"), n(12.0));
        assert_eq!(get("b"), n(31.0));
        assert_eq!(get("c"), n(15.0));
        assert_eq!(get("d"), n(1000.0));
        assert_eq!(get("e"), n(1.0));
        assert_eq!(get("f"), n(0.5));
        assert_eq!(get("g"), n(-0.5));
        assert_eq!(get("h"), n(7.0));
        assert_eq!(get("i"), s("12:30"));
        assert_eq!(get("j"), s("1_000"));
        assert_eq!(get("k"), s("0o"));
        assert_eq!(get("l"), Value::Bool(true));
        assert_eq!(get("m"), Value::Null);
        assert!(matches!(get("n"), Value::Num(x) if x == 0.0 && x.is_sign_negative()));
        assert_eq!(get("o"), n(f64::INFINITY));
        assert_eq!(get("p"), s("1e"));
        assert_eq!(resolve_plain("1.e3".into()), n(1000.0));
        assert_eq!(resolve_plain(".5E-1".into()), n(0.05));
        assert_eq!(resolve_plain("-.inf".into()), n(f64::NEG_INFINITY));
        assert_eq!(resolve_plain("1.2.3".into()), s("1.2.3"));
    }

    #[test]
    fn keys_become_javascript_property_names() {
        assert_eq!(
            one("1: x\ntrue: y\n~: z\n1.50: w\n"),
            m(&[
                ("1", s("x")),
                ("true", s("y")),
                ("", s("z")),
                ("1.5", s("w"))
            ])
        );
        assert_eq!(js_number_string(1e21), "1e+21");
        assert_eq!(js_number_string(1.5e-7), "1.5e-7");
        assert_eq!(js_number_string(0.000001), "0.000001");
        assert_eq!(js_number_string(123.456), "123.456");
        assert_eq!(js_number_string(-2.5), "-2.5");
    }

    #[test]
    fn block_collections() {
        assert_eq!(
            one("- a\n-   b: 1\n    c: 2\n- - x\n  - y\n"),
            Value::Seq(vec![
                s("a"),
                m(&[("b", n(1.0)), ("c", n(2.0))]),
                Value::Seq(vec![s("x"), s("y")])
            ])
        );
        assert_eq!(
            one("x:\n- 1\n- 2\n"),
            m(&[("x", Value::Seq(vec![n(1.0), n(2.0)]))])
        );
        assert_eq!(
            one("k:\n  - a\n  -\n  - c\n"),
            m(&[("k", Value::Seq(vec![s("a"), Value::Null, s("c")]))])
        );
        assert_eq!(
            one("a:\n  b:\n  c: 1\n"),
            m(&[("a", m(&[("b", Value::Null), ("c", n(1.0))]))])
        );
        assert_eq!(
            one("key with spaces: v\n\"q k\": v2\n"),
            m(&[("key with spaces", s("v")), ("q k", s("v2"))])
        );
        assert_eq!(
            one("a: plain\n  continued\n"),
            m(&[("a", s("plain continued"))])
        );
    }

    #[test]
    fn flow_collections() {
        assert_eq!(
            one("k: [a, b, {c: d}, ]\n"),
            m(&[("k", Value::Seq(vec![s("a"), s("b"), m(&[("c", s("d"))])]))])
        );
        assert_eq!(
            one("k: {a, b: c}\n"),
            m(&[("k", m(&[("a", Value::Null), ("b", s("c"))]))])
        );
        assert_eq!(
            one("k: [a b, c:d, \"e\"]\n"),
            m(&[("k", Value::Seq(vec![s("a b"), s("c:d"), s("e")]))])
        );
        assert_eq!(
            one("k: [a,\n  b, c]\n"),
            m(&[("k", Value::Seq(vec![s("a"), s("b"), s("c")]))])
        );
        assert_eq!(
            one("{\"a\":1,\"b\":[true,null]}"),
            m(&[
                ("a", n(1.0)),
                ("b", Value::Seq(vec![Value::Bool(true), Value::Null]))
            ])
        );
        assert_eq!(
            one("list: [ ]\nmap: { }\n"),
            m(&[("list", Value::Seq(vec![])), ("map", m(&[]))])
        );
    }

    #[test]
    fn quoted_scalars() {
        assert_eq!(one("k: \"a\\tb\\u00e9\\x41\"\n"), m(&[("k", s("a\tbéA"))]));
        assert_eq!(one("k: 'it''s'\n"), m(&[("k", s("it's"))]));
        assert_eq!(
            one("a: \"multi\n  line\n\n  text\"\n"),
            m(&[("a", s("multi line\ntext"))])
        );
        assert_eq!(one("a: 'x\n\n  y'\n"), m(&[("a", s("x\ny"))]));
    }

    #[test]
    fn block_scalars() {
        assert_eq!(
            one("a: |\n  x\n  y\n\nb: >-\n  p\n  q\n\n  r\n"),
            m(&[("a", s("x\ny\n")), ("b", s("p q\nr"))])
        );
        assert_eq!(
            one("a: >\n  one\n  two\n\n    more\n    indented\n  back\n\n\nb: 1\n"),
            m(&[
                ("a", s("one two\n\n  more\n  indented\nback\n")),
                ("b", n(1.0))
            ])
        );
        assert_eq!(
            one("a: |+\n  x\n\n\nb: |-\n  y\n\n"),
            m(&[("a", s("x\n\n\n")), ("b", s("y"))])
        );
        assert_eq!(one("a: |\n\n  x\n"), m(&[("a", s("\nx\n"))]));
        assert_eq!(one("a: >2\n   x\n  y\n"), m(&[("a", s(" x\ny\n"))]));
        assert_eq!(
            one("a: |\n  keep  \n  trailing\t\n"),
            m(&[("a", s("keep  \ntrailing\t\n"))])
        );
    }

    #[test]
    fn anchors_tags_comments() {
        assert_eq!(
            one("- &a {x: 1}\n- *a\n"),
            Value::Seq(vec![m(&[("x", n(1.0))]), m(&[("x", n(1.0))])])
        );
        assert_eq!(
            one("a: !Ref foo\nb: !Ref 12\nc: !!int \"12\"\nd: !!str 12\n"),
            m(&[
                ("a", s("foo")),
                ("b", s("12")),
                ("c", n(12.0)),
                ("d", s("12"))
            ])
        );
        assert_eq!(
            one("x: 1 # c\n# full\ny: 2\n"),
            m(&[("x", n(1.0)), ("y", n(2.0))])
        );
        assert_eq!(one("a: x#y\n"), m(&[("a", s("x#y"))]));
        assert_eq!(one("a:\tb\n"), m(&[("a", s("b"))]));
    }

    #[test]
    fn comments_after_indicators_and_properties_on_keys() {
        assert_eq!(
            parse_documents("--- # first\na: 1\n--- # second\nb: # empty\n").unwrap(),
            vec![m(&[("a", n(1.0))]), m(&[("b", Value::Null)])]
        );
        assert_eq!(
            one("a: # the value is below\n  b: 1\n"),
            m(&[("a", m(&[("b", n(1.0))]))])
        );
        assert_eq!(
            one("!!str a: 1\nb: 2\n"),
            m(&[("a", n(1.0)), ("b", n(2.0))])
        );
        assert_eq!(
            one("x:\n  &k a: 1\n  b: *k\n"),
            m(&[("x", m(&[("a", n(1.0)), ("b", s("a"))]))])
        );
        assert_eq!(
            one("a: &m\n  b: 1\nc: *m\n"),
            m(&[("a", m(&[("b", n(1.0))])), ("c", m(&[("b", n(1.0))]))])
        );
    }

    #[test]
    fn errors_have_line_and_column() {
        assert_eq!(
            error("a: 1\n|b: 2\n"),
            (
                2,
                1,
                "plain value cannot start with block scalar indicator |".into()
            )
        );
        assert_eq!(error("k: [a, , b]\n").1, 8);
        assert_eq!(error("a: 1\na: 2\n").0, 2);
        assert_eq!(error("a: 1\n b: 2\n").0, 2);
        assert_eq!(
            error("a: b: c\n"),
            (
                1,
                4,
                "nested mappings are not allowed in compact mappings".into()
            )
        );
        assert_eq!(error("a: [1, 2\n").0, 1);
        assert_eq!(error("a: \"x\n"), (1, 4, "missing closing \" quote".into()));
        assert_eq!(
            error("\ta: 1\n"),
            (1, 1, "tabs are not allowed as indentation".into())
        );
        assert_eq!(error("a: @x\n").1, 4);
        assert_eq!(error("a: *x\n").0, 1);
        assert_eq!(error("b: \"y\"#z\n").1, 7);
        assert_eq!(error("a:\n  b: 1\n c: 2\n").0, 3);
        assert_eq!(error("a: 1\nb: - x\n").0, 2);
    }

    #[test]
    fn json_output() {
        let docs = parse_documents("a: \"q\\\"\\\\\\n\\u0001\"\nb: [1.5, -0, 1e21]\n").unwrap();
        let mut out = String::new();
        assert!(write_json(&docs, &mut out));
        assert_eq!(out, r#"[{"a":"q\"\\\n\u0001","b":[1.5,-0,1e+21]}]"#);
        let mut out = String::new();
        assert!(!write_json(
            &parse_documents("a: .nan\n").unwrap(),
            &mut out
        ));
    }
}
