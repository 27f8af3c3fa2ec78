//! The app side's policy, natively, with the `url` crate's parser.

use octane_app::{
    ActionContext, AppErrorKind as K, Event, QueryTemplateError, RustUrl, TemplateValue, Trust,
    envelope, id_segment, query_template, resolve, xsrf_allowed, xsrf_token,
};

const URL: &str = "https://app.example/x?entity_ids=1003,4005&entity_type=work_item&shared_space=1004&workspace=1006&user_login=ada%40example.com&octane_url=https%3A%2F%2FOctane.example.com%3A443%2F#dialog_id=d-1";

#[test]
fn context_from_query_and_hash() {
    let context = ActionContext::from_url(URL, &RustUrl).unwrap();
    assert_eq!(context.entity_ids, ["1003", "4005"]);
    assert_eq!(context.shared_space, "1004");
    assert_eq!(context.user_login.as_deref(), Some("ada@example.com"));
    assert_eq!(context.dialog_id.as_deref(), Some("d-1"));
    assert_eq!(
        context.octane_origin.as_deref(),
        Some("https://octane.example.com")
    );
    let error = ActionContext::from_url(
        "https://a/?shared_space=1&workspace=2&user_email={user_email}",
        &RustUrl,
    )
    .unwrap_err();
    assert_eq!(error.kind, K::Unsubstituted);
    assert!(error.message.contains("`user_email`"));
    let error = ActionContext::from_url("https://a/?workspace=2", &RustUrl).unwrap_err();
    assert_eq!(error.kind, K::MissingParameter);
    assert!(error.message.contains("shared_space"));
}

#[test]
fn a_parameter_counts_once() {
    let base = "https://app.example/?shared_space=1&workspace=2";
    for url in [
        format!("{base}&octane_url=https%3A%2F%2Fa.example&octane_url=https%3A%2F%2Fb.example"),
        format!("{base}&octane_url=https%3A%2F%2Fa.example#octane_url=https%3A%2F%2Fb.example"),
        format!("{base}#workspace=3"),
    ] {
        let error = ActionContext::from_url(&url, &RustUrl).unwrap_err();
        assert_eq!(error.kind, K::DuplicateParameter, "{url}");
    }
}

#[test]
fn spaces_workspaces_and_entity_ids_are_ids() {
    for bad in [
        "shared_space=..&workspace=2",
        "shared_space=1&workspace=%2e%2e",
        "shared_space=1&workspace=2%2F..",
        "shared_space=1&workspace=-2",
        "shared_space=1&workspace=2&entity_ids=1,..",
        "shared_space=1&workspace=2&entity_ids=%2E",
        "shared_space=1&workspace=2&entity_ids=a%2Fb",
    ] {
        let url = format!("https://app.example/?{bad}");
        assert_eq!(
            ActionContext::from_url(&url, &RustUrl).unwrap_err().kind,
            K::NotAnId,
            "{bad}"
        );
    }
    assert_eq!(id_segment("..", "id").unwrap_err().kind, K::NotAnId);
    assert_eq!(id_segment(".", "id").unwrap_err().kind, K::NotAnId);
    assert_eq!(
        id_segment("list_node.severity.high", "id").unwrap(),
        "list_node.severity.high"
    );
    // A forged context does not get past resolution either.
    let mut context = ActionContext::from_url(URL, &RustUrl).unwrap();
    for path in [
        "defects/..",
        "defects/%2e%2E/x",
        "./defects",
        "defects/../../x?y",
    ] {
        assert_eq!(
            resolve(&context, path, &RustUrl).unwrap_err().kind,
            K::UnresolvedUrl,
            "{path}"
        );
    }
    context.workspace = "..".into();
    assert_eq!(
        resolve(&context, "defects", &RustUrl).unwrap_err().kind,
        K::NotAnId
    );
}

#[test]
fn the_app_names_the_octane_it_trusts() {
    let context = ActionContext::from_url(URL, &RustUrl).unwrap();
    let pinned = |origins: &[&str]| Trust {
        octane_origins: origins.iter().map(|o| (*o).to_owned()).collect(),
        ..Trust::default()
    };
    let app = "https://app.example";
    assert!(
        pinned(&["https://octane.example.com"])
            .check(&context, app, &RustUrl)
            .is_ok()
    );
    // By default only the app's own origin is trusted.
    let error = Trust::default().check(&context, app, &RustUrl).unwrap_err();
    assert_eq!(error.kind, K::UntrustedOctane);
    assert!(
        error.message.contains("https://octane.example.com"),
        "{error}"
    );
    assert!(error.help.contains("now: https://app.example"), "{error}");
    assert!(
        Trust::default()
            .check(&context, "https://octane.example.com", &RustUrl)
            .is_ok()
    );
    let error = pinned(&["https://octane.example.com/path"]).check(&context, app, &RustUrl);
    assert_eq!(error.unwrap_err().kind, K::NotAnOrigin);
    // Embedded or opened by a third origin: refused; by Octane or the
    // app itself, or unknown: fine.
    let mut trust = pinned(&["https://octane.example.com"]);
    trust.embedder_origin = Some("https://evil.example".into());
    assert_eq!(
        trust.check(&context, app, &RustUrl).unwrap_err().kind,
        K::UntrustedOctane
    );
    trust.embedder_origin = Some("https://octane.example.com".into());
    trust.referrer_origin = Some("https://evil.example".into());
    assert_eq!(
        trust.check(&context, app, &RustUrl).unwrap_err().kind,
        K::UntrustedOctane
    );
    trust.referrer_origin = Some(app.into());
    assert!(trust.check(&context, app, &RustUrl).is_ok());
    trust.referrer_origin = None;
    trust.embedder_origin = None;
    assert!(trust.check(&context, app, &RustUrl).is_ok());
}

#[test]
fn envelopes() {
    let context = ActionContext::from_url(URL, &RustUrl).unwrap();
    let message = envelope(
        &context,
        &Event::RefreshEntity {
            entity_type: "work_item".into(),
            ids: vec!["1003".into()],
        },
    )
    .unwrap();
    assert_eq!(
        message,
        serde_json::json!({"event_name": "octane_refresh_entity", "shared_space": "1004", "workspace": "1006",
            "data": {"entity_type": "work_item", "entity_ids": ["1003"]}})
    );
    let close = envelope(&context, &Event::CloseDialog { refresh: true }).unwrap();
    assert_eq!(
        close["data"],
        serde_json::json!({"refresh": true, "dialog_id": "d-1"})
    );
    assert_eq!(
        envelope(
            &context,
            &Event::RefreshEntity {
                entity_type: String::new(),
                ids: vec!["1".into()]
            }
        )
        .unwrap_err()
        .kind,
        K::BadArgument
    );
    assert_eq!(
        envelope(
            &context,
            &Event::RefreshEntity {
                entity_type: "defect".into(),
                ids: vec![]
            }
        )
        .unwrap_err()
        .kind,
        K::BadArgument
    );
    let no_dialog = ActionContext {
        dialog_id: None,
        ..context
    };
    assert_eq!(
        envelope(&no_dialog, &Event::SetDialogTitle { title: "T".into() })
            .unwrap_err()
            .kind,
        K::BadArgument
    );
}

#[test]
fn resolution_and_xsrf() {
    let context = ActionContext::from_url(URL, &RustUrl).unwrap();
    assert_eq!(
        resolve(&context, "defects?limit=1", &RustUrl).unwrap(),
        "https://octane.example.com/api/shared_spaces/1004/workspaces/1006/defects?limit=1"
    );
    assert_eq!(
        resolve(&context, "https://other.example/x", &RustUrl).unwrap(),
        "https://other.example/x"
    );
    assert_eq!(
        resolve(&context, "javascript:alert(1)", &RustUrl)
            .unwrap_err()
            .kind,
        K::UnresolvedUrl
    );
    assert_eq!(
        resolve(&context, "ftp://x/y", &RustUrl).unwrap_err().kind,
        K::UnresolvedUrl
    );
    let octane = context.octane_origin.clone().unwrap();
    assert!(xsrf_allowed(
        "https://octane.example.com/api/x",
        &octane,
        &[],
        &RustUrl
    ));
    assert!(xsrf_allowed(
        "https://OCTANE.example.com:443/api/x",
        &octane,
        &[],
        &RustUrl
    ));
    for url in [
        "https://octane.example.com.evil.example/",
        "http://octane.example.com/",
        "https://octane.example.com:8443/",
        "https://evil.example/?https://octane.example.com",
        "https://user@octane.example.com/",
        "not a url",
        "/relative",
    ] {
        assert!(!xsrf_allowed(url, &octane, &[], &RustUrl), "{url}");
    }
    assert!(xsrf_allowed(
        "https://api.example/x",
        &octane,
        &["https://api.example".into()],
        &RustUrl
    ));
    assert!(!xsrf_allowed(
        "https://api.example.evil/x",
        &octane,
        &["https://api.example".into()],
        &RustUrl
    ));
}

#[test]
fn xsrf_token_is_read_from_the_cookie_string() {
    assert_eq!(xsrf_token("").unwrap(), None);
    assert_eq!(xsrf_token("a=1; XSRF_COOKIE_OLD=x").unwrap(), None);
    // Exactly what Octane set: no form decoding, no unquoting.
    for token in ["abc+def/ghi==", "abc%2Bdef", "\"Qx9\"", "a%20b"] {
        let cookies = format!("a=1; XSRF_COOKIE={token}; b=2");
        assert_eq!(xsrf_token(&cookies).unwrap().as_deref(), Some(token));
    }
    for bad in ["XSRF_COOKIE=", "XSRF_COOKIE=a\u{7f}b", "XSRF_COOKIE=été"] {
        assert_eq!(xsrf_token(bad).unwrap_err().kind, K::BadXsrfCookie, "{bad}");
    }
}

#[test]
fn query_templates_cannot_change_structure() {
    let strings = |parts: &[&str]| parts.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let q = query_template(
        &strings(&[
            "name EQ ",
            ";id GT ",
            ";owner EQ {id IN ",
            "};flag EQ ",
            ";closed_on EQ ",
            "",
        ]),
        &[
            TemplateValue::String("x^;id GT 0||a EQ 1".into()),
            TemplateValue::Number(5.0),
            TemplateValue::List(vec![
                TemplateValue::String("1".into()),
                TemplateValue::Number(2.0),
            ]),
            TemplateValue::Boolean(true),
            TemplateValue::Null,
        ],
    )
    .unwrap();
    assert_eq!(
        q,
        "name EQ ^x\\^;id GT 0||a EQ 1^;id GT 5;owner EQ {id IN ^1^,2};flag EQ true;closed_on EQ null"
    );
    let star = query_template(
        &strings(&["name EQ ", ""]),
        &[TemplateValue::String("a*".into())],
    )
    .unwrap_err();
    assert!(matches!(star, QueryTemplateError::App(e) if e.kind == K::BadValue));
    let nan = query_template(
        &strings(&["id EQ ", ""]),
        &[TemplateValue::Number(f64::NAN)],
    )
    .unwrap_err();
    assert!(matches!(nan, QueryTemplateError::App(_)));
    let broken =
        query_template(&strings(&["id EQ ", " AND"]), &[TemplateValue::Number(1.0)]).unwrap_err();
    assert!(matches!(broken, QueryTemplateError::Query(text, _) if text == "id EQ 1 AND"));
    let date = query_template(
        &strings(&["creation_time GT ", ""]),
        &[TemplateValue::Date("2026-11-20T12:00:00.000Z".into())],
    )
    .unwrap();
    assert_eq!(date, "creation_time GT ^2026-11-20T12:00:00.000Z^");
}

#[test]
fn only_the_context_parameters_are_checked_for_tokens() {
    // An unrelated parameter may say anything, tokens included.
    let url = "https://app.example/?shared_space=1&workspace=2&title=Read%20{workspace}%20docs&note={entity.name}";
    let context = ActionContext::from_url(url, &RustUrl).unwrap();
    assert_eq!(context.params["title"], "Read {workspace} docs");
    // Each context parameter is still checked.
    for name in octane_app::context_parameters() {
        let mut query: Vec<String> = [("shared_space", "1"), ("workspace", "2")]
            .iter()
            .filter(|(key, _)| *key != name)
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        query.push(format!("{name}=1{{{name}}}"));
        let url = format!("https://app.example/?{}", query.join("&"));
        let error = ActionContext::from_url(&url, &RustUrl).unwrap_err();
        assert_eq!(error.kind, K::Unsubstituted, "{url}");
    }
}

#[test]
fn octane_url_is_a_site_url() {
    let with = |octane: &str| {
        let url = format!("https://app.example/?shared_space=1&workspace=2&octane_url={octane}");
        ActionContext::from_url(&url, &RustUrl)
    };
    // A fragment or query would swallow the API path; credentials and
    // other schemes have no place here.
    for bad in [
        "https%3A%2F%2Foctane.example.com%2F%23",
        "https%3A%2F%2Foctane.example.com%2F%3Fa%3D1",
        "https%3A%2F%2Fuser%40octane.example.com",
        "javascript%3Aalert(1)",
        "octane.example.com",
    ] {
        assert_eq!(with(bad).unwrap_err().kind, K::BadOctaneUrl, "{bad}");
    }
    // The URL standard decides: IDN, default port, path kept.
    let context = with("https%3A%2F%2Fb%C3%BCcher.example%3A0443%2Foctane%2F").unwrap();
    assert_eq!(
        context.octane_origin.as_deref(),
        Some("https://xn--bcher-kva.example")
    );
    assert_eq!(
        resolve(&context, "defects", &RustUrl).unwrap(),
        "https://xn--bcher-kva.example/octane/api/shared_spaces/1/workspaces/2/defects"
    );
    let trust = Trust {
        octane_origins: vec!["https://bücher.example".into()],
        ..Trust::default()
    };
    assert!(
        trust
            .check(&context, "https://app.example", &RustUrl)
            .is_ok()
    );
}

#[test]
fn only_octanes_messages_are_accepted() {
    use octane_app::accepts_message;
    let octane = "https://octane.example.com";
    assert!(accepts_message(
        octane,
        Some(octane),
        true,
        Some("octane_context")
    ));
    assert!(!accepts_message(
        octane,
        Some("https://evil.example"),
        true,
        Some("octane_context")
    ));
    assert!(!accepts_message(
        octane,
        Some(octane),
        false,
        Some("octane_context")
    ));
    assert!(!accepts_message(
        octane,
        Some(octane),
        true,
        Some("something_else")
    ));
    assert!(!accepts_message(octane, Some(octane), true, None));
    assert!(!accepts_message(octane, None, true, Some("octane_context")));
    // A target of "*" trusts no sender at all.
    assert!(!accepts_message(
        "*",
        Some("*"),
        true,
        Some("octane_context")
    ));
}

#[test]
fn an_entity_id_is_its_own_path_segment() {
    use octane_app::entity_path;
    assert_eq!(
        entity_path("defects?fields=name", "1001").unwrap(),
        "defects/1001?fields=name"
    );
    assert_eq!(
        entity_path("defects", "list_node.a").unwrap(),
        "defects/list_node.a"
    );
    for bad in ["..", ".", "%2e%2e", "1/2", "", "1?x=1"] {
        assert_eq!(
            entity_path("defects", bad).unwrap_err().kind,
            K::NotAnId,
            "{bad}"
        );
    }
}

#[test]
fn the_policy_names_no_javascript_api() {
    // What an error tells the user to do is said in the app's terms; the
    // npm package adds how to do it in JavaScript.
    let sources = [
        include_str!("../src/context.rs"),
        include_str!("../src/requests.rs"),
        include_str!("../src/template.rs"),
        include_str!("../src/events.rs"),
        include_str!("../src/urls.rs"),
    ];
    for name in [
        "fromLocation",
        "octaneOrigins",
        "OctaneClient",
        "octaneQuery",
        "octaneFetch",
        "OctaneHost",
        "xsrfOrigins",
    ] {
        for source in sources {
            let code: String = source
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect();
            assert!(!code.contains(name), "{name}");
        }
    }
}
