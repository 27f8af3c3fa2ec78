//! The inputs of octane-kit's native benchmarks (`benches/native.rs`, run
//! by `cargo xtask bench`): query statements, OData filters, Octane-shaped
//! collections and action contexts of a chosen size in bytes.
//!
//! This crate owns only how those inputs are made. It knows no parser,
//! validator or evaluator (the benchmarks call them), nothing of
//! JavaScript, and nothing here is timed.

use std::fmt::Write as _;

/// The sizes every benchmark runs at, in bytes of input: small, medium,
/// large and 1 MB.
pub const SIZES: [usize; 4] = [100, 10_000, 100_000, 1_000_000];

/// The statement the JavaScript benchmarks validate too (108 characters):
/// every field known to defects, a cross-filter, a negation and an `IN`
/// list.
pub const STATEMENT: &str = "name EQ ^x*^;(id GT 5||!owner EQ {null});severity EQ {id EQ ^list_node.severity.high^};story_points IN 1,2,3";

/// A query statement over defects of about `bytes` bytes (at least one
/// phrase group), every field known to the built-in schema.
pub fn statement(bytes: usize) -> String {
    const GROUP: &str = "(name EQ ^crash*^||!owner EQ {null});story_points GT 3;severity EQ {id EQ ^list_node.severity.high^}";
    let mut out = String::from(GROUP);
    while out.len() + GROUP.len() < bytes {
        out.push(';');
        out.push_str(GROUP);
    }
    out
}

/// An OData `$filter` over defects of about `bytes` bytes: a few
/// comparisons and an `in` list that grows with the size (a chain of
/// `and` would nest too deeply to grow).
pub fn odata_filter(bytes: usize) -> String {
    let mut out =
        String::from("name eq 'crash' and (story_points gt 3 or owner ne null) and id in (1001");
    let mut id = 1002;
    while out.len() + 7 < bytes {
        let _ = write!(out, ",{id}");
        id += 1;
    }
    out.push(')');
    out
}

/// A collection of defects as Octane's REST API returns it
/// (`{"defects": {"data": [...], "total_count": n}}`), about `bytes`
/// bytes long (at least one defect).
pub fn defects_json(bytes: usize) -> String {
    const SEVERITIES: [&str; 4] = ["high", "medium", "low", "urgent"];
    let mut items = Vec::new();
    let mut len = 0;
    while items.is_empty() || len < bytes {
        let i = items.len();
        let owner = if i % 7 == 0 {
            serde_json::Value::Null
        } else {
            serde_json::json!({ "type": "workspace_user", "id": (i % 500).to_string() })
        };
        let item = serde_json::json!({
            "type": "defect",
            "id": (1000 + i).to_string(),
            "name": format!("Defect {i}"),
            "severity": { "type": "list_node", "id": format!("list_node.severity.{}", SEVERITIES[i % 4]) },
            "owner": owner,
            "story_points": i % 13,
            "creation_time": format!("2025-01-{:02}T{:02}:{:02}:00Z", 1 + i / 1440 % 28, i / 60 % 24, i % 60),
        })
        .to_string();
        len += item.len() + 1;
        items.push(item);
    }
    format!(
        r#"{{"defects": {{"data": [{}], "total_count": {}}}}}"#,
        items.join(","),
        items.len()
    )
}

/// The query run over [`defects_json`]: three phrases, one a
/// cross-filter.
pub const DEFECTS_QUERY: &str =
    "severity EQ {id EQ ^list_node.severity.high^};story_points GT 3;!owner EQ {null}";

/// An external action for several defects whose URL uses the context's
/// tokens.
pub const ACTION: &str = r#"{
    "name": "defect-details",
    "title": "Defect Details",
    "entity_type": ["defect"],
    "views": ["list", "details"],
    "url": "https://external.example.com/defects?ids={entity_ids}&type={entity_type}&shared_space={shared_space}&workspace={workspace}&user={user_login}&octane={octane_url}",
    "single_entity": false
}"#;

/// The context of [`ACTION`] with about `bytes` bytes of selected
/// defects (at least one), as JSON.
pub fn context_json(bytes: usize) -> String {
    let mut entities = Vec::new();
    let mut len = 0;
    while entities.is_empty() || len < bytes {
        let i = entities.len();
        let entity = serde_json::json!({
            "id": (1000 + i).to_string(),
            "type": "defect",
            "name": format!("Crash on save & exit #{i} (é)"),
        })
        .to_string();
        len += entity.len() + 1;
        entities.push(entity);
    }
    format!(
        r#"{{"entities": [{}], "shared_space": 1001, "workspace": "1002", "user_login": "ada@example.com", "octane_url": "https://octane.example.com/"}}"#,
        entities.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `made` is about `bytes` long: not shorter than a tenth below it
    /// (unless one unit is longer), not longer than one unit above.
    fn about(made: &str, bytes: usize, unit: usize) {
        assert!(made.len() + unit >= bytes, "{} for {bytes}", made.len());
        assert!(
            made.len() <= bytes.max(unit) + unit,
            "{} for {bytes}",
            made.len()
        );
    }

    #[test]
    fn inputs_have_their_size_and_are_valid() {
        let schema = octane_schema::Schema::builtin();
        for bytes in SIZES {
            let source = statement(bytes);
            about(&source, bytes, 110);
            assert_eq!(octane_schema::validate(&source, "defects", schema), vec![]);
            let filter = odata_filter(bytes);
            about(&filter, bytes, 80);
            let options = octane_odata::TranslateOptions {
                entity: Some("defects"),
                schema: None,
            };
            assert!(octane_odata::odata_to_query(&filter, &options).is_ok());
            let json = defects_json(bytes);
            about(&json, bytes, 300);
            let dataset = octane_eval::Dataset::from_json(&json).expect("loads");
            assert!(dataset.row_count() > 0);
            let context = context_json(bytes);
            about(&context, bytes, 300);
            let context: octane_actions::Context = serde_json::from_str(&context).unwrap();
            let url =
                octane_actions::render(ACTION, &context, &octane_actions::RenderOptions::default());
            let url = url.map_err(|e| format!("{e:?}")).unwrap();
            assert!(url.contains("ids=1000"), "{url}");
        }
        assert_eq!(STATEMENT.len(), 108);
        assert_eq!(
            octane_schema::validate(STATEMENT, "defects", schema),
            vec![]
        );
    }
}
