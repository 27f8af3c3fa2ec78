//! Runs ALM Octane REST queries over Octane-shaped JSON, without a server.
//!
//! This crate owns the meaning of a query over data: which entities a
//! statement selects, in which order, and which fields are returned. It
//! takes the syntax from `octane-query` and entity relationships
//! (aggregated types) from `octane-schema`; it knows nothing of
//! JavaScript. It also generates a coherent [`sample`] workspace, and keeps
//! the flows gallery ([`examples`]): Octane's common read flows as queries
//! that run on it.
//!
//! ```
//! use octane_eval::{Dataset, DatasetQueryOptions};
//!
//! let data = Dataset::from_json(r#"{
//!   "releases": [{"type":"release","id":"1001","name":"R1"}],
//!   "defects": {"data": [
//!     {"type":"defect","id":"1","name":"Crash","detected_in_release":{"type":"release","id":"1001"}},
//!     {"type":"defect","id":"2","name":"Typo","detected_in_release":null}
//!   ], "total_count": 2}
//! }"#).unwrap();
//! let result = data
//!     .query("defects", "detected_in_release EQ {name EQ ^r1^}", &DatasetQueryOptions::default())
//!     .unwrap();
//! assert_eq!(result.total_count, 1);
//! assert_eq!(result.values()[0]["name"], "Crash");
//! ```
//!
//! # Semantics
//! - A value compares by the type its field has in the dataset's schema
//!   (the built-in one, or a workspace's own given to
//!   [`Dataset::from_json_with`]), never by how the value looks:
//!   - `integer` and `float` fields (ids too, which Octane's JSON writes
//!     as strings) compare numerically: `id EQ ^10^` finds id `"10"`;
//!   - `string` and `memo` fields compare as text: `name EQ ^10^` does not
//!     find "10.0" or "010";
//!   - `date_time` fields compare as instants: offsets are applied
//!     (`16:42:11+02:00` is `14:42:11Z`) and fractional seconds count
//!     (`08:30:00.500Z` is after `08:30:00Z`, `03:04:05.000Z` equals
//!     `03:04:05Z`); a date-time without a zone is UTC, as the docs say;
//!   - `date` fields compare as days (a date-time stored in one, as its
//!     UTC day);
//!   - a date-only literal against a date-time is the whole UTC day:
//!     `EQ ^2026-07-31^` is any time that day, `GT` after it, `LE` up to
//!     its end, so `BTW ^2026-07-01^...^2026-07-31^` includes 31 July at
//!     10:00Z. Octane's docs say only that date-times are UTC and "behave
//!     like strings" (their syntax is a caret string); reading a date as a
//!     day is what that syntax means to a reader, so the evaluator does so;
//!   - booleans compare as booleans; references only through `{...}`,
//!     `{null}` and the special values.
//!
//!   A value the field's type cannot read (text in an `integer` field)
//!   stays text and matches only itself. A field the schema does not know
//!   (a user-defined field missing from the schema, an entity it lacks) is
//!   read by its look, as a server-less tool must: a value that reads as a
//!   decimal number compares numerically with a number, one that reads as
//!   an ISO-8601 date or date-time compares in time with a date, anything
//!   else as text (and never with a bare number). Give the workspace's
//!   schema to get its types instead.
//! - String comparison ignores case by default (Octane's database
//!   collation); [`EvalOptions::case_sensitive`] turns that off.
//! - `*` matches any text, anywhere in an `EQ` string.
//! - `IN` is an OR over its values; `BTW` is inclusive at both ends.
//! - `null` and `{null}` match a `null` value, an absent field, and an
//!   empty multi-value reference.
//! - A cross-filter follows a reference into the referenced entity (a
//!   loaded row, or the reference's inline object when its target is not
//!   loaded), to any depth. On a multi-value reference, `EQ {...}` means
//!   "contains one that matches".
//! - Any other comparison with a missing value is unknown, as in SQL: the
//!   phrase does not match, and neither does its negation with `!`
//!   ([`Missing::Unknown`]). [`Missing::False`] makes it false instead, so
//!   that `!` matches entities without the value.
//! - `[current_user]` and `[current_release]` stand for the ids passed in
//!   [`EvalOptions`].
//! - Querying an aggregated collection (`work_items`, `tests`, `runs`, or a
//!   workspace's own) returns the rows of its subtypes too; a collection
//!   the schema does not know returns the rows loaded under its name; a
//!   reference to a `story` finds it in `work_items` as well as in
//!   `stories`.
//! - `order_by` sorts by the same types (date-times as instants) and
//!   missing values last; without it, rows keep the order they were loaded
//!   in. `limit` defaults to, and may not exceed,
//!   [`DatasetQueryOptions::max_page_size`].

mod dataset;
pub mod diagnostics;
mod gallery;
mod page;
mod plan;
pub mod sample;
mod scan;
mod text;

use octane_query::{Diagnostic, parse};
use serde_json::Value;
use serde_json::value::RawValue;

pub use dataset::{Cell, Dataset, Extent, FieldId, LoadError, Row, RowId, Untyped};
pub use diagnostics::EvalErrorKind;
pub use gallery::{Example, examples};
pub use plan::{EvalOptions, Missing, Plan};
pub use text::Pattern;

/// Options of a collection query, as the REST API's parameters.
#[derive(Clone, Debug)]
pub struct DatasetQueryOptions {
    /// How the evaluator reads special values and missing data.
    pub eval: EvalOptions,
    /// `order_by`: `name,-id`.
    pub order_by: Option<String>,
    /// `limit`: at least 1, at most `max_page_size` (default: that).
    pub limit: Option<f64>,
    /// `offset`: from 0.
    pub offset: Option<f64>,
    /// `fields`: which fields to return besides `type` and `id` (all when
    /// `None`).
    pub fields: Option<Vec<String>>,
    /// The site's maximum page size (default 2000).
    pub max_page_size: usize,
}

impl Default for DatasetQueryOptions {
    fn default() -> Self {
        Self {
            eval: EvalOptions::default(),
            order_by: None,
            limit: None,
            offset: None,
            fields: None,
            max_page_size: 2000,
        }
    }
}

/// A collection response: `{"data":[...],"total_count":N}`.
#[derive(Clone, Debug)]
pub struct Response {
    /// How many entities matched, before paging.
    pub total_count: usize,
    /// The page of entities, projected: each one's JSON object, its
    /// members in the order the dataset's text wrote them.
    pub data: Vec<Box<RawValue>>,
}

impl Response {
    /// The response as the REST API writes it.
    pub fn to_json(&self) -> String {
        write_response(
            self.total_count,
            self.data.iter().map(|d| d.get().len()).sum(),
            self.data.iter(),
            |out, entity| out.push_str(entity.get()),
        )
    }

    /// The page of entities, parsed.
    pub fn values(&self) -> Vec<Value> {
        self.data
            .iter()
            .map(|d| serde_json::from_str(d.get()).unwrap_or(Value::Null))
            .collect()
    }
}

/// Writes `{"total_count":N,"data":[...],"exceeds_total_count":false}`,
/// each item written by `write`; `size` is about the items' length.
fn write_response<T>(
    total_count: usize,
    size: usize,
    items: impl Iterator<Item = T>,
    mut write: impl FnMut(&mut String, T),
) -> String {
    let mut out = String::with_capacity(size + 96);
    out.push_str("{\"total_count\":");
    out.push_str(&total_count.to_string());
    out.push_str(",\"data\":[");
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(&mut out, item);
    }
    out.push_str("],\"exceeds_total_count\":false}");
    out
}

impl Dataset {
    /// Runs `source` on `collection` (a collection or entity name): parse,
    /// compile once, filter, order, page and project. Errors are
    /// diagnostics (parse errors, a missing `[current_user]`, a bad
    /// `order_by`, `limit` or `offset`).
    pub fn query(
        &self,
        collection: &str,
        source: &str,
        options: &DatasetQueryOptions,
    ) -> Result<Response, Vec<Diagnostic>> {
        let (total_count, rows) = self.select(collection, source, options)?;
        let data = rows
            .into_iter()
            .map(|row| page::project(self.json_of(self.row(row)), options.fields.as_deref()))
            .collect();
        Ok(Response { total_count, data })
    }

    /// Runs a query as [`Dataset::query`] does and writes the response as
    /// the REST API does (see [`Response::to_json`]), straight from the
    /// dataset's text.
    pub fn query_json(
        &self,
        collection: &str,
        source: &str,
        options: &DatasetQueryOptions,
    ) -> Result<String, Vec<Diagnostic>> {
        let (total_count, rows) = self.select(collection, source, options)?;
        let size = rows
            .iter()
            .map(|&row| self.json_of(self.row(row)).len())
            .sum();
        Ok(write_response(
            total_count,
            size,
            rows.into_iter(),
            |out, row| self.write_row(out, row, options.fields.as_deref()),
        ))
    }

    /// Writes row `row`'s JSON object to `out` as [`Dataset::query`]
    /// returns it: as the loaded text wrote it, or with only `type`, `id`
    /// and the `fields` given.
    pub fn write_row(&self, out: &mut String, row: RowId, fields: Option<&[String]>) {
        page::project_into(out, self.json_of(self.row(row)), fields);
    }

    /// The rows of the page a query selects, with the count before paging:
    /// what [`Dataset::query`] returns, as rows (see
    /// [`Dataset::write_row`]). Errors as [`Dataset::query`]'s.
    pub fn select(
        &self,
        collection: &str,
        source: &str,
        options: &DatasetQueryOptions,
    ) -> Result<(usize, Vec<RowId>), Vec<Diagnostic>> {
        let limit = page::check_limit(options.limit, options.max_page_size).map_err(|d| vec![d])?;
        let offset = page::check_offset(options.offset).map_err(|d| vec![d])?;
        let keys = match &options.order_by {
            Some(spec) if !spec.trim().is_empty() => {
                page::order_by(self, spec).map_err(|d| vec![d])?
            }
            _ => Vec::new(),
        };
        let entity = self
            .schema()
            .entity(collection)
            .map_or_else(|| collection.to_owned(), |e| e.name.clone());
        let mut rows = self.rows_of(&entity);
        if !source.trim().is_empty() {
            let parsed = parse(source);
            let Some(query) = parsed.query else {
                return Err(parsed.diagnostics);
            };
            let plan = Plan::compile(&query.expr, self, &options.eval)?;
            plan.filter(self, &mut rows);
        }
        if !keys.is_empty() {
            // Only the rows up to the page's end need their order.
            let needed = offset.saturating_add(limit);
            page::sort(self, &mut rows, &keys, !options.eval.case_sensitive, needed);
        }
        let total_count = rows.len();
        let end = offset.saturating_add(limit).min(total_count);
        let page = rows
            .get(offset.min(total_count)..end)
            .unwrap_or_default()
            .to_vec();
        Ok((total_count, page))
    }
}
