//! Reads and writes Octane's metadata JSON exactly as the server returns
//! it: `GET .../metadata/fields` and `GET .../metadata/entities`.

use std::collections::BTreeMap;
use std::fmt;

use octane_query::{Diagnostic, Severity, SourceIndex, Span};
use serde::{Deserialize, Serialize};

use crate::diagnostics::SchemaErrorKind;

use crate::model::{Entity, Field, FieldType, ListNode, Schema, Target};

/// Why metadata JSON could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataError {
    /// Which document: `fields`, `entities` or `list_nodes`.
    pub document: &'static str,
    /// What is wrong, with line and column.
    pub message: String,
    /// Where, as byte offsets into the document.
    pub span: Span,
}

impl MetadataError {
    /// The error as a diagnostic (code, message, span into the document,
    /// help).
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::with_code(
            SchemaErrorKind::MalformedMetadata.code(),
            Severity::Error,
            self.span,
            self.to_string(),
        )
        .with_help(format!(
            "pass the JSON of `GET .../{}{}` as Octane returns it: {{\"data\": [...]}}",
            if self.document == "list_nodes" {
                ""
            } else {
                "metadata/"
            },
            self.document
        ))
    }
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} metadata: {}", self.document, self.message)
    }
}

impl std::error::Error for MetadataError {}

/// `{"data":[...]}`: the records of a collection response.
#[derive(Deserialize)]
struct Records<T> {
    data: Vec<T>,
}

#[derive(Serialize, Deserialize)]
struct Page<T> {
    data: Vec<T>,
    total_count: usize,
    exceeds_total_count: bool,
}

/// One `field_metadata` record.
#[derive(Serialize, Deserialize)]
pub(crate) struct FieldRecord {
    #[serde(rename = "type", default = "field_metadata")]
    pub(crate) kind: String,
    pub(crate) name: String,
    pub(crate) entity_name: String,
    #[serde(default)]
    pub(crate) label: Option<String>,
    pub(crate) field_type: String,
    #[serde(default)]
    pub(crate) field_type_data: Option<FieldTypeData>,
    #[serde(default = "yes")]
    pub(crate) filterable: bool,
    #[serde(default = "yes")]
    pub(crate) sortable: bool,
    #[serde(default)]
    pub(crate) required: bool,
    #[serde(default = "yes")]
    pub(crate) editable: bool,
    #[serde(default)]
    pub(crate) unique: bool,
    #[serde(default)]
    pub(crate) is_user_defined: bool,
    #[serde(default)]
    pub(crate) max_length: Option<u64>,
    #[serde(default = "public")]
    pub(crate) access_level: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct FieldTypeData {
    #[serde(default)]
    pub(crate) multiple: bool,
    #[serde(default)]
    pub(crate) targets: Vec<TargetRecord>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct TargetRecord {
    #[serde(rename = "type")]
    pub(crate) entity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) logical_name: Option<String>,
}

/// One `entity_metadata` record.
#[derive(Serialize, Deserialize)]
pub(crate) struct EntityRecord {
    #[serde(rename = "type", default = "entity_metadata")]
    pub(crate) kind: String,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) label: Option<String>,
    #[serde(default)]
    pub(crate) features: Vec<Feature>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Feature {
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) methods: Option<Vec<String>>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub(crate) entity: Option<String>,
}

/// One `list_node` record, as `GET .../list_nodes` returns it.
#[derive(Serialize, Deserialize)]
pub(crate) struct ListNodeRecord {
    #[serde(rename = "type", default = "list_node")]
    pub(crate) kind: String,
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) logical_name: Option<String>,
    #[serde(default)]
    pub(crate) list_root: Option<ListRoot>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct ListRoot {
    #[serde(rename = "type", default = "list_node")]
    pub(crate) kind: String,
    pub(crate) id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) logical_name: Option<String>,
}

fn yes() -> bool {
    true
}
fn public() -> String {
    "PUBLIC".to_owned()
}
fn field_metadata() -> String {
    "field_metadata".to_owned()
}
fn entity_metadata() -> String {
    "entity_metadata".to_owned()
}
fn list_node() -> String {
    "list_node".to_owned()
}

/// Reads `{"data":[...],"total_count":N}` or a bare array of records.
fn read<T: for<'de> Deserialize<'de>>(
    document: &'static str,
    json: &str,
) -> Result<Vec<T>, MetadataError> {
    let bare = json.trim_start().starts_with('[');
    let records = if bare {
        serde_json::from_str::<Vec<T>>(json)
    } else {
        serde_json::from_str::<Records<T>>(json).map(|r| r.data)
    };
    records.map_err(|e| {
        let at = SourceIndex::new(json).byte_at(
            u32::try_from(e.line()).unwrap_or(u32::MAX),
            u32::try_from(e.column()).unwrap_or(u32::MAX),
        );
        MetadataError {
            document,
            message: e.to_string(),
            span: Span::new(at, at),
        }
    })
}

impl Schema {
    /// Reads the metadata of a workspace. `entities` is optional: without
    /// it, collections and subtypes come from the built-in schema for the
    /// entities it knows.
    pub fn from_metadata(fields: &str, entities: Option<&str>) -> Result<Schema, MetadataError> {
        let builtin = crate::builtin::schema();
        let fallback = entities.is_none().then_some(builtin);
        let mut schema = from_records(fields, entities, fallback)?;
        schema.lists.clone_from(&builtin.lists);
        Ok(schema)
    }

    /// Adds list values from a `GET .../list_nodes` response (nodes with a
    /// `list_root`; roots themselves are skipped).
    pub fn add_list_nodes(&mut self, json: &str) -> Result<(), MetadataError> {
        self.add_list_node_records(read::<ListNodeRecord>("list_nodes", json)?);
        Ok(())
    }

    /// Adds list values from `list_node` records (see `add_list_nodes`).
    pub(crate) fn add_list_node_records(&mut self, records: Vec<ListNodeRecord>) {
        for record in records {
            let Some(root) = record.list_root else {
                continue;
            };
            let list = root.logical_name.unwrap_or(root.id);
            let nodes = self.lists.entry(list).or_default();
            if !nodes.iter().any(|n| n.id == record.id) {
                nodes.push(ListNode {
                    id: record.id,
                    name: record.name,
                });
            }
        }
    }

    /// The schema as Octane's `metadata/fields` and `metadata/entities`
    /// JSON, in that order.
    pub fn to_metadata(&self) -> (String, String) {
        let fields: Vec<FieldRecord> = self
            .entities()
            .iter()
            .flat_map(|e| e.fields.iter().map(field_to_record))
            .collect();
        let entities: Vec<EntityRecord> = self.entities().iter().map(entity_to_record).collect();
        (page_json(fields), page_json(entities))
    }
}

/// Builds a schema from metadata JSON; entities missing from `entities`
/// take their collection and subtype from `fallback`.
pub(crate) fn from_records(
    fields: &str,
    entities: Option<&str>,
    fallback: Option<&Schema>,
) -> Result<Schema, MetadataError> {
    let field_records: Vec<FieldRecord> = read("fields", fields)?;
    let entity_records = match entities {
        Some(entities) => Some(read::<EntityRecord>("entities", entities)?),
        None => None,
    };
    Ok(build(field_records, entity_records, fallback))
}

/// Builds a schema from metadata records; entities missing from
/// `entities` take their collection and subtype from `fallback`.
pub(crate) fn build(
    field_records: Vec<FieldRecord>,
    entities: Option<Vec<EntityRecord>>,
    fallback: Option<&Schema>,
) -> Schema {
    let mut by_name: BTreeMap<String, Entity> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    if let Some(entities) = entities {
        for record in entities {
            order.push(record.name.clone());
            by_name.insert(record.name.clone(), entity_from_record(record));
        }
    }
    for record in field_records {
        let entity = by_name
            .entry(record.entity_name.clone())
            .or_insert_with(|| {
                order.push(record.entity_name.clone());
                fallback
                    .and_then(|schema| schema.entity(&record.entity_name))
                    .map_or_else(
                        || Entity::new(record.entity_name.clone(), record.entity_name.clone()),
                        |known| {
                            let mut copy = Entity::new(known.name.clone(), known.label.clone());
                            copy.collection.clone_from(&known.collection);
                            copy.methods.clone_from(&known.methods);
                            copy.subtype_of.clone_from(&known.subtype_of);
                            copy
                        },
                    )
            });
        entity.add_field(field_from_record(record));
    }
    let entities = order
        .into_iter()
        .filter_map(|name| by_name.remove(&name))
        .collect();
    Schema::from_entities(entities)
}

fn page_json<T: Serialize>(data: Vec<T>) -> String {
    let page = Page {
        total_count: data.len(),
        data,
        exceeds_total_count: false,
    };
    serde_json::to_string(&page).unwrap_or_default()
}

fn entity_from_record(record: EntityRecord) -> Entity {
    let mut entity = Entity::new(
        record.name.clone(),
        record.label.unwrap_or_else(|| record.name.clone()),
    );
    for feature in record.features {
        match feature.name.as_str() {
            "rest" => {
                entity.collection = feature.url;
                entity.methods = feature.methods.unwrap_or_default();
            }
            "subtype_of" => entity.subtype_of = feature.entity,
            _ => {}
        }
    }
    entity
}

fn entity_to_record(entity: &Entity) -> EntityRecord {
    let mut features = Vec::new();
    if let Some(url) = &entity.collection {
        features.push(Feature {
            name: "rest".to_owned(),
            url: Some(url.clone()),
            methods: Some(entity.methods.clone()),
            entity: None,
        });
    }
    if let Some(parent) = &entity.subtype_of {
        features.push(Feature {
            name: "subtype_of".to_owned(),
            url: None,
            methods: None,
            entity: Some(parent.clone()),
        });
    }
    EntityRecord {
        kind: entity_metadata(),
        name: entity.name.clone(),
        label: Some(entity.label.clone()),
        features,
    }
}

fn field_from_record(record: FieldRecord) -> Field {
    let (multiple, targets) = record.field_type_data.map_or((false, Vec::new()), |data| {
        (
            data.multiple,
            data.targets
                .into_iter()
                .map(|t| Target {
                    entity: t.entity,
                    logical_name: t.logical_name,
                })
                .collect(),
        )
    });
    Field {
        label: record.label.unwrap_or_else(|| record.name.clone()),
        name: record.name,
        entity: record.entity_name,
        field_type: FieldType::parse(&record.field_type),
        targets,
        multiple,
        filterable: record.filterable,
        sortable: record.sortable,
        required: record.required,
        editable: record.editable,
        unique: record.unique,
        user_defined: record.is_user_defined,
        max_length: record.max_length,
    }
}

fn field_to_record(field: &Field) -> FieldRecord {
    let field_type_data = (field.field_type == FieldType::Reference).then(|| FieldTypeData {
        multiple: field.multiple,
        targets: field
            .targets
            .iter()
            .map(|t| TargetRecord {
                entity: t.entity.clone(),
                logical_name: t.logical_name.clone(),
            })
            .collect(),
    });
    FieldRecord {
        kind: field_metadata(),
        name: field.name.clone(),
        entity_name: field.entity.clone(),
        label: Some(field.label.clone()),
        field_type: field.field_type.as_str().to_owned(),
        field_type_data,
        filterable: field.filterable,
        sortable: field.sortable,
        required: field.required,
        editable: field.editable,
        unique: field.unique,
        is_user_defined: field.user_defined,
        max_length: field.max_length,
        access_level: public(),
    }
}

/// Reads a `list_nodes` response into lists.
#[cfg(test)]
pub(crate) fn list_nodes(json: &str) -> Result<BTreeMap<String, Vec<ListNode>>, MetadataError> {
    let mut schema = Schema::default();
    schema.add_list_nodes(json)?;
    Ok(schema.lists.into_iter().collect())
}
