//! How a `$filter` groups: its fully parenthesised form and an outline of
//! its tree, for people reading a filter rather than running it.

use octane_query::{Diagnostic, Span};

use crate::expr::{Expr, ExprKind, Literal, Segment, UnaryOp, parse_expr};

/// A `$filter` explained.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterExplanation {
    /// Every operation in parentheses: `(a eq 1)`, `(not x)`, `(-x)`;
    /// calls as `name(arg,arg)`, lists as `(a,b)`, paths and literals as
    /// written. Parentheses the user wrote add nothing.
    pub parenthesized: String,
    /// The tree, one node per operation, call, list, path or literal.
    pub tree: FilterNode,
}

/// One node of a `$filter` tree, as a reader sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterNode {
    /// `binary`, `unary`, `call`, `list`, `path`, `literal`, `json` or
    /// `lambda`.
    pub kind: &'static str,
    /// The operator (`and`, `eq`, `not`, `-`), the function's name, the
    /// literal's type (`string`, `integer`, ...) or the path as written.
    pub label: String,
    /// Its text in the filter (byte offsets), parentheses written around
    /// it excluded.
    pub span: Span,
    /// Operands, arguments or items, in source order.
    pub children: Vec<FilterNode>,
}

/// Parses `filter` and explains how it groups, or says where it is wrong.
pub fn explain_filter(filter: &str) -> Result<FilterExplanation, Diagnostic> {
    let expr = parse_expr(filter, 0)?;
    let mut parenthesized = String::with_capacity(filter.len() + 16);
    write_grouped(filter, &expr, &mut parenthesized);
    Ok(FilterExplanation {
        parenthesized,
        tree: node(filter, &expr),
    })
}

/// The text of `span` in `filter`.
fn text(filter: &str, span: Span) -> &str {
    filter
        .get(span.start as usize..span.end as usize)
        .unwrap_or_default()
}

/// The span of `expr` without the parentheses the user wrote around it.
fn bare_span(filter: &str, expr: &Expr) -> Span {
    let mut span = expr.span;
    loop {
        let inner = text(filter, span);
        let trimmed = inner.trim();
        if trimmed.len() >= 2
            && trimmed.starts_with('(')
            && trimmed.ends_with(')')
            && wraps(trimmed)
        {
            let lead = inner.len() - inner.trim_start().len();
            span = Span::new(
                span.start + lead as u32 + 1,
                span.start + (lead + trimmed.len()) as u32 - 1,
            );
        } else {
            let lead = inner.len() - inner.trim_start().len();
            let trail = inner.len() - inner.trim_end().len();
            return Span::new(span.start + lead as u32, span.end - trail as u32);
        }
    }
}

/// Whether the `(` opening `text` is closed by its last `)`, not earlier
/// (`(a) eq (b)` is not wrapped). Quotes are skipped.
fn wraps(text: &str) -> bool {
    let mut depth = 0usize;
    let mut quoted = false;
    let last = text.len() - 1;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'\'' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i != last {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

fn write_grouped(filter: &str, expr: &Expr, out: &mut String) {
    match &expr.kind {
        ExprKind::Binary { op, left, right } => {
            out.push('(');
            write_grouped(filter, left, out);
            out.push(' ');
            out.push_str(op.as_str());
            out.push(' ');
            write_grouped(filter, right, out);
            out.push(')');
        }
        ExprKind::Unary { op, operand } => {
            out.push_str(match op {
                UnaryOp::Not => "(not ",
                UnaryOp::Negate => "(-",
            });
            let at = out.len();
            write_grouped(filter, operand, out);
            // `(-2)` would read back as the literal -2: the negation of a
            // number keeps a space, `(- 2)`, and so reads back as written.
            if *op == UnaryOp::Negate && out[at..].starts_with(|c: char| c.is_ascii_digit()) {
                out.insert(at, ' ');
            }
            out.push(')');
        }
        ExprKind::Call { name, args } => {
            out.push_str(name);
            write_list(filter, args, out);
        }
        // A JSON array stays as written: `[x]` is a list, `(x)` a group.
        ExprKind::List(_) if text(filter, bare_span(filter, expr)).starts_with('[') => {
            out.push_str(text(filter, bare_span(filter, expr)));
        }
        ExprKind::List(items) => write_list(filter, items, out),
        ExprKind::Literal(_) | ExprKind::Path(_) | ExprKind::Json(_) => {
            out.push_str(text(filter, bare_span(filter, expr)));
        }
    }
}

fn write_list(filter: &str, items: &[Expr], out: &mut String) {
    out.push('(');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_grouped(filter, item, out);
    }
    out.push(')');
}

fn node(filter: &str, expr: &Expr) -> FilterNode {
    let span = bare_span(filter, expr);
    let (kind, label, children) = match &expr.kind {
        ExprKind::Binary { op, left, right } => (
            "binary",
            op.as_str().to_owned(),
            vec![node(filter, left), node(filter, right)],
        ),
        ExprKind::Unary { op, operand } => (
            "unary",
            match op {
                UnaryOp::Not => "not",
                UnaryOp::Negate => "-",
            }
            .to_owned(),
            vec![node(filter, operand)],
        ),
        ExprKind::Call { name, args } => (
            "call",
            name.clone(),
            args.iter().map(|a| node(filter, a)).collect(),
        ),
        ExprKind::List(items) => (
            "list",
            String::new(),
            items.iter().map(|a| node(filter, a)).collect(),
        ),
        ExprKind::Literal(literal) => ("literal", literal_type(literal).to_owned(), Vec::new()),
        ExprKind::Json(_) => ("json", String::new(), Vec::new()),
        ExprKind::Path(segments) => {
            let children = segments
                .iter()
                .filter_map(|segment| match segment {
                    Segment::Lambda {
                        all,
                        body: Some((_, body)),
                    } => Some(FilterNode {
                        kind: "lambda",
                        label: if *all { "all" } else { "any" }.to_owned(),
                        span: body.span,
                        children: vec![node(filter, body)],
                    }),
                    _ => None,
                })
                .collect();
            ("path", text(filter, span).to_owned(), children)
        }
    };
    FilterNode {
        kind,
        label,
        span,
        children,
    }
}

fn literal_type(literal: &Literal) -> &'static str {
    match literal {
        Literal::Null => "null",
        Literal::Boolean(_) => "boolean",
        Literal::Integer(_) => "integer",
        Literal::Decimal(_) => "decimal",
        Literal::String(_) => "string",
        Literal::Date(_) => "date",
        Literal::DateTimeOffset(_) => "datetimeoffset",
        Literal::TimeOfDay(_) => "timeofday",
        Literal::Duration(_) => "duration",
        Literal::Guid(_) => "guid",
        Literal::Other(_) => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grouped(filter: &str) -> String {
        explain_filter(filter).unwrap().parenthesized
    }

    #[test]
    fn groups_as_the_precedence_table_says() {
        let cases = [
            (
                "true or not false and true",
                "(true or ((not false) and true))",
            ),
            ("not a eq b", "((not a) eq b)"),
            ("a gt 1 eq true", "((a gt 1) eq true)"),
            ("a sub 1 sub 2", "((a sub 1) sub 2)"),
            ("-(a add 5)", "(-(a add 5))"),
            ("((a eq 1))", "(a eq 1)"),
            ("a DivBy 2 Eq 1", "((a divby 2) eq 1)"),
            (
                "contains(name, 'x y') and a/b in ('p', 'q')",
                "(contains(name,'x y') and (a/b in ('p','q')))",
            ),
            (
                "creation_time gt 2017-08-24T00:00:00Z and (severity eq 'high' or owner ne null)",
                "((creation_time gt 2017-08-24T00:00:00Z) and ((severity eq 'high') or (owner ne null)))",
            ),
            (
                "concat(concat(a,', '),b) eq 'x'",
                "(concat(concat(a,', '),b) eq 'x')",
            ),
            ("( a ) eq ( 'b)' )", "(a eq 'b)')"),
            ("- 2 eq -2", "((- 2) eq -2)"),
        ];
        for (filter, expected) in cases {
            assert_eq!(grouped(filter), expected, "{filter}");
        }
    }

    #[test]
    fn the_tree_has_one_node_per_operation_with_bare_spans() {
        let filter = "(a eq 1) or not contains(name,'x')";
        let tree = explain_filter(filter).unwrap().tree;
        assert_eq!((tree.kind, tree.label.as_str()), ("binary", "or"));
        let left = &tree.children[0];
        assert_eq!(text(filter, left.span), "a eq 1");
        assert_eq!(left.children[0].label, "a");
        assert_eq!(left.children[1].label, "integer");
        let not = &tree.children[1];
        assert_eq!((not.kind, not.label.as_str()), ("unary", "not"));
        assert_eq!(not.children[0].kind, "call");
        assert_eq!(not.children[0].children.len(), 2);
    }

    #[test]
    fn lambdas_show_their_body() {
        let filter = "tags/any(t: t/name eq 'x')";
        let tree = explain_filter(filter).unwrap().tree;
        assert_eq!(tree.kind, "path");
        assert_eq!(tree.children[0].kind, "lambda");
        assert_eq!(tree.children[0].children[0].label, "eq");
    }

    #[test]
    fn json_array_items_keep_their_own_text() {
        let filter = r#"a in [{"x":1}, "y", 2]"#;
        let explained = explain_filter(filter).unwrap();
        assert_eq!(explained.parenthesized, r#"(a in [{"x":1}, "y", 2])"#);
        let items = &explained.tree.children[1].children;
        let texts: Vec<&str> = items.iter().map(|n| text(filter, n.span)).collect();
        assert_eq!(texts, [r#"{"x":1}"#, r#""y""#, "2"]);
    }

    /// A filter written with its compound operands in parentheses, as a
    /// tree to print: `(text, operands)`, where the text holds `{}` for
    /// each operand.
    #[derive(Clone, Debug)]
    struct Written(String, Vec<Written>);

    fn written() -> impl proptest::strategy::Strategy<Value = Written> {
        use proptest::prelude::*;
        let leaf = prop::sample::select(vec![
            "a",
            "b/c",
            "name",
            "1",
            "1.5",
            "'x y'",
            "'it''s'",
            "null",
            "true",
            "2017-08-24T00:00:00Z",
        ])
        .prop_map(|text| Written(text.to_owned(), Vec::new()));
        leaf.prop_recursive(4, 24, 2, |inner| {
            prop_oneof![
                (
                    inner.clone(),
                    prop::sample::select(vec![
                        "eq", "ne", "gt", "lt", "and", "or", "add", "sub", "mul"
                    ]),
                    inner.clone()
                )
                    .prop_map(|(l, op, r)| Written(format!("{{}} {op} {{}}"), vec![l, r])),
                inner
                    .clone()
                    .prop_map(|x| Written("not {}".to_owned(), vec![x])),
                inner
                    .clone()
                    .prop_map(|x| Written("-({})".to_owned(), vec![x])),
                (inner.clone(), inner.clone())
                    .prop_map(|(x, y)| Written("contains({},{})".to_owned(), vec![x, y])),
                inner.prop_map(|x| Written("tolower({})".to_owned(), vec![x])),
            ]
        })
    }

    /// Prints `w`; `extra` says how many more parentheses (with spaces
    /// inside) to write around each part, in turn.
    fn print(w: &Written, extra: &mut impl Iterator<Item = u8>) -> String {
        let mut operands = w.1.iter().map(|operand| {
            let text = print(operand, extra);
            // Compound operands in parentheses; calls' arguments stand
            // between commas already.
            if operand.1.is_empty() || w.0.contains('(') {
                text
            } else {
                format!("({text})")
            }
        });
        let mut text = String::new();
        for (i, part) in w.0.split("{}").enumerate() {
            if i > 0 {
                text.push_str(&operands.next().unwrap());
            }
            text.push_str(part);
        }
        for _ in 0..extra.next().unwrap_or(0) % 3 {
            text = format!("( {text} )");
        }
        text
    }

    fn shape(node: &FilterNode) -> String {
        let children: Vec<String> = node.children.iter().map(shape).collect();
        format!("{}:{}[{}]", node.kind, node.label, children.join(","))
    }

    /// Asserts that each node's span holds its text alone: no parentheses
    /// around it, no white space at its ends, and explained alone the
    /// same node.
    fn bare_spans(filter: &str, node: &FilterNode) {
        let alone = text(filter, node.span);
        assert_eq!(
            alone,
            alone.trim(),
            "the span of {} in {filter:?}",
            shape(node)
        );
        let explained = explain_filter(alone)
            .unwrap_or_else(|e| panic!("{alone:?} from {filter:?}: {}", e.message));
        assert_eq!(
            shape(&explained.tree),
            shape(node),
            "{alone:?} from {filter:?}"
        );
        for child in &node.children {
            bare_spans(filter, child);
        }
    }

    proptest::proptest! {
        /// Parentheses and spaces the user adds change neither the tree nor
        /// the grouped form, and every node's span is its bare text.
        #[test]
        fn written_parentheses_add_nothing(
            tree in written(),
            extra in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..16),
        ) {
            let plain = print(&tree, &mut std::iter::repeat(0));
            let decorated = print(&tree, &mut extra.into_iter().cycle());
            let plain_explained = explain_filter(&plain)
                .unwrap_or_else(|e| panic!("{plain:?}: {}", e.message));
            let explained = explain_filter(&decorated)
                .unwrap_or_else(|e| panic!("{decorated:?}: {}", e.message));
            proptest::prop_assert_eq!(&explained.parenthesized, &plain_explained.parenthesized);
            proptest::prop_assert_eq!(shape(&explained.tree), shape(&plain_explained.tree));
            bare_spans(&decorated, &explained.tree);
        }
    }

    #[test]
    fn an_invalid_filter_is_located() {
        let error = explain_filter("a eq").unwrap_err();
        assert!(error.is_error());
        assert!(error.span.end as usize <= 4);
    }
}
