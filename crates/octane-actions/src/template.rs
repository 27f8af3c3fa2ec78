//! The URL template: its literal text, its `{tokens}`, and which part of
//! the URL (scheme, host, path, query, fragment) each token lands in.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
/// The tokens Octane substitutes (besides `{entity.<field>}`).
pub const TOKENS: [&str; 9] = [
    "entity_ids",
    "entity_type",
    "shared_space",
    "workspace",
    "user_login",
    "user_email",
    "dialog_id",
    "octane_url",
    "bundle_url",
];

/// The part of a URL a piece of the template stands in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Before the scheme's `:`, or between `//` and the path: the part
    /// that decides where the browser goes.
    SchemeOrHost,
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// The fragment.
    Fragment,
}

/// A piece of the template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Literal text.
    Text(&'a str),
    /// `{name}`: the name, the byte range of the whole token, and where it
    /// lands.
    Token {
        /// The text between the braces.
        name: &'a str,
        /// Start of `{`.
        start: usize,
        /// End of `}`.
        end: usize,
        /// The URL part it stands in.
        place: Place,
    },
}

/// A `{` with no `}`: the byte offset of the `{`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unclosed(pub usize);

/// Splits `url` into text and tokens, and places each token.
pub fn pieces(url: &str) -> Result<Vec<Piece<'_>>, Unclosed> {
    let mut pieces = Vec::new();
    let mut rest = 0;
    while let Some(open) = url[rest..].find('{').map(|i| rest + i) {
        let Some(close) = url[open..].find('}').map(|i| open + i) else {
            return Err(Unclosed(open));
        };
        if open > rest {
            pieces.push(Piece::Text(&url[rest..open]));
        }
        pieces.push(Piece::Token {
            name: &url[open + 1..close],
            start: open,
            end: close + 1,
            place: Place::Path,
        });
        rest = close + 1;
    }
    if rest < url.len() {
        pieces.push(Piece::Text(&url[rest..]));
    }
    place(&mut pieces);
    Ok(pieces)
}

/// Where the walk over the literal text is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before the scheme's `:`.
    Scheme,
    /// Just after `scheme:`, with this many `/` seen.
    AfterColon(u8),
    /// In `//authority`.
    Authority,
    /// Past the part that decides where the browser goes.
    Rest(Place),
}

impl Phase {
    fn place(self) -> Place {
        match self {
            Phase::Rest(place) => place,
            _ => Place::SchemeOrHost,
        }
    }
}

/// Walks the literal text to see where each token lands. A leading
/// `{octane_url}` or `{bundle_url}` supplies scheme and host itself.
fn place(pieces: &mut [Piece<'_>]) {
    let mut phase = match pieces.first() {
        Some(Piece::Token { name, .. }) if is_base(name) => Phase::Rest(Place::Path),
        _ => Phase::Scheme,
    };
    let mut scheme = String::new();
    for piece in pieces.iter_mut() {
        match piece {
            Piece::Token { place, .. } => *place = phase.place(),
            Piece::Text(text) => {
                for c in text.chars() {
                    phase = step(phase, c, &mut scheme);
                }
            }
        }
    }
    // A leading base token is always in the path position.
    if let Some(Piece::Token { name, place, .. }) = pieces.first_mut() {
        if is_base(name) {
            *place = Place::Path;
        }
    }
}

fn step(phase: Phase, c: char, scheme: &mut String) -> Phase {
    let rest = |c: char, current: Place| match (current, c) {
        (Place::Path, '?') => Place::Query,
        (Place::Path | Place::Query, '#') => Place::Fragment,
        (current, _) => current,
    };
    match phase {
        Phase::Scheme if c == ':' => {
            // Opaque URIs (mailto:, tel:, ...) have no authority.
            if scheme.eq_ignore_ascii_case("mailto") || scheme.eq_ignore_ascii_case("tel") {
                Phase::Rest(Place::Path)
            } else {
                Phase::AfterColon(0)
            }
        }
        Phase::Scheme => {
            scheme.push(c);
            Phase::Scheme
        }
        Phase::AfterColon(n) if c == '/' => {
            if n >= 1 {
                Phase::Authority
            } else {
                Phase::AfterColon(n + 1)
            }
        }
        Phase::AfterColon(_) | Phase::Authority => match c {
            '/' => Phase::Rest(Place::Path),
            '?' => Phase::Rest(Place::Query),
            '#' => Phase::Rest(Place::Fragment),
            // `https:host` reads as `https://host` in browsers: still the
            // host.
            _ => Phase::Authority,
        },
        Phase::Rest(current) => Phase::Rest(rest(c, current)),
    }
}

/// Whether a token supplies a base URL (`{octane_url}`, `{bundle_url}`).
pub fn is_base(name: &str) -> bool {
    name == "octane_url" || name == "bundle_url"
}

/// The field of an `{entity.<field>}` token.
pub fn entity_field(name: &str) -> Option<&str> {
    let field = name.strip_prefix("entity.")?;
    (!field.is_empty()
        && field
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    .then_some(field)
}

/// The scheme of a template that starts with literal text, lower-cased:
/// `https` for `https://...`; `None` when there is none.
pub fn scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let candidate = &url[..colon];
    let mut chars = candidate.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| candidate.to_ascii_lowercase())
}

/// Percent-encodes `value` for any part of a URL: every byte but the
/// unreserved ones (`A-Z a-z 0-9 - . _ ~`), so that a value can never add
/// a parameter, a path segment, a fragment, or end the URL.
pub fn encode(value: &str) -> String {
    /// Every byte but the unreserved ones of RFC 3986.
    const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    utf8_percent_encode(value, RESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(url: &str) -> Vec<(String, Place)> {
        pieces(url)
            .unwrap()
            .into_iter()
            .filter_map(|p| match p {
                Piece::Token { name, place, .. } => Some((name.to_owned(), place)),
                Piece::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn tokens_are_placed() {
        assert_eq!(
            places("https://x.example/{workspace}/a?ids={entity_ids}#t={entity_type}"),
            [
                ("workspace".into(), Place::Path),
                ("entity_ids".into(), Place::Query),
                ("entity_type".into(), Place::Fragment)
            ]
        );
        assert_eq!(
            places("https://{entity.host}/x"),
            [("entity.host".into(), Place::SchemeOrHost)]
        );
        assert_eq!(
            places("https://a.{workspace}.example/"),
            [("workspace".into(), Place::SchemeOrHost)]
        );
        assert_eq!(
            places("{entity.scheme}://x"),
            [("entity.scheme".into(), Place::SchemeOrHost)]
        );
        assert_eq!(
            places("{octane_url}/api/{shared_space}"),
            [
                ("octane_url".into(), Place::Path),
                ("shared_space".into(), Place::Path)
            ]
        );
        assert_eq!(
            places("mailto:{user_email}?subject={entity.name}"),
            [
                ("user_email".into(), Place::Path),
                ("entity.name".into(), Place::Query)
            ]
        );
        assert_eq!(pieces("https://x/{a"), Err(Unclosed(10)));
    }

    #[test]
    fn encoding_keeps_only_unreserved_bytes() {
        assert_eq!(
            encode("a b&c=d#e?f/g\"'é"),
            "a%20b%26c%3Dd%23e%3Ff%2Fg%22%27%C3%A9"
        );
        assert_eq!(encode("A-z_0.9~"), "A-z_0.9~");
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme("HTTPS://x").as_deref(), Some("https"));
        assert_eq!(scheme("mailto:a@b").as_deref(), Some("mailto"));
        assert_eq!(scheme("td://x").as_deref(), Some("td"));
        assert_eq!(scheme("{octane_url}/x"), None);
        assert_eq!(scheme("/relative:x"), None);
    }
}
