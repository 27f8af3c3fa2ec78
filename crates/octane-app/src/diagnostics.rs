//! Every error code of the app side. Codes start with `X`.

use std::fmt;

octane_query::diagnostic_kinds! {
    /// The kinds of problem the app side reports, each with a stable code.
    pub enum AppErrorKind {
        /// A token arrived unsubstituted.
        Unsubstituted = "X0001",
        /// `shared_space` or `workspace` is missing.
        MissingParameter = "X0002",
        /// An event argument is invalid.
        BadArgument = "X0003",
        /// A URL cannot be resolved (requests fail closed).
        UnresolvedUrl = "X0004",
        /// An interpolated value cannot be a query literal.
        BadValue = "X0005",
        /// The XSRF cookie holds a value no HTTP header can carry.
        BadXsrfCookie = "X0006",
        /// A request that carried the XSRF header was redirected.
        Redirected = "X0007",
        /// An entry of an origin allow-list is not an exact origin.
        NotAnOrigin = "X0008",
        /// The context names an Octane the app does not trust, or the page
        /// was embedded or opened by another origin.
        UntrustedOctane = "X0009",
        /// A parameter given twice (or in both query and fragment).
        DuplicateParameter = "X0010",
        /// A value that must be an id (a whole path segment) is not.
        NotAnId = "X0011",
        /// `octane_url` is not the URL of an Octane site: not http(s), or
        /// with credentials, a query or a fragment.
        BadOctaneUrl = "X0012",
    }
}

/// What went wrong on the app side, with the parameter or argument named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppError {
    /// What kind of problem it is.
    pub kind: AppErrorKind,
    /// Stable code: `X0001`...
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl AppError {
    /// An error of `kind`.
    pub fn new(kind: AppErrorKind, message: impl Into<String>, help: impl Into<String>) -> Self {
        Self {
            kind,
            code: kind.code(),
            message: message.into(),
            help: help.into(),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.help)
    }
}

impl std::error::Error for AppError {}

/// At most 40 characters of `text`, for messages.
pub(crate) fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
