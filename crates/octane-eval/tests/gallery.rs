//! Every flow of the gallery runs on the sample workspace, returns
//! something, and returns exactly what a plain-Rust filter of the
//! generated data selects.

use std::collections::{BTreeSet, HashMap};

use octane_eval::examples;
use octane_eval::sample::{self, CURRENT_RELEASE, CURRENT_USER, SampleOptions};
use octane_eval::{Dataset, DatasetQueryOptions, EvalOptions};
use octane_schema::{Schema, validate};
use serde_json::Value;

/// The generated entities, with lookups that do not use the evaluator.
struct Data {
    by_collection: HashMap<String, Vec<Value>>,
    by_id: HashMap<String, Value>,
}

impl Data {
    fn new(sample: &Value) -> Self {
        let mut by_collection = HashMap::new();
        let mut by_id = HashMap::new();
        for (name, collection) in sample.as_object().unwrap() {
            let items = collection["data"].as_array().unwrap().clone();
            for item in &items {
                by_id.insert(item["id"].as_str().unwrap().to_owned(), item.clone());
            }
            by_collection.insert(name.clone(), items);
        }
        Self {
            by_collection,
            by_id,
        }
    }

    fn all(&self, collections: &[&str]) -> Vec<&Value> {
        collections
            .iter()
            .flat_map(|c| self.by_collection[*c].iter())
            .collect()
    }

    /// The entity a single reference points to.
    fn get<'a>(&'a self, entity: &'a Value, field: &str) -> Option<&'a Value> {
        self.by_id.get(entity.get(field)?.get("id")?.as_str()?)
    }

    /// The entities a multi-value reference points to.
    fn many<'a>(&'a self, entity: &'a Value, field: &str) -> Vec<&'a Value> {
        entity
            .get(field)
            .and_then(|v| v.get("data"))
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|r| self.by_id.get(r["id"].as_str()?))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn id_of(entity: &Value, field: &str) -> Option<String> {
    entity.get(field)?.get("id")?.as_str().map(str::to_owned)
}

fn text(entity: &Value, field: &str) -> String {
    entity
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn logical(data: &Data, entity: &Value, field: &str) -> String {
    data.get(entity, field)
        .map(|p| text(p, "logical_name"))
        .unwrap_or_default()
}

const FAILED: &str = "list_node.run_native_status.failed";
const PASSED: &str = "list_node.run_native_status.passed";
const SINCE: &str = "2026-10-01T00:00:00Z";

/// The expected ids of flow `title`, by plain filtering.
// One independent filter per flow, side by side, reads best as one match.
#[allow(clippy::too_many_lines)]
fn expected(data: &Data, title: &str) -> BTreeSet<String> {
    let me = Some(CURRENT_USER.to_owned());
    let runs = ["manual_runs", "suite_run", "automated_runs"];
    let selected: Vec<&Value> = match title {
        "Get my new user stories for a release" => data
            .all(&["stories"])
            .into_iter()
            .filter(|s| {
                id_of(s, "owner") == me
                    && logical(data, s, "phase") == "phase.story.new"
                    && id_of(s, "release").as_deref() == Some(CURRENT_RELEASE)
            })
            .collect(),
        "Get opened defects that I must test for a sprint" => data
            .all(&["defects"])
            .into_iter()
            .filter(|d| {
                id_of(d, "owner") == me
                    && logical(data, d, "phase") == "phase.defect.opened"
                    && data
                        .get(d, "sprint")
                        .is_some_and(|s| text(s, "name") == "Sprint 2")
            })
            .collect(),
        "Get the comments for my manual tests" => data
            .all(&["comments"])
            .into_iter()
            .filter(|c| {
                data.get(c, "owner_test")
                    .is_some_and(|t| text(t, "subtype") == "test_manual" && id_of(t, "owner") == me)
            })
            .collect(),
        "Get Gherkin tests that are ready for automation" => data
            .all(&["gherkin_tests"])
            .into_iter()
            .filter(|t| {
                id_of(t, "automation_status").as_deref()
                    == Some("list_node.automation_status.ready_for_automation")
            })
            .collect(),
        "Get a list of planned runs for manual tests and test suites" => data
            .all(&runs)
            .into_iter()
            .filter(|r| {
                id_of(r, "native_status").as_deref() == Some("list_node.run_native_status.planned")
                    && ["run_manual", "run_suite"].contains(&text(r, "subtype").as_str())
            })
            .collect(),
        "Get the environments for test results of specific releases" => data
            .all(&runs)
            .into_iter()
            .filter(|r| {
                data.get(r, "release").is_some_and(|rel| {
                    ["Release 1", "Release 2"].contains(&text(rel, "name").as_str())
                }) && !data.many(r, "taxonomies").is_empty()
            })
            .collect(),
        "Get tagged automated tests associated with an application module" => data
            .all(&["automated_tests"])
            .into_iter()
            .filter(|t| {
                data.many(t, "user_tags")
                    .iter()
                    .any(|g| text(g, "name") == "regression")
                    && data
                        .many(t, "product_areas")
                        .iter()
                        .any(|a| text(a, "name") == "Checkout")
            })
            .collect(),
        "Get recent failed automated tests for a release" => data
            .all(&["automated_runs"])
            .into_iter()
            .filter(|r| {
                id_of(r, "native_status").as_deref() == Some(FAILED)
                    && data
                        .get(r, "release")
                        .is_some_and(|rel| text(rel, "name") == "Release 2")
                    && text(r, "started").as_str() >= SINCE
            })
            .collect(),
        "Get application modules whose tests recently failed" => data
            .all(&["automated_runs"])
            .into_iter()
            .filter(|r| {
                id_of(r, "native_status").as_deref() == Some(FAILED)
                    && text(r, "started").as_str() >= SINCE
                    && !data.many(r, "product_areas").is_empty()
            })
            .collect(),
        "Get features whose automated tests recently failed" => data
            .all(&["automated_runs"])
            .into_iter()
            .filter(|r| {
                id_of(r, "native_status").as_deref() == Some(FAILED)
                    && data.get(r, "test").is_some_and(|t| {
                        data.many(t, "covered_content")
                            .iter()
                            .any(|w| text(w, "subtype") == "feature")
                    })
            })
            .collect(),
        "Get open, high-severity defects associated with any application module" => data
            .all(&["defects"])
            .into_iter()
            .filter(|d| {
                data.get(d, "phase")
                    .is_some_and(|p| logical(data, p, "metaphase") == "metaphase.work_item.open")
                    && ["high", "very_high", "urgent"]
                        .iter()
                        .any(|s| id_of(d, "severity") == Some(format!("list_node.severity.{s}")))
                    && !data.many(d, "product_areas").is_empty()
            })
            .collect(),
        "Get closed defects associated with a failed test run" => data
            .all(&["defects"])
            .into_iter()
            .filter(|d| {
                logical(data, d, "phase") == "phase.defect.closed"
                    && data
                        .many(d, "test_runs")
                        .iter()
                        .any(|r| id_of(r, "native_status").as_deref() == Some(FAILED))
            })
            .collect(),
        "Get open defects associated with a successful test run" => data
            .all(&["defects"])
            .into_iter()
            .filter(|d| {
                logical(data, d, "phase") != "phase.defect.closed"
                    && data
                        .many(d, "test_runs")
                        .iter()
                        .any(|r| id_of(r, "native_status").as_deref() == Some(PASSED))
            })
            .collect(),
        "Get failed runs by checking the run history" => data
            .all(&["previous_runs"])
            .into_iter()
            .filter(|r| id_of(r, "native_status").as_deref() == Some(FAILED))
            .collect(),
        "Find the test tasks of work items" => data
            .all(&["tasks"])
            .into_iter()
            .filter(|t| id_of(t, "task_type").as_deref() == Some("list_node.task_type.testing"))
            .collect(),
        "Mark stories done if tasks are completed" => data
            .all(&["tasks"])
            .into_iter()
            .filter(|t| {
                data.get(t, "story")
                    .is_some_and(|s| text(s, "subtype") == "story")
                    && logical(data, t, "phase") != "phase.task.completed"
            })
            .collect(),
        "Mark features done if stories are completed" => data
            .all(&["stories"])
            .into_iter()
            .filter(|s| {
                data.get(s, "parent")
                    .is_some_and(|p| text(p, "subtype") == "feature")
                    && logical(data, s, "phase") != "phase.story.done"
            })
            .collect(),
        other => panic!("no independent check for flow {other:?}"),
    };
    selected.into_iter().map(|e| text(e, "id")).collect()
}

#[test]
fn every_flow_matches_an_independent_filter() {
    let sample = sample::generate(SampleOptions::default());
    let data = Data::new(&sample);
    // Read as the package reads it: the generator's text, unchecked.
    let dataset = Dataset::sample(SampleOptions::default());
    let options = DatasetQueryOptions {
        eval: EvalOptions {
            current_user: Some(CURRENT_USER.to_owned()),
            current_release: Some(CURRENT_RELEASE.to_owned()),
            ..EvalOptions::default()
        },
        limit: Some(2000.0),
        ..DatasetQueryOptions::default()
    };
    assert!(examples().len() >= 15);
    for example in examples() {
        let result = dataset
            .query(&example.entity, &example.query, &options)
            .unwrap_or_else(|e| panic!("{}: {e:?}", example.title));
        let got: BTreeSet<String> = result
            .values()
            .into_iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect();
        let want = expected(&data, &example.title);
        assert!(
            !want.is_empty(),
            "{}: the sample has no match",
            example.title
        );
        assert_eq!(result.total_count, want.len(), "{}", example.title);
        assert_eq!(got, want, "{}", example.title);
    }
}

#[test]
fn the_sample_reads_the_same_unchecked_as_checked() {
    let options = SampleOptions { seed: 11, scale: 2 };
    let unchecked = Dataset::sample(options);
    let checked = Dataset::from_text(
        sample::generate_json(options),
        octane_schema::Schema::builtin_shared(),
    )
    .map_err(|(e, _)| e)
    .expect("the sample loads");
    assert_eq!(unchecked.collections(), checked.collections());
    assert!(unchecked.collections().len() > 10);
    // Every page of every collection, and a cross-filter on references.
    let pages = |d: &Dataset, collection: &str, count: usize, query: &str| -> Vec<Option<String>> {
        (0..u32::try_from(count.div_ceil(2000)).unwrap().max(1))
            .map(|page| {
                let options = DatasetQueryOptions {
                    limit: Some(2000.0),
                    offset: Some(f64::from(page * 2000)),
                    ..DatasetQueryOptions::default()
                };
                d.query_json(collection, query, &options).ok()
            })
            .collect()
    };
    for (collection, count) in checked.collections() {
        let all = pages(&checked, collection, *count, "");
        assert!(all.iter().all(Option::is_some), "{collection}");
        assert_eq!(
            pages(&unchecked, collection, *count, ""),
            all,
            "{collection}"
        );
        let crossed = "owner EQ {id GT 0}";
        assert_eq!(
            pages(&unchecked, collection, *count, crossed),
            pages(&checked, collection, *count, crossed),
            "{collection}"
        );
    }
}

#[test]
fn the_sample_has_a_few_thousand_coherent_entities() {
    let sample = sample::generate(SampleOptions::default());
    let dataset = Dataset::from_value(&sample).expect("loads");
    let total: usize = dataset.collections().iter().map(|(_, n)| n).sum();
    assert!((3_000..8_000).contains(&total), "{total} entities");
    // Every reference points at a generated entity.
    let data = Data::new(&sample);
    for (name, items) in &data.by_collection {
        for item in items {
            for (field, value) in item.as_object().unwrap() {
                let refs: Vec<&Value> = match value.get("data") {
                    Some(Value::Array(list)) => list.iter().collect(),
                    _ if value.get("type").is_some() => vec![value],
                    _ => continue,
                };
                for r in refs {
                    let id = r["id"].as_str().unwrap();
                    assert!(data.by_id.contains_key(id), "{name}.{field} -> {id}");
                }
            }
        }
    }
}

#[test]
fn every_gallery_query_validates_clean_and_is_canonical() {
    assert!(examples().len() >= 15);
    for example in examples() {
        let diagnostics = validate(&example.query, &example.entity, Schema::builtin());
        assert!(
            diagnostics.is_empty(),
            "{}: {diagnostics:#?}",
            example.title
        );
        let canonical = octane_query::format(&example.query).unwrap();
        assert_eq!(canonical, example.query, "{}", example.title);
    }
}
