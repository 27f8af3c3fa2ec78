//! The OASIS OData ABNF test cases (`tests/oasis`, vendored with their notice): every
//! case whose rule is within what this crate parses is accepted or
//! rejected as the suite says. Cases deliberately not supported are listed
//! in `tests/unsupported.txt` with the reason.

use std::collections::HashMap;
use std::path::PathBuf;

use octane_odata::{parse_expr, parse_odata, percent_decode};

/// One test case.
#[derive(Debug)]
struct Case {
    name: String,
    rule: String,
    input: String,
    fail_at: Option<usize>,
}

/// A YAML scalar: plain, 'single' ('' escapes) or "double" (\ escapes).
fn scalar(raw: &str) -> String {
    let raw = raw.trim();
    if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return inner.replace("''", "'");
    }
    if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        return out;
    }
    raw.to_owned()
}

fn cases() -> Vec<Case> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oasis/odata-abnf-testcases.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the conformance suite at {}: {e}", path.display()));
    let body = &text[text.find("TestCases:").expect("a TestCases section")..];
    let mut cases = Vec::new();
    for block in body.split("\n  - Name: ").skip(1) {
        // Keys at four spaces; deeper lines continue the last value (YAML
        // folds them with a space).
        let mut raw: Vec<(&str, String)> = Vec::new();
        let mut lines = block.lines();
        let name = lines.next().unwrap_or_default().to_owned();
        for line in lines {
            let indent = line.len() - line.trim_start().len();
            if indent > 4 {
                if let Some((_, value)) = raw.last_mut() {
                    if !value.is_empty() {
                        value.push(' ');
                    }
                    value.push_str(line.trim());
                }
            } else if let Some((key, value)) = line.trim().split_once(':') {
                raw.push((key, value.trim().to_owned()));
            }
        }
        let fields: HashMap<&str, String> = raw.into_iter().map(|(k, v)| (k, scalar(&v))).collect();
        cases.push(Case {
            name,
            rule: fields.get("Rule").cloned().unwrap_or_default(),
            input: fields.get("Input").cloned().unwrap_or_default(),
            fail_at: fields.get("FailAt").and_then(|f| f.parse().ok()),
        });
    }
    cases
}

/// Parses `input` by the case's rule; `None` when the rule is outside this
/// crate. `Some(Err(at))` is a rejection at byte `at`.
fn run(rule: &str, input: &str) -> Option<Result<(), usize>> {
    match rule {
        "commonExpr" | "boolCommonExpr" | "boolcommonExpr" | "firstMemberExpr" => {
            let (decoded, map) = percent_decode(input);
            Some(
                parse_expr(&decoded, 0)
                    .map(|_| ())
                    .map_err(|d| map.get(d.span.start as usize).copied().unwrap_or(0) as usize),
            )
        }
        "queryOptions" | "filter" | "select" | "expand" | "orderby" | "orderBy" | "search"
        | "systemQueryOption" | "customQueryOption" | "searchExpr" => {
            // A bare search expression is read as the value of $search.
            let prefix = if rule == "searchExpr" { "$search=" } else { "" };
            let parsed = parse_odata(&format!("{prefix}{input}"));
            let error = parsed.diagnostics.iter().find(|d| d.is_error());
            Some(error.map_or(Ok(()), |d| {
                Err((d.span.start as usize).saturating_sub(prefix.len()))
            }))
        }
        _ => None,
    }
}

#[test]
fn oasis_abnf_test_cases() {
    let unsupported_text = include_str!("unsupported.txt");
    let unsupported: Vec<&str> = unsupported_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split(" | ").next())
        .collect();
    let mut ran = 0;
    let mut failures = Vec::new();
    let mut listed_but_passing = Vec::new();
    for case in cases() {
        let Some(outcome) = run(&case.rule, &case.input) else {
            continue;
        };
        ran += 1;
        let key = format!("{}: {}", case.rule, case.input);
        // FailAt 0 means "the whole input"; otherwise it is where the
        // invalid part starts, and the error must point there.
        let ok = match (case.fail_at, outcome) {
            (None, Ok(())) | (Some(0), Err(_)) => true,
            (Some(expected), Err(at)) => expected == at,
            (None, Err(_)) | (Some(_), Ok(())) => false,
        };
        let listed = unsupported.contains(&key.as_str());
        match (ok, listed) {
            (true, true) => listed_but_passing.push(key),
            (false, false) => failures.push(format!(
                "{} [{}] {:?} expected {}",
                case.name,
                case.rule,
                case.input,
                if case.fail_at.is_some() {
                    "rejection"
                } else {
                    "acceptance"
                }
            )),
            _ => {}
        }
    }
    assert!(ran > 300, "only {ran} cases ran");
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        listed_but_passing.is_empty(),
        "listed as unsupported but passing:\n{}",
        listed_but_passing.join("\n")
    );
}
