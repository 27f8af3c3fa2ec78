//! The serialized tree: the shape JavaScript receives from `parseQuery`
//! (see the `Expr` and `Value` types in the wasm package's typings).

use octane_query::parse;
use serde_json::{Value, json};

fn span(start: u32, end: u32) -> Value {
    json!({ "start": start, "end": end })
}

fn tree(source: &str) -> (Value, Value) {
    let parsed = parse(source);
    (
        serde_json::to_value(&parsed.query).expect("serializes"),
        serde_json::to_value(&parsed.partial).expect("serializes"),
    )
}

#[test]
fn every_kind_of_expression_and_value() {
    let (query, partial) =
        tree("!a EQ 1||b IN true,null,^2020-01-02^;c BTW ^2020-01-01T00:00:00Z^...^x^");
    assert_eq!(partial, Value::Null);
    let phrase = |name: &str, at: u32, op: &str, extra: Value, end: u32| {
        let mut object = json!({
            "type": "phrase",
            "field": { "name": name, "span": span(at, at + 1) },
            "operator": { "kind": op, "span": span(at + 2, at + 2 + op.len() as u32) },
            "span": span(at, end),
        });
        object
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        object
    };
    let expected = json!({
        "span": span(0, 71),
        "expr": {
            "type": "or",
            "span": span(0, 71),
            "operands": [
                {
                    "type": "not",
                    "span": span(0, 7),
                    "operand": phrase("a", 1, "EQ", json!({
                        "value": { "type": "number", "text": "1", "span": span(6, 7) }
                    }), 7),
                },
                {
                    "type": "and",
                    "span": span(9, 71),
                    "operands": [
                        phrase("b", 9, "IN", json!({ "values": [
                            { "type": "boolean", "value": true, "span": span(14, 18) },
                            { "type": "null", "span": span(19, 23) },
                            { "type": "string", "value": "2020-01-02", "kind": "date", "span": span(24, 36) },
                        ]}), 36),
                        phrase("c", 37, "BTW", json!({
                            "low": { "type": "string", "value": "2020-01-01T00:00:00Z", "kind": "date_time", "span": span(43, 65) },
                            "high": { "type": "string", "value": "x", "kind": "text", "span": span(68, 71) },
                        }), 71),
                    ],
                },
            ],
        },
    });
    assert_eq!(query, expected);
}

#[test]
fn special_values_null_references_and_cross_filters() {
    let (query, _) = tree("u EQ [current_user];o EQ {null};x EQ {y EQ -2.5}");
    let operands = &query["expr"]["operands"];
    assert_eq!(
        operands[0]["value"],
        json!({ "type": "current_user", "span": span(5, 19) })
    );
    assert_eq!(
        operands[1]["value"],
        json!({ "type": "null_reference", "span": span(25, 31) })
    );
    assert_eq!(
        operands[2]["value"],
        json!({
            "type": "cross_filter",
            "span": span(37, 48),
            "filter": {
                "type": "phrase",
                "field": { "name": "y", "span": span(38, 39) },
                "operator": { "kind": "EQ", "span": span(40, 42) },
                "value": { "type": "number", "text": "-2.5", "span": span(43, 47) },
                "span": span(38, 47),
            },
        })
    );
    let (query, _) = tree("r EQ [current_release]");
    assert_eq!(query["expr"]["value"]["type"], "current_release");
}

#[test]
fn broken_parts_in_a_partial_tree() {
    let (query, partial) = tree("a EQ 1 b");
    assert_eq!(query, Value::Null);
    assert_eq!(
        partial["expr"]["operands"][1],
        json!({ "type": "error", "parts": [], "span": span(7, 8) })
    );
}

#[test]
fn members_come_type_first_and_span_last() {
    let parsed = parse("a EQ 1");
    let text = serde_json::to_string(&parsed.query.expect("valid").expr).expect("serializes");
    assert!(
        text.starts_with(r#"{"type":"phrase","field":{"name":"a","#),
        "{text}"
    );
    assert!(
        text.contains(r#""value":{"type":"number","text":"1","span":{"start":5,"end":6}},"span":{"start":0,"end":6}}"#),
        "{text}"
    );
}
