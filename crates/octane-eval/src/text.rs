//! String comparison without allocation: case-insensitive (by Unicode
//! simple lowercase) or exact, and `*` wildcard patterns.

use std::cmp::Ordering;

/// Compares two strings, ignoring case when `fold` is set.
pub fn compare(a: &str, b: &str, fold: bool) -> Ordering {
    if fold && a.is_ascii() && b.is_ascii() {
        // The common case, without the per-character Unicode tables.
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else if fold {
        a.chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
    } else {
        a.cmp(b)
    }
}

/// A compiled `*` pattern: the literal pieces between the stars.
#[derive(Clone, Debug)]
pub struct Pattern {
    pieces: Vec<String>,
    anchored_start: bool,
    anchored_end: bool,
}

impl Pattern {
    /// Compiles `text`, in which every `*` matches any text.
    pub fn new(text: &str) -> Self {
        Self {
            pieces: text
                .split('*')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            anchored_start: !text.starts_with('*'),
            anchored_end: !text.ends_with('*'),
        }
    }

    /// Whether `text` matches, ignoring case when `fold` is set.
    pub fn matches(&self, text: &str, fold: bool) -> bool {
        let mut rest = text;
        let last = self.pieces.len().saturating_sub(1);
        for (i, piece) in self.pieces.iter().enumerate() {
            let anchored = i == 0 && self.anchored_start;
            if i == last && self.anchored_end {
                // The last piece must end the text (and, when it is also
                // the first, start it).
                let Some(start) = suffix_start(rest, piece, fold) else {
                    return false;
                };
                return !anchored || start == 0;
            }
            match find(rest, piece, fold, anchored) {
                Some(end) => rest = &rest[end..],
                None => return false,
            }
        }
        // Only stars (or nothing): anchored on both ends means empty text.
        !(self.pieces.is_empty() && self.anchored_start && self.anchored_end) || text.is_empty()
    }
}

/// The byte offset just after the first occurrence of `needle` in
/// `haystack` (at its start when `anchored`).
fn find(haystack: &str, needle: &str, fold: bool, anchored: bool) -> Option<usize> {
    for (start, _) in haystack
        .char_indices()
        .chain(std::iter::once((haystack.len(), ' ')))
    {
        if let Some(len) = prefix_len(&haystack[start..], needle, fold) {
            return Some(start + len);
        }
        if anchored {
            return None;
        }
    }
    None
}

/// If `text` starts with `needle`, the byte length of the matching prefix.
fn prefix_len(text: &str, needle: &str, fold: bool) -> Option<usize> {
    let mut chars = text.char_indices();
    let mut end = 0;
    for n in needle.chars() {
        let (i, t) = chars.next()?;
        let same = if fold {
            t == n || t.to_lowercase().eq(n.to_lowercase())
        } else {
            t == n
        };
        if !same {
            return None;
        }
        end = i + t.len_utf8();
    }
    Some(end)
}

/// The byte offset where `needle` ends `text`, if it does.
fn suffix_start(text: &str, needle: &str, fold: bool) -> Option<usize> {
    let count = needle.chars().count();
    let start = text
        .char_indices()
        .rev()
        .nth(count.checked_sub(1)?)
        .map_or(if count == 0 { text.len() } else { usize::MAX }, |(i, _)| i);
    if start == usize::MAX {
        return None;
    }
    (prefix_len(&text[start..], needle, fold) == Some(text.len() - start)).then_some(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        let cases = [
            ("test*", "testing", true),
            ("test*", "a test", false),
            ("*ending", "the_ending", true),
            ("*ending", "endings", false),
            ("*mid*", "in the middle", true),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "aXbYcZ", false),
            ("abc", "abc", true),
            ("abc", "ABC", true),
            ("*", "", true),
            ("*", "anything", true),
            ("**x", "yx", true),
            ("ab*ab", "ab", false),
            ("ab*ab", "abab", true),
            ("é*", "Éclair", true),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                Pattern::new(pattern).matches(text, true),
                expected,
                "{pattern} ~ {text}"
            );
        }
        assert!(!Pattern::new("abc").matches("ABC", false));
    }

    #[test]
    fn comparisons() {
        assert_eq!(compare("abc", "ABD", true), Ordering::Less);
        assert_eq!(compare("abc", "ABD", false), Ordering::Greater);
        assert_eq!(compare("Straße", "STRASSE", true), Ordering::Greater);
    }
}
