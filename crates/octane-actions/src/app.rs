//! The app side of an external action: reading the context Octane put in
//! the URL, building the messages Octane understands, deciding where an
//! XSRF header may go, and building queries from untrusted values.

use std::collections::BTreeMap;
use std::fmt;

use octane_query::{Diagnostic, Diagnostics, Str};

/// What went wrong on the app side, with the parameter or argument named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppError {
    /// Stable code: `X0001`...
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.help)
    }
}

impl std::error::Error for AppError {}

/// Error code: a token arrived unsubstituted.
pub const UNSUBSTITUTED: &str = "X0001";
/// Error code: `shared_space` or `workspace` is missing.
pub const MISSING_PARAMETER: &str = "X0002";
/// Error code: an event argument is invalid.
pub const BAD_ARGUMENT: &str = "X0003";
/// Error code: a URL cannot be resolved (requests fail closed).
pub const UNRESOLVED_URL: &str = "X0004";
/// Error code: an interpolated value cannot be a query literal.
pub const BAD_VALUE: &str = "X0005";
/// Error code: the XSRF cookie holds a value no HTTP header can carry.
pub const BAD_XSRF_COOKIE: &str = "X0006";
/// Error code: a request that carried the XSRF header was redirected.
pub const REDIRECTED: &str = "X0007";
/// Error code: an entry of an origin allow-list is not an exact origin.
pub const NOT_AN_ORIGIN: &str = "X0008";
/// Error code: the context names an Octane the app does not trust, or the
/// page was embedded or opened by another origin.
pub const UNTRUSTED_OCTANE: &str = "X0009";
/// Error code: a parameter given twice (or in both query and fragment).
pub const DUPLICATE_PARAMETER: &str = "X0010";
/// Error code: a value that must be an id (a whole path segment) is not.
pub const NOT_AN_ID: &str = "X0011";

fn error(code: &'static str, message: impl Into<String>, help: impl Into<String>) -> AppError {
    AppError {
        code,
        message: message.into(),
        help: help.into(),
    }
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
    /// `{octane_url}`.
    pub octane_url: Option<String>,
    /// Every parameter, query and fragment together (each given once).
    pub params: BTreeMap<String, String>,
}

/// Percent-decodes a query component (`+` is a space).
pub fn decode(text: &str) -> String {
    octane_query::url::percent_decode(text).0
}

/// Adds the `key=value` pairs of `text` (a query or a fragment) to
/// `into`. A key given twice, here or before, is refused: which of two
/// values counts would otherwise be decided by whoever wrote the URL.
fn parse_params(
    text: &str,
    part: &str,
    into: &mut BTreeMap<String, String>,
) -> Result<(), AppError> {
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(key);
        if into.contains_key(&key) {
            return Err(error(
                DUPLICATE_PARAMETER,
                format!("the parameter `{key}` is given twice (the second time in the {part})"),
                "give each parameter once, in the query string or in the fragment, not both",
            ));
        }
        into.insert(key, decode(value));
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
        Err(error(
            NOT_AN_ID,
            format!("{what} `{}` is not an id", shorten(text)),
            "ids are letters, digits, `_`, `-` and `.` (such as 1001), and not `.` or `..`",
        ))
    }
}

/// Whether `text` is a shared space or workspace id: digits only.
fn is_number_id(text: &str) -> bool {
    !text.is_empty() && text.len() <= 20 && text.bytes().all(|b| b.is_ascii_digit())
}

/// At most 40 characters of `text`, for messages.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
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
    pub fn check(&self, context: &ActionContext, app_origin: &str) -> Result<(), AppError> {
        let trusted: Vec<String> = if self.octane_origins.is_empty() {
            vec![app_origin.to_owned()]
        } else {
            self.octane_origins
                .iter()
                .map(|o| exact_origin(o))
                .collect::<Result<_, _>>()?
        };
        let configure = format!(
            "list the Octane sites this app trusts in its own code: ActionContext.fromLocation(location, {{ octaneOrigins: [\"https://octane.example.com\"] }}) (now: {})",
            trusted.join(", ")
        );
        // Without `octane_url` nothing is trusted: events and requests,
        // which need it, fail closed.
        if context.octane_url.is_none() {
            return Ok(());
        }
        let Some(octane) = context.octane_origin() else {
            return Err(error(
                UNTRUSTED_OCTANE,
                "the URL's `octane_url` is not an http(s) URL",
                "the action's url should pass octane_url={octane_url}",
            ));
        };
        if !trusted.contains(&octane) {
            return Err(error(
                UNTRUSTED_OCTANE,
                format!("the URL names {octane} as Octane, which this app does not trust"),
                configure,
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
                return Err(error(
                    UNTRUSTED_OCTANE,
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

impl ActionContext {
    /// Reads the parameters of `url` (query string and fragment, as the
    /// official examples put them in either).
    pub fn from_url(url: &str) -> Result<ActionContext, AppError> {
        let (before_hash, hash) = url.split_once('#').unwrap_or((url, ""));
        let query = before_hash.split_once('?').map_or("", |(_, q)| q);
        let mut params = BTreeMap::new();
        parse_params(query, "query string", &mut params)?;
        parse_params(hash, "fragment", &mut params)?;
        for (name, value) in &params {
            let token = crate::template::TOKENS
                .iter()
                .find(|t| value.contains(&format!("{{{t}}}")))
                .map(|t| format!("{{{t}}}"))
                .or_else(|| {
                    (value.starts_with("{entity.") && value.ends_with('}')).then(|| value.clone())
                });
            if let Some(token) = token {
                return Err(error(
                    UNSUBSTITUTED,
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
                    error(
                        MISSING_PARAMETER,
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
                Err(error(
                    NOT_AN_ID,
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
        Ok(ActionContext {
            entity_ids,
            entity_type: optional("entity_type"),
            shared_space,
            workspace,
            user_login: optional("user_login"),
            user_email: optional("user_email"),
            dialog_id: optional("dialog_id"),
            octane_url: optional("octane_url"),
            params,
        })
    }

    /// The origin of `octane_url` (`https://octane.example.com`), the only
    /// origin messages are sent to and accepted from by default.
    pub fn octane_origin(&self) -> Option<String> {
        self.octane_url.as_deref().and_then(origin)
    }
}

/// The origin (`scheme://host[:port]`, lower-cased, default port dropped)
/// of an absolute http(s) URL; `None` for anything else.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains(['@', '\\', ' ']) {
        return None;
    }
    let authority = authority.to_ascii_lowercase();
    let default = if scheme == "https" { ":443" } else { ":80" };
    let host = authority.strip_suffix(default).unwrap_or(&authority);
    Some(format!("{scheme}://{host}"))
}

/// `text` as an exact origin: `scheme://host[:port]`, at most a trailing
/// `/`, no path, query, fragment, user or wildcard. Allow-lists of origins
/// take only these, so that an entry never matches more than it says.
pub fn exact_origin(text: &str) -> Result<String, AppError> {
    let refuse = || {
        error(
            NOT_AN_ORIGIN,
            format!("`{text}` is not an exact origin"),
            "write scheme, host and port only, such as https://proxy.example.com",
        )
    };
    let rest = text.split_once("://").ok_or_else(refuse)?.1;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if !matches!(&rest[authority.len()..], "" | "/") || authority.contains('*') {
        return Err(refuse());
    }
    origin(text).ok_or_else(refuse)
}

/// A refused redirect: the request carried the XSRF header, and a redirect
/// would carry it on to wherever the `Location` points.
pub fn redirected(url: &str) -> AppError {
    error(
        REDIRECTED,
        format!("the request to {url} was redirected, and it carries the XSRF header"),
        "request the final URL, or pass redirect: \"follow\" if the redirect stays within Octane",
    )
}

/// The events an app sends to Octane.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// `octane_refresh_entity`: refresh these entities.
    RefreshEntity {
        /// The (aggregated) entity type.
        entity_type: String,
        /// The ids.
        ids: Vec<String>,
    },
    /// `octane_display_entity`: show this entity's details.
    DisplayEntity {
        /// The entity type.
        entity_type: String,
        /// The id.
        id: String,
    },
    /// `octane_entity_was_added`: a new entity exists.
    EntityWasAdded {
        /// The entity type.
        entity_type: String,
        /// The id.
        id: String,
    },
    /// `octane_refresh_list`: refresh the list of this type.
    RefreshList {
        /// The entity type.
        entity_type: String,
    },
    /// `octane_set_dialog_title`.
    SetDialogTitle {
        /// The new title.
        title: String,
    },
    /// `octane_close_dialog`.
    CloseDialog {
        /// Refresh the view behind the dialog.
        refresh: bool,
    },
}

impl Event {
    /// The `event_name` Octane reads.
    pub fn name(&self) -> &'static str {
        match self {
            Event::RefreshEntity { .. } => "octane_refresh_entity",
            Event::DisplayEntity { .. } => "octane_display_entity",
            Event::EntityWasAdded { .. } => "octane_entity_was_added",
            Event::RefreshList { .. } => "octane_refresh_list",
            Event::SetDialogTitle { .. } => "octane_set_dialog_title",
            Event::CloseDialog { .. } => "octane_close_dialog",
        }
    }

    /// Whether the event is about the dialog (and so carries `dialog_id`).
    pub fn is_dialog_event(&self) -> bool {
        matches!(
            self,
            Event::SetDialogTitle { .. } | Event::CloseDialog { .. }
        )
    }
}

fn check_name(what: &str, value: &str) -> Result<(), AppError> {
    if value.trim().is_empty() {
        return Err(error(
            BAD_ARGUMENT,
            format!("`{what}` is empty"),
            format!("pass the {what}"),
        ));
    }
    Ok(())
}

/// The message envelope for `event`:
/// `{event_name, shared_space, workspace, data}`, with `dialog_id` in
/// `data` for dialog events. Arguments are checked first.
pub fn envelope(context: &ActionContext, event: &Event) -> Result<serde_json::Value, AppError> {
    use serde_json::json;
    let data = match event {
        Event::RefreshEntity { entity_type, ids } => {
            check_name("entity type", entity_type)?;
            if ids.is_empty() || ids.iter().any(|id| id.trim().is_empty()) {
                return Err(error(
                    BAD_ARGUMENT,
                    "`ids` must list at least one non-empty id",
                    "pass the ids of the entities to refresh",
                ));
            }
            json!({"entity_type": entity_type, "entity_ids": ids})
        }
        Event::DisplayEntity { entity_type, id } | Event::EntityWasAdded { entity_type, id } => {
            check_name("entity type", entity_type)?;
            check_name("id", id)?;
            json!({"entity_type": entity_type, "entity_id": id})
        }
        Event::RefreshList { entity_type } => {
            check_name("entity type", entity_type)?;
            json!({"entity_type": entity_type})
        }
        Event::SetDialogTitle { title } => json!({"title": title}),
        Event::CloseDialog { refresh } => json!({"refresh": refresh}),
    };
    let mut data = data;
    if event.is_dialog_event() {
        let Some(dialog_id) = &context.dialog_id else {
            return Err(error(
                BAD_ARGUMENT,
                format!(
                    "`{}` needs a dialog_id, and the context has none",
                    event.name()
                ),
                "open the app from an action with \"dialog\" and pass dialog_id={dialog_id} in its url",
            ));
        };
        data["dialog_id"] = json!(dialog_id);
    }
    Ok(json!({
        "event_name": event.name(),
        "shared_space": context.shared_space,
        "workspace": context.workspace,
        "data": data,
    }))
}

/// Resolves `path_or_url` for a request: a relative path against
/// `<octane_url>/api/shared_spaces/<space>/workspaces/<workspace>/`; an
/// absolute http(s) URL as is; anything else fails closed.
pub fn resolve(context: &ActionContext, path_or_url: &str) -> Result<String, AppError> {
    let trimmed = path_or_url.trim();
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return origin(trimmed).map(|_| trimmed.to_owned()).ok_or_else(|| {
            error(
                UNRESOLVED_URL,
                format!("`{trimmed}` is not an http(s) URL"),
                "pass a path, or an absolute https:// URL",
            )
        });
    }
    if trimmed.contains(':')
        && trimmed
            .split(['/', '?'])
            .next()
            .is_some_and(|s| s.contains(':'))
    {
        return Err(error(
            UNRESOLVED_URL,
            format!("`{trimmed}` has a scheme that is not http(s)"),
            "pass a path, or an absolute https:// URL",
        ));
    }
    let base = context
        .octane_url
        .as_deref()
        .filter(|u| origin(u).is_some())
        .ok_or_else(|| {
            error(
                UNRESOLVED_URL,
                "the context has no usable octane_url",
                "add octane_url={octane_url} to the action's url",
            )
        })?;
    for (name, value) in [
        ("shared_space", &context.shared_space),
        ("workspace", &context.workspace),
    ] {
        if !is_number_id(value) {
            return Err(error(
                NOT_AN_ID,
                format!("the context's {name} `{}` is not an id", shorten(value)),
                "read the context with ActionContext.fromLocation",
            ));
        }
    }
    let base = base.trim_end_matches('/');
    let path = trimmed.trim_start_matches('/');
    let path_part = path.split(['?', '#']).next().unwrap_or_default();
    if path_part
        .split('/')
        .any(|segment| matches!(decode(segment).as_str(), "." | ".."))
    {
        return Err(error(
            UNRESOLVED_URL,
            format!("`{}` holds a `.` or `..` segment", shorten(trimmed)),
            "requests stay inside the workspace: pass ids with OctaneClient, or check the path",
        ));
    }
    Ok(format!(
        "{base}/api/shared_spaces/{}/workspaces/{}/{path}",
        crate::encode(&context.shared_space),
        crate::encode(&context.workspace)
    ))
}

/// Whether a request to `url` may carry the XSRF header: only when its
/// origin is exactly the Octane origin, or exactly one of `extra`.
pub fn xsrf_allowed(url: &str, octane_origin: &str, extra: &[String]) -> bool {
    let Some(target) = origin(url) else {
        return false;
    };
    let exact = |candidate: &str| origin(candidate).is_some_and(|o| o == target);
    exact(octane_origin) || extra.iter().any(|e| exact(e))
}

/// The cookie in which Octane hands the page its XSRF token.
pub const XSRF_COOKIE: &str = "XSRF_COOKIE";
/// The request header that carries the token back to Octane.
pub const XSRF_HEADER: &str = "XSRF-HEADER";

/// The XSRF token in `cookies` (a `document.cookie` string), decoded, or
/// `None` when the cookie is not set. A token that could not travel as a
/// header value (controls, spaces, non-ASCII) is an error rather than a
/// header the browser would refuse or a request sent without it.
pub fn xsrf_token(cookies: &str) -> Result<Option<String>, AppError> {
    let Some(raw) = cookies.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key.trim() == XSRF_COOKIE).then_some(value.trim())
    }) else {
        return Ok(None);
    };
    let token = decode(raw.trim_matches('"'));
    if token.is_empty() || !token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(error(
            BAD_XSRF_COOKIE,
            format!("the {XSRF_COOKIE} cookie does not hold a usable token"),
            format!("sign in to Octane again so it sets a fresh {XSRF_COOKIE}"),
        ));
    }
    Ok(Some(token))
}

/// A value interpolated into a query template.
#[derive(Clone, Debug, PartialEq)]
pub enum TemplateValue {
    /// A string: becomes `^...^`, escaped.
    String(String),
    /// A number: must be finite.
    Number(f64),
    /// `true` / `false`.
    Boolean(bool),
    /// `null`.
    Null,
    /// A date, as ISO-8601 UTC text (`2026-11-20T12:00:00.000Z`).
    Date(String),
    /// An array: becomes an `IN` list.
    List(Vec<TemplateValue>),
}

fn literal(value: &TemplateValue, index: usize) -> Result<String, AppError> {
    Ok(match value {
        TemplateValue::String(s) => {
            if s.contains('*') {
                return Err(error(
                    BAD_VALUE,
                    format!("value {index} holds `*`, which Octane reads as a wildcard"),
                    "remove the `*`: Octane cannot filter on the character itself",
                ));
            }
            Str::new(s.clone()).to_string()
        }
        TemplateValue::Number(n) if n.is_finite() => {
            if n.fract() == 0.0 && n.abs() < 9e15 {
                format!("{n:.0}")
            } else {
                n.to_string()
            }
        }
        TemplateValue::Number(_) => {
            return Err(error(
                BAD_VALUE,
                format!("value {index} is not a finite number"),
                "pass a number, not NaN or Infinity",
            ));
        }
        TemplateValue::Boolean(b) => b.to_string(),
        TemplateValue::Null => "null".to_owned(),
        TemplateValue::Date(iso) => Str::new(iso.clone()).to_string(),
        TemplateValue::List(items) => {
            if items.is_empty() {
                return Err(error(
                    BAD_VALUE,
                    format!("value {index} is an empty list"),
                    "an IN list needs at least one value",
                ));
            }
            let parts: Result<Vec<String>, AppError> = items
                .iter()
                .map(|item| match item {
                    TemplateValue::List(_) => Err(error(
                        BAD_VALUE,
                        format!("value {index} nests a list"),
                        "pass a flat list",
                    )),
                    other => literal(other, index),
                })
                .collect();
            parts?.join(",")
        }
    })
}

/// Builds a query from template `strings` and `values` (as a tagged
/// template passes them): each value becomes a literal of its type, then
/// the whole is parsed and returned in canonical form. A value can never
/// change the query's structure: it is always one literal (or one list).
pub fn query_template(
    strings: &[String],
    values: &[TemplateValue],
) -> Result<String, QueryTemplateError> {
    if strings.len() != values.len() + 1 {
        return Err(QueryTemplateError::App(error(
            BAD_VALUE,
            "the template's pieces and values do not line up",
            "call it as a tagged template: octaneQuery`...`",
        )));
    }
    let mut text = strings[0].clone();
    for (index, (value, after)) in values.iter().zip(&strings[1..]).enumerate() {
        text.push_str(&literal(value, index).map_err(QueryTemplateError::App)?);
        text.push_str(after);
    }
    octane_query::format(&text).map_err(|d| QueryTemplateError::Query(text, d))
}

/// Why a query template failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryTemplateError {
    /// A value cannot be a literal.
    App(AppError),
    /// The assembled query (first) has errors, in the template's own text.
    Query(String, Diagnostics),
}

impl From<QueryTemplateError> for Vec<Diagnostic> {
    fn from(error: QueryTemplateError) -> Self {
        match error {
            QueryTemplateError::App(e) => vec![
                Diagnostic::with_code(
                    e.code,
                    octane_query::Severity::Error,
                    octane_query::Span::default(),
                    e.message,
                )
                .with_help(e.help),
            ],
            QueryTemplateError::Query(_, d) => d.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://app.example/x?entity_ids=1003,4005&entity_type=work_item&shared_space=1004&workspace=1006&user_login=ada%40example.com&octane_url=https%3A%2F%2FOctane.example.com%3A443%2F#dialog_id=d-1";

    #[test]
    fn context_from_query_and_hash() {
        let context = ActionContext::from_url(URL).unwrap();
        assert_eq!(context.entity_ids, ["1003", "4005"]);
        assert_eq!(context.shared_space, "1004");
        assert_eq!(context.user_login.as_deref(), Some("ada@example.com"));
        assert_eq!(context.dialog_id.as_deref(), Some("d-1"));
        assert_eq!(
            context.octane_origin().as_deref(),
            Some("https://octane.example.com")
        );
        let error =
            ActionContext::from_url("https://a/?shared_space=1&workspace=2&email={user_email}")
                .unwrap_err();
        assert_eq!(error.code, UNSUBSTITUTED);
        assert!(error.message.contains("`email`"));
        let error = ActionContext::from_url("https://a/?workspace=2").unwrap_err();
        assert_eq!(error.code, MISSING_PARAMETER);
        assert!(error.message.contains("shared_space"));
    }

    #[test]
    fn a_parameter_counts_once() {
        let base = "https://app.example/?shared_space=1&workspace=2";
        for url in [
            format!("{base}&octane_url=https%3A%2F%2Fa.example&octane_url=https%3A%2F%2Fb.example"),
            format!("{base}&octane_url=https%3A%2F%2Fa.example#octane_url=https%3A%2F%2Fb.example"),
            format!("{base}#workspace=3"),
        ] {
            let error = ActionContext::from_url(&url).unwrap_err();
            assert_eq!(error.code, DUPLICATE_PARAMETER, "{url}");
        }
    }

    #[test]
    fn spaces_workspaces_and_entity_ids_are_ids() {
        for bad in [
            "shared_space=..&workspace=2",
            "shared_space=1&workspace=%2e%2e",
            "shared_space=1&workspace=2%2F..",
            "shared_space=1&workspace=-2",
            "shared_space=1&workspace=2&entity_ids=1,..",
            "shared_space=1&workspace=2&entity_ids=%2E",
            "shared_space=1&workspace=2&entity_ids=a%2Fb",
        ] {
            let url = format!("https://app.example/?{bad}");
            assert_eq!(
                ActionContext::from_url(&url).unwrap_err().code,
                NOT_AN_ID,
                "{bad}"
            );
        }
        assert_eq!(id_segment("..", "id").unwrap_err().code, NOT_AN_ID);
        assert_eq!(id_segment(".", "id").unwrap_err().code, NOT_AN_ID);
        assert_eq!(
            id_segment("list_node.severity.high", "id").unwrap(),
            "list_node.severity.high"
        );
        // A forged context does not get past resolution either.
        let mut context = ActionContext::from_url(URL).unwrap();
        for path in [
            "defects/..",
            "defects/%2e%2E/x",
            "./defects",
            "defects/../../x?y",
        ] {
            assert_eq!(
                resolve(&context, path).unwrap_err().code,
                UNRESOLVED_URL,
                "{path}"
            );
        }
        context.workspace = "..".into();
        assert_eq!(resolve(&context, "defects").unwrap_err().code, NOT_AN_ID);
    }

    #[test]
    fn the_app_names_the_octane_it_trusts() {
        let context = ActionContext::from_url(URL).unwrap();
        let pinned = |origins: &[&str]| Trust {
            octane_origins: origins.iter().map(|o| (*o).to_owned()).collect(),
            ..Trust::default()
        };
        let app = "https://app.example";
        assert!(
            pinned(&["https://octane.example.com"])
                .check(&context, app)
                .is_ok()
        );
        // By default only the app's own origin is trusted.
        let error = Trust::default().check(&context, app).unwrap_err();
        assert_eq!(error.code, UNTRUSTED_OCTANE);
        assert!(
            error.message.contains("https://octane.example.com"),
            "{error}"
        );
        assert!(error.help.contains("octaneOrigins"), "{error}");
        assert!(
            Trust::default()
                .check(&context, "https://octane.example.com")
                .is_ok()
        );
        let error = pinned(&["https://octane.example.com/path"]).check(&context, app);
        assert_eq!(error.unwrap_err().code, NOT_AN_ORIGIN);
        // Embedded or opened by a third origin: refused; by Octane or the
        // app itself, or unknown: fine.
        let mut trust = pinned(&["https://octane.example.com"]);
        trust.embedder_origin = Some("https://evil.example".into());
        assert_eq!(
            trust.check(&context, app).unwrap_err().code,
            UNTRUSTED_OCTANE
        );
        trust.embedder_origin = Some("https://octane.example.com".into());
        trust.referrer_origin = Some("https://evil.example".into());
        assert_eq!(
            trust.check(&context, app).unwrap_err().code,
            UNTRUSTED_OCTANE
        );
        trust.referrer_origin = Some(app.into());
        assert!(trust.check(&context, app).is_ok());
        trust.referrer_origin = None;
        trust.embedder_origin = None;
        assert!(trust.check(&context, app).is_ok());
    }

    #[test]
    fn envelopes() {
        let context = ActionContext::from_url(URL).unwrap();
        let message = envelope(
            &context,
            &Event::RefreshEntity {
                entity_type: "work_item".into(),
                ids: vec!["1003".into()],
            },
        )
        .unwrap();
        assert_eq!(
            message,
            serde_json::json!({"event_name": "octane_refresh_entity", "shared_space": "1004", "workspace": "1006",
                "data": {"entity_type": "work_item", "entity_ids": ["1003"]}})
        );
        let close = envelope(&context, &Event::CloseDialog { refresh: true }).unwrap();
        assert_eq!(
            close["data"],
            serde_json::json!({"refresh": true, "dialog_id": "d-1"})
        );
        assert_eq!(
            envelope(
                &context,
                &Event::RefreshEntity {
                    entity_type: String::new(),
                    ids: vec!["1".into()]
                }
            )
            .unwrap_err()
            .code,
            BAD_ARGUMENT
        );
        assert_eq!(
            envelope(
                &context,
                &Event::RefreshEntity {
                    entity_type: "defect".into(),
                    ids: vec![]
                }
            )
            .unwrap_err()
            .code,
            BAD_ARGUMENT
        );
        let no_dialog = ActionContext {
            dialog_id: None,
            ..context
        };
        assert_eq!(
            envelope(&no_dialog, &Event::SetDialogTitle { title: "T".into() })
                .unwrap_err()
                .code,
            BAD_ARGUMENT
        );
    }

    #[test]
    fn resolution_and_xsrf() {
        let context = ActionContext::from_url(URL).unwrap();
        assert_eq!(
            resolve(&context, "defects?limit=1").unwrap(),
            "https://Octane.example.com:443/api/shared_spaces/1004/workspaces/1006/defects?limit=1"
        );
        assert_eq!(
            resolve(&context, "https://other.example/x").unwrap(),
            "https://other.example/x"
        );
        assert_eq!(
            resolve(&context, "javascript:alert(1)").unwrap_err().code,
            UNRESOLVED_URL
        );
        assert_eq!(
            resolve(&context, "ftp://x/y").unwrap_err().code,
            UNRESOLVED_URL
        );
        let octane = context.octane_origin().unwrap();
        assert!(xsrf_allowed(
            "https://octane.example.com/api/x",
            &octane,
            &[]
        ));
        assert!(xsrf_allowed(
            "https://OCTANE.example.com:443/api/x",
            &octane,
            &[]
        ));
        for url in [
            "https://octane.example.com.evil.example/",
            "http://octane.example.com/",
            "https://octane.example.com:8443/",
            "https://evil.example/?https://octane.example.com",
            "https://user@octane.example.com/",
            "not a url",
            "/relative",
        ] {
            assert!(!xsrf_allowed(url, &octane, &[]), "{url}");
        }
        assert!(xsrf_allowed(
            "https://api.example/x",
            &octane,
            &["https://api.example".into()]
        ));
        assert!(!xsrf_allowed(
            "https://api.example.evil/x",
            &octane,
            &["https://api.example".into()]
        ));
    }

    #[test]
    fn allow_lists_take_exact_origins_only() {
        assert_eq!(
            exact_origin("https://Proxy.example.com").unwrap(),
            "https://proxy.example.com"
        );
        assert_eq!(
            exact_origin("https://proxy.example.com:443/").unwrap(),
            "https://proxy.example.com"
        );
        assert_eq!(
            exact_origin("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "*",
            "https://*.example.com",
            "proxy.example.com",
            "https://proxy.example.com/api",
            "https://proxy.example.com?x",
            "https://proxy.example.com#x",
            "https://user@proxy.example.com",
            "ftp://proxy.example.com",
            "https://",
            "",
        ] {
            assert_eq!(exact_origin(bad).unwrap_err().code, NOT_AN_ORIGIN, "{bad}");
        }
    }

    #[test]
    fn xsrf_token_is_read_from_the_cookie_string() {
        assert_eq!(xsrf_token("").unwrap(), None);
        assert_eq!(xsrf_token("a=1; XSRF_COOKIE_OLD=x").unwrap(), None);
        assert_eq!(
            xsrf_token("a=1; XSRF_COOKIE=abc%2Bdef; b=2").unwrap(),
            Some("abc+def".into())
        );
        assert_eq!(
            xsrf_token("XSRF_COOKIE=\"Qx9\"").unwrap(),
            Some("Qx9".into())
        );
        for bad in [
            "XSRF_COOKIE=",
            "XSRF_COOKIE=a%0Ab",
            "XSRF_COOKIE=%C3%A9t%C3%A9",
            "XSRF_COOKIE=a%20b",
        ] {
            assert_eq!(xsrf_token(bad).unwrap_err().code, BAD_XSRF_COOKIE, "{bad}");
        }
    }

    #[test]
    fn query_templates_cannot_change_structure() {
        let strings = |parts: &[&str]| parts.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let q = query_template(
            &strings(&[
                "name EQ ",
                ";id GT ",
                ";owner EQ {id IN ",
                "};flag EQ ",
                ";closed_on EQ ",
                "",
            ]),
            &[
                TemplateValue::String("x^;id GT 0||a EQ 1".into()),
                TemplateValue::Number(5.0),
                TemplateValue::List(vec![
                    TemplateValue::String("1".into()),
                    TemplateValue::Number(2.0),
                ]),
                TemplateValue::Boolean(true),
                TemplateValue::Null,
            ],
        )
        .unwrap();
        assert_eq!(
            q,
            "name EQ ^x\\^;id GT 0||a EQ 1^;id GT 5;owner EQ {id IN ^1^,2};flag EQ true;closed_on EQ null"
        );
        let star = query_template(
            &strings(&["name EQ ", ""]),
            &[TemplateValue::String("a*".into())],
        )
        .unwrap_err();
        assert!(matches!(star, QueryTemplateError::App(e) if e.code == BAD_VALUE));
        let nan = query_template(
            &strings(&["id EQ ", ""]),
            &[TemplateValue::Number(f64::NAN)],
        )
        .unwrap_err();
        assert!(matches!(nan, QueryTemplateError::App(_)));
        let broken = query_template(&strings(&["id EQ ", " AND"]), &[TemplateValue::Number(1.0)])
            .unwrap_err();
        assert!(matches!(broken, QueryTemplateError::Query(text, _) if text == "id EQ 1 AND"));
        let date = query_template(
            &strings(&["creation_time GT ", ""]),
            &[TemplateValue::Date("2026-11-20T12:00:00.000Z".into())],
        )
        .unwrap();
        assert_eq!(date, "creation_time GT ^2026-11-20T12:00:00.000Z^");
    }
}
