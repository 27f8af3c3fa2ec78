//! Origins as the URL standard decides them. The policy never parses a
//! URL by hand: a host gives it a [`UrlStandard`] parser (the browser's
//! own `URL` in the npm package, the `url` crate natively), so that an IDN
//! host, a `:0443` port or a stray fragment means here what it means to
//! the browser that sends the request.

use crate::diagnostics::{AppError, AppErrorKind};

/// The parts of an absolute URL the policy reads, as the URL standard
/// serializes them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlParts {
    /// The scheme, lower-case, without `:` (`https`).
    pub scheme: String,
    /// The serialized origin (`https://xn--bcher-kva.example`), or `null`
    /// for a URL without one.
    pub origin: String,
    /// The path (`/`, `/octane`).
    pub path: String,
    /// Whether a user name or password is given.
    pub credentials: bool,
    /// Whether a query (`?`, even empty) is given.
    pub query: bool,
    /// Whether a fragment (`#`, even empty) is given.
    pub fragment: bool,
}

/// A parser of absolute URLs by the URL standard
/// (<https://url.spec.whatwg.org>).
pub trait UrlStandard {
    /// The parts of `url`, or `None` when it is not an absolute URL.
    fn parse(&self, url: &str) -> Option<UrlParts>;
}

/// The URL standard's parser from the `url` crate.
#[cfg(feature = "url")]
#[derive(Clone, Copy, Debug, Default)]
pub struct RustUrl;

#[cfg(feature = "url")]
impl UrlStandard for RustUrl {
    fn parse(&self, text: &str) -> Option<UrlParts> {
        let url = url::Url::parse(text).ok()?;
        Some(UrlParts {
            scheme: url.scheme().to_owned(),
            origin: url.origin().ascii_serialization(),
            path: url.path().to_owned(),
            credentials: !url.username().is_empty() || url.password().is_some(),
            query: url.query().is_some(),
            fragment: url.fragment().is_some(),
        })
    }
}

/// The parts of `url` when it is an absolute http(s) URL.
pub(crate) fn http_url(urls: &dyn UrlStandard, url: &str) -> Option<UrlParts> {
    urls.parse(url)
        .filter(|parts| matches!(parts.scheme.as_str(), "http" | "https"))
}

/// The origin (`scheme://host[:port]`, as the URL standard serializes it)
/// of an absolute http(s) URL; `None` for anything else.
pub fn origin(urls: &dyn UrlStandard, url: &str) -> Option<String> {
    http_url(urls, url).map(|parts| parts.origin)
}

/// `text` as an exact origin: `scheme://host[:port]`, at most a trailing
/// `/`, no path, query, fragment, user or wildcard. Allow-lists of origins
/// take only these, so that an entry never matches more than it says.
pub fn exact_origin(urls: &dyn UrlStandard, text: &str) -> Result<String, AppError> {
    let refuse = || {
        AppError::new(
            AppErrorKind::NotAnOrigin,
            format!("`{text}` is not an exact origin"),
            "write scheme, host and port only, such as https://proxy.example.com",
        )
    };
    if text.contains('*') {
        return Err(refuse());
    }
    let parts = http_url(urls, text).ok_or_else(refuse)?;
    if parts.path != "/" || parts.credentials || parts.query || parts.fragment {
        return Err(refuse());
    }
    Ok(parts.origin)
}

#[cfg(all(test, feature = "url"))]
mod tests {
    use super::*;

    #[test]
    fn origins_follow_the_url_standard() {
        let origin = |url: &str| origin(&RustUrl, url);
        // IDN hosts, default ports written out, case: one origin each.
        assert_eq!(
            origin("https://bücher.example/x").as_deref(),
            Some("https://xn--bcher-kva.example")
        );
        assert_eq!(
            origin("https://xn--bcher-kva.example:0443").as_deref(),
            Some("https://xn--bcher-kva.example")
        );
        assert_eq!(
            origin("HTTPS://Octane.Example.com:443/").as_deref(),
            Some("https://octane.example.com")
        );
        assert_eq!(
            origin("http://127.0.0.1:8080/a").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        for bad in [
            "javascript:alert(1)",
            "ftp://x.example",
            "/relative",
            "not a url",
        ] {
            assert_eq!(origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn allow_lists_take_exact_origins_only() {
        let exact = |text: &str| exact_origin(&RustUrl, text);
        assert_eq!(
            exact("https://Proxy.example.com").unwrap(),
            "https://proxy.example.com"
        );
        assert_eq!(
            exact("https://proxy.example.com:0443/").unwrap(),
            "https://proxy.example.com"
        );
        assert_eq!(
            exact("https://bücher.example").unwrap(),
            "https://xn--bcher-kva.example"
        );
        assert_eq!(
            exact("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "*",
            "https://*.example.com",
            "proxy.example.com",
            "https://proxy.example.com/api",
            "https://proxy.example.com?",
            "https://proxy.example.com?x",
            "https://proxy.example.com#",
            "https://user@proxy.example.com",
            "ftp://proxy.example.com",
            "https://",
            "",
        ] {
            assert_eq!(
                exact(bad).unwrap_err().kind,
                AppErrorKind::NotAnOrigin,
                "{bad}"
            );
        }
    }
}
