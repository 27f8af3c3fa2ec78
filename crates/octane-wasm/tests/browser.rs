//! The query exports, called through wasm-bindgen in headless Chromium
//! (`cargo xtask test` runs this with `wasm-bindgen-test`).

#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect};
use octane_wasm::{explain_query, format_query, parse_query};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("property access")
}

/// A span as JSON text, such as `{"start":2,"end":4}`.
fn span_json(value: &JsValue) -> String {
    js_sys::JSON::stringify(&get(value, "span"))
        .expect("serializable")
        .into()
}

#[wasm_bindgen_test]
fn parse_returns_a_tree_with_utf16_spans() {
    let source = JsValue::from_str("név EQ ^😀^;id GT 5");
    let result = parse_query(source).expect("no throw");
    let diagnostics: Array = get(&result, "diagnostics").dyn_into().expect("array");
    assert_eq!(diagnostics.length(), 0);
    let expr = get(&get(&result, "ast"), "expr");
    assert_eq!(get(&expr, "type").as_string().as_deref(), Some("and"));
    let operands: Array = get(&expr, "operands").dyn_into().expect("array");
    let second = operands.get(1);
    // "név EQ ^😀^;" is 12 UTF-16 code units (the emoji counts two).
    assert_eq!(span_json(&second), r#"{"start":12,"end":19}"#);
}

#[wasm_bindgen_test]
fn diagnostics_carry_code_span_help_and_frame() {
    let result = parse_query(JsValue::from_str("ñ == 1")).expect("no throw");
    assert!(get(&result, "ast").is_null());
    let diagnostics: Array = get(&result, "diagnostics").dyn_into().expect("array");
    let first = diagnostics.get(0);
    assert_eq!(get(&first, "code").as_string().as_deref(), Some("Q0008"));
    assert_eq!(
        get(&first, "severity").as_string().as_deref(),
        Some("error")
    );
    assert_eq!(span_json(&first), r#"{"start":2,"end":4}"#);
    assert!(get(&first, "help").as_string().is_some());
    let rendered = get(&first, "rendered").as_string().expect("rendered frame");
    assert!(rendered.contains("error[Q0008]"), "{rendered}");
}

#[wasm_bindgen_test]
fn format_and_explain() {
    let canonical = format_query(JsValue::from_str("name='x';id>5")).expect("valid");
    assert_eq!(canonical, "name EQ ^x^;id GT 5");
    let explanation = explain_query(JsValue::from_str("a EQ 1;b EQ 2||c EQ 3")).expect("valid");
    assert_eq!(
        get(&explanation, "parenthesized").as_string().as_deref(),
        Some("((a EQ 1;b EQ 2)||c EQ 3)")
    );
}

#[wasm_bindgen_test]
fn errors_are_thrown_as_error_objects_with_diagnostics() {
    let error = format_query(JsValue::from_str("a EQ")).expect_err("invalid");
    assert!(error.is_instance_of::<js_sys::Error>());
    let diagnostics: Array = get(&error, "diagnostics").dyn_into().expect("array");
    assert_eq!(
        get(&diagnostics.get(0), "code").as_string().as_deref(),
        Some("Q0010")
    );
    let error = explain_query(JsValue::from_f64(3.0)).expect_err("not a string");
    assert!(error.is_instance_of::<js_sys::TypeError>());
}

#[wasm_bindgen_test]
fn deep_and_hostile_inputs_do_not_trap() {
    let at_limit = format!("{}a EQ 1{}", "a EQ {".repeat(256), "}".repeat(256));
    assert_eq!(
        format_query(JsValue::from_str(&at_limit)).expect("valid at the limit"),
        at_limit
    );
    let too_deep = "(".repeat(100_000);
    let error = format_query(JsValue::from_str(&too_deep)).expect_err("too deep");
    let diagnostics: Array = get(&error, "diagnostics").dyn_into().expect("array");
    assert_eq!(
        get(&diagnostics.get(0), "code").as_string().as_deref(),
        Some("Q0022")
    );
    for source in ["!".repeat(50_000), "x".repeat(2 << 20), "^".repeat(999)] {
        let _ = parse_query(JsValue::from_str(&source)).expect("never throws for text");
    }
    assert_eq!(
        format_query(JsValue::from_str("id>5")).expect("still alive"),
        "id GT 5"
    );
}

fn options(entity: &str) -> JsValue {
    let options = js_sys::Object::new();
    Reflect::set(&options, &"entity".into(), &entity.into()).expect("set");
    options.into()
}

#[wasm_bindgen_test]
fn validate_against_the_builtin_schema() {
    let source = JsValue::from_str("név EQ ^😀^;severity EQ ^High^");
    let diagnostics: Array = octane_wasm::validate_query(source.clone(), options("defects"))
        .expect("no throw")
        .dyn_into()
        .expect("array");
    let codes: Vec<String> = diagnostics
        .iter()
        .map(|d| get(&d, "code").as_string().unwrap_or_default())
        .collect();
    assert_eq!(codes, ["S0002", "S0010"]);
    // "név EQ ^😀^;severity EQ " is 24 UTF-16 code units (30 bytes).
    assert_eq!(span_json(&diagnostics.get(1)), r#"{"start":24,"end":30}"#);
}

#[wasm_bindgen_test]
fn complete_with_a_schema_from_metadata() {
    let fields = r#"[{"name":"customer_udf","entity_name":"defect","field_type":"string"}]"#;
    let schema = octane_wasm::Schema::from_metadata(JsValue::from_str(fields), JsValue::UNDEFINED)
        .expect("valid metadata");
    let options = options("defect");
    let schema_value: JsValue = schema.into();
    Reflect::set(&options, &"schema".into(), &schema_value).expect("set");
    let items: Array = octane_wasm::complete_query(JsValue::from_str("cu"), 2.0, options)
        .expect("no throw")
        .dyn_into()
        .expect("array");
    assert_eq!(items.length(), 1);
    assert_eq!(
        get(&items.get(0), "label").as_string().as_deref(),
        Some("customer_udf")
    );
}

#[wasm_bindgen_test]
fn actions_render_in_the_browser_and_parse_back() {
    let action = JsValue::from_str(
        r#"{"name": "a", "entity_type": ["defect"], "single_entity": true, "url": "https://t.example/?v={entity.v}"}"#,
    );
    let context =
        js_sys::JSON::parse(r#"{"entities": [{"id": "1", "type": "defect", "v": "x&y=z#é"}]}"#)
            .expect("JSON");
    let url = octane_wasm::render_action_url(action, context, None).expect("renders");
    let parsed = search_param_v(&url);
    assert_eq!(parsed, "x&y=z#é");
}

/// `new URL(url).searchParams.get("v")`, through js-sys.
fn search_param_v(url: &str) -> String {
    let constructor = Reflect::get(&js_sys::global(), &"URL".into()).expect("URL");
    let constructor: js_sys::Function = constructor.dyn_into().expect("a function");
    let parsed = Reflect::construct(&constructor, &Array::of1(&url.into())).expect("parses");
    let params = get(&parsed, "searchParams");
    let getter: js_sys::Function = get(&params, "get").dyn_into().expect("get");
    getter
        .call1(&params, &"v".into())
        .expect("call")
        .as_string()
        .expect("a value")
}
