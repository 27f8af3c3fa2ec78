//! The ALM Octane REST query language: lexer, parser, syntax tree,
//! canonical printer, precedence explainer and diagnostics.
//!
//! This crate owns the syntax of `query="..."` statements and nothing
//! else. It knows no schema (whether a field exists or a value has the
//! right type is `octane-schema`'s business), no data (`octane-eval`), and
//! nothing of WebAssembly or JavaScript (`octane-wasm`). Spans are byte
//! offsets; [`SourceIndex`] converts them to UTF-16 or line/column at the
//! edge.
//!
//! Beside the language, it holds the small pieces of text handling the
//! other crates share, so that each is in the wasm module once: a JSON
//! reader that keeps spans ([`json`]), stable sorting ([`order`]), dates
//! ([`temporal`]) and "did you mean" suggestions ([`suggest`]).
//!
//! Pipeline: text → [`lexer`](parse) → tokens → recursive-descent parser →
//! [`Query`] and [`Diagnostic`]s → [`Display`](std::fmt::Display)
//! (canonical form) or [`explain`].
//!
//! ```
//! use octane_query::{explain, format, parse};
//!
//! let parsed = parse(r#""name = 'x*';(id>5||!owner EQ {null})""#);
//! let query = parsed.query.expect("valid");
//! assert_eq!(query.to_string(), "name EQ ^x*^;(id GT 5||!owner EQ {null})");
//!
//! let explanation = explain(&query);
//! assert_eq!(
//!     explanation.parenthesized,
//!     "(name EQ ^x*^;(id GT 5||(!owner EQ {null})))"
//! );
//!
//! let error = format("id EQ ^abc").unwrap_err();
//! assert_eq!(error[0].code, "Q0002");
//! ```
//!
//! # Accepted syntax
//! - An optional pair of surrounding double quotes (typographic quotes and
//!   a leading `query=` are accepted with a warning).
//! - Phrases `field OP value`; operators `EQ LT GT LE GE IN BTW` in any
//!   letter case, or `= < > <= >=`.
//! - `;` (and, rank 3), `||` (or, rank 4), `!` (not, rank 2), parentheses
//!   (rank 1), nested to [`ParseOptions::max_depth`].
//! - Values: numbers with optional sign and decimals; `true`, `false`,
//!   `null` in any case; strings in `^...^` or `'...'` with the escapes
//!   `\^ \' \" \\ \q \l \g` (and `\{ \( \) \[ \] \?` for themselves);
//!   ISO-8601 dates and date-times (kept as strings of a date kind);
//!   `[current_user]`, `[current_release]`; `{null}`; cross-filters
//!   `{statement}`; `IN` lists `1,2,3`; `BTW` ranges `low...high` (the
//!   Unicode `…` with a warning).

mod ast;
#[cfg(feature = "serde")]
mod ast_serde;
mod complete;
pub mod diagnostics;
mod explain;
pub mod json;
mod lexer;
pub mod order;
mod parser;
mod printer;
mod render;
mod span;
pub mod suggest;
pub mod temporal;
mod tokens;

pub use ast::{
    Expr, ExprKind, Ident, Number, Operand, Operator, OperatorKind, Phrase, Query, Str, StrKind,
    Value, ValueKind,
};
pub use complete::{CompletionContext, Expected, completion_context};
pub use diagnostics::{Diagnostic, Diagnostics, ErrorKind, Fix, Label, Severity, apply_fixes};
pub use explain::{Explanation, RANKS, Step, explain};
pub use parser::{ParseOptions, Parsed, parse, parse_with};
pub use render::{render, render_all, render_with};
pub use span::{LineColumn, SourceIndex, Span};
pub use tokens::{ClassifiedToken, TokenClass, tokenize};

/// Parses `source` strictly: the tree, or every diagnostic when there is an
/// error (warnings alone do not fail).
pub fn parse_strict(source: &str) -> Result<Query, Diagnostics> {
    parse(source).into_result()
}

/// The canonical form of `source`, or its diagnostics when it has errors.
pub fn format(source: &str) -> Result<String, Diagnostics> {
    parse_strict(source).map(|query| query.to_string())
}

/// Parses and explains `source`, or returns its diagnostics.
pub fn explain_source(source: &str) -> Result<Explanation, Diagnostics> {
    parse_strict(source).map(|query| explain(&query))
}
