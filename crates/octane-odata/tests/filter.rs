//! `$filter` parsing by the OData 4.01 precedence table, and translation
//! to and from the REST query language.

use octane_odata::{
    BinaryOp, Expr, ExprKind, Segment, TranslateOptions, UnaryOp, odata_to_query, parse_expr,
    query_to_odata,
};

/// The expression fully parenthesised, to show grouping.
fn grouped(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Binary { op, left, right } => {
            format!("({} {} {})", grouped(left), op.as_str(), grouped(right))
        }
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => format!("(not {})", grouped(operand)),
        ExprKind::Unary {
            op: UnaryOp::Negate,
            operand,
        } => format!("(-{})", grouped(operand)),
        ExprKind::Call { name, args } => format!(
            "{name}({})",
            args.iter().map(grouped).collect::<Vec<_>>().join(",")
        ),
        ExprKind::List(items) => format!(
            "[{}]",
            items.iter().map(grouped).collect::<Vec<_>>().join(",")
        ),
        ExprKind::Path(segments) => segments
            .iter()
            .map(|s| match s {
                Segment::Name(n) => n.clone(),
                Segment::Count => "$count".into(),
                Segment::Call { name, .. } => format!("{name}()"),
                Segment::Lambda { all, body } => format!(
                    "{}({})",
                    if *all { "all" } else { "any" },
                    body.as_ref()
                        .map_or(String::new(), |(v, b)| format!("{v}:{}", grouped(b)))
                ),
            })
            .collect::<Vec<_>>()
            .join("/"),
        ExprKind::Literal(l) => format!("{l:?}"),
        other => format!("{other:?}"),
    }
}

fn group(text: &str) -> String {
    grouped(&parse_expr(text, 0).unwrap_or_else(|e| panic!("{text}: {e}")))
}

/// One row per rank of the precedence table: the operator binds tighter
/// than the next rank, and groups left to right within its own.
#[test]
fn precedence_table() {
    // Primary: navigation, calls, `in`, `has` bind tighter than unary.
    assert_eq!(
        group("not a/b in (1,2)"),
        "(not (a/b in [Integer(\"1\"),Integer(\"2\")]))"
    );
    assert_eq!(
        group("not f has Sales.Color'Red'"),
        "(not (f has Other(\"Sales.Color'Red'\")))"
    );
    // Unary binds tighter than multiplicative.
    assert_eq!(group("-a mul b"), "((-a) mul b)");
    assert_eq!(
        group("not contains(n,'x') and b eq 1"),
        "((not contains(n,String(\"x\"))) and (b eq Integer(\"1\")))"
    );
    // Multiplicative over additive, left to right.
    assert_eq!(group("a add b mul c"), "(a add (b mul c))");
    assert_eq!(
        group("a div b mod c divby d"),
        "(((a div b) mod c) divby d)"
    );
    // Additive over relational, left to right.
    assert_eq!(
        group("a sub 1 sub 2"),
        "((a sub Integer(\"1\")) sub Integer(\"2\"))"
    );
    assert_eq!(group("a add 1 gt b"), "((a add Integer(\"1\")) gt b)");
    // Relational over equality.
    assert_eq!(group("a gt b eq c lt d"), "((a gt b) eq (c lt d))");
    // Equality over and.
    assert_eq!(
        group("a eq 1 and b ne 2"),
        "((a eq Integer(\"1\")) and (b ne Integer(\"2\")))"
    );
    // And over or, left to right.
    assert_eq!(group("a and b or c"), "((a and b) or c)");
    assert_eq!(group("a or b and c or d"), "((a or (b and c)) or d)");
    // Grouping overrides all.
    assert_eq!(group("(a or b) and c"), "((a or b) and c)");
    // Operators in any case (4.01).
    assert_eq!(
        group("Name Eq 'Milk' OR Price Lt 2.55"),
        "((Name eq String(\"Milk\")) or (Price lt Decimal(\"2.55\")))"
    );
}

#[test]
fn literals() {
    for (text, literal) in [
        ("'O''Neil'", "String(\"O'Neil\")"),
        ("2017-08-24", "Date(\"2017-08-24\")"),
        (
            "2017-08-24T00:00:00Z",
            "DateTimeOffset(\"2017-08-24T00:00:00Z\")",
        ),
        (
            "datetimeoffset'2017-08-24T00:00:00Z'",
            "DateTimeOffset(\"2017-08-24T00:00:00Z\")",
        ),
        (
            "datetime'2017-08-24T00:00:00'",
            "DateTimeOffset(\"2017-08-24T00:00:00\")",
        ),
        ("13:20:00", "TimeOfDay(\"13:20:00\")"),
        (
            "01234567-89ab-cdef-0123-456789abcdef",
            "Guid(\"01234567-89ab-cdef-0123-456789abcdef\")",
        ),
        ("duration'P1DT2H'", "Duration(\"P1DT2H\")"),
        ("-3", "Integer(\"-3\")"),
        ("1.5e3", "Decimal(\"1.5e3\")"),
        ("null", "Null"),
        ("TRUE", "Boolean(true)"),
    ] {
        assert_eq!(group(text), literal, "{text}");
    }
    assert!(group("Products/all(d:d/Price gt 5)").contains("all(d:"));
    assert!(group("Name in [\"Milk\", \"Cheese\"]").contains("String(\"Milk\")"));
}

#[test]
fn syntax_errors_point_at_the_problem() {
    for (text, at) in [
        ("name eq 'abc", 8),
        ("a eq", 4),
        ("a eq 1 b", 7),
        ("(a eq 1", 7),
        ("a/ eq 1", 2),
        ("a eq 1.", 5),
    ] {
        let error = parse_expr(text, 0).expect_err(text);
        assert_eq!(error.code, "O0001", "{text}");
        assert_eq!(error.span.start, at, "{text}: {error}");
    }
    let deep = format!("{}a eq 1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(parse_expr(&deep, 0).is_err());
}

fn to_query(filter: &str) -> String {
    odata_to_query(filter, &TranslateOptions::default())
        .unwrap_or_else(|e| panic!("{filter}: {e:?}"))
}

#[test]
fn the_seed_uri_examples_translate() {
    let defects = TranslateOptions {
        entity: Some("defects"),
        schema: None,
    };
    let suite_runs = TranslateOptions {
        entity: Some("suite_run"),
        schema: None,
    };
    assert_eq!(
        odata_to_query("sprint ne null", &defects).unwrap(),
        "!sprint EQ {null}"
    );
    assert_eq!(
        odata_to_query("defect_indirect ne null", &suite_runs).unwrap(),
        "!defect_indirect EQ {null}"
    );
    assert_eq!(
        odata_to_query(
            "creation_time ge datetimeoffset'2017-08-24T00:00:00Z'",
            &defects
        )
        .unwrap(),
        "creation_time GE ^2017-08-24T00:00:00Z^"
    );
    assert_eq!(
        odata_to_query("team ne null", &defects).unwrap(),
        "!team EQ {null}"
    );
    // Without an entity, null stays null.
    assert_eq!(to_query("sprint ne null"), "!sprint EQ null");
}

#[test]
fn translation_rules() {
    assert_eq!(
        to_query("a eq 1 and b gt 2 or not (c le 3)"),
        "a EQ 1;b GT 2||!c LE 3"
    );
    // `not` binds tighter than `le`: `not c le 3` compares `not c`.
    assert!(odata_to_query("not c le 3", &TranslateOptions::default()).is_err());
    assert_eq!(to_query("5 lt id"), "id GT 5");
    assert_eq!(
        to_query("name eq 'd''Artagnan ^x^'"),
        "name EQ ^d'Artagnan \\^x\\^^"
    );
    assert_eq!(to_query("endswith(name,'ing')"), "name EQ ^*ing^");
    assert_eq!(to_query("contains(name,'cart')"), "name EQ ^*cart*^");
    assert_eq!(to_query("substringof('cart',name)"), "name EQ ^*cart*^");
    assert_eq!(
        to_query("release/sprints/name eq 'S1'"),
        "release EQ {sprints EQ {name EQ ^S1^}}"
    );
    assert_eq!(
        to_query("phase in ('new','opened')"),
        "phase IN ^new^,^opened^"
    );
    assert_eq!(to_query("id ge 1 and id le 5"), "id BTW 1...5");
    assert_eq!(
        to_query("release/name eq 'R1' and release/id gt 5"),
        "release EQ {name EQ ^R1^;id GT 5}"
    );
}

#[test]
fn untranslatable_parts_are_errors_that_point_at_them() {
    for (filter, at) in [
        ("Price add 2 gt 5", "Price add 2 gt 5"),
        ("tolower(name) eq 'x'", "tolower(name) eq 'x'"),
        (
            "Items/any(i:i/Price gt 5)",
            "Items/any(i:i/Price gt 5) gt 5",
        ),
        ("contains(name,'a*b')", "'a*b'"),
        ("a eq b", "a eq b"),
        ("f has Sales.Color'Red'", "f has Sales.Color'Red'"),
    ] {
        let errors = odata_to_query(filter, &TranslateOptions::default()).expect_err(filter);
        assert_eq!(errors[0].code, "O0002", "{filter}");
        let span = errors[0].span;
        assert!(
            at.starts_with(&filter[span.range()]) || filter[span.range()].len() <= at.len(),
            "{filter}: {:?}",
            &filter[span.range()]
        );
        assert!(errors[0].help.is_some());
    }
}

/// Query → OData → query gives back the canonical query.
#[test]
fn round_trips() {
    for query in [
        "id EQ 1001",
        "a EQ 1;(b EQ 2||c EQ 3)",
        "!(a EQ 1;b EQ 2)",
        "!!a EQ 1",
        "name EQ ^x*^;(id GT 5||!owner EQ null)",
        "name EQ ^*end^||name EQ ^*mid*^",
        "!name EQ ^a*^",
        "id IN 1,2,3",
        "phase IN ^new^,^opened^",
        "id BTW 12...16",
        "creation_time GT ^2015-02-25T16:42:11Z^;closed_on EQ ^2015-02-25^",
        "release EQ {sprints EQ {id EQ 1006}}",
        "detected_in_release EQ {name EQ ^R1^;id GT 5}",
        "severity EQ {id EQ ^list_node.severity.high^}",
        "has_attachments EQ true;blocked EQ false",
        "name EQ ^d'Artagnan^",
        "név EQ ^Árvíz 😀^",
        "id LT 5;id LE 6;id GE 1",
    ] {
        let odata = query_to_odata(query).unwrap_or_else(|e| panic!("{query}: {e:?}"));
        assert_eq!(to_query(&odata), query, "{query} -> {odata}");
    }
}

#[test]
fn rest_constructs_without_odata_equivalent() {
    for query in ["owner EQ [current_user]", "name EQ ^a*b^"] {
        let errors = query_to_odata(query).expect_err(query);
        assert_eq!(errors[0].code, "O0003", "{query}");
    }
    assert_eq!(query_to_odata("a == 1").unwrap_err()[0].code, "Q0008");
}

#[test]
fn binary_ops_know_their_words() {
    assert_eq!(BinaryOp::from_word("DIVBY"), Some(BinaryOp::DivBy));
    assert_eq!(BinaryOp::DivBy.as_str(), "divby");
}
