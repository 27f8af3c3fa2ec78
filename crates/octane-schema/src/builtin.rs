//! The built-in schema: the public resources of a workspace out of the
//! box, stored in `data/` as Octane's own metadata JSON. The build writes
//! the same records as lines of tab-separated values (see `build.rs`),
//! which are what the schema is read from: no JSON parser runs on first
//! use, and a module that never reads metadata JSON carries none.

use std::sync::{Arc, OnceLock};

use crate::metadata::{
    EntityRecord, Feature, FieldRecord, FieldTypeData, ListNodeRecord, ListRoot, TargetRecord,
    build,
};
use crate::model::Schema;

/// `GET .../metadata/fields` of a fresh workspace.
pub const FIELDS_JSON: &str = include_str!("../data/fields.json");
/// `GET .../metadata/entities` of a fresh workspace.
pub const ENTITIES_JSON: &str = include_str!("../data/entities.json");
/// `GET .../list_nodes` of a fresh workspace (severity, priority, ...).
pub const LIST_NODES_JSON: &str = include_str!("../data/list_nodes.json");

/// The records of the three files above, one per line (see `build.rs`).
const RECORDS: &str = include_str!(concat!(env!("OUT_DIR"), "/builtin.tsv"));

/// The built-in schema, read once.
pub fn schema() -> &'static Schema {
    shared()
}

/// The built-in schema, read once, as a shared handle.
pub fn shared() -> &'static Arc<Schema> {
    static SCHEMA: OnceLock<Arc<Schema>> = OnceLock::new();
    SCHEMA.get_or_init(|| Arc::new(read(RECORDS)))
}

/// The schema the lines of `records` describe.
fn read(records: &str) -> Schema {
    let mut fields = Vec::new();
    let mut entities = Vec::new();
    let mut nodes = Vec::new();
    for line in records.lines() {
        let mut columns = line.split('\t');
        match columns.next() {
            Some("E") => entities.push(entity(columns)),
            Some("F") => fields.push(field(columns)),
            Some("L") => nodes.push(list_node(columns)),
            _ => {}
        }
    }
    let mut schema = build(fields, Some(entities), None);
    schema.add_list_node_records(nodes);
    schema
}

/// The next column; a missing one reads as empty (the build writes every
/// column, and a test reads the result against the JSON).
fn text<'a>(columns: &mut impl Iterator<Item = &'a str>) -> String {
    columns.next().unwrap_or_default().to_owned()
}

/// The next column, `\0` for none.
fn optional<'a>(columns: &mut impl Iterator<Item = &'a str>) -> Option<String> {
    columns.next().filter(|c| *c != "\0").map(str::to_owned)
}

fn entity<'a>(mut columns: impl Iterator<Item = &'a str>) -> EntityRecord {
    let name = text(&mut columns);
    let label = optional(&mut columns);
    let mut features = Vec::new();
    while let Some(feature) = columns.next() {
        features.push(Feature {
            name: feature.to_owned(),
            url: optional(&mut columns),
            methods: optional(&mut columns)
                .map(|methods| methods.split(',').map(str::to_owned).collect()),
            entity: optional(&mut columns),
        });
    }
    EntityRecord {
        kind: String::new(),
        name,
        label,
        features,
    }
}

fn field<'a>(mut columns: impl Iterator<Item = &'a str>) -> FieldRecord {
    let entity_name = text(&mut columns);
    let name = text(&mut columns);
    let label = optional(&mut columns);
    let field_type = text(&mut columns);
    let flags = text(&mut columns);
    let flag = |i: usize| flags.as_bytes().get(i) == Some(&b'1');
    let max_length = optional(&mut columns).and_then(|n| n.parse().ok());
    let field_type_data = columns.next().map(|multiple| {
        let mut targets = Vec::new();
        while let Some(entity) = columns.next() {
            targets.push(TargetRecord {
                entity: entity.to_owned(),
                logical_name: optional(&mut columns),
            });
        }
        FieldTypeData {
            multiple: multiple == "1",
            targets,
        }
    });
    FieldRecord {
        kind: String::new(),
        name,
        entity_name,
        label,
        field_type,
        field_type_data,
        filterable: flag(0),
        sortable: flag(1),
        required: flag(2),
        editable: flag(3),
        unique: flag(4),
        is_user_defined: flag(5),
        max_length,
        access_level: String::new(),
    }
}

fn list_node<'a>(mut columns: impl Iterator<Item = &'a str>) -> ListNodeRecord {
    let id = text(&mut columns);
    let name = text(&mut columns);
    let root = optional(&mut columns);
    let logical_name = optional(&mut columns);
    ListNodeRecord {
        id,
        name,
        list_root: root.map(|id| ListRoot { id, logical_name }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::{from_records, list_nodes};

    #[test]
    fn the_records_read_as_the_metadata_json_does() {
        let mut expected = from_records(FIELDS_JSON, Some(ENTITIES_JSON), None).unwrap();
        expected.lists = list_nodes(LIST_NODES_JSON).unwrap().into_iter().collect();
        let built = schema();
        assert_eq!(built, &expected);
        // Not an empty schema equal to another empty one.
        assert!(built.entities().len() > 50, "{}", built.entities().len());
        assert!(built.lists.len() > 5);
        let defect = built.entity("defect").unwrap();
        assert!(defect.collection.is_some());
        assert!(defect.fields.iter().any(|f| !f.targets.is_empty()));
    }

    #[test]
    fn the_records_are_far_smaller_than_the_json() {
        // 49.7 KB against 288 KB when written.
        let json = FIELDS_JSON.len() + ENTITIES_JSON.len() + LIST_NODES_JSON.len();
        assert!(RECORDS.len() * 4 < json, "{} against {json}", RECORDS.len());
    }
}
