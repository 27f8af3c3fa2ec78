//! `collectionPath`: the path of a REST collection request, the query
//! checked and encoded. Part of the app entry: `OctaneClient` builds every
//! request with it.

use octane_odata::{RestRequest, rest_path};
use octane_query::SourceIndex;
use wasm_bindgen::prelude::*;

use crate::convert::{
    Members, OptCollectionOptions, app_error, diagnostics_error, optional, string_arg,
};

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
    // `CollectionOptions`; the schema is read by its id (see
    // `check_with_schema`).
    let given = Members::read(
        options,
        "options",
        &[
            "query", "fields", "orderBy", "limit", "offset", "id", "schema",
        ],
    )?;
    let query = given.string("query")?;
    let request = RestRequest {
        collection,
        query: query.clone(),
        fields: given.strings("fields")?,
        order_by: given.string("orderBy")?,
        limit: given.count("limit", u64::MAX)?,
        offset: given.count("offset", u64::MAX)?,
    };
    let id = given.text("id")?;
    if let Some(source) = &query {
        crate::schema::check_with_schema(options, source, &request.collection)?;
    }
    let path =
        rest_path(&request).map_err(|d| url_error(&d, query.as_deref().unwrap_or_default()))?;
    let Some(id) = id else {
        return Ok(path);
    };
    octane_app::entity_path(&path, &id).map_err(|e| app_error(&e))
}
