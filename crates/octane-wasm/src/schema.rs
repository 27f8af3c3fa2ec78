//! Exports of the schema: the `Schema` class, `validateQuery` and
//! `completeQuery`.

use std::cell::RefCell;
use std::sync::Arc;

use js_sys::{Error, Reflect};
use octane_query::SourceIndex;
use octane_query::suggest::did_you_mean;
use octane_schema::{Schema as CoreSchema, SchemaRegistry, complete, validate};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{Members, diagnostics_error, js_diagnostics, json_text, string_arg, to_js};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** An entity type of a schema. */
export interface EntityInfo {
  name: string;
  label: string;
  /** The REST collection, such as `defects`. */
  collection: string | null;
  /** The aggregated type, such as `work_item`. */
  subtypeOf: string | null;
  subtypes: string[];
}

/** A field of an entity. */
export interface FieldInfo {
  name: string;
  label: string;
  /** Octane's `field_type`: `integer`, `string`, `reference`, ... */
  type: string;
  /** For references: the entity types it may point to. */
  targets: string[];
  multiple: boolean;
  filterable: boolean;
  sortable: boolean;
  required: boolean;
  userDefined: boolean;
}

export interface SchemaQueryOptions {
  /** The entity or collection queried: `defect` or `defects`. */
  entity: string;
  /** The schema to check against; the built-in schema when omitted. */
  schema?: Schema;
}

/** One completion suggestion. */
export interface Completion {
  label: string;
  kind: "field" | "operator" | "value" | "punctuation";
  detail: string;
  /** The text to insert in place of `replace`. */
  insert: string;
  /** The UTF-16 range the insertion replaces. */
  replace: Span;
}
"#;

thread_local! {
    /// Schemas made in this module, by id, so that an options object can
    /// name one.
    static REGISTRY: RefCell<SchemaRegistry> = RefCell::new(SchemaRegistry::new());
}

/// A set of entities and fields to validate and complete queries against:
/// the built-in one, or a workspace's own metadata.
#[wasm_bindgen]
pub struct Schema {
    id: u32,
}

impl Drop for Schema {
    fn drop(&mut self) {
        REGISTRY.with(|r| r.borrow_mut().remove(self.id));
    }
}

/// The schema of id `id` (0: built-in), as a shared handle.
pub(crate) fn shared_schema(id: u32) -> Option<Arc<CoreSchema>> {
    REGISTRY.with(|r| r.borrow().get(id))
}

/// Runs `f` with the schema of id `id` (0: built-in).
pub(crate) fn with_schema<T>(id: u32, f: impl FnOnce(&CoreSchema) -> T) -> Option<T> {
    // The handle is taken first: `f` never runs with the registry borrowed.
    let schema = shared_schema(id)?;
    Some(f(&schema))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EntityInfo<'a> {
    name: &'a str,
    label: &'a str,
    collection: Option<&'a str>,
    subtype_of: Option<&'a str>,
    subtypes: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FieldInfo<'a> {
    name: &'a str,
    label: &'a str,
    #[serde(rename = "type")]
    field_type: &'a str,
    targets: Vec<&'a str>,
    multiple: bool,
    filterable: bool,
    sortable: bool,
    required: bool,
    user_defined: bool,
}

#[wasm_bindgen]
impl Schema {
    /// The built-in schema: the public resources of a workspace out of the
    /// box.
    pub fn builtin() -> Schema {
        Schema {
            id: SchemaRegistry::BUILTIN,
        }
    }

    /// A workspace's own schema, from the JSON of `GET .../metadata/fields`
    /// and optionally `GET .../metadata/entities` (strings or parsed
    /// objects). Throws an `Error` saying what is wrong with the JSON.
    #[wasm_bindgen(js_name = fromMetadata)]
    pub fn from_metadata(
        #[wasm_bindgen(unchecked_param_type = "string | object")] fields: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | object")] entities: JsValue,
    ) -> Result<Schema, JsValue> {
        let fields = json_text(&fields, "fields")?;
        let entities = if entities.is_undefined() || entities.is_null() {
            None
        } else {
            Some(json_text(&entities, "entities")?)
        };
        let schema = CoreSchema::from_metadata(&fields, entities.as_deref()).map_err(|e| {
            let text = if e.document == "entities" {
                entities.as_deref().unwrap_or_default()
            } else {
                &fields
            };
            diagnostics_error(&SourceIndex::new(text), &[e.diagnostic()])
        })?;
        let id = REGISTRY.with(|r| r.borrow_mut().insert(schema));
        Ok(Schema { id })
    }

    /// This schema's identifier within the module (0 for the built-in one).
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Every entity type.
    #[wasm_bindgen(unchecked_return_type = "EntityInfo[]")]
    pub fn entities(&self) -> Result<JsValue, JsValue> {
        with_schema(self.id, |schema| {
            let list: Vec<EntityInfo> = schema
                .entities()
                .iter()
                .map(|e| EntityInfo {
                    name: &e.name,
                    label: &e.label,
                    collection: e.collection.as_deref(),
                    subtype_of: e.subtype_of.as_deref(),
                    subtypes: &e.subtypes,
                })
                .collect();
            to_js(&list)
        })
        .unwrap_or_else(|| Err(freed()))
    }

    /// The fields of `entity` (an entity or collection name). Throws when
    /// there is no such entity.
    #[wasm_bindgen(unchecked_return_type = "FieldInfo[]")]
    pub fn fields(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] entity: JsValue,
    ) -> Result<JsValue, JsValue> {
        let name = string_arg(&entity, "entity")?;
        with_schema(self.id, |schema| {
            let Some(entity) = schema.entity(&name) else {
                let hint = did_you_mean(&name, schema.entity_names())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(Error::new(&format!("there is no entity `{name}`{hint}")).into());
            };
            let list: Vec<FieldInfo> = entity
                .fields
                .iter()
                .map(|f| FieldInfo {
                    name: &f.name,
                    label: &f.label,
                    field_type: f.field_type.as_str(),
                    targets: f.target_names().collect(),
                    multiple: f.multiple,
                    filterable: f.filterable,
                    sortable: f.sortable,
                    required: f.required,
                    user_defined: f.user_defined,
                })
                .collect();
            to_js(&list)
        })
        .unwrap_or_else(|| Err(freed()))
    }
}

fn freed() -> JsValue {
    Error::new("this Schema was freed").into()
}

/// The entity and schema id of `SchemaQueryOptions` (required):
/// `{ entity, schema? }`, the schema read by its id (see `schema_id`).
fn options(value: &JsValue) -> Result<(String, u32), JsValue> {
    if !value.is_object() {
        return Err(
            js_sys::TypeError::new("`options` must be an object: { entity, schema? }").into(),
        );
    }
    let entity = Members::read(value, "options", &["entity", "schema"])?.string("entity")?;
    let entity = entity.ok_or_else(|| {
        JsValue::from(js_sys::TypeError::new(
            "`options.entity` must be a string: the entity or collection queried",
        ))
    })?;
    Ok((entity, schema_id(value)?))
}

/// When `options.schema` is given, checks `source` against `entity` in it
/// and throws a `DiagnosticsError` listing the errors (warnings pass).
/// Without a schema nothing is checked here: a workspace's own fields
/// would look unknown to the built-in one.
pub(crate) fn check_with_schema(
    options: &JsValue,
    source: &str,
    entity: &str,
) -> Result<(), JsValue> {
    if !options.is_object() {
        return Ok(());
    }
    let Some(id) = given_schema_id(options)? else {
        return Ok(());
    };
    let errors: Vec<_> = with_schema(id, |schema| validate(source, entity, schema))
        .ok_or_else(freed)?
        .into_iter()
        .filter(octane_query::Diagnostic::is_error)
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(diagnostics_error(&SourceIndex::new(source), &errors))
    }
}

/// The id of `options.schema` (0, the built-in one, when absent).
pub(crate) fn schema_id(options: &JsValue) -> Result<u32, JsValue> {
    Ok(given_schema_id(options)?.unwrap_or(SchemaRegistry::BUILTIN))
}

/// The id of `options.schema`, or `None` when it is absent (`undefined`
/// or `null`).
pub(crate) fn given_schema_id(options: &JsValue) -> Result<Option<u32>, JsValue> {
    let schema = Reflect::get(options, &JsValue::from_str("schema"))?;
    if schema.is_undefined() || schema.is_null() {
        return Ok(None);
    }
    // The getter throws for a freed Schema; either way the answer is the
    // same TypeError.
    let id = Reflect::get(&schema, &JsValue::from_str("id"))
        .ok()
        .and_then(|id| id.as_f64())
        .filter(|id| id.fract() == 0.0 && *id >= 0.0 && *id <= f64::from(u32::MAX))
        .ok_or_else(|| {
            JsValue::from(js_sys::TypeError::new(
                "`options.schema` must be a live Schema from Schema.builtin() or Schema.fromMetadata()",
            ))
        })?;
    // The range was checked above.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(Some(id as u32))
}

/// Checks a query against an entity of a schema: parse errors and schema
/// errors together, spans in UTF-16 code units. Never throws for a bad
/// query; throws a `TypeError` for bad arguments.
#[wasm_bindgen(js_name = validateQuery, unchecked_return_type = "Diagnostic[]")]
pub fn validate_query(
    #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SchemaQueryOptions")] options_value: JsValue,
) -> Result<JsValue, JsValue> {
    let source = string_arg(&source, "source")?;
    let (entity, id) = options(&options_value)?;
    with_schema(id, |schema| {
        let diagnostics = validate(&source, &entity, schema);
        to_js(&js_diagnostics(&SourceIndex::new(&source), &diagnostics))
    })
    .unwrap_or_else(|| Err(freed()))
}

/// Suggestions at UTF-16 offset `offset` of `source`: fields, operators
/// and values that fit there. `replace` ranges are UTF-16 too.
#[wasm_bindgen(js_name = completeQuery, unchecked_return_type = "Completion[]")]
pub fn complete_query(
    #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
    offset: f64,
    #[wasm_bindgen(unchecked_param_type = "SchemaQueryOptions")] options_value: JsValue,
) -> Result<JsValue, JsValue> {
    let source = string_arg(&source, "source")?;
    let (entity, id) = options(&options_value)?;
    let index = SourceIndex::new(&source);
    // Clamp to the text: NaN and negatives give 0.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let unit = if offset.is_nan() {
        0
    } else {
        offset.clamp(0.0, f64::from(u32::MAX)) as u32
    };
    let byte = index.byte_offset(unit) as usize;
    with_schema(id, |schema| {
        let mut items = complete(&source, byte, &entity, schema);
        for item in &mut items {
            item.replace = index.utf16_span(item.replace);
        }
        to_js(&items)
    })
    .unwrap_or_else(|| Err(freed()))
}
