//! Rendering: the seed's sample action, errors, an injection corpus, and a
//! property test that every value comes back intact from the URL.

use octane_actions::{Context, Field, RenderOptions, aggregated_type, render};
use proptest::prelude::*;
use url::Url;

fn context(json: &str) -> Context {
    serde_json::from_str(json).expect("context JSON")
}

const SAMPLE_CONTEXT: &str = r#"{
  "entities": [{"id": "1003", "type": "defect", "name": "Crash", "foo_udf": "TCK-7"}],
  "shared_space": 1004, "workspace": "1006",
  "user_login": "ada@example.com", "user_email": "ada@example.com",
  "octane_url": "https://octane.example.com/"
}"#;

/// The seed's sample action. Extraction lost the start of its URL (it
/// begins at `{entity_ids}`); the server part here restores it.
const SEED_ACTION: &str = r#"{
    "name": "defect-details",
    "title": "Defect Details",
    "entity_type": ["defect"],
    "views": ["list", "details"],
    "icon": "rss",
    "url": "https://external.example.com/defects?entity_ids={entity_ids}&entity_type={entity_type}&shared_space={shared_space}&workspace={workspace}&user_login={user_login}&email={user_email}&action=defect-details",
    "single_entity": true,
    "events": false,
    "dialog": "large"
}"#;

#[test]
fn the_seed_sample_renders() {
    let url = render(
        SEED_ACTION,
        &context(SAMPLE_CONTEXT),
        &RenderOptions::default(),
    )
    .unwrap();
    assert_eq!(
        url,
        "https://external.example.com/defects?entity_ids=1003&entity_type=work_item&shared_space=1004&workspace=1006&user_login=ada%40example.com&email=ada%40example.com&action=defect-details"
    );
    // As extracted, the URL starts with a token: refused, since a value
    // would decide the scheme.
    let garbled = SEED_ACTION.replace("https://external.example.com/defects?entity_ids=", "");
    let errors = render(
        &garbled,
        &context(SAMPLE_CONTEXT),
        &RenderOptions::default(),
    )
    .unwrap_err();
    assert_eq!(errors[0].diagnostic.code, "A0021");
}

#[test]
fn the_docs_token_example_and_bundle_urls() {
    let action = r#"{"name": "x", "entity_type": ["defect"], "single_entity": true,
      "url": "https://tickets.example.com/?ids={entity_ids}&foo_bar={entity.foo_udf}&entity_type={entity_type}"}"#;
    let url = render(action, &context(SAMPLE_CONTEXT), &RenderOptions::default()).unwrap();
    assert_eq!(
        url,
        "https://tickets.example.com/?ids=1003&foo_bar=TCK-7&entity_type=work_item"
    );
    let bundle = r#"{"name": "b", "entity_type": ["defect"], "url": "{octane_url}/api/shared_spaces/{shared_space}/external-entity-actions/bundle/foo/foo.html#ids={entity_ids}"}"#;
    let url = render(bundle, &context(SAMPLE_CONTEXT), &RenderOptions::default()).unwrap();
    assert_eq!(
        url,
        "https://octane.example.com/api/shared_spaces/1004/external-entity-actions/bundle/foo/foo.html#ids=1003"
    );
}

#[test]
fn aggregated_types() {
    assert_eq!(aggregated_type("defect"), "work_item");
    assert_eq!(aggregated_type("story"), "work_item");
    assert_eq!(aggregated_type("test_manual"), "test");
    assert_eq!(aggregated_type("run_automated"), "run");
    assert_eq!(aggregated_type("release"), "release");
    assert_eq!(aggregated_type("unknown_thing"), "unknown_thing");
}

#[test]
fn render_errors() {
    let options = RenderOptions::default();
    let code = |action: &str, ctx: &str| {
        render(action, &context(ctx), &options).unwrap_err()[0]
            .diagnostic
            .code
    };
    assert_eq!(code(SEED_ACTION, r#"{"entities": []}"#), "A0030");
    assert_eq!(
        code(
            SEED_ACTION,
            r#"{"entities": [{"id": "1", "type": "defect"}, {"id": "2", "type": "defect"}], "shared_space": 1, "workspace": 2}"#
        ),
        "A0031"
    );
    let field = r#"{"name": "x", "entity_type": ["defect"], "single_entity": true, "url": "https://t.example/?k={entity.foo_udf}"}"#;
    assert_eq!(
        code(field, r#"{"entities": [{"id": "1", "type": "defect"}]}"#),
        "A0032"
    );
    assert_eq!(
        code(
            field,
            r#"{"entities": [{"id": "1", "type": "defect", "foo_udf": {"type": "release", "id": "9"}}]}"#
        ),
        "A0032"
    );
    assert_eq!(
        code(
            SEED_ACTION,
            r#"{"entities": [{"id": "1", "type": "defect"}]}"#
        ),
        "A0033"
    );
    let bundle = r#"{"name": "b", "entity_type": ["defect"], "url": "{octane_url}/x"}"#;
    for bad in [
        "javascript:alert(1)//",
        "https://user@evil.example",
        "octane.example.com",
        "https://",
        "https://o.example/?a=1",
        "https://o.example/x y",
    ] {
        let ctx = format!(
            r#"{{"entities": [{{"id": "1", "type": "defect"}}], "octane_url": {}}}"#,
            serde_json::to_string(bad).unwrap()
        );
        assert_eq!(code(bundle, &ctx), "A0034", "{bad}");
    }
    // An invalid action is reported, not rendered.
    assert_eq!(
        code(
            r#"{"name": "j", "entity_type": ["defect"], "url": "javascript:x"}"#,
            SAMPLE_CONTEXT
        ),
        "A0014"
    );
}

/// Field values crafted to break out of their place.
const INJECTIONS: &[&str] = &[
    "a&admin=true",
    "x#fragment",
    "x?y=z",
    "../../admin",
    "/evil",
    "a b\"c'd<e>f",
    "javascript:alert(1)",
    "https://evil.example/",
    "%26admin%3Dtrue",
    "\u{202e}gpj.exe",
    "é中😀",
    "\r\nSet-Cookie: x=1",
    "\\\\evil.example\\share",
    "=;,+",
];

#[test]
fn injection_corpus_is_encoded_harmlessly() {
    let action = r#"{"name": "x", "entity_type": ["defect"], "single_entity": true,
      "url": "https://t.example/item/{entity.v}/view?key={entity.v}&fixed=1#frag={entity.v}"}"#;
    for value in INJECTIONS {
        let ctx = Context {
            entities: vec![
                serde_json::from_str(
                    &serde_json::json!({"id": "1", "type": "defect", "v": value}).to_string(),
                )
                .unwrap(),
            ],
            ..Context::default()
        };
        let rendered = render(action, &ctx, &RenderOptions::default()).unwrap();
        let url = Url::parse(&rendered).unwrap_or_else(|e| panic!("{value:?}: {e}"));
        assert_eq!(url.scheme(), "https");
        assert_eq!(url.host_str(), Some("t.example"));
        let segments: Vec<String> = url.path_segments().unwrap().map(percent_decode).collect();
        assert_eq!(segments, ["item", *value, "view"], "{rendered}");
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("key".to_owned(), (*value).to_owned()),
                ("fixed".to_owned(), "1".to_owned())
            ],
            "{rendered}"
        );
        let fragment = url.fragment().unwrap();
        assert_eq!(
            percent_decode(fragment.strip_prefix("frag=").unwrap()),
            *value
        );
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

proptest! {
    #[test]
    fn any_value_comes_back_exactly(value in "\\PC{0,24}", id in "[0-9]{1,6}") {
        let action = r#"{"name": "x", "entity_type": ["defect"], "single_entity": true,
          "url": "https://t.example/app?ids={entity_ids}&v={entity.v}&login={user_login}"}"#;
        let ctx = Context {
            entities: vec![serde_json::from_str(&serde_json::json!({"id": id, "type": "defect", "v": value}).to_string()).unwrap()],
            user_login: Some(Field::from(value.as_str())),
            ..Context::default()
        };
        let rendered = render(action, &ctx, &RenderOptions::default()).unwrap();
        let url = Url::parse(&rendered).unwrap();
        prop_assert_eq!(url.host_str(), Some("t.example"));
        let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        prop_assert_eq!(pairs, vec![
            ("ids".to_owned(), id.clone()),
            ("v".to_owned(), value.clone()),
            ("login".to_owned(), value.clone()),
        ]);
    }
}

/// The editor's config: an array of actions.
const CONFIG: &str = r#"[
  {"name": "defect-details", "entity_type": ["defect"],
   "url": "https://tickets.example.com/defects?ids={entity_ids}"},
  {"name": "story-board", "entity_type": ["story"],
   "url": "https://board.example.com/?ids={entity_ids}&ws={workspace}"},
  {"name": "broken", "entity_type": ["defect"], "url": "javascript:alert(1)"}
]"#;

fn render_named(
    config: &str,
    name: Option<&str>,
) -> Result<String, Vec<octane_actions::ActionDiagnostic>> {
    let options = RenderOptions {
        action: name.map(str::to_owned),
        ..RenderOptions::default()
    };
    render(config, &context(SAMPLE_CONTEXT), &options)
}

#[test]
fn an_action_of_an_array_renders_by_name() {
    assert_eq!(
        render_named(CONFIG, Some("story-board")).unwrap(),
        "https://board.example.com/?ids=1003&ws=1006"
    );
    // Another action's error does not stop this one.
    assert_eq!(
        render_named(CONFIG, Some("defect-details")).unwrap(),
        "https://tickets.example.com/defects?ids=1003"
    );
    // The chosen action's own error does, at its path in the array.
    let errors = render_named(CONFIG, Some("broken")).unwrap_err();
    assert_eq!(errors[0].diagnostic.code, "A0014");
    assert_eq!(errors[0].path, "/2/url");
    // An array of one needs no name.
    let one = r#"[{"name": "a", "entity_type": ["defect"], "url": "https://a.example/?id={entity_ids}"}]"#;
    assert_eq!(
        render_named(one, None).unwrap(),
        "https://a.example/?id=1003"
    );
}

#[test]
fn every_refusal_is_located() {
    let cases: [(&str, Option<&str>, &str); 7] = [
        (CONFIG, None, "A0035"),
        (CONFIG, Some("story-bord"), "A0035"),
        ("[]", None, "A0035"),
        (SEED_ACTION, Some("other"), "A0035"),
        ("[1, 2]", None, "A0035"),
        ("42", None, "A0002"),
        ("{\"name\": ", None, "A0001"),
    ];
    for (config, name, code) in cases {
        let errors = render_named(config, name).unwrap_err();
        assert!(!errors.is_empty(), "{config} / {name:?}");
        let first = &errors[0].diagnostic;
        assert_eq!(first.code, code, "{config} / {name:?}");
        assert!(
            (first.span.end as usize) <= config.len() && !first.message.is_empty(),
            "{config}: {first:?}"
        );
        assert!(first.help.is_some(), "{config}: {first:?}");
    }
    let errors = render_named(CONFIG, Some("story-bord")).unwrap_err();
    assert_eq!(
        errors[0].diagnostic.help.as_deref(),
        Some("did you mean `story-board`?")
    );
    let errors = render_named(CONFIG, None).unwrap_err();
    assert_eq!(
        errors[0].diagnostic.help.as_deref(),
        Some("pass the action's name (`defect-details`, `story-board`, `broken`)")
    );
}

#[test]
fn a_value_never_leaves_its_path_segment() {
    let action = r#"{"name": "x", "entity_type": ["defect"], "single_entity": true,
      "url": "https://tickets.example.com/projects/safe/{entity.name}/view?id={entity_ids}"}"#;
    let with_name = |name: &str| {
        let ctx = format!(
            r#"{{"entities": [{{"id": "1", "type": "defect", "name": {}}}]}}"#,
            serde_json::to_string(name).unwrap()
        );
        render(action, &context(&ctx), &RenderOptions::default())
    };
    for name in ["..", ".", "%2e%2e", "%2E."] {
        match with_name(name) {
            Err(errors) => {
                assert_eq!(errors[0].diagnostic.code, "A0036", "{name}");
                assert_eq!(&action[errors[0].diagnostic.span.range()], "{entity.name}");
            }
            // Encoded, `%` keeps the value literal: not a dot segment.
            Ok(url) => {
                let parsed = Url::parse(&url).unwrap();
                assert!(
                    parsed.path().starts_with("/projects/safe/"),
                    "{name}: {url}"
                );
                assert_eq!(
                    parsed.path_segments().unwrap().nth(2).map(str::to_owned),
                    Some(octane_actions::encode(name))
                );
            }
        }
    }
    assert!(with_name("...").is_ok());
    assert!(with_name("..").is_err());
    // In the query string a dot is only a dot.
    let in_query = r#"{"name": "x", "entity_type": ["defect"], "single_entity": true,
      "url": "https://t.example/view?name={entity.name}"}"#;
    let ctx = context(r#"{"entities": [{"id": "1", "type": "defect", "name": ".."}]}"#);
    assert_eq!(
        render(in_query, &ctx, &RenderOptions::default()).unwrap(),
        "https://t.example/view?name=.."
    );
}

#[test]
fn only_the_values_a_url_uses_are_read() {
    let action = r#"{"name": "x", "entity_type": ["defect"], "single_entity": true,
      "url": "https://t.example/app?ids={entity_ids}&v={entity.name}"}"#;
    // A lone surrogate (as JavaScript's JSON.stringify writes one) in a
    // field, or in a context value, that the URL does not use.
    let ctx = context(
        r#"{"entities": [{"id": "1", "type": "defect", "name": "ok", "notes": "bad \ud800 text"}],
            "user_login": "\udc00"}"#,
    );
    assert_eq!(
        render(action, &ctx, &RenderOptions::default()).unwrap(),
        "https://t.example/app?ids=1&v=ok"
    );
    // The same value where the URL uses it: a located error naming it.
    let ctx = context(r#"{"entities": [{"id": "1", "type": "defect", "name": "bad \ud800"}]}"#);
    let errors = render(action, &ctx, &RenderOptions::default()).unwrap_err();
    assert_eq!(errors[0].diagnostic.code, "A0032");
    assert!(
        errors[0].diagnostic.message.contains("not Unicode"),
        "{errors:?}"
    );
    assert_eq!(&action[errors[0].diagnostic.span.range()], "{entity.name}");
}

#[test]
fn a_misspelt_context_key_is_refused() {
    let error =
        serde_json::from_str::<Context>(r#"{"entities": [], "octaneUrl": "https://o.example"}"#)
            .unwrap_err();
    assert!(
        error.to_string().contains("unknown field `octaneUrl`"),
        "{error}"
    );
    assert!(error.to_string().contains("octane_url"), "{error}");
}

#[test]
fn render_parts_says_where_each_value_went() {
    let rendered = octane_actions::render_parts(
        SEED_ACTION,
        &context(SAMPLE_CONTEXT),
        &RenderOptions::default(),
    )
    .unwrap();
    let tokens: Vec<&str> = rendered
        .substitutions
        .iter()
        .map(|s| s.token.as_str())
        .collect();
    assert_eq!(
        tokens,
        [
            "entity_ids",
            "entity_type",
            "shared_space",
            "workspace",
            "user_login",
            "user_email"
        ]
    );
    let values: Vec<&str> = rendered
        .substitutions
        .iter()
        .map(|s| &rendered.url[s.start..s.end])
        .collect();
    assert_eq!(
        values,
        [
            "1003",
            "work_item",
            "1004",
            "1006",
            "ada%40example.com",
            "ada%40example.com"
        ]
    );
    // Each span is the token, braces included, in the config text.
    for s in &rendered.substitutions {
        let start = usize::try_from(s.span.start).unwrap();
        let end = usize::try_from(s.span.end).unwrap();
        assert_eq!(&SEED_ACTION[start..end], format!("{{{}}}", s.token));
    }
    assert_eq!(
        rendered.url,
        render(
            SEED_ACTION,
            &context(SAMPLE_CONTEXT),
            &RenderOptions::default()
        )
        .unwrap()
    );
}

#[test]
fn octane_url_as_a_query_value_is_encoded_and_valid() {
    let action = r#"{"name": "a", "entity_type": ["defect"],
        "url": "https://app.example/open?ids={entity_ids}&octane_url={octane_url}#from={octane_url}"}"#;
    assert!(
        octane_actions::validate_actions(action, &octane_actions::ValidateOptions::default())
            .iter()
            .all(|d| !d.diagnostic.is_error()),
        "a base URL may be a query or fragment value"
    );
    let url = render(action, &context(SAMPLE_CONTEXT), &RenderOptions::default()).unwrap();
    assert_eq!(
        url,
        "https://app.example/open?ids=1003&octane_url=https%3A%2F%2Foctane.example.com#from=https%3A%2F%2Foctane.example.com"
    );
    let parsed = Url::parse(&url).unwrap();
    let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    assert_eq!(
        pairs[1],
        ("octane_url".into(), "https://octane.example.com".into())
    );
    // In the middle of a path it would be a URL inside a path: refused.
    let in_path = action.replace("/open?", "/{octane_url}/open?");
    let errors =
        octane_actions::validate_actions(&in_path, &octane_actions::ValidateOptions::default());
    assert!(
        errors
            .iter()
            .any(|d| d.diagnostic.is_error() && d.diagnostic.message.contains("whole URL")),
        "{errors:?}"
    );
}
