//! `order_by`, `offset`, `limit` and `fields`, as the REST API applies
//! them to a collection.

use std::cmp::Ordering;

use octane_query::temporal::Instant;
use octane_query::{Diagnostic, Severity, Span};
use serde_json::value::RawValue;

use crate::dataset::{Cell, Dataset, FieldId, RowId, members};
use crate::diagnostics::EvalErrorKind;

/// A sort key: field and direction.
pub(crate) struct SortKey {
    field: Option<FieldId>,
    descending: bool,
}

/// Parses `name,-id` (`-` for descending).
pub(crate) fn order_by(dataset: &Dataset, spec: &str) -> Result<Vec<SortKey>, Diagnostic> {
    spec.split(',')
        .map(|item| {
            let item = item.trim();
            let (descending, name) = match item.strip_prefix('-') {
                Some(name) => (true, name.trim()),
                None => (false, item.strip_prefix('+').unwrap_or(item).trim()),
            };
            if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err(Diagnostic::with_code(
                    EvalErrorKind::BadOrderBy.code(),
                    Severity::Error,
                    Span::default(),
                    format!("`{item}` is not a field to order by"),
                )
                .with_help("write field names separated by commas, `-` before a field for descending order: `name,-id`"));
            }
            Ok(SortKey {
                field: dataset.field(name),
                descending,
            })
        })
        .collect()
}

/// Puts the first `needed` rows of `rows` in order by `keys` (the rest in
/// no order): missing values sort last, whatever the direction; ties keep
/// dataset order.
///
/// Each row's keys are read once, before sorting: a sort compares each
/// row many times, and reading a key (finding the cell, parsing a
/// reference's id, folding text's case) costs more than comparing it.
/// Text is copied, folded when `fold` is set, into one buffer, so that it
/// compares as bytes. A row's place breaks ties, so that an unstable
/// selection of the first `needed` rows gives what a stable sort of all
/// of them would.
pub(crate) fn sort(
    dataset: &Dataset,
    rows: &mut [RowId],
    keys: &[SortKey],
    fold: bool,
    needed: usize,
) {
    let width = keys.len();
    let mut texts = String::new();
    let mut table: Vec<Option<Key>> = Vec::with_capacity(rows.len() * width);
    for &row in rows.iter() {
        for key in keys {
            let cell = key.field.and_then(|f| dataset.cell(row, f));
            table.push(sortable(dataset, cell, fold, &mut texts));
        }
    }
    let texts = texts.as_bytes();
    let compare = |&a: &usize, &b: &usize| {
        let (left, right) = (
            table.get(a * width..(a + 1) * width).unwrap_or_default(),
            table.get(b * width..(b + 1) * width).unwrap_or_default(),
        );
        for ((key, l), r) in keys.iter().zip(left).zip(right) {
            let order = match (l, r) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(l), Some(r)) => {
                    let order = l.cmp_with(r, texts);
                    if key.descending {
                        order.reverse()
                    } else {
                        order
                    }
                }
            };
            if order.is_ne() {
                return order;
            }
        }
        a.cmp(&b)
    };
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let needed = needed.min(order.len());
    if needed == 0 {
        return;
    }
    if needed < order.len() {
        order.select_nth_unstable_by(needed - 1, compare);
    }
    order[..needed].sort_unstable_by(compare);
    let first: Vec<RowId> = order[..needed].iter().map(|&i| rows[i]).collect();
    rows[..needed].copy_from_slice(&first);
}

enum Key {
    Number(f64),
    Time(Instant),
    /// Text, as a range of the sort's text buffer (folded if asked).
    Text(u32, u32),
    Bool(bool),
}

impl Key {
    /// Mixed kinds order numbers, then times, then text, then booleans.
    fn rank(&self) -> u8 {
        match self {
            Key::Number(_) => 0,
            Key::Time(_) => 1,
            Key::Text(..) => 2,
            Key::Bool(_) => 3,
        }
    }

    fn cmp_with(&self, other: &Key, texts: &[u8]) -> Ordering {
        let text = |start: u32, end: u32| texts.get(start as usize..end as usize);
        match (self, other) {
            (Key::Number(a), Key::Number(b)) => a.total_cmp(b),
            (Key::Time(a), Key::Time(b)) => a.cmp(b),
            // UTF-8 orders as the characters it encodes.
            (Key::Text(a, b), Key::Text(c, d)) => text(*a, *b).cmp(&text(*c, *d)),
            (Key::Bool(a), Key::Bool(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// `text` as a sort key: copied to `texts`, each character lowered when
/// `fold` is set, as [`compare`](crate::text::compare) compares.
fn text_key(text: &str, fold: bool, texts: &mut String) -> Key {
    let start = texts.len();
    if !fold {
        texts.push_str(text);
    } else if text.is_ascii() {
        texts.extend(text.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        texts.extend(text.chars().flat_map(char::to_lowercase));
    }
    // The buffer holds less than the dataset's text, under 4 GiB.
    Key::Text(start as u32, texts.len() as u32)
}

/// The sort key of a cell, by its kind: dates and date-times in time
/// (a date at its midnight UTC); references by the referenced entity's id.
fn sortable(dataset: &Dataset, cell: Option<&Cell>, fold: bool, texts: &mut String) -> Option<Key> {
    match *cell? {
        Cell::Number(n) => Some(Key::Number(n)),
        Cell::Time(time) => Some(Key::Time(time.start())),
        Cell::Text(text) => Some(text_key(dataset.text(text), fold, texts)),
        Cell::Untyped(index) => {
            let untyped = dataset.untyped(index);
            Some(match (untyped.number, untyped.time) {
                (Some(n), _) => Key::Number(n),
                (None, Some(time)) => Key::Time(time.start()),
                (None, None) => text_key(dataset.text(untyped.text), fold, texts),
            })
        }
        Cell::Bool(b) => Some(Key::Bool(b)),
        Cell::Ref(row) => {
            let id = dataset.id_of(dataset.row(row));
            Some(
                id.parse()
                    .map_or_else(|_| text_key(id, fold, texts), Key::Number),
            )
        }
        Cell::Null | Cell::Refs(_) | Cell::Other => None,
    }
}

/// Checks `limit` (at least 1, at most `max`) and returns it.
pub(crate) fn check_limit(limit: Option<f64>, max: usize) -> Result<usize, Diagnostic> {
    let Some(limit) = limit else {
        return Ok(max);
    };
    let max_f64 = f64::from(u32::try_from(max).unwrap_or(u32::MAX));
    if limit.fract() != 0.0 || limit < 1.0 || limit > max_f64 {
        return Err(page_error(format!(
            "`limit` must be a whole number from 1 to {max}, not {limit}"
        )));
    }
    // In range, checked above.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(limit as usize)
}

/// Checks `offset` (a whole number, at least 0) and returns it.
pub(crate) fn check_offset(offset: Option<f64>) -> Result<usize, Diagnostic> {
    let offset = offset.unwrap_or(0.0);
    if offset.fract() != 0.0 || offset < 0.0 || offset > f64::from(u32::MAX) {
        return Err(page_error(format!(
            "`offset` must be a whole number, 0 or more, not {offset}"
        )));
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(offset as usize)
}

fn page_error(message: String) -> Diagnostic {
    Diagnostic::with_code(
        EvalErrorKind::BadPage.code(),
        Severity::Error,
        Span::default(),
        message,
    )
    .with_help(
        "the REST API pages with `offset` (from 0) and `limit` (1 to the site's maximum page size)",
    )
}

/// Writes the row's JSON object to `out` with only `type`, `id` and the
/// listed fields (all fields when `fields` is `None`), its members in
/// their order.
pub(crate) fn project_into(out: &mut String, object: &str, fields: Option<&[String]>) {
    let Some(fields) = fields else {
        out.push_str(object);
        return;
    };
    out.push('{');
    let mut first = true;
    for member in members(object).0 {
        let name = member.name;
        if name == "type" || name == "id" || fields.iter().any(|f| *f == name) {
            if !first {
                out.push(',');
            }
            first = false;
            // The name and value as the loaded text wrote them.
            out.push_str(member.key);
            out.push(':');
            out.push_str(member.value);
        }
    }
    out.push('}');
}

/// The row's JSON object, projected (see [`project_into`]).
pub(crate) fn project(object: &str, fields: Option<&[String]>) -> Box<RawValue> {
    let mut out = String::with_capacity(object.len());
    project_into(&mut out, object, fields);
    RawValue::from_string(out)
        .unwrap_or_else(|_| RawValue::from_string("{}".to_owned()).expect("`{}` is JSON"))
}
