//! `octaneFetch` and `OctaneClient`: requests to Octane's REST API that
//! carry the XSRF header to Octane's exact origin and nowhere else.

use js_sys::{Array, Function, JSON, Object, Promise, Reflect};
use octane_actions::app::{self, xsrf_allowed};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};

use crate::app::ActionContext;
use crate::convert::{OptFetchOptions, OptRequestInit, optional, string_arg};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
export interface OctaneFetchOptions {
  /**
   * Exact origins (besides Octane's) that may also receive the XSRF
   * header, such as a reverse proxy in front of Octane. Never a boolean.
   */
  xsrfOrigins?: string[];
  /** Send `ALM-OCTANE-TECH-PREVIEW: true` (technical-preview resources). */
  techPreview?: boolean;
}

/** Octane's error response, with the HTTP status. */
export interface OctaneError extends Error {
  name: "OctaneError";
  status: number;
  errorCode?: string;
  description?: string;
  correlationId?: string;
  businessError?: boolean;
}

export interface CollectionOptions {
  /** A query statement: validated locally, sent in canonical form, encoded. */
  query?: string;
  fields?: string[];
  orderBy?: string;
  limit?: number;
  offset?: number;
}

export interface CollectionPage<T = Record<string, unknown>> {
  data: T[];
  total_count: number;
  exceeds_total_count?: boolean;
}
"#;

fn global(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The value of cookie `name` in `document.cookie`, read now.
fn cookie(name: &str) -> Option<String> {
    let document = global("document");
    let cookies = Reflect::get(&document, &"cookie".into())
        .ok()?
        .as_string()?;
    cookies.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then(|| app::decode(value))
    })
}

/// Reads `xsrfOrigins`: an array of strings or nothing. A truthy
/// non-array (such as `true`) is refused, never read as "all origins".
fn xsrf_origins(options: &JsValue) -> Result<Vec<String>, JsValue> {
    if !options.is_object() {
        return Ok(Vec::new());
    }
    let value = Reflect::get(options, &"xsrfOrigins".into())?;
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !Array::is_array(&value) {
        return Err(js_sys::TypeError::new("`xsrfOrigins` must be an array of exact origins, such as [\"https://proxy.example.com\"]").into());
    }
    Array::from(&value)
        .iter()
        .map(|o| string_arg(&o, "xsrfOrigins[]"))
        .collect()
}

fn app_error(error: &app::AppError) -> JsValue {
    let js = js_sys::Error::new(&format!("{} ({})", error.message, error.help));
    let _ = Reflect::set(&js, &"code".into(), &error.code.into());
    js.into()
}

/// Builds the request and calls `fetch`; resolves to the `Response`, or
/// rejects with an `OctaneError` for an error status.
async fn request(
    context: app::ActionContext,
    path: String,
    init: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let url = app::resolve(&context, &path).map_err(|e| app_error(&e))?;
    let extra = xsrf_origins(&options)?;
    let init = if init.is_object() {
        Object::assign(&Object::new(), init.unchecked_ref())
    } else {
        Object::new()
    };
    let headers_class: Function = global("Headers").dyn_into()?;
    let existing = Reflect::get(&init, &"headers".into())?;
    let args = if existing.is_undefined() {
        Array::new()
    } else {
        Array::of1(&existing)
    };
    let headers = Reflect::construct(&headers_class, &args)?;
    let has: Function = Reflect::get(&headers, &"has".into())?.dyn_into()?;
    let set: Function = Reflect::get(&headers, &"set".into())?.dyn_into()?;
    let header_set = |name: &str| {
        has.call1(&headers, &name.into())
            .map_or(true, |v| v.is_truthy())
    };
    // A plain object body is sent as JSON.
    let body = Reflect::get(&init, &"body".into())?;
    let plain = body.is_object()
        && JsValue::from(Object::get_prototype_of(&body))
            == JsValue::from(Object::get_prototype_of(&Object::new()));
    if plain || Array::is_array(&body) {
        Reflect::set(&init, &"body".into(), &JSON::stringify(&body)?.into())?;
        if !header_set("Content-Type") {
            set.call2(&headers, &"Content-Type".into(), &"application/json".into())?;
        }
    }
    if options.is_object()
        && Reflect::get(&options, &"techPreview".into())?.as_bool() == Some(true)
        && !header_set("ALM-OCTANE-TECH-PREVIEW")
    {
        set.call2(&headers, &"ALM-OCTANE-TECH-PREVIEW".into(), &"true".into())?;
    }
    // The XSRF header: read fresh, sent only to the exact Octane origin
    // (or an exact origin the caller listed), never over a caller's value.
    let octane = context.octane_origin().unwrap_or_default();
    if !octane.is_empty() && xsrf_allowed(&url, &octane, &extra) && !header_set("XSRF-HEADER") {
        if let Some(token) = cookie("XSRF_COOKIE") {
            set.call2(&headers, &"XSRF-HEADER".into(), &token.into())?;
        }
    }
    Reflect::set(&init, &"headers".into(), &headers)?;
    if Reflect::get(&init, &"credentials".into())?.is_undefined() {
        Reflect::set(&init, &"credentials".into(), &"include".into())?;
    }
    let fetch: Function = global("fetch").dyn_into()?;
    let promise: Promise = fetch
        .call2(&JsValue::UNDEFINED, &url.into(), &init)?
        .dyn_into()?;
    let response = JsFuture::from(promise).await?;
    let ok = Reflect::get(&response, &"ok".into())?.is_truthy();
    if ok {
        return Ok(response);
    }
    Err(octane_error(&response).await)
}

/// An `OctaneError` from an error response (its JSON body when it has one).
async fn octane_error(response: &JsValue) -> JsValue {
    let status = Reflect::get(response, &"status".into())
        .ok()
        .and_then(|s| s.as_f64())
        .unwrap_or(0.0);
    let body = match Reflect::get(response, &"json".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    {
        Some(json) => match json
            .call0(response)
            .ok()
            .and_then(|p| p.dyn_into::<Promise>().ok())
        {
            Some(promise) => JsFuture::from(promise).await.unwrap_or(JsValue::NULL),
            None => JsValue::NULL,
        },
        None => JsValue::NULL,
    };
    let field = |name: &str| {
        if body.is_object() {
            Reflect::get(&body, &name.into()).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    };
    let description = field("description").as_string();
    let message = description
        .clone()
        .unwrap_or_else(|| format!("Octane answered HTTP {status}"));
    let error = js_sys::Error::new(&message);
    error.set_name("OctaneError");
    let _ = Reflect::set(&error, &"status".into(), &JsValue::from_f64(status));
    for (from, to) in [
        ("error_code", "errorCode"),
        ("description", "description"),
        ("correlation_id", "correlationId"),
        ("business_error", "businessError"),
    ] {
        let value = field(from);
        if !value.is_undefined() {
            let _ = Reflect::set(&error, &to.into(), &value);
        }
    }
    error.into()
}

/// `fetch` for Octane's REST API: relative paths resolve under
/// `<octane_url>/api/shared_spaces/<space>/workspaces/<workspace>/`;
/// credentials are sent; plain-object bodies go as JSON; `XSRF_COOKIE` is
/// read on each request and sent as `XSRF-HEADER` only to Octane's exact
/// origin (or an exact origin in `xsrfOrigins`), never over a header the
/// caller set. Rejects with an `OctaneError` for an error status, and
/// fails closed for a URL it cannot resolve.
#[wasm_bindgen(js_name = octaneFetch, unchecked_return_type = "Promise<Response>")]
pub fn octane_fetch(
    context: &ActionContext,
    #[wasm_bindgen(unchecked_param_type = "string")] path_or_url: &JsValue,
    init: Option<OptRequestInit>,
    options: Option<OptFetchOptions>,
) -> Promise {
    let init: &JsValue = &optional(init);
    let options: &JsValue = &optional(options);
    let context = context.inner().clone();
    let path = string_arg(path_or_url, "pathOrUrl");
    let (init, options) = (init.clone(), options.clone());
    future_to_promise(async move { request(context, path?, init, options).await })
}
