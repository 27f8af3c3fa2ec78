//! Loading Octane-shaped JSON into rows whose fields and references are
//! resolved once, so that queries run without re-parsing anything.
//!
//! # Layout
//! A dataset keeps the JSON text it was loaded from, once. A row is a few
//! numbers: its entity type, its id and its object (ranges of that text),
//! and, apart (see [`Place`]), its shape (the sorted list of its fields,
//! shared by every row with the same fields) and where its cells start in
//! one arena of cells. Strings are ranges of the text too; only a string
//! with escapes is decoded, into the text's tail. So loading makes no
//! allocation per row or per value, and freeing a dataset frees a handful
//! of buffers.
//!
//! The arena holds the cells of each shape as columns: the rows of a shape
//! give their first field's cells one after another, then their second
//! field's, and so on. A query that reads a field of every row reads one
//! run of memory, as a column store does, instead of striding across each
//! row's other fields.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use octane_query::temporal::{self, Temporal};
use octane_query::{Diagnostic, Severity, SourceIndex, Span};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::diagnostics::EvalErrorKind;
use crate::scan::{self, Member, Probe};
use octane_schema::{Entity, FieldType, Schema};

/// A field name interned to a small number.
pub type FieldId = u32;
/// A row's position in the dataset's arena.
pub type RowId = u32;

/// A range of the dataset's text (see [`Dataset::text`]) or of its
/// reference arena (see [`Dataset::refs`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Extent {
    /// The first byte (or item).
    pub start: u32,
    /// One past the last.
    pub end: u32,
}

/// One field value of a row, ready for comparison. Its kind comes from
/// the type the schema gives the field, not from how the value looks:
/// `"10"` in a string field is text, in an `integer` field (ids, which
/// Octane's JSON writes as strings) a number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    /// `null`, or an empty multi-reference.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number: a JSON number, or the text of an `integer` or `float`
    /// field.
    Number(f64),
    /// The value of a `string` or `memo` field (or of a typed field whose
    /// value does not read as its type), compared as text: a range of
    /// [`Dataset::text`].
    Text(Extent),
    /// The value of a `date` field (as a day) or a `date_time` field (as
    /// an instant).
    Time(Temporal),
    /// A string of a field the schema does not know (see [`Untyped`]),
    /// by its position in [`Dataset::untyped`].
    Untyped(u32),
    /// A single reference, resolved to a row.
    Ref(RowId),
    /// A multi-value reference, resolved to rows: a range of
    /// [`Dataset::refs`].
    Refs(Extent),
    /// Any other JSON (objects, arrays of scalars): matches nothing.
    Other,
}

/// A string of a field the schema does not know: compared as a number or
/// a date-time when both it and the query's value read as one, as text
/// otherwise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Untyped {
    /// The text: a range of [`Dataset::text`].
    pub text: Extent,
    /// Its value, if it is a plain decimal number.
    pub number: Option<f64>,
    /// Its value, if it is an ISO-8601 date or date-time.
    pub time: Option<Temporal>,
}

/// An entity: its type, id and the JSON it came from, as positions in
/// the dataset's buffers (read them through [`Dataset`]).
#[derive(Clone, Copy, Debug)]
pub struct Row {
    /// The entity type, by position in the dataset's entity names.
    entity: u32,
    /// Its id, as text.
    id: Extent,
    /// Its JSON object.
    json: Extent,
    /// Whether the row was loaded from a collection (not only seen as a
    /// reference's inline object).
    loaded: bool,
}

/// Where a row's cells are: the part of a row a query reads for every
/// row, kept in an array of its own so that a scan reads eight bytes a
/// row, not the whole row.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Place {
    /// The row's fields, as a position in the dataset's shapes.
    pub(crate) shape: u32,
    /// Its first field's cell in the arena; the cell of its field at
    /// place `k` in its shape is `k` times the shape's stride further.
    pub(crate) cells: u32,
}

impl Row {
    /// Whether the row was loaded from a collection, rather than made from
    /// a reference's inline object.
    pub fn loaded(&self) -> bool {
        self.loaded
    }
}

/// Why a dataset could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The collection at fault, if any.
    pub collection: Option<String>,
    /// What is wrong.
    pub message: String,
    /// Where, in the JSON text (empty at 0 when the fault is the
    /// collection as a whole).
    pub span: Span,
    /// The kind of fault.
    pub kind: EvalErrorKind,
}

impl LoadError {
    fn shape(collection: Option<String>, message: impl Into<String>, at: u32) -> Self {
        LoadError {
            collection,
            message: message.into(),
            span: Span::new(at, at),
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

/// A multiply-rotate hasher over eight bytes at a time: the loader
/// hashes millions of short keys (field names, row keys), where SipHash's
/// protection against chosen keys costs more than it gives (a dataset is
/// the caller's own data, and a slow key only slows its own load).
#[derive(Default)]
struct Quick(u64);

impl Quick {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for Quick {
    /// Multiplying carries a difference only towards the high bits; the
    /// table picks buckets by the low ones, so they are mixed back down.
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Quick>>;

/// Collections of entities, with every reference resolved and every value
/// typed by the dataset's schema.
#[derive(Clone, Debug)]
pub struct Dataset {
    schema: Arc<Schema>,
    /// The JSON text loaded, followed by the decoded strings that had
    /// escapes.
    text: String,
    rows: Vec<Row>,
    /// Each row's [`Place`].
    places: Vec<Place>,
    /// The cells, each shape's as columns (see the module's notes).
    cells: Vec<Cell>,
    /// For each shape, how many rows have it: the distance between the
    /// cells of one row's fields.
    strides: Vec<u32>,
    refs: Vec<RowId>,
    untyped: Vec<Untyped>,
    /// Each shape's fields, sorted.
    shapes: Vec<Box<[FieldId]>>,
    fields: FastMap<String, FieldId>,
    field_names: Vec<String>,
    entity_names: Vec<String>,
    /// Rows by [`row_key`]: aggregated type and id.
    by_key: FastMap<String, RowId>,
    /// Loaded rows by entity type.
    by_entity: FastMap<String, Vec<RowId>>,
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
            text: String::new(),
            rows: Vec::new(),
            places: Vec::new(),
            cells: Vec::new(),
            strides: Vec::new(),
            refs: Vec::new(),
            untyped: Vec::new(),
            shapes: Vec::new(),
            fields: FastMap::default(),
            field_names: Vec::new(),
            entity_names: Vec::new(),
            by_key: FastMap::default(),
            by_entity: FastMap::default(),
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
        Self::from_text(json.to_owned(), schema).map_err(|(error, _)| error)
    }

    /// Loads collections from an already parsed JSON value (see
    /// [`Dataset::from_json`]), typed by the built-in schema.
    pub fn from_value(value: &serde_json::Value) -> Result<Dataset, LoadError> {
        Self::from_value_with(value, Schema::builtin_shared())
    }

    /// Loads collections from an already parsed JSON value, typed by
    /// `schema`. The dataset keeps the value's JSON text.
    pub fn from_value_with(
        value: &serde_json::Value,
        schema: Arc<Schema>,
    ) -> Result<Dataset, LoadError> {
        Self::from_text(value.to_string(), schema).map_err(|(error, _)| error)
    }

    /// Loads collections (see [`Dataset::from_json`]) from a JSON text the
    /// dataset then keeps, without copying it, typed by `schema`. On
    /// failure the text comes back with the error, to locate it in.
    pub fn from_text(text: String, schema: Arc<Schema>) -> Result<Dataset, (LoadError, String)> {
        Self::from_text_read(text, schema, Read::Checked)
    }

    /// The sample workspace (see [`crate::sample`]), typed by the built-in
    /// schema. The generator writes only JSON, so its text is read without
    /// being checked a second time.
    pub fn sample(options: crate::sample::SampleOptions) -> Dataset {
        let schema = Schema::builtin_shared();
        let text = crate::sample::generate_json(options);
        Self::from_text_read(text, Arc::clone(&schema), Read::Generated)
            .unwrap_or_else(|_| Dataset::empty(schema))
    }

    fn from_text_read(
        text: String,
        schema: Arc<Schema>,
        read: Read,
    ) -> Result<Dataset, (LoadError, String)> {
        match Self::load(&text, schema, read) {
            Ok((mut dataset, extra)) => {
                dataset.text = text;
                dataset.text.push_str(&extra);
                Ok(dataset)
            }
            Err(error) => Err((error, text)),
        }
    }

    /// Reads `text`: the dataset, without its text, and the decoded
    /// strings that follow it.
    fn load(text: &str, schema: Arc<Schema>, read: Read) -> Result<(Dataset, String), LoadError> {
        if u32::try_from(text.len()).is_err() {
            return Err(LoadError {
                collection: None,
                message: format!(
                    "the JSON text has {} bytes; a dataset holds at most {} bytes",
                    text.len(),
                    u32::MAX
                ),
                span: Span::default(),
                kind: EvalErrorKind::MalformedJson,
            });
        }
        let mut loader = Loader {
            dataset: Dataset::empty(schema),
            base: text.as_ptr() as usize,
            source_len: text.len(),
            extra: String::new(),
            key: String::new(),
            kinds: Vec::new(),
            shape_ids: FastMap::default(),
            last_shape: None,
            scratch: Vec::new(),
            error: None,
            current: None,
            entity_ids: FastMap::default(),
            aggregated: Vec::new(),
            recent: Vec::new(),
        };
        // Room for the cells at once. Grown by doubling instead, the
        // arena would leave a trail of copies, each fresh memory that the
        // system must hand over page by page (on the first load in a wasm
        // module, that was a fifth of the time). A member takes a dozen
        // bytes of text or more; a reservation too large for the memory
        // left is not made, and the arena grows as it must.
        let _ = loader.dataset.cells.try_reserve(text.len() / 12);
        if read == Read::Generated {
            loader.generated(text);
            let extra = std::mem::take(&mut loader.extra);
            return Ok((loader.finish(), extra));
        }
        let mut reader = serde_json::Deserializer::from_str(text);
        let read = TopSeed(&mut loader)
            .deserialize(&mut reader)
            .and_then(|()| reader.end());
        if let Err(e) = read {
            if let Some(error) = loader.error.take() {
                return Err(error);
            }
            let index = SourceIndex::new(text);
            let at = index.byte_at(
                u32::try_from(e.line()).unwrap_or(u32::MAX),
                u32::try_from(e.column()).unwrap_or(u32::MAX),
            );
            if e.classify() == serde_json::error::Category::Data {
                // The shape is wrong: of the collection being read, or of
                // the whole text.
                return Err(match loader.current.take() {
                    Some(current) => LoadError::shape(
                        Some(current.name),
                        "expected {\"data\": [...]} or an array",
                        at,
                    ),
                    None => LoadError::shape(
                        None,
                        "expected an object of collections: {\"defects\": {\"data\": [...]}}",
                        at,
                    ),
                });
            }
            return Err(LoadError {
                collection: None,
                message: e.to_string(),
                span: Span::new(at, at),
                kind: EvalErrorKind::MalformedJson,
            });
        }
        let extra = std::mem::take(&mut loader.extra);
        Ok((loader.finish(), extra))
    }

    /// Lays the cells out as columns, each shape's in a block of its own
    /// (see the module's notes), and sets each row's [`Place`] and each
    /// shape's stride. The cells of a stub a loaded row replaced are left
    /// behind.
    fn columns(&mut self) {
        let mut strides = vec![0u32; self.shapes.len()];
        for place in &self.places {
            strides[place.shape as usize] += 1;
        }
        // Where each shape's next row's first cell goes: its block's start,
        // then one further for each row placed.
        let mut next = Vec::with_capacity(self.shapes.len());
        let mut total = 0usize;
        for (fields, &rows) in self.shapes.iter().zip(&strides) {
            next.push(total);
            total += fields.len() * rows as usize;
        }
        let mut cells = vec![Cell::Null; total];
        for place in &mut self.places {
            let shape = place.shape as usize;
            let stride = strides[shape] as usize;
            let first = next[shape];
            next[shape] += 1;
            let from = place.cells as usize;
            let width = self.shapes[shape].len();
            for (k, cell) in self
                .cells
                .get(from..from + width)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                cells[first + k * stride] = *cell;
            }
            // The arena holds fewer than 2^32 cells: each has text.
            place.cells = first as u32;
        }
        self.cells = cells;
        self.strides = strides;
    }

    /// The schema that types this dataset's values.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The collections as loaded, in the order given, with their sizes.
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

    /// The text of a range of the dataset's text.
    pub fn text(&self, extent: Extent) -> &str {
        &self.text[extent.start as usize..extent.end as usize]
    }

    /// The rows of a multi-value reference's range.
    pub fn refs(&self, extent: Extent) -> &[RowId] {
        &self.refs[extent.start as usize..extent.end as usize]
    }

    /// An untyped value by position.
    pub fn untyped(&self, index: u32) -> &Untyped {
        &self.untyped[index as usize]
    }

    /// The entity type of `row` (`defect`).
    pub fn entity_of(&self, row: &Row) -> &str {
        &self.entity_names[row.entity as usize]
    }

    /// The id of `row`, as text.
    pub fn id_of(&self, row: &Row) -> &str {
        self.text(row.id)
    }

    /// The JSON object `row` was read from, as written.
    pub fn json_of(&self, row: &Row) -> &str {
        self.text(row.json)
    }

    /// How many shapes (sets of fields) the rows have.
    pub(crate) fn shape_count(&self) -> usize {
        self.shapes.len()
    }

    /// The fields of shape `shape`, sorted.
    pub(crate) fn shape_fields(&self, shape: usize) -> &[FieldId] {
        &self.shapes[shape]
    }

    /// How far apart one row's cells of shape `shape` lie in the arena.
    pub(crate) fn stride(&self, shape: usize) -> u32 {
        self.strides.get(shape).copied().unwrap_or(1)
    }

    /// Where row `id`'s cells are.
    #[inline]
    pub(crate) fn place(&self, id: RowId) -> Place {
        self.places.get(id as usize).copied().unwrap_or_default()
    }

    /// The cell `offset` past the first of a row's cells (see
    /// [`Place::cells`]).
    #[inline]
    pub(crate) fn cell_at(&self, place: Place, offset: u32) -> Option<&Cell> {
        self.cells.get(place.cells as usize + offset as usize)
    }

    /// The cell of `field` in row `id`, if the row has it.
    pub fn cell(&self, id: RowId, field: FieldId) -> Option<&Cell> {
        let place = self.place(id);
        let shape = place.shape as usize;
        let index = self.shapes.get(shape)?.binary_search(&field).ok()?;
        let offset = u32::try_from(index).ok()?.checked_mul(self.stride(shape))?;
        self.cell_at(place, offset)
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
        let mut lists = types.iter().filter_map(|t| self.by_entity.get(t));
        let first = lists.next().cloned().unwrap_or_default();
        let mut rows = first;
        let mut merged = false;
        for list in lists {
            rows.extend_from_slice(list);
            merged = true;
        }
        if merged {
            rows.sort_unstable();
        }
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

/// Writes the key of a row into `key`: its aggregated type and id, which
/// no type name holds a NUL to confuse.
fn row_key(key: &mut String, aggregated_type: &str, id: &str) {
    key.clear();
    key.push_str(aggregated_type);
    key.push('\0');
    key.push_str(id);
}

/// How a text is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    /// Checked as JSON, its errors located.
    Checked,
    /// Written by the sample generator: JSON by construction.
    Generated,
}

/// A JSON object's members, in order: names decoded, values as written.
pub(crate) struct Members<'a>(pub(crate) Vec<Member<'a>>);

impl<'a> Members<'a> {
    /// The last value named `name` (JSON's last-one-wins).
    fn get(&self, name: &str) -> Option<&'a str> {
        self.0
            .iter()
            .rev()
            .find(|m| m.name == name)
            .map(|m| m.value)
    }
}

/// A member name: borrowed from the text unless it has escapes.
struct Name<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

/// The members of a JSON object's text, checked before, in order (none
/// if the text is not an object).
pub(crate) fn members(object: &str) -> Members<'_> {
    Members(scan::members(object))
}

/// Reads the top level: an object of collections, each read as it
/// streams by.
struct TopSeed<'l>(&'l mut Loader);

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of collections")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Name(name)) = map.next_key()? {
            self.0.start_collection(name.into_owned());
            map.next_value_seed(CollectionSeed(self.0))?;
            self.0.end_collection();
        }
        Ok(())
    }
}

/// Reads a collection: `{"data": [...], ...}` (other members skipped) or
/// an array.
struct CollectionSeed<'l>(&'l mut Loader);

impl<'de> DeserializeSeed<'de> for CollectionSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CollectionSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{\"data\": [...]} or an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(row) = seq.next_element::<&RawValue>()? {
            self.0.item(row.get()).map_err(de::Error::custom)?;
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut data = false;
        while let Some(Name(name)) = map.next_key()? {
            if name == "data" && !data {
                data = true;
                map.next_value_seed(RowsSeed(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if data {
            Ok(())
        } else {
            Err(de::Error::custom("a REST response without `data`"))
        }
    }
}

/// Reads a collection's `data`: an array of entities.
struct RowsSeed<'l>(&'l mut Loader);

impl<'de> DeserializeSeed<'de> for RowsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(CollectionSeed(self.0))
    }
}

/// Builds a dataset: interns fields, turns JSON values into cells typed
/// by the schema, and resolves references (to loaded rows, or to rows made
/// from the reference's inline object).
struct Loader {
    dataset: Dataset,
    /// The address of the text being read: a value's position is its
    /// address less this.
    base: usize,
    /// The length of that text: decoded strings go after it.
    source_len: usize,
    /// Decoded strings, to follow the text.
    extra: String,
    /// A buffer for [`row_key`], so that looking a row up allocates nothing.
    key: String,
    /// Field kinds by entity type and field id, filled as fields are met.
    kinds: Vec<Vec<Option<Kind>>>,
    shape_ids: FastMap<Box<[FieldId]>, u32>,
    /// The shape of the last row: the next one usually has it too.
    last_shape: Option<u32>,
    /// A buffer of (field, cell) pairs for the row being read.
    scratch: Vec<(FieldId, Cell)>,
    /// Entity types by name, and the aggregated type of each.
    entity_ids: FastMap<String, u32>,
    aggregated: Vec<String>,
    /// By entity type, the member names of the last row read, with their
    /// ids.
    recent: Vec<Vec<(Box<str>, FieldId)>>,
    /// A shape error met while reading (the parser's own error then only
    /// stops it).
    error: Option<LoadError>,
    /// The collection being read.
    current: Option<Current>,
}

/// The collection being read.
struct Current {
    name: String,
    /// Whether the schema knows the collection.
    known: bool,
    /// The entity type of items without a `type`.
    default_entity: String,
    /// Items read so far.
    count: usize,
    /// The rows read, for a collection the schema does not know.
    positions: Vec<RowId>,
}

impl Loader {
    /// The extent of `slice` if it lies in the text being read.
    fn located(&self, slice: &str) -> Option<Extent> {
        let start = (slice.as_ptr() as usize).checked_sub(self.base)?;
        let end = start + slice.len();
        (end <= self.source_len).then_some(Extent {
            start: start as u32,
            end: end as u32,
        })
    }

    /// The extent of `raw`, a slice of the text being read (an empty
    /// extent for any other string).
    fn extent(&self, raw: &str) -> Extent {
        self.located(raw).unwrap_or_default()
    }

    /// The extent of a string's text: a slice of the text read when it is
    /// borrowed, else the decoded copy added after it.
    // The `Cow` says which case it is: a plain `&str` could not.
    #[allow(clippy::ptr_arg)]
    fn text_extent(&mut self, text: &Cow<'_, str>) -> Extent {
        if text.is_empty() {
            return Extent::default();
        }
        if let Cow::Borrowed(slice) = text
            && let Some(extent) = self.located(slice)
        {
            return extent;
        }
        let decoded: &str = text;
        let start = self.source_len + self.extra.len();
        self.extra.push_str(decoded);
        Extent {
            start: start as u32,
            end: (start + decoded.len()) as u32,
        }
    }

    /// Starts reading the collection `name`.
    fn start_collection(&mut self, name: String) {
        let known = self.dataset.schema.entity(&name).map(|e| e.name.clone());
        self.current = Some(Current {
            default_entity: known.clone().unwrap_or_else(|| name.clone()),
            known: known.is_some(),
            name,
            count: 0,
            positions: Vec::new(),
        });
    }

    /// Reads the text of the sample generator, JSON by construction: an
    /// object of REST responses.
    fn generated(&mut self, text: &str) {
        scan::collections(text, &mut |event| match event {
            scan::Event::Collection(name) => self.start_collection(name.into_owned()),
            // Every item is an object: nothing to report.
            scan::Event::Item(item) => {
                let _ = self.item(item);
            }
            scan::Event::End => self.end_collection(),
        });
    }

    /// Reads an item of the current collection.
    fn item(&mut self, raw: &str) -> Result<(), &'static str> {
        let Some(mut current) = self.current.take() else {
            return Ok(());
        };
        if !raw.starts_with('{') {
            let at = self.extent(raw).start;
            self.error = Some(LoadError::shape(
                Some(current.name.clone()),
                format!("item {} is not an object", current.count),
                at,
            ));
            self.current = Some(current);
            return Err("an item is not an object");
        }
        let position = self.entity(raw, &members(raw), &current.default_entity, true);
        if !current.known {
            current.positions.push(position);
        }
        current.count += 1;
        self.current = Some(current);
        Ok(())
    }

    /// Ends the current collection.
    fn end_collection(&mut self) {
        let Some(current) = self.current.take() else {
            return;
        };
        if !current.known {
            self.dataset
                .unknown_collections
                .entry(current.name.clone())
                .or_default()
                .extend(current.positions);
        }
        self.dataset.collections.push((current.name, current.count));
    }

    /// The id of member `name`, the `index`th of an entity of type
    /// `entity`: rows of a type mostly list the same members in the same
    /// order, so the previous row's names answer without hashing.
    fn field(&mut self, entity: u32, index: usize, name: &str) -> FieldId {
        let recent = &self.recent[entity as usize];
        if let Some((known, id)) = recent.get(index) {
            if **known == *name {
                return *id;
            }
        }
        let id = self.intern(name);
        let recent = &mut self.recent[entity as usize];
        if recent.len() <= index {
            recent.resize(index + 1, (Box::from(""), FieldId::MAX));
        }
        recent[index] = (name.into(), id);
        id
    }

    fn intern(&mut self, name: &str) -> FieldId {
        if let Some(&id) = self.dataset.fields.get(name) {
            return id;
        }
        let id = self.dataset.field_names.len() as FieldId;
        self.dataset.fields.insert(name.to_owned(), id);
        self.dataset.field_names.push(name.to_owned());
        id
    }

    fn intern_entity(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.entity_ids.get(name) {
            return id;
        }
        let id = self.dataset.entity_names.len() as u32;
        self.entity_ids.insert(name.to_owned(), id);
        self.dataset.entity_names.push(name.to_owned());
        self.aggregated
            .push(self.dataset.schema.aggregated_type(name).to_owned());
        self.kinds.push(Vec::new());
        self.recent.push(Vec::new());
        id
    }

    /// How `field` of entity `entity` reads, from the schema (cached).
    fn kind(&mut self, entity: u32, field: FieldId) -> Kind {
        let slot = field as usize;
        if let Some(Some(kind)) = self.kinds[entity as usize].get(slot) {
            return *kind;
        }
        let kind = Kind::of(
            self.dataset
                .schema
                .entity(&self.dataset.entity_names[entity as usize]),
            &self.dataset.field_names[slot],
        );
        let kinds = &mut self.kinds[entity as usize];
        if kinds.len() <= slot {
            kinds.resize(slot + 1, None);
        }
        kinds[slot] = Some(kind);
        kind
    }

    /// The row already loaded or seen for entity type `entity` (by
    /// position) and `id`.
    fn existing(&mut self, entity: u32, id: &str) -> Option<RowId> {
        row_key(&mut self.key, &self.aggregated[entity as usize], id);
        self.dataset.by_key.get(self.key.as_str()).copied()
    }

    /// The row a reference names: the one already there when there is
    /// one (most references repeat: list nodes, users, releases), so that
    /// only a new entity's object is read.
    fn reference(&mut self, raw: &str, probe: &Probe<'_>) -> RowId {
        let id = probe
            .id
            .filter(|id| id.starts_with('"'))
            .map(|id| scan::decode(id));
        let entity = probe.entity.map_or(Cow::Borrowed(""), |t| scan::decode(t));
        if let Some(id) = id.filter(|id| !id.is_empty()) {
            let entity = self.intern_entity(&entity);
            if let Some(row) = self.existing(entity, &id) {
                return row;
            }
        }
        self.entity(raw, &members(raw), "", false)
    }

    /// Adds (or completes) the row for the object `raw` with members
    /// `object`; returns its position.
    fn entity(
        &mut self,
        raw: &str,
        object: &Members<'_>,
        default_entity: &str,
        loaded: bool,
    ) -> RowId {
        let entity = match object.get("type") {
            Some(t) if t.starts_with('"') => scan::decode(t),
            _ => Cow::Borrowed(default_entity),
        };
        let id = match object.get("id") {
            Some(id) if id.starts_with('"') => scan::decode(id),
            Some(id) if id.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => {
                Cow::Borrowed(id)
            }
            _ => Cow::Borrowed(""),
        };
        let entity_index = self.intern_entity(&entity);
        let existing = if id.is_empty() {
            None
        } else {
            self.existing(entity_index, &id)
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
        let id_extent = self.text_extent(&id);
        let mut cells = std::mem::take(&mut self.scratch);
        cells.clear();
        for (
            i,
            Member {
                name, value, probe, ..
            },
        ) in object.0.iter().enumerate()
        {
            let field = self.field(entity_index, i, name);
            let kind = self.kind(entity_index, field);
            let cell = self.cell(value, probe.as_ref(), kind);
            cells.push((field, cell));
        }
        // Sorted by field; of a field written twice, the last one counts.
        cells.sort_by_key(|(f, _)| *f);
        let mut write = 0;
        for read in 0..cells.len() {
            if write > 0 && cells[write - 1].0 == cells[read].0 {
                cells[write - 1] = cells[read];
            } else {
                cells[write] = cells[read];
                write += 1;
            }
        }
        cells.truncate(write);
        let shape = self.shape(&cells);
        let start = self.dataset.cells.len() as u32;
        self.dataset.cells.extend(cells.iter().map(|(_, c)| *c));
        self.scratch = cells;
        let row = Row {
            entity: entity_index,
            id: id_extent,
            json: self.extent(raw),
            loaded,
        };
        // Until `finish`, each row's cells lie together (a stride of 1).
        let place = Place {
            shape,
            cells: start,
        };
        let position = if let Some(stub) = existing {
            self.dataset.rows[stub as usize] = row;
            self.dataset.places[stub as usize] = place;
            stub
        } else {
            let position = self.dataset.rows.len() as RowId;
            self.dataset.rows.push(row);
            self.dataset.places.push(place);
            if let Some(key) = new_key {
                self.dataset.by_key.insert(key, position);
            }
            position
        };
        if loaded {
            if let Some(rows) = self.dataset.by_entity.get_mut(entity.as_ref()) {
                rows.push(position);
            } else {
                self.dataset
                    .by_entity
                    .insert(entity.into_owned(), vec![position]);
            }
        }
        position
    }

    /// The shape of the sorted `cells`.
    fn shape(&mut self, cells: &[(FieldId, Cell)]) -> u32 {
        if let Some(last) = self.last_shape {
            let fields = &self.dataset.shapes[last as usize];
            if fields.len() == cells.len() && fields.iter().zip(cells).all(|(a, (b, _))| a == b) {
                return last;
            }
        }
        let fields: Box<[FieldId]> = cells.iter().map(|(f, _)| *f).collect();
        if let Some(&shape) = self.shape_ids.get(&fields) {
            self.last_shape = Some(shape);
            return shape;
        }
        let shape = self.dataset.shapes.len() as u32;
        self.last_shape = Some(shape);
        self.dataset.shapes.push(fields.clone());
        self.shape_ids.insert(fields, shape);
        shape
    }

    /// The cell of `value`, with `probe` for an object.
    fn cell(&mut self, text: &str, probe: Option<&Probe<'_>>, kind: Kind) -> Cell {
        match text.as_bytes().first() {
            Some(b'n') => Cell::Null,
            Some(b't') => Cell::Bool(true),
            Some(b'f') => Cell::Bool(false),
            Some(b'"') => {
                let string = scan::decode(text);
                let extent = self.text_extent(&string);
                self.text_cell(&string, extent, kind)
            }
            Some(b'{') => {
                let Some(probe) = probe else {
                    return Cell::Other;
                };
                if probe.is_reference() {
                    return Cell::Ref(self.reference(text, probe));
                }
                // A multi-value reference: {"total_count":n,"data":[...]}.
                let Some(items) = probe.data.filter(|d| d.starts_with('[')).map(scan::items) else {
                    return Cell::Other;
                };
                let start = self.dataset.refs.len();
                for (item, probe) in items {
                    if let Some(probe) = probe.filter(Probe::is_reference) {
                        let row = self.reference(item, &probe);
                        self.dataset.refs.push(row);
                    }
                }
                if self.dataset.refs.len() == start {
                    Cell::Null
                } else {
                    Cell::Refs(Extent {
                        start: start as u32,
                        end: self.dataset.refs.len() as u32,
                    })
                }
            }
            Some(b'[') | None => Cell::Other,
            Some(_) => text.parse().map_or(Cell::Other, Cell::Number),
        }
    }

    /// A string value of a field of `kind`. A value that does not read as
    /// its field's type stays text, so that it still matches itself.
    fn text_cell(&mut self, text: &str, extent: Extent, kind: Kind) -> Cell {
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
                self.dataset.untyped.push(Untyped {
                    text: extent,
                    number: numeric(text),
                    time: temporal::parse(text),
                });
                return Cell::Untyped((self.dataset.untyped.len() - 1) as u32);
            }
        };
        typed.unwrap_or(Cell::Text(extent))
    }

    fn finish(mut self) -> Dataset {
        for rows in self.dataset.by_entity.values_mut() {
            rows.sort_unstable();
            rows.dedup();
        }
        self.dataset.columns();
        self.dataset
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_small() {
        assert!(
            std::mem::size_of::<Cell>() <= 32,
            "{}",
            std::mem::size_of::<Cell>()
        );
        assert!(
            std::mem::size_of::<Row>() <= 24,
            "{}",
            std::mem::size_of::<Row>()
        );
    }

    #[test]
    fn escaped_strings_are_decoded_and_plain_ones_borrowed() {
        let data = Dataset::from_json(
            r#"{"defects":[{"type":"defect","id":"1","name":"a\"b\u00e9","description":"plain"}]}"#,
        )
        .unwrap();
        let row = 0;
        let name = data.field("name").unwrap();
        let Some(Cell::Text(extent)) = data.cell(row, name) else {
            panic!("no name")
        };
        assert_eq!(data.text(*extent), "a\"bé");
        let description = data.field("description").unwrap();
        let Some(Cell::Text(extent)) = data.cell(row, description) else {
            panic!("no description")
        };
        assert_eq!(data.text(*extent), "plain");
        assert!(
            data.json_of(data.row(row))
                .starts_with(r#"{"type":"defect""#)
        );
    }

    #[test]
    fn a_wrong_shape_is_refused_where_it_is() {
        let refused = |text: &str| Dataset::from_json(text).unwrap_err();
        let top = refused("[1]");
        assert_eq!(top.kind, EvalErrorKind::NotCollections);
        assert!(top.message.starts_with("expected an object of collections"));
        let collection = refused(r#"{"defects": "x"}"#);
        assert_eq!(collection.collection.as_deref(), Some("defects"));
        assert!(collection.message.contains("or an array"), "{collection}");
        assert!(collection.span.start >= 12, "{:?}", collection.span);
        let response = refused(r#"{"defects": {"total_count": 0}}"#);
        assert_eq!(response.collection.as_deref(), Some("defects"));
        let item = refused(r#"{"defects": [{"id":"1"}, 7]}"#);
        assert_eq!(item.message, "item 1 is not an object");
        assert_eq!(item.span.start, 25);
        let broken = refused(r#"{"defects": [{"id":"1"}"#);
        assert_eq!(broken.kind, EvalErrorKind::MalformedJson);
    }

    #[test]
    fn an_entity_without_type_or_id_loads() {
        // Its id is no text of the input: it must not be located in it.
        let data = Dataset::from_json(r#"{"things":[{"name":"a"},{"id":""}]}"#).unwrap();
        assert_eq!(data.row_count(), 2);
        assert_eq!(data.id_of(data.row(0)), "");
        assert_eq!(data.entity_of(data.row(0)), "things");
    }

    #[test]
    fn a_member_written_twice_counts_once_the_last_time() {
        let data = Dataset::from_json(
            r#"{"defects":[{"type":"defect","id":"1","story_points":1,"story_points":7}]}"#,
        )
        .unwrap();
        let field = data.field("story_points").unwrap();
        assert_eq!(data.cell(0, field), Some(&Cell::Number(7.0)));
    }
}
