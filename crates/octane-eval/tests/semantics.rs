//! Each documented rule of the evaluator, on a small hand-written dataset.

use octane_eval::{Dataset, DatasetQueryOptions, EvalOptions, Missing};

const DATA: &str = r#"{
  "workspace_users": [
    {"type":"workspace_user","id":"1001","name":"ada"},
    {"type":"workspace_user","id":"1002","name":"boris"}
  ],
  "releases": {"data": [
    {"type":"release","id":"2001","name":"R1","start_date":"2026-01-01"},
    {"type":"release","id":"2002","name":"R2","start_date":"2026-06-01"}
  ], "total_count": 2},
  "defects": {"data": [
    {"type":"defect","id":"1","name":"Crash on save","story_points":3,"blocked":false,
     "owner":{"type":"workspace_user","id":"1001"},"detected_in_release":{"type":"release","id":"2001"},
     "creation_time":"2026-03-01T10:00:00Z","closed_on":null,
     "user_tags":{"total_count":2,"data":[{"type":"user_tag","id":"9","name":"ui"},{"type":"user_tag","id":"8","name":"crash"}]}},
    {"type":"defect","id":"2","name":"crash in search","story_points":5,"blocked":true,
     "owner":{"type":"workspace_user","id":"1002"},"detected_in_release":null,
     "creation_time":"2026-07-15T08:30:00Z","closed_on":"2026-08-01T00:00:00Z",
     "user_tags":{"total_count":0,"data":[]}},
    {"type":"defect","id":"10","name":"Typo","story_points":1,
     "owner":null,"detected_in_release":{"type":"release","id":"2002"},
     "creation_time":"2026-09-30T23:59:59Z"}
  ]},
  "stories": [
    {"type":"story","id":"3","name":"Search","parent":{"type":"feature","id":"4","name":"Find things"}}
  ]
}"#;

fn ids(query: &str) -> Vec<String> {
    ids_with(query, &DatasetQueryOptions::default())
}

fn ids_with(query: &str, options: &DatasetQueryOptions) -> Vec<String> {
    let dataset = Dataset::from_json(DATA).expect("loads");
    let response = dataset
        .query("defects", query, options)
        .unwrap_or_else(|e| panic!("{query}: {e:?}"));
    assert!(response.total_count >= response.data.len());
    response
        .values()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn comparisons_on_numbers_ids_strings_and_dates() {
    assert_eq!(ids("story_points GT 2"), ["1", "2"]);
    assert_eq!(ids("story_points LE 3"), ["1", "10"]);
    // Ids are strings in the JSON and numbers in the query.
    assert_eq!(ids("id GT 1"), ["2", "10"]);
    assert_eq!(ids("id EQ ^10^"), ["10"]);
    // Dates compare as strings.
    assert_eq!(ids("creation_time GE ^2026-07-15^"), ["2", "10"]);
    assert_eq!(ids("creation_time LT ^2026-07-15T08:30:00Z^"), ["1"]);
    assert_eq!(ids("blocked EQ true"), ["2"]);
    assert_eq!(ids("name GT ^crash p^"), ["10"]);
}

#[test]
fn strings_ignore_case_unless_asked() {
    assert_eq!(ids("name EQ ^typo^"), ["10"]);
    let exact = DatasetQueryOptions {
        eval: EvalOptions {
            case_sensitive: true,
            ..EvalOptions::default()
        },
        ..DatasetQueryOptions::default()
    };
    assert!(ids_with("name EQ ^typo^", &exact).is_empty());
    assert_eq!(ids_with("name EQ ^Typo^", &exact), ["10"]);
}

#[test]
fn wildcards_anywhere() {
    assert_eq!(ids("name EQ ^crash*^"), ["1", "2"]);
    assert_eq!(ids("name EQ ^*search^"), ["2"]);
    assert_eq!(ids("name EQ ^*on*^"), ["1"]);
    assert_eq!(ids("name EQ ^c*s*e^"), ["1"]);
}

#[test]
fn in_and_btw() {
    assert_eq!(ids("story_points IN 1,5"), ["2", "10"]);
    assert_eq!(ids("story_points BTW 1...3"), ["1", "10"]);
    assert_eq!(
        ids("creation_time BTW ^2026-03-01^...^2026-07-31^"),
        ["1", "2"]
    );
}

#[test]
fn null_and_null_reference() {
    assert_eq!(ids("closed_on EQ null"), ["1", "10"]);
    assert_eq!(ids("owner EQ {null}"), ["10"]);
    assert_eq!(ids("detected_in_release EQ {null}"), ["2"]);
    // An empty multi-value reference is "no value" too.
    assert_eq!(ids("user_tags EQ {null}"), ["2", "10"]);
}

#[test]
fn negation_and_missing_values() {
    // Unknown (SQL-like, the default): a missing owner matches neither.
    assert_eq!(ids("owner EQ {name EQ ^ada^}"), ["1"]);
    assert_eq!(ids("!owner EQ {name EQ ^ada^}"), ["2"]);
    assert_eq!(ids("!closed_on GT ^2026-01-01^"), Vec::<String>::new());
    let two_valued = DatasetQueryOptions {
        eval: EvalOptions {
            missing: Missing::False,
            ..EvalOptions::default()
        },
        ..DatasetQueryOptions::default()
    };
    assert_eq!(
        ids_with("!owner EQ {name EQ ^ada^}", &two_valued),
        ["2", "10"]
    );
    assert_eq!(
        ids_with("!closed_on GT ^2026-01-01^", &two_valued),
        ["1", "10"]
    );
    // Precedence: ! binds tighter than ;.
    assert_eq!(ids("!blocked EQ true;story_points GT 2"), ["1"]);
    // Defect 10 has no `blocked`: the group is unknown, and so is its
    // negation.
    assert!(ids("!(blocked EQ true||story_points GT 2)").is_empty());
    assert_eq!(
        ids_with("!(blocked EQ true||story_points GT 2)", &two_valued),
        ["10"]
    );
}

#[test]
fn cross_filters_follow_references() {
    assert_eq!(ids("detected_in_release EQ {name EQ ^R2^}"), ["10"]);
    assert_eq!(
        ids("detected_in_release EQ {start_date GT ^2026-02-01^}"),
        ["10"]
    );
    // On a multi-value reference, EQ means "contains one that matches";
    // unloaded targets are read from the inline object.
    assert_eq!(ids("user_tags EQ {name EQ ^crash^}"), ["1"]);
    assert_eq!(ids("user_tags EQ {name IN ^ui^,^crash^}"), ["1"]);
}

#[test]
fn special_values_come_from_options() {
    let options = DatasetQueryOptions {
        eval: EvalOptions {
            current_user: Some("1002".into()),
            current_release: Some("2001".into()),
            ..EvalOptions::default()
        },
        ..DatasetQueryOptions::default()
    };
    assert_eq!(ids_with("owner EQ [current_user]", &options), ["2"]);
    assert_eq!(
        ids_with("detected_in_release EQ [current_release]", &options),
        ["1"]
    );
    assert_eq!(ids_with("owner IN [current_user],1001", &options), ["2"]);
    let dataset = Dataset::from_json(DATA).unwrap();
    let error = dataset
        .query(
            "defects",
            "owner EQ [current_user]",
            &DatasetQueryOptions::default(),
        )
        .unwrap_err();
    assert_eq!(error[0].code, "E0001");
    assert_eq!(error[0].span.start, 9);
}

#[test]
fn aggregated_collections_and_subtypes() {
    let dataset = Dataset::from_json(DATA).unwrap();
    let all = dataset
        .query("work_items", "", &DatasetQueryOptions::default())
        .unwrap();
    assert_eq!(all.total_count, 4);
    let stories = dataset
        .query(
            "work_item",
            "name EQ ^search^",
            &DatasetQueryOptions::default(),
        )
        .unwrap();
    assert_eq!(stories.values()[0]["type"], "story");
    // A story's parent feature is not loaded: its inline object answers.
    let with_parent = dataset
        .query(
            "stories",
            "parent EQ {name EQ ^find*^}",
            &DatasetQueryOptions::default(),
        )
        .unwrap();
    assert_eq!(with_parent.total_count, 1);
}

#[test]
fn order_limit_offset_and_fields() {
    let options = |order: &str, limit: Option<f64>, offset: Option<f64>| DatasetQueryOptions {
        order_by: Some(order.to_owned()),
        limit,
        offset,
        fields: Some(vec!["name".to_owned()]),
        ..DatasetQueryOptions::default()
    };
    assert_eq!(
        ids_with("", &options("-story_points", None, None)),
        ["2", "1", "10"]
    );
    // Case is ignored: "crash in search" sorts before "Crash on save".
    assert_eq!(ids_with("", &options("name", None, None)), ["2", "1", "10"]);
    assert_eq!(
        ids_with("", &options("closed_on,-id", None, None)),
        ["2", "10", "1"]
    );
    let dataset = Dataset::from_json(DATA).unwrap();
    let page = dataset
        .query("defects", "", &options("id", Some(1.0), Some(1.0)))
        .unwrap();
    assert_eq!(page.total_count, 3);
    assert_eq!(
        page.values(),
        vec![serde_json::json!({"type":"defect","id":"2","name":"crash in search"})]
    );
    for bad in [Some(0.0), Some(1.5), Some(2001.0)] {
        let error = dataset
            .query("defects", "", &options("id", bad, None))
            .unwrap_err();
        assert_eq!(error[0].code, "E0003");
    }
    let error = dataset
        .query("defects", "", &options("id", None, Some(-1.0)))
        .unwrap_err();
    assert_eq!(error[0].code, "E0003");
    let error = dataset
        .query("defects", "", &options("name,,id", None, None))
        .unwrap_err();
    assert_eq!(error[0].code, "E0002");
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let dataset = Dataset::from_json(DATA).unwrap();
    let error = dataset
        .query("defects", "name == 1", &DatasetQueryOptions::default())
        .unwrap_err();
    assert_eq!(error[0].code, "Q0008");
    assert!(Dataset::from_json("[1,2]").is_err());
    assert!(Dataset::from_json(r#"{"defects": 5}"#).is_err());
    assert!(Dataset::from_json(r#"{"defects": [5]}"#).is_err());
    assert!(Dataset::from_json("{").is_err());
    // Unknown fields simply match nothing.
    assert!(ids("nothing_udf EQ 1").is_empty());
}

#[test]
fn special_values_are_checked_even_on_unknown_fields() {
    let dataset = Dataset::from_json("{}").unwrap();
    let error = dataset
        .query(
            "defects",
            "nobody EQ [current_release]",
            &DatasetQueryOptions::default(),
        )
        .unwrap_err();
    assert_eq!(error[0].code, "E0001");
}

#[test]
fn each_cross_filter_judges_shared_targets_by_its_own_filter() {
    // Two defects whose owner and author are the same two users: a target
    // judged by one cross-filter must not answer for another.
    let data = Dataset::from_json(
        r#"{"workspace_users": [{"type": "workspace_user", "id": "1", "name": "ada"},
                                {"type": "workspace_user", "id": "2", "name": "bob"}],
            "defects": [
              {"type": "defect", "id": "10", "owner": {"type": "workspace_user", "id": "1"},
               "author": {"type": "workspace_user", "id": "2"}},
              {"type": "defect", "id": "11", "owner": {"type": "workspace_user", "id": "2"},
               "author": {"type": "workspace_user", "id": "1"}}]}"#,
    )
    .unwrap();
    let ids = |query: &str| -> Vec<String> {
        let page = data
            .query("defects", query, &DatasetQueryOptions::default())
            .unwrap();
        page.values()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids("owner EQ {name EQ ^ada^};author EQ {name EQ ^bob^}"),
        ["10"]
    );
    assert_eq!(
        ids("owner EQ {name EQ ^bob^};author EQ {name EQ ^ada^}"),
        ["11"]
    );
    assert_eq!(
        ids("owner EQ {name EQ ^ada^}||author EQ {name EQ ^ada^}"),
        ["10", "11"]
    );
    assert_eq!(ids("!owner EQ {name EQ ^ada^}"), ["11"]);
    // The same query twice on one dataset gives the same answer.
    assert_eq!(
        ids("owner EQ {name EQ ^ada^}"),
        ids("owner EQ {name EQ ^ada^}")
    );
}

/// `Plan::filter` (a phrase at a time, with loops of its own for the
/// common phrases) keeps exactly the rows `Plan::matches` accepts one by
/// one, in their order: on rows of many shapes, with values of every kind
/// where a number is expected, under both readings of missing values.
#[test]
fn filtering_a_phrase_at_a_time_keeps_what_each_row_alone_matches() {
    use octane_eval::Plan;
    use octane_eval::sample::{CURRENT_RELEASE, CURRENT_USER, SampleOptions};

    let sample = Dataset::sample(SampleOptions { seed: 7, scale: 1 });
    let small = Dataset::from_json(DATA).expect("loads");
    let queries = [
        "story_points GT 3",
        "story_points LE 2;!owner EQ {null}",
        "owner EQ {null}",
        "!owner EQ {null}",
        "name GT 5",
        "id GE 1005;story_points LT 8",
        "severity EQ {id EQ ^list_node.severity.high^};story_points GT 3;!owner EQ {null}",
        "severity EQ {id EQ ^list_node.severity.high^}||story_points GT 3",
        "!(severity EQ {id EQ ^list_node.severity.high^};story_points GT 3)",
        "owner EQ {name EQ ^a*^};detected_in_release EQ {start_date GT ^2026-02-01^}",
        "user_tags EQ {name EQ ^crash^}",
        "!user_tags EQ {name EQ ^crash^}",
        "user_tags EQ {null}",
        "!user_tags EQ {null}",
        "!detected_in_release EQ {null};owner EQ {name EQ ^a*^}",
        "parent EQ {name EQ ^find*^}",
        "closed_on EQ {null};blocked EQ false",
        "(story_points GT 1;(owner EQ {null}||!story_points IN 3,5));creation_time LT ^2026-08-01^",
        "owner EQ [current_user];release EQ [current_release]",
        "story_points GT 3;story_points GT 3",
    ];
    for (data, entities) in [
        (&sample, ["defects", "work_items", "stories"]),
        (&small, ["defects", "work_items", "stories"]),
    ] {
        for missing in [Missing::Unknown, Missing::False] {
            let options = EvalOptions {
                current_user: Some(CURRENT_USER.to_owned()),
                current_release: Some(CURRENT_RELEASE.to_owned()),
                missing,
                ..EvalOptions::default()
            };
            for entity in entities {
                for query in queries {
                    let parsed = octane_query::parse(query);
                    let expr = &parsed.query.as_ref().expect("a valid query").expr;
                    let rows = data.rows_of(entity);
                    let one_by_one: Vec<u32> = {
                        let plan = Plan::compile(expr, data, &options).expect("compiles");
                        rows.iter()
                            .copied()
                            .filter(|&r| plan.matches(data, r))
                            .collect()
                    };
                    let mut filtered = rows.clone();
                    Plan::compile(expr, data, &options)
                        .expect("compiles")
                        .filter(data, &mut filtered);
                    assert_eq!(filtered, one_by_one, "{entity}: {query} ({missing:?})");
                }
            }
        }
    }
    // The queries tell rows apart: not all keep everything or nothing.
    let kept = |q: &str| {
        sample
            .query("defects", q, &DatasetQueryOptions::default())
            .expect("runs")
            .total_count
    };
    let all = kept("");
    assert!((1..all).contains(&kept("story_points GT 3")));
    assert!((1..all).contains(&kept("!detected_in_release EQ {null}")));
    assert!((1..all).contains(&kept("!user_tags EQ {null}")));
    assert!((1..all).contains(&kept("owner EQ {name EQ ^a*^}")));
    assert!((1..all).contains(&kept(
        "severity EQ {id EQ ^list_node.severity.high^};story_points GT 3"
    )));
}

/// `order_by` on the sample: every neighbouring pair of the result is in
/// order by the keys (numbers descending, text ignoring case, references
/// by their id as a number, missing values last whatever the direction),
/// and rows with equal keys keep the order they were loaded in.
#[test]
fn order_by_sorts_every_pair_and_keeps_ties_in_load_order() {
    use octane_eval::sample::SampleOptions;
    use serde_json::Value;
    use std::cmp::Ordering;

    let data = Dataset::sample(SampleOptions { seed: 11, scale: 1 });
    let rows = |order: Option<&str>| {
        data.query(
            "defects",
            "",
            &DatasetQueryOptions {
                order_by: order.map(str::to_owned),
                ..DatasetQueryOptions::default()
            },
        )
        .expect("runs")
        .values()
    };
    let loaded: Vec<String> = rows(None)
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    let place = |row: &Value| {
        loaded
            .iter()
            .position(|id| row["id"] == id.as_str())
            .expect("a loaded row")
    };
    // A key as the test reads it: numbers; references by id, as a
    // number when it reads as one; text lowered.
    let key = |row: &Value, field: &str| -> Option<(u8, f64, String)> {
        match &row[field] {
            Value::Number(n) => Some((0, n.as_f64().unwrap_or_default(), String::new())),
            Value::String(s) => Some((2, 0.0, s.to_lowercase())),
            Value::Object(o) => o.get("id").and_then(Value::as_str).map(|id| {
                id.parse()
                    .map_or_else(|_| (2, 0.0, id.to_lowercase()), |n| (0, n, String::new()))
            }),
            _ => None,
        }
    };
    let compare =
        |a: &Option<(u8, f64, String)>, b: &Option<(u8, f64, String)>, down: bool| match (a, b) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(a), Some(b)) => {
                let order =
                    a.0.cmp(&b.0)
                        .then(a.1.total_cmp(&b.1))
                        .then_with(|| a.2.cmp(&b.2));
                if down { order.reverse() } else { order }
            }
        };
    for spec in [
        "-story_points,name",
        "owner",
        "-owner,id",
        "name",
        "-phase,story_points",
    ] {
        let sorted = rows(Some(spec));
        assert_eq!(sorted.len(), loaded.len(), "{spec}");
        let mut ties = 0;
        for pair in sorted.windows(2) {
            let mut order = Ordering::Equal;
            for part in spec.split(',') {
                let (down, field) = part.strip_prefix('-').map_or((false, part), |f| (true, f));
                order = compare(&key(&pair[0], field), &key(&pair[1], field), down);
                if order.is_ne() {
                    break;
                }
            }
            assert_ne!(
                order,
                Ordering::Greater,
                "{spec}: {} before {}",
                pair[0],
                pair[1]
            );
            if order.is_eq() {
                ties += 1;
                assert!(
                    place(&pair[0]) < place(&pair[1]),
                    "{spec}: a tie out of load order"
                );
            }
        }
        if ["owner", "-phase,story_points"].contains(&spec) {
            assert!(ties > 0, "{spec}: the sample has ties to keep");
        }
    }
}

/// The ids of a page of the sample's defects in `order`.
fn page_ids(data: &Dataset, order: &str, offset: u32, limit: u32) -> Vec<String> {
    data.query(
        "defects",
        "",
        &DatasetQueryOptions {
            order_by: Some(order.to_owned()),
            offset: Some(f64::from(offset)),
            limit: Some(f64::from(limit)),
            ..DatasetQueryOptions::default()
        },
    )
    .expect("runs")
    .values()
    .iter()
    .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
    .collect()
}

/// A page of an ordered query is its slice of the whole order: only the
/// rows up to the page's end are put in order, and they must be the same.
#[test]
fn an_ordered_page_is_its_slice_of_the_whole_order() {
    use octane_eval::sample::SampleOptions;

    let data = Dataset::sample(SampleOptions { seed: 11, scale: 1 });
    for spec in [
        "-story_points,name",
        "owner",
        "-phase,story_points",
        "name,-id",
    ] {
        let whole = page_ids(&data, spec, 0, 2000);
        let count = u32::try_from(whole.len()).expect("a page");
        assert!(count > 100, "{spec}");
        for (offset, limit) in [(0, 1), (0, 7), (13, 25), (count - 20, 20), (count - 3, 50)] {
            let end = (offset + limit).min(count) as usize;
            assert_eq!(
                page_ids(&data, spec, offset, limit),
                whole[offset as usize..end],
                "{spec} at {offset}, {limit}"
            );
        }
    }
}
