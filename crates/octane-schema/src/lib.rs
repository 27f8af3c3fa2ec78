//! Octane's metadata model, a built-in schema, and schema-aware validation
//! and completion of queries.
//!
//! This crate owns what the entities of a workspace are, which fields they
//! have, of which types, and what a query may therefore say about them. It
//! reads Octane's metadata JSON exactly as `GET .../metadata/fields` and
//! `GET .../metadata/entities` return it, user-defined fields included; the
//! built-in schema is stored in that same format in `data/`, and shipped
//! as the same records in a compact form the build writes (`build.rs`),
//! so that using it parses no JSON. It relies on
//! `octane-query` for syntax and knows nothing of data (`octane-eval`) or
//! JavaScript (`octane-wasm`).
//!
//! ```
//! use octane_schema::{Schema, validate};
//!
//! let schema = Schema::builtin();
//! let diagnostics = validate("severity EQ ^High^;detected_in_relase EQ {null}", "defects", schema);
//! let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
//! assert_eq!(codes, ["S0010", "S0002"]);
//! assert_eq!(
//!     diagnostics[0].help.as_deref(),
//!     Some("write `severity EQ {id EQ ^list_node.severity.high^}`")
//! );
//! assert_eq!(diagnostics[1].help.as_deref(), Some("did you mean `detected_in_release`?"));
//! ```

mod builtin;
mod complete;
pub mod diagnostics;
mod metadata;
mod model;
mod registry;
mod validate;

pub use builtin::{ENTITIES_JSON, FIELDS_JSON, LIST_NODES_JSON};
pub use complete::{Completion, CompletionKind, complete};
pub use diagnostics::SchemaErrorKind;
pub use metadata::MetadataError;
pub use model::{
    Entity, Field, FieldType, ListNode, Schema, Target, accepts_current_release,
    accepts_current_user, is_user_entity,
};
pub use registry::SchemaRegistry;
pub use validate::{allowed_operators, validate, validate_query};

impl Schema {
    /// The built-in schema: every public resource of a workspace out of
    /// the box, with its standard fields and lists.
    pub fn builtin() -> &'static Schema {
        builtin::schema()
    }

    /// The built-in schema as a shared handle, for owners that may also
    /// hold a workspace's own schema (a dataset, a registry).
    pub fn builtin_shared() -> std::sync::Arc<Schema> {
        builtin::shared().clone()
    }
}
