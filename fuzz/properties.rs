//! The properties the fuzz targets check, shared with the regression test
//! that replays every saved crash (`crates/octane-wasm/tests/fuzz_regressions.rs`)
//! on the stable toolchain. Each takes arbitrary bytes and panics when a
//! property fails; nothing here may panic for any other reason.

#![allow(dead_code)]

use octane_query::{Span, explain, parse, tokenize};

fn in_bounds(text: &str, span: Span, what: &str) {
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{what}: {span:?} outside {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: {span:?} splits a character"
    );
}

/// A query parses or is refused with located diagnostics; a valid one
/// prints a canonical form that parses to the same tree and prints the
/// same (idempotent), and its fully parenthesised form parses to the same
/// tree too.
pub fn query_round_trip(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = parse(text);
    for d in &parsed.diagnostics {
        in_bounds(text, d.span, d.code);
    }
    if parsed.query.is_none() && parsed.partial.is_none() {
        assert!(parsed.has_errors(), "no tree and no error");
    }
    for token in tokenize(text) {
        in_bounds(text, token.span, "token");
    }
    let Some(query) = parsed.query else {
        return;
    };
    let canonical = query.to_string();
    let again = parse(&canonical)
        .query
        .unwrap_or_else(|| panic!("the canonical form {canonical:?} of {text:?} does not parse"));
    assert_eq!(
        again, query,
        "{text:?} → {canonical:?} parses to another tree"
    );
    assert_eq!(
        again.to_string(),
        canonical,
        "formatting {text:?} is not idempotent"
    );
    let grouped = explain(&query).parenthesized;
    let reparsed = parse(&grouped);
    match reparsed.query {
        Some(regrouped) => assert_eq!(regrouped, query, "{grouped:?} groups {text:?} differently"),
        // Every parenthesis counts one level: the grouped form of a query
        // near the bound may pass it.
        None if reparsed.diagnostics.iter().any(|d| d.code == "Q0022") => {}
        None => panic!("the grouped form {grouped:?} of {text:?} does not parse"),
    }
}

/// An OData URL parses with located diagnostics; a `$filter` explains to
/// a grouped form that explains to itself; a translation to REST parses.
pub fn odata(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = octane_odata::parse_odata(text);
    for d in &parsed.diagnostics {
        in_bounds(text, d.span, d.code);
    }
    for filter in [Some(text), parsed.request.options.filter_text.as_deref()]
        .into_iter()
        .flatten()
    {
        if let Ok(explained) = octane_odata::explain_filter(filter) {
            match octane_odata::explain_filter(&explained.parenthesized) {
                Ok(again) => assert_eq!(
                    again.parenthesized, explained.parenthesized,
                    "grouping {filter:?} is not idempotent"
                ),
                // Every parenthesis counts one level: the grouped form of a
                // filter near the bound may pass it.
                Err(d) if d.message.contains("nests too deeply") => {}
                Err(d) => panic!(
                    "{:?} does not parse: {}",
                    explained.parenthesized, d.message
                ),
            }
        }
        if let Ok(rest) =
            octane_odata::odata_to_query(filter, &octane_odata::TranslateOptions::default())
        {
            assert!(
                parse(&rest).query.is_some(),
                "{filter:?} translates to {rest:?}, which does not parse"
            );
        }
    }
}

/// The action config validator reads anything, and locates every problem.
pub fn actions(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for d in octane_actions::validate_actions(text, &octane_actions::ValidateOptions::default()) {
        in_bounds(text, d.diagnostic.span, d.diagnostic.code);
    }
}

/// Rendered URLs parse by the URL standard, and each substituted value
/// comes back intact from its own segment: the path, the query, the
/// fragment.
pub fn render_url(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut values = text.splitn(4, '\u{1}');
    let (Some(id), Some(space), Some(workspace), Some(login)) =
        (values.next(), values.next(), values.next(), values.next())
    else {
        return;
    };
    let context = serde_json::json!({
        "entities": [{ "id": id, "type": "defect" }],
        "shared_space": space,
        "workspace": workspace,
        "user_login": login,
    });
    let Ok(context) = serde_json::from_str::<octane_actions::Context>(&context.to_string()) else {
        return;
    };
    let config = r#"{"name":"a","entity_type":["defect"],"url":"https://x.example/s/{shared_space}/w?ids={entity_ids}&u={user_login}#ws={workspace}"}"#;
    let Ok(rendered) =
        octane_actions::render(config, &context, &octane_actions::RenderOptions::default())
    else {
        return;
    };
    let url =
        url::Url::parse(&rendered).unwrap_or_else(|e| panic!("{rendered:?} is not a URL: {e}"));
    assert_eq!(url.host_str(), Some("x.example"), "{rendered:?}");
    let segments: Vec<&str> = url
        .path_segments()
        .map(Iterator::collect)
        .unwrap_or_default();
    assert_eq!(
        segments.len(),
        3,
        "{rendered:?}: the value left its segment"
    );
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    assert_eq!(decode(segments[1]), space, "{rendered:?}");
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("ids".to_owned(), id.to_owned()),
            ("u".to_owned(), login.to_owned())
        ],
        "{rendered:?}"
    );
    let fragment = url.fragment().unwrap_or_default();
    assert_eq!(
        fragment.strip_prefix("ws=").map(decode).as_deref(),
        Some(workspace),
        "{rendered:?}"
    );
}

/// Collections load or are refused with a message; loaded ones answer a
/// query on each collection.
pub fn dataset(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(dataset) = octane_eval::Dataset::from_json(text) else {
        return;
    };
    let names: Vec<String> = dataset
        .collections()
        .iter()
        .map(|(name, _)| name.clone())
        .collect();
    let options = octane_eval::DatasetQueryOptions {
        fields: Some(vec!["name".to_owned()]),
        ..octane_eval::DatasetQueryOptions::default()
    };
    for name in names {
        let query = "id GT 0||name EQ ^*a*^";
        let Ok(response) =
            dataset.query(&name, query, &octane_eval::DatasetQueryOptions::default())
        else {
            continue;
        };
        // The page is written from the loaded text: it must be JSON, and
        // the same page either way.
        let text = dataset
            .query_json(&name, query, &octane_eval::DatasetQueryOptions::default())
            .expect("the same query runs");
        let page: serde_json::Value = serde_json::from_str(&text).expect("the page is JSON");
        assert_eq!(page["total_count"], response.total_count);
        assert_eq!(
            page["data"].as_array().map(Vec::len),
            Some(response.data.len())
        );
        let projected = dataset
            .query_json(&name, query, &options)
            .expect("the same query runs");
        let projected: serde_json::Value =
            serde_json::from_str(&projected).expect("the projected page is JSON");
        for entity in projected["data"].as_array().into_iter().flatten() {
            let object = entity.as_object().expect("an entity is an object");
            assert!(
                object
                    .keys()
                    .all(|k| k == "type" || k == "id" || k == "name"),
                "{object:?}"
            );
        }
        filter_and_order_agree(&dataset, &name);
    }
}

/// A phrase-at-a-time filter keeps what each row alone matches, and the
/// first rows of an order are the whole order's first rows.
fn filter_and_order_agree(dataset: &octane_eval::Dataset, name: &str) {
    let query = "id GT 0;!name EQ {null};(name EQ ^*a*^||!id LT 3)";
    let parsed = octane_query::parse(query);
    let expr = &parsed.query.as_ref().expect("a valid query").expr;
    let entity = dataset
        .schema()
        .entity(name)
        .map_or_else(|| name.to_owned(), |e| e.name.clone());
    let options = octane_eval::EvalOptions::default();
    let plan = octane_eval::Plan::compile(expr, dataset, &options).expect("compiles");
    let rows = dataset.rows_of(&entity);
    let one_by_one: Vec<u32> = rows
        .iter()
        .copied()
        .filter(|&r| plan.matches(dataset, r))
        .collect();
    let mut filtered = rows;
    plan.filter(dataset, &mut filtered);
    assert_eq!(filtered, one_by_one, "{name}");
    let ids = |limit: f64| -> Vec<String> {
        let options = octane_eval::DatasetQueryOptions {
            order_by: Some("name,-id".to_owned()),
            limit: Some(limit),
            ..octane_eval::DatasetQueryOptions::default()
        };
        dataset
            .query(name, "", &options)
            .map(|r| r.values())
            .unwrap_or_default()
            .iter()
            .map(|v| v["id"].to_string())
            .collect()
    };
    let (first, all) = (ids(3.0), ids(2000.0));
    assert_eq!(first[..], all[..first.len()], "{name}");
}
