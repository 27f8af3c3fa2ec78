//! A small JSON reader that keeps the byte span of every value and key,
//! so that diagnostics can point into the text a user pasted: action
//! configs, workspace metadata, and Octane's error responses.

use crate::span::Span;

/// A JSON value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Json {
    /// The value.
    pub kind: JsonKind,
    /// Its text (for strings, including the quotes).
    pub span: Span,
}

/// The kinds of JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonKind {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, escapes resolved.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object: members in order, with the span of each key.
    Object(Vec<Member>),
}

/// One `"key": value` of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The key, escapes resolved.
    pub key: String,
    /// The key's text, with its quotes.
    pub key_span: Span,
    /// The value.
    pub value: Json,
}

impl JsonKind {
    /// How the kind reads in messages: "a string", "an array", ...
    pub fn describe(&self) -> &'static str {
        match self {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "a boolean",
            JsonKind::Number(_) => "a number",
            JsonKind::String(_) => "a string",
            JsonKind::Array(_) => "an array",
            JsonKind::Object(_) => "an object",
        }
    }
}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Member> {
        match &self.kind {
            JsonKind::Object(members) => members.iter().find(|m| m.key == key),
            _ => None,
        }
    }

    /// The string value, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }
}

/// A syntax error: where and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
}

/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 128;

/// Parses `text` as one JSON value.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    reader.space();
    let value = reader.value()?;
    reader.space();
    if reader.pos < reader.bytes.len() {
        return Err(reader.error(1, "unexpected text after the JSON value"));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Reader<'_> {
    fn error(&self, len: usize, message: &str) -> JsonError {
        let end = (self.pos + len).min(self.bytes.len());
        let mut end = end;
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        JsonError {
            span: Span::new(self.pos as u32, end as u32),
            message: message.to_owned(),
        }
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        let kind = match self.bytes.get(self.pos) {
            None => return Err(self.error(0, "expected a value, found the end of the text")),
            Some(b'{') => self.nested(Self::object)?,
            Some(b'[') => self.nested(Self::array)?,
            Some(b'"') => JsonKind::String(self.string()?),
            Some(b't') => self.word("true", JsonKind::Bool(true))?,
            Some(b'f') => self.word("false", JsonKind::Bool(false))?,
            Some(b'n') => self.word("null", JsonKind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => {
                let message = if self.bytes[self.pos] == b'\'' {
                    "JSON strings use double quotes"
                } else {
                    "expected a value"
                };
                return Err(self.error(1, message));
            }
        };
        Ok(Json {
            kind,
            span: Span::new(start as u32, self.pos as u32),
        })
    }

    fn nested(
        &mut self,
        read: fn(&mut Self) -> Result<JsonKind, JsonError>,
    ) -> Result<JsonKind, JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(1, "the JSON nests too deeply"));
        }
        self.depth += 1;
        let kind = read(self);
        self.depth -= 1;
        kind
    }

    fn word(&mut self, word: &str, kind: JsonKind) -> Result<JsonKind, JsonError> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(kind)
        } else {
            Err(self.error(1, "expected a value"))
        }
    }

    fn number(&mut self) -> Result<JsonKind, JsonError> {
        let start = self.pos;
        if self.bytes[self.pos] == b'-' {
            self.pos += 1;
        }
        let digits = |r: &mut Self| {
            let s = r.pos;
            while r.bytes.get(r.pos).is_some_and(u8::is_ascii_digit) {
                r.pos += 1;
            }
            r.pos > s
        };
        if !digits(self) {
            return Err(self.error(1, "expected digits"));
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.error(1, "expected digits after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.error(1, "expected digits in the exponent"));
            }
        }
        Ok(JsonKind::Number(self.text[start..self.pos].to_owned()))
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                self.pos = open;
                return Err(self.error(1, "this string has no closing quote"));
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    let escape = self.bytes.get(self.pos + 1).copied();
                    let c = match escape {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let c = self.unicode_escape()?;
                            out.push(c);
                            continue;
                        }
                        _ => return Err(self.error(2, "unknown escape in a string")),
                    };
                    out.push(c);
                    self.pos += 2;
                }
                0..=0x1f => {
                    return Err(self.error(1, "control characters must be escaped in strings"));
                }
                _ => {
                    let ch = self.text[self.pos..].chars().next().unwrap_or('\u{fffd}');
                    out.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
    }

    /// `\uXXXX`, with surrogate pairs; a lone surrogate becomes U+FFFD.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let hex = |r: &Self, at: usize| -> Option<u32> {
            let digits = r.text.get(at..at + 4)?;
            u32::from_str_radix(digits, 16).ok()
        };
        let Some(first) = hex(self, self.pos + 2) else {
            return Err(self.error(6, "expected four hex digits after \\u"));
        };
        self.pos += 6;
        if (0xD800..0xDC00).contains(&first) && self.text[self.pos..].starts_with("\\u") {
            if let Some(second) = hex(self, self.pos + 2).filter(|s| (0xDC00..0xE000).contains(s)) {
                self.pos += 6;
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
        }
        Ok(char::from_u32(first).unwrap_or('\u{fffd}'))
    }

    fn array(&mut self) -> Result<JsonKind, JsonError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.space();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(JsonKind::Array(items));
        }
        loop {
            self.space();
            items.push(self.value()?);
            self.space();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JsonKind::Array(items));
                }
                _ => return Err(self.error(1, "expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<JsonKind, JsonError> {
        self.pos += 1;
        let mut members = Vec::new();
        self.space();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(JsonKind::Object(members));
        }
        loop {
            self.space();
            if self.bytes.get(self.pos) != Some(&b'"') {
                let message = if self.bytes.get(self.pos) == Some(&b'}') {
                    "a trailing comma is not allowed in JSON"
                } else {
                    "expected a property name in double quotes"
                };
                return Err(self.error(1, message));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start as u32, self.pos as u32);
            self.space();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error(1, "expected `:` after the property name"));
            }
            self.pos += 1;
            self.space();
            let value = self.value()?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.space();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonKind::Object(members));
                }
                _ => return Err(self.error(1, "expected `,` or `}`")),
            }
        }
    }
}

/// The byte offset in the JSON text of byte `index` of a string value's
/// decoded text, the string written at `span` (quotes included).
pub fn string_offset(text: &str, span: Span, index: usize) -> u32 {
    let raw = &text[span.range()];
    let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
    let mut decoded = 0;
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if decoded >= index {
            return span.start + 1 + i as u32;
        }
        if c == '\\' {
            let Some((at, escape)) = chars.next() else {
                break;
            };
            if escape == 'u' {
                let code = |from: usize| {
                    inner
                        .get(from..from + 4)
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                };
                let first = code(at + 1).unwrap_or(0xFFFD);
                for _ in 0..4 {
                    chars.next();
                }
                let pair = (0xD800..0xDC00).contains(&first)
                    && inner.get(at + 5..at + 7) == Some("\\u")
                    && code(at + 7).is_some_and(|low| (0xDC00..0xE000).contains(&low));
                if pair {
                    for _ in 0..6 {
                        chars.next();
                    }
                    decoded += 4;
                } else {
                    decoded += char::from_u32(first).map_or(3, char::len_utf8);
                }
            } else {
                decoded += 1;
            }
        } else {
            decoded += c.len_utf8();
        }
    }
    span.end.saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_spans() {
        let text = r#" [{"a": "x\"y", "b": [1, -2.5e3, true, null]}] "#;
        let json = parse(text).unwrap();
        let JsonKind::Array(items) = &json.kind else {
            panic!()
        };
        let a = items[0].get("a").unwrap();
        assert_eq!(a.value.kind, JsonKind::String("x\"y".into()));
        assert_eq!(&text[a.key_span.range()], "\"a\"");
        assert_eq!(&text[a.value.span.range()], r#""x\"y""#);
        assert_eq!(string_offset(text, a.value.span, 2), a.value.span.start + 4);
    }

    #[test]
    fn errors_point_at_the_problem() {
        let error = parse(r#"{"a": 1,}"#).unwrap_err();
        assert_eq!(error.span, Span::new(8, 9));
        assert!(error.message.contains("trailing comma"));
        assert_eq!(parse("{'a': 1}").unwrap_err().span.start, 1);
        assert!(
            parse(&"[".repeat(1000))
                .unwrap_err()
                .message
                .contains("deeply")
        );
        assert!(
            parse("\"abc")
                .unwrap_err()
                .message
                .contains("closing quote")
        );
        assert_eq!(
            parse(r#""\ud83d\ude00""#).unwrap().kind,
            JsonKind::String("😀".into())
        );
    }
}
