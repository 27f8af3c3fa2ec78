//! Exports of the evaluator: the `Dataset` class and the flows gallery.

use js_sys::Error;
use octane_eval::sample::{CURRENT_RELEASE, CURRENT_USER, SampleOptions};
use octane_eval::{Dataset as CoreDataset, DatasetQueryOptions, EvalOptions, Missing};
use octane_query::SourceIndex;
use octane_schema::SchemaRegistry;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{
    Members, OptDatasetQueryOptions, OptLoadOptions, OptSampleOptions, diagnostics_error,
    json_text, optional, string_arg, to_js,
};
use crate::rows::RowSlots;
use crate::schema::{given_schema_id, shared_schema};

#[wasm_bindgen(module = "/js/rows.js")]
extern "C" {
    /// The query result of the page `codes` names (see `rows.rs`), the
    /// rows new to `store` given as the JSON array `fresh`.
    #[wasm_bindgen(js_name = pageOf, catch)]
    fn page_of(
        store: &js_sys::Array,
        codes: &[u32],
        fresh: &str,
        total_count: f64,
    ) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
export interface SampleOptions {
  /** The random seed (default 2026): the same seed gives the same data. */
  seed?: number;
  /** Size multiplier, 1 to 50 (default 1: about four thousand entities). */
  scale?: number;
}

export interface LoadOptions {
  /** The schema that types the values (a workspace's own metadata); the built-in schema by default. */
  schema?: Schema;
}

export interface DatasetQueryOptions {
  /** The user id `[current_user]` stands for (the sample's own by default). */
  currentUser?: string;
  /** The release id `[current_release]` stands for (the sample's own by default). */
  currentRelease?: string;
  /** `order_by`: `name,-id`. */
  orderBy?: string;
  /** `limit`: 1 to 2000 (default 2000). */
  limit?: number;
  /** `offset`: from 0. */
  offset?: number;
  /** `fields`: the fields to return besides `type` and `id`. */
  fields?: string[];
  /** Compare strings case-sensitively (default false). */
  caseSensitive?: boolean;
  /** How a comparison with a missing value reads: "unknown" (default, as SQL) or "false". */
  missing?: "unknown" | "false";
}

/**
 * A collection response, as the REST API's (Octane's own keys, as `OctaneClient.getCollection` returns them).
 * The entities are shared between results and frozen: the same entity is the same object in every
 * result with the same `fields`. Copy one (`structuredClone(row)`) to change it.
 */
export interface QueryResult {
  /** The page of entities, each as the loaded JSON wrote it (or only `type`, `id` and the `fields` asked for). */
  data: Readonly<Record<string, unknown>>[];
  /** How many entities matched, before paging. */
  total_count: number;
  /** Always false: the count is exact. */
  exceeds_total_count: boolean;
}

export interface CollectionInfo { name: string; count: number }

/** A flow of the gallery. */
export interface Example { title: string; entity: string; query: string; description: string }
"#;

/// Octane-shaped collections, loaded into the module once; queries run
/// without copying the data across the boundary.
#[wasm_bindgen]
pub struct Dataset {
    inner: CoreDataset,
    current_user: Option<String>,
    current_release: Option<String>,
    /// The row objects results share, by slot (see `rows.rs`).
    store: js_sys::Array,
    /// Which row each slot of `store` holds.
    slots: RowSlots,
}

#[derive(Serialize)]
struct CollectionInfo<'a> {
    name: &'a str,
    count: usize,
}

#[wasm_bindgen]
impl Dataset {
    /// The generated sample workspace (embedded: no network needed).
    #[wasm_bindgen(js_name = sample)]
    pub fn sample(options: Option<OptSampleOptions>) -> Result<Dataset, JsValue> {
        // `SampleOptions`.
        let given = Members::read(&optional(options), "options", &["seed", "scale"])?;
        let seed = given.count("seed", u64::MAX)?;
        // At most u32::MAX, so the conversion holds.
        let scale = given
            .count("scale", u32::MAX.into())?
            .map(|scale| u32::try_from(scale).unwrap_or(u32::MAX));
        let options = SampleOptions::checked(seed, scale)
            .map_err(|message| JsValue::from(js_sys::RangeError::new(&message)))?;
        Ok(Dataset {
            inner: CoreDataset::sample(options),
            current_user: Some(CURRENT_USER.to_owned()),
            current_release: Some(CURRENT_RELEASE.to_owned()),
            store: js_sys::Array::new(),
            slots: RowSlots::new(),
        })
    }

    /// Collections by name, each a REST response or an array:
    /// `{"defects": {"data": [...]}, "releases": [...]}` (a JSON string or
    /// an object). Values are typed by `options.schema` (a workspace's
    /// own metadata), the built-in schema by default. Throws an `Error`
    /// saying what is wrong.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string | object")] collections: JsValue,
        options: Option<OptLoadOptions>,
    ) -> Result<Dataset, JsValue> {
        let options: &JsValue = &optional(options);
        // `LoadOptions`: the schema is read by its id (see
        // `given_schema_id`).
        Members::read(options, "options", &["schema"])?;
        let schema = if options.is_object() {
            given_schema_id(options)?
        } else {
            None
        };
        let schema = shared_schema(schema.unwrap_or(SchemaRegistry::BUILTIN))
            .ok_or_else(|| JsValue::from(Error::new("this Schema was freed")))?;
        let text = json_text(&collections, "collections")?;
        let inner = CoreDataset::from_text(text, schema)
            .map_err(|(e, text)| diagnostics_error(&SourceIndex::new(&text), &[e.diagnostic()]))?;
        Ok(Dataset {
            inner,
            current_user: None,
            current_release: None,
            store: js_sys::Array::new(),
            slots: RowSlots::new(),
        })
    }

    /// The collections as loaded, with their sizes.
    #[wasm_bindgen(unchecked_return_type = "CollectionInfo[]")]
    pub fn collections(&self) -> Result<JsValue, JsValue> {
        let list: Vec<CollectionInfo> = self
            .inner
            .collections()
            .iter()
            .map(|(name, count)| CollectionInfo {
                name,
                count: *count,
            })
            .collect();
        to_js(&list)
    }

    /// Runs a query on a collection, as `GET .../<collection>?query=...`
    /// would. Throws a `DiagnosticsError` for an invalid query or option.
    /// The entities are shared with other results, and frozen.
    #[wasm_bindgen(unchecked_return_type = "QueryResult")]
    pub fn query(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] collection: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
        options: Option<OptDatasetQueryOptions>,
    ) -> Result<JsValue, JsValue> {
        let collection = string_arg(&collection, "collection")?;
        let source = string_arg(&source, "source")?;
        // `DatasetQueryOptions`.
        let given = Members::read(
            &optional(options),
            "options",
            &[
                "currentUser",
                "currentRelease",
                "orderBy",
                "limit",
                "offset",
                "fields",
                "caseSensitive",
                "missing",
            ],
        )?;
        let missing = match given.string("missing")?.as_deref() {
            None | Some("unknown") => Missing::Unknown,
            Some("false") => Missing::False,
            Some(other) => {
                return Err(js_sys::TypeError::new(&format!(
                    "`options.missing` must be \"unknown\" or \"false\", not \"{other}\""
                ))
                .into());
            }
        };
        let query_options = DatasetQueryOptions {
            eval: EvalOptions {
                current_user: given
                    .string("currentUser")?
                    .or_else(|| self.current_user.clone()),
                current_release: given
                    .string("currentRelease")?
                    .or_else(|| self.current_release.clone()),
                case_sensitive: given.flag("caseSensitive")?,
                missing,
            },
            order_by: given.string("orderBy")?,
            limit: given.number("limit")?,
            offset: given.number("offset")?,
            fields: given.strings_given("fields")?,
            ..DatasetQueryOptions::default()
        };
        let (total_count, rows) = self
            .inner
            .select(&collection, &source, &query_options)
            .map_err(|diagnostics| diagnostics_error(&SourceIndex::new(&source), &diagnostics))?;
        // Rows new to the store are written as JSON text straight from the
        // dataset's own text, and `JSON.parse` builds their objects: far
        // faster than building them field by field across the boundary.
        let fields = query_options.fields.as_deref();
        let inner = &self.inner;
        let (codes, fresh) = self.slots.page(fields, &rows, |out, row| {
            inner.write_row(out, row, fields);
        });
        // A count is far below 2^53.
        #[allow(clippy::cast_precision_loss)]
        page_of(&self.store, &codes, &fresh, total_count as f64).inspect_err(|_| {
            // The store may not hold what the slots say: start over.
            self.slots = RowSlots::new();
        })
    }
}

/// The flows gallery: Octane's common read flows as queries on the sample
/// workspace.
#[wasm_bindgen(unchecked_return_type = "Example[]")]
pub fn examples() -> Result<JsValue, JsValue> {
    to_js(octane_eval::examples())
}
