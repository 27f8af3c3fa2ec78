//! Runs every query in `tests/fixtures/valid` and `tests/fixtures/invalid`
//! and snapshots its tree, forms and rendered diagnostics.

mod common;

use std::fmt::Write as _;
use std::fs;

use octane_query::{explain, parse, render_all};

fn read(path: &std::path::Path) -> String {
    fs::read_to_string(path).expect("fixture is readable")
}

#[test]
fn valid_fixtures() {
    insta::glob!("fixtures/valid/*.oq", |path| {
        let source = read(path);
        let parsed = parse(&source);
        assert!(
            !parsed.has_errors(),
            "{}: {}",
            path.display(),
            render_all(&source, &parsed.diagnostics)
        );
        let query = parsed.query.expect("no error means a tree");
        common::round_trip(&query);
        let explanation = explain(&query);
        let mut snapshot = String::new();
        let _ = writeln!(snapshot, "source:        {source}");
        let _ = writeln!(snapshot, "canonical:     {}", explanation.canonical);
        let _ = writeln!(snapshot, "parenthesized: {}", explanation.parenthesized);
        let _ = writeln!(snapshot, "summary:       {}", explanation.summary);
        let _ = writeln!(snapshot, "\nsteps:");
        for step in &explanation.steps {
            let within = if step.within.is_empty() {
                String::new()
            } else {
                format!(" within {}", step.within.join("."))
            };
            let _ = writeln!(
                snapshot,
                "- `{}` (rank {}) {:?}{within}: {} => {}\n  {}",
                step.operator,
                step.rank,
                step.span,
                step.operands.join(" | "),
                step.result,
                step.reason
            );
        }
        let _ = writeln!(snapshot, "\nast:\n{}", common::dump(&query));
        if !parsed.diagnostics.is_empty() {
            let _ = writeln!(
                snapshot,
                "diagnostics:\n{}",
                render_all(&source, &parsed.diagnostics)
            );
        }
        insta::assert_snapshot!(snapshot);
    });
}

#[test]
fn invalid_fixtures() {
    insta::glob!("fixtures/invalid/*.oq", |path| {
        let source = read(path);
        let parsed = parse(&source);
        assert!(
            parsed.has_errors(),
            "{} parsed without error",
            path.display()
        );
        assert!(
            parsed.query.is_none(),
            "{}: a tree despite errors",
            path.display()
        );
        let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code).collect();
        for d in &parsed.diagnostics {
            assert!(
                d.span.end as usize <= source.len(),
                "span past the end: {d}"
            );
            assert!(source.is_char_boundary(d.span.start as usize), "{d}");
            assert!(source.is_char_boundary(d.span.end as usize), "{d}");
        }
        let snapshot = format!(
            "source: {source}\ncodes: {}\n\n{}",
            codes.join(" "),
            render_all(&source, &parsed.diagnostics)
        );
        insta::assert_snapshot!(snapshot);
    });
}
