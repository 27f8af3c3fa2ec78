//! Spans are byte offsets; `SourceIndex` turns them into the UTF-16
//! offsets editors use. Checked on non-ASCII statements.

use octane_query::{SourceIndex, Span, parse};

/// The UTF-16 offset of `needle`'s first occurrence in `haystack`,
/// computed independently of `SourceIndex`.
fn utf16_of(haystack: &str, needle: &str) -> u32 {
    let byte = haystack.find(needle).expect("needle present");
    haystack[..byte].encode_utf16().count() as u32
}

#[test]
fn error_spans_convert_to_utf16() {
    let source = "név EQ ^Árvíz 😀^;owner == 5";
    let parsed = parse(source);
    let diagnostic = &parsed.diagnostics[0];
    assert_eq!(diagnostic.code, "Q0008");
    assert_eq!(&source[diagnostic.span.range()], "==");
    let index = SourceIndex::new(source);
    let span = index.utf16_span(diagnostic.span);
    let start = utf16_of(source, "==");
    assert_eq!(span, Span::new(start, start + 2));
    // 23 characters before `==`, the emoji counting two code units and
    // each accented letter one; in bytes it is 29.
    assert_eq!(start, 24);
    assert_eq!(diagnostic.span.start, 29);
}

#[test]
fn tree_spans_convert_to_utf16() {
    let source = "\"中文 EQ ^😀😀^;b EQ 1\"";
    let mut query = parse(source).query.expect("valid");
    let index = SourceIndex::new(source);
    query.for_each_span_mut(&mut |span| *span = index.utf16_span(*span));
    let utf16: Vec<u16> = source.encode_utf16().collect();
    let text =
        |span: Span| String::from_utf16(&utf16[span.start as usize..span.end as usize]).unwrap();
    match &query.expr.kind {
        octane_query::ExprKind::And { operands } => match &operands[0].kind {
            octane_query::ExprKind::Phrase(phrase) => {
                assert_eq!(text(phrase.field.span), "中文");
                assert_eq!(text(phrase.operator.span), "EQ");
                match &phrase.operand {
                    octane_query::Operand::Single { value } => {
                        assert_eq!(text(value.span), "^😀😀^");
                    }
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert_eq!(text(query.span), "中文 EQ ^😀😀^;b EQ 1");
}

#[test]
fn line_and_column_for_multiline_statements() {
    let source = "a EQ 1;\n  ñ == 2";
    let parsed = parse(source);
    let index = SourceIndex::new(source);
    let at = index.line_column(parsed.diagnostics[0].span.start);
    assert_eq!((at.line, at.column), (2, 5));
    let rendered = octane_query::render(source, &parsed.diagnostics[0]);
    assert!(rendered.contains("--> 2:5"), "{rendered}");
    assert!(rendered.contains("2 |   ñ == 2"), "{rendered}");
}
