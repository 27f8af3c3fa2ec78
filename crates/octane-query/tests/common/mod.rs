//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::fmt::Write as _;

use octane_query::{Expr, ExprKind, Operand, Query, Value, ValueKind, parse};

/// Parses `source`, asserts it has no error, that printing gives
/// `canonical`, that reparsing the canonical text gives an equal tree, and
/// that printing is idempotent. Returns the tree.
pub fn verified(source: &str, canonical: &str) -> Query {
    let parsed = parse(source);
    let query = parsed
        .query
        .unwrap_or_else(|| panic!("{source:?} failed: {:#?}", parsed.diagnostics));
    let printed = query.to_string();
    assert_eq!(printed, canonical, "canonical form of {source:?}");
    round_trip(&query);
    query
}

/// Asserts print → reparse gives an equal tree and printing is idempotent.
pub fn round_trip(query: &Query) {
    let printed = query.to_string();
    let reparsed = parse(&printed);
    let again = reparsed
        .query
        .unwrap_or_else(|| panic!("reparse of {printed:?} failed: {:#?}", reparsed.diagnostics));
    assert_eq!(&again, query, "reparsed tree of {printed:?}");
    assert_eq!(
        again.to_string(),
        printed,
        "printing {printed:?} is not idempotent"
    );
    assert!(
        reparsed.diagnostics.is_empty(),
        "canonical text {printed:?} has diagnostics: {:?}",
        reparsed.diagnostics
    );
}

/// An indented dump of the tree with spans, for snapshots.
pub fn dump(query: &Query) -> String {
    let mut out = String::new();
    dump_expr(&query.expr, 0, &mut out);
    out
}

fn dump_expr(expr: &Expr, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let span = expr.span;
    match &expr.kind {
        ExprKind::And { operands } | ExprKind::Or { operands } => {
            let name = if matches!(expr.kind, ExprKind::And { .. }) {
                "And"
            } else {
                "Or"
            };
            let _ = writeln!(out, "{pad}{name} {span:?}");
            for operand in operands {
                dump_expr(operand, depth + 1, out);
            }
        }
        ExprKind::Not { operand } => {
            let _ = writeln!(out, "{pad}Not {span:?}");
            dump_expr(operand, depth + 1, out);
        }
        ExprKind::Error { parts } => {
            let _ = writeln!(out, "{pad}Error {span:?}");
            for part in parts {
                dump_expr(part, depth + 1, out);
            }
        }
        ExprKind::Phrase(phrase) => {
            let _ = writeln!(
                out,
                "{pad}Phrase {span:?} field={:?} {:?} op={} {:?}",
                phrase.field.name,
                phrase.field.span,
                phrase.operator.kind.as_str(),
                phrase.operator.span
            );
            match &phrase.operand {
                Operand::Single { value } => dump_value(value, depth + 1, out),
                Operand::List { values } => {
                    for value in values {
                        dump_value(value, depth + 1, out);
                    }
                }
                Operand::Range { low, high } => {
                    dump_value(low, depth + 1, out);
                    dump_value(high, depth + 1, out);
                }
            }
        }
    }
}

fn dump_value(value: &Value, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let span = value.span;
    match &value.kind {
        ValueKind::CrossFilter { filter } => {
            let _ = writeln!(out, "{pad}CrossFilter {span:?}");
            dump_expr(filter, depth + 1, out);
        }
        ValueKind::String(s) => {
            let _ = writeln!(out, "{pad}String {span:?} {:?} {:?}", s.value, s.kind);
        }
        ValueKind::Number(n) => {
            let _ = writeln!(out, "{pad}Number {span:?} {}", n.text);
        }
        other => {
            let _ = writeln!(out, "{pad}{other:?} {span:?}");
        }
    }
}
