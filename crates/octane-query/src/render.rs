//! Renders diagnostics as code frames with `^^^` underlines.
//!
//! ```text
//! error[Q0002]: this string has no closing `^`
//!  --> 1:9
//!   |
//! 1 | name EQ ^abc
//!   |         ^^^^
//!   = help: add `^` where the string ends; ...
//! ```

use std::fmt::Write as _;

use crate::diagnostics::Diagnostic;
use crate::span::{SourceIndex, Span};

/// Renders one diagnostic against its source.
pub fn render(source: &str, diagnostic: &Diagnostic) -> String {
    render_with(&SourceIndex::new(source), diagnostic)
}

/// Renders one diagnostic with a prepared index (for many diagnostics).
pub fn render_with(index: &SourceIndex, diagnostic: &Diagnostic) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        diagnostic.severity, diagnostic.code, diagnostic.message
    );
    let start = index.line_column(diagnostic.span.start);
    let gutter = start.line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{pad}--> {}:{}", start.line, start.column);
    let _ = writeln!(out, "{pad} |");
    let mut shown_line = frame(&mut out, index, diagnostic.span, '^', "", gutter, None);
    for label in &diagnostic.labels {
        shown_line = frame(
            &mut out,
            index,
            label.span,
            '-',
            &label.message,
            gutter,
            Some(shown_line),
        );
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "{pad} = help: {help}");
    }
    out
}

/// Renders every diagnostic, separated by blank lines.
pub fn render_all(source: &str, diagnostics: &[Diagnostic]) -> String {
    let index = SourceIndex::new(source);
    diagnostics
        .iter()
        .map(|d| render_with(&index, d))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes the source line of `span` (unless it is `shown`, the line just
/// written) and its underline; returns the line number.
fn frame(
    out: &mut String,
    index: &SourceIndex,
    span: Span,
    mark: char,
    note: &str,
    gutter: usize,
    shown: Option<u32>,
) -> u32 {
    const MAX_LINE: usize = 120;
    let start = index.line_column(span.start);
    let end = index.line_column(span.end);
    let line = index.line_range(start.line);
    let from = (start.column - 1) as usize;
    // A span over several lines is underlined to the end of its first.
    let to = if end.line == start.line {
        (end.column - 1) as usize
    } else {
        (index.char_offset(line.end) - index.char_offset(line.start)) as usize
    };
    // Long lines are cut around the span, found through the index so that
    // a frame costs the same on a line of any length.
    let skip = from.saturating_sub(MAX_LINE / 2);
    let cut = index.byte_of_char(index.char_offset(line.start) + skip as u32);
    let text: String = index.text()[cut as usize..line.end as usize]
        .chars()
        .take(MAX_LINE)
        .collect();
    let ellipsis = if skip > 0 { "…" } else { "" };
    let width = to.saturating_sub(from).clamp(1, MAX_LINE);
    if shown != Some(start.line) {
        let _ = writeln!(out, "{:>gutter$} | {ellipsis}{text}", start.line);
    }
    let offset = from - skip + usize::from(skip > 0);
    let marks: String = std::iter::repeat_n(mark, width).collect();
    let note = if note.is_empty() {
        String::new()
    } else {
        format!(" {note}")
    };
    let _ = writeln!(out, "{:gutter$} | {}{marks}{note}", "", " ".repeat(offset));
    start.line
}
