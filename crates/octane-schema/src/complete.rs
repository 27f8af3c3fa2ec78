//! Completion for editors: fields, operators and values that fit the
//! cursor's position and the entity reached there.

use octane_query::{Expected, Span, Str, completion_context};

use crate::model::{
    Entity, Field, FieldType, Schema, accepts_current_release, accepts_current_user,
};
use crate::validate::allowed_operators;

#[cfg(doc)]
use octane_query::OperatorKind;

/// What a completion inserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CompletionKind {
    /// A field name.
    Field,
    /// A comparison operator.
    Operator,
    /// A value.
    Value,
    /// `;`, `||`, `)` or `}`.
    Punctuation,
}

/// One suggestion.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Completion {
    /// What the list shows.
    pub label: String,
    /// Its kind.
    pub kind: CompletionKind,
    /// A short description (type and UI label for fields).
    pub detail: String,
    /// The text to insert.
    pub insert: String,
    /// The byte range the insertion replaces (the partial word).
    pub replace: Span,
}

/// Suggestions at byte `offset` of `source`, for a query on `entity`.
pub fn complete(source: &str, offset: usize, entity: &str, schema: &Schema) -> Vec<Completion> {
    let context = completion_context(source, offset);
    let Some(root) = schema.entity(entity) else {
        return Vec::new();
    };
    let Some(targets) = follow(schema, root, &context.path) else {
        return Vec::new();
    };
    let replace = context.replace;
    let mut items = match &context.expected {
        Expected::Field => fields(&targets, replace),
        Expected::Operator { field } => find(&targets, field)
            .map(|(_, f)| operators(f, replace))
            .unwrap_or_default(),
        Expected::Value { field, operator } => find(&targets, field)
            .map(|(owner, f)| values(schema, owner, f, *operator, replace))
            .unwrap_or_default(),
        Expected::Continuation { open } => {
            let mut items = vec![
                punctuation(";", "and", replace),
                punctuation("||", "or", replace),
            ];
            match open {
                Some('(') => items.push(punctuation(")", "close the group", replace)),
                Some('{') => items.push(punctuation("}", "close the cross-filter", replace)),
                _ => {}
            }
            items
        }
    };
    let prefix = context.prefix.to_ascii_lowercase();
    if !prefix.is_empty() {
        items.retain(|c| {
            c.label.to_ascii_lowercase().starts_with(&prefix)
                || c.insert.to_ascii_lowercase().starts_with(&prefix)
        });
    }
    items
}

/// The entities reached from `root` through the reference fields `path`.
fn follow<'a>(schema: &'a Schema, root: &'a Entity, path: &[String]) -> Option<Vec<&'a Entity>> {
    let mut targets = vec![root];
    for name in path {
        let (_, field) = find(&targets, name)?;
        targets = field
            .target_names()
            .filter_map(|t| schema.entity(t))
            .collect();
        if targets.is_empty() {
            return None;
        }
    }
    Some(targets)
}

fn find<'a>(targets: &[&'a Entity], name: &str) -> Option<(&'a Entity, &'a Field)> {
    targets
        .iter()
        .find_map(|entity| entity.field(name).map(|field| (*entity, field)))
}

fn fields(targets: &[&Entity], replace: Span) -> Vec<Completion> {
    let mut seen = std::collections::HashSet::new();
    let mut items: Vec<Completion> = targets
        .iter()
        .flat_map(|e| e.fields.iter())
        .filter(|f| f.filterable && seen.insert(f.name.as_str()))
        .map(|f| Completion {
            label: f.name.clone(),
            kind: CompletionKind::Field,
            detail: format!("{} · {}", f.describe(), f.label),
            insert: f.name.clone(),
            replace,
        })
        .collect();
    octane_query::order::sort_stable(&mut items, |a, b| a.label < b.label);
    items
}

fn operators(field: &Field, replace: Span) -> Vec<Completion> {
    allowed_operators(&field.field_type)
        .iter()
        .map(|op| Completion {
            label: op.as_str().to_owned(),
            kind: CompletionKind::Operator,
            detail: op.describe().to_owned(),
            insert: format!("{} ", op.as_str()),
            replace,
        })
        .collect()
}

fn value(label: &str, detail: &str, insert: String, replace: Span) -> Completion {
    Completion {
        label: label.to_owned(),
        kind: CompletionKind::Value,
        detail: detail.to_owned(),
        insert,
        replace,
    }
}

/// Values that fit `field` after `operator` (see [`OperatorKind`]).
fn values(
    schema: &Schema,
    owner: &Entity,
    field: &Field,
    operator: octane_query::OperatorKind,
    replace: Span,
) -> Vec<Completion> {
    let eq = operator == octane_query::OperatorKind::Eq;
    let mut items = Vec::new();
    if accepts_current_user(owner, field) {
        let text = "[current_user]";
        items.push(value(
            text,
            "the user calling the API",
            text.into(),
            replace,
        ));
    }
    if accepts_current_release(owner, field) {
        let text = "[current_release]";
        items.push(value(
            text,
            "the workspace's default release",
            text.into(),
            replace,
        ));
    }
    match field.field_type {
        FieldType::Boolean => {
            items.push(value("true", "boolean", "true".into(), replace));
            items.push(value("false", "boolean", "false".into(), replace));
        }
        FieldType::Reference if eq => {
            items.push(value(
                "{null}",
                "no referenced entity",
                "{null}".into(),
                replace,
            ));
            let targets: Vec<&str> = field.target_names().collect();
            let detail = format!("cross-filter on {}", targets.join(" | "));
            items.push(value("{…}", &detail, "{".into(), replace));
            let lists = field
                .targets
                .iter()
                .filter_map(|t| schema.lists.get(t.logical_name.as_ref()?));
            for node in lists.flatten() {
                let insert = format!("{{id EQ {}}}", Str::new(node.id.clone()));
                items.push(value(&node.name, &node.id, insert, replace));
            }
        }
        FieldType::Reference | FieldType::Object => {}
        _ if eq => items.push(value("null", "no value", "null".into(), replace)),
        _ => {}
    }
    items
}

fn punctuation(text: &str, detail: &str, replace: Span) -> Completion {
    Completion {
        label: text.to_owned(),
        kind: CompletionKind::Punctuation,
        detail: detail.to_owned(),
        insert: text.to_owned(),
        replace,
    }
}
