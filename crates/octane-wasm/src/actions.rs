//! Exports of the external-actions engine: `validateActions`,
//! `renderActionUrl`, `aggregatedType`.

use js_sys::{Error, Reflect};
use octane_actions::{
    ActionDiagnostic, Context, Entity, Field, RenderOptions, ValidateOptions, render_parts,
    validate_actions, validate_bundle,
};
use octane_query::SourceIndex;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::convert::{
    Members, OptRenderActionOptions, OptValidateActionsOptions, js_diagnostics, json_text,
    optional, read_object, string_arg, to_js,
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
  sharedSpace?: string | number;
  workspace?: string | number;
  userLogin?: string;
  userEmail?: string;
  dialogId?: string | number;
  octaneUrl?: string;
  bundleUrl?: string;
}

/** A rendered URL and where each token's value went. */
export interface RenderedActionUrl {
  url: string;
  substitutions: {
    /** The token's name, such as `entity_ids` or `entity.name`. */
    token: string;
    /** The (percent-encoded) value in `url`: UTF-16 offsets. */
    start: number;
    end: number;
    /** The token, braces included, in the config's JSON text. */
    span: Span;
  }[];
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

/// `RenderContext` as JavaScript writes it: camelCase keys for the
/// context, Octane's own field names inside each entity.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsRenderContext {
    #[serde(default)]
    entities: Vec<Entity>,
    shared_space: Option<Field>,
    workspace: Option<Field>,
    user_login: Option<Field>,
    user_email: Option<Field>,
    dialog_id: Option<Field>,
    octane_url: Option<Field>,
    bundle_url: Option<Field>,
}

impl From<JsRenderContext> for Context {
    fn from(js: JsRenderContext) -> Context {
        Context {
            entities: js.entities,
            shared_space: js.shared_space,
            workspace: js.workspace,
            user_login: js.user_login,
            user_email: js.user_email,
            dialog_id: js.dialog_id,
            octane_url: js.octane_url,
            bundle_url: js.bundle_url,
        }
    }
}

/// Validates the external-action editor's JSON (an array of actions or
/// one action). Spans are UTF-16 offsets into `json`.
#[wasm_bindgen(js_name = validateActions, unchecked_return_type = "ActionDiagnostic[]")]
pub fn validate_actions_js(
    #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
    options: Option<OptValidateActionsOptions>,
) -> Result<JsValue, JsValue> {
    let text = string_arg(&json, "json")?;
    // `ValidateActionsOptions`.
    let options = ValidateOptions {
        allowed_protocols: Members::read(&optional(options), "options", &["allowedProtocols"])?
            .strings("allowedProtocols")?,
    };
    to_js(&js_action_diagnostics(
        &text,
        validate_actions(&text, &options),
    ))
}

/// Checks the actions of `config` whose URL points into an uploaded
/// bundle (`{octane_url}/api/shared_spaces/{shared_space}/external-entity-actions/bundle/...`
/// or `{bundle_url}/...`) against the bundle's `files` (paths inside the
/// zip, such as `foo/foo.html`): a file the bundle lacks is a warning
/// (A0038) at that part of the URL, with the nearest file as help. Spans
/// are UTF-16 offsets into `config`'s JSON text.
#[wasm_bindgen(js_name = validateBundle, unchecked_return_type = "ActionDiagnostic[]")]
pub fn validate_bundle_js(
    #[wasm_bindgen(unchecked_param_type = "string[]")] files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "object | string")] config: JsValue,
) -> Result<JsValue, JsValue> {
    let refused = || js_sys::TypeError::new("`files` must be an array of strings");
    if !js_sys::Array::is_array(&files) {
        return Err(refused().into());
    }
    let files: Vec<String> = js_sys::Array::from(&files)
        .iter()
        .map(|file| file.as_string().ok_or_else(refused))
        .collect::<Result<_, _>>()?;
    let text = json_text(&config, "config")?;
    to_js(&js_action_diagnostics(
        &text,
        validate_bundle(&text, &files),
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
    rendered(&config, &context, options).map(|(_, rendered)| rendered.url)
}

/// `renderActionUrl`, with where each token's value went in the URL and
/// where the token is in the config: what a tool needs to mark each
/// substitution. Throws an `ActionError` as `renderActionUrl` does.
#[wasm_bindgen(js_name = renderActionUrlParts, unchecked_return_type = "RenderedActionUrl")]
pub fn render_action_url_parts(
    #[wasm_bindgen(unchecked_param_type = "object | string")] config: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RenderContext")] context: JsValue,
    options: Option<OptRenderActionOptions>,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Part {
        token: String,
        start: u32,
        end: u32,
        span: octane_query::Span,
    }
    #[derive(Serialize)]
    struct Parts {
        url: String,
        substitutions: Vec<Part>,
    }
    let (action, rendered) = rendered(&config, &context, options)?;
    let in_url = SourceIndex::new(&rendered.url);
    let in_config = SourceIndex::new(&action);
    let offset = |byte: usize| in_url.utf16_offset(u32::try_from(byte).unwrap_or(u32::MAX));
    let substitutions = rendered
        .substitutions
        .into_iter()
        .map(|s| Part {
            start: offset(s.start),
            end: offset(s.end),
            span: octane_query::Span::new(
                in_config.utf16_offset(s.span.start),
                in_config.utf16_offset(s.span.end),
            ),
            token: s.token,
        })
        .collect();
    to_js(&Parts {
        url: rendered.url,
        substitutions,
    })
}

/// Reads the arguments of a render and renders: the config's text and the
/// result, or a thrown `ActionError`.
fn rendered(
    config: &JsValue,
    context: &JsValue,
    options: Option<OptRenderActionOptions>,
) -> Result<(String, octane_actions::Rendered), JsValue> {
    let action = json_text(config, "config")?;
    let context: Context = read_object::<JsRenderContext>(context, "context")?.into();
    // `RenderActionOptions`.
    let given = Members::read(
        &optional(options),
        "options",
        &["allowedProtocols", "action"],
    )?;
    let options = RenderOptions {
        validate: ValidateOptions {
            allowed_protocols: given.strings("allowedProtocols")?,
        },
        action: given.string("action")?,
    };
    match render_parts(&action, &context, &options) {
        Ok(rendered) => Ok((action, rendered)),
        Err(diagnostics) => {
            let first = diagnostics
                .first()
                .map_or_else(String::new, |d| format!(": {}", d.diagnostic.message));
            let error = Error::new(&format!("the action cannot be rendered{first}"));
            let list = to_js(&js_action_diagnostics(&action, diagnostics)).unwrap_or(JsValue::NULL);
            let _ = Reflect::set(&error, &JsValue::from_str("diagnostics"), &list);
            Err(error.into())
        }
    }
}

/// The aggregated type Octane passes as `{entity_type}`: `defect` gives
/// `work_item`, `test_manual` gives `test`.
#[wasm_bindgen(js_name = aggregatedType)]
pub fn aggregated_type(
    #[wasm_bindgen(unchecked_param_type = "string")] entity_type: JsValue,
) -> Result<String, JsValue> {
    Ok(octane_actions::aggregated_type(&string_arg(&entity_type, "entityType")?).to_owned())
}
