//! Loading Octane-shaped JSON into rows whose fields and references are
//! resolved once, so that queries run without re-parsing anything.

use std::collections::HashMap;
use std::fmt;

use octane_schema::Schema;
use serde_json::{Map, Value};

/// A field name interned to a small number.
pub type FieldId = u32;
/// A row's position in the dataset's arena.
pub type RowId = u32;

/// One field value of a row, ready for comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// `null`, or an empty multi-reference.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A JSON number.
    Number(f64),
    /// A JSON string; `number` holds its value when it reads as one (ids
    /// are strings in Octane's JSON but compared as numbers in queries).
    Text {
        /// The text.
        text: Box<str>,
        /// Its numeric value, if it is a number.
        number: Option<f64>,
    },
    /// A single reference, resolved to a row.
    Ref(RowId),
    /// A multi-value reference, resolved to rows.
    Refs(Box<[RowId]>),
    /// Any other JSON (objects, arrays of scalars): matches nothing.
    Other,
}

/// An entity: its type, id, fields, and the JSON it came from.
#[derive(Clone, Debug)]
pub struct Row {
    /// The entity type (`defect`).
    pub entity: Box<str>,
    /// Its id, as text.
    pub id: Box<str>,
    /// Fields sorted by id, for binary search.
    pub cells: Box<[(FieldId, Cell)]>,
    /// The original JSON object (projection and output use it).
    pub json: Map<String, Value>,
    /// Whether the row was loaded from a collection (not only seen as a
    /// reference's inline object).
    pub loaded: bool,
}

impl Row {
    /// The cell of `field`, if the row has it.
    pub fn cell(&self, field: FieldId) -> Option<&Cell> {
        self.cells
            .binary_search_by_key(&field, |(f, _)| *f)
            .ok()
            .map(|i| &self.cells[i].1)
    }
}

/// Why a dataset could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The collection at fault, if any.
    pub collection: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.collection {
            Some(c) => write!(f, "collection `{c}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for LoadError {}

/// Collections of entities, with every reference resolved.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub(crate) rows: Vec<Row>,
    fields: HashMap<String, FieldId>,
    field_names: Vec<String>,
    /// (aggregated type, id) → row.
    by_key: HashMap<(String, String), RowId>,
    /// Loaded rows by entity type.
    by_entity: HashMap<String, Vec<RowId>>,
    /// Collection names as given, with their row counts.
    collections: Vec<(String, usize)>,
}

impl Dataset {
    /// Loads `{"defects": {"data":[...],"total_count":N}, "releases": [...], ...}`:
    /// collections by name, each a REST response or a bare array.
    pub fn from_json(json: &str) -> Result<Dataset, LoadError> {
        let value: Value = serde_json::from_str(json).map_err(|e| LoadError {
            collection: None,
            message: e.to_string(),
        })?;
        Self::from_value(value)
    }

    /// Loads collections from an already parsed JSON value (see
    /// [`Dataset::from_json`]).
    pub fn from_value(value: Value) -> Result<Dataset, LoadError> {
        let Value::Object(collections) = value else {
            return Err(LoadError {
                collection: None,
                message: "expected an object of collections: {\"defects\": {\"data\": [...]}}"
                    .to_owned(),
            });
        };
        let mut loader = Loader::default();
        for (name, collection) in collections {
            let rows = match collection {
                Value::Array(rows) => rows,
                Value::Object(mut response) => match response.remove("data") {
                    Some(Value::Array(rows)) => rows,
                    _ => {
                        return Err(LoadError {
                            collection: Some(name),
                            message: "expected {\"data\": [...]} or an array".to_owned(),
                        });
                    }
                },
                _ => {
                    return Err(LoadError {
                        collection: Some(name),
                        message: "expected {\"data\": [...]} or an array".to_owned(),
                    });
                }
            };
            let default_entity = Schema::builtin()
                .entity(&name)
                .map_or_else(|| name.clone(), |e| e.name.clone());
            let count = rows.len();
            for (i, row) in rows.into_iter().enumerate() {
                let Value::Object(object) = row else {
                    return Err(LoadError {
                        collection: Some(name),
                        message: format!("item {i} is not an object"),
                    });
                };
                loader.entity(object, &default_entity, true);
            }
            loader.dataset.collections.push((name, count));
        }
        Ok(loader.finish())
    }

    /// The collections as loaded, with their sizes.
    pub fn collections(&self) -> &[(String, usize)] {
        &self.collections
    }

    /// The id of field `name`, if any row has it.
    pub fn field(&self, name: &str) -> Option<FieldId> {
        self.fields.get(name).copied()
    }

    /// A row by position.
    pub fn row(&self, id: RowId) -> &Row {
        &self.rows[id as usize]
    }

    /// The loaded rows of `entity` and of its subtypes.
    pub fn rows_of(&self, entity: &str) -> Vec<RowId> {
        let schema = Schema::builtin();
        let mut types = vec![entity.to_owned()];
        if let Some(known) = schema.entity(entity) {
            types.extend(known.subtypes.iter().cloned());
        }
        // Entity types the schema does not know, but whose rows say they
        // are subtypes through the `subtype` convention, are not guessed.
        let mut rows: Vec<RowId> = types
            .iter()
            .filter_map(|t| self.by_entity.get(t))
            .flatten()
            .copied()
            .collect();
        rows.sort_unstable();
        rows
    }

    /// The row of entity `entity` (any subtype of its aggregated type)
    /// with id `id`.
    pub fn find(&self, entity: &str, id: &str) -> Option<RowId> {
        let key = (aggregated(entity).to_owned(), id.to_owned());
        self.by_key.get(&key).copied()
    }

    /// The name of field `id`.
    pub fn field_name(&self, id: FieldId) -> &str {
        &self.field_names[id as usize]
    }
}

fn aggregated(entity: &str) -> &str {
    Schema::builtin().aggregated_type(entity)
}

/// Builds a dataset: interns fields, turns JSON values into cells, and
/// resolves references (to loaded rows, or to rows made from the
/// reference's inline object).
#[derive(Default)]
struct Loader {
    dataset: Dataset,
}

impl Loader {
    fn intern(&mut self, name: &str) -> FieldId {
        if let Some(&id) = self.dataset.fields.get(name) {
            return id;
        }
        let id = self.dataset.field_names.len() as FieldId;
        self.dataset.fields.insert(name.to_owned(), id);
        self.dataset.field_names.push(name.to_owned());
        id
    }

    /// Adds (or completes) the row for `object`; returns its position.
    fn entity(&mut self, object: Map<String, Value>, default_entity: &str, loaded: bool) -> RowId {
        let entity = object
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or(default_entity)
            .to_owned();
        let id = match object.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let key = (aggregated(&entity).to_owned(), id.clone());
        let existing = if id.is_empty() {
            None
        } else {
            self.dataset.by_key.get(&key).copied()
        };
        if let Some(row) = existing {
            let known = &self.dataset.rows[row as usize];
            // A loaded row wins over an inline stub; a second loaded copy of
            // the same entity is ignored.
            if known.loaded || !loaded {
                return row;
            }
        }
        let mut cells: Vec<(FieldId, Cell)> = Vec::with_capacity(object.len());
        for (name, value) in &object {
            let field = self.intern(name);
            let cell = self.cell(value);
            cells.push((field, cell));
        }
        cells.sort_by_key(|(f, _)| *f);
        let row = Row {
            entity: entity.clone().into(),
            id: id.into(),
            cells: cells.into(),
            json: object,
            loaded,
        };
        let position = if let Some(stub) = existing {
            self.dataset.rows[stub as usize] = row;
            stub
        } else {
            let position = self.dataset.rows.len() as RowId;
            self.dataset.rows.push(row);
            if !key.1.is_empty() {
                self.dataset.by_key.insert(key, position);
            }
            position
        };
        if loaded {
            self.dataset
                .by_entity
                .entry(entity)
                .or_default()
                .push(position);
        }
        position
    }

    fn cell(&mut self, value: &Value) -> Cell {
        match value {
            Value::Null => Cell::Null,
            Value::Bool(b) => Cell::Bool(*b),
            Value::Number(n) => n.as_f64().map_or(Cell::Other, Cell::Number),
            Value::String(s) => Cell::Text {
                number: numeric(s),
                text: s.as_str().into(),
            },
            Value::Object(object) if is_reference(object) => {
                Cell::Ref(self.entity(object.clone(), "", false))
            }
            Value::Object(object) => match object.get("data") {
                // A multi-value reference: {"total_count":n,"data":[...]}.
                Some(Value::Array(items)) => {
                    let rows: Vec<RowId> = items
                        .iter()
                        .filter_map(|item| match item {
                            Value::Object(o) if is_reference(o) => {
                                Some(self.entity(o.clone(), "", false))
                            }
                            _ => None,
                        })
                        .collect();
                    if rows.is_empty() {
                        Cell::Null
                    } else {
                        Cell::Refs(rows.into())
                    }
                }
                _ => Cell::Other,
            },
            Value::Array(_) => Cell::Other,
        }
    }

    fn finish(mut self) -> Dataset {
        for rows in self.dataset.by_entity.values_mut() {
            rows.sort_unstable();
            rows.dedup();
        }
        self.dataset
    }
}

fn is_reference(object: &Map<String, Value>) -> bool {
    object.get("type").is_some_and(Value::is_string) && object.contains_key("id")
}

/// The value of `text` when it is a plain decimal number (`1001`, `-2.5`).
fn numeric(text: &str) -> Option<f64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.');
    if plain { text.parse().ok() } else { None }
}
