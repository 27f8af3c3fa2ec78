//! Exports of OData: `parseOData`, `explainOData`, `odataToQuery`, `queryToOData`,
//! `buildRestUrl`, `buildODataUrl`.

use js_sys::Error;
use octane_odata::{
    ODataRequestParts, RestRequest, SystemQueryOptions, TranslateOptions, Workspace,
    build_odata_url, build_rest_url, explain_filter, odata_to_query, parse_odata, percent_decode,
    query_to_odata,
};
use octane_query::SourceIndex;
use octane_schema::SchemaRegistry;
use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};
use wasm_bindgen::prelude::*;

use crate::collection::url_error;
use crate::convert::{
    Members, OptTranslateOptions, diagnostics_error, js_diagnostics, optional, string_arg, to_js,
};
use crate::schema::{schema_id, with_schema};
use crate::tape::to_js_with;
use crate::tree::TreeWriter;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** The system query options of an OData request or `$expand` item. */
export interface ODataOptions {
  select?: string[];
  /** `$filter` as written (decoded). */
  filter?: string;
  orderBy?: { expr: string; descending: boolean }[];
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

/** One node of a `$filter` tree. */
export interface ODataNode {
  kind: "binary" | "unary" | "call" | "list" | "path" | "literal" | "json" | "lambda";
  /** The operator (`and`, `eq`, `not`, `-`), the function's name, the literal's type or the path as written. */
  label: string;
  /** Its text, parentheses written around it excluded (UTF-16). */
  span: Span;
  children: ODataNode[];
}

/** How a `$filter` groups. */
export interface ODataExplanation {
  /** Every operation in parentheses, operators in lower case: `(true or ((not false) and true))`. */
  parenthesized: string;
  ast: ODataNode;
  /** Warnings (an explained filter has no errors). */
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
  orderBy?: string;
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

/// A request's system query options as JavaScript sees them: each one
/// given, in this order, then `other`. Written by hand rather than
/// derived so that a request can hold them among its own members without
/// `#[serde(flatten)]`, which writes every key as a string at run time.
struct JsOptions {
    select: Option<Vec<String>>,
    filter: Option<String>,
    order_by: Option<Vec<JsOrder>>,
    top: Option<u64>,
    skip: Option<u64>,
    count: Option<bool>,
    search: Option<String>,
    format: Option<String>,
    expand: Option<Vec<JsExpand>>,
    other: Vec<(String, String)>,
}

impl JsOptions {
    /// How many members `write` writes.
    fn len(&self) -> usize {
        [
            self.select.is_some(),
            self.filter.is_some(),
            self.order_by.is_some(),
            self.top.is_some(),
            self.skip.is_some(),
            self.count.is_some(),
            self.search.is_some(),
            self.format.is_some(),
            self.expand.is_some(),
            true,
        ]
        .into_iter()
        .filter(|&given| given)
        .count()
    }

    /// Writes the options given, then `other`, as members of `out`.
    fn write<S: SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error> {
        fn given<S: SerializeStruct, T: Serialize>(
            out: &mut S,
            name: &'static str,
            value: Option<&T>,
        ) -> Result<(), S::Error> {
            value.map_or(Ok(()), |value| out.serialize_field(name, value))
        }
        given(out, "select", self.select.as_ref())?;
        given(out, "filter", self.filter.as_ref())?;
        given(out, "orderBy", self.order_by.as_ref())?;
        given(out, "top", self.top.as_ref())?;
        given(out, "skip", self.skip.as_ref())?;
        given(out, "count", self.count.as_ref())?;
        given(out, "search", self.search.as_ref())?;
        given(out, "format", self.format.as_ref())?;
        given(out, "expand", self.expand.as_ref())?;
        out.serialize_field("other", &self.other)
    }
}

impl Serialize for JsOptions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("JsOptions", self.len())?;
        self.write(&mut out)?;
        out.end()
    }
}

fn js_options(input: &str, options: SystemQueryOptions) -> JsOptions {
    JsOptions {
        select: options.select,
        filter: options.filter_text,
        order_by: options.orderby.map(|items| {
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

/// `ODataRequest`: the path's parts, then the options, then the
/// diagnostics, as members of one object.
struct JsRequest<D> {
    entity_set: Option<String>,
    key: Option<String>,
    path: Vec<String>,
    options: JsOptions,
    diagnostics: D,
}

impl<D: Serialize> Serialize for JsRequest<D> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = usize::from(self.entity_set.is_some())
            + usize::from(self.key.is_some())
            + 2
            + self.options.len();
        let mut out = serializer.serialize_struct("JsRequest", len)?;
        if let Some(entity_set) = &self.entity_set {
            out.serialize_field("entitySet", entity_set)?;
        }
        if let Some(key) = &self.key {
            out.serialize_field("key", key)?;
        }
        out.serialize_field("path", &self.path)?;
        self.options.write(&mut out)?;
        out.serialize_field("diagnostics", &self.diagnostics)?;
        out.end()
    }
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

/// How a `$filter` groups: its fully parenthesised form (every binary
/// operation `(left op right)`, `(not x)`, `(-x)`, calls and lists
/// without spaces, paths and literals as written) and its tree. Throws a
/// `DiagnosticsError` for an invalid filter.
#[wasm_bindgen(js_name = explainOData, unchecked_return_type = "ODataExplanation")]
pub fn explain_odata_js(
    #[wasm_bindgen(unchecked_param_type = "string")] filter: JsValue,
) -> Result<JsValue, JsValue> {
    let filter = string_arg(&filter, "filter")?;
    let index = SourceIndex::new(&filter);
    let explanation =
        explain_filter(&filter).map_err(|d| diagnostics_error(&index, std::slice::from_ref(&d)))?;
    // `ODataExplanation`: the tree's nodes with a tag of their own.
    to_js_with(|out| {
        out.object(3)?;
        out.name("parenthesized")?;
        explanation.parenthesized.serialize(&mut *out)?;
        out.name("ast")?;
        TreeWriter { out, index: &index }.odata(&explanation.tree)?;
        out.name("diagnostics")?;
        out.array(0)
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
    // `TranslateOptions`: the schema is read by its id (see `schema_id`).
    let entity = Members::read(options, "options", &["entity", "schema"])?.string("entity")?;
    let id = if options.is_object() {
        schema_id(options)?
    } else {
        SchemaRegistry::BUILTIN
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

/// The members of `RestUrlOptions` and `ODataUrlOptions` that say where
/// the workspace is.
const WORKSPACE: [&str; 3] = ["server", "sharedSpace", "workspace"];

/// Reads a required options object (`undefined` is a `TypeError` too)
/// with the workspace's members and `more`, and the workspace.
fn required(options: &JsValue, more: &[&str]) -> Result<(Members, Workspace), JsValue> {
    if !options.is_object() {
        return Err(js_sys::TypeError::new("`options` must be an object").into());
    }
    let accepted: Vec<&str> = WORKSPACE.iter().chain(more).copied().collect();
    let given = Members::read(options, "options", &accepted)?;
    let workspace = Workspace {
        server: given.text("server")?.unwrap_or_default(),
        shared_space: given.text("sharedSpace")?.unwrap_or_default(),
        workspace: given.text("workspace")?.unwrap_or_default(),
    };
    Ok((given, workspace))
}

/// The REST collection URL, `query="..."` encoded. Throws a
/// `DiagnosticsError` for an invalid query or URL part.
#[wasm_bindgen(js_name = buildRestUrl)]
pub fn build_rest_url_js(
    #[wasm_bindgen(unchecked_param_type = "RestUrlOptions")] options: JsValue,
) -> Result<String, JsValue> {
    // `RestUrlOptions`.
    let (given, workspace) = required(
        &options,
        &[
            "collection",
            "query",
            "fields",
            "orderBy",
            "limit",
            "offset",
        ],
    )?;
    let query = given.string("query")?;
    let request = RestRequest {
        collection: given.string("collection")?.unwrap_or_default(),
        query: query.clone(),
        fields: given.strings("fields")?,
        order_by: given.string("orderBy")?,
        limit: given.count("limit", u64::MAX)?,
        offset: given.count("offset", u64::MAX)?,
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
    // `ODataUrlOptions`.
    let (given, workspace) = required(
        &options,
        &[
            "entitySet",
            "filter",
            "select",
            "orderBy",
            "top",
            "skip",
            "count",
            "expand",
        ],
    )?;
    let filter = given.string("filter")?;
    let request = ODataRequestParts {
        entity_set: given.string("entitySet")?.unwrap_or_default(),
        filter: filter.clone(),
        select: given.strings("select")?,
        orderby: given.string("orderBy")?,
        top: given.count("top", u64::MAX)?,
        skip: given.count("skip", u64::MAX)?,
        count: given.flag_given("count")?,
        expand: given.string("expand")?,
    };
    build_odata_url(&workspace, &request)
        .map_err(|d| url_error(&d, filter.as_deref().unwrap_or_default()))
}
