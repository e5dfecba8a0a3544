//! A small JSON parser that remembers where each value and key starts: the positions every reader of JSON
//! into Terraform bodies reports (`.tf.json` files, plan files).

/// A JSON value and the byte offset where it starts.
#[derive(Debug)]
pub(crate) struct Node {
    pub offset: usize,
    pub value: Json,
}

/// An object's members in document order: key, the byte offset of the key, value.
pub(crate) type Entries = Vec<(String, usize, Node)>;

#[derive(Debug)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(::hcl::Number),
    String(String),
    Array(Vec<Node>),
    Object(Entries),
}

impl Node {
    /// The member `key` of an object, with the offset of its key.
    pub(crate) fn member(&self, key: &str) -> Option<(usize, &Node)> {
        match &self.value {
            Json::Object(entries) => entries.iter().find(|(k, _, _)| k == key).map(|(_, o, v)| (*o, v)),
            _ => None,
        }
    }

    pub(crate) fn items(&self) -> &[Node] {
        match &self.value {
            Json::Array(items) => items,
            _ => &[],
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses a whole JSON document; an error is the byte offset and what is wrong there.
/// How deeply JSON may nest (objects and arrays) for infra to read it: deeper than serde_json's default of 128,
/// which Terraform's plans of deeply nested values pass, and shallow enough for the recursive readers' stacks.
pub(crate) const MAX_DEPTH: usize = 512;

pub(crate) fn parse(text: &str) -> Result<Node, (usize, String)> {
    Parser {
        text,
        pos: 0,
        keep: None,
    }
    .document()
}

/// Parses a JSON document whose top level is an object, building nodes only for the top-level members named
/// in `keep` (the others are scanned, not kept: a large plan's other sections cost no memory).
pub(crate) fn parse_members(text: &str, keep: &[&str]) -> Result<Node, (usize, String)> {
    Parser {
        text,
        pos: 0,
        keep: Some(keep),
    }
    .document()
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    /// Top-level members to keep (`None`: all).
    keep: Option<&'a [&'a str]>,
}

type ParseResult<T> = Result<T, (usize, String)>;

impl Parser<'_> {
    fn document(mut self) -> ParseResult<Node> {
        self.ws();
        if self.pos >= self.text.len() {
            return Err((self.pos, "empty file: expected a JSON object".into()));
        }
        let node = self.value(0)?;
        self.ws();
        if self.pos < self.text.len() {
            return Err((self.pos, "unexpected text after the JSON value".into()));
        }
        Ok(node)
    }

    fn ws(&mut self) {
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() && matches!(bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn expect(&mut self, c: u8) -> ParseResult<()> {
        self.ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err((self.pos, format!("expected `{}`{}", c as char, self.found())))
        }
    }

    fn found(&self) -> String {
        // `get`, not indexing: a position that is not a character boundary must not panic.
        match self.text.get(self.pos..).and_then(|rest| rest.chars().next()) {
            Some(c) => format!(", found `{c}`"),
            None => ", found the end of the file (is it truncated?)".into(),
        }
    }

    fn value(&mut self, depth: usize) -> ParseResult<Node> {
        if depth > MAX_DEPTH {
            return Err((self.pos, "JSON nested too deeply".into()));
        }
        self.ws();
        let offset = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Json::String(self.string()?),
            Some(b't') if self.text[self.pos..].starts_with("true") => {
                self.pos += 4;
                Json::Bool(true)
            }
            Some(b'f') if self.text[self.pos..].starts_with("false") => {
                self.pos += 5;
                Json::Bool(false)
            }
            Some(b'n') if self.text[self.pos..].starts_with("null") => {
                self.pos += 4;
                Json::Null
            }
            Some(b'-' | b'0'..=b'9') => self.number()?,
            None => return Err((self.pos, "unexpected end of file: the JSON is truncated".into())),
            Some(_) => return Err((self.pos, format!("expected a JSON value{}", self.found()))),
        };
        Ok(Node { offset, value })
    }

    /// An object, at its `{`: its members with their keys' offsets (at the top level, only those in `keep`).
    fn object(&mut self, depth: usize) -> ParseResult<Json> {
        self.pos += 1;
        let mut entries = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(entries));
        }
        loop {
            self.ws();
            let key_offset = self.pos;
            if self.peek() != Some(b'"') {
                return Err((self.pos, format!("expected a string key{}", self.found())));
            }
            let key = self.string()?;
            self.expect(b':')?;
            if depth == 0 && self.keep.is_some_and(|keep| !keep.contains(&key.as_str())) {
                self.skip()?;
            } else {
                let v = self.value(depth + 1)?;
                entries.push((key, key_offset, v));
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(entries));
                }
                _ => return Err((self.pos, format!("expected `,` or `}}`{}", self.found()))),
            }
        }
    }

    /// An array, at its `[`.
    fn array(&mut self, depth: usize) -> ParseResult<Json> {
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err((self.pos, format!("expected `,` or `]`{}", self.found()))),
            }
        }
    }

    /// A number, at its first character: an integer when it is one (`i64`, else `u64`), else a float.
    fn number(&mut self) -> ParseResult<Json> {
        let start = self.pos;
        while matches!(self.peek(), Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')) {
            self.pos += 1;
        }
        let text = &self.text[start..self.pos];
        let number = if let Ok(i) = text.parse::<i64>() {
            ::hcl::Number::from(i)
        } else if let Ok(u) = text.parse::<u64>() {
            ::hcl::Number::from(u)
        } else {
            text.parse::<f64>()
                .ok()
                .and_then(::hcl::Number::from_f64)
                .ok_or_else(|| (start, format!("invalid number `{text}`")))?
        };
        Ok(Json::Number(number))
    }

    /// Moves past one value without keeping it (strings, brackets and braces are matched; the document was
    /// checked by whoever asks for members only).
    fn skip(&mut self) -> ParseResult<()> {
        self.ws();
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut nesting = 0usize;
        while let Some(&b) = bytes.get(self.pos) {
            match b {
                b'"' => {
                    self.pos += 1;
                    while let Some(&c) = bytes.get(self.pos) {
                        // An escape at the very end must not take `pos` past the end of the text.
                        self.pos = (self.pos + if c == b'\\' { 2 } else { 1 }).min(bytes.len());
                        if c == b'"' {
                            break;
                        }
                    }
                    if nesting == 0 {
                        return Ok(());
                    }
                    continue;
                }
                b'{' | b'[' => nesting += 1,
                b'}' | b']' if nesting == 0 => return Ok(()),
                b'}' | b']' => {
                    nesting -= 1;
                    if nesting == 0 {
                        self.pos += 1;
                        return Ok(());
                    }
                }
                b',' if nesting == 0 => return Ok(()),
                _ => {}
            }
            self.pos += 1;
        }
        Err((start, "unexpected end of file: the JSON is truncated".into()))
    }

    fn string(&mut self) -> ParseResult<String> {
        let start = self.pos;
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let Some(c) = self.text[self.pos..].chars().next() else {
                return Err((start, "unterminated string: the JSON is truncated".into()));
            };
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let esc = self.peek().ok_or((self.pos, "unterminated escape".to_string()))?;
                    self.pos += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) && self.text[self.pos..].starts_with("\\u") {
                                self.pos += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err((self.pos - 2, "invalid escape in string".into())),
                    }
                }
                c if (c as u32) < 0x20 => return Err((self.pos - 1, "control character in string".into())),
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> ParseResult<u32> {
        let s = self
            .text
            .get(self.pos..self.pos + 4)
            .ok_or((self.pos, "truncated \\u escape".to_string()))?;
        let v = u32::from_str_radix(s, 16).map_err(|_| (self.pos, "invalid \\u escape".to_string()))?;
        self.pos += 4;
        Ok(v)
    }
}
