//! The partial tree of a statement with errors: what did parse, with the
//! broken parts marked, for editors that show a tree while the user types.

use octane_query::{Expr, ExprKind, parse};

/// A compact picture of a tree: kinds, and each broken part's text.
fn shape(source: &str, expr: &Expr) -> String {
    let text = &source[expr.span.start as usize..expr.span.end as usize];
    match &expr.kind {
        ExprKind::And { operands } => format!("and({})", list(source, operands)),
        ExprKind::Or { operands } => format!("or({})", list(source, operands)),
        ExprKind::Not { operand } => format!("not({})", shape(source, operand)),
        ExprKind::Phrase(_) => text.to_owned(),
        ExprKind::Error { parts } if parts.is_empty() => format!("error[{text}]"),
        ExprKind::Error { parts } => format!("error[{text}]({})", list(source, parts)),
    }
}

fn list(source: &str, exprs: &[Expr]) -> String {
    exprs
        .iter()
        .map(|e| shape(source, e))
        .collect::<Vec<_>>()
        .join(", ")
}

fn partial(source: &str) -> String {
    let parsed = parse(source);
    assert!(parsed.query.is_none(), "{source} has an error");
    assert!(parsed.has_errors());
    let tree = parsed.partial.expect("a partial tree");
    shape(source, &tree.expr)
}

#[test]
fn a_valid_statement_has_no_partial_tree() {
    let parsed = parse("a EQ 1;b EQ 2");
    assert!(parsed.query.is_some());
    assert!(parsed.partial.is_none());
}

#[test]
fn broken_operands_keep_their_place_among_the_parsed_ones() {
    assert_eq!(
        partial("a EQ 1;id GT;b EQ 2"),
        "and(a EQ 1, error[id GT], b EQ 2)"
    );
    assert_eq!(partial("a EQ 1||b ?? 2"), "or(a EQ 1, error[b ?? 2])");
    assert_eq!(partial("a EQ 1 b EQ 2"), "and(a EQ 1, error[b EQ 2])");
    assert_eq!(partial("!id GT"), "not(error[id GT])");
}

#[test]
fn an_unclosed_group_holds_what_parsed_inside() {
    assert_eq!(
        partial("x EQ 0;(a EQ 1||b EQ 2"),
        "and(x EQ 0, error[(a EQ 1||b EQ 2](or(a EQ 1, b EQ 2)))"
    );
}

#[test]
fn a_cross_filter_keeps_its_phrase_around_a_broken_inside() {
    let source = "owner EQ {name EQ};id EQ 1";
    let parsed = parse(source);
    let tree = parsed.partial.expect("partial");
    let ExprKind::And { operands } = &tree.expr.kind else {
        panic!("{:?}", tree.expr)
    };
    let ExprKind::Phrase(phrase) = &operands[0].kind else {
        panic!("{:?}", operands[0])
    };
    let octane_query::Operand::Single { value } = &phrase.operand else {
        panic!()
    };
    let octane_query::ValueKind::CrossFilter { filter } = &value.kind else {
        panic!()
    };
    assert_eq!(shape(source, filter), "error[name EQ]");
}

#[test]
fn leftovers_at_the_top_level_are_one_broken_part_holding_the_rest() {
    assert_eq!(
        partial("a EQ 1) b EQ 2"),
        "error[a EQ 1) b EQ 2](a EQ 1, b EQ 2)"
    );
}

#[test]
fn every_span_of_a_partial_tree_lies_in_the_source_on_char_boundaries() {
    let sources = [
        "név EQ ^😀^;id == 5",
        "(((a EQ 1",
        "a EQ {b EQ {c EQ",
        "!!!;;||",
        "a BTW 1...;b IN 1,,2",
        "“a EQ 1",
        "a EQ 1;;;b EQ 2",
        ")))a EQ 1(((",
    ];
    for source in sources {
        let parsed = parse(source);
        let Some(mut tree) = parsed.partial else {
            continue;
        };
        tree.for_each_span_mut(&mut |span| {
            assert!(span.start <= span.end, "{source}: {span:?}");
            assert!(span.end as usize <= source.len(), "{source}: {span:?}");
            assert!(source.is_char_boundary(span.start as usize), "{source}");
            assert!(source.is_char_boundary(span.end as usize), "{source}");
        });
    }
}
