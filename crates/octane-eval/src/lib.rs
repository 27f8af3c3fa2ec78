//! Runs ALM Octane REST queries over Octane-shaped JSON, without a server.
//!
//! This crate owns the meaning of a query over data: which entities a
//! statement selects, in which order, and which fields are returned. It
//! takes the syntax from `octane-query` and entity relationships
//! (aggregated types) from `octane-schema`; it knows nothing of
//! JavaScript. It also generates a coherent [`sample`] workspace.
//!
//! ```
//! use octane_eval::{Dataset, QueryOptions};
//!
//! let data = Dataset::from_json(r#"{
//!   "releases": [{"type":"release","id":"1001","name":"R1"}],
//!   "defects": {"data": [
//!     {"type":"defect","id":"1","name":"Crash","detected_in_release":{"type":"release","id":"1001"}},
//!     {"type":"defect","id":"2","name":"Typo","detected_in_release":null}
//!   ], "total_count": 2}
//! }"#).unwrap();
//! let result = data
//!     .query("defects", "detected_in_release EQ {name EQ ^r1^}", &QueryOptions::default())
//!     .unwrap();
//! assert_eq!(result.total_count, 1);
//! assert_eq!(result.data[0]["name"], "Crash");
//! ```
//!
//! # Semantics
//! - `EQ LT GT LE GE` compare numbers numerically (ids, which Octane's
//!   JSON writes as strings, included), and strings and dates as strings,
//!   as the docs say dates behave.
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
//! - Querying an aggregated collection (`work_items`, `tests`, `runs`)
//!   returns the rows of its subtypes too; a reference to a `story` finds
//!   it in `work_items` as well as in `stories`.
//! - `order_by` sorts missing values last; without it, rows keep the order
//!   they were loaded in. `limit` defaults to, and may not exceed,
//!   [`QueryOptions::max_page_size`].

mod dataset;
mod page;
mod plan;
pub mod sample;
mod text;

use octane_query::{Diagnostic, parse};
use serde_json::Value;

pub use dataset::{Cell, Dataset, FieldId, LoadError, Row, RowId};
pub use page::{BAD_ORDER_BY, BAD_PAGE};
pub use plan::{EvalOptions, MISSING_CONTEXT, Missing, Plan};
pub use text::Pattern;

/// Options of a collection query, as the REST API's parameters.
#[derive(Clone, Debug)]
pub struct QueryOptions {
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

impl Default for QueryOptions {
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
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// How many entities matched, before paging.
    pub total_count: usize,
    /// The page of entities, projected.
    pub data: Vec<Value>,
}

impl Response {
    /// The response as the REST API writes it.
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "total_count": self.total_count,
            "data": self.data,
            "exceeds_total_count": false,
        })
    }
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
        options: &QueryOptions,
    ) -> Result<Response, Vec<Diagnostic>> {
        let limit = page::check_limit(options.limit, options.max_page_size).map_err(|d| vec![d])?;
        let offset = page::check_offset(options.offset).map_err(|d| vec![d])?;
        let keys = match &options.order_by {
            Some(spec) if !spec.trim().is_empty() => {
                page::order_by(self, spec).map_err(|d| vec![d])?
            }
            _ => Vec::new(),
        };
        let entity = octane_schema::Schema::builtin()
            .entity(collection)
            .map_or_else(|| collection.to_owned(), |e| e.name.clone());
        let candidates = self.rows_of(&entity);
        let mut rows = if source.trim().is_empty() {
            candidates
        } else {
            let parsed = parse(source);
            let Some(query) = parsed.query else {
                return Err(parsed.diagnostics);
            };
            let plan = Plan::compile(&query.expr, self, &options.eval)?;
            candidates
                .into_iter()
                .filter(|&row| plan.matches(self, row))
                .collect()
        };
        page::sort(self, &mut rows, &keys, !options.eval.case_sensitive);
        let total_count = rows.len();
        let data = rows
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|row| page::project(&self.row(row).json, options.fields.as_deref()))
            .collect();
        Ok(Response { total_count, data })
    }
}
