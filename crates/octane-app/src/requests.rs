//! Where an app's request goes, and whether it may carry the XSRF header.

use crate::context::{ActionContext, is_number_id};
use crate::diagnostics::{AppError, AppErrorKind, shorten};
use crate::urls::{UrlStandard, http_url};

/// The cookie in which Octane hands the page its XSRF token.
pub const XSRF_COOKIE: &str = "XSRF_COOKIE";
/// The request header that carries the token back to Octane.
pub const XSRF_HEADER: &str = "XSRF-HEADER";

/// Resolves `path_or_url` for a request: a relative path against
/// `<octane_url>/api/shared_spaces/<space>/workspaces/<workspace>/`; an
/// absolute http(s) URL as is; anything else fails closed. A path never
/// leaves the workspace: a `.` or `..` segment, in any encoding, is
/// refused.
pub fn resolve(
    context: &ActionContext,
    path_or_url: &str,
    urls: &dyn UrlStandard,
) -> Result<String, AppError> {
    let unresolved =
        |message: String, help: &str| AppError::new(AppErrorKind::UnresolvedUrl, message, help);
    let trimmed = path_or_url.trim();
    let scheme = trimmed
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|first| first.contains(':'));
    if scheme || trimmed.starts_with("//") || trimmed.starts_with("\\\\") {
        return http_url(urls, trimmed)
            .map(|_| trimmed.to_owned())
            .ok_or_else(|| {
                unresolved(
                    format!("`{}` is not an http(s) URL", shorten(trimmed)),
                    "pass a path, or an absolute https:// URL",
                )
            });
    }
    let base = context.octane_url.as_deref().ok_or_else(|| {
        unresolved(
            "the context has no usable octane_url".into(),
            "add octane_url={octane_url} to the action's url",
        )
    })?;
    for (name, value) in [
        ("shared_space", &context.shared_space),
        ("workspace", &context.workspace),
    ] {
        if !is_number_id(value) {
            return Err(AppError::new(
                AppErrorKind::NotAnId,
                format!("the context's {name} `{}` is not an id", shorten(value)),
                "read the context from the app's URL, where it is checked",
            ));
        }
    }
    let path = trimmed.trim_start_matches(['/', '\\']);
    let path_part = path.split(['?', '#']).next().unwrap_or_default();
    let dot_segment = path_part.split(['/', '\\']).any(|segment| {
        let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
        matches!(decoded.as_ref(), "." | "..")
    });
    if dot_segment {
        return Err(unresolved(
            format!("`{}` holds a `.` or `..` segment", shorten(trimmed)),
            "requests stay inside the workspace: give ids as ids (each its own segment), or check the path",
        ));
    }
    Ok(format!(
        "{base}/api/shared_spaces/{}/workspaces/{}/{path}",
        context.shared_space, context.workspace
    ))
}

/// Whether a request to `url` may carry the XSRF header: only when its
/// origin is exactly the Octane origin, or exactly one of `extra`. Both are
/// origins as the URL standard serializes them (as
/// [`ActionContext::octane_origin`] and [`exact_origin`](crate::exact_origin)
/// give them), so only `url` is parsed.
pub fn xsrf_allowed(
    url: &str,
    octane_origin: &str,
    extra: &[String],
    urls: &dyn UrlStandard,
) -> bool {
    let Some(parts) = http_url(urls, url) else {
        return false;
    };
    if parts.credentials {
        return false;
    }
    parts.origin == octane_origin || extra.contains(&parts.origin)
}

/// How a request must go out, as the XSRF policy decides it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct XsrfPlan {
    /// The token to send as [`XSRF_HEADER`], if the request may carry it.
    pub token: Option<String>,
    /// Redirects are held back: fetch keeps custom headers across a
    /// redirect to another origin, so a request with the token does not
    /// follow one unless the caller chose how to (`caller_redirect`).
    pub hold_redirects: bool,
}

/// Whether a request to `url` may carry the context's XSRF token: only
/// when the context names an Octane and `url` is on its exact origin, or
/// on one of `extra`.
pub fn may_carry_xsrf(
    context: &ActionContext,
    url: &str,
    extra: &[String],
    urls: &dyn UrlStandard,
) -> bool {
    context
        .octane_origin
        .as_deref()
        .is_some_and(|octane| xsrf_allowed(url, octane, extra, urls))
}

/// Decides how a request to `url` goes out: it carries the token from
/// `cookies` (read fresh each time) only where [`may_carry_xsrf`] allows
/// and never over a header the caller set (`caller_header`); a request
/// that carries it holds redirects back unless the caller chose how to
/// follow them. A cookie no header can carry fails the request before
/// anything is sent.
pub fn xsrf_plan(
    context: &ActionContext,
    url: &str,
    extra: &[String],
    cookies: &str,
    caller_header: bool,
    caller_redirect: bool,
    urls: &dyn UrlStandard,
) -> Result<XsrfPlan, AppError> {
    let token = if !caller_header && may_carry_xsrf(context, url, extra, urls) {
        xsrf_token(cookies)?
    } else {
        None
    };
    let hold_redirects = token.is_some() && !caller_redirect;
    Ok(XsrfPlan {
        token,
        hold_redirects,
    })
}

/// A refused redirect: the request carried the XSRF header, and a redirect
/// would carry it on to wherever the `Location` points.
pub fn redirected(url: &str) -> AppError {
    AppError::new(
        AppErrorKind::Redirected,
        format!("the request to {url} was redirected, and it carries the XSRF header"),
        "request the final URL, or pass redirect: \"follow\" if the redirect stays within Octane",
    )
}

/// The XSRF token in `cookies` (a `document.cookie` string), exactly as
/// Octane set it, or `None` when the cookie is not set. Cookies are not
/// form-encoded: the value is not decoded (`+` stays `+`, `%2B` stays
/// `%2B`), so the header carries the very text Octane compares it with. A
/// value that could not travel as a header (controls, spaces, non-ASCII)
/// is an error rather than a header the browser would refuse or a request
/// sent without it.
pub fn xsrf_token(cookies: &str) -> Result<Option<String>, AppError> {
    let Some(token) = cookies.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key.trim() == XSRF_COOKIE).then_some(value.trim())
    }) else {
        return Ok(None);
    };
    if token.is_empty() || !token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(AppError::new(
            AppErrorKind::BadXsrfCookie,
            format!("the {XSRF_COOKIE} cookie does not hold a usable token"),
            format!("sign in to Octane again so it sets a fresh {XSRF_COOKIE}"),
        ));
    }
    Ok(Some(token.to_owned()))
}
