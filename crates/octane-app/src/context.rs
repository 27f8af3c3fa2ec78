//! The context Octane substituted into the app's URL, and which Octane
//! the app trusts to have sent it.

use std::collections::BTreeMap;

use octane_actions::TOKENS;

use crate::diagnostics::{AppError, AppErrorKind, shorten};
use crate::urls::{UrlStandard, exact_origin, http_url};

/// The parameters the context reads: the tokens Octane substitutes
/// ([`TOKENS`]), under the names the official examples give them, but
/// `bundle_url`, which only the action's own URL uses. Only these are
/// checked for tokens left unsubstituted; any other parameter (a title
/// that mentions `{workspace}`, say) is the app's own business.
pub fn context_parameters() -> impl Iterator<Item = &'static str> {
    TOKENS.into_iter().filter(|token| *token != "bundle_url")
}

/// The context Octane substituted into the app's URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionContext {
    /// `{entity_ids}`, split at commas.
    pub entity_ids: Vec<String>,
    /// `{entity_type}` (the aggregated type).
    pub entity_type: Option<String>,
    /// `{shared_space}`.
    pub shared_space: String,
    /// `{workspace}`.
    pub workspace: String,
    /// `{user_login}`.
    pub user_login: Option<String>,
    /// `{user_email}`.
    pub user_email: Option<String>,
    /// `{dialog_id}`, for apps in a dialog.
    pub dialog_id: Option<String>,
    /// `{octane_url}` as the URL standard serializes it: the site's origin
    /// and path, without a trailing `/` (`https://octane.example.com`).
    pub octane_url: Option<String>,
    /// The origin of `octane_url` (`https://octane.example.com`): the only
    /// origin messages are sent to and accepted from by default.
    pub octane_origin: Option<String>,
    /// Every parameter, query and fragment together (each given once),
    /// form-decoded.
    pub params: BTreeMap<String, String>,
}

/// Adds the `key=value` pairs of `text` (a query or a fragment) to
/// `into`, form-decoded as browsers encode them. A key given twice, here
/// or before, is refused: which of two values counts would otherwise be
/// decided by whoever wrote the URL.
fn parse_params(
    text: &str,
    part: &str,
    into: &mut BTreeMap<String, String>,
) -> Result<(), AppError> {
    for (key, value) in form_urlencoded::parse(text.as_bytes()) {
        if into.contains_key(key.as_ref()) {
            return Err(AppError::new(
                AppErrorKind::DuplicateParameter,
                format!("the parameter `{key}` is given twice (the second time in the {part})"),
                "give each parameter once, in the query string or in the fragment, not both",
            ));
        }
        into.insert(key.into_owned(), value.into_owned());
    }
    Ok(())
}

/// Whether `text` is an Octane id that can stand as a whole URL path
/// segment: letters, digits, `_`, `-` and `.` (list nodes have ids like
/// `list_node.severity.high`), but not `.` or `..`, which browsers read as
/// "here" and "go up".
pub fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text != "."
        && text != ".."
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// `text` as a path segment for an entity id, or an error naming `what`.
pub fn id_segment(text: &str, what: &str) -> Result<String, AppError> {
    if is_id(text) {
        Ok(text.to_owned())
    } else {
        Err(AppError::new(
            AppErrorKind::NotAnId,
            format!("{what} `{}` is not an id", shorten(text)),
            "ids are letters, digits, `_`, `-` and `.` (such as 1001), and not `.` or `..`",
        ))
    }
}

/// The path of one entity: `collection_path` (`defects?fields=name`)
/// with `id` as its own segment after the collection
/// (`defects/1001?fields=name`). An id that is not an id, `.` and `..`
/// included, is refused: it would leave its segment.
pub fn entity_path(collection_path: &str, id: &str) -> Result<String, AppError> {
    let segment = id_segment(id, "the entity id")?;
    Ok(match collection_path.split_once('?') {
        Some((collection, rest)) => format!("{collection}/{segment}?{rest}"),
        None => format!("{collection_path}/{segment}"),
    })
}

/// Whether `text` is a shared space or workspace id: digits only.
pub(crate) fn is_number_id(text: &str) -> bool {
    !text.is_empty() && text.len() <= 20 && text.bytes().all(|b| b.is_ascii_digit())
}

/// What the app trusts, and what the browser says about who embedded or
/// opened it. The app pins its Octane in its own code; the URL alone can
/// never name a new one.
#[derive(Clone, Debug, Default)]
pub struct Trust {
    /// The exact origins of the Octane sites the app trusts (see
    /// [`exact_origin`]). When empty, the app's own origin: an app that
    /// Octane serves (a bundle) trusts the Octane that serves it.
    pub octane_origins: Vec<String>,
    /// The origin of the frame that embeds the page, when the browser
    /// tells (`location.ancestorOrigins[0]`).
    pub embedder_origin: Option<String>,
    /// The origin of the page that opened or linked to this one, when the
    /// browser tells (`document.referrer`).
    pub referrer_origin: Option<String>,
}

impl Trust {
    /// Checks that `context` names a trusted Octane, and that the page was
    /// not embedded, or opened, by an origin that is neither that Octane
    /// nor the app itself (`app_origin`).
    pub fn check(
        &self,
        context: &ActionContext,
        app_origin: &str,
        urls: &dyn UrlStandard,
    ) -> Result<(), AppError> {
        let trusted: Vec<String> = if self.octane_origins.is_empty() {
            vec![app_origin.to_owned()]
        } else {
            self.octane_origins
                .iter()
                .map(|o| exact_origin(urls, o))
                .collect::<Result<_, _>>()?
        };
        // Without `octane_url` nothing is trusted: events and requests,
        // which need it, fail closed.
        let Some(octane) = context.octane_origin.as_deref() else {
            return Ok(());
        };
        if !trusted.iter().any(|t| t == octane) {
            return Err(AppError::new(
                AppErrorKind::UntrustedOctane,
                format!("the URL names {octane} as Octane, which this app does not trust"),
                format!(
                    "list the Octane sites this app trusts, as exact origins, in its own code (now: {})",
                    trusted.join(", ")
                ),
            ));
        }
        for (who, seen) in [
            ("embedded", &self.embedder_origin),
            ("opened", &self.referrer_origin),
        ] {
            let Some(seen) = seen.as_deref().filter(|o| !o.is_empty() && *o != "null") else {
                continue;
            };
            if seen != octane && seen != app_origin {
                return Err(AppError::new(
                    AppErrorKind::UntrustedOctane,
                    format!(
                        "the page was {who} by {seen}, not by the Octane the URL names ({octane})"
                    ),
                    "open the app from the action's button in Octane",
                ));
            }
        }
        Ok(())
    }
}

/// The token Octane left unsubstituted in `value`, if any.
fn unsubstituted(value: &str) -> Option<String> {
    TOKENS
        .iter()
        .map(|t| format!("{{{t}}}"))
        .find(|token| value.contains(token.as_str()))
        .or_else(|| (value.starts_with("{entity.") && value.ends_with('}')).then(|| value.into()))
}

impl ActionContext {
    /// Reads the parameters of `url` (query string and fragment, as the
    /// official examples put them in either).
    pub fn from_url(url: &str, urls: &dyn UrlStandard) -> Result<ActionContext, AppError> {
        let (before_hash, hash) = url.split_once('#').unwrap_or((url, ""));
        let query = before_hash.split_once('?').map_or("", |(_, q)| q);
        let mut params = BTreeMap::new();
        parse_params(query, "query string", &mut params)?;
        parse_params(hash, "fragment", &mut params)?;
        for name in context_parameters() {
            if let Some(token) = params.get(name).and_then(|v| unsubstituted(v)) {
                return Err(AppError::new(
                    AppErrorKind::Unsubstituted,
                    format!("the parameter `{name}` holds the token {token} unsubstituted"),
                    "Octane substitutes tokens only when the app is opened from the action's button; check the action's url",
                ));
            }
        }
        let required = |name: &str| {
            params
                .get(name)
                .filter(|v| !v.is_empty())
                .cloned()
                .ok_or_else(|| {
                    AppError::new(
                        AppErrorKind::MissingParameter,
                        format!("the URL has no `{name}` parameter"),
                        format!("add `{name}={{{name}}}` to the action's url"),
                    )
                })
        };
        let number_id = |name: &str| {
            let value = required(name)?;
            if is_number_id(&value) {
                Ok(value)
            } else {
                Err(AppError::new(
                    AppErrorKind::NotAnId,
                    format!("the `{name}` parameter `{}` is not an id", shorten(&value)),
                    format!("{name} is a number, such as 1001; check the action's url"),
                ))
            }
        };
        let shared_space = number_id("shared_space")?;
        let workspace = number_id("workspace")?;
        let optional = |name: &str| params.get(name).filter(|v| !v.is_empty()).cloned();
        let entity_ids = params
            .get("entity_ids")
            .map(|ids| {
                ids.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|id| id_segment(id, "the entity id"))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        let (octane_url, octane_origin) = match optional("octane_url") {
            Some(given) => {
                let (base, origin) = octane_site(&given, urls)?;
                (Some(base), Some(origin))
            }
            None => (None, None),
        };
        Ok(ActionContext {
            entity_ids,
            entity_type: optional("entity_type"),
            shared_space,
            workspace,
            user_login: optional("user_login"),
            user_email: optional("user_email"),
            dialog_id: optional("dialog_id"),
            octane_url,
            octane_origin,
            params,
        })
    }
}

/// The base URL (origin and path, no trailing `/`) and origin of the
/// Octane site `given` names. A query or fragment would swallow the API
/// path appended to it, and credentials have no place in it: each is
/// refused.
fn octane_site(given: &str, urls: &dyn UrlStandard) -> Result<(String, String), AppError> {
    let refuse = |why: &str| {
        AppError::new(
            AppErrorKind::BadOctaneUrl,
            format!("the URL's `octane_url` `{}` {why}", shorten(given)),
            "the action's url should pass octane_url={octane_url}, which Octane fills with its site's URL",
        )
    };
    let parts = http_url(urls, given).ok_or_else(|| refuse("is not an http(s) URL"))?;
    if parts.credentials {
        return Err(refuse("holds a user name or password"));
    }
    if parts.query || parts.fragment {
        return Err(refuse(
            "has a query or fragment, which would swallow the API path",
        ));
    }
    if parts.origin == "null" {
        return Err(refuse("has no origin"));
    }
    let base = format!("{}{}", parts.origin, parts.path.trim_end_matches('/'));
    Ok((base, parts.origin))
}
