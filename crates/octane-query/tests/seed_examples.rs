//! Every example query of the seed documents (the REST API's query page and
//! the facts gathered from Octane's SDKs) parses and prints canonically.

mod common;

use common::verified;
use octane_query::parse;

/// (as written in the docs, canonical form)
const EXAMPLES: &[(&str, &str)] = &[
    // Comparison operators table.
    ("id EQ 1001", "id EQ 1001"),
    ("id LT 1001", "id LT 1001"),
    ("id GT 1001", "id GT 1001"),
    ("id LE 1001", "id LE 1001"),
    ("id GE 1001", "id GE 1001"),
    (
        "id IN [current_user],1001, 1002, 1003",
        "id IN [current_user],1001,1002,1003",
    ),
    ("id BTW 12…16", "id BTW 12...16"),
    // Operator precedence: the two statements are equivalent.
    (
        "\"(!name EQ ^test^);flag EQ true\"",
        "!name EQ ^test^;flag EQ true",
    ),
    (
        "\"!name EQ ^test^;flag EQ true\"",
        "!name EQ ^test^;flag EQ true",
    ),
    // Value types.
    (
        "\"some_numeric_field_name GE 35\"",
        "some_numeric_field_name GE 35",
    ),
    ("id GT 1", "id GT 1"),
    (
        "\"some_boolean_field_name EQ true\"",
        "some_boolean_field_name EQ true",
    ),
    ("has_attachments EQ true", "has_attachments EQ true"),
    ("name EQ ^Using cart^", "name EQ ^Using cart^"),
    (
        "logical_name EQ ^phase.test*^",
        "logical_name EQ ^phase.test*^",
    ),
    (
        "”detected_in_release EQ {name EQ ^release1^}”",
        "detected_in_release EQ {name EQ ^release1^}",
    ),
    (
        "”detected_in_release EQ {null}”",
        "detected_in_release EQ {null}",
    ),
    ("name EQ ^ A ^", "name EQ ^ A ^"),
    ("name EQ 'd\\'Artagnan'", "name EQ ^d'Artagnan^"),
    ("name EQ ^n\\^m^", "name EQ ^n\\^m^"),
    (
        "name EQ ^four \\\"score\\\" and seven years^",
        "name EQ ^four \\\"score\\\" and seven years^",
    ),
    (
        "”some_date_field_name LT ^2015-02-25T16:42:11Z^”",
        "some_date_field_name LT ^2015-02-25T16:42:11Z^",
    ),
    (
        "creation_time GT ^2015-02-25T16:42:11+02:00^",
        "creation_time GT ^2015-02-25T16:42:11+02:00^",
    ),
    ("name EQ ^*ending^", "name EQ ^*ending^"),
    ("name EQ ^starting*^", "name EQ ^starting*^"),
    // The other dialect (C# and Java SDKs, older docs).
    ("name='abc'", "name EQ ^abc^"),
    ("id>5", "id GT 5"),
    ("(id IN '1','2')", "id IN ^1^,^2^"),
    ("(f BTW '1000' ...'1020')", "f BTW ^1000^...^1020^"),
    // Cross-filters and list nodes.
    (
        "release EQ {sprints EQ {id EQ 1006}}",
        "release EQ {sprints EQ {id EQ 1006}}",
    ),
    (
        "severity EQ {id EQ ^list_node.severity.high^}",
        "severity EQ {id EQ ^list_node.severity.high^}",
    ),
    ("!name EQ ^a^;x EQ 1", "!name EQ ^a^;x EQ 1"),
    // The statement of the project's own description.
    (
        "name EQ ^x*^;(id GT 5||!owner EQ {null})",
        "name EQ ^x*^;(id GT 5||!owner EQ {null})",
    ),
];

#[test]
fn seed_examples_print_canonically() {
    for (source, canonical) in EXAMPLES {
        verified(source, canonical);
    }
}

#[test]
fn the_precedence_examples_are_the_same_tree() {
    let a = parse("(!name EQ ^test^);flag EQ true").query.unwrap();
    let b = parse("!name EQ ^test^;flag EQ true").query.unwrap();
    let c = parse("!(name EQ ^test^;flag EQ true)").query.unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c, "a group under ! is a different statement");
}

#[test]
fn dialect_examples_warn_where_they_should() {
    let codes = |s: &str| -> Vec<&str> { parse(s).diagnostics.iter().map(|d| d.code).collect() };
    assert_eq!(codes("id BTW 12…16"), ["Q0101"]);
    assert_eq!(codes("”detected_in_release EQ {null}”"), ["Q0103"]);
    assert_eq!(codes("query=\"id EQ 1\""), ["Q0102"]);
    assert!(codes("id BTW 12...16").is_empty());
    // The docs' date example lost its closing quote.
    let parsed = parse("”some_date_field_name LT ^2015-02-25T16:42:11Z^");
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].code, "Q0005");
    assert_eq!(parsed.diagnostics[0].span, octane_query::Span::new(0, 3));
}
