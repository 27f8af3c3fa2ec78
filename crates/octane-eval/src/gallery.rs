//! The flows gallery: the read flows of Octane's "Common flows" page as
//! queries on the built-in schema and the sample workspace, stored in
//! `data/flows.json`.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// One gallery example.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    /// The flow's title.
    pub title: String,
    /// The collection queried.
    pub entity: String,
    /// The query statement, in canonical form.
    pub query: String,
    /// What it selects, in a sentence or two.
    pub description: String,
}

#[derive(Deserialize)]
struct Examples {
    data: Vec<Example>,
}

/// The gallery, read once from `data/flows.json`.
pub fn examples() -> &'static [Example] {
    static EXAMPLES: OnceLock<Vec<Example>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        serde_json::from_str::<Examples>(include_str!("../data/flows.json"))
            .map(|e| e.data)
            .unwrap_or_default()
    })
}
