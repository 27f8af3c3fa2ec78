//! One case per diagnostic: code, JSON path, and the text under the span.

use octane_actions::{ActionErrorKind, ValidateOptions, validate_actions};

fn action(extra: &str) -> String {
    format!(
        r#"{{"name": "a", "entity_type": ["defect"], "url": "https://x.example/app?ids={{entity_ids}}"{extra}}}"#
    )
}

/// (JSON, code, path, text under the span)
fn cases() -> Vec<(String, &'static str, &'static str, &'static str)> {
    vec![
        (r#"[{"name": "a",}]"#.into(), "A0001", "", "}"),
        ("[1]".into(), "A0002", "/0", "1"),
        ("\"x\"".into(), "A0002", "", "\"x\""),
        (r#"{"entity_type": ["defect"], "url": "https://x.example/"}"#.into(), "A0003", "", "{"),
        (action(r#", "single_entity": "yes""#), "A0004", "/single_entity", "\"yes\""),
        (format!("[{}, {}]", action(""), action("")), "A0005", "/1/name", "\"a\""),
        (action(r#", "icon": """#), "A0006", "/icon", "\"\""),
        (r#"{"name": "a", "entity_type": [], "url": "https://x.example/"}"#.into(), "A0006", "/entity_type", "[]"),
        (r#"{"name": "a", "entity_type": ["defects"], "url": "https://x.example/"}"#.into(), "A0007", "/entity_type/0", "\"defects\""),
        (action(r#", "views": ["list", "detail"]"#), "A0008", "/views/1", "\"detail\""),
        (action(r#", "dialog": "huge""#), "A0009", "/dialog", "\"huge\""),
        (action(r#", "workspaces": [1002], "exclude_workspaces": [1004]"#), "A0010", "/exclude_workspaces", "\"exclude_workspaces\""),
        (action(r#", "workspaces": [1002, "1004"]"#), "A0011", "/workspaces/1", "\"1004\""),
        (action(r#", "mode": {"name": "sidepanel"}"#), "A0012", "/mode/name", "\"sidepanel\""),
        (action(r#", "dialogue": "small""#), "A0013", "/dialogue", "\"dialogue\""),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "javascript:alert(1)"}"#.into(), "A0014", "/url", "javascript:"),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "DATA:text/html,x"}"#.into(), "A0014", "/url", "DATA:"),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "ftp://x.example/"}"#.into(), "A0015", "/url", "ftp:"),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "//x.example/a"}"#.into(), "A0016", "/url", "/"),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "https://x.example/?i={entity_id}"}"#.into(), "A0017", "/url", "{entity_id}"),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "https://x.example/?t={entity.name}"}"#.into(), "A0018", "/url", "{entity.name}"),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "https://x.example/?d={dialog_id}"}"#.into(), "A0019", "/url", "{dialog_id}"),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "http://x.example/", "dialog": "small"}"#.into(), "A0020", "/url", "http:"),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "https://{entity.host}/", "single_entity": true}"#.into(), "A0021", "/url", "{entity.host}"),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "{entity.url}", "single_entity": true}"#.into(), "A0021", "/url", "{entity.url}"),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "{octane_url}{workspace}/x"}"#.into(), "A0021", "/url", "{workspace}"),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "{octane_url}.evil.example/x"}"#.into(), "A0021", "/url", "."),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "https://x.example/{entity_ids"}"#.into(), "A0022", "/url", "{"),
        (r#"{"name": "a", "entity_type": ["defect"], "url": "java\tscript:alert(1)"}"#.into(), "A0023", "/url", "\\t"),
    ]
}

#[test]
fn each_case_reports_code_path_and_span() {
    for (json, code, path, text) in cases() {
        let diagnostics = validate_actions(&json, &ValidateOptions::default());
        let found = diagnostics
            .iter()
            .find(|d| d.diagnostic.code == code)
            .unwrap_or_else(|| panic!("{json}: no {code} in {diagnostics:#?}"));
        assert_eq!(found.path, path, "{json}");
        assert_eq!(&json[found.diagnostic.span.range()], text, "{json}");
        assert!(found.diagnostic.help.is_some(), "{code} has help");
    }
}

#[test]
fn every_validator_code_has_a_case() {
    let cases = cases();
    for kind in ActionErrorKind::ALL {
        let code = kind.code();
        // A0030.. are the renderer's (see render.rs).
        if code.as_bytes()[3] >= b'3' {
            continue;
        }
        assert!(
            cases.iter().any(|(_, c, _, _)| *c == code),
            "no case for {code}"
        );
    }
}

#[test]
fn suggestions() {
    let help = |json: &str, code: &str| {
        validate_actions(json, &ValidateOptions::default())
            .into_iter()
            .find(|d| d.diagnostic.code == code)
            .and_then(|d| d.diagnostic.help)
            .unwrap_or_default()
    };
    assert_eq!(
        help(&action(r#", "dialogue": "small""#), "A0013"),
        "did you mean `dialog`?"
    );
    assert_eq!(
        help(
            r#"{"name": "a", "entity_type": ["defects"], "url": "https://x/"}"#,
            "A0007"
        ),
        "did you mean `defect`?"
    );
    assert_eq!(
        help(
            r#"{"name": "a", "entity_type": ["workitem"], "url": "https://x/"}"#,
            "A0007"
        ),
        "did you mean `work_item`?"
    );
    assert_eq!(
        help(
            r#"{"name": "a", "entity_type": ["defect"], "url": "https://x/?{user_mail}"}"#,
            "A0017"
        ),
        "did you mean `{user_email}`?"
    );
}

#[test]
fn valid_configs_and_options() {
    let clean = |json: &str, options: &ValidateOptions| {
        let d = validate_actions(json, options);
        assert!(d.is_empty(), "{json}: {d:#?}");
    };
    let defaults = ValidateOptions::default();
    clean(
        &format!(
            "[{}]",
            action(
                r#", "views": ["list", "details"], "icon": "rss", "events": false, "dialog": "large", "title": "T", "workspaces": [1002, 1004]"#
            )
        ),
        &defaults,
    );
    clean(
        r#"{"name": "b", "entity_type": ["work_item", "test"], "url": "{octane_url}/api/shared_spaces/{shared_space}/external-entity-actions/bundle/foo/foo.html", "mode": {"name": "side_panel", "modules": ["backlog"]}}"#,
        &defaults,
    );
    clean(
        r#"{"name": "m", "entity_type": ["defect"], "url": "mailto:{user_email}?subject={entity.name}", "single_entity": true}"#,
        &defaults,
    );
    let td = r#"{"name": "t", "entity_type": ["defect"], "url": "td://qc.example:8080/qcbin/?EntityID={entity.alm_id_udf}", "single_entity": true}"#;
    assert_eq!(validate_actions(td, &defaults)[0].diagnostic.code, "A0015");
    clean(
        td,
        &ValidateOptions {
            allowed_protocols: vec!["td".into()],
        },
    );
    // Site parameters can never allow the refused schemes.
    let js = r#"{"name": "j", "entity_type": ["defect"], "url": "javascript:alert(1)"}"#;
    assert_eq!(
        validate_actions(
            js,
            &ValidateOptions {
                allowed_protocols: vec!["javascript".into()]
            }
        )[0]
        .diagnostic
        .code,
        "A0014"
    );
}

#[test]
fn spans_account_for_json_escapes() {
    let json = r#"{"name": "a", "entity_type": ["defect"], "url": "https://x.example/\u00e9?x={entity_idz}"}"#;
    let d = &validate_actions(json, &ValidateOptions::default())[0];
    assert_eq!(&json[d.diagnostic.span.range()], "{entity_idz}");
}

#[test]
fn many_problems_are_counted_past_the_cap_and_names_are_checked_in_one_pass() {
    use octane_actions::MAX_DIAGNOSTICS;
    // 40,000 actions sharing 100 names, each with an unknown property and
    // no entity_type: 119,900 problems, of which the first MAX_DIAGNOSTICS
    // are listed.
    let items: Vec<String> = (0..40_000)
        .map(|i| {
            format!(
                r#"{{"name":"a{}","url":"https://x.example/{{entity_ids}}","bad":1}}"#,
                i % 100
            )
        })
        .collect();
    let text = format!("[{}]", items.join(","));
    let diagnostics = validate_actions(&text, &ValidateOptions::default());
    assert_eq!(diagnostics.len(), MAX_DIAGNOSTICS + 1);
    let last = diagnostics.last().unwrap();
    assert_eq!(last.diagnostic.code, "A0037");
    assert!(
        last.diagnostic
            .message
            .starts_with(&format!("{} more problems", 119_900 - MAX_DIAGNOSTICS)),
        "{}",
        last.diagnostic.message
    );
    // The duplicate of `a0` points back at the first.
    let duplicate = diagnostics
        .iter()
        .find(|d| d.diagnostic.code == "A0005")
        .unwrap();
    assert_eq!(duplicate.path, "/100/name");
    assert_eq!(&text[duplicate.diagnostic.labels[0].span.range()], "\"a0\"");
}
