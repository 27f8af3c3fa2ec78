//! The metadata reader: the built-in schema round-trips through it, user
//! metadata with user-defined fields validates, and bad JSON is an error.

use octane_schema::{FieldType, Schema, validate};

#[test]
fn builtin_schema_covers_the_public_resources() {
    let schema = Schema::builtin();
    // The public resources of the REST API's resource page.
    for collection in [
        "builds",
        "ci_servers",
        "pipelines",
        "epics",
        "features",
        "stories",
        "defects",
        "phases",
        "metaphases",
        "transitions",
        "tasks",
        "releases",
        "requirements",
        "requirement_documents",
        "requirement_folders",
        "requirement_roots",
        "sprints",
        "product_areas",
        "manual_tests",
        "gherkin_tests",
        "teams",
        "team_sprints",
        "tests",
        "test_suites",
        "test_suite_link_to_automated_tests",
        "test_suite_link_to_gherkin_tests",
        "test_suite_link_to_manual_tests",
        "manual_runs",
        "suite_run",
        "run_steps",
        "runs",
        "automated_runs",
        "previous_runs",
        "pipeline_run",
        "pipeline_node",
        "ci_build",
        "scm_commit",
        "list_nodes",
        "users",
        "user_items",
        "work_items",
        "work_item_roots",
        "roles",
        "workspaces",
        "workspace_roles",
        "workspace_users",
        "user_tags",
        "taxonomy_category_nodes",
        "taxonomy_item_nodes",
        "taxonomy_nodes",
        "attachments",
        "comments",
    ] {
        let entity = schema
            .entity(collection)
            .unwrap_or_else(|| panic!("no entity for {collection}"));
        assert!(
            entity.field("id").is_some() || entity.name.ends_with("metadata"),
            "{collection} has an id"
        );
    }
    // Entity names resolve as well as collections.
    assert_eq!(
        schema.entity("defect").unwrap().collection.as_deref(),
        Some("defects")
    );
    // Aggregated types know their subtypes.
    let work_item = schema.entity("work_item").unwrap();
    for subtype in ["story", "defect", "feature", "epic", "quality_story"] {
        assert!(work_item.subtypes.iter().any(|s| s == subtype), "{subtype}");
    }
    let run = schema.entity("runs").unwrap();
    assert_eq!(
        run.subtypes,
        [
            "run_manual",
            "run_suite",
            "run_automated",
            "gherkin_automated_run"
        ]
    );
    assert_eq!(schema.aggregated_type("test_manual"), "test");
    // References may have several targets, and multi-value ones are marked.
    let parent = schema.entity("defect").unwrap().field("parent").unwrap();
    assert_eq!(parent.targets.len(), 2);
    let tags = schema.entity("defect").unwrap().field("user_tags").unwrap();
    assert!(tags.multiple);
    let severity = schema.entity("defect").unwrap().field("severity").unwrap();
    assert!(severity.is_list());
    assert_eq!(
        severity.targets[0].logical_name.as_deref(),
        Some("list_node.severity")
    );
    assert!(
        schema.lists["list_node.severity"]
            .iter()
            .any(|n| n.name == "High")
    );
}

#[test]
fn builtin_schema_round_trips_through_the_metadata_reader() {
    let schema = Schema::builtin();
    let (fields, entities) = schema.to_metadata();
    let again = Schema::from_metadata(&fields, Some(&entities)).expect("readable");
    assert_eq!(again.entities(), schema.entities());
    // And the shipped data files are what the writer writes, record for
    // record.
    let shipped: serde_json::Value = serde_json::from_str(octane_schema::FIELDS_JSON).unwrap();
    let written: serde_json::Value = serde_json::from_str(&fields).unwrap();
    assert_eq!(shipped["data"], written["data"]);
}

const UDF_FIELDS: &str = r#"{"data":[
 {"type":"field_metadata","name":"id","entity_name":"defect","label":"ID","field_type":"integer","field_type_data":null,"filterable":true,"sortable":true,"required":true,"editable":false,"unique":true,"is_user_defined":false,"max_length":null,"access_level":"PUBLIC"},
 {"type":"field_metadata","name":"customer_udf","entity_name":"defect","label":"Customer","field_type":"string","field_type_data":null,"filterable":true,"sortable":true,"required":false,"editable":true,"unique":false,"is_user_defined":true,"max_length":255,"access_level":"PUBLIC"},
 {"type":"field_metadata","name":"impact_udf","entity_name":"defect","label":"Impact","field_type":"reference","field_type_data":{"multiple":false,"targets":[{"type":"list_node","logical_name":"list_node.impact"}]},"filterable":true,"sortable":true,"required":false,"editable":true,"unique":false,"is_user_defined":true,"max_length":null,"access_level":"PUBLIC"},
 {"type":"field_metadata","name":"cost_udf","entity_name":"defect","label":"Cost","field_type":"float","field_type_data":null,"filterable":true,"sortable":true,"required":false,"editable":true,"unique":false,"is_user_defined":true,"max_length":null,"access_level":"PUBLIC"}
],"total_count":4,"exceeds_total_count":false}"#;

#[test]
fn user_defined_fields_validate() {
    let schema = Schema::from_metadata(UDF_FIELDS, None).expect("readable");
    let defect = schema
        .entity("defects")
        .expect("collection known from the built-in schema");
    assert_eq!(defect.subtype_of.as_deref(), Some("work_item"));
    let customer = defect.field("customer_udf").unwrap();
    assert!(customer.user_defined);
    assert_eq!(customer.field_type, FieldType::String);
    assert!(
        validate(
            "customer_udf EQ ^ACME*^;cost_udf BTW 10...99.5",
            "defects",
            &schema
        )
        .is_empty()
    );
    let codes = |q: &str| -> Vec<&str> {
        validate(q, "defect", &schema)
            .iter()
            .map(|d| d.code)
            .collect()
    };
    assert_eq!(codes("customer_udf EQ 5"), ["S0005"]);
    assert_eq!(codes("impact_udf EQ ^High^"), ["S0010"]);
    assert_eq!(codes("costudf EQ 5"), ["S0002"]);
    // Only the pasted fields exist: the built-in ones are not mixed in.
    assert_eq!(codes("severity EQ {null}"), ["S0002"]);
}

#[test]
fn bare_arrays_and_errors() {
    let bare = r#"[{"name":"x_udf","entity_name":"story","field_type":"boolean"}]"#;
    let schema = Schema::from_metadata(bare, None).expect("bare array with defaults");
    assert!(validate("x_udf EQ true", "stories", &schema).is_empty());
    let error = Schema::from_metadata("{\"data\": [", None).unwrap_err();
    assert_eq!(error.document, "fields");
    assert!(error.message.contains("line 1"), "{error}");
    let bad = r#"{"data":[{"name":1}]}"#;
    let error = Schema::from_metadata(bad, None).unwrap_err();
    assert!(error.message.contains("expected"), "{error}");
    // As a diagnostic: its code, and a span at the value at fault.
    let diagnostic = error.diagnostic();
    assert_eq!(diagnostic.code, "S0023");
    assert_eq!(&bad[diagnostic.span.start as usize..], "1}]}");
    assert!(diagnostic.help.is_some());
}

#[test]
fn each_error_points_at_the_value_at_fault() {
    let field = |extra: &str| {
        format!(
            r#"{{"data":[{{"name":"a","entity_name":"defect","field_type":"string"{extra}}}]}}"#
        )
    };
    let cases = [
        (
            field(r#","filterable":"yes""#),
            "\"yes\"",
            "`filterable` as a boolean, found a string",
        ),
        (
            field(r#","max_length":-1"#),
            "-1",
            "`max_length` as a whole number from 0 up, found a number",
        ),
        (
            field(r#","label":7"#),
            "7",
            "`label` as a string, found a number",
        ),
        (
            field(r#","field_type_data":{"targets":[{"type":3}]}"#),
            "3",
            "`type` as a string, found a number",
        ),
        (
            field(r#","field_type_data":[]"#),
            "[]",
            "a record (an object), found an array",
        ),
        (
            field(r#","sortable":null"#),
            "null",
            "`sortable` as a boolean, found null",
        ),
    ];
    for (text, at, message) in &cases {
        let error = Schema::from_metadata(text, None).unwrap_err();
        let span = error.span.start as usize..error.span.end as usize;
        assert_eq!(&text[span], *at, "{text}");
        assert!(error.message.contains(message), "{text}: {error}");
        assert_eq!(error.document, "fields");
    }
    // A missing member: the record is at fault.
    let text = r#"[{"name":"a","entity_name":"defect"}]"#;
    let error = Schema::from_metadata(text, None).unwrap_err();
    assert_eq!(error.message, "missing field `field_type`");
    assert_eq!(
        &text[error.span.start as usize..error.span.end as usize],
        &text[1..text.len() - 1]
    );
    // Members Octane adds are skipped; `null` reads as absent where a
    // member may be left out.
    let text = field(r#","label":null,"max_length":null,"new_in_a_later_version":{"x":[1]}"#);
    let schema = Schema::from_metadata(&text, None).unwrap();
    let a = schema
        .entity("defect")
        .unwrap()
        .fields
        .iter()
        .find(|f| f.name == "a")
        .unwrap();
    assert_eq!((a.label.as_str(), a.max_length), ("a", None));
    // Entities and list nodes read the same way.
    let entities = r#"{"data":[{"name":"defect","features":{"name":"rest"}}]}"#;
    let error = Schema::from_metadata(&field(""), Some(entities)).unwrap_err();
    assert_eq!(error.document, "entities");
    assert!(
        error
            .message
            .contains("`features` as an array, found an object"),
        "{error}"
    );
    let mut schema = Schema::from_metadata(&field(""), None).unwrap();
    let nodes = r#"{"data":[{"id":"n","name":"N","list_root":{"id":5}}]}"#;
    let error = schema.add_list_nodes(nodes).unwrap_err();
    assert_eq!(
        &nodes[error.span.start as usize..error.span.end as usize],
        "5"
    );
    // A syntax error says where, as line and column.
    let error = Schema::from_metadata("{\"data\": [1,", None).unwrap_err();
    assert!(error.message.contains("line 1 column"), "{error}");
}
