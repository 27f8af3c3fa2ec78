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
    /// For an object value: what it says of itself, read on the way.
    pub(crate) probe: Option<Probe<'a>>,
}

/// What an object says of itself: its `type`, `id` and `data` members as
/// written (the last of each name), enough to tell a reference or a
/// multi-value reference.
#[derive(Clone, Copy, Default)]
pub(crate) struct Probe<'a> {
    pub(crate) entity: Option<&'a str>,
    pub(crate) id: Option<&'a str>,
    pub(crate) data: Option<&'a str>,
}

impl Probe<'_> {
    /// A reference: a string `type` and an `id`.
    pub(crate) fn is_reference(&self) -> bool {
        self.entity.is_some_and(|t| t.starts_with('"')) && self.id.is_some()
    }
}

/// The members of the object `text`, in order (none if it is not an object).
pub(crate) fn members(text: &str) -> Vec<Member<'_>> {
    // Room for an entity's usual members at once: grown from empty, the
    // list took three allocations an object.
    let mut out = Vec::with_capacity(16);
    if let Some(mut cursor) = Cursor::after(text, b'{') {
        // What is not JSON ends the list: the members before it stay.
        let _ = cursor.list(b'}', |c| {
            let key = c.key()?;
            let (value, probe) = c.probed()?;
            out.push(Member {
                name: decode(key),
                key,
                value,
                probe,
            });
            Some(())
        });
    }
    out
}

/// The items of the array `text`, in order, each as written with the
/// probe of an object (none if it is not an array).
pub(crate) fn items(text: &str) -> Vec<(&str, Option<Probe<'_>>)> {
    let mut out = Vec::new();
    if let Some(mut cursor) = Cursor::after(text, b'[') {
        let _ = cursor.list(b']', |c| {
            out.push(c.probed()?);
            Some(())
        });
    }
    out
}

/// What [`collections`] meets, in order.
pub(crate) enum Event<'a> {
    /// A collection starts: its name.
    Collection(Cow<'a, str>),
    /// An item of its `data`, as written.
    Item(&'a str),
    /// The collection ends.
    End,
}

/// Walks an object of REST responses (`{"defects": {"data": [...]}}`) in
/// one pass, telling `visit` of each collection and each item of its
/// `data`. Stops where the text stops being that shape.
pub(crate) fn collections<'a>(text: &'a str, visit: &mut dyn FnMut(Event<'a>)) {
    let Some(mut cursor) = Cursor::after(text, b'{') else {
        return;
    };
    let _ = cursor.list(b'}', |c| {
        visit(Event::Collection(decode(c.key()?)));
        let read = c.response(visit);
        visit(Event::End);
        read
    });
}

/// The text of a JSON string as written (`"..."`): borrowed when it has no
/// escapes.
pub(crate) fn decode(string: &str) -> Cow<'_, str> {
    let inner = string.get(1..string.len().saturating_sub(1)).unwrap_or("");
    // In a string's text a quote comes only after a backslash, so the
    // first quote or backslash tells whether there is an escape.
    let bytes = inner.as_bytes();
    let first = special(bytes, 0, false);
    let escaped = match bytes.get(first) {
        None => false,
        Some(b'\\') => true,
        Some(_) => inner[first..].contains('\\'),
    };
    if escaped {
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

    /// Skips whitespace, then the closing `byte` if it is next (and not
    /// the whitespace after it: the value ends there).
    fn close(&mut self, byte: u8) -> bool {
        self.skip_space();
        let closed = self.bytes().get(self.at) == Some(&byte);
        if closed {
            self.at += 1;
        }
        closed
    }

    /// The rest of a list whose opening bracket was read: `each` reads
    /// one element, then a comma or `close` follows. `None` where the text
    /// stops being such a list.
    fn list(&mut self, close: u8, mut each: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if self.close(close) {
            return Some(());
        }
        loop {
            each(self)?;
            if !self.eat(b',') {
                return self.close(close).then_some(());
            }
        }
    }

    /// A member's name as written, and the colon after it.
    fn key(&mut self) -> Option<&'a str> {
        let key = self.string()?;
        self.eat(b':').then_some(key)
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

    /// A REST response: `data`'s items told to `visit`, the rest skipped.
    fn response(&mut self, visit: &mut dyn FnMut(Event<'a>)) -> Option<()> {
        if !self.eat(b'{') {
            return None;
        }
        self.list(b'}', |c| {
            if c.key()? == "\"data\"" && c.eat(b'[') {
                c.list(b']', |c| {
                    visit(Event::Item(c.value()?));
                    Some(())
                })
            } else {
                c.value().map(|_| ())
            }
        })
    }

    /// Any value; for an object, with its probe, read in the same pass
    /// (its own values are skipped, not probed: the depth stays one).
    fn probed(&mut self) -> Option<(&'a str, Option<Probe<'a>>)> {
        let start = self.at;
        if self.bytes().get(start) != Some(&b'{') {
            return Some((self.value()?, None));
        }
        self.at += 1;
        let mut probe = Probe::default();
        self.list(b'}', |c| {
            let key = c.key()?;
            let value = c.value()?;
            match decode(key).as_ref() {
                "type" => probe.entity = Some(value),
                "id" => probe.id = Some(value),
                "data" => probe.data = Some(value),
                _ => {}
            }
            Some(())
        })?;
        Some((self.text.get(start..self.at)?, Some(probe)))
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
            .into_iter()
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
    fn decode_borrows_plain_strings_and_unescapes_the_rest() {
        let plain = [r#""""#, r#""abc""#, r#""ééééééééé long enough for eight""#];
        for text in plain {
            assert!(matches!(decode(text), Cow::Borrowed(s) if s == &text[1..text.len() - 1]));
        }
        let escaped = [
            (r#""a\"b""#, "a\"b"),
            (r#""abcdefghijkl\\""#, "abcdefghijkl\\"),
            (r#""\u00e9t\u00e9 \ud83d\ude00""#, "été 😀"),
            (
                r#""tab\there, and a long run before it""#,
                "tab\there, and a long run before it",
            ),
        ];
        for (text, want) in escaped {
            assert!(
                matches!(decode(text), Cow::Owned(ref s) if s == want),
                "{text}"
            );
        }
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
    fn collections_tell_each_item_of_data_once() {
        let text = r#"{"a": {"total_count": 2, "data": [{"id":"1"}, {"id":"2","x":[1,{"y":"]"}]}], "z": {}}, "b":{"data":[]}, "c":{}}"#;
        let mut seen = Vec::new();
        collections(text, &mut |event| {
            seen.push(match event {
                Event::Collection(name) => format!("<{name}>"),
                Event::Item(item) => item.to_owned(),
                Event::End => "</>".to_owned(),
            });
        });
        assert_eq!(
            seen,
            [
                "<a>",
                r#"{"id":"1"}"#,
                r#"{"id":"2","x":[1,{"y":"]"}]}"#,
                "</>",
                "<b>",
                "</>",
                "<c>",
                "</>"
            ]
        );
    }

    #[test]
    fn items_of_an_array() {
        let read = items(r#"[ {"a":[1,2],"type":"t","i\u0064":{"id":1}} , "x,y" ,3, { } ]"#);
        let values: Vec<&str> = read.iter().map(|(v, _)| *v).collect();
        assert_eq!(
            values,
            [
                r#"{"a":[1,2],"type":"t","i\u0064":{"id":1}}"#,
                r#""x,y""#,
                "3",
                "{ }"
            ]
        );
        let probe = read[0].1.expect("an object is probed");
        assert_eq!(
            (probe.entity, probe.id, probe.data),
            (Some(r#""t""#), Some(r#"{"id":1}"#), None)
        );
        assert!(probe.is_reference());
        assert!(read[1].1.is_none());
        assert!(!read[3].1.expect("probed").is_reference());
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
            let _ = members(text);
            let _ = items(text);
        }
        assert_eq!(members(r#"{"a":1,"b""#).len(), 1);
    }
}
