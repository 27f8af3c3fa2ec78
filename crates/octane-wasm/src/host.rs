//! `OctaneHost`: the events an app sends back to Octane, posted only to
//! Octane's origin, and the messages it accepts only from there.

use js_sys::{Function, Reflect};
use octane_app::{self as app, Event, origin};
use wasm_bindgen::prelude::*;

use crate::app::ActionContext;
use crate::convert::{
    Members, OptCloseOptions, OptConnectOptions, app_error, array_items, optional, string_arg,
    to_js,
};
use crate::urls::BrowserUrl;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
export interface ConnectOptions {
  /**
   * Where messages go: the origin of `octane_url` by default. `"*"` lets
   * any page that framed or opened the app read them; it is used only
   * when passed here by name.
   */
  targetOrigin?: string;
}

/** A message from Octane, accepted from its exact origin and window only. */
export interface OctaneMessage { event_name: string; data: unknown }
"#;

/// The connection from an app to the Octane window that opened or framed
/// it.
#[wasm_bindgen]
pub struct OctaneHost {
    context: app::ActionContext,
    target: JsValue,
    target_origin: String,
}

fn global(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &name.into()).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen]
impl OctaneHost {
    /// Connects to the Octane window: `window.parent` when the app runs in
    /// Octane's dialog, `window.opener` when it runs in a tab. Throws when
    /// there is neither, or no origin to post to.
    pub fn connect(
        context: &ActionContext,
        options: Option<OptConnectOptions>,
    ) -> Result<OctaneHost, JsValue> {
        // `ConnectOptions`.
        let explicit = Members::read(&optional(options), "options", &["targetOrigin"])?
            .string("targetOrigin")?;
        let target_origin = match explicit.as_deref() {
            Some("*") => "*".to_owned(),
            Some(other) => origin(&BrowserUrl, other).ok_or_else(|| {
                JsValue::from(js_sys::TypeError::new(&format!(
                    "`targetOrigin` must be an http(s) origin or \"*\", not `{other}`"
                )))
            })?,
            None => context.inner().octane_origin.clone().ok_or_else(|| {
                JsValue::from(js_sys::Error::new(
                    "no origin to post to: the URL has no octane_url; add octane_url={octane_url} to the action's url, or pass targetOrigin",
                ))
            })?,
        };
        let window = global("window");
        if window.is_undefined() {
            return Err(js_sys::Error::new("OctaneHost needs a browser window").into());
        }
        let parent = Reflect::get(&window, &"parent".into())?;
        let opener = Reflect::get(&window, &"opener".into())?;
        let target = if !parent.is_undefined()
            && !parent.is_null()
            && !js_sys::Object::is(&parent, &window)
        {
            parent
        } else if !opener.is_undefined() && !opener.is_null() {
            opener
        } else {
            return Err(js_sys::Error::new(
                "this app has no Octane window to talk to: an action opened in a tab needs \"events\": true, one in a dialog needs \"dialog\"",
            )
            .into());
        };
        Ok(OctaneHost {
            context: context.inner().clone(),
            target,
            target_origin,
        })
    }

    /// The origin messages are posted to.
    #[wasm_bindgen(getter, js_name = targetOrigin)]
    pub fn target_origin(&self) -> String {
        self.target_origin.clone()
    }

    fn post(&self, event: &Event) -> Result<(), JsValue> {
        let message = app::envelope(&self.context, event).map_err(|e| app_error(&e))?;
        let message = to_js(&message)?;
        let post: Function = Reflect::get(&self.target, &"postMessage".into())?.dyn_into()?;
        post.call2(
            &self.target,
            &message,
            &JsValue::from_str(&self.target_origin),
        )?;
        Ok(())
    }

    /// `octane_refresh_entity`: Octane refreshes these entities.
    #[wasm_bindgen(js_name = refreshEntity)]
    pub fn refresh_entity(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] entity_type: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(string | number)[]")] ids: JsValue,
    ) -> Result<(), JsValue> {
        let entity_type = string_arg(&entity_type, "entityType")?;
        let ids = array_items(&ids)?
            .ok_or_else(|| JsValue::from(js_sys::TypeError::new("`ids` must be an array of ids")))?
            .iter()
            .map(id_text)
            .collect::<Result<_, _>>()?;
        self.post(&Event::RefreshEntity { entity_type, ids })
    }

    /// `octane_display_entity`: Octane shows this entity's details.
    #[wasm_bindgen(js_name = displayEntity)]
    pub fn display_entity(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] entity_type: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | number")] id: JsValue,
    ) -> Result<(), JsValue> {
        let entity_type = string_arg(&entity_type, "entityType")?;
        self.post(&Event::DisplayEntity {
            entity_type,
            id: id_text(&id)?,
        })
    }

    /// `octane_entity_was_added`: a new entity exists.
    #[wasm_bindgen(js_name = entityWasAdded)]
    pub fn entity_was_added(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] entity_type: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | number")] id: JsValue,
    ) -> Result<(), JsValue> {
        let entity_type = string_arg(&entity_type, "entityType")?;
        self.post(&Event::EntityWasAdded {
            entity_type,
            id: id_text(&id)?,
        })
    }

    /// `octane_refresh_list`: Octane refreshes the list of this type.
    #[wasm_bindgen(js_name = refreshList)]
    pub fn refresh_list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] entity_type: JsValue,
    ) -> Result<(), JsValue> {
        let entity_type = string_arg(&entity_type, "entityType")?;
        self.post(&Event::RefreshList { entity_type })
    }

    /// `octane_set_dialog_title` (dialog apps only).
    #[wasm_bindgen(js_name = setDialogTitle)]
    pub fn set_dialog_title(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] title: JsValue,
    ) -> Result<(), JsValue> {
        let title = string_arg(&title, "title")?;
        self.post(&Event::SetDialogTitle { title })
    }

    /// `octane_close_dialog` (dialog apps only); `refresh` refreshes the
    /// view behind it.
    #[wasm_bindgen(js_name = closeDialog)]
    pub fn close_dialog(&self, options: Option<OptCloseOptions>) -> Result<(), JsValue> {
        // `refresh` is a boolean: a truthy anything else is refused rather
        // than guessed at.
        let refresh =
            Members::read(&optional(options), "options", &["refresh"])?.flag("refresh")?;
        self.post(&Event::CloseDialog { refresh })
    }

    /// Calls `handler` with each message from the Octane window: only when
    /// `event.origin` equals the target origin exactly, `event.source` is
    /// that window, and the event name is a known one. Returns a function
    /// that stops listening.
    #[wasm_bindgen(js_name = onMessage, unchecked_return_type = "() => void")]
    pub fn on_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(message: OctaneMessage) => void")]
        handler: Function,
    ) -> Result<JsValue, JsValue> {
        let window = global("window");
        let expected_origin = self.target_origin.clone();
        let source = self.target.clone();
        let handler = handler.clone();
        let listener = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let from = Reflect::get(&event, &"origin".into())
                .ok()
                .and_then(|o| o.as_string());
            let sender = Reflect::get(&event, &"source".into()).unwrap_or(JsValue::NULL);
            let data = Reflect::get(&event, &"data".into()).unwrap_or(JsValue::NULL);
            let name = Reflect::get(&data, &"event_name".into())
                .ok()
                .and_then(|n| n.as_string());
            let accepted = app::accepts_message(
                &expected_origin,
                from.as_deref(),
                js_sys::Object::is(&sender, &source),
                name.as_deref(),
            );
            if accepted {
                let _ = handler.call1(&JsValue::NULL, &data);
            }
        });
        let add: Function = Reflect::get(&window, &"addEventListener".into())?.dyn_into()?;
        let remove: Function = Reflect::get(&window, &"removeEventListener".into())?.dyn_into()?;
        let callback: JsValue = listener.into_js_value();
        add.call2(&window, &"message".into(), &callback)?;
        let stop = Closure::once_into_js(move || {
            let _ = remove.call2(&window, &"message".into(), &callback);
        });
        Ok(stop)
    }
}

/// An id given as a string or a number.
fn id_text(value: &JsValue) -> Result<String, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    match value.as_f64() {
        Some(n) if n.is_finite() && n.fract() == 0.0 => Ok(format!("{n:.0}")),
        _ => Err(js_sys::TypeError::new("an id must be a string or a whole number").into()),
    }
}
