//! The metadata model: entities, their fields, and how references point
//! from one entity to others.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a over a name's bytes: names are short, and a lookup runs for every
/// field of every phrase validated, where SipHash took a third of the
/// validator's time. The tables are built once from metadata the user
/// chose to load, so a hash that resists chosen collisions buys nothing.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NameHasher(u64);

impl Default for NameHasher {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A table keyed by entity or field name.
type ByName = HashMap<String, usize, BuildHasherDefault<NameHasher>>;

/// The type of a field, as `field_type` in Octane's metadata names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// `integer`
    Integer,
    /// `float`
    Float,
    /// `boolean`
    Boolean,
    /// `date`
    Date,
    /// `date_time`
    DateTime,
    /// `string`
    String,
    /// `memo` (long text)
    Memo,
    /// `object` (structured value, not filterable)
    Object,
    /// `reference` (to one or several entity types)
    Reference,
    /// Any other `field_type` text; validated permissively.
    Other(String),
}

impl FieldType {
    /// Reads Octane's `field_type` text.
    pub fn parse(text: &str) -> Self {
        match text {
            "integer" | "long" => FieldType::Integer,
            "float" | "double" => FieldType::Float,
            "boolean" => FieldType::Boolean,
            "date" => FieldType::Date,
            "date_time" | "datetime" => FieldType::DateTime,
            "string" => FieldType::String,
            "memo" => FieldType::Memo,
            "object" => FieldType::Object,
            "reference" => FieldType::Reference,
            other => FieldType::Other(other.to_owned()),
        }
    }

    /// Octane's `field_type` text.
    pub fn as_str(&self) -> &str {
        match self {
            FieldType::Integer => "integer",
            FieldType::Float => "float",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::DateTime => "date_time",
            FieldType::String => "string",
            FieldType::Memo => "memo",
            FieldType::Object => "object",
            FieldType::Reference => "reference",
            FieldType::Other(text) => text,
        }
    }
}

/// One entity type a reference may point to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The entity name (`release`, `list_node`, ...).
    pub entity: String,
    /// For list nodes: the list's logical name (`list_node.severity`).
    pub logical_name: Option<String>,
}

/// A field of an entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The field name used in queries (`detected_in_release`).
    pub name: String,
    /// The entity that owns it.
    pub entity: String,
    /// The label shown in Octane's UI.
    pub label: String,
    /// Its type.
    pub field_type: FieldType,
    /// For references: the entity types it may point to.
    pub targets: Vec<Target>,
    /// For references: whether it holds several entities.
    pub multiple: bool,
    /// Whether queries may filter on it.
    pub filterable: bool,
    /// Whether results may be ordered by it.
    pub sortable: bool,
    /// Whether it must have a value.
    pub required: bool,
    /// Whether clients may write it.
    pub editable: bool,
    /// Whether its values are unique.
    pub unique: bool,
    /// Whether it is a user-defined field (`*_udf`).
    pub user_defined: bool,
    /// Longest value, for strings.
    pub max_length: Option<u64>,
}

impl Field {
    /// Whether it is a reference to list nodes (severity, priority, ...).
    pub fn is_list(&self) -> bool {
        self.field_type == FieldType::Reference
            && !self.targets.is_empty()
            && self.targets.iter().all(|t| t.entity == "list_node")
    }

    /// The entity names it points to.
    pub fn target_names(&self) -> impl Iterator<Item = &str> {
        self.targets.iter().map(|t| t.entity.as_str())
    }

    /// A short description: `reference → release`, `integer`, ...
    pub fn describe(&self) -> String {
        if self.field_type == FieldType::Reference {
            let targets: Vec<&str> = self.target_names().collect();
            let many = if self.multiple { "multi-" } else { "" };
            format!("{many}reference → {}", targets.join(" | "))
        } else {
            self.field_type.as_str().to_owned()
        }
    }
}

/// An entity type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// The entity name (`defect`).
    pub name: String,
    /// The label shown in Octane's UI.
    pub label: String,
    /// The REST collection (`defects`), when it has one.
    pub collection: Option<String>,
    /// The HTTP methods the collection supports.
    pub methods: Vec<String>,
    /// The aggregated type it is a subtype of (`work_item`).
    pub subtype_of: Option<String>,
    /// Its subtypes, for aggregated types.
    pub subtypes: Vec<String>,
    /// Its fields, in metadata order.
    pub fields: Vec<Field>,
    index: ByName,
}

impl Entity {
    /// An entity with no fields yet.
    pub fn new(name: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            label: label.into(),
            collection: None,
            methods: Vec::new(),
            subtype_of: None,
            subtypes: Vec::new(),
            fields: Vec::new(),
            index: ByName::default(),
        }
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.index.get(name).map(|&i| &self.fields[i])
    }

    /// Adds a field, replacing one of the same name.
    pub fn add_field(&mut self, field: Field) {
        if let Some(&i) = self.index.get(&field.name) {
            self.fields[i] = field;
        } else {
            self.index.insert(field.name.clone(), self.fields.len());
            self.fields.push(field);
        }
    }

    /// Whether this is a user entity (`[current_user]` applies to it).
    pub fn is_user(&self) -> bool {
        is_user_entity(&self.name)
    }
}

/// Whether `[current_user]` fits `field` of `owner`: a reference to users,
/// or the `id` of a user entity.
pub fn accepts_current_user(owner: &Entity, field: &Field) -> bool {
    if field.field_type == FieldType::Reference {
        field.target_names().any(is_user_entity)
    } else {
        field.name == "id" && owner.is_user()
    }
}

/// Whether `[current_release]` fits `field` of `owner`: a reference to
/// releases, or the `id` of a release.
pub fn accepts_current_release(owner: &Entity, field: &Field) -> bool {
    if field.field_type == FieldType::Reference {
        field.target_names().any(|t| t == "release")
    } else {
        field.name == "id" && owner.name == "release"
    }
}

/// Whether `name` is one of Octane's user entities.
pub fn is_user_entity(name: &str) -> bool {
    matches!(
        name,
        "workspace_user" | "user" | "site_user" | "team_member"
    )
}

/// A value of a list (severity "High", ...), for completion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListNode {
    /// Its id (`list_node.severity.high`).
    pub id: String,
    /// Its display name (`High`).
    pub name: String,
}

/// Everything the validator knows: entities by name and collection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    entities: Vec<Entity>,
    by_name: ByName,
    by_collection: ByName,
    /// List values by list logical name (`list_node.severity`).
    pub lists: HashMap<String, Vec<ListNode>>,
}

impl Schema {
    /// Builds a schema from entities (subtype lists are derived).
    pub fn from_entities(entities: Vec<Entity>) -> Self {
        let mut schema = Schema::default();
        for mut entity in entities {
            entity.index = entity
                .fields
                .iter()
                .enumerate()
                .map(|(i, f)| (f.name.clone(), i))
                .collect();
            entity.subtypes.clear();
            schema
                .by_name
                .insert(entity.name.clone(), schema.entities.len());
            if let Some(collection) = &entity.collection {
                schema
                    .by_collection
                    .insert(collection.clone(), schema.entities.len());
            }
            schema.entities.push(entity);
        }
        let links: Vec<(usize, String)> = schema
            .entities
            .iter()
            .filter_map(|e| {
                let parent = schema.by_name.get(e.subtype_of.as_ref()?)?;
                Some((*parent, e.name.clone()))
            })
            .collect();
        for (parent, child) in links {
            schema.entities[parent].subtypes.push(child);
        }
        schema
    }

    /// The entity named `name` (`defect`) or served at collection `name`
    /// (`defects`).
    pub fn entity(&self, name: &str) -> Option<&Entity> {
        self.by_name
            .get(name)
            .or_else(|| self.by_collection.get(name))
            .or_else(|| {
                let lower = name.to_ascii_lowercase();
                self.by_name
                    .get(&lower)
                    .or_else(|| self.by_collection.get(&lower))
            })
            .map(|&i| &self.entities[i])
    }

    /// Every entity, in metadata order.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Entity names and collection names, for suggestions.
    pub fn entity_names(&self) -> impl Iterator<Item = &str> {
        self.entities
            .iter()
            .flat_map(|e| std::iter::once(e.name.as_str()).chain(e.collection.as_deref()))
    }

    /// The aggregated type of `entity` (`defect` → `work_item`), or the
    /// entity itself when it is not a subtype.
    pub fn aggregated_type<'a>(&'a self, entity: &'a str) -> &'a str {
        self.entity(entity)
            .and_then(|e| e.subtype_of.as_deref())
            .unwrap_or(entity)
    }
}
