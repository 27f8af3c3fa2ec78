//! `octaneFetch` and `OctaneClient`: requests to Octane's REST API that
//! carry the XSRF header to Octane's exact origin and nowhere else.

use gloo_net::http::{Headers, Response};
use js_sys::{JSON, Object, Promise, Reflect};
use octane_app as app;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::{RequestCredentials, RequestInit, RequestRedirect, ResponseType};

use crate::app::ActionContext;
use crate::convert::{
    Members, OptFetchOptions, OptRequestInit, app_error, assign, is_array, optional, prototype_of,
    string_arg,
};
use crate::urls::BrowserUrl;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
export interface OctaneFetchOptions {
  /**
   * Exact origins (besides Octane's) that may also receive the XSRF
   * header, such as a reverse proxy in front of Octane: scheme, host and
   * port only. Never a boolean; an entry with a path, query, user or
   * wildcard is refused (error code X0008).
   */
  xsrfOrigins?: string[];
  /** Send `ALM-OCTANE-TECH-PREVIEW: true` (technical-preview resources). */
  techPreview?: boolean;
}

/**
 * `RequestInit` as octaneFetch takes it: `body` may also be a plain object
 * or an array, sent as JSON with `Content-Type: application/json`.
 */
export interface OctaneRequestInit extends Omit<RequestInit, "body"> {
  body?: BodyInit | object | null;
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
  /**
   * Also check the query's fields and values against this schema (for
   * OctaneClient, its own schema by default: see `loadSchema`).
   */
  schema?: Schema;
  fields?: string[];
  orderBy?: string;
  limit?: number;
  offset?: number;
  /** One entity's id: the path becomes `<collection>/<id>`; `.`, `..` and anything but an id are refused. */
  id?: string | number;
}

export interface CollectionPage<T = Record<string, unknown>> {
  data: T[];
  total_count: number;
  exceeds_total_count?: boolean;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, called with a built `Request`. Called here rather
    /// than through `gloo_net::http::Request::send` so that a `fetch` that
    /// throws, or resolves to something other than a `Response` (a test
    /// double, say), rejects the returned promise instead of trapping.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(request: &web_sys::Request) -> Result<JsValue, JsValue>;
}

/// `document.cookie`, or `""` where there is no document (Node, workers).
fn document_cookies() -> String {
    Reflect::get(&js_sys::global(), &"document".into())
        .ok()
        .filter(JsValue::is_object)
        .and_then(|document| Reflect::get(&document, &"cookie".into()).ok())
        .and_then(|cookies| cookies.as_string())
        .unwrap_or_default()
}

/// `OctaneFetchOptions` as JavaScript writes it. `xsrfOrigins` is an
/// array or nothing: `true` is refused, never read as "all origins".
struct JsFetchOptions {
    xsrf_origins: Vec<String>,
    tech_preview: bool,
}

impl JsFetchOptions {
    fn read(value: &JsValue) -> Result<JsFetchOptions, JsValue> {
        let given = Members::read(value, "options", &["xsrfOrigins", "techPreview"])?;
        Ok(JsFetchOptions {
            xsrf_origins: given.strings("xsrfOrigins")?,
            tech_preview: given.flag("techPreview")?,
        })
    }
}

/// The exact origins of `xsrfOrigins`, each checked.
fn xsrf_origins(options: &JsFetchOptions) -> Result<Vec<String>, JsValue> {
    options
        .xsrf_origins
        .iter()
        .map(|o| app::exact_origin(&BrowserUrl, o).map_err(|e| app_error(&e)))
        .collect()
}

/// Whether `body` is a plain object or an array: the bodies sent as JSON.
/// Strings, `FormData`, `Blob`, `URLSearchParams` and buffers pass as is.
fn is_json_body(body: &JsValue) -> Result<bool, JsValue> {
    if !body.is_object() {
        return Ok(false);
    }
    if is_array(body)? {
        return Ok(true);
    }
    let proto = prototype_of(body)?;
    Ok(proto.is_null() || proto == prototype_of(&Object::new())?)
}

/// Builds the `Request`: the caller's `init` (every field passes through),
/// with the headers, JSON body and credentials octaneFetch adds.
fn build(
    context: &app::ActionContext,
    url: &str,
    init: &JsValue,
    options: &JsValue,
) -> Result<Built, JsValue> {
    let options = JsFetchOptions::read(options)?;
    let extra = xsrf_origins(&options)?;
    let init: RequestInit = if init.is_object() {
        assign(&Object::new(), init)?.unchecked_into()
    } else {
        RequestInit::new()
    };
    // `new Headers(init.headers)`: a Headers, an array of pairs or a record.
    let given = init.get_headers();
    let headers = Headers::from_raw(if given.is_undefined() || given.is_null() {
        web_sys::Headers::new()?
    } else {
        web_sys::Headers::new_with_str_sequence_sequence(&given)?
    });
    // Plain objects and arrays are serialized; a string that already
    // holds JSON is labelled as such (Octane reads JSON bodies only).
    let body = init.get_body();
    let json = if is_json_body(&body)? {
        init.set_body(&JSON::stringify(&body)?.into());
        true
    } else {
        body.as_string()
            .is_some_and(|text| octane_query::json::parse(&text).is_ok())
    };
    if json && !headers.has("Content-Type") {
        headers.set("Content-Type", "application/json");
    }
    if options.tech_preview && !headers.has("ALM-OCTANE-TECH-PREVIEW") {
        headers.set("ALM-OCTANE-TECH-PREVIEW", "true");
    }
    // The XSRF header: read fresh, sent only to the exact Octane origin
    // (or an exact origin the caller listed), never over a caller's value.
    let plan = app::xsrf_plan(
        context,
        url,
        &extra,
        &document_cookies(),
        headers.has(app::XSRF_HEADER),
        !Reflect::get(&init, &"redirect".into())?.is_undefined(),
        &BrowserUrl,
    )
    .map_err(|e| app_error(&e))?;
    if plan.hold_redirects {
        init.set_redirect(RequestRedirect::Manual);
    }
    init.set_headers(&headers.into_raw());
    if Reflect::get(&init, &"credentials".into())?.is_undefined() {
        init.set_credentials(RequestCredentials::Include);
    }
    let request = web_sys::Request::new_with_str_and_init(url, &init)?;
    // Decided again on the URL as the platform parsed it: the header goes
    // where the request goes, or not at all.
    let token = plan
        .token
        .filter(|_| app::may_carry_xsrf(context, &request.url(), &extra, &BrowserUrl));
    if let Some(token) = token {
        request.headers().set(app::XSRF_HEADER, &token)?;
    }
    Ok(Built {
        request,
        hold_redirects: plan.hold_redirects,
    })
}

/// A request ready to send.
struct Built {
    request: web_sys::Request,
    /// Redirects are held back (the request carries the XSRF token).
    hold_redirects: bool,
}

/// Builds the request and sends it; resolves to the `Response`, or
/// rejects with an `OctaneError` for an error status.
async fn request(
    context: app::ActionContext,
    path: String,
    init: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let url = app::resolve(&context, &path, &BrowserUrl).map_err(|e| app_error(&e))?;
    let built = build(&context, &url, &init, &options)?;
    // Promise.resolve: a fetch double may return a plain value or thenable.
    let answer = JsFuture::from(Promise::resolve(&global_fetch(&built.request)?)).await?;
    let raw: web_sys::Response = answer.dyn_into().map_err(|_| {
        JsValue::from(js_sys::TypeError::new(
            "`fetch` resolved to a value that is not a Response",
        ))
    })?;
    // `Clone::clone` copies the reference; `raw.clone()` is `Response.clone()`.
    let response = Response::from(Clone::clone(&raw));
    if built.hold_redirects
        && (response.type_() == ResponseType::Opaqueredirect
            || (300..400).contains(&response.status()))
    {
        return Err(app_error(&app::redirected(&url)));
    }
    if response.ok() {
        return Ok(web_sys::Response::from(response).into());
    }
    Err(octane_error(&response, &raw).await)
}

/// An `OctaneError` from an error response (its JSON body when it has one).
async fn octane_error(response: &Response, raw: &web_sys::Response) -> JsValue {
    let status = response.status();
    // Read through web-sys: `text()` throws for a body already read or
    // locked, which gloo-net's `Response::text` would unwrap.
    let text = match raw.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string()),
        Err(_) => None,
    };
    // The body's members are read with the spans of their values, and
    // each one copied is parsed by JavaScript from its own text.
    let text = text.unwrap_or_default();
    let body = octane_query::json::parse(&text).ok();
    let member = |key: &str| body.as_ref().and_then(|b| b.get(key)).map(|m| &m.value);
    let message = member("description")
        .and_then(octane_query::json::Json::as_str)
        .map_or_else(|| format!("Octane answered HTTP {status}"), str::to_owned);
    let error = js_sys::Error::new(&message);
    error.set_name("OctaneError");
    let _ = Reflect::set(&error, &"status".into(), &status.into());
    for (from, to) in [
        ("error_code", "errorCode"),
        ("description", "description"),
        ("correlation_id", "correlationId"),
        ("business_error", "businessError"),
    ] {
        let value = member(from)
            .and_then(|v| text.get(v.span.start as usize..v.span.end as usize))
            .and_then(|json| JSON::parse(json).ok());
        if let Some(value) = value {
            let _ = Reflect::set(&error, &to.into(), &value);
        }
    }
    error.into()
}

/// `fetch` for Octane's REST API: relative paths resolve under
/// `<octane_url>/api/shared_spaces/<space>/workspaces/<workspace>/`;
/// credentials are sent; plain-object and array bodies go as JSON (and a
/// string body holding JSON is labelled `application/json`); `XSRF_COOKIE` is
/// read on each request and sent as `XSRF-HEADER` only to Octane's exact
/// origin (or an exact origin in `xsrfOrigins`), never over a header the
/// caller set; a request carrying it does not follow redirects unless the
/// caller sets `redirect`. Rejects with an `OctaneError` for an error
/// status, and fails closed for a URL it cannot resolve. Where there is no
/// `document` (Node, workers) there is no cookie, so no XSRF header.
#[wasm_bindgen(js_name = octaneFetch, unchecked_return_type = "Promise<Response>")]
pub fn octane_fetch(
    context: &ActionContext,
    #[wasm_bindgen(unchecked_param_type = "string")] path_or_url: JsValue,
    init: Option<OptRequestInit>,
    options: Option<OptFetchOptions>,
) -> Promise {
    let init: &JsValue = &optional(init);
    let options: &JsValue = &optional(options);
    let context = context.inner().clone();
    let path = string_arg(&path_or_url, "pathOrUrl");
    let (init, options) = (init.clone(), options.clone());
    future_to_promise(async move { request(context, path?, init, options).await })
}
