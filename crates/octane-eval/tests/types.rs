//! Values compare by the type the schema gives their field: date-times as
//! instants, dates as days, strings as text, numbers as numbers; and a
//! workspace's own schema types its own entities and fields.

use std::sync::Arc;

use octane_eval::{Dataset, DatasetQueryOptions};
use octane_schema::Schema;

const DEFECTS: &str = r#"{
  "defects": [
    {"type":"defect","id":"1","name":"10.0","creation_time":"2026-07-15T08:30:00.500Z"},
    {"type":"defect","id":"2","name":"010","creation_time":"2020-01-02T03:04:05Z"},
    {"type":"defect","id":"10","name":"10","creation_time":"2026-07-31T10:00:00Z"},
    {"type":"defect","id":"11","name":"late","creation_time":"2015-02-25T16:42:11+02:00"},
    {"type":"defect","id":"12","name":"early","creation_time":"2015-02-25T15:00:00Z"}
  ]
}"#;

fn ids(data: &Dataset, collection: &str, query: &str, order_by: Option<&str>) -> Vec<String> {
    let options = DatasetQueryOptions {
        order_by: order_by.map(str::to_owned),
        ..DatasetQueryOptions::default()
    };
    data.query(collection, query, &options)
        .unwrap_or_else(|e| panic!("{query}: {e:?}"))
        .values()
        .iter()
        .map(|row| row["id"].as_str().unwrap().to_owned())
        .collect()
}

fn defects(query: &str) -> Vec<String> {
    let data = Dataset::from_json(DEFECTS).unwrap();
    ids(&data, "defects", query, None)
}

#[test]
fn date_times_compare_as_instants() {
    // Half a second after is after.
    assert_eq!(
        defects("creation_time GT ^2026-07-15T08:30:00Z^"),
        ["1", "10"]
    );
    // Milliseconds written or not, the same instant.
    assert_eq!(
        defects("creation_time EQ ^2020-01-02T03:04:05.000Z^"),
        ["2"]
    );
    // An offset is applied: 16:42:11+02:00 is 14:42:11Z, before 15:00Z.
    assert_eq!(defects("creation_time LT ^2015-02-25T15:00:00Z^"), ["11"]);
    assert_eq!(
        defects("creation_time EQ ^2015-02-25T14:42:11Z^"),
        defects("creation_time EQ ^2015-02-25T16:42:11+02:00^")
    );
}

#[test]
fn a_date_literal_is_a_whole_utc_day() {
    assert_eq!(
        defects("creation_time BTW ^2026-07-01^...^2026-07-31^"),
        ["1", "10"]
    );
    assert_eq!(defects("creation_time EQ ^2026-07-15^"), ["1"]);
    assert_eq!(defects("creation_time GT ^2026-07-15^"), ["10"]);
    assert_eq!(defects("creation_time GE ^2026-07-15^"), ["1", "10"]);
    assert_eq!(
        defects("creation_time LE ^2026-07-15^"),
        ["1", "2", "11", "12"]
    );
    assert_eq!(defects("creation_time LT ^2026-07-15^"), ["2", "11", "12"]);
}

#[test]
fn sorting_by_a_date_time_orders_instants() {
    let data = Dataset::from_json(DEFECTS).unwrap();
    // As text, "…16:42:11+02:00" would sort after "…15:00:00Z".
    assert_eq!(
        ids(&data, "defects", "", Some("creation_time")),
        ["11", "12", "2", "1", "10"]
    );
    assert_eq!(
        ids(&data, "defects", "", Some("-creation_time")),
        ["10", "1", "2", "12", "11"]
    );
}

#[test]
fn strings_compare_as_text_and_ids_as_numbers() {
    assert_eq!(defects("name EQ ^10^"), ["10"]);
    assert_eq!(defects("name EQ 10"), ["10"]);
    assert_eq!(defects("name IN ^010^,^10.0^"), ["1", "2"]);
    // Text order: "010" < "10" < "10.0" < "early" < "late".
    assert_eq!(defects("name LT ^10^"), ["2"]);
    // Ids are integers in the schema, written as strings in the JSON.
    assert_eq!(defects("id EQ ^10^"), ["10"]);
    assert_eq!(defects("id GT 2"), ["10", "11", "12"]);
    let data = Dataset::from_json(DEFECTS).unwrap();
    assert_eq!(
        ids(&data, "defects", "", Some("name")),
        ["2", "10", "1", "12", "11"]
    );
}

#[test]
fn fields_the_schema_does_not_know_are_read_by_their_look() {
    let data = Dataset::from_json(
        r#"{"defects": [
            {"type":"defect","id":"1","ticket_udf":"010","seen_udf":"2026-07-15T10:00:00+02:00"},
            {"type":"defect","id":"2","ticket_udf":"9","seen_udf":"2026-07-15T09:00:00Z"},
            {"type":"defect","id":"3","ticket_udf":"abc","seen_udf":"soon"}
        ]}"#,
    )
    .unwrap();
    let q = |query: &str| ids(&data, "defects", query, None);
    assert_eq!(q("ticket_udf EQ ^10^"), ["1"]);
    assert_eq!(q("ticket_udf GT 9"), ["1"]);
    assert_eq!(q("ticket_udf EQ ^abc^"), ["3"]);
    assert_eq!(q("seen_udf LT ^2026-07-15T08:30:00Z^"), ["1"]);
    assert_eq!(q("seen_udf EQ ^2026-07-15^"), ["1", "2"]);
    assert_eq!(q("seen_udf EQ ^soon^"), ["3"]);
}

/// A workspace whose metadata types its own entity and user-defined
/// fields.
fn workspace_schema() -> Arc<Schema> {
    let fields = r#"{"data": [
      {"name":"id","entity_name":"incident","field_type":"integer"},
      {"name":"code_udf","entity_name":"incident","field_type":"string"},
      {"name":"weight_udf","entity_name":"incident","field_type":"float"},
      {"name":"due_udf","entity_name":"incident","field_type":"date"},
      {"name":"id","entity_name":"major_incident","field_type":"integer"},
      {"name":"code_udf","entity_name":"major_incident","field_type":"string"}
    ]}"#;
    let entities = r#"{"data": [
      {"name":"incident","label":"Incident","features":[{"name":"rest","url":"incidents"}]},
      {"name":"major_incident","label":"Major incident",
       "features":[{"name":"rest","url":"major_incidents"},{"name":"subtype_of","type":"incident"}]}
    ]}"#;
    Arc::new(Schema::from_metadata(fields, Some(entities)).unwrap())
}

const INCIDENTS: &str = r#"{
  "incidents": [
    {"type":"incident","id":"1","code_udf":"007","weight_udf":"2.50","due_udf":"2026-07-15T23:00:00Z"},
    {"type":"incident","id":"2","code_udf":"7","weight_udf":"10","due_udf":"2026-07-16"}
  ],
  "major_incidents": [
    {"type":"major_incident","id":"3","code_udf":"7.0"}
  ]
}"#;

#[test]
fn a_workspace_schema_types_its_own_fields() {
    let data = Dataset::from_json_with(INCIDENTS, workspace_schema()).unwrap();
    let q = |query: &str| ids(&data, "incidents", query, None);
    // A string udf: "007" and "7.0" are not 7.
    assert_eq!(q("code_udf EQ ^7^"), ["2"]);
    // A float udf written as text compares as a number.
    assert_eq!(q("weight_udf GT 3"), ["2"]);
    assert_eq!(q("weight_udf EQ 2.5"), ["1"]);
    // A date udf compares by day.
    assert_eq!(q("due_udf EQ ^2026-07-15^"), ["1"]);
    // The workspace's own subtype is part of its aggregated collection.
    assert_eq!(q("code_udf EQ ^7.0^"), ["3"]);
    assert_eq!(
        ids(&data, "incidents", "", Some("weight_udf")),
        ["1", "2", "3"]
    );

    // Without the workspace's schema the same fields are read by their
    // look: "007" reads as the number 7, and the subtype is not known.
    let untyped = Dataset::from_json(INCIDENTS).unwrap();
    assert_eq!(
        ids(&untyped, "incidents", "code_udf EQ ^7^", None),
        ["1", "2"]
    );
    assert_eq!(untyped.schema().entity("incident"), None);
}
