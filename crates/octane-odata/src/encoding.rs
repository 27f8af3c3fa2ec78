//! Percent-encoding as OData and REST URLs need it: encoding by the
//! `percent-encoding` crate, and decoding that keeps, for every decoded
//! byte, its offset in the text as written, so that a diagnostic in a
//! decoded `$filter` points into the URL the user wrote.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Every byte but the unreserved ones of RFC 3986 (`A-Z a-z 0-9 - . _ ~`).
pub(crate) const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Field lists (`fields=id,owner{name}`): commas, braces and slashes stay.
pub(crate) const FIELD_LIST: &AsciiSet =
    &RESERVED.remove(b',').remove(b'{').remove(b'}').remove(b'/');
/// Comma-separated lists (`order_by=name,-id`).
pub(crate) const LIST: &AsciiSet = &RESERVED.remove(b',');
/// OData option values: the delimiters OData gives meaning to stay.
pub(crate) const ODATA_VALUE: &AsciiSet = &RESERVED
    .remove(b',')
    .remove(b'(')
    .remove(b')')
    .remove(b'\'')
    .remove(b'/')
    .remove(b'$')
    .remove(b'=')
    .remove(b';')
    .remove(b':')
    .remove(b'@');

/// Percent-encodes `text`: every byte but the unreserved ones.
pub fn percent_encode(text: &str) -> String {
    encode_with(text, RESERVED)
}

/// Percent-encodes `text`: every byte in `set`.
pub(crate) fn encode_with(text: &str, set: &'static AsciiSet) -> String {
    utf8_percent_encode(text, set).to_string()
}

/// Percent-decodes a query component (`+` is a space); invalid escapes
/// are kept as written and invalid UTF-8 becomes U+FFFD. Returns the text
/// and, for each decoded byte (and one past the end), its offset in `raw`.
pub fn percent_decode(raw: &str) -> (String, Vec<u32>) {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut map = Vec::with_capacity(bytes.len() + 1);
    let mut i = 0;
    let hex = |b: u8| char::from(b).to_digit(16);
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            ) {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                map.push(i as u32);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        map.push(i as u32);
        i += 1;
    }
    map.push(bytes.len() as u32);
    // Invalid UTF-8 becomes U+FFFD (three bytes) however long the invalid
    // sequence: the map follows, each replacement byte mapped to where
    // the sequence began, so that spans stay on the input's characters.
    if std::str::from_utf8(&out).is_ok() {
        return (String::from_utf8(out).unwrap_or_default(), map);
    }
    let mut text = String::with_capacity(out.len() + 8);
    let mut fitted = Vec::with_capacity(map.len() + 8);
    let mut at = 0;
    for chunk in out.utf8_chunks() {
        text.push_str(chunk.valid());
        fitted.extend_from_slice(&map[at..at + chunk.valid().len()]);
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
            fitted.extend([map[at]; 3]);
            at += chunk.invalid().len();
        }
    }
    fitted.push(bytes.len() as u32);
    (text, fitted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_keeps_the_map_on_characters() {
        let raw = "a%DDé%FF%FEb";
        let (text, map) = percent_decode(raw);
        assert_eq!(
            text, "a\u{FFFD}é\u{FFFD}\u{FFFD}b",
            "as from_utf8_lossy reads it"
        );
        assert_eq!(map.len(), text.len() + 1);
        for (i, _) in text.char_indices() {
            assert!(raw.is_char_boundary(map[i] as usize), "{i}");
        }
        assert_eq!(map[text.len()] as usize, raw.len());
    }

    #[test]
    fn round_trip_and_offsets() {
        let text = "name EQ ^a&b é^";
        let encoded = percent_encode(text);
        assert_eq!(encoded, "name%20EQ%20%5Ea%26b%20%C3%A9%5E");
        assert_eq!(percent_decode(&encoded).0, text);
        let (decoded, map) = percent_decode("a%20b+c%zz");
        assert_eq!(decoded, "a b c%zz");
        assert_eq!(map[..5], [0, 1, 4, 5, 6]);
    }
}
