//! Percent-encoding, as query statements travel in URLs
//! (`query="..."`): one implementation for every crate.

use std::fmt::Write as _;

/// Percent-encodes `text`: every byte but the unreserved ones
/// (`A-Z a-z 0-9 - . _ ~`) and those in `keep`.
pub fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || keep.contains(&b)
        {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
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
    (String::from_utf8_lossy(&out).into_owned(), map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_offsets() {
        let text = "name EQ ^a&b é^";
        let encoded = percent_encode(text, &[]);
        assert_eq!(encoded, "name%20EQ%20%5Ea%26b%20%C3%A9%5E");
        assert_eq!(percent_decode(&encoded).0, text);
        let (decoded, map) = percent_decode("a%20b+c%zz");
        assert_eq!(decoded, "a b c%zz");
        assert_eq!(map[..5], [0, 1, 4, 5, 6]);
    }
}
