//! Schemas held by number, for hosts that can hand only numbers across a
//! boundary (a WebAssembly module's JavaScript objects name theirs by id).

use std::collections::HashMap;
use std::sync::Arc;

use crate::Schema;

/// Schemas by id. Id [`SchemaRegistry::BUILTIN`] is always the built-in
/// schema; every other id names one schema until it is removed, and is
/// never handed out twice while in use.
#[derive(Debug, Default)]
pub struct SchemaRegistry {
    schemas: HashMap<u32, Arc<Schema>>,
    /// The last id handed out.
    last: u32,
}

impl SchemaRegistry {
    /// The id of the built-in schema.
    pub const BUILTIN: u32 = 0;

    /// An empty registry (the built-in schema is always there).
    pub fn new() -> Self {
        Self::default()
    }

    /// Holds `schema` and returns its id: never [`Self::BUILTIN`], never
    /// an id in use, however many schemas come and go.
    pub fn insert(&mut self, schema: Schema) -> u32 {
        let mut id = self.last;
        loop {
            id = id.wrapping_add(1);
            if id != Self::BUILTIN && !self.schemas.contains_key(&id) {
                break;
            }
        }
        self.last = id;
        self.schemas.insert(id, Arc::new(schema));
        id
    }

    /// The schema of `id`, as a shared handle; `None` for an id not in
    /// use (never given, or removed).
    pub fn get(&self, id: u32) -> Option<Arc<Schema>> {
        if id == Self::BUILTIN {
            return Some(Schema::builtin_shared());
        }
        self.schemas.get(&id).cloned()
    }

    /// Lets go of the schema of `id`; the built-in one stays. Whoever
    /// still holds its handle keeps it alive.
    pub fn remove(&mut self, id: u32) -> bool {
        self.schemas.remove(&id).is_some()
    }

    /// How many schemas are held, the built-in one not counted.
    pub fn len(&self) -> usize {
        self.schemas.len()
    }

    /// Whether only the built-in schema is there.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Schema {
        Schema::from_metadata(
            r#"{"data":[{"name":"id","entity_name":"defect","field_type":"integer"}]}"#,
            None,
        )
        .unwrap()
    }

    #[test]
    fn ids_name_one_schema_each_and_zero_is_builtin() {
        let mut registry = SchemaRegistry::new();
        assert!(Arc::ptr_eq(
            &registry.get(SchemaRegistry::BUILTIN).unwrap(),
            &Schema::builtin_shared()
        ));
        let a = registry.insert(small());
        let b = registry.insert(small());
        assert_ne!(a, b);
        assert_ne!(a, SchemaRegistry::BUILTIN);
        let held = registry.get(a).unwrap();
        assert!(registry.remove(a));
        assert!(registry.get(a).is_none());
        assert!(!registry.remove(SchemaRegistry::BUILTIN));
        // A handle taken before removal still works.
        assert!(held.entity("defect").is_some());
        assert_eq!(registry.len(), 1);
    }

    #[test]
    fn ids_wrap_around_without_reusing_one_in_use_or_zero() {
        let mut registry = SchemaRegistry::new();
        let kept = registry.insert(small());
        registry.last = u32::MAX - 1;
        let near_end = registry.insert(small());
        assert_eq!(near_end, u32::MAX);
        // Past the end: 0 is skipped, and so is `kept` (1).
        let wrapped = registry.insert(small());
        assert_eq!(kept, 1);
        assert_eq!(wrapped, 2);
    }
}
