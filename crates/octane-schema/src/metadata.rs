//! Reads and writes Octane's metadata JSON exactly as the server returns
//! it: `GET .../metadata/fields` and `GET .../metadata/entities`.

use std::collections::BTreeMap;
use std::fmt;

use octane_query::json::{self, Json, JsonKind, Member};
use octane_query::{Diagnostic, Severity, SourceIndex, Span};
use serde::Serialize;

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

#[derive(Serialize)]
struct Page<T> {
    data: Vec<T>,
    total_count: usize,
    exceeds_total_count: bool,
}

/// One `field_metadata` record.
#[derive(Serialize)]
pub(crate) struct FieldRecord {
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) name: String,
    pub(crate) entity_name: String,
    pub(crate) label: Option<String>,
    pub(crate) field_type: String,
    pub(crate) field_type_data: Option<FieldTypeData>,
    pub(crate) filterable: bool,
    pub(crate) sortable: bool,
    pub(crate) required: bool,
    pub(crate) editable: bool,
    pub(crate) unique: bool,
    pub(crate) is_user_defined: bool,
    pub(crate) max_length: Option<u64>,
    pub(crate) access_level: String,
}

#[derive(Serialize)]
pub(crate) struct FieldTypeData {
    pub(crate) multiple: bool,
    pub(crate) targets: Vec<TargetRecord>,
}

#[derive(Serialize)]
pub(crate) struct TargetRecord {
    #[serde(rename = "type")]
    pub(crate) entity: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) logical_name: Option<String>,
}

/// One `entity_metadata` record.
#[derive(Serialize)]
pub(crate) struct EntityRecord {
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) name: String,
    pub(crate) label: Option<String>,
    pub(crate) features: Vec<Feature>,
}

#[derive(Serialize)]
pub(crate) struct Feature {
    pub(crate) name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) methods: Option<Vec<String>>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub(crate) entity: Option<String>,
}

/// One `list_node` record, as `GET .../list_nodes` returns it: what a
/// schema keeps of it.
pub(crate) struct ListNodeRecord {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) list_root: Option<ListRoot>,
}

/// The list a node belongs to.
pub(crate) struct ListRoot {
    pub(crate) id: String,
    pub(crate) logical_name: Option<String>,
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

/// One record of a metadata document, read member by member: members it
/// does not know are skipped, as Octane adds some over versions; one of
/// the wrong type is an error at its value.
struct Record<'a> {
    document: &'static str,
    members: &'a [Member],
    span: Span,
}

impl<'a> Record<'a> {
    /// `json` as a record: it must be an object.
    fn new(document: &'static str, json: &'a Json) -> Result<Record<'a>, MetadataError> {
        match &json.kind {
            JsonKind::Object(members) => Ok(Record {
                document,
                members,
                span: json.span,
            }),
            other => Err(wrong(document, json, "a record (an object)", other)),
        }
    }

    /// The value of member `key`, `None` when absent.
    fn get(&self, key: &str) -> Option<&'a Json> {
        self.members.iter().find(|m| m.key == key).map(|m| &m.value)
    }

    /// The value of member `key`, `None` when absent or `null`.
    fn given(&self, key: &str) -> Option<&'a Json> {
        self.get(key).filter(|json| json.kind != JsonKind::Null)
    }

    /// `json`, the value of member `key`, as `read` takes it; an error
    /// saying it must be `expected` when `read` refuses it.
    fn typed<T>(
        &self,
        key: &str,
        json: &'a Json,
        expected: &str,
        read: impl Fn(&'a JsonKind) -> Option<T>,
    ) -> Result<T, MetadataError> {
        read(&json.kind).ok_or_else(|| {
            wrong(
                self.document,
                json,
                &format!("`{key}` as {expected}"),
                &json.kind,
            )
        })
    }

    /// A string member that may be absent or `null`.
    fn optional(&self, key: &str) -> Result<Option<String>, MetadataError> {
        self.given(key)
            .map(|json| self.typed(key, json, "a string", string))
            .transpose()
    }

    /// A string member that must be there.
    fn required(&self, key: &str) -> Result<String, MetadataError> {
        let json = self.get(key).ok_or_else(|| MetadataError {
            document: self.document,
            message: format!("missing field `{key}`"),
            span: self.span,
        })?;
        self.typed(key, json, "a string", string)
    }

    /// A string member with a default when absent.
    fn text(&self, key: &str, default: fn() -> String) -> Result<String, MetadataError> {
        match self.get(key) {
            None => Ok(default()),
            Some(json) => self.typed(key, json, "a string", string),
        }
    }

    /// A boolean member, `default` when absent.
    fn flag(&self, key: &str, default: bool) -> Result<bool, MetadataError> {
        self.get(key).map_or(Ok(default), |json| {
            self.typed(key, json, "a boolean", |kind| match kind {
                JsonKind::Bool(b) => Some(*b),
                _ => None,
            })
        })
    }

    /// A whole number from 0 up that may be absent or `null`.
    fn count(&self, key: &str) -> Result<Option<u64>, MetadataError> {
        self.given(key)
            .map(|json| {
                self.typed(key, json, "a whole number from 0 up", |kind| match kind {
                    JsonKind::Number(n) => n.parse().ok(),
                    _ => None,
                })
            })
            .transpose()
    }

    /// An object member that may be absent or `null`.
    fn record(&self, key: &str) -> Result<Option<Record<'a>>, MetadataError> {
        self.given(key)
            .map(|json| Record::new(self.document, json))
            .transpose()
    }

    /// An array member; `None` when absent (or `null`, when `nullable`).
    fn list(&self, key: &str, nullable: bool) -> Result<Option<&'a [Json]>, MetadataError> {
        let value = if nullable {
            self.given(key)
        } else {
            self.get(key)
        };
        value
            .map(|json| {
                self.typed(key, json, "an array", |kind| match kind {
                    JsonKind::Array(items) => Some(items.as_slice()),
                    _ => None,
                })
            })
            .transpose()
    }
}

/// A string's value.
fn string(kind: &JsonKind) -> Option<String> {
    match kind {
        JsonKind::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// An error at `json`: `expected`, and what was found.
fn wrong(document: &'static str, json: &Json, expected: &str, found: &JsonKind) -> MetadataError {
    MetadataError {
        document,
        message: format!("expected {expected}, found {}", found.describe()),
        span: json.span,
    }
}

/// Reads `{"data":[...],"total_count":N}` or a bare array of records,
/// each with `read`.
fn read<T>(
    document: &'static str,
    text: &str,
    read: impl Fn(&Record) -> Result<T, MetadataError>,
) -> Result<Vec<T>, MetadataError> {
    let root = json::parse(text).map_err(|e| {
        let at = SourceIndex::new(text).line_column(e.span.start);
        MetadataError {
            document,
            message: format!("{} at line {} column {}", e.message, at.line, at.column),
            span: e.span,
        }
    })?;
    let items = match &root.kind {
        JsonKind::Array(items) => items,
        JsonKind::Object(_) => match Record::new(document, &root)?.list("data", false)? {
            Some(items) => items,
            None => {
                return Err(MetadataError {
                    document,
                    message: "missing field `data`".to_owned(),
                    span: root.span,
                });
            }
        },
        other => {
            return Err(wrong(
                document,
                &root,
                "{\"data\": [...]} or an array",
                other,
            ));
        }
    };
    items
        .iter()
        .map(|item| read(&Record::new(document, item)?))
        .collect()
}

fn field_record(r: &Record) -> Result<FieldRecord, MetadataError> {
    let field_type_data = match r.record("field_type_data")? {
        None => None,
        Some(data) => Some(FieldTypeData {
            multiple: data.flag("multiple", false)?,
            targets: data
                .list("targets", false)?
                .unwrap_or_default()
                .iter()
                .map(|target| {
                    let target = Record::new(r.document, target)?;
                    Ok(TargetRecord {
                        entity: target.required("type")?,
                        logical_name: target.optional("logical_name")?,
                    })
                })
                .collect::<Result<_, MetadataError>>()?,
        }),
    };
    Ok(FieldRecord {
        kind: r.text("type", field_metadata)?,
        name: r.required("name")?,
        entity_name: r.required("entity_name")?,
        label: r.optional("label")?,
        field_type: r.required("field_type")?,
        field_type_data,
        filterable: r.flag("filterable", true)?,
        sortable: r.flag("sortable", true)?,
        required: r.flag("required", false)?,
        editable: r.flag("editable", true)?,
        unique: r.flag("unique", false)?,
        is_user_defined: r.flag("is_user_defined", false)?,
        max_length: r.count("max_length")?,
        access_level: r.text("access_level", public)?,
    })
}

fn entity_record(r: &Record) -> Result<EntityRecord, MetadataError> {
    let features = r
        .list("features", false)?
        .unwrap_or_default()
        .iter()
        .map(|feature| {
            let feature = Record::new(r.document, feature)?;
            let methods = match feature.list("methods", true)? {
                None => None,
                Some(items) => Some(
                    items
                        .iter()
                        .map(|m| match &m.kind {
                            JsonKind::String(s) => Ok(s.clone()),
                            other => Err(wrong(r.document, m, "a method name (a string)", other)),
                        })
                        .collect::<Result<_, MetadataError>>()?,
                ),
            };
            Ok(Feature {
                name: feature.required("name")?,
                url: feature.optional("url")?,
                methods,
                entity: feature.optional("type")?,
            })
        })
        .collect::<Result<_, MetadataError>>()?;
    Ok(EntityRecord {
        kind: r.text("type", entity_metadata)?,
        name: r.required("name")?,
        label: r.optional("label")?,
        features,
    })
}

fn list_node_record(r: &Record) -> Result<ListNodeRecord, MetadataError> {
    let list_root = match r.record("list_root")? {
        None => None,
        Some(root) => Some(ListRoot {
            id: root.required("id")?,
            logical_name: root.optional("logical_name")?,
        }),
    };
    Ok(ListNodeRecord {
        id: r.required("id")?,
        name: r.required("name")?,
        list_root,
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
        self.add_list_node_records(read("list_nodes", json, list_node_record)?);
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
    let field_records = read("fields", fields, field_record)?;
    let entity_records = match entities {
        Some(entities) => Some(read("entities", entities, entity_record)?),
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
