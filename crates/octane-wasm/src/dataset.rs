//! Exports of the evaluator: the `Dataset` class and the flows gallery.

use js_sys::{Error, Reflect};
use octane_eval::sample::{self, CURRENT_RELEASE, CURRENT_USER, SampleOptions};
use octane_eval::{Dataset as CoreDataset, EvalOptions, Missing, QueryOptions};
use octane_query::SourceIndex;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{
    OptDatasetQueryOptions, OptLoadOptions, OptSampleOptions, diagnostics_error, json_text,
    optional, string_arg, string_list, to_js,
};
use crate::schema::{given_schema_id, shared_schema};

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

/** A collection response, as the REST API's. */
export interface QueryResult {
  total: number;
  data: Record<string, unknown>[];
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
}

/// Reads an optional property of an options object.
fn property(options: &JsValue, name: &str) -> Result<Option<JsValue>, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(None);
    }
    if !options.is_object() {
        return Err(js_sys::TypeError::new("`options` must be an object").into());
    }
    let value = Reflect::get(options, &JsValue::from_str(name))?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

fn number_property(options: &JsValue, name: &str) -> Result<Option<f64>, JsValue> {
    property(options, name)?
        .map(|v| {
            v.as_f64()
                .ok_or_else(|| js_sys::TypeError::new(&format!("`{name}` must be a number")).into())
        })
        .transpose()
}

fn string_property(options: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    property(options, name)?
        .map(|v| string_arg(&v, name))
        .transpose()
}

#[derive(Serialize)]
struct QueryResult<'a> {
    total: usize,
    data: &'a [serde_json::Value],
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
        let options: &JsValue = &optional(options);
        let seed = number_property(options, "seed")?.unwrap_or(2026.0);
        let scale = number_property(options, "scale")?.unwrap_or(1.0);
        if !(1.0..=50.0).contains(&scale) || scale.fract() != 0.0 {
            return Err(
                js_sys::RangeError::new("`scale` must be a whole number from 1 to 50").into(),
            );
        }
        if !seed.is_finite() || seed < 0.0 || seed.fract() != 0.0 {
            return Err(js_sys::RangeError::new("`seed` must be a whole number, 0 or more").into());
        }
        // Both were range-checked above.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let options = SampleOptions {
            seed: seed as u64,
            scale: scale as u32,
        };
        let inner = CoreDataset::from_value(sample::generate(options))
            .map_err(|e| JsValue::from(Error::new(&e.to_string())))?;
        Ok(Dataset {
            inner,
            current_user: Some(CURRENT_USER.to_owned()),
            current_release: Some(CURRENT_RELEASE.to_owned()),
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
        let schema = if options.is_undefined() || options.is_null() {
            None
        } else if options.is_object() {
            given_schema_id(options)?
        } else {
            return Err(js_sys::TypeError::new("`options` must be an object: { schema? }").into());
        };
        let schema = shared_schema(schema.unwrap_or(0))
            .ok_or_else(|| JsValue::from(Error::new("this Schema was freed")))?;
        let text = json_text(&collections, "collections")?;
        let inner = CoreDataset::from_json_with(&text, schema)
            .map_err(|e| diagnostics_error(&SourceIndex::new(&text), &[e.diagnostic()]))?;
        Ok(Dataset {
            inner,
            current_user: None,
            current_release: None,
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
    #[wasm_bindgen(unchecked_return_type = "QueryResult")]
    pub fn query(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] collection: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
        options: Option<OptDatasetQueryOptions>,
    ) -> Result<JsValue, JsValue> {
        let options: &JsValue = &optional(options);
        let collection = string_arg(&collection, "collection")?;
        let source = string_arg(&source, "source")?;
        let fields = property(options, "fields")?
            .map(|v| string_list(&v, "fields"))
            .transpose()?;
        let missing = match string_property(options, "missing")?.as_deref() {
            None | Some("unknown") => Missing::Unknown,
            Some("false") => Missing::False,
            Some(_) => {
                return Err(
                    js_sys::TypeError::new("`missing` must be \"unknown\" or \"false\"").into(),
                );
            }
        };
        let query_options = QueryOptions {
            eval: EvalOptions {
                current_user: string_property(options, "currentUser")?
                    .or_else(|| self.current_user.clone()),
                current_release: string_property(options, "currentRelease")?
                    .or_else(|| self.current_release.clone()),
                case_sensitive: property(options, "caseSensitive")?.is_some_and(|v| v.is_truthy()),
                missing,
            },
            order_by: string_property(options, "orderBy")?,
            limit: number_property(options, "limit")?,
            offset: number_property(options, "offset")?,
            fields,
            ..QueryOptions::default()
        };
        match self.inner.query(&collection, &source, &query_options) {
            Ok(response) => to_js(&QueryResult {
                total: response.total_count,
                data: &response.data,
            }),
            Err(diagnostics) => Err(diagnostics_error(&SourceIndex::new(&source), &diagnostics)),
        }
    }
}

/// The flows gallery: Octane's common read flows as queries on the sample
/// workspace.
#[wasm_bindgen(unchecked_return_type = "Example[]")]
pub fn examples() -> Result<JsValue, JsValue> {
    to_js(octane_schema::examples())
}
