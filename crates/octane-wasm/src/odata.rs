//! Exports of OData: `parseOData`, `odataToQuery`, `queryToOData`,
//! `buildRestUrl`, `buildODataUrl`.

use js_sys::{Error, Reflect};
use octane_odata::{
    ODataRequestParts, QueryOptions, RestRequest, TranslateOptions, Workspace, build_odata_url,
    build_rest_url, odata_to_query, parse_odata, percent_decode, query_to_odata, rest_path,
};
use octane_query::SourceIndex;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{
    OptCollectionOptions, OptTranslateOptions, app_error, diagnostics_error, js_diagnostics,
    optional, string_arg, string_list, to_js,
};
use crate::schema::{schema_id, with_schema};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** The system query options of an OData request or `$expand` item. */
export interface ODataOptions {
  select?: string[];
  /** `$filter` as written (decoded). */
  filter?: string;
  orderby?: { expr: string; descending: boolean }[];
  top?: number;
  skip?: number;
  count?: boolean;
  search?: string;
  format?: string;
  expand?: { path: string; options: ODataOptions }[];
  /** Other options (`$compute`, custom ones, `@aliases`), decoded. */
  other: [string, string][];
}

/** A parsed OData URL or query string. */
export interface ODataRequest extends ODataOptions {
  entitySet?: string;
  key?: string;
  /** Path segments after the entity set or key (`name`, `$value`). */
  path: string[];
  diagnostics: Diagnostic[];
}

export interface TranslateOptions {
  /** The entity queried, so that `null` on a reference becomes `{null}`. */
  entity?: string;
  schema?: Schema;
}

export interface WorkspaceUrl {
  /** `https://octane.example.com` */
  server: string;
  sharedSpace: string | number;
  workspace: string | number;
}

export interface RestUrlOptions extends WorkspaceUrl {
  collection: string;
  query?: string;
  fields?: string[];
  orderBy?: string;
  limit?: number;
  offset?: number;
}

export interface ODataUrlOptions extends WorkspaceUrl {
  entitySet: string;
  filter?: string;
  select?: string[];
  orderby?: string;
  top?: number;
  skip?: number;
  count?: boolean;
  expand?: string;
}
"#;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsOrder {
    expr: String,
    descending: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsExpand {
    path: String,
    options: JsOptions,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    select: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    orderby: Option<Vec<JsOrder>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    top: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expand: Option<Vec<JsExpand>>,
    other: Vec<(String, String)>,
}

fn js_options(input: &str, options: QueryOptions) -> JsOptions {
    JsOptions {
        select: options.select,
        filter: options.filter_text,
        orderby: options.orderby.map(|items| {
            items
                .into_iter()
                .map(|item| JsOrder {
                    expr: percent_decode(input.get(item.expr.span.range()).unwrap_or_default()).0,
                    descending: item.descending,
                })
                .collect()
        }),
        top: options.top,
        skip: options.skip,
        count: options.count,
        search: options.search,
        format: options.format,
        expand: options.expand.map(|items| {
            items
                .into_iter()
                .map(|item| JsExpand {
                    path: item.path,
                    options: js_options(input, item.options),
                })
                .collect()
        }),
        other: options.other,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsRequest<D> {
    #[serde(skip_serializing_if = "Option::is_none")]
    entity_set: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    path: Vec<String>,
    #[serde(flatten)]
    options: JsOptions,
    diagnostics: D,
}

/// Parses a whole OData URL, a path, or a query string. Never throws for
/// bad input: `diagnostics` says what is wrong (UTF-16 spans).
#[wasm_bindgen(js_name = parseOData, unchecked_return_type = "ODataRequest")]
pub fn parse_odata_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let input = string_arg(&input, "input")?;
    let parsed = parse_odata(&input);
    let index = SourceIndex::new(&input);
    let request = parsed.request;
    to_js(&JsRequest {
        entity_set: request.entity_set,
        key: request.key,
        path: request.path,
        options: js_options(&input, request.options),
        diagnostics: js_diagnostics(&index, &parsed.diagnostics),
    })
}

/// An OData `$filter` as the canonical REST query. Throws a
/// `DiagnosticsError` pointing at what cannot be translated.
#[wasm_bindgen(js_name = odataToQuery)]
pub fn odata_to_query_js(
    #[wasm_bindgen(unchecked_param_type = "string")] filter: JsValue,
    options: Option<OptTranslateOptions>,
) -> Result<String, JsValue> {
    let options: &JsValue = &optional(options);
    let filter = string_arg(&filter, "filter")?;
    let (entity, id) = if options.is_undefined() || options.is_null() {
        (None, 0)
    } else {
        let entity = Reflect::get(options, &JsValue::from_str("entity"))?;
        let entity = if entity.is_undefined() || entity.is_null() {
            None
        } else {
            Some(string_arg(&entity, "options.entity")?)
        };
        (entity, schema_id(options)?)
    };
    with_schema(id, |schema| {
        let options = TranslateOptions {
            entity: entity.as_deref(),
            schema: Some(schema),
        };
        odata_to_query(&filter, &options)
            .map_err(|d| diagnostics_error(&SourceIndex::new(&filter), &d))
    })
    .unwrap_or_else(|| Err(Error::new("this Schema was freed").into()))
}

/// A REST query as an OData `$filter`. Throws a `DiagnosticsError` for
/// what OData cannot say (`[current_user]`, patterns with `*` inside).
#[wasm_bindgen(js_name = queryToOData)]
pub fn query_to_odata_js(
    #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
) -> Result<String, JsValue> {
    let source = string_arg(&source, "source")?;
    query_to_odata(&source).map_err(|d| diagnostics_error(&SourceIndex::new(&source), &d))
}

/// Reads a property: `None` when absent.
fn get(options: &JsValue, name: &str) -> Result<Option<JsValue>, JsValue> {
    let value = Reflect::get(options, &JsValue::from_str(name))?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

fn text(options: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    get(options, name)?
        .map(|v| match v.as_f64() {
            Some(n) => Ok(n.to_string()),
            None => string_arg(&v, name),
        })
        .transpose()
}

fn count(options: &JsValue, name: &str) -> Result<Option<u64>, JsValue> {
    get(options, name)?
        .map(|v| {
            v.as_f64()
                .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= 9_007_199_254_740_991.0)
                // Range checked: a safe, non-negative integer.
                .map(|n| {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let n = n as u64;
                    n
                })
                .ok_or_else(|| {
                    JsValue::from(js_sys::TypeError::new(&format!(
                        "`{name}` must be a whole number, 0 or more"
                    )))
                })
        })
        .transpose()
}

fn names(options: &JsValue, name: &str) -> Result<Vec<String>, JsValue> {
    let Some(value) = get(options, name)? else {
        return Ok(Vec::new());
    };
    string_list(&value, name)
}

fn workspace(options: &JsValue) -> Result<Workspace, JsValue> {
    if !options.is_object() {
        return Err(js_sys::TypeError::new("`options` must be an object").into());
    }
    Ok(Workspace {
        server: text(options, "server")?.unwrap_or_default(),
        shared_space: text(options, "sharedSpace")?.unwrap_or_default(),
        workspace: text(options, "workspace")?.unwrap_or_default(),
    })
}

fn url_error(diagnostics: &[octane_query::Diagnostic], source: &str) -> JsValue {
    diagnostics_error(&SourceIndex::new(source), diagnostics)
}

/// The path of a collection request relative to the workspace:
/// `defects?query="..."&fields=...`, the query checked and encoded: its
/// syntax always, its fields and values too when `options.schema` is
/// given. `OctaneClient.getCollection` uses it. Throws a
/// `DiagnosticsError`.
#[wasm_bindgen(js_name = collectionPath)]
pub fn collection_path(
    #[wasm_bindgen(unchecked_param_type = "string")] collection: JsValue,
    options: Option<OptCollectionOptions>,
) -> Result<String, JsValue> {
    let options: &JsValue = &optional(options);
    let collection = string_arg(&collection, "collection")?;
    let empty = js_sys::Object::new().into();
    let options = if options.is_object() { options } else { &empty };
    let query = text(options, "query")?;
    if let Some(source) = &query {
        crate::schema::check_with_schema(options, source, &collection)?;
    }
    let request = RestRequest {
        collection,
        query: query.clone(),
        fields: names(options, "fields")?,
        order_by: text(options, "orderBy")?,
        limit: count(options, "limit")?,
        offset: count(options, "offset")?,
    };
    let path =
        rest_path(&request).map_err(|d| url_error(&d, query.as_deref().unwrap_or_default()))?;
    let id = get(options, "id")?;
    let Some(id) = id else {
        return Ok(path);
    };
    let id = match id.as_f64() {
        Some(n) => n.to_string(),
        None => string_arg(&id, "options.id")?,
    };
    let segment = octane_app::id_segment(&id, "the entity id").map_err(|e| app_error(&e))?;
    Ok(match path.split_once('?') {
        Some((collection, rest)) => format!("{collection}/{segment}?{rest}"),
        None => format!("{path}/{segment}"),
    })
}

/// The REST collection URL, `query="..."` encoded. Throws a
/// `DiagnosticsError` for an invalid query or URL part.
#[wasm_bindgen(js_name = buildRestUrl)]
pub fn build_rest_url_js(
    #[wasm_bindgen(unchecked_param_type = "RestUrlOptions")] options: JsValue,
) -> Result<String, JsValue> {
    let workspace = workspace(&options)?;
    let query = text(&options, "query")?;
    let request = RestRequest {
        collection: text(&options, "collection")?.unwrap_or_default(),
        query: query.clone(),
        fields: names(&options, "fields")?,
        order_by: text(&options, "orderBy")?,
        limit: count(&options, "limit")?,
        offset: count(&options, "offset")?,
    };
    build_rest_url(&workspace, &request)
        .map_err(|d| url_error(&d, query.as_deref().unwrap_or_default()))
}

/// The OData URL with its system query options. Throws a
/// `DiagnosticsError` for an invalid `$filter`, `$expand` or URL part.
#[wasm_bindgen(js_name = buildODataUrl)]
pub fn build_odata_url_js(
    #[wasm_bindgen(unchecked_param_type = "ODataUrlOptions")] options: JsValue,
) -> Result<String, JsValue> {
    let workspace = workspace(&options)?;
    let filter = text(&options, "filter")?;
    let request = ODataRequestParts {
        entity_set: text(&options, "entitySet")?.unwrap_or_default(),
        filter: filter.clone(),
        select: names(&options, "select")?,
        orderby: text(&options, "orderby")?,
        top: count(&options, "top")?,
        skip: count(&options, "skip")?,
        count: get(&options, "count")?.map(|v| v.is_truthy()),
        expand: text(&options, "expand")?,
    };
    build_odata_url(&workspace, &request)
        .map_err(|d| url_error(&d, filter.as_deref().unwrap_or_default()))
}
