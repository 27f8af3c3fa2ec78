//! Repairs carried as data: each mechanical one (`==`, `AND`, `OR`, `NOT`,
//! `&&`, `…`, a missing closing quote) turns the statement into one that
//! parses, and "fix all" applies them together.

use octane_query::{apply_fixes, format, parse};

fn fixed(source: &str) -> String {
    apply_fixes(source, &parse(source).diagnostics)
}

#[test]
fn each_repair_makes_the_statement_parse() {
    for (source, canonical) in [
        ("name == ^a^", "name EQ ^a^"),
        ("a EQ 1 AND b EQ 2", "a EQ 1;b EQ 2"),
        ("a EQ 1 or b EQ 2", "a EQ 1||b EQ 2"),
        ("NOT a EQ 1", "!a EQ 1"),
        ("a EQ 1 && b EQ 2", "a EQ 1;b EQ 2"),
        ("a EQ 1 | b EQ 2", "a EQ 1||b EQ 2"),
        ("id BTW 1…5", "id BTW 1...5"),
        ("name EQ ^abc", "name EQ ^abc^"),
        ("name EQ 'it\\'s", "name EQ ^it's^"),
    ] {
        let parsed = parse(source);
        assert!(
            parsed.diagnostics.iter().any(|d| d.fix.is_some()),
            "{source}: no repair offered"
        );
        let repaired = fixed(source);
        assert_eq!(
            format(&repaired).as_deref(),
            Ok(canonical),
            "{source} → {repaired}"
        );
    }
}

#[test]
fn fix_all_applies_every_repair_once() {
    let source = "név == ^é^ AND id BTW 1…5 OR x EQ ^y";
    let repaired = fixed(source);
    assert_eq!(repaired, "név EQ ^é^ ; id BTW 1...5 || x EQ ^y^");
    assert!(parse(&repaired).diagnostics.is_empty());
    // A statement with nothing to repair is left as it is.
    assert_eq!(fixed("a EQ 1;b EQ 2"), "a EQ 1;b EQ 2");
    // Problems without a mechanical repair carry none.
    let unknown = parse("a != 1");
    assert!(unknown.diagnostics.iter().all(|d| d.fix.is_none()));
}
