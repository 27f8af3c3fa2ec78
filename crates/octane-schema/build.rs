//! Writes the built-in schema's metadata (`data/*.json`, Octane's own
//! responses) as lines of tab-separated values, one per record, in their
//! order: what `src/builtin.rs` reads at first use, without a JSON parser
//! and in a fifth of the bytes. The JSON files stay the source; a test
//! checks that both readings give the same schema.
//!
//! - `E name label (feature url methods type)*`: an entity record, each
//!   feature in four columns, its methods joined by `,`;
//! - `F entity name label field_type flags max_length (multiple
//!   (target logical_name)*)?`: a field record; `flags` are `0`/`1` for
//!   filterable, sortable, required, editable, unique, is_user_defined;
//! - `L id name root_id root_logical_name`: a list node.
//!
//! A missing value (JSON `null` or an absent member) is written `\0`.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

const NONE: &str = "\0";

fn main() {
    let mut out = String::new();
    for entity in records("entities.json") {
        push(&mut out, &entity_line(&entity));
    }
    for field in records("fields.json") {
        push(&mut out, &field_line(&field));
    }
    for node in records("list_nodes.json") {
        push(&mut out, &list_node_line(&node));
    }
    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin.tsv");
    std::fs::write(&target, out)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", target.display()));
}

/// The records of `data/{name}`: a page's `data`, or a bare array.
fn records(name: &str) -> Vec<Value> {
    let path = Path::new("data").join(name);
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let json: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    match json {
        Value::Object(mut page) => match page.remove("data") {
            Some(Value::Array(records)) => records,
            _ => panic!("{} has no `data` array", path.display()),
        },
        Value::Array(records) => records,
        _ => panic!("{} is neither a page nor an array", path.display()),
    }
}

fn entity_line(entity: &Value) -> Vec<String> {
    let mut line = vec![
        "E".to_owned(),
        text(&entity["name"]),
        optional(&entity["label"]),
    ];
    for feature in entity["features"].as_array().into_iter().flatten() {
        line.push(text(&feature["name"]));
        line.push(optional(&feature["url"]));
        line.push(match &feature["methods"] {
            Value::Null => NONE.to_owned(),
            methods => methods
                .as_array()
                .expect("`methods` is an array")
                .iter()
                .map(|m| {
                    let m = text(m);
                    assert!(!m.contains(','), "a method holds `,`: {m}");
                    m
                })
                .collect::<Vec<_>>()
                .join(","),
        });
        line.push(optional(&feature["type"]));
    }
    line
}

fn field_line(field: &Value) -> Vec<String> {
    // Each flag is written out, so that the defaults for absent ones live
    // in one place (`metadata.rs`); the built-in records state them all.
    let flag = |name: &str| {
        let value = field[name]
            .as_bool()
            .unwrap_or_else(|| panic!("built-in field {} states no `{name}`", field["name"]));
        if value { '1' } else { '0' }
    };
    let flags: String = [
        flag("filterable"),
        flag("sortable"),
        flag("required"),
        flag("editable"),
        flag("unique"),
        flag("is_user_defined"),
    ]
    .into_iter()
    .collect();
    let max_length = match &field["max_length"] {
        Value::Null => NONE.to_owned(),
        value => value.as_u64().expect("`max_length` is a count").to_string(),
    };
    let mut line = vec![
        "F".to_owned(),
        text(&field["entity_name"]),
        text(&field["name"]),
        optional(&field["label"]),
        text(&field["field_type"]),
        flags,
        max_length,
    ];
    let data = &field["field_type_data"];
    if !data.is_null() {
        let multiple = data["multiple"]
            .as_bool()
            .unwrap_or_else(|| panic!("built-in field {} states no `multiple`", field["name"]));
        line.push(if multiple { "1" } else { "0" }.to_owned());
        for target in data["targets"].as_array().into_iter().flatten() {
            line.push(text(&target["type"]));
            line.push(optional(&target["logical_name"]));
        }
    }
    line
}

fn list_node_line(node: &Value) -> Vec<String> {
    let root = &node["list_root"];
    let (root_id, root_name) = if root.is_null() {
        (NONE.to_owned(), NONE.to_owned())
    } else {
        (text(&root["id"]), optional(&root["logical_name"]))
    };
    vec![
        "L".to_owned(),
        text(&node["id"]),
        text(&node["name"]),
        root_id,
        root_name,
    ]
}

/// A string member, which must be there.
fn text(value: &Value) -> String {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("expected a string, found {value}"));
    assert!(
        !text.contains(['\t', '\n', '\0']),
        "a value holds a tab, a line break or NUL: {text:?}"
    );
    text.to_owned()
}

/// A string member that may be `null` or absent.
fn optional(value: &Value) -> String {
    if value.is_null() {
        NONE.to_owned()
    } else {
        text(value)
    }
}

fn push(out: &mut String, line: &[String]) {
    let _ = writeln!(out, "{}", line.join("\t"));
}
