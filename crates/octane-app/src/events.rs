//! The events an app and Octane exchange: the envelopes the app posts,
//! and which incoming messages it accepts as Octane's.

use crate::context::ActionContext;
use crate::diagnostics::{AppError, AppErrorKind};

/// The names of the events Octane exchanges with apps: the six an app
/// sends, and the two Octane sends to it.
pub const EVENT_NAMES: [&str; 8] = [
    "octane_refresh_entity",
    "octane_display_entity",
    "octane_entity_was_added",
    "octane_refresh_list",
    "octane_set_dialog_title",
    "octane_close_dialog",
    "octane_select_entity",
    "octane_context",
];

/// Whether an incoming message is Octane's: it comes from exactly
/// `expected_origin` (never when that is `*`, which trusts no one), from
/// the very window the app talks to (`from_target`), and names a known
/// event.
pub fn accepts_message(
    expected_origin: &str,
    origin: Option<&str>,
    from_target: bool,
    event_name: Option<&str>,
) -> bool {
    expected_origin != "*"
        && origin == Some(expected_origin)
        && from_target
        && event_name.is_some_and(|name| EVENT_NAMES.contains(&name))
}

/// The events an app sends to Octane.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// `octane_refresh_entity`: refresh these entities.
    RefreshEntity {
        /// The (aggregated) entity type.
        entity_type: String,
        /// The ids.
        ids: Vec<String>,
    },
    /// `octane_display_entity`: show this entity's details.
    DisplayEntity {
        /// The entity type.
        entity_type: String,
        /// The id.
        id: String,
    },
    /// `octane_entity_was_added`: a new entity exists.
    EntityWasAdded {
        /// The entity type.
        entity_type: String,
        /// The id.
        id: String,
    },
    /// `octane_refresh_list`: refresh the list of this type.
    RefreshList {
        /// The entity type.
        entity_type: String,
    },
    /// `octane_set_dialog_title`.
    SetDialogTitle {
        /// The new title.
        title: String,
    },
    /// `octane_close_dialog`.
    CloseDialog {
        /// Refresh the view behind the dialog.
        refresh: bool,
    },
}

impl Event {
    /// The `event_name` Octane reads.
    pub fn name(&self) -> &'static str {
        match self {
            Event::RefreshEntity { .. } => "octane_refresh_entity",
            Event::DisplayEntity { .. } => "octane_display_entity",
            Event::EntityWasAdded { .. } => "octane_entity_was_added",
            Event::RefreshList { .. } => "octane_refresh_list",
            Event::SetDialogTitle { .. } => "octane_set_dialog_title",
            Event::CloseDialog { .. } => "octane_close_dialog",
        }
    }

    /// Whether the event is about the dialog (and so carries `dialog_id`).
    pub fn is_dialog_event(&self) -> bool {
        matches!(
            self,
            Event::SetDialogTitle { .. } | Event::CloseDialog { .. }
        )
    }
}

fn check_name(what: &str, value: &str) -> Result<(), AppError> {
    if value.trim().is_empty() {
        return Err(AppError::new(
            AppErrorKind::BadArgument,
            format!("`{what}` is empty"),
            format!("pass the {what}"),
        ));
    }
    Ok(())
}

/// The message envelope for `event`:
/// `{event_name, shared_space, workspace, data}`, with `dialog_id` in
/// `data` for dialog events. Arguments are checked first.
pub fn envelope(context: &ActionContext, event: &Event) -> Result<serde_json::Value, AppError> {
    use serde_json::json;
    let data = match event {
        Event::RefreshEntity { entity_type, ids } => {
            check_name("entity type", entity_type)?;
            if ids.is_empty() || ids.iter().any(|id| id.trim().is_empty()) {
                return Err(AppError::new(
                    AppErrorKind::BadArgument,
                    "`ids` must list at least one non-empty id",
                    "pass the ids of the entities to refresh",
                ));
            }
            json!({"entity_type": entity_type, "entity_ids": ids})
        }
        Event::DisplayEntity { entity_type, id } | Event::EntityWasAdded { entity_type, id } => {
            check_name("entity type", entity_type)?;
            check_name("id", id)?;
            json!({"entity_type": entity_type, "entity_id": id})
        }
        Event::RefreshList { entity_type } => {
            check_name("entity type", entity_type)?;
            json!({"entity_type": entity_type})
        }
        Event::SetDialogTitle { title } => json!({"title": title}),
        Event::CloseDialog { refresh } => json!({"refresh": refresh}),
    };
    let mut data = data;
    if event.is_dialog_event() {
        let Some(dialog_id) = &context.dialog_id else {
            return Err(AppError::new(
                AppErrorKind::BadArgument,
                format!(
                    "`{}` needs a dialog_id, and the context has none",
                    event.name()
                ),
                "open the app from an action with \"dialog\" and pass dialog_id={dialog_id} in its url",
            ));
        };
        data["dialog_id"] = json!(dialog_id);
    }
    Ok(json!({
        "event_name": event.name(),
        "shared_space": context.shared_space,
        "workspace": context.workspace,
        "data": data,
    }))
}
