//! Nesting depth and input size are bounded with an error, never a stack
//! overflow; long flat statements parse without recursion.

use octane_query::{ParseOptions, parse, parse_with};

fn codes(parsed: &octane_query::Parsed) -> Vec<&'static str> {
    parsed.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn deep_parentheses_are_an_error_not_an_overflow() {
    let depth = 100_000;
    let source = format!("{}a EQ 1{}", "(".repeat(depth), ")".repeat(depth));
    let parsed = parse(&source);
    assert!(parsed.query.is_none());
    assert_eq!(
        codes(&parsed),
        ["Q0022"],
        "one diagnostic, not one per level"
    );
    assert_eq!(parsed.diagnostics[0].span.start, 256);
}

#[test]
fn deep_cross_filters_and_negations_are_bounded_too() {
    let source = format!("{}a EQ 1{}", "a EQ {".repeat(50_000), "}".repeat(50_000));
    assert_eq!(codes(&parse(&source)), ["Q0022"]);
    let source = format!("{}a EQ 1", "!".repeat(50_000));
    assert_eq!(codes(&parse(&source)), ["Q0022"]);
    let source = "NOT ".repeat(50_000) + "a EQ 1";
    let parsed = parse(&source);
    assert!(
        codes(&parsed).contains(&"Q0022"),
        "the fatal error survives the cap"
    );
    assert!(parsed.diagnostics.len() <= 101);
}

#[test]
fn nesting_at_the_limit_parses_and_round_trips() {
    let options = ParseOptions::default();
    let depth = options.max_depth;
    let source = format!("{}a EQ 1{}", "a EQ {".repeat(depth), "}".repeat(depth));
    let query = parse(&source).query.expect("max_depth braces are allowed");
    assert_eq!(query.to_string(), source);
    let over = format!(
        "{}a EQ 1{}",
        "a EQ {".repeat(depth + 1),
        "}".repeat(depth + 1)
    );
    assert_eq!(codes(&parse(&over)), ["Q0022"]);
}

#[test]
fn the_depth_limit_is_configurable() {
    let options = ParseOptions {
        max_depth: 3,
        ..ParseOptions::default()
    };
    assert!(parse_with("((a EQ 1))", &options).query.is_some());
    assert_eq!(codes(&parse_with("((((a EQ 1))))", &options)), ["Q0022"]);
}

#[test]
fn input_size_is_bounded() {
    let options = ParseOptions {
        max_len: 100,
        ..ParseOptions::default()
    };
    let source = "id EQ 1;".repeat(20);
    let parsed = parse_with(&source, &options);
    assert_eq!(codes(&parsed), ["Q0023"]);
    assert!(parsed.diagnostics[0].message.contains("160 bytes"));
}

#[test]
fn long_flat_statements_parse() {
    let phrases = 100_000;
    let source = vec!["id EQ 1"; phrases].join(";");
    let query = parse(&source).query.expect("valid");
    match &query.expr.kind {
        octane_query::ExprKind::And { operands } => assert_eq!(operands.len(), phrases),
        other => panic!("expected And, got {other:?}"),
    }
    let source = vec!["id EQ 1"; phrases].join("||");
    assert!(parse(&source).query.is_some());
    let list = (0..phrases)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    assert!(parse(&format!("id IN {list}")).query.is_some());
}

#[test]
fn diagnostics_are_capped() {
    let source = "@".repeat(10_000);
    let parsed = parse(&source);
    assert_eq!(
        parsed.diagnostics.len(),
        ParseOptions::default().max_diagnostics
    );
    let many_errors = "a == 1;".repeat(1_000);
    assert_eq!(parse(&many_errors).diagnostics.len(), 100);
    // Warnings past the cap do not hide the rest of the statement.
    let warnings = "a BTW 1…2;".repeat(150) + "b == 1";
    let parsed = parse(&warnings);
    assert!(
        parsed.query.is_none(),
        "the error after 150 warnings still counts"
    );
}

#[test]
fn frames_on_one_long_line_cut_around_their_span() {
    use octane_query::{Diagnostic, Severity, Span, render_all};
    // 300,000 characters on one line, multi-byte ones among them, and a
    // diagnostic every 30 characters: each frame shows its own column
    // and the text around it, however far along the line it is.
    let unit = "é, \"x\": 12345678901234567890,";
    let source = unit.repeat(10_000);
    let step = unit.len() as u32;
    let diagnostics: Vec<Diagnostic> = (0..10_000)
        .map(|i| {
            let at = i * step + 2; // the `,` after `é`
            Diagnostic::with_code("Q0001", Severity::Error, Span::new(at, at + 1), "here")
        })
        .collect();
    let rendered = render_all(&source, &diagnostics);
    let frames: Vec<&str> = rendered.split("\n\n").collect();
    assert_eq!(frames.len(), 10_000);
    let chars_per_unit = unit.chars().count();
    for (i, frame) in frames.iter().enumerate().step_by(997) {
        let column = i * chars_per_unit + 2;
        assert!(frame.contains(&format!("--> 1:{column}\n")), "{frame}");
        let lines: Vec<&str> = frame.lines().collect();
        let (text, marks) = (lines[3], lines[4]);
        let caret = marks.find('^').unwrap();
        assert_eq!(text.chars().nth(caret), Some(','), "frame {i}:\n{frame}");
        assert!(text.chars().count() <= 130, "the line is cut: {frame}");
    }
}
