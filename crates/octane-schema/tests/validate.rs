//! One case per validator diagnostic: the code, and the text its span
//! covers.

use octane_schema::{Schema, SchemaErrorKind, validate};

/// (entity, query, code, text under the span)
const CASES: &[(&str, &str, &str, &str)] = &[
    ("defectz", "id EQ 1", "S0001", ""),
    ("defects", "nmae EQ ^a^", "S0002", "nmae"),
    ("defect", "release EQ {nmae EQ ^R1^}", "S0002", "nmae"),
    ("work_items", "rank EQ 5", "S0003", "rank"),
    ("defects", "blocked LT true", "S0004", "LT"),
    ("defects", "owner BTW 1...2", "S0004", "BTW"),
    ("defects", "name GT ^a^", "S0004", "GT"),
    ("defects", "story_points EQ ^many^", "S0005", "^many^"),
    ("defects", "name EQ 5", "S0005", "5"),
    ("defects", "blocked EQ 1", "S0005", "1"),
    ("defects", "creation_time EQ 2015", "S0005", "2015"),
    (
        "defects",
        "creation_time GT ^2015-02-30^",
        "S0006",
        "^2015-02-30^",
    ),
    (
        "defects",
        "closed_on LT ^yesterday^",
        "S0006",
        "^yesterday^",
    ),
    ("defects", "owner EQ null", "S0007", "null"),
    ("defects", "story_points EQ {null}", "S0008", "{null}"),
    ("defects", "owner EQ 1001", "S0009", "1001"),
    ("defects", "release EQ ^R1^", "S0009", "^R1^"),
    ("defects", "severity EQ ^High^", "S0010", "^High^"),
    (
        "stories",
        "parent EQ {severity EQ {null}}",
        "S0011",
        "severity",
    ),
    (
        "defects",
        "release EQ [current_user]",
        "S0012",
        "[current_user]",
    ),
    (
        "defects",
        "name EQ [current_user]",
        "S0012",
        "[current_user]",
    ),
    (
        "defects",
        "owner EQ [current_release]",
        "S0013",
        "[current_release]",
    ),
    ("defects", "story_points BTW 1...^5^", "S0014", "1...^5^"),
    ("defects", "story_points BTW 8...3", "S0015", "8...3"),
    (
        "defects",
        "creation_time BTW ^2026-07-01T01:00:00Z^...^2026-07-01T02:00:00+02:00^",
        "S0015",
        "^2026-07-01T01:00:00Z^...^2026-07-01T02:00:00+02:00^",
    ),
    (
        "defects",
        "creation_time BTW ^2020-01-01^...^2019-01-01^",
        "S0015",
        "^2020-01-01^...^2019-01-01^",
    ),
    ("defects", "creation_time EQ ^2015*^", "S0016", "^2015*^"),
    ("defects", "id EQ ^10*^", "S0016", "^10*^"),
    (
        "metadata/fields",
        "entity_name EQ ^defect^||name EQ ^id^",
        "S0017",
        "||",
    ),
    (
        "field_metadata",
        "name EQ ^a^;(entity_name EQ ^b^||label EQ ^c^)",
        "S0017",
        "||",
    ),
    ("defects", "name EQ {id EQ 1}", "S0018", "{id EQ 1}"),
    ("defects", "id IN ^1^,^2^", "S0019", "^1^"),
    ("defects", "blocked EQ null", "S0020", "null"),
    (
        "defects",
        "creation_time GT ^2015-02-25T16:42:11^",
        "S0021",
        "^2015-02-25T16:42:11^",
    ),
    ("defects", "story_points EQ 2.5", "S0022", "2.5"),
];

#[test]
fn each_case_reports_its_code_at_its_span() {
    let schema = Schema::builtin();
    for (entity, query, code, text) in CASES {
        let diagnostics = validate(query, entity, schema);
        let found = diagnostics
            .iter()
            .find(|d| d.code == *code)
            .unwrap_or_else(|| panic!("{entity}: {query:?}: no {code} in {diagnostics:#?}"));
        assert_eq!(&query[found.span.range()], *text, "{entity}: {query:?}");
        assert!(found.help.is_some(), "{code} has help");
        let others = diagnostics
            .iter()
            .filter(|d| d.code != *code && d.is_error())
            .count();
        assert_eq!(others, 0, "{entity}: {query:?}: {diagnostics:#?}");
    }
}

#[test]
fn every_code_has_a_case() {
    // Malformed metadata is not a query's problem: tests/metadata.rs has it.
    for kind in SchemaErrorKind::ALL
        .iter()
        .filter(|k| **k != SchemaErrorKind::MalformedMetadata)
    {
        assert!(
            CASES.iter().any(|(_, _, code, _)| *code == kind.code()),
            "no case for {}",
            kind.code()
        );
    }
}

#[test]
fn helpful_suggestions() {
    let schema = Schema::builtin();
    let help = |entity: &str, query: &str| -> String {
        validate(query, entity, schema)[0]
            .help
            .clone()
            .unwrap_or_default()
    };
    assert_eq!(help("defects", "owner EQ null"), "write `owner EQ {null}`");
    assert_eq!(
        help("defects", "closed_on EQ {null}"),
        "write `closed_on EQ null`"
    );
    assert_eq!(
        help("defects", "owner EQ 1001"),
        "write `owner EQ {id EQ 1001}`"
    );
    assert_eq!(
        help("defects", "priority EQ ^urgent^"),
        "write `priority EQ {id EQ ^list_node.priority.urgent^}`"
    );
    assert_eq!(
        help("defects", "severity EQ ^Catastrophic^"),
        "write `severity EQ {name EQ ^Catastrophic^}`"
    );
    assert_eq!(
        help("defect", "name EQ 5"),
        "put it between carets: `name EQ ^5^`"
    );
    assert_eq!(help("defectz", "id EQ 1"), "did you mean `defect`?");
    assert_eq!(help("storys", "id EQ 1"), "did you mean `story`?");
    assert_eq!(
        help("defects", "detected_in_relase EQ {null}"),
        "did you mean `detected_in_release`?"
    );
}

#[test]
fn valid_queries_are_clean() {
    let schema = Schema::builtin();
    for (entity, query) in [
        ("defects", "name EQ ^x*^;(id GT 5||!owner EQ {null})"),
        (
            "defects",
            "owner EQ [current_user];release EQ [current_release]",
        ),
        ("defects", "severity EQ {id EQ ^list_node.severity.high^}"),
        ("defects", "detected_in_release EQ {name EQ ^R1^}"),
        ("releases", "sprints EQ {id EQ 1006}"),
        (
            "defects",
            "creation_time GT ^2015-02-25T16:42:11Z^;closed_on EQ null",
        ),
        ("defects", "story_points BTW 1...8;id IN 1,2,3"),
        ("workspace_users", "id IN [current_user],1001,1002"),
        ("releases", "id EQ [current_release]"),
        ("runs", "test EQ {product_areas EQ {name EQ ^Cart^}}"),
        (
            "metadata/fields",
            "entity_name EQ ^defect^;name EQ ^severity^",
        ),
        ("tests", "covered_content EQ {subtype EQ ^story^}"),
        // In time, 02:00+02:00 is before 00:30Z, though not as text.
        (
            "defects",
            "creation_time BTW ^2026-07-01T02:00:00+02:00^...^2026-07-01T00:30:00Z^",
        ),
        (
            "defects",
            "creation_time BTW ^2026-07-31^...^2026-07-31T10:00:00Z^",
        ),
    ] {
        let diagnostics = validate(query, entity, schema);
        assert!(
            diagnostics.is_empty(),
            "{entity}: {query}: {diagnostics:#?}"
        );
    }
}

#[test]
fn parse_errors_are_included_and_what_parsed_is_checked_too() {
    let schema = Schema::builtin();
    let codes = |query: &str| -> Vec<&str> {
        validate(query, "defects", schema)
            .iter()
            .map(|d| d.code)
            .collect()
    };
    // `==` is read as `EQ` after its report, so the misspelt field is
    // found in the same pass, as an editor shows both.
    let found = codes("nmae == 5");
    assert!(found.contains(&"Q0008"), "{found:?}");
    assert!(found.iter().any(|c| c.starts_with('S')), "{found:?}");
    // A broken part is not checked; the phrases around it are.
    let found = codes("nmae EQ 5;id GT;severity EQ 1");
    assert!(found.iter().any(|c| c.starts_with('Q')), "{found:?}");
    assert_eq!(
        found.iter().filter(|c| c.starts_with('S')).count(),
        2,
        "nmae and severity: {found:?}"
    );
}
