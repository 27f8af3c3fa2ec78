//! Property tests: printing any tree and reparsing it gives the same tree;
//! printing is idempotent; no input makes the parser panic.

mod common;

use octane_query::{
    Expr, ExprKind, Ident, Number, Operand, Operator, OperatorKind, Phrase, Query, Span, Str,
    Value, ValueKind, parse,
};
use proptest::prelude::*;

fn value(kind: ValueKind) -> Value {
    Value {
        kind,
        span: Span::default(),
    }
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        "-?[0-9]{1,6}(\\.[0-9]{1,3})?".prop_map(|text| value(ValueKind::Number(Number { text }))),
        any::<bool>().prop_map(|b| value(ValueKind::Boolean { value: b })),
        // Any text, including carets, backslashes, quotes and non-ASCII.
        "[a-zA-Z0-9 ^\\\\\"'*<>{}()\\[\\]?;|!,.éß中😀-]{0,12}"
            .prop_map(|s| value(ValueKind::String(Str::new(s)))),
        "20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])(T(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z)?"
            .prop_map(|s| value(ValueKind::String(Str::new(s)))),
        Just(value(ValueKind::CurrentUser)),
        Just(value(ValueKind::CurrentRelease)),
    ]
}

fn field() -> impl Strategy<Value = Ident> {
    "[a-z_][a-z0-9_]{0,8}".prop_map(|name| Ident {
        name,
        span: Span::default(),
    })
}

fn op(kind: OperatorKind) -> Operator {
    Operator {
        kind,
        span: Span::default(),
    }
}

fn phrase(inner: impl Strategy<Value = Expr> + Clone) -> impl Strategy<Value = Expr> {
    let comparison = (
        field(),
        prop::sample::select(vec![
            OperatorKind::Eq,
            OperatorKind::Lt,
            OperatorKind::Gt,
            OperatorKind::Le,
            OperatorKind::Ge,
        ]),
        prop_oneof![scalar(), Just(value(ValueKind::Null))],
    )
        .prop_map(|(field, kind, value)| (field, op(kind), Operand::Single { value }));
    let reference = (
        field(),
        prop_oneof![
            Just(value(ValueKind::NullReference)),
            inner.prop_map(|e| value(ValueKind::CrossFilter {
                filter: Box::new(e)
            })),
        ],
    )
        .prop_map(|(field, value)| (field, op(OperatorKind::Eq), Operand::Single { value }));
    let list = (field(), prop::collection::vec(scalar(), 1..4))
        .prop_map(|(field, values)| (field, op(OperatorKind::In), Operand::List { values }));
    let range = (field(), scalar(), scalar())
        .prop_filter("bounds are numbers or strings", |(_, low, high)| {
            [low, high]
                .iter()
                .all(|v| matches!(v.kind, ValueKind::Number(_) | ValueKind::String(_)))
        })
        .prop_map(|(field, low, high)| {
            (field, op(OperatorKind::Btw), Operand::Range { low, high })
        });
    prop_oneof![4 => comparison, 1 => reference, 1 => list, 1 => range].prop_map(
        |(field, operator, operand)| Expr {
            kind: ExprKind::Phrase(Phrase {
                field,
                operator,
                operand,
            }),
            span: Span::default(),
        },
    )
}

/// Joins operands the way the parser does: nested groups of the same
/// operator are flattened.
fn join(operands: Vec<Expr>, and: bool) -> Expr {
    let mut flat = Vec::new();
    for operand in operands {
        match operand.kind {
            ExprKind::And { operands } if and => flat.extend(operands),
            ExprKind::Or { operands } if !and => flat.extend(operands),
            kind => flat.push(Expr {
                kind,
                span: Span::default(),
            }),
        }
    }
    let kind = if and {
        ExprKind::And { operands: flat }
    } else {
        ExprKind::Or { operands: flat }
    };
    Expr {
        kind,
        span: Span::default(),
    }
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = phrase(Just(Expr {
        kind: ExprKind::Phrase(Phrase {
            field: Ident {
                name: "id".into(),
                span: Span::default(),
            },
            operator: op(OperatorKind::Eq),
            operand: Operand::Single {
                value: value(ValueKind::Number(Number { text: "1".into() })),
            },
        }),
        span: Span::default(),
    }));
    leaf.prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            phrase(inner.clone()),
            inner.clone().prop_map(|e| Expr {
                kind: ExprKind::Not {
                    operand: Box::new(e)
                },
                span: Span::default(),
            }),
            (prop::collection::vec(inner.clone(), 2..4), any::<bool>())
                .prop_map(|(operands, and)| join(operands, and)),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn printed_trees_reparse_to_the_same_tree(expr in expr()) {
        let query = Query { expr, span: Span::default() };
        common::round_trip(&query);
    }

    #[test]
    fn arbitrary_text_never_panics(source in "\\PC{0,64}") {
        let parsed = parse(&source);
        for d in &parsed.diagnostics {
            prop_assert!(d.span.start <= d.span.end);
            prop_assert!(source.is_char_boundary(d.span.end as usize));
        }
        if let Some(query) = parsed.query {
            common::round_trip(&query);
        }
    }

    #[test]
    fn token_soup_never_panics_and_valid_results_round_trip(
        parts in prop::collection::vec(prop::sample::select(vec![
            "a", "id", " EQ ", "=", "==", "!=", " IN ", " BTW ", "...", "…", "1", "-2.5", "^x^",
            "'y'", "^*z*^", "true", "null", "{null}", "{", "}", "(", ")", ";", "||", "!",
            ",", "[current_user]", " ", "\"", "\\", "^", "é", "😀", "AND", "NOT ",
        ]), 0..24)
    ) {
        let source: String = parts.concat();
        let parsed = parse(&source);
        prop_assert_eq!(parsed.query.is_some(), !parsed.has_errors());
        if let Some(query) = parsed.query {
            common::round_trip(&query);
        }
    }
}

/// A decimal's exact value, scaled by 10^8: texts of at most 12 integer
/// and 8 fraction digits.
fn scaled(text: &str) -> i128 {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.trim_start_matches('+')),
    };
    let (integer, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let value = integer.parse::<i128>().unwrap() * 100_000_000
        + format!("{fraction:0<8}").parse::<i128>().unwrap();
    if negative { -value } else { value }
}

proptest! {
    /// Numbers compare exactly, as their decimal values do, and never
    /// against what their nearest `f64`s say.
    #[test]
    fn numbers_compare_as_decimals(
        a in "[+-]?0{0,2}[0-9]{1,10}(\\.[0-9]{1,6}0{0,2})?",
        b in "[+-]?0{0,2}[0-9]{1,10}(\\.[0-9]{1,6}0{0,2})?",
    ) {
        let (x, y) = (Number { text: a.clone() }, Number { text: b.clone() });
        prop_assert_eq!(x.compare(&y), Some(scaled(&a).cmp(&scaled(&b))), "{} {}", a, b);
        prop_assert_eq!(y.compare(&x), Some(scaled(&b).cmp(&scaled(&a))));
        if x.as_f64() > y.as_f64() {
            prop_assert_eq!(x.compare(&y), Some(std::cmp::Ordering::Greater));
        }
    }
}

#[test]
fn numbers_that_f64_cannot_tell_apart_still_compare() {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let n = |text: &str| Number {
        text: text.to_owned(),
    };
    assert_eq!(
        n("9007199254740993").compare(&n("9007199254740992")),
        Some(Greater)
    );
    assert_eq!(n("0.30000000000000001").compare(&n("0.3")), Some(Greater));
    assert_eq!(n("-0").compare(&n("0.000")), Some(Equal));
    assert_eq!(n("-1.5").compare(&n("-1.25")), Some(Less));
    for bad in ["", "-", "1.", ".5", "1e5", "x", "1.2.3", "--1", "١"] {
        assert_eq!(n(bad).compare(&n("1")), None, "{bad}");
        assert_eq!(n("1").compare(&n(bad)), None, "{bad}");
    }
}

/// Prints `expr` with parentheses the canonical form leaves out: around
/// single operands, and around runs of a list's operands (`a;(b;c);d`),
/// which the parser flattens back into the list. `picks` says where.
fn grouped(expr: &Expr, picks: &mut impl Iterator<Item = u8>, out: &mut String) {
    match &expr.kind {
        ExprKind::And { operands } | ExprKind::Or { operands } => {
            let separator = if matches!(expr.kind, ExprKind::And { .. }) {
                ";"
            } else {
                "||"
            };
            let pick = usize::from(picks.next().unwrap_or(0));
            // A run of at least two operands to put in parentheses.
            let run = (pick % 2 == 0 && operands.len() > 2).then(|| {
                let first = (pick / 2) % (operands.len() - 1);
                let last = first + 1 + (pick / 8) % (operands.len() - first - 1);
                (first, last)
            });
            for (i, operand) in operands.iter().enumerate() {
                if i > 0 {
                    out.push_str(separator);
                }
                if run.is_some_and(|(first, _)| first == i) {
                    out.push('(');
                }
                let nested = matches!(operand.kind, ExprKind::And { .. } | ExprKind::Or { .. });
                let wrap = nested || picks.next().unwrap_or(0) % 3 == 0;
                if wrap {
                    out.push('(');
                }
                grouped(operand, picks, out);
                if wrap {
                    out.push(')');
                }
                if run.is_some_and(|(_, last)| last == i) {
                    out.push(')');
                }
            }
        }
        ExprKind::Not { operand } => {
            out.push_str("!(");
            grouped(operand, picks, out);
            out.push(')');
        }
        ExprKind::Phrase(Phrase {
            field,
            operand:
                Operand::Single {
                    value:
                        Value {
                            kind: ValueKind::CrossFilter { filter },
                            ..
                        },
                },
            ..
        }) => {
            out.push_str(&field.name);
            out.push_str(" EQ {");
            grouped(filter, picks, out);
            out.push('}');
        }
        _ => out.push_str(&expr.to_string()),
    }
}

/// Asserts that the text of `expr`'s span, and of each logical node's
/// below it (cross filters' included), parses alone to the same tree.
fn spans_hold_their_text(source: &str, expr: &Expr) {
    let text = &source[expr.span.start as usize..expr.span.end as usize];
    let alone = parse(text)
        .query
        .unwrap_or_else(|| panic!("the span of a node of {source:?} is {text:?}"));
    assert_eq!(&alone.expr, expr, "the span {text:?} of {source:?}");
    match &expr.kind {
        ExprKind::And { operands } | ExprKind::Or { operands } => {
            for operand in operands {
                spans_hold_their_text(source, operand);
            }
        }
        ExprKind::Not { operand } => spans_hold_their_text(source, operand),
        ExprKind::Phrase(Phrase {
            operand:
                Operand::Single {
                    value:
                        Value {
                            kind: ValueKind::CrossFilter { filter },
                            ..
                        },
                },
            ..
        }) => spans_hold_their_text(source, filter),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn spans_keep_the_parentheses_written(
        expr in expr(),
        picks in prop::collection::vec(any::<u8>(), 1..32),
        outer in any::<bool>(),
    ) {
        let mut source = String::new();
        let mut picks = picks.into_iter().cycle();
        grouped(&expr, &mut picks, &mut source);
        if outer {
            source = format!("({source})");
        }
        let query = parse(&source)
            .query
            .unwrap_or_else(|| panic!("{source:?} does not parse"));
        prop_assert_eq!(&query.expr, &expr);
        prop_assert_eq!(query.expr.span, query.span, "{:?}", source);
        spans_hold_their_text(&source, &query.expr);
    }
}

#[test]
fn a_flattened_group_keeps_its_parentheses() {
    for (source, spans) in [
        ("(a EQ 1;b EQ 2)", vec![(0, 15), (1, 7), (8, 14)]),
        (
            "x EQ 1;(a EQ 1;b EQ 2)",
            vec![(0, 22), (0, 6), (8, 14), (15, 21)],
        ),
        (
            "(a EQ 1;b EQ 2)||c EQ 3",
            vec![(0, 23), (0, 15), (1, 7), (8, 14), (17, 23)],
        ),
        (
            "((a EQ 1));((b EQ 2;c EQ 3))",
            vec![(0, 28), (0, 10), (13, 19), (20, 26)],
        ),
    ] {
        let query = parse(source).query.expect(source);
        let mut found = Vec::new();
        let mut stack = vec![&query.expr];
        while let Some(expr) = stack.pop() {
            found.push((expr.span.start, expr.span.end));
            if let ExprKind::And { operands } | ExprKind::Or { operands } = &expr.kind {
                stack.extend(operands.iter().rev());
            }
        }
        assert_eq!(found, spans, "{source}");
    }
}
