//! Completion: fields, operators and values that fit the cursor.

use octane_schema::{CompletionKind, Schema, complete};

fn labels(source: &str, entity: &str) -> Vec<String> {
    complete(source, source.len(), entity, Schema::builtin())
        .into_iter()
        .map(|c| c.label)
        .collect()
}

#[test]
fn fields_at_a_field_position() {
    let all = labels("", "defects");
    assert!(all.contains(&"detected_in_release".to_owned()));
    assert!(!all.contains(&"rank".to_owned()), "not filterable");
    assert_eq!(labels("detected_in_r", "defects"), ["detected_in_release"]);
    let items = complete("seve", 4, "defects", Schema::builtin());
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].kind, CompletionKind::Field);
    assert_eq!(items[0].detail, "reference → list_node · Severity");
    assert_eq!((items[0].replace.start, items[0].replace.end), (0, 4));
}

#[test]
fn operators_fit_the_field_type() {
    assert_eq!(labels("blocked ", "defects"), ["EQ"]);
    assert_eq!(labels("owner ", "defects"), ["EQ", "IN"]);
    assert_eq!(
        labels("story_points ", "defects"),
        ["EQ", "LT", "GT", "LE", "GE", "IN", "BTW"]
    );
    assert_eq!(labels("story_points b", "defects"), ["BTW"]);
}

#[test]
fn values_fit_the_field() {
    assert_eq!(labels("blocked EQ ", "defects"), ["true", "false"]);
    let owner = labels("owner EQ ", "defects");
    assert_eq!(owner[..3], ["[current_user]", "{null}", "{…}"]);
    assert!(labels("release EQ ", "defects").contains(&"[current_release]".to_owned()));
    let severity = complete("severity EQ ", 12, "defects", Schema::builtin());
    let high = severity
        .iter()
        .find(|c| c.label == "High")
        .expect("list node");
    assert_eq!(high.insert, "{id EQ ^list_node.severity.high^}");
    assert_eq!(labels("closed_on EQ ", "defects"), ["null"]);
    assert_eq!(labels("owner EQ [cu", "defects"), ["[current_user]"]);
}

#[test]
fn cross_filters_complete_the_target_entity() {
    let inner = labels("detected_in_release EQ {", "defects");
    assert!(inner.contains(&"start_date".to_owned()));
    assert!(!inner.contains(&"severity".to_owned()));
    assert_eq!(
        labels("release EQ {sprints EQ {rel", "sprints"),
        ["release"]
    );
}

#[test]
fn continuation_after_a_phrase() {
    assert_eq!(labels("(id EQ 1 ", "defects"), [";", "||", ")"]);
    assert_eq!(labels("owner EQ {id EQ 1 ", "defects"), [";", "||", "}"]);
    assert_eq!(labels("name EQ ^a^", "defects"), [";", "||"]);
    // Right after a number, the number may still be being typed.
    assert!(labels("id EQ 1", "defects").is_empty());
}

#[test]
fn unknown_entity_or_path_gives_nothing() {
    assert!(labels("", "nothing").is_empty());
    assert!(labels("nope EQ {", "defects").is_empty());
}

/// Completions with the cursor at the `|` of `marked`: the labels, and the
/// text each would replace.
fn at_cursor(marked: &str, entity: &str) -> Vec<(String, String)> {
    let offset = marked.find('|').expect("a cursor");
    let source = marked.replacen('|', "", 1);
    complete(&source, offset, entity, Schema::builtin())
        .into_iter()
        .map(|c| {
            let replaced = source[c.replace.start as usize..c.replace.end as usize].to_owned();
            (c.label, replaced)
        })
        .collect()
}

#[test]
fn the_cursor_inside_the_text_completes_what_is_before_it() {
    // A field being typed before text that follows.
    let items = at_cursor("seve| EQ 1;name EQ ^a^", "defects");
    assert_eq!(items, [("severity".to_owned(), "seve".to_owned())]);
    // A second phrase, with the first left alone.
    let items = at_cursor("name EQ ^a^;detected_in_r|;id GT 5", "defects");
    assert_eq!(
        items,
        [("detected_in_release".to_owned(), "detected_in_r".to_owned())]
    );
    // An operator between a field and a value already written.
    let operators: Vec<String> = at_cursor("blocked | true", "defects")
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert_eq!(operators, ["EQ"]);
    // Inside a cross-filter, the target entity's fields.
    let inner: Vec<String> = at_cursor("detected_in_release EQ {start| EQ ^x^};id GT 1", "defects")
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert!(inner.contains(&"start_date".to_owned()), "{inner:?}");
    assert!(!inner.contains(&"severity".to_owned()));
    // After non-ASCII text earlier in the statement, spans stay on the word.
    let items = at_cursor("name EQ ^név é^;seve|", "defects");
    assert_eq!(items, [("severity".to_owned(), "seve".to_owned())]);
}
