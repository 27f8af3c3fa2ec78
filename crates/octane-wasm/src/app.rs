//! Exports for the apps external actions open: `ActionContext` and the
//! query template builder behind `octaneQuery`.

use js_sys::{Date, Reflect};
use octane_app::{self as app, QueryTemplateError, TemplateValue};
use octane_query::{Diagnostic, SourceIndex};
use wasm_bindgen::prelude::*;

use crate::convert::{
    Members, OptContextOptions, OptLocation, app_error, array_items, date_iso_string,
    diagnostics_error, is_array, optional, string_arg, to_js,
};
use crate::urls::BrowserUrl;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** How `ActionContext.fromLocation` decides which Octane to trust. */
export interface ContextOptions {
  /**
   * The exact origins of the Octane sites this app trusts, such as
   * `["https://octane.example.com"]`. By default only the app's own origin:
   * an app that Octane serves (a bundle) trusts the Octane that serves it.
   */
  octaneOrigins?: string[];
}

/** A value `octaneQuery` can interpolate. */
export type QueryValue = string | number | boolean | null | Date | (string | number | boolean | null | Date)[];
"#;

/// The context Octane substituted into the app's URL: the selected
/// entities, the shared space and workspace, the user, the dialog.
#[wasm_bindgen]
pub struct ActionContext {
    inner: app::ActionContext,
}

/// The `href` of a `Location` or `URL`, or the string itself;
/// `window.location` when `value` is undefined.
fn href(value: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    let source = if value.is_undefined() || value.is_null() {
        let location = Reflect::get(&js_sys::global(), &"location".into())?;
        if location.is_undefined() {
            return Err(js_sys::TypeError::new(
                "there is no window.location here: pass the app's URL, such as ActionContext.fromLocation(request.url)",
            )
            .into());
        }
        location
    } else {
        value.clone()
    };
    Reflect::get(&source, &"href".into())?
        .as_string()
        .ok_or_else(|| {
            js_sys::TypeError::new("`location` must be a Location, a URL or a string").into()
        })
}

/// `location.ancestorOrigins[0]`: the origin of the frame that embeds
/// this page, where the browser tells (Chromium, Safari).
fn embedder_origin() -> Option<String> {
    let location = Reflect::get(&js_sys::global(), &"location".into()).ok()?;
    let ancestors = Reflect::get(&location, &"ancestorOrigins".into()).ok()?;
    if ancestors.is_undefined() || ancestors.is_null() {
        return None;
    }
    Reflect::get(&ancestors, &0.into()).ok()?.as_string()
}

/// The origin of `document.referrer`, when there is one.
fn referrer_origin() -> Option<String> {
    let document = Reflect::get(&js_sys::global(), &"document".into()).ok()?;
    if document.is_undefined() || document.is_null() {
        return None;
    }
    let referrer = Reflect::get(&document, &"referrer".into())
        .ok()?
        .as_string()?;
    app::origin(&BrowserUrl, &referrer)
}

impl ActionContext {
    /// The core context.
    pub(crate) fn inner(&self) -> &app::ActionContext {
        &self.inner
    }
}

#[wasm_bindgen]
impl ActionContext {
    /// Reads the context from a `Location`, a `URL` or a URL string
    /// (`window.location` when omitted): tokens from the query string and
    /// the fragment. Throws an `Error` with `code` and `help` naming the
    /// parameter when a token arrived unsubstituted or `shared_space` or
    /// `workspace` is missing.
    ///
    /// `options.octaneOrigins` lists the exact origins of the Octane sites
    /// the app trusts; by default only the app's own origin (an app that
    /// Octane serves). A URL whose `octane_url` names another origin is
    /// refused (X0009), and so is a page that another origin embedded
    /// (`location.ancestorOrigins`) or opened (`document.referrer`).
    #[wasm_bindgen(js_name = fromLocation)]
    pub fn from_location(
        location: Option<OptLocation>,
        options: Option<OptContextOptions>,
    ) -> Result<ActionContext, JsValue> {
        let location: &JsValue = &optional(location);
        let options: &JsValue = &optional(options);
        let url = href(location)?;
        // `ContextOptions`.
        let octane_origins =
            Members::read(options, "options", &["octaneOrigins"])?.strings("octaneOrigins")?;
        let inner = app::ActionContext::from_url(&url, &BrowserUrl).map_err(|e| app_error(&e))?;
        let trust = app::Trust {
            octane_origins,
            embedder_origin: embedder_origin(),
            referrer_origin: referrer_origin(),
        };
        let app_origin = app::origin(&BrowserUrl, &url).unwrap_or_default();
        trust
            .check(&inner, &app_origin, &BrowserUrl)
            .map_err(|e| app_error(&e))?;
        Ok(ActionContext { inner })
    }

    /// The ids of the selected entities.
    #[wasm_bindgen(getter, js_name = entityIds)]
    pub fn entity_ids(&self) -> Vec<String> {
        self.inner.entity_ids.clone()
    }

    /// The (aggregated) entity type.
    #[wasm_bindgen(getter, js_name = entityType)]
    pub fn entity_type(&self) -> Option<String> {
        self.inner.entity_type.clone()
    }

    /// The shared space id.
    #[wasm_bindgen(getter, js_name = sharedSpace)]
    pub fn shared_space(&self) -> String {
        self.inner.shared_space.clone()
    }

    /// The workspace id.
    #[wasm_bindgen(getter)]
    pub fn workspace(&self) -> String {
        self.inner.workspace.clone()
    }

    /// The user's login.
    #[wasm_bindgen(getter, js_name = userLogin)]
    pub fn user_login(&self) -> Option<String> {
        self.inner.user_login.clone()
    }

    /// The user's email address.
    #[wasm_bindgen(getter, js_name = userEmail)]
    pub fn user_email(&self) -> Option<String> {
        self.inner.user_email.clone()
    }

    /// The dialog id, for apps in a dialog.
    #[wasm_bindgen(getter, js_name = dialogId)]
    pub fn dialog_id(&self) -> Option<String> {
        self.inner.dialog_id.clone()
    }

    /// The Octane site's URL.
    #[wasm_bindgen(getter, js_name = octaneUrl)]
    pub fn octane_url(&self) -> Option<String> {
        self.inner.octane_url.clone()
    }

    /// The origin of `octaneUrl`: where messages go, and the only origin
    /// they are accepted from.
    #[wasm_bindgen(getter, js_name = octaneOrigin)]
    pub fn octane_origin(&self) -> Option<String> {
        self.inner.octane_origin.clone()
    }

    /// Every parameter of the URL, decoded (the fragment's win).
    #[wasm_bindgen(getter, unchecked_return_type = "Record<string, string>")]
    pub fn params(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.params)
    }
}

/// One interpolated value, by its JavaScript type. An array becomes a
/// list of its items; an array inside it is passed on as an empty list,
/// without reading it (the core refuses nested lists), so neither a deep
/// nor a cyclic array is followed.
fn template_value(value: &JsValue, index: usize, nested: bool) -> Result<TemplateValue, JsValue> {
    if value.is_null() {
        return Ok(TemplateValue::Null);
    }
    if let Some(s) = value.as_string() {
        return Ok(TemplateValue::String(s));
    }
    if let Some(b) = value.as_bool() {
        return Ok(TemplateValue::Boolean(b));
    }
    if let Some(n) = value.as_f64() {
        return Ok(TemplateValue::Number(n));
    }
    if value.dyn_ref::<Date>().is_some() {
        return date_iso_string(value)
            .map(TemplateValue::Date)
            .map_err(|_| {
                js_sys::TypeError::new(&format!("value {index} is an invalid Date")).into()
            });
    }
    if nested && is_array(value)? {
        return Ok(TemplateValue::List(Vec::new()));
    }
    if let Some(items) = array_items(value)? {
        let items: Result<Vec<TemplateValue>, JsValue> = items
            .iter()
            .map(|item| template_value(item, index, true))
            .collect();
        return Ok(TemplateValue::List(items?));
    }
    Err(js_sys::TypeError::new(&format!(
        "value {index} is {}: interpolate strings, numbers, booleans, null, Dates or arrays of them",
        value.js_typeof().as_string().unwrap_or_default()
    ))
    .into())
}

/// The engine of the `octaneQuery` tagged template: `strings` are the
/// template's literal pieces and `values` the interpolated values. Each
/// value becomes one literal of its type, so no value can change the
/// query's structure; returns the canonical query, or throws a
/// `DiagnosticsError`.
#[wasm_bindgen(js_name = buildQuery)]
pub fn build_query(
    #[wasm_bindgen(unchecked_param_type = "readonly string[]")] strings: JsValue,
    #[wasm_bindgen(unchecked_param_type = "QueryValue[]")] values: JsValue,
) -> Result<String, JsValue> {
    let not_a_template = || {
        JsValue::from(js_sys::TypeError::new(
            "call octaneQuery as a tagged template: octaneQuery`name EQ ${value}`",
        ))
    };
    let strings = array_items(&strings)?.ok_or_else(not_a_template)?;
    let values = array_items(&values)?.ok_or_else(not_a_template)?;
    let strings: Vec<String> = strings
        .iter()
        .map(|s| string_arg(s, "strings[]"))
        .collect::<Result<_, _>>()?;
    let values: Vec<TemplateValue> = values
        .iter()
        .enumerate()
        .map(|(i, v)| template_value(v, i, false))
        .collect::<Result<_, _>>()?;
    app::query_template(&strings, &values).map_err(|error| {
        let (text, diagnostics): (String, Vec<Diagnostic>) = match error {
            QueryTemplateError::Query(text, d) => (text, d.0),
            other @ QueryTemplateError::App(_) => (String::new(), other.into()),
        };
        diagnostics_error(&SourceIndex::new(&text), &diagnostics)
    })
}
