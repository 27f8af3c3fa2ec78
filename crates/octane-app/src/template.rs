//! Queries built from a template and untrusted values, each value one
//! literal whatever it holds.

use octane_query::{Diagnostic, Diagnostics, Str};

use crate::diagnostics::{AppError, AppErrorKind};

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
                return Err(AppError::new(
                    AppErrorKind::BadValue,
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
            return Err(AppError::new(
                AppErrorKind::BadValue,
                format!("value {index} is not a finite number"),
                "pass a number, not NaN or Infinity",
            ));
        }
        TemplateValue::Boolean(b) => b.to_string(),
        TemplateValue::Null => "null".to_owned(),
        TemplateValue::Date(iso) => Str::new(iso.clone()).to_string(),
        TemplateValue::List(items) => {
            if items.is_empty() {
                return Err(AppError::new(
                    AppErrorKind::BadValue,
                    format!("value {index} is an empty list"),
                    "an IN list needs at least one value",
                ));
            }
            let parts: Result<Vec<String>, AppError> = items
                .iter()
                .map(|item| match item {
                    TemplateValue::List(_) => Err(AppError::new(
                        AppErrorKind::BadValue,
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
        return Err(QueryTemplateError::App(AppError::new(
            AppErrorKind::BadValue,
            "the template's pieces and values do not line up",
            "pass the template's pieces with exactly one value between each two",
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
