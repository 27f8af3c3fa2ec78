//! The external-action config validator: every documented property, and
//! the URL checked as a careful reviewer would.

use std::collections::HashMap;

use octane_query::Span;
use octane_query::suggest::did_you_mean;
use octane_schema::Schema;

use crate::diagnostics::{
    ActionDiagnostic, ActionErrorKind as K, error, json_syntax, not_an_action, warning,
};
use crate::json::{self, Json, JsonKind, Member, string_offset};
use crate::template::{self, Piece, Place, TOKENS, entity_field, is_base};

/// Validation settings.
#[derive(Clone, Debug, Default)]
pub struct ValidateOptions {
    /// Schemes allowed beyond `https`, `http` and `mailto`, as the
    /// `ENTITY_EXTERNAL_ACTIONS_SUPPORTED_PROTOCOLS` site parameter lists
    /// them (`td`, `vscode`, ...). `javascript`, `data`, `vbscript` and
    /// `file` stay refused.
    pub allowed_protocols: Vec<String>,
}

/// The properties Octane reads.
pub const PROPERTIES: [&str; 13] = [
    "name",
    "title",
    "entity_type",
    "views",
    "icon",
    "url",
    "single_entity",
    "events",
    "dialog",
    "workspaces",
    "exclude_workspaces",
    "mode",
    "description",
];

/// Schemes refused whatever the site allows.
pub const REFUSED_SCHEMES: [&str; 4] = ["javascript", "data", "vbscript", "file"];

/// Validates the editor's JSON: an array of actions, or one action.
pub fn validate_actions(text: &str, options: &ValidateOptions) -> Vec<ActionDiagnostic> {
    let mut out = Vec::new();
    let root = match json::parse(text) {
        Ok(root) => root,
        Err(e) => {
            out.push(json_syntax(e));
            return out;
        }
    };
    let mut checker = Checker {
        text,
        options,
        out: &mut out,
    };
    match &root.kind {
        JsonKind::Array(items) => {
            let mut names: HashMap<&str, Span> = HashMap::new();
            for (i, item) in items.iter().enumerate() {
                let path = format!("/{i}");
                if let JsonKind::Object(_) = item.kind {
                    checker.action(item, &path, &mut names);
                } else {
                    checker.out.push(error(
                        K::NotAnAction,
                        item.span,
                        &path,
                        format!("expected an action object, found {}", item.kind.describe()),
                        "each item of the array is one action: {\"name\": ..., \"url\": ...}",
                    ));
                }
            }
        }
        JsonKind::Object(_) => checker.action(&root, "", &mut HashMap::new()),
        _ => checker.out.push(not_an_action(&root)),
    }
    octane_query::order::sort_by_span(&mut out, |d| d.diagnostic.span);
    if out.len() > MAX_DIAGNOSTICS {
        let hidden = out.len() - MAX_DIAGNOSTICS;
        let first_hidden = &out[MAX_DIAGNOSTICS];
        let (span, path) = (first_hidden.diagnostic.span, first_hidden.path.clone());
        out.truncate(MAX_DIAGNOSTICS);
        out.push(warning(
            K::TooManyProblems,
            span,
            &path,
            format!("{hidden} more problems from here on are not listed"),
            "fix the problems above and validate again",
        ));
    }
    out
}

/// The most diagnostics [`validate_actions`] lists; past it, one more
/// says how many were left out. Rendering each costs the same however
/// long the line, so the cap keeps what a caller receives readable, not
/// the work linear.
pub const MAX_DIAGNOSTICS: usize = 500;

struct Checker<'a> {
    text: &'a str,
    options: &'a ValidateOptions,
    out: &'a mut Vec<ActionDiagnostic>,
}

fn pointer(path: &str, key: &str) -> String {
    format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"))
}

impl<'a> Checker<'a> {
    fn action(&mut self, action: &'a Json, path: &str, names: &mut HashMap<&'a str, Span>) {
        let JsonKind::Object(members) = &action.kind else {
            return;
        };
        self.unknown_properties(members, path);
        self.required(action, path);
        if let Some(name) = action.get("name") {
            if let Some(text) = self.string(name, path, true) {
                if let Some(first) = names.get(text) {
                    let mut d = error(
                        K::DuplicateName,
                        name.value.span,
                        &pointer(path, "name"),
                        format!("another action is already named `{text}`"),
                        "action names must be unique in the file",
                    );
                    d.diagnostic = d.diagnostic.with_label(*first, "first used here");
                    self.out.push(d);
                } else {
                    names.insert(text, name.value.span);
                }
            }
        }
        for key in ["title", "icon", "description"] {
            if let Some(member) = action.get(key) {
                self.string(member, path, key == "icon");
            }
        }
        for key in ["single_entity", "events"] {
            if let Some(member) = action.get(key) {
                self.expect(
                    member,
                    path,
                    matches!(member.value.kind, JsonKind::Bool(_)),
                    "a boolean (true or false)",
                );
            }
        }
        if let Some(member) = action.get("entity_type") {
            self.entity_types(member, path);
        }
        if let Some(member) = action.get("views") {
            self.enum_array(
                member,
                path,
                &["list", "details"],
                K::UnknownView,
                "views are `list` and `details`",
            );
        }
        if let Some(member) = action.get("dialog") {
            if let Some(size) = self.string(member, path, true) {
                if !["small", "medium", "large"].contains(&size) {
                    self.unknown(
                        member,
                        &pointer(path, "dialog"),
                        size,
                        &["small", "medium", "large"],
                        K::UnknownDialogSize,
                        "dialog sizes are `small`, `medium` and `large`",
                    );
                }
            }
        }
        for key in ["workspaces", "exclude_workspaces"] {
            if let Some(member) = action.get(key) {
                self.workspace_ids(member, path);
            }
        }
        if let (Some(_), Some(exclude)) =
            (action.get("workspaces"), action.get("exclude_workspaces"))
        {
            self.out.push(error(
                K::WorkspacesConflict,
                exclude.key_span,
                &pointer(path, "exclude_workspaces"),
                "`workspaces` and `exclude_workspaces` cannot both be given",
                "keep one: list the workspaces it applies to, or those it does not",
            ));
        }
        if let Some(member) = action.get("mode") {
            self.mode(member, path);
        }
        if let Some(member) = action.get("url") {
            if let Some(url) = self.string(member, path, true) {
                let single = action
                    .get("single_entity")
                    .is_some_and(|m| m.value.kind == JsonKind::Bool(true));
                let dialog = action.get("dialog").is_some();
                self.url(url, &member.value, &pointer(path, "url"), single, dialog);
            }
        }
    }

    fn unknown_properties(&mut self, members: &[Member], path: &str) {
        for member in members {
            let at = pointer(path, &member.key);
            if !PROPERTIES.contains(&member.key.as_str()) {
                let help = did_you_mean(&member.key, PROPERTIES).map_or_else(
                    || format!("Octane reads {}", PROPERTIES.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                );
                self.out.push(warning(
                    K::UnknownProperty,
                    member.key_span,
                    &at,
                    format!("Octane ignores the property `{}`", member.key),
                    help,
                ));
            }
        }
    }

    fn required(&mut self, action: &Json, path: &str) {
        let open = Span::new(action.span.start, action.span.start + 1);
        for required in ["name", "url", "entity_type"] {
            if action.get(required).is_none() {
                self.out.push(error(
                    K::MissingProperty,
                    open,
                    path,
                    format!("this action has no `{required}`"),
                    match required {
                        "name" => "add a unique name: \"name\": \"my-action\"",
                        "url" => "add the URL to open: \"url\": \"https://example.com/app?ids={entity_ids}\"",
                        _ => "add the entity types it applies to: \"entity_type\": [\"defect\"]",
                    },
                ));
            }
        }
    }

    /// Checks one token of the URL; `flags` is (single entity, dialog).
    fn token(
        &mut self,
        name: &str,
        span: Span,
        place: Place,
        index: usize,
        at: &str,
        flags: (bool, bool),
    ) {
        let (single, dialog) = flags;
        let known = TOKENS.contains(&name) || entity_field(name).is_some();
        if !known {
            let candidates = TOKENS
                .iter()
                .copied()
                .chain(std::iter::once("entity.<field>"));
            let help = did_you_mean(name, candidates).map_or_else(
                || {
                    format!(
                        "the tokens are {{{}}} and {{entity.<field>}}",
                        TOKENS.join("}, {")
                    )
                },
                |s| format!("did you mean `{{{s}}}`?"),
            );
            self.out.push(error(
                K::UnknownToken,
                span,
                at,
                format!("Octane does not substitute `{{{name}}}`"),
                help,
            ));
            return;
        }
        // A base URL starts the URL as is, or is a query or fragment
        // value, percent-encoded like any other (`&octane_url={octane_url}`,
        // how an app learns where Octane is).
        if is_base(name) && index != 0 && !matches!(place, Place::Query | Place::Fragment) {
            self.out.push(error(
                K::TokenInSchemeOrHost,
                span,
                at,
                format!(
                    "`{{{name}}}` is a whole URL: it can only start the URL, or be a value in its query or fragment"
                ),
                format!(
                    "start the URL with it (\"{{{name}}}/path...\"), or pass it as a parameter (\"...?{name}={{{name}}}\")"
                ),
            ));
            return;
        }
        if place == Place::SchemeOrHost {
            self.out.push(error(
                K::TokenInSchemeOrHost,
                span,
                at,
                format!("`{{{name}}}` would decide the URL's scheme or host"),
                "a value from Octane must never decide where the browser goes: put tokens in the path, query or fragment, or start with {octane_url}",
            ));
        }
        if entity_field(name).is_some() && !single {
            self.out.push(error(
                K::FieldTokenNeedsSingleEntity,
                span,
                at,
                format!("`{{{name}}}` reads one entity's field, but the action allows several"),
                "add \"single_entity\": true",
            ));
        }
        if name == "dialog_id" && !dialog {
            self.out.push(warning(
                K::DialogIdWithoutDialog,
                span,
                at,
                "`{dialog_id}` is only set for actions that open in a dialog",
                "add \"dialog\": \"medium\", or remove the token",
            ));
        }
    }

    /// The member's string value; reports a wrong type (and an empty string
    /// when `non_empty`).
    fn string(&mut self, member: &'a Member, path: &str, non_empty: bool) -> Option<&'a str> {
        let at = pointer(path, &member.key);
        match &member.value.kind {
            JsonKind::String(s) if non_empty && s.trim().is_empty() => {
                self.out.push(error(
                    K::EmptyValue,
                    member.value.span,
                    &at,
                    format!("`{}` is empty", member.key),
                    "give it a value",
                ));
                None
            }
            JsonKind::String(s) => Some(s),
            other => {
                self.out.push(error(
                    K::WrongType,
                    member.value.span,
                    &at,
                    format!(
                        "`{}` must be a string, not {}",
                        member.key,
                        other.describe()
                    ),
                    format!("write it in double quotes: \"{}\": \"...\"", member.key),
                ));
                None
            }
        }
    }

    fn expect(&mut self, member: &Member, path: &str, ok: bool, what: &str) {
        if !ok {
            self.out.push(error(
                K::WrongType,
                member.value.span,
                &pointer(path, &member.key),
                format!(
                    "`{}` must be {what}, not {}",
                    member.key,
                    member.value.kind.describe()
                ),
                format!(
                    "write \"{}\": {}",
                    member.key,
                    if what.starts_with("a boolean") {
                        "true"
                    } else {
                        "[...]"
                    }
                ),
            ));
        }
    }

    /// The member's array items; reports a wrong type or an empty array.
    fn array(&mut self, member: &'a Member, path: &str) -> Option<&'a [Json]> {
        let at = pointer(path, &member.key);
        match &member.value.kind {
            JsonKind::Array(items) if items.is_empty() => {
                self.out.push(error(
                    K::EmptyValue,
                    member.value.span,
                    &at,
                    format!("`{}` is empty", member.key),
                    "list at least one value",
                ));
                None
            }
            JsonKind::Array(items) => Some(items),
            _ => {
                self.expect(member, path, false, "an array");
                None
            }
        }
    }

    fn unknown(
        &mut self,
        at_value: &Member,
        at: &str,
        value: &str,
        known: &[&str],
        kind: K,
        otherwise: &str,
    ) {
        self.unknown_at(at_value.value.span, at, value, known, kind, otherwise);
    }

    fn unknown_at(
        &mut self,
        span: Span,
        at: &str,
        value: &str,
        known: &[&str],
        kind: K,
        otherwise: &str,
    ) {
        let help = did_you_mean(value, known.iter().copied())
            .map_or_else(|| otherwise.to_owned(), |s| format!("did you mean `{s}`?"));
        self.out.push(error(
            kind,
            span,
            at,
            format!("`{value}` is not one of the allowed values"),
            help,
        ));
    }

    fn enum_array(
        &mut self,
        member: &'a Member,
        path: &str,
        allowed: &[&str],
        kind: K,
        otherwise: &str,
    ) {
        let Some(items) = self.array(member, path) else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let at = format!("{}/{i}", pointer(path, &member.key));
            match item.as_str() {
                Some(value) if allowed.contains(&value) => {}
                Some(value) => self.unknown_at(item.span, &at, value, allowed, kind, otherwise),
                None => self.out.push(error(
                    K::WrongType,
                    item.span,
                    &at,
                    format!("expected a string, found {}", item.kind.describe()),
                    otherwise,
                )),
            }
        }
    }

    fn entity_types(&mut self, member: &'a Member, path: &str) {
        let Some(items) = self.array(member, path) else {
            return;
        };
        let schema = Schema::builtin();
        let names: Vec<&str> = schema.entities().iter().map(|e| e.name.as_str()).collect();
        for (i, item) in items.iter().enumerate() {
            let at = format!("{}/{i}", pointer(path, "entity_type"));
            match item.as_str() {
                Some(name) if names.contains(&name) => {}
                Some(name) => {
                    // A collection name (`defects`) gets its entity name.
                    let suggestion = schema
                        .entity(name)
                        .map(|e| e.name.as_str())
                        .or_else(|| did_you_mean(name, names.iter().copied()));
                    let help = suggestion.map_or_else(
                        || "use entity names as in the REST API (`defect`, `story`) or aggregated types (`work_item`)".to_owned(),
                        |s| format!("did you mean `{s}`?"),
                    );
                    self.out.push(error(
                        K::UnknownEntityType,
                        item.span,
                        &at,
                        format!("`{name}` is not an entity type"),
                        help,
                    ));
                }
                None => self.out.push(error(
                    K::WrongType,
                    item.span,
                    &at,
                    format!("expected an entity name, found {}", item.kind.describe()),
                    "write entity names as strings: [\"defect\"]",
                )),
            }
        }
    }

    fn workspace_ids(&mut self, member: &'a Member, path: &str) {
        let Some(items) = self.array(member, path) else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let whole =
                matches!(&item.kind, JsonKind::Number(n) if n.bytes().all(|b| b.is_ascii_digit()));
            if !whole {
                self.out.push(error(
                    K::NotAWorkspaceId,
                    item.span,
                    &format!("{}/{i}", pointer(path, &member.key)),
                    format!(
                        "a workspace id is a whole number, not {}",
                        describe_value(&item.kind)
                    ),
                    format!("write ids as numbers: \"{}\": [1002, 1004]", member.key),
                ));
            }
        }
    }

    fn mode(&mut self, member: &'a Member, path: &str) {
        let at = pointer(path, "mode");
        if !matches!(member.value.kind, JsonKind::Object(_)) {
            self.expect(
                member,
                path,
                false,
                "an object: {\"name\": \"side_panel\", \"modules\": [...]}",
            );
            return;
        }
        match member.value.get("name") {
            None => self.out.push(error(
                K::UnknownMode,
                member.value.span,
                &at,
                "`mode` has no `name`",
                "write \"mode\": {\"name\": \"side_panel\", \"modules\": [...]}",
            )),
            Some(name) => match name.value.as_str() {
                Some("side_panel") => {}
                Some(other) => self.unknown(
                    name,
                    &pointer(&at, "name"),
                    other,
                    &["side_panel"],
                    K::UnknownMode,
                    "the mode Octane knows is `side_panel`",
                ),
                None => self.expect(name, &at, false, "a string"),
            },
        }
        if let Some(modules) = member.value.get("modules") {
            if let Some(items) = self.array(modules, &at) {
                for (i, item) in items.iter().enumerate() {
                    if item.as_str().is_none_or(str::is_empty) {
                        self.out.push(error(
                            K::WrongType,
                            item.span,
                            &format!("{at}/modules/{i}"),
                            "a module is a non-empty string",
                            "list module names as strings",
                        ));
                    }
                }
            }
        }
    }

    /// The URL template: characters, tokens, scheme and host.
    fn url(&mut self, url: &str, value: &Json, at: &str, single: bool, dialog: bool) {
        let text = self.text;
        let span_of = |start: usize, end: usize| {
            Span::new(
                string_offset(text, value.span, start),
                string_offset(text, value.span, end),
            )
        };
        if let Some((i, c)) = url
            .char_indices()
            .find(|(_, c)| c.is_whitespace() || c.is_control())
        {
            self.out.push(error(
                K::WhitespaceInUrl,
                span_of(i, i + c.len_utf8()),
                at,
                "the URL holds white space or a control character",
                "browsers drop or rewrite these (and may read a different scheme); percent-encode a space as %20",
            ));
            return;
        }
        let pieces = match template::pieces(url) {
            Ok(pieces) => pieces,
            Err(template::Unclosed(i)) => {
                self.out.push(error(
                    K::UnclosedToken,
                    span_of(i, i + 1),
                    at,
                    "this `{` is never closed",
                    "close the token with `}`, or write a literal brace as %7B",
                ));
                return;
            }
        };
        let starts_with_base =
            matches!(pieces.first(), Some(Piece::Token { name, .. }) if is_base(name));
        for (index, piece) in pieces.iter().enumerate() {
            if let Piece::Token {
                name,
                start,
                end,
                place,
            } = piece
            {
                let span = span_of(*start, *end);
                self.token(name, span, *place, index, at, (single, dialog));
            }
        }
        // After a leading base URL, only a path, query or fragment may follow.
        if starts_with_base {
            if let Some(Piece::Token { end, .. }) = pieces.first() {
                let after = &url[*end..];
                if !(after.is_empty() || after.starts_with(['/', '?', '#'])) {
                    let glued_end = match pieces.get(1) {
                        Some(Piece::Token { end: next, .. }) => *next,
                        _ => after.chars().next().map_or(*end, |c| *end + c.len_utf8()),
                    };
                    self.out.push(error(
                        K::TokenInSchemeOrHost,
                        span_of(*end, glued_end),
                        at,
                        "text right after the base URL would change its host",
                        "follow it with `/`, `?` or `#`",
                    ));
                }
            }
            return;
        }
        self.scheme(
            url,
            &pieces,
            at,
            dialog,
            span_of(0, url.find(':').map_or(url.len().min(1), |c| c + 1)),
        );
    }

    fn scheme(&mut self, url: &str, pieces: &[Piece<'_>], at: &str, dialog: bool, span: Span) {
        if matches!(pieces.first(), Some(Piece::Token { .. })) {
            // Already reported: a token decides the scheme.
            return;
        }
        let Some(scheme) = template::scheme(url) else {
            self.out.push(error(
                K::RelativeUrl,
                span,
                at,
                "the URL has no scheme",
                "write an absolute URL (https://...), or start with {octane_url} or {bundle_url}",
            ));
            return;
        };
        if REFUSED_SCHEMES.contains(&scheme.as_str()) {
            self.out.push(error(
                K::RefusedScheme,
                span,
                at,
                format!("`{scheme}:` URLs are refused"),
                "they run code or read local files in the user's browser; use https://",
            ));
            return;
        }
        let allowed = ["https", "http", "mailto"].iter().any(|s| *s == scheme)
            || self
                .options
                .allowed_protocols
                .iter()
                .any(|p| p.trim_end_matches(':').eq_ignore_ascii_case(&scheme));
        if !allowed {
            self.out.push(error(
                K::SchemeNotAllowed,
                span,
                at,
                format!("`{scheme}:` is not an allowed protocol"),
                "Octane allows https, http and mailto; a site admin can add others with ENTITY_EXTERNAL_ACTIONS_SUPPORTED_PROTOCOLS",
            ));
        }
        if scheme == "http" && dialog {
            self.out.push(warning(
                K::HttpInDialog,
                span,
                at,
                "an http: page inside Octane's https dialog is mixed content",
                "browsers block it: serve the app over https://",
            ));
        }
    }
}

fn describe_value(kind: &JsonKind) -> String {
    match kind {
        JsonKind::Number(n) => format!("`{n}`"),
        JsonKind::String(s) => format!("the string \"{s}\""),
        other => other.describe().to_owned(),
    }
}
