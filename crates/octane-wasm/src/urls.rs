//! The platform's own URL parser (`URL`, in browsers and Node) as the
//! core's [`UrlStandard`]: origins are decided exactly as the browser that
//! sends the request decides them, and no parser ships in the module.

use octane_app::{UrlParts, UrlStandard};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The global `URL` class.
    #[wasm_bindgen(js_name = URL)]
    type PlatformUrl;
    /// `new URL(text)`; a URL that does not parse throws (into the `Err`).
    #[wasm_bindgen(constructor, js_class = "URL", catch)]
    fn new(text: &str) -> Result<PlatformUrl, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn href(this: &PlatformUrl) -> String;
    #[wasm_bindgen(method, getter)]
    fn origin(this: &PlatformUrl) -> String;
    #[wasm_bindgen(method, getter)]
    fn protocol(this: &PlatformUrl) -> String;
    #[wasm_bindgen(method, getter)]
    fn pathname(this: &PlatformUrl) -> String;
    #[wasm_bindgen(method, getter)]
    fn username(this: &PlatformUrl) -> String;
    #[wasm_bindgen(method, getter)]
    fn password(this: &PlatformUrl) -> String;
}

/// The platform's `URL`.
pub(crate) struct BrowserUrl;

impl UrlStandard for BrowserUrl {
    fn parse(&self, text: &str) -> Option<UrlParts> {
        let url = PlatformUrl::new(text).ok()?;
        // `search` and `hash` are empty both without a query (fragment)
        // and with an empty one; the serialized URL tells them apart, as
        // `?` and `#` appear in it only as delimiters.
        let href = url.href();
        let (before_fragment, fragment) = href
            .split_once('#')
            .map_or((href.as_str(), false), |(before, _)| (before, true));
        Some(UrlParts {
            scheme: url.protocol().trim_end_matches(':').to_owned(),
            origin: url.origin(),
            path: url.pathname(),
            credentials: !url.username().is_empty() || !url.password().is_empty(),
            query: before_fragment.contains('?'),
            fragment,
        })
    }
}
