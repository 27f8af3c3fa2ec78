//! Token substitution: the exact URL a click would open, every value
//! percent-encoded for where it lands.

use std::collections::BTreeMap;

use octane_query::Span;
use octane_query::suggest::did_you_mean;
use octane_schema::Schema;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::diagnostics::{
    ActionDiagnostic, ActionErrorKind as K, error, json_syntax, not_an_action,
};
use crate::json::{self, Json, JsonKind, string_offset};
use crate::template::{self, Piece, Place, encode, entity_field};
use crate::validate::{ValidateOptions, validate_actions};

/// One value of the context, kept as the JSON text it arrived in and read
/// only when a token uses it: a value no token uses, however malformed
/// (text with a lone surrogate, say), never stops an action from
/// rendering.
#[derive(Clone, Debug, Deserialize)]
#[serde(transparent)]
pub struct Field(Box<RawValue>);

impl Field {
    /// A field holding `value`.
    pub fn new(value: &Value) -> Field {
        // Serializing a `Value` to text cannot fail.
        Field(serde_json::value::to_raw_value(value).unwrap_or_default())
    }

    /// The field's JSON text, as given.
    pub fn json(&self) -> &str {
        self.0.get()
    }

    /// The field's value; `None` when its text is not Unicode (a lone
    /// surrogate), which no URL can carry.
    pub fn value(&self) -> Option<Value> {
        serde_json::from_str(self.0.get()).ok()
    }
}

impl From<&str> for Field {
    fn from(text: &str) -> Field {
        Field::new(&Value::String(text.to_owned()))
    }
}

/// A selected entity: `id`, `type` and any fields, by name.
pub type Entity = BTreeMap<String, Field>;

/// What Octane knows when the button is clicked. Its JSON form uses
/// Octane's token names (`shared_space`, `octane_url`); a key it does not
/// know is refused, so a misspelt one is never silently ignored.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Context {
    /// The selected entities: each with `id`, `type` and any fields.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// The shared space id.
    #[serde(default)]
    pub shared_space: Option<Field>,
    /// The workspace id.
    #[serde(default)]
    pub workspace: Option<Field>,
    /// The user's login name.
    #[serde(default)]
    pub user_login: Option<Field>,
    /// The user's email address.
    #[serde(default)]
    pub user_email: Option<Field>,
    /// The dialog id, for actions in a dialog.
    #[serde(default)]
    pub dialog_id: Option<Field>,
    /// The Octane site's URL.
    #[serde(default)]
    pub octane_url: Option<Field>,
    /// The URL of the uploaded bundle.
    #[serde(default)]
    pub bundle_url: Option<Field>,
}

/// The aggregated type Octane passes as `{entity_type}`: a defect gives
/// `work_item`, a manual test `test`; other types are their own.
pub fn aggregated_type(entity: &str) -> &str {
    Schema::builtin().aggregated_type(entity)
}

/// How to render: which action, and what the site allows.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// The site's settings the validator applies.
    pub validate: ValidateOptions,
    /// The `name` of the action to render, when the config is the
    /// editor's array of actions (an array of one needs no name).
    pub action: Option<String>,
}

/// Renders the URL of an action for `context`. `config` is the editor's
/// JSON: one action, or an array of actions from which
/// [`RenderOptions::action`] picks one by name. Every refusal carries at
/// least one diagnostic located in `config`.
pub fn render(
    config: &str,
    context: &Context,
    options: &RenderOptions,
) -> Result<String, Vec<ActionDiagnostic>> {
    render_parts(config, context, options).map(|rendered| rendered.url)
}

/// A rendered URL and where each token's value went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The URL, every value percent-encoded.
    pub url: String,
    /// The substituted tokens, in the order they appear.
    pub substitutions: Vec<Substitution>,
}

/// One token of the template and the text that replaced it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Substitution {
    /// The token's name, such as `entity_ids` or `entity.name`.
    pub token: String,
    /// Byte range of the (encoded) value in [`Rendered::url`].
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// The token, braces included, in `config`.
    pub span: Span,
}

/// [`render`], with where each token's value went: what a tool needs to
/// mark every substitution in the URL it shows.
pub fn render_parts(
    config: &str,
    context: &Context,
    options: &RenderOptions,
) -> Result<Rendered, Vec<ActionDiagnostic>> {
    let root = json::parse(config).map_err(|e| vec![json_syntax(e)])?;
    let (action, path) = select(&root, options.action.as_deref())?;
    let (url, url_span) = checked_url(config, action, &path, &options.validate)?;
    let url_path = format!("{path}/url");
    let single = action
        .get("single_entity")
        .is_some_and(|m| m.value.kind == JsonKind::Bool(true));
    let span_of = |start: usize, end: usize| {
        Span::new(
            string_offset(config, url_span, start),
            string_offset(config, url_span, end),
        )
    };
    let fail =
        |kind, span, message: String, help: &str| vec![error(kind, span, &url_path, message, help)];

    if context.entities.is_empty() {
        return Err(fail(
            K::EmptySelection,
            url_span,
            "no entity is selected".into(),
            "select at least one entity",
        ));
    }
    if single && context.entities.len() > 1 {
        return Err(fail(
            K::SeveralSelected,
            url_span,
            format!(
                "{} entities are selected, but the action takes one",
                context.entities.len()
            ),
            "select a single entity, or remove \"single_entity\": true",
        ));
    }
    let pieces = template::pieces(url).map_err(|_| {
        fail(
            K::UnclosedToken,
            url_span,
            "a `{` in the URL has no `}`".into(),
            "close the token, or write the brace as %7B",
        )
    })?;
    let mut out = String::with_capacity(url.len() * 2);
    let mut errors = Vec::new();
    // Where each value landed in a path: its bytes in `out` and its token.
    let mut in_path: Vec<(usize, usize, &str, Span)> = Vec::new();
    let mut substitutions = Vec::new();
    for piece in &pieces {
        let (name, start, end, place) = match piece {
            Piece::Text(text) => {
                out.push_str(text);
                continue;
            }
            Piece::Token {
                name,
                start,
                end,
                place,
            } => (*name, *start, *end, *place),
        };
        let span = span_of(start, end);
        // A base URL starts the URL as is; elsewhere (a query or fragment
        // value, as the validator allows) it is encoded like any value.
        let value = token_value(name, context).map(|value| {
            if template::is_base(name) && start != 0 {
                template::encode(&value)
            } else {
                value
            }
        });
        match value {
            Ok(value) => {
                if place == Place::Path {
                    in_path.push((out.len(), out.len() + value.len(), name, span));
                }
                substitutions.push(Substitution {
                    token: name.to_owned(),
                    start: out.len(),
                    end: out.len() + value.len(),
                    span,
                });
                out.push_str(&value);
            }
            Err((kind, message, help)) => {
                errors.push(error(kind, span, &url_path, message, help));
            }
        }
    }
    errors.extend(dot_segments(&out, &in_path, &url_path));
    if errors.is_empty() {
        Ok(Rendered {
            url: out,
            substitutions,
        })
    } else {
        Err(errors)
    }
}

/// A value that makes a whole `.` or `..` path segment, which a browser
/// would resolve away: one error per such value.
fn dot_segments(
    out: &str,
    in_path: &[(usize, usize, &str, Span)],
    url_path: &str,
) -> Vec<ActionDiagnostic> {
    let mut found = Vec::new();
    for &(from, to, name, span) in in_path {
        let segment = segment_around(out, from, to);
        if matches!(
            percent_encoding::percent_decode_str(segment)
                .decode_utf8_lossy()
                .as_ref(),
            "." | ".."
        ) {
            found.push(error(
                K::DotSegment,
                span,
                url_path,
                format!(
                    "`{{{name}}}` makes the path segment `{segment}`, which a browser reads as {}",
                    if segment.len() == 1 { "\"this folder\"" } else { "\"go up\"" }
                ),
                "a value may not be a whole `.` or `..` segment: select another entity, or put the value in the query string",
            ));
        }
    }
    found
}

/// The path segment of `url` that holds bytes `from..to`.
fn segment_around(url: &str, from: usize, to: usize) -> &str {
    let start = url[..from].rfind('/').map_or(0, |i| i + 1);
    let end = url[to..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| to + i);
    &url[start..end]
}

/// The URL of `action` (at JSON pointer `path` in `config`) and its span,
/// once the validator finds no error in it. The chosen action's own
/// problems, and those of the config as a whole, stop the rendering;
/// another action's do not.
fn checked_url<'a>(
    config: &str,
    action: &'a Json,
    path: &str,
    options: &ValidateOptions,
) -> Result<(&'a str, Span), Vec<ActionDiagnostic>> {
    let inside = |p: &str| p.is_empty() || p == path || p.starts_with(&format!("{path}/"));
    let problems: Vec<ActionDiagnostic> = validate_actions(config, options)
        .into_iter()
        .filter(|d| d.diagnostic.is_error() && inside(&d.path))
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    // The validator has checked that `url` is a string; should it not be,
    // the refusal still says so.
    match action.get("url") {
        Some(member) => match &member.value.kind {
            JsonKind::String(url) => Ok((url, member.value.span)),
            _ => Err(vec![error(
                K::WrongType,
                member.value.span,
                &format!("{path}/url"),
                "`url` must be a string",
                "write the URL between double quotes",
            )]),
        },
        None => Err(vec![error(
            K::MissingProperty,
            action.span,
            path,
            "the action has no `url`",
            "add \"url\": \"https://...\"",
        )]),
    }
}

/// The action `name` picks from `root` (one action, or an array of
/// them), with its JSON pointer.
fn select<'a>(
    root: &'a Json,
    name: Option<&str>,
) -> Result<(&'a Json, String), Vec<ActionDiagnostic>> {
    let name_of = |action: &'a Json| action.get("name").and_then(|m| m.value.as_str());
    match &root.kind {
        JsonKind::Array(items) => {
            let names: Vec<&str> = items.iter().filter_map(name_of).collect();
            let listed = || {
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            match name {
                Some(wanted) => {
                    let found = items
                        .iter()
                        .enumerate()
                        .find(|(_, item)| name_of(item) == Some(wanted));
                    found
                        .map(|(i, item)| (item, format!("/{i}")))
                        .ok_or_else(|| {
                            let help = match did_you_mean(wanted, names.iter().copied()) {
                                Some(close) => format!("did you mean `{close}`?"),
                                None if names.is_empty() => {
                                    "the config holds no named action".to_owned()
                                }
                                None => format!("the config's actions are {}", listed()),
                            };
                            vec![error(
                                K::ActionNotFound,
                                root.span,
                                "",
                                format!("the config has no action named `{wanted}`"),
                                help,
                            )]
                        })
                }
                None => match items.as_slice() {
                    [only] => Ok((only, "/0".to_owned())),
                    [] => Err(vec![error(
                        K::ActionNotFound,
                        root.span,
                        "",
                        "the config holds no action to render",
                        "add an action object to the array",
                    )]),
                    _ => Err(vec![error(
                        K::ActionNotFound,
                        root.span,
                        "",
                        format!(
                            "the config holds {} actions: say which one to render",
                            items.len()
                        ),
                        format!("pass the action's name ({})", listed()),
                    )]),
                },
            }
        }
        JsonKind::Object(_) => match (name, name_of(root)) {
            (Some(wanted), Some(actual)) if wanted != actual => Err(vec![error(
                K::ActionNotFound,
                root.get("name").map_or(root.span, |m| m.value.span),
                "/name",
                format!("the action is named `{actual}`, not `{wanted}`"),
                "pass the action's own name, or none",
            )]),
            _ => Ok((root, String::new())),
        },
        _ => Err(vec![not_an_action(root)]),
    }
}

type TokenError = (K, String, String);

/// The value of `field`, read now that a token uses it.
fn read(field: &Field, name: &str) -> Result<Value, TokenError> {
    field.value().ok_or_else(|| {
        (
            K::BadFieldValue,
            format!("`{name}` holds text that is not Unicode (a lone surrogate)"),
            "no URL can carry it: fix the value, or leave the token out".into(),
        )
    })
}

fn token_value(name: &str, context: &Context) -> Result<String, TokenError> {
    let missing = |what: &str| {
        (
            K::MissingContext,
            format!("the context has no `{what}`"),
            format!("pass `{what}` in the context"),
        )
    };
    // A string or number of the context, read only when used.
    let text = |field: Option<&Field>, what: &str| -> Result<String, TokenError> {
        let value = read(field.ok_or_else(|| missing(what))?, what)?;
        scalar(Some(&value)).ok_or_else(|| {
            (
                K::BadFieldValue,
                format!("`{what}` is {}, not a string or number", kind(&value)),
                format!("pass `{what}` as a string"),
            )
        })
    };
    let first = &context.entities[0];
    if let Some(field) = entity_field(name) {
        let Some(raw) = first.get(field) else {
            return Err((
                K::BadFieldValue,
                format!("the selected entity has no field `{field}`"),
                "check the field's name (user-defined fields end in _udf)".into(),
            ));
        };
        return match read(raw, &format!("the field {field}"))? {
            Value::String(s) => Ok(encode(&s)),
            Value::Number(n) => Ok(encode(&n.to_string())),
            other => Err((
                K::BadFieldValue,
                format!(
                    "the field `{field}` is {}, not a string or number",
                    kind(&other)
                ),
                "only string and number fields can stand in a URL".into(),
            )),
        };
    }
    match name {
        "entity_ids" => {
            let ids: Result<Vec<String>, TokenError> = context
                .entities
                .iter()
                .map(|e| text(e.get("id"), "entities[].id").map(|id| encode(&id)))
                .collect();
            Ok(ids?.join(","))
        }
        "entity_type" => {
            let entity = text(first.get("type"), "entities[].type")?;
            Ok(encode(aggregated_type(&entity)))
        }
        "shared_space" => text(context.shared_space.as_ref(), name).map(|v| encode(&v)),
        "workspace" => text(context.workspace.as_ref(), name).map(|v| encode(&v)),
        "dialog_id" => text(context.dialog_id.as_ref(), name).map(|v| encode(&v)),
        "user_login" => text(context.user_login.as_ref(), name).map(|v| encode(&v)),
        "user_email" => text(context.user_email.as_ref(), name).map(|v| encode(&v)),
        "octane_url" => base_url(&text(context.octane_url.as_ref(), name)?, name),
        "bundle_url" => base_url(&text(context.bundle_url.as_ref(), name)?, name),
        // Unknown tokens were refused by the validator.
        other => Err((
            K::UnknownToken,
            format!("Octane does not substitute `{{{other}}}`"),
            String::new(),
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object (a reference?)",
    }
}

/// A string or number as text.
fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `octane_url` / `bundle_url`: an absolute http(s) URL with a host and
/// no user info, query or fragment; inserted as is, without a trailing `/`.
fn base_url(value: &str, name: &str) -> Result<String, TokenError> {
    let bad = |why: &str| {
        (
            K::BadBaseUrl,
            format!("`{name}` {why}"),
            "pass the site's URL, such as https://octane.example.com".to_owned(),
        )
    };
    let lower = value.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| bad("must start with https:// or http://"))?;
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("holds white space or control characters"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains(['@', '\\']) {
        return Err(bad("must name a host, with no user name"));
    }
    if rest.contains(['?', '#']) {
        return Err(bad("must not hold a query or fragment"));
    }
    Ok(value.trim_end_matches('/').to_owned())
}
