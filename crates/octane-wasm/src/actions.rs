//! Exports of the external-actions engine: `validateActions`,
//! `renderActionUrl`, `aggregatedType`.

use js_sys::{Error, Reflect};
use octane_actions::{
    ActionDiagnostic, Context, RenderOptions, ValidateOptions, render, validate_actions,
};
use octane_query::SourceIndex;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{
    OptRenderActionOptions, OptValidateActionsOptions, js_diagnostics, json_text, optional,
    string_arg, string_list, to_js,
};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** A diagnostic of an external-action config, with the JSON path at fault. */
export interface ActionDiagnostic extends Diagnostic {
  /** JSON Pointer of the value, such as `/0/dialog`. */
  path: string;
}

export interface ValidateActionsOptions {
  /** Extra allowed URL schemes, as the ENTITY_EXTERNAL_ACTIONS_SUPPORTED_PROTOCOLS site parameter lists them. */
  allowedProtocols?: string[];
}

export interface RenderActionOptions extends ValidateActionsOptions {
  /** The `name` of the action to render when the config is an array of several. */
  action?: string;
}

/** What Octane knows when the button is clicked (for rendering an action's URL). */
export interface RenderContext {
  /** The selected entities: `id`, `type` and any fields used as `{entity.<field>}`. */
  entities: ({ id: string | number; type: string } & Record<string, unknown>)[];
  shared_space?: string | number;
  workspace?: string | number;
  user_login?: string;
  user_email?: string;
  dialog_id?: string | number;
  octane_url?: string;
  bundle_url?: string;
}

/** An `Error` thrown for an action that cannot be rendered. */
export interface ActionError extends Error { diagnostics: ActionDiagnostic[] }
"#;

#[derive(Serialize)]
struct JsActionDiagnostic<T> {
    #[serde(flatten)]
    diagnostic: T,
    path: String,
}

fn js_action_diagnostics(text: &str, diagnostics: Vec<ActionDiagnostic>) -> Vec<impl Serialize> {
    let index = SourceIndex::new(text);
    let (paths, plain): (Vec<String>, Vec<_>) = diagnostics
        .into_iter()
        .map(|d| (d.path, d.diagnostic))
        .unzip();
    js_diagnostics(&index, &plain)
        .into_iter()
        .zip(paths)
        .map(|(diagnostic, path)| JsActionDiagnostic { diagnostic, path })
        .collect()
}

fn allowed_protocols(options: &JsValue) -> Result<ValidateOptions, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(ValidateOptions::default());
    }
    let list = Reflect::get(options, &JsValue::from_str("allowedProtocols"))?;
    if list.is_undefined() || list.is_null() {
        return Ok(ValidateOptions::default());
    }
    let allowed_protocols = string_list(&list, "allowedProtocols")?;
    Ok(ValidateOptions { allowed_protocols })
}

/// Validates the external-action editor's JSON (an array of actions or
/// one action). Spans are UTF-16 offsets into `json`.
#[wasm_bindgen(js_name = validateActions, unchecked_return_type = "ActionDiagnostic[]")]
pub fn validate_actions_js(
    #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
    options: Option<OptValidateActionsOptions>,
) -> Result<JsValue, JsValue> {
    let options: &JsValue = &optional(options);
    let text = string_arg(&json, "json")?;
    let options = allowed_protocols(options)?;
    to_js(&js_action_diagnostics(
        &text,
        validate_actions(&text, &options),
    ))
}

/// The URL a click on an action opens for `context`, every value
/// percent-encoded. `config` is one action or the editor's array of
/// actions, from which `options.action` names the one to render. Throws
/// an `ActionError`, with at least one located diagnostic, when the action
/// is invalid or the context does not fit it.
#[wasm_bindgen(js_name = renderActionUrl)]
pub fn render_action_url(
    #[wasm_bindgen(unchecked_param_type = "object | string")] config: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RenderContext")] context: JsValue,
    options: Option<OptRenderActionOptions>,
) -> Result<String, JsValue> {
    let options: &JsValue = &optional(options);
    let action = json_text(&config, "config")?;
    let context_text = json_text(&context, "context")?;
    let context: Context = serde_json::from_str(&context_text)
        .map_err(|e| JsValue::from(js_sys::TypeError::new(&format!("`context`: {e}"))))?;
    let validate = allowed_protocols(options)?;
    let name = if options.is_object() {
        let name = Reflect::get(options, &JsValue::from_str("action"))?;
        if name.is_undefined() || name.is_null() {
            None
        } else {
            Some(string_arg(&name, "options.action")?)
        }
    } else {
        None
    };
    let options = RenderOptions {
        validate,
        action: name,
    };
    render(&action, &context, &options).map_err(|diagnostics| {
        let first = diagnostics
            .first()
            .map_or_else(String::new, |d| format!(": {}", d.diagnostic.message));
        let error = Error::new(&format!("the action cannot be rendered{first}"));
        let list = to_js(&js_action_diagnostics(&action, diagnostics)).unwrap_or(JsValue::NULL);
        let _ = Reflect::set(&error, &JsValue::from_str("diagnostics"), &list);
        error.into()
    })
}

/// The aggregated type Octane passes as `{entity_type}`: `defect` gives
/// `work_item`, `test_manual` gives `test`.
#[wasm_bindgen(js_name = aggregatedType)]
pub fn aggregated_type(
    #[wasm_bindgen(unchecked_param_type = "string")] entity_type: JsValue,
) -> Result<String, JsValue> {
    Ok(octane_actions::aggregated_type(&string_arg(&entity_type, "entityType")?).to_owned())
}
