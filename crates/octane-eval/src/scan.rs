//! A reader of JSON text already checked: the members of an object and
//! the items of an array, each value as the text wrote it.
//!
//! The loader checks a collection's text once, with `serde_json`; then
//! every row, reference and multi-value reference within it is read here,
//! by skipping bytes, instead of being parsed and checked again. On text
//! that is not JSON the reader stops early (with what it read so far); it
//! never panics.

use std::borrow::Cow;

/// One member of an object.
pub(crate) struct Member<'a> {
    /// The name, decoded.
    pub(crate) name: Cow<'a, str>,
    /// The name as written, quotes included.
    pub(crate) key: &'a str,
    /// The value as written.
    pub(crate) value: &'a str,
}

/// The members of the object `text`, in order (none if it is not an object).
pub(crate) fn members(text: &str) -> Members<'_> {
    Members(Cursor::after(text, b'{'))
}

/// The members of an object, read one at a time.
pub(crate) struct Members<'a>(Option<Cursor<'a>>);

impl<'a> Iterator for Members<'a> {
    type Item = Member<'a>;

    fn next(&mut self) -> Option<Member<'a>> {
        let cursor = self.0.as_mut()?;
        let member = (|| {
            let key = cursor.string()?;
            cursor.eat(b':').then_some(())?;
            let value = cursor.value()?;
            Some(Member {
                name: decode(key),
                key,
                value,
            })
        })();
        // After the last member (or what is not JSON), nothing more.
        if member.is_none() || !cursor.eat(b',') {
            self.0 = None;
        }
        member
    }
}

/// The items of the array `text`, in order, each as written (none if it is
/// not an array).
pub(crate) fn items(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut at = Cursor::after(text, b'[');
    while let Some(cursor) = at.as_mut() {
        let Some(value) = cursor.value() else { break };
        out.push(value);
        if !cursor.eat(b',') {
            break;
        }
    }
    out
}

/// The text of a JSON string as written (`"..."`): borrowed when it has no
/// escapes.
pub(crate) fn decode(string: &str) -> Cow<'_, str> {
    let inner = string.get(1..string.len().saturating_sub(1)).unwrap_or("");
    if inner.contains('\\') {
        Cow::Owned(serde_json::from_str(string).unwrap_or_default())
    } else {
        Cow::Borrowed(inner)
    }
}

/// A position in the text.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    /// After the opening `open` of `text` (and its whitespace).
    fn after(text: &'a str, open: u8) -> Option<Cursor<'a>> {
        let mut cursor = Cursor { text, at: 0 };
        cursor.eat(open).then_some(cursor)
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn skip_space(&mut self) {
        while matches!(
            self.bytes().get(self.at),
            Some(b' ' | b'\t' | b'\n' | b'\r')
        ) {
            self.at += 1;
        }
    }

    /// Skips whitespace, then `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        if self.bytes().get(self.at) == Some(&byte) {
            self.at += 1;
            self.skip_space();
            true
        } else {
            false
        }
    }

    /// A string, quotes included.
    fn string(&mut self) -> Option<&'a str> {
        let start = self.at;
        if self.bytes().get(start) != Some(&b'"') {
            return None;
        }
        let end = string_end(self.bytes(), start)?;
        self.at = end;
        self.text.get(start..end)
    }

    /// Any value.
    fn value(&mut self) -> Option<&'a str> {
        let bytes = self.bytes();
        let start = self.at;
        let end = match bytes.get(start)? {
            b'"' => string_end(bytes, start)?,
            b'{' | b'[' => nested_end(bytes, start)?,
            b',' | b'}' | b']' | b':' => return None,
            _ => {
                let mut end = start;
                while !matches!(
                    bytes.get(end),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    end += 1;
                }
                end
            }
        };
        self.at = end;
        self.text.get(start..end)
    }
}

/// One past the closing quote of the string opening at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    loop {
        at = special(bytes, at, false);
        match bytes.get(at)? {
            b'"' => return Some(at + 1),
            _ => at += 2,
        }
    }
}

/// The first byte from `from` on that is a quote or a backslash (or,
/// with `controls`, below 0x20): `bytes.len()` if none. Reads eight bytes
/// at a time, since most strings hold none of them.
pub(crate) fn special(bytes: &[u8], from: usize, controls: bool) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    // The high bit of each byte of `word` that is zero (exact for the
    // lowest such byte; a borrow may mark bytes above it).
    let zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGH;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut eight = [0; 8];
        eight.copy_from_slice(chunk);
        let word = u64::from_le_bytes(eight);
        let mut found =
            zero(word ^ (ONES * u64::from(b'"'))) | zero(word ^ (ONES * u64::from(b'\\')));
        if controls {
            // Bytes below 0x20 (those of 0x80 and up keep their high bit).
            found |= word.wrapping_sub(ONES * 0x20) & !word & HIGH;
        }
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&byte) = bytes.get(at) {
        if byte == b'"' || byte == b'\\' || (controls && byte < 0x20) {
            return at;
        }
        at += 1;
    }
    bytes.len()
}

/// One past the bracket that closes the object or array opening at `start`.
fn nested_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = start;
    loop {
        match bytes.get(at)? {
            b'"' => {
                at = string_end(bytes, at)?;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
        at += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_each_value_as_written() {
        let text =
            r#" { "a" : 1 , "b\"c":"x\"y" ,"d":{"e":[1,{"f":"}"}]},"g":[ ],"h":null,"é":-1.5e3 } "#;
        let read: Vec<(String, &str, &str)> = members(text.trim())
            .map(|m| (m.name.into_owned(), m.key, m.value))
            .collect();
        assert_eq!(
            read,
            [
                ("a".to_owned(), r#""a""#, "1"),
                ("b\"c".to_owned(), r#""b\"c""#, r#""x\"y""#),
                ("d".to_owned(), r#""d""#, r#"{"e":[1,{"f":"}"}]}"#),
                ("g".to_owned(), r#""g""#, "[ ]"),
                ("h".to_owned(), r#""h""#, "null"),
                ("é".to_owned(), r#""é""#, "-1.5e3"),
            ]
        );
    }

    #[test]
    fn special_finds_the_first_quote_backslash_or_control() {
        let cases: &[(&str, bool, usize)] = &[
            ("abcdefghijklmnop\"", false, 16),
            ("abc\\defghijklmnop\"", false, 3),
            ("abcdefgh\u{1}ij\"", false, 11),
            ("abcdefgh\u{1}ij\"", true, 8),
            ("ééééééééé\u{7f}x", true, 20),
            ("\"", false, 0),
            ("", true, 0),
            ("short", true, 5),
        ];
        for &(text, controls, want) in cases {
            assert_eq!(special(text.as_bytes(), 0, controls), want, "{text:?}");
            // Every start agrees with a byte-by-byte search.
            for from in 0..=text.len() {
                let slow = text.as_bytes()[from..]
                    .iter()
                    .position(|&b| b == b'"' || b == b'\\' || (controls && b < 0x20))
                    .map_or(text.len(), |i| from + i);
                assert_eq!(
                    special(text.as_bytes(), from, controls),
                    slow,
                    "{text:?} from {from}"
                );
            }
        }
    }

    #[test]
    fn items_of_an_array() {
        assert_eq!(
            items(r#"[ {"a":[1,2]} , "x,y" ,3]"#),
            [r#"{"a":[1,2]}"#, r#""x,y""#, "3"]
        );
        assert!(items("[]").is_empty());
        assert!(items("{}").is_empty());
    }

    #[test]
    fn text_that_is_not_json_stops_the_reader_without_a_panic() {
        for text in [
            "{",
            "{\"a",
            "{\"a\":",
            "{\"a\":\"x",
            "{\"a\":{",
            "{\"a\":[\"\\",
            "[{]",
            "{\"a\" 1}",
            "{,}",
            "[",
            "\"",
            "]",
            "{\"a\":1,",
        ] {
            let _ = members(text).count();
            let _ = items(text);
        }
        assert_eq!(members(r#"{"a":1,"b""#).count(), 1);
    }
}
