//! The URI examples of the OData seed document, parsed (and translated
//! where they have a filter).

use octane_odata::{TranslateOptions, odata_to_query, parse_odata};

const BASE: &str = "https://octane.example.com/odata/v4/shared_spaces/1001/workspaces/1002";

/// One URI example of the seed document and what it should give.
struct Example {
    uri: &'static str,
    set: &'static str,
    key: Option<&'static str>,
    select: &'static [&'static str],
    descending: Option<bool>,
    rest: Option<&'static str>,
}

const EXAMPLES: [Example; 7] = [
    Example {
        uri: "/defects?$select=id,name,description",
        set: "defects",
        key: None,
        select: &["id", "name", "description"],
        descending: None,
        rest: None,
    },
    Example {
        uri: "/defects('6001')",
        set: "defects",
        key: Some("6001"),
        select: &[],
        descending: None,
        rest: None,
    },
    Example {
        uri: "/defects?$orderby=name desc",
        set: "defects",
        key: None,
        select: &[],
        descending: Some(true),
        rest: None,
    },
    Example {
        uri: "/defects?$filter=sprint ne null",
        set: "defects",
        key: None,
        select: &[],
        descending: None,
        rest: Some("!sprint EQ {null}"),
    },
    Example {
        uri: "/suite_run?$filter=defect_indirect ne null&$expand=defect_indirect",
        set: "suite_run",
        key: None,
        select: &[],
        descending: None,
        rest: Some("!defect_indirect EQ {null}"),
    },
    Example {
        uri: "/defects?$filter=creation_time ge datetimeoffset'2017-08-24T00:00:00Z'",
        set: "defects",
        key: None,
        select: &[],
        descending: None,
        rest: Some("creation_time GE ^2017-08-24T00:00:00Z^"),
    },
    Example {
        uri: "/defects?$filter=team ne null",
        set: "defects",
        key: None,
        select: &[],
        descending: None,
        rest: Some("!team EQ {null}"),
    },
];

#[test]
fn seed_uri_examples() {
    for e in EXAMPLES {
        let parsed = parse_odata(&format!("{BASE}{}", e.uri));
        assert!(
            parsed.diagnostics.is_empty(),
            "{}: {:?}",
            e.uri,
            parsed.diagnostics
        );
        let request = parsed.request;
        assert_eq!(request.entity_set.as_deref(), Some(e.set), "{}", e.uri);
        assert_eq!(request.key.as_deref(), e.key, "{}", e.uri);
        if !e.select.is_empty() {
            let select: Vec<String> = e.select.iter().map(|s| (*s).to_owned()).collect();
            assert_eq!(request.options.select, Some(select));
        }
        if let Some(descending) = e.descending {
            let items = request.options.orderby.as_ref().expect("an $orderby");
            assert_eq!(items[0].descending, descending);
        }
        if let Some(rest) = e.rest {
            let filter = request.options.filter_text.as_deref().expect("a $filter");
            let options = TranslateOptions {
                entity: Some(e.set),
                schema: None,
            };
            assert_eq!(odata_to_query(filter, &options).unwrap(), rest, "{}", e.uri);
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

/// `$expand=a0($expand=a1($expand=...))`, `levels` deep.
fn nested_expand(levels: usize) -> String {
    let mut text = String::from("$expand=");
    for level in 0..levels {
        if level > 0 {
            text.push_str("($expand=");
        }
        text.push('a');
        text.push_str(&level.to_string());
    }
    text.push_str(&")".repeat(levels - 1));
    text
}

#[test]
fn expand_depth_is_bounded_with_a_located_error() {
    use octane_odata::{MAX_EXPAND_DEPTH, ODataErrorKind};
    let deepest = parse_odata(&nested_expand(MAX_EXPAND_DEPTH));
    assert!(deepest.diagnostics.is_empty(), "{:?}", deepest.diagnostics);
    let mut items = deepest.request.options.expand.as_deref().unwrap();
    let mut levels = 1;
    while let Some(inner) = items[0].options.expand.as_deref() {
        items = inner;
        levels += 1;
    }
    assert_eq!(levels, MAX_EXPAND_DEPTH);

    let input = nested_expand(MAX_EXPAND_DEPTH + 1);
    let too_deep = parse_odata(&input);
    assert_eq!(too_deep.diagnostics.len(), 1, "{:?}", too_deep.diagnostics);
    let error = &too_deep.diagnostics[0];
    assert_eq!(error.code, ODataErrorKind::ExpandTooDeep.code());
    let span = error.span.start as usize..error.span.end as usize;
    assert_eq!(&input[span], format!("a{MAX_EXPAND_DEPTH}"));

    // Far deeper input is refused the same way, in time linear in its size.
    let huge = parse_odata(&nested_expand(50_000));
    assert_eq!(huge.diagnostics.len(), 1);
    assert_eq!(huge.diagnostics[0].code, "O0007");
}

#[test]
fn non_ascii_where_a_guid_could_start_is_an_error_not_a_panic() {
    use octane_odata::parse_expr;
    // 35 ASCII bytes, then a two-byte character across byte 36.
    for text in [
        format!("a{}é eq 1", "b".repeat(34)),
        format!("name eq {}é", "1".repeat(35)),
        format!("{}é", "0".repeat(35)),
        format!("name EQ ^{}^", "é".repeat(40)),
    ] {
        let _ = parse_expr(&text, 0);
        let parsed = parse_odata(&format!("$filter={text}"));
        for d in &parsed.diagnostics {
            assert!(d.span.end as usize <= text.len() + 8, "{d:?}");
        }
        let _ = odata_to_query(&text, &TranslateOptions::default());
    }
}

#[test]
fn chains_count_toward_the_depth_bound() {
    use octane_odata::{MAX_DEPTH, parse_expr};
    let chain = |n: usize| {
        (0..n)
            .map(|i| format!("id eq {i}"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let inside = chain(MAX_DEPTH - 8);
    let rest = odata_to_query(&inside, &TranslateOptions::default()).unwrap();
    assert_eq!(rest.matches("||").count(), MAX_DEPTH - 9);
    let too_long = chain(20_000);
    let error = parse_expr(&too_long, 0).unwrap_err();
    assert_eq!(error.code, "O0001");
    assert!(error.message.contains("nests too deeply"), "{error:?}");
    // Located where the tree gets one level too deep, not at the start.
    let deep = too_long
        .match_indices(" or ")
        .nth(MAX_DEPTH - 10)
        .unwrap()
        .0;
    assert!(error.span.start as usize > deep, "{error:?}");
    assert!(error.span.end as usize <= too_long.len() && !error.span.is_empty());
}
