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
    /// `Object.keys(value)`.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(value: &JsValue) -> Result<js_sys::Array, JsValue>;
    /// `Reflect.get(target, key)`.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    fn get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
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

/// Reads a data object through its serde type (the render context, whose
/// entities hold Octane's own JSON): `undefined` and `null` give the
/// default; anything but an object, a key the type does not know or a
/// value of the wrong type is a `TypeError` that names the key and, for
/// an unknown one, the keys accepted. The object is read as
/// `JSON.stringify` writes it, so getters run once, cycles and BigInts
/// are refused, and nesting is bounded. Options objects are read with
/// [`Members`] instead, without code of their own per type.
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

/// An options or context object's members, read from the object itself
/// by one reader for every such object, with no code of its own per type.
/// `undefined` and `null` read as no members; anything but an object, and
/// an own enumerable key not in `accepted` (say `octane_url` for
/// `octaneUrl`), is a `TypeError` that names the key and the keys
/// accepted. Each member is read once, when asked for (so a getter runs
/// once, and a throwing getter or proxy trap is thrown on); `undefined`,
/// `null` and functions read as absent, as `JSON.stringify` leaves them
/// out; a member of the wrong type (`"yes"` for a boolean) is a
/// `TypeError` that names the member and the type it must have.
pub(crate) struct Members {
    name: &'static str,
    object: JsValue,
}

impl Members {
    /// Reads `value` (called `name` in errors), accepting the keys in
    /// `accepted`.
    pub(crate) fn read(
        value: &JsValue,
        name: &'static str,
        accepted: &[&str],
    ) -> Result<Members, JsValue> {
        if value.is_undefined() || value.is_null() {
            return Ok(Members {
                name,
                object: JsValue::UNDEFINED,
            });
        }
        if !value.is_object() || is_array(value)? {
            return Err(js_sys::TypeError::new(&format!("`{name}` must be an object")).into());
        }
        for key in object_keys(value)?.iter() {
            let key = key.as_string().unwrap_or_default();
            if !accepted.contains(&key.as_str()) {
                let listed: Vec<String> = accepted.iter().map(|k| format!("`{k}`")).collect();
                let expected = match listed.as_slice() {
                    [one] => format!("expected {one}"),
                    _ => format!("expected one of {}", listed.join(", ")),
                };
                return Err(js_sys::TypeError::new(&format!(
                    "`{name}`: unknown field `{key}`, {expected}"
                ))
                .into());
            }
        }
        Ok(Members {
            name,
            object: value.clone(),
        })
    }

    /// The member `key`, `None` when absent, `undefined`, `null` or a
    /// function.
    fn take(&self, key: &str) -> Result<Option<JsValue>, JsValue> {
        if self.object.is_undefined() {
            return Ok(None);
        }
        let value = get(&self.object, &JsValue::from_str(key))?;
        Ok((!value.is_undefined() && !value.is_null() && !value.is_function()).then_some(value))
    }

    /// A `TypeError`: member `key` must be `expected`.
    fn wrong(&self, key: &str, expected: &str, found: &JsValue) -> JsValue {
        let found = if found.is_string() {
            "a string"
        } else if found.as_bool().is_some() {
            "a boolean"
        } else if found.as_f64().is_some() {
            "a number"
        } else if is_array(found).unwrap_or(false) {
            "an array"
        } else if found.is_object() {
            "an object"
        } else {
            "another kind of value"
        };
        js_sys::TypeError::new(&format!(
            "`{}.{key}` must be {expected}, not {found}",
            self.name
        ))
        .into()
    }

    /// The member `key` as `read` takes it, `None` when absent; a
    /// `TypeError` saying it must be `expected` when `read` refuses it.
    fn member<T>(
        &self,
        key: &str,
        expected: &str,
        read: impl Fn(&JsValue) -> Option<T>,
    ) -> Result<Option<T>, JsValue> {
        let Some(value) = self.take(key)? else {
            return Ok(None);
        };
        read(&value)
            .map(Some)
            .ok_or_else(|| self.wrong(key, expected, &value))
    }

    /// A string member.
    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, JsValue> {
        self.member(key, "a string", JsValue::as_string)
    }

    /// An array of strings, `None` when absent (an empty array is given).
    pub(crate) fn strings_given(&self, key: &str) -> Result<Option<Vec<String>>, JsValue> {
        let Some(value) = self.take(key)? else {
            return Ok(None);
        };
        let expected = "an array of strings";
        let items = array_items(&value)?.ok_or_else(|| self.wrong(key, expected, &value))?;
        items
            .iter()
            .map(|item| {
                item.as_string()
                    .ok_or_else(|| self.wrong(key, expected, item))
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// An array of strings; empty when absent.
    pub(crate) fn strings(&self, key: &str) -> Result<Vec<String>, JsValue> {
        Ok(self.strings_given(key)?.unwrap_or_default())
    }

    /// A boolean member, `None` when absent.
    pub(crate) fn flag_given(&self, key: &str) -> Result<Option<bool>, JsValue> {
        self.member(key, "a boolean", JsValue::as_bool)
    }

    /// A boolean member; `false` when absent.
    pub(crate) fn flag(&self, key: &str) -> Result<bool, JsValue> {
        Ok(self.flag_given(key)?.unwrap_or(false))
    }

    /// A finite number; `NaN` and the infinities read as absent, as
    /// `JSON.stringify` writes them `null`.
    pub(crate) fn number(&self, key: &str) -> Result<Option<f64>, JsValue> {
        let Some(value) = self.take(key)? else {
            return Ok(None);
        };
        match value.as_f64() {
            Some(n) => Ok(n.is_finite().then_some(n)),
            None => Err(self.wrong(key, "a number", &value)),
        }
    }

    /// A whole number from 0 up to `max` (at most 2^53, where numbers stop
    /// being whole numbers one by one).
    pub(crate) fn count(&self, key: &str, max: u64) -> Result<Option<u64>, JsValue> {
        let Some(value) = self.take(key)? else {
            return Ok(None);
        };
        // Both bounds are exact in an f64: `max` is at most 2^53.
        #[allow(clippy::cast_precision_loss)]
        let top = max.min(1 << 53) as f64;
        match value.as_f64() {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(n) if n.fract() == 0.0 && (0.0..=top).contains(&n) => Ok(Some(n as u64)),
            _ if max >= 1 << 53 => Err(self.wrong(key, "a whole number from 0 up", &value)),
            _ => Err(self.wrong(key, &format!("a whole number from 0 to {max}"), &value)),
        }
    }

    /// A string, or a finite number read as its text (ids such as
    /// `sharedSpace: 1001`).
    pub(crate) fn text(&self, key: &str) -> Result<Option<String>, JsValue> {
        let Some(value) = self.take(key)? else {
            return Ok(None);
        };
        if let Some(s) = value.as_string() {
            return Ok(Some(s));
        }
        match value.as_f64() {
            #[allow(clippy::cast_possible_truncation)]
            Some(n) if n.fract() == 0.0 && n.abs() < 9e15 => Ok(Some((n as i64).to_string())),
            Some(n) if n.is_finite() => Ok(Some(n.to_string())),
            _ => Err(self.wrong(key, "a string or a number", &value)),
        }
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
