//! Loading Octane-shaped JSON into rows whose fields and references are
//! resolved once, so that queries run without re-parsing anything.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use octane_query::temporal::{self, Temporal};
use octane_query::{Diagnostic, Severity, SourceIndex, Span};

use crate::diagnostics::EvalErrorKind;
use octane_schema::{Entity, FieldType, Schema};
use serde_json::{Map, Value};

/// A field name interned to a small number.
pub type FieldId = u32;
/// A row's position in the dataset's arena.
pub type RowId = u32;

/// One field value of a row, ready for comparison. Its kind comes from
/// the type the schema gives the field, not from how the value looks:
/// `"10"` in a string field is text, in an `integer` field (ids, which
/// Octane's JSON writes as strings) a number.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// `null`, or an empty multi-reference.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number: a JSON number, or the text of an `integer` or `float`
    /// field.
    Number(f64),
    /// The value of a `string` or `memo` field (or of a typed field whose
    /// value does not read as its type): compared as text.
    Text(Box<str>),
    /// The value of a `date` field (as a day) or a `date_time` field (as
    /// an instant).
    Time(Temporal),
    /// A string of a field the schema does not know: compared as a number
    /// or a date-time when both it and the query's value read as one, as
    /// text otherwise.
    Untyped {
        /// The text.
        text: Box<str>,
        /// Its value, if it is a plain decimal number.
        number: Option<f64>,
        /// Its value, if it is an ISO-8601 date or date-time.
        time: Option<Temporal>,
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
    /// Where, in the JSON text (empty at 0 when the value was given
    /// parsed, or the fault is the collection as a whole).
    pub span: Span,
    /// The kind of fault.
    pub kind: EvalErrorKind,
}

impl LoadError {
    fn shape(collection: Option<String>, message: impl Into<String>) -> Self {
        LoadError {
            collection,
            message: message.into(),
            span: Span::default(),
            kind: EvalErrorKind::NotCollections,
        }
    }

    /// The error as a diagnostic (code, message, span, help).
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::with_code(
            self.kind.code(),
            Severity::Error,
            self.span,
            self.to_string(),
        )
        .with_help(
            "pass an object of collections, each a REST response or an array of entities: \
                 {\"defects\": {\"data\": [{\"type\": \"defect\", \"id\": \"1\"}]}}",
        )
    }
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

/// Collections of entities, with every reference resolved and every value
/// typed by the dataset's schema.
#[derive(Clone, Debug)]
pub struct Dataset {
    schema: Arc<Schema>,
    pub(crate) rows: Vec<Row>,
    fields: HashMap<String, FieldId>,
    field_names: Vec<String>,
    /// (aggregated type, id) → row.
    /// Rows by [`row_key`]: aggregated type and id.
    by_key: HashMap<String, RowId>,
    /// Loaded rows by entity type.
    by_entity: HashMap<String, Vec<RowId>>,
    /// Collection names as given, with their row counts.
    collections: Vec<(String, usize)>,
    /// The rows of collections the schema does not know, by collection
    /// name (so that `incidents` finds rows typed `incident`).
    unknown_collections: HashMap<String, Vec<RowId>>,
}

impl Dataset {
    /// An empty dataset whose values are typed by `schema`.
    pub fn empty(schema: Arc<Schema>) -> Dataset {
        Dataset {
            schema,
            rows: Vec::new(),
            fields: HashMap::new(),
            field_names: Vec::new(),
            by_key: HashMap::new(),
            by_entity: HashMap::new(),
            collections: Vec::new(),
            unknown_collections: HashMap::new(),
        }
    }

    /// Loads `{"defects": {"data":[...],"total_count":N}, "releases": [...], ...}`:
    /// collections by name, each a REST response or a bare array, typed by
    /// the built-in schema.
    pub fn from_json(json: &str) -> Result<Dataset, LoadError> {
        Self::from_json_with(json, Schema::builtin_shared())
    }

    /// Loads collections (see [`Dataset::from_json`]) typed by `schema`: a
    /// workspace's own entities, subtypes and user-defined fields.
    pub fn from_json_with(json: &str, schema: Arc<Schema>) -> Result<Dataset, LoadError> {
        let value: Value = serde_json::from_str(json).map_err(|e| {
            let index = SourceIndex::new(json);
            let at = index.byte_at(
                u32::try_from(e.line()).unwrap_or(u32::MAX),
                u32::try_from(e.column()).unwrap_or(u32::MAX),
            );
            LoadError {
                collection: None,
                message: e.to_string(),
                span: Span::new(at, at),
                kind: EvalErrorKind::MalformedJson,
            }
        })?;
        Self::from_value_with(value, schema)
    }

    /// Loads collections from an already parsed JSON value (see
    /// [`Dataset::from_json`]), typed by the built-in schema.
    pub fn from_value(value: Value) -> Result<Dataset, LoadError> {
        Self::from_value_with(value, Schema::builtin_shared())
    }

    /// Loads collections from an already parsed JSON value, typed by
    /// `schema`.
    pub fn from_value_with(value: Value, schema: Arc<Schema>) -> Result<Dataset, LoadError> {
        let Value::Object(collections) = value else {
            return Err(LoadError::shape(
                None,
                "expected an object of collections: {\"defects\": {\"data\": [...]}}",
            ));
        };
        let mut loader = Loader {
            dataset: Dataset::empty(schema),
            key: String::new(),
            types: HashMap::new(),
        };
        for (name, collection) in collections {
            let rows = match collection {
                Value::Array(rows) => rows,
                Value::Object(mut response) => match response.remove("data") {
                    Some(Value::Array(rows)) => rows,
                    _ => {
                        return Err(LoadError::shape(
                            Some(name),
                            "expected {\"data\": [...]} or an array",
                        ));
                    }
                },
                _ => {
                    return Err(LoadError::shape(
                        Some(name),
                        "expected {\"data\": [...]} or an array",
                    ));
                }
            };
            let known = loader.dataset.schema.entity(&name).map(|e| e.name.clone());
            let default_entity = known.clone().unwrap_or_else(|| name.clone());
            let count = rows.len();
            let mut positions = Vec::new();
            for (i, row) in rows.into_iter().enumerate() {
                let Value::Object(object) = row else {
                    return Err(LoadError::shape(
                        Some(name),
                        format!("item {i} is not an object"),
                    ));
                };
                let position = loader.entity(object, &default_entity, true);
                if known.is_none() {
                    positions.push(position);
                }
            }
            if known.is_none() {
                loader
                    .dataset
                    .unknown_collections
                    .entry(name.clone())
                    .or_default()
                    .extend(positions);
            }
            loader.dataset.collections.push((name, count));
        }
        Ok(loader.finish())
    }

    /// The schema that types this dataset's values.
    pub fn schema(&self) -> &Schema {
        &self.schema
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

    /// How many rows the dataset holds, referenced-only entities included.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// The loaded rows of `entity` and of its subtypes; for a name the
    /// schema does not know, the rows of the collection loaded under that
    /// name, or else of the entity type of that name.
    pub fn rows_of(&self, entity: &str) -> Vec<RowId> {
        let mut types = vec![entity.to_owned()];
        if let Some(known) = self.schema.entity(entity) {
            types.extend(known.subtypes.iter().cloned());
        } else if let Some(rows) = self.unknown_collections.get(entity) {
            let mut rows = rows.clone();
            rows.sort_unstable();
            rows.dedup();
            return rows;
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
        let mut key = String::new();
        row_key(&mut key, self.schema.aggregated_type(entity), id);
        self.by_key.get(&key).copied()
    }

    /// The name of field `id`.
    pub fn field_name(&self, id: FieldId) -> &str {
        &self.field_names[id as usize]
    }
}

/// How the loader reads a field's values, from its type in the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `integer`, `float`: numbers (numeric strings included).
    Number,
    /// `string`, `memo`, `boolean`, `reference`, `object`: as they are,
    /// strings as text.
    Text,
    /// `date`: days.
    Date,
    /// `date_time`: instants.
    DateTime,
    /// Not in the schema: strings read by their look.
    Untyped,
}

impl Kind {
    fn of(entity: Option<&Entity>, name: &str) -> Kind {
        let Some(field) = entity.and_then(|e| e.field(name)) else {
            return Kind::Untyped;
        };
        match field.field_type {
            FieldType::Integer | FieldType::Float => Kind::Number,
            FieldType::Date => Kind::Date,
            FieldType::DateTime => Kind::DateTime,
            FieldType::String
            | FieldType::Memo
            | FieldType::Boolean
            | FieldType::Reference
            | FieldType::Object => Kind::Text,
            FieldType::Other(_) => Kind::Untyped,
        }
    }
}

/// Builds a dataset: interns fields, turns JSON values into cells typed
/// by the schema, and resolves references (to loaded rows, or to rows made
/// from the reference's inline object).
/// Writes the key of a row into `key`: its aggregated type and id, which
/// no type name holds a NUL to confuse.
fn row_key(key: &mut String, aggregated_type: &str, id: &str) {
    key.clear();
    key.push_str(aggregated_type);
    key.push('\0');
    key.push_str(id);
}

struct Loader {
    dataset: Dataset,
    /// A buffer for [`row_key`], so that looking a row up allocates nothing.
    key: String,
    /// Field kinds by entity type, indexed by field id, filled as fields
    /// are met.
    types: HashMap<String, Vec<Option<Kind>>>,
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

    /// How `field` of `entity` reads, from the schema (cached).
    fn kind(&mut self, entity: &str, field: FieldId) -> Kind {
        let slot = field as usize;
        if let Some(Some(kind)) = self.types.get(entity).and_then(|k| k.get(slot)) {
            return *kind;
        }
        let kind = Kind::of(
            self.dataset.schema.entity(entity),
            &self.dataset.field_names[slot],
        );
        let kinds = self.types.entry(entity.to_owned()).or_default();
        if kinds.len() <= slot {
            kinds.resize(slot + 1, None);
        }
        kinds[slot] = Some(kind);
        kind
    }

    /// The row already loaded or seen for `entity` and `id`.
    fn existing(&mut self, entity: &str, id: &str) -> Option<RowId> {
        row_key(
            &mut self.key,
            self.dataset.schema.aggregated_type(entity),
            id,
        );
        self.dataset.by_key.get(self.key.as_str()).copied()
    }

    /// The row a reference names: the one already there when there is
    /// one (most references repeat: list nodes, users, releases), so that
    /// only a new entity's object is copied.
    fn reference(&mut self, object: &Map<String, Value>) -> RowId {
        let id = match object.get("id") {
            Some(Value::String(s)) => Some(s.as_str()),
            _ => None,
        };
        let entity = object.get("type").and_then(Value::as_str).unwrap_or("");
        if let Some(row) = id
            .and_then(|id| (!id.is_empty()).then(|| self.existing(entity, id)))
            .flatten()
        {
            return row;
        }
        self.entity(object.clone(), "", false)
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
        let existing = if id.is_empty() {
            None
        } else {
            self.existing(&entity, &id)
        };
        if let Some(row) = existing {
            let known = &self.dataset.rows[row as usize];
            // A loaded row wins over an inline stub; a second loaded copy of
            // the same entity is ignored.
            if known.loaded || !loaded {
                return row;
            }
        }
        // The key `existing` just wrote, for a row that is new: reading the
        // cells below reuses the buffer.
        let new_key = (existing.is_none() && !id.is_empty()).then(|| self.key.clone());
        let mut cells: Vec<(FieldId, Cell)> = Vec::with_capacity(object.len());
        for (name, value) in &object {
            let field = self.intern(name);
            let kind = self.kind(&entity, field);
            let cell = self.cell(value, kind);
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
            if let Some(key) = new_key {
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

    fn cell(&mut self, value: &Value, kind: Kind) -> Cell {
        match value {
            Value::Null => Cell::Null,
            Value::Bool(b) => Cell::Bool(*b),
            Value::Number(n) => n.as_f64().map_or(Cell::Other, Cell::Number),
            Value::String(s) => text_cell(s, kind),
            Value::Object(object) if is_reference(object) => Cell::Ref(self.reference(object)),
            Value::Object(object) => match object.get("data") {
                // A multi-value reference: {"total_count":n,"data":[...]}.
                Some(Value::Array(items)) => {
                    let rows: Vec<RowId> = items
                        .iter()
                        .filter_map(|item| match item {
                            Value::Object(o) if is_reference(o) => Some(self.reference(o)),
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

/// A string value of a field of `kind`. A value that does not read as its
/// field's type stays text, so that it still matches itself.
fn text_cell(text: &str, kind: Kind) -> Cell {
    let typed = match kind {
        Kind::Number => numeric(text).map(Cell::Number),
        Kind::DateTime => temporal::parse(text).map(Cell::Time),
        // A date field holding a date-time is read as its UTC day.
        Kind::Date => temporal::parse(text).map(|t| match t {
            Temporal::DateTime(instant) => Cell::Time(Temporal::Date(instant.day())),
            date @ Temporal::Date(_) => Cell::Time(date),
        }),
        Kind::Text => None,
        Kind::Untyped => {
            return Cell::Untyped {
                number: numeric(text),
                time: temporal::parse(text),
                text: text.into(),
            };
        }
    };
    typed.unwrap_or_else(|| Cell::Text(text.into()))
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
