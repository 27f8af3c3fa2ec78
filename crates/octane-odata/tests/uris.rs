//! The URI examples of the OData seed document, parsed (and translated
//! where they have a filter).

use octane_odata::{TranslateOptions, odata_to_query, parse_odata};

const BASE: &str = "https://octane.example.com/odata/v4/shared_spaces/1001/workspaces/1002";

#[test]
fn seed_uri_examples() {
    // (path and query, entity set, key, $select, $orderby, filter as REST)
    let examples: [(
        &str,
        &str,
        Option<&str>,
        Option<&[&str]>,
        Option<(&str, bool)>,
        Option<&str>,
    ); 7] = [
        (
            "/defects?$select=id,name,description",
            "defects",
            None,
            Some(&["id", "name", "description"]),
            None,
            None,
        ),
        (
            "/defects('6001')",
            "defects",
            Some("6001"),
            None,
            None,
            None,
        ),
        (
            "/defects?$orderby=name desc",
            "defects",
            None,
            None,
            Some(("name", true)),
            None,
        ),
        (
            "/defects?$filter=sprint ne null",
            "defects",
            None,
            None,
            None,
            Some("!sprint EQ {null}"),
        ),
        (
            "/suite_run?$filter=defect_indirect ne null&$expand=defect_indirect",
            "suite_run",
            None,
            None,
            None,
            Some("!defect_indirect EQ {null}"),
        ),
        (
            "/defects?$filter=creation_time ge datetimeoffset'2017-08-24T00:00:00Z'",
            "defects",
            None,
            None,
            None,
            Some("creation_time GE ^2017-08-24T00:00:00Z^"),
        ),
        (
            "/defects?$filter=team ne null",
            "defects",
            None,
            None,
            None,
            Some("!team EQ {null}"),
        ),
    ];
    for (uri, set, key, select, orderby, rest) in examples {
        let parsed = parse_odata(&format!("{BASE}{uri}"));
        assert!(
            parsed.diagnostics.is_empty(),
            "{uri}: {:?}",
            parsed.diagnostics
        );
        let request = parsed.request;
        assert_eq!(request.entity_set.as_deref(), Some(set), "{uri}");
        assert_eq!(request.key.as_deref(), key, "{uri}");
        if let Some(select) = select {
            assert_eq!(
                request.options.select.as_deref(),
                Some(&select.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()[..])
            );
        }
        if let Some((field, descending)) = orderby {
            let items = request.options.orderby.as_ref().expect("an $orderby");
            assert_eq!(items[0].descending, descending);
            assert!(
                matches!(&items[0].expr.kind, octane_odata::ExprKind::Path(p) if p == &[octane_odata::Segment::Name(field.into())])
            );
        }
        if let Some(rest) = rest {
            let filter = request.options.filter_text.as_deref().expect("a $filter");
            let options = TranslateOptions {
                entity: Some(set),
                schema: None,
            };
            assert_eq!(odata_to_query(filter, &options).unwrap(), rest, "{uri}");
        }
    }
    // The expand of the suite-run example.
    let parsed = parse_odata("/suite_run?$filter=defect_indirect ne null&$expand=defect_indirect");
    assert_eq!(
        parsed.request.options.expand.unwrap()[0].path,
        "defect_indirect"
    );
}

#[test]
fn query_strings_paths_and_encoding() {
    let parsed = parse_odata(
        "$filter=name%20eq%20'a+b'&$top=5&$skip=2&$count=true&$format=json&$search=blue&custom=1",
    );
    let options = parsed.request.options;
    assert_eq!(options.filter_text.as_deref(), Some("name eq 'a b'"));
    assert_eq!(
        (options.top, options.skip, options.count),
        (Some(5), Some(2), Some(true))
    );
    assert_eq!(options.format.as_deref(), Some("json"));
    assert_eq!(options.search.as_deref(), Some("blue"));
    assert_eq!(options.other, [("custom".to_owned(), "1".to_owned())]);
    let parsed = parse_odata("/defects('60''01')/name/$value");
    assert_eq!(parsed.request.key.as_deref(), Some("60'01"));
    assert_eq!(parsed.request.path, ["name", "$value"]);
    let nested = parse_odata("$expand=owner($select=name;$filter=id gt 5),team");
    let expand = nested.request.options.expand.unwrap();
    assert_eq!(
        expand[0].options.select.as_deref(),
        Some(&["name".to_owned()][..])
    );
    assert!(expand[0].options.filter.is_some());
    assert_eq!(expand[1].path, "team");
    // Errors point into the input, through percent-encoding.
    let bad = parse_odata("$filter=name%20eq%20'abc&$top=x");
    let spans: Vec<(&str, u32)> = bad
        .diagnostics
        .iter()
        .map(|d| (d.code, d.span.start))
        .collect();
    assert_eq!(spans, [("O0001", 20), ("O0004", 30)]);
    let twice = parse_odata("$top=1&$top=2");
    assert_eq!(twice.diagnostics[0].code, "O0005");
}
