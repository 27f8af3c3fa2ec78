//! ALM Octane external actions: the config validator and the URL
//! token-substitution engine.
//!
//! This crate owns what an external-action config may say and the exact
//! URL a click opens. It reads the editor's JSON keeping positions, so
//! every diagnostic points into the pasted text and names its JSON path;
//! it substitutes tokens with each value percent-encoded for where it
//! lands, and refuses URLs whose scheme or host a value could decide. It
//! uses `octane-schema` for entity names and aggregated types, and knows
//! nothing of JavaScript, nor of the app an action opens (that is
//! `octane-app`).
//!
//! ```
//! use octane_actions::{Context, RenderOptions, ValidateOptions, render, validate_actions};
//!
//! let action = r#"{
//!   "name": "defect-details",
//!   "entity_type": ["defect"],
//!   "url": "https://tickets.example.com/open?ids={entity_ids}&type={entity_type}&title={entity.name}",
//!   "single_entity": true
//! }"#;
//! assert!(validate_actions(action, &ValidateOptions::default()).is_empty());
//! let context: Context = serde_json::from_str(
//!     r#"{"entities": [{"id": "1001", "type": "defect", "name": "Crash & burn #2"}]}"#,
//! ).unwrap();
//! let url = render(action, &context, &RenderOptions::default()).unwrap();
//! assert_eq!(
//!     url,
//!     "https://tickets.example.com/open?ids=1001&type=work_item&title=Crash%20%26%20burn%20%232"
//! );
//! ```

mod bundle;
mod diagnostics;
pub use octane_query::json;
mod render;
mod template;
mod validate;

pub use bundle::{BUNDLE_PREFIXES, validate_bundle};
pub use diagnostics::{ActionDiagnostic, ActionErrorKind};
pub use render::{
    Context, Entity, Field, RenderOptions, Rendered, Substitution, aggregated_type, render,
    render_parts,
};
pub use template::{TOKENS, encode};
pub use validate::{
    MAX_DIAGNOSTICS, PROPERTIES, REFUSED_SCHEMES, ValidateOptions, validate_actions,
};
