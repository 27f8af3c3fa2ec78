//! Exports of the query language: parse, format, explain.

use octane_query::{SourceIndex, explain, parse, tokenize};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{JsDiagnostic, diagnostics_error, js_diagnostics, string_arg, to_js};
use crate::tape::{TapeError, Writer, to_js_with};
use crate::tree::TreeWriter;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** A range of UTF-16 code units, `start` inclusive, `end` exclusive. */
export interface Span { start: number; end: number }

/** A secondary location that explains a diagnostic. */
export interface Label { span: Span; message: string }

/** One problem found in a query. */
export interface Diagnostic {
  /** Stable code, such as `Q0002`. */
  code: string;
  severity: "error" | "warning";
  message: string;
  span: Span;
  labels?: Label[];
  /** How to fix it. */
  help?: string;
  /** The repair, where it is mechanical: put `replacement` in place of the text at `span` (an editor's quick fix). */
  fix?: { span: Span; replacement: string };
  /** The diagnostic as a code frame with `^^^` underlines. */
  rendered: string;
}

/** What a token of a query is, as the parser read it. */
export type TokenKind = "field" | "operator" | "logical" | "string" | "number" | "keyword" | "special" | "punctuation" | "error";

/** One token of a query, for highlighting. */
export interface QueryToken {
  kind: TokenKind;
  span: Span;
}

/** An `Error` thrown for a query with errors. */
export interface DiagnosticsError extends Error { diagnostics: Diagnostic[] }

export type OperatorKind = "EQ" | "LT" | "GT" | "LE" | "GE" | "IN" | "BTW";

/**
 * A value: `5`, `^abc^`, `true`, `null`, `[current_user]`, `{null}`, `{...}`.
 * `Broken` is `BrokenExpr` in a partial tree, `never` in a valid one.
 */
export type Value<Broken = never> = { span: Span } & (
  | { type: "number"; text: string }
  | { type: "boolean"; value: boolean }
  | { type: "null" }
  | { type: "string"; value: string; kind: "text" | "date" | "date_time" }
  | { type: "current_user" }
  | { type: "current_release" }
  | { type: "null_reference" }
  | { type: "cross_filter"; filter: Expr<Broken> }
);

/** `field OP operand`. */
export interface Phrase<Broken = never> {
  type: "phrase";
  span: Span;
  field: { name: string; span: Span };
  operator: { kind: OperatorKind; span: Span };
  /** The operand of `EQ LT GT LE GE`. */
  value?: Value<Broken>;
  /** The operand of `IN`. */
  values?: Value<Broken>[];
  /** The bounds of `BTW`. */
  low?: Value<Broken>;
  high?: Value<Broken>;
}

/** An expression of the query language. */
export type Expr<Broken = never> =
  | { type: "and"; span: Span; operands: Expr<Broken>[] }
  | { type: "or"; span: Span; operands: Expr<Broken>[] }
  | { type: "not"; span: Span; operand: Expr<Broken> }
  | Phrase<Broken>
  | Broken;

/** Text the parser could not read, holding what parsed within it (only in `ParseResult.partial`). */
export interface BrokenExpr { type: "error"; span: Span; parts: Expr<BrokenExpr>[] }

/** A parsed statement. */
export interface QueryAst<Broken = never> { expr: Expr<Broken>; span: Span }

export interface ParseResult {
  /** The tree, or `null` when the query has an error. */
  ast: QueryAst | null;
  /**
   * When the query has an error: what did parse, each part the parser
   * could not read a `BrokenExpr` (for editors; never run it). `null` for
   * a valid query, or when nothing could be read.
   */
  partial: QueryAst<BrokenExpr> | null;
  diagnostics: Diagnostic[];
}

/** One operator application, tightest first. */
export interface ExplanationStep {
  operator: ";" | "||" | "!";
  rank: number;
  operands: string[];
  result: string;
  span: Span;
  reason: string;
  /** Reference fields whose cross-filters hold this step, outermost first. */
  within: string[];
}

export interface Explanation {
  canonical: string;
  parenthesized: string;
  summary: string;
  steps: ExplanationStep[];
}
"#;

/// Parses a query statement. Never throws for a bad query: the tree is
/// `null`, `partial` holds what did parse, and `diagnostics` says why.
/// Spans are UTF-16 offsets.
#[wasm_bindgen(js_name = parseQuery, unchecked_return_type = "ParseResult")]
pub fn parse_query(
    #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
) -> Result<JsValue, JsValue> {
    let source = string_arg(&source, "source")?;
    let parsed = parse(&source);
    let index = SourceIndex::new(&source);
    let diagnostics = js_diagnostics(&index, &parsed.diagnostics);
    to_js_with(|out| write_parse_result(out, &index, &parsed, &diagnostics))
}

/// Writes `{ ast, partial, diagnostics }` (`ParseResult`), the trees with
/// their own tags (see `tree.rs`).
fn write_parse_result(
    out: &mut Writer<'_>,
    index: &SourceIndex,
    parsed: &octane_query::Parsed,
    diagnostics: &[JsDiagnostic],
) -> Result<(), TapeError> {
    out.object(3)?;
    for (name, tree) in [("ast", &parsed.query), ("partial", &parsed.partial)] {
        out.name(name)?;
        match tree {
            Some(query) => TreeWriter { out, index }.query(query)?,
            None => out.null(),
        }
    }
    out.name("diagnostics")?;
    diagnostics.serialize(&mut *out)
}

/// The canonical form of a query. Throws a `DiagnosticsError` when the
/// query has errors.
#[wasm_bindgen(js_name = formatQuery)]
pub fn format_query(
    #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
) -> Result<String, JsValue> {
    let source = string_arg(&source, "source")?;
    let parsed = parse(&source);
    match parsed.query {
        Some(query) => Ok(query.to_string()),
        None => Err(diagnostics_error(
            &SourceIndex::new(&source),
            &parsed.diagnostics,
        )),
    }
}

/// How a query groups: its fully parenthesised form, a sentence, and the
/// precedence steps citing the rank table. Throws a `DiagnosticsError`
/// when the query has errors.
#[wasm_bindgen(js_name = explainQuery, unchecked_return_type = "Explanation")]
pub fn explain_query(
    #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
) -> Result<JsValue, JsValue> {
    let source = string_arg(&source, "source")?;
    let parsed = parse(&source);
    let index = SourceIndex::new(&source);
    match parsed.query {
        Some(query) => {
            let mut explanation = explain(&query);
            for step in &mut explanation.steps {
                step.span = index.utf16_span(step.span);
            }
            to_js(&explanation)
        }
        None => Err(diagnostics_error(&index, &parsed.diagnostics)),
    }
}

/// Every token of `source` with its kind, as the parser read it (a word
/// is a field, an operator or a keyword by where it stands; what the
/// parser cannot place is an error), spans in UTF-16 code units: what an
/// editor needs to colour a query exactly as it parses. Never throws for a
/// bad query.
#[wasm_bindgen(js_name = tokenizeQuery, unchecked_return_type = "QueryToken[]")]
pub fn tokenize_query(
    #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
) -> Result<JsValue, JsValue> {
    let source = string_arg(&source, "source")?;
    let index = SourceIndex::new(&source);
    let tokens = tokenize(&source);
    to_js_with(|out| TreeWriter { out, index: &index }.tokens(&tokens))
}
