//! What the seed documents' examples mean beyond their canonical form
//! (which the fixtures in `tests/fixtures/valid`, `seed_*` and the others,
//! snapshot): the precedence examples are one tree, and the dialect
//! examples warn where they should.

use octane_query::parse;

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
