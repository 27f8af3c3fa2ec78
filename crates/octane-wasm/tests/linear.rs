//! The work behind every text-reading export grows linearly with its
//! input, pathological shapes included: within one run, the time per byte
//! of an input ten times larger must stay within a generous factor of the
//! smaller one's (quadratic work would make it ten times worse). This
//! compares times measured in the same process; it sets no time limit.

#![cfg(not(target_arch = "wasm32"))]

use std::hint::black_box;
use std::time::{Duration, Instant};

use octane_actions::{Context, RenderOptions, ValidateOptions, render, validate_actions};
use octane_odata::{TranslateOptions, odata_to_query, parse_odata};
use octane_query::{SourceIndex, parse, render_with};
use octane_schema::{Schema, validate};

/// How much worse the time per byte of the larger input may be.
const FACTOR: f64 = 4.0;
/// How much larger the larger input is.
const GROWTH: usize = 10;

/// The best of a few runs of `work` on `input`.
fn best(work: &dyn Fn(&str), input: &str) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            work(black_box(input));
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Checks one shape: `make(n)` builds an input of about `n` repetitions.
fn linear(label: &str, base: usize, make: &dyn Fn(usize) -> String, work: &dyn Fn(&str)) {
    let small = make(base);
    let large = make(base * GROWTH);
    work(&small); // warm up
    // Inputs are far below 2^52 bytes: the cast is exact.
    #[allow(clippy::cast_precision_loss)]
    let per_byte = |input: &str| best(work, input).as_secs_f64() / input.len() as f64;
    let (a, b) = (per_byte(&small), per_byte(&large));
    assert!(
        b <= a * FACTOR,
        "{label}: {:.1} ns/byte at {} bytes, {:.1} ns/byte at {} bytes",
        a * 1e9,
        small.len(),
        b * 1e9,
        large.len()
    );
}

fn query(source: &str) {
    let parsed = parse(source);
    let index = SourceIndex::new(source);
    for d in &parsed.diagnostics {
        black_box(render_with(&index, d));
    }
    black_box(validate(source, "defects", Schema::builtin()));
}

fn odata(source: &str) {
    black_box(parse_odata(source));
    black_box(odata_to_query(source, &TranslateOptions::default()).ok());
}

fn actions(config: &str) {
    let diagnostics = validate_actions(config, &ValidateOptions::default());
    let index = SourceIndex::new(config);
    for d in &diagnostics {
        black_box(render_with(&index, &d.diagnostic));
    }
}

#[test]
fn the_query_language_is_linear() {
    let shapes: [(&str, &dyn Fn(usize) -> String); 8] = [
        ("open parentheses", &|n| "(".repeat(n)),
        ("negations", &|n| "!".repeat(n) + "a EQ 1"),
        ("OR chain", &|n| vec!["name EQ ^a^"; n].join("||")),
        ("AND chain", &|n| vec!["id GT 1"; n].join(";")),
        ("open braces", &|n| "a EQ {".repeat(n)),
        ("unterminated string", &|n| {
            format!("name EQ ^{}", "é x".repeat(n))
        }),
        ("IN list", &|n| format!("id IN {}", vec!["1"; n].join(","))),
        ("errors everywhere", &|n| "a == 1;".repeat(n)),
    ];
    for (label, make) in shapes {
        linear(label, 2_000, make, &query);
    }
}

#[test]
fn odata_is_linear() {
    let shapes: [(&str, &dyn Fn(usize) -> String); 6] = [
        ("nested calls", &|n| "f(".repeat(n) + "a" + &")".repeat(n)),
        ("parentheses", &|n| {
            "(".repeat(n) + "a eq 1" + &")".repeat(n)
        }),
        ("or chain", &|n| vec!["a eq 1"; n].join(" or ")),
        ("in list", &|n| {
            format!("id in ({})", vec!["1"; n].join(","))
        }),
        ("nested $expand", &|n| {
            "$expand=".to_owned() + &"a($expand=".repeat(n) + "b" + &")".repeat(n)
        }),
        ("many options", &|n| vec!["$top=1"; n].join("&")),
    ];
    for (label, make) in shapes {
        linear(label, 2_000, make, &odata);
    }
}

#[test]
fn action_configs_are_linear() {
    let action = r#"{"name":"a","url":"https://x.example/{entity_ids}","nope":1}"#;
    let shapes: [(&str, &dyn Fn(usize) -> String); 3] = [
        ("many actions, one name", &|n| {
            format!("[{}]", vec![action; n].join(","))
        }),
        ("one long line of problems", &|n| {
            format!("{{{}\"name\":\"a\"}}", "\"x\":1,".repeat(n))
        }),
        ("deep arrays", &|n| "[".repeat(n) + &"]".repeat(n)),
    ];
    for (label, make) in shapes {
        linear(label, 1_000, make, &actions);
    }
    // Rendering reads only what the URL uses, however large the context.
    let config =
        r#"{"name":"a","entity_type":["defect"],"url":"https://x.example/?ids={entity_ids}"}"#;
    let context = |n: usize| {
        let entities: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"id":"{i}","type":"defect","notes":"{}"}}"#,
                    "x".repeat(40)
                )
            })
            .collect();
        format!(r#"{{"entities":[{}]}}"#, entities.join(","))
    };
    linear("render", 500, &context, &|text| {
        let context: Context = serde_json::from_str(text).expect("a context");
        black_box(render(config, &context, &RenderOptions::default()).ok());
    });
}
