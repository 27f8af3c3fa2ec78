//! `collectionPath`: the path of a REST collection request, the query
//! checked and encoded. Part of the app entry: `OctaneClient` builds every
//! request with it.

use octane_odata::{RestRequest, rest_path};
use octane_query::SourceIndex;
use serde::Deserialize;
use serde::de::IgnoredAny;
use wasm_bindgen::prelude::*;

use crate::convert::{
    OptCollectionOptions, Text, app_error, diagnostics_error, optional, read_object, string_arg,
};

/// `CollectionOptions` as JavaScript writes it.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsCollectionOptions {
    query: Option<String>,
    #[serde(default)]
    fields: Vec<String>,
    order_by: Option<String>,
    limit: Option<u64>,
    offset: Option<u64>,
    id: Option<Text>,
    /// A `Schema`, read by its id (see `check_with_schema`).
    #[allow(dead_code)]
    schema: Option<IgnoredAny>,
}

/// The diagnostics of a URL part as a thrown `DiagnosticsError`.
pub(crate) fn url_error(diagnostics: &[octane_query::Diagnostic], source: &str) -> JsValue {
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
    let given: JsCollectionOptions = read_object(options, "options")?;
    if let Some(source) = &given.query {
        crate::schema::check_with_schema(options, source, &collection)?;
    }
    let request = RestRequest {
        collection,
        query: given.query.clone(),
        fields: given.fields,
        order_by: given.order_by,
        limit: given.limit,
        offset: given.offset,
    };
    let path = rest_path(&request)
        .map_err(|d| url_error(&d, given.query.as_deref().unwrap_or_default()))?;
    let Some(Text(id)) = given.id else {
        return Ok(path);
    };
    octane_app::entity_path(&path, &id).map_err(|e| app_error(&e))
}
