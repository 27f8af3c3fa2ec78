//! The built-in schema: the public resources of a workspace out of the
//! box, stored in `data/` as Octane's own metadata JSON.

use std::sync::{Arc, OnceLock};

use crate::metadata::{from_records, list_nodes};
use crate::model::Schema;

/// `GET .../metadata/fields` of a fresh workspace.
pub const FIELDS_JSON: &str = include_str!("../data/fields.json");
/// `GET .../metadata/entities` of a fresh workspace.
pub const ENTITIES_JSON: &str = include_str!("../data/entities.json");
/// `GET .../list_nodes` of a fresh workspace (severity, priority, ...).
pub const LIST_NODES_JSON: &str = include_str!("../data/list_nodes.json");

/// The built-in schema, read once.
pub fn schema() -> &'static Schema {
    shared()
}

/// The built-in schema, read once, as a shared handle.
pub fn shared() -> &'static Arc<Schema> {
    static SCHEMA: OnceLock<Arc<Schema>> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        // The data files are checked by this crate's tests; should one be
        // broken all the same, the schema is empty rather than a panic.
        let mut schema = from_records(FIELDS_JSON, Some(ENTITIES_JSON), None).unwrap_or_default();
        schema.lists = list_nodes(LIST_NODES_JSON)
            .unwrap_or_default()
            .into_iter()
            .collect();
        Arc::new(schema)
    })
}
