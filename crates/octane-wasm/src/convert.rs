//! The shared conversion helpers: one serializer setting, one way to turn
//! diagnostics into a thrown `Error`, one way to read a string argument.

use js_sys::{Error, Reflect};
use octane_query::{Diagnostic, SourceIndex, render_with};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Serializes `value` to a plain JavaScript value (objects, not `Map`s).
pub(crate) use crate::tape::to_js;

/// Reads a string argument, or throws a `TypeError` naming it.
pub(crate) fn string_arg(value: &JsValue, name: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| js_sys::TypeError::new(&format!("`{name}` must be a string")).into())
}

#[wasm_bindgen]
extern "C" {
    /// `SampleOptions` (optional parameter).
    #[wasm_bindgen(typescript_type = "SampleOptions")]
    pub type OptSampleOptions;
    /// `LoadOptions` (optional parameter).
    #[wasm_bindgen(typescript_type = "LoadOptions")]
    pub type OptLoadOptions;
    /// `DatasetQueryOptions` (optional parameter).
    #[wasm_bindgen(typescript_type = "DatasetQueryOptions")]
    pub type OptDatasetQueryOptions;
    /// `Location | URL | string` (optional parameter).
    #[wasm_bindgen(typescript_type = "Location | URL | string")]
    pub type OptLocation;
    /// `ContextOptions` (optional parameter).
    #[wasm_bindgen(typescript_type = "ContextOptions")]
    pub type OptContextOptions;
    /// `ConnectOptions` (optional parameter).
    #[wasm_bindgen(typescript_type = "ConnectOptions")]
    pub type OptConnectOptions;
    /// `{ refresh?: boolean }` (optional parameter).
    #[wasm_bindgen(typescript_type = "{ refresh?: boolean }")]
    pub type OptCloseOptions;
    /// `OctaneRequestInit` (optional parameter).
    #[wasm_bindgen(typescript_type = "OctaneRequestInit")]
    pub type OptRequestInit;
    /// `OctaneFetchOptions` (optional parameter).
    #[wasm_bindgen(typescript_type = "OctaneFetchOptions")]
    pub type OptFetchOptions;
    /// `ValidateActionsOptions` (optional parameter).
    #[wasm_bindgen(typescript_type = "ValidateActionsOptions")]
    pub type OptValidateActionsOptions;
    /// `RenderActionOptions` (optional parameter).
    #[wasm_bindgen(typescript_type = "RenderActionOptions")]
    pub type OptRenderActionOptions;
    /// `TranslateOptions` (optional parameter).
    #[wasm_bindgen(typescript_type = "TranslateOptions")]
    pub type OptTranslateOptions;
    /// `CollectionOptions` (optional parameter).
    #[wasm_bindgen(typescript_type = "CollectionOptions")]
    pub type OptCollectionOptions;
}

// The built-ins below run user code on a hostile value (proxy traps,
// getters, iterators). js-sys binds them without `catch`, so a throw would
// unwind through the module; these bindings return it as an `Err`.
#[wasm_bindgen]
extern "C" {
    /// `Array.isArray(value)`.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    pub(crate) fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(js_namespace = Array, js_name = from, catch)]
    fn array_from(value: &JsValue) -> Result<js_sys::Array, JsValue>;
    /// `Object.getPrototypeOf(value)`.
    #[wasm_bindgen(js_namespace = Object, js_name = getPrototypeOf, catch)]
    pub(crate) fn prototype_of(value: &JsValue) -> Result<JsValue, JsValue>;
    /// `Object.assign(target, source)`.
    #[wasm_bindgen(js_namespace = Object, js_name = assign, catch)]
    pub(crate) fn assign(
        target: &js_sys::Object,
        source: &JsValue,
    ) -> Result<js_sys::Object, JsValue>;
    /// `Date.prototype.toISOString.call(value)`: not overridable by the
    /// value, and an invalid or non-Date value throws (into the `Err`).
    #[wasm_bindgen(js_namespace = ["Date", "prototype", "toISOString"], js_name = call, catch)]
    pub(crate) fn date_iso_string(value: &JsValue) -> Result<String, JsValue>;
}

/// The items of `value` if it is an array, copied by `Array.from` so that
/// getters and proxy traps run (and may throw) before Rust reads them;
/// `None` if it is not an array.
pub(crate) fn array_items(value: &JsValue) -> Result<Option<Vec<JsValue>>, JsValue> {
    if !is_array(value)? {
        return Ok(None);
    }
    Ok(Some(array_from(value)?.iter().collect()))
}

/// An app-side error (`X0001`...) as a thrown `Error`: the message with
/// its help, and `code` and `help` as properties.
/// The core's help names no API; where this package's JavaScript API is
/// how to act on it, the error says so too.
pub(crate) fn app_error(error: &octane_app::AppError) -> JsValue {
    use octane_app::AppErrorKind as K;
    let hint = match error.kind {
        K::UntrustedOctane => Some(
            "ActionContext.fromLocation(location, { octaneOrigins: [\"https://octane.example.com\"] })",
        ),
        K::NotAnOrigin => Some("octaneOrigins and xsrfOrigins take exact origins"),
        K::MissingParameter | K::Unsubstituted => {
            Some("ActionContext.fromLocation reads the context from the app's URL")
        }
        _ => None,
    };
    let mut error = error.clone();
    if let Some(hint) = hint {
        error.help = format!("{}; in JavaScript: {hint}", error.help);
    }
    let js = Error::new(&error.to_string());
    let _ = Reflect::set(&js, &"code".into(), &error.code.into());
    let _ = Reflect::set(&js, &"help".into(), &error.help.as_str().into());
    js.into()
}

/// An optional parameter as a plain `JsValue` (`undefined` when absent).
pub(crate) fn optional<T: Into<JsValue>>(value: Option<T>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, Into::into)
}

/// A JSON document given as a string or as an already parsed value.
pub(crate) fn json_text(value: &JsValue, name: &str) -> Result<String, JsValue> {
    if let Some(text) = value.dyn_ref::<js_sys::JsString>() {
        return Ok(bulk_string(text));
    }
    if value.is_object() {
        return js_sys::JSON::stringify(value)
            .map(|text| bulk_string(&text))
            .map_err(|_| js_sys::TypeError::new(&format!("`{name}` cannot be serialized")).into());
    }
    Err(js_sys::TypeError::new(&format!("`{name}` must be a JSON string or an object")).into())
}

#[wasm_bindgen]
extern "C" {
    /// The platform's `TextEncoder`.
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    /// Writes `source` as UTF-8 into `dest`, as much as fits.
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(
        this: &TextEncoder,
        source: &js_sys::JsString,
        dest: &js_sys::Uint8Array,
    ) -> Encoded;
    /// What `encodeInto` did.
    type Encoded;
    /// UTF-16 units read.
    #[wasm_bindgen(method, getter)]
    fn read(this: &Encoded) -> f64;
    /// Bytes written.
    #[wasm_bindgen(method, getter)]
    fn written(this: &Encoded) -> f64;
}

/// Strings longer than this (in UTF-16 units) are copied in by
/// [`bulk_string`].
const BULK: u32 = 1 << 16;

/// `text` as a Rust string (lone surrogates become U+FFFD, as with
/// `as_string`). A large one is written straight into its buffer by the
/// platform's `TextEncoder.encodeInto`: the generated glue copies a string
/// one character at a time while it is ASCII, which took a sixth of the
/// time of loading a 20 MB dataset.
pub(crate) fn bulk_string(text: &js_sys::JsString) -> String {
    let units = text.length();
    if units <= BULK {
        return String::from(text);
    }
    let encoder = TextEncoder::new();
    // One byte per unit, as for ASCII; the rest of a text that is not
    // gets three bytes per unit, the most a unit can take.
    let mut bytes = vec![0u8; units as usize];
    let (mut read, mut written) = (0u32, 0usize);
    while read < units {
        if read > 0 {
            bytes.resize(written + 3 * (units - read) as usize, 0);
        }
        let rest = if read == 0 {
            text.clone()
        } else {
            text.slice(read, units)
        };
        let Ok(memory) = wasm_bindgen::memory().dyn_into::<js_sys::WebAssembly::Memory>() else {
            return String::from(text);
        };
        let free = &bytes[written..];
        // Addresses and lengths fit in 32 bits on wasm32, the only target
        // that calls this.
        #[allow(clippy::cast_possible_truncation)]
        let view = js_sys::Uint8Array::new_with_byte_offset_and_length(
            &memory.buffer(),
            free.as_ptr() as usize as u32,
            free.len() as u32,
        );
        let done = encoder.encode_into(&rest, &view);
        // Counts below 2^32, as the lengths above.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (units_read, bytes_written) = (done.read() as u32, done.written() as usize);
        if units_read == 0 {
            // No progress (the room above always fits the rest).
            return String::from(text);
        }
        read += units_read;
        written += bytes_written;
    }
    bytes.truncate(written);
    String::from_utf8(bytes).unwrap_or_else(|_| String::from(text))
}

/// Reads an options or context object through its serde type, the one
/// typed path every export uses: `undefined` and `null` give the default;
/// anything but an object, a key the type does not know (say `octane_url`
/// for `octaneUrl`) or a value of the wrong type (`"yes"` for a boolean)
/// is a `TypeError` that names the key and, for an unknown one, the keys
/// accepted. The object is read as `JSON.stringify` writes it, so getters
/// run once, cycles and BigInts are refused, and nesting is bounded.
pub(crate) fn read_object<T: serde::de::DeserializeOwned + Default>(
    value: &JsValue,
    name: &str,
) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    let type_error = |message: String| JsValue::from(js_sys::TypeError::new(&message));
    if !value.is_object() || is_array(value)? {
        return Err(type_error(format!("`{name}` must be an object")));
    }
    let text = js_sys::JSON::stringify(value)
        .map(String::from)
        .map_err(|_| type_error(format!("`{name}` cannot be serialized")))?;
    serde_json::from_str(&text).map_err(|e| {
        // serde_json ends with a position in the serialized text, which
        // means nothing to the caller.
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(head, _)| head);
        type_error(format!("`{name}`: {message}"))
    })
}

/// A string option that may also be given as a number (ids such as
/// `sharedSpace: 1001`), read as text.
#[derive(Clone, Debug, Default)]
pub(crate) struct Text(pub(crate) String);

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E>(self, value: &str) -> Result<Text, E> {
                Ok(Text(value.to_owned()))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Text, E> {
                Ok(Text(value.to_string()))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Text, E> {
                Ok(Text(value.to_string()))
            }
            fn visit_f64<E>(self, value: f64) -> Result<Text, E> {
                Ok(Text(value.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A diagnostic as JavaScript sees it: UTF-16 spans and a rendered frame.
#[derive(Serialize)]
pub(crate) struct JsDiagnostic {
    #[serde(flatten)]
    diagnostic: Diagnostic,
    rendered: String,
}

/// Converts diagnostics to their JavaScript form.
pub(crate) fn js_diagnostics(index: &SourceIndex, diagnostics: &[Diagnostic]) -> Vec<JsDiagnostic> {
    diagnostics
        .iter()
        .map(|d| {
            let rendered = render_with(index, d);
            let mut diagnostic = d.clone();
            diagnostic.span = index.utf16_span(diagnostic.span);
            for label in &mut diagnostic.labels {
                label.span = index.utf16_span(label.span);
            }
            if let Some(fix) = &mut diagnostic.fix {
                fix.span = index.utf16_span(fix.span);
            }
            JsDiagnostic {
                diagnostic,
                rendered,
            }
        })
        .collect()
}

/// An `Error` whose `diagnostics` property holds `diagnostics`.
pub(crate) fn diagnostics_error(index: &SourceIndex, diagnostics: &[Diagnostic]) -> JsValue {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let first = diagnostics
        .iter()
        .find(|d| d.is_error())
        .map_or_else(String::new, |d| format!(": {}", d.message));
    let plural = if errors == 1 { "" } else { "s" };
    let error = Error::new(&format!("{errors} error{plural}{first}"));
    let list = to_js(&js_diagnostics(index, diagnostics)).unwrap_or(JsValue::NULL);
    // Setting a property on a fresh Error cannot fail.
    let _ = Reflect::set(&error, &JsValue::from_str("diagnostics"), &list);
    error.into()
}
