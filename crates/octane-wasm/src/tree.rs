//! Query trees, tokens and OData trees on the tape, with tags of their
//! own (see `tape.rs`).
//!
//! The tree is what `parseQuery` returns on every keystroke in an editor.
//! Written through serde it is a tape of generic objects, each member
//! named, which the decoder fills member by member; here each node is one
//! tag and its operands, and the decoder builds it as an object literal
//! (`js/tape.js`). The objects are the same as serde's (`ast_serde.rs` in
//! the query crate): the same members in the same order. The tests below
//! hold the two to that.

use octane_odata::FilterNode;
use octane_query::{
    ClassifiedToken, Expr, ExprKind, Operand, Query, SourceIndex, Span, Value, ValueKind,
};
use serde::Serialize;

use crate::tape::{
    AND, BOOLEAN_VALUE, BROKEN, CROSS_FILTER, CURRENT_RELEASE, CURRENT_USER, NOT, NULL_REFERENCE,
    NULL_VALUE, NUMBER_VALUE, ODATA_NODE, OR, PHRASE, QUERY, STRING_VALUE, TOKEN, TapeError,
    Writer,
};

/// Writes trees with their spans in UTF-16 units of the source.
pub(crate) struct TreeWriter<'w, 'a> {
    /// The tape.
    pub(crate) out: &'w mut Writer<'a>,
    /// The source the spans index.
    pub(crate) index: &'w SourceIndex,
}

impl TreeWriter<'_, '_> {
    fn span(&mut self, span: Span) {
        self.out.span(self.index.utf16_span(span));
    }

    /// Writes tokens as `QueryToken`s, `{ kind, span }`.
    pub(crate) fn tokens(&mut self, tokens: &[ClassifiedToken]) -> Result<(), TapeError> {
        self.out.array(tokens.len())?;
        for token in tokens {
            self.out.push(TOKEN);
            token.class.serialize(&mut *self.out)?;
            self.span(token.span);
        }
        Ok(())
    }

    /// Writes an OData filter's tree as `ODataNode`s, `{ kind, label,
    /// span, children }`.
    #[cfg_attr(not(feature = "full"), allow(dead_code))]
    pub(crate) fn odata(&mut self, node: &FilterNode) -> Result<(), TapeError> {
        self.out.push(ODATA_NODE);
        self.out.name(node.kind)?;
        self.out.text(&node.label)?;
        self.span(node.span);
        self.out.len(node.children.len())?;
        node.children.iter().try_for_each(|child| self.odata(child))
    }

    /// Writes a statement.
    pub(crate) fn query(&mut self, query: &Query) -> Result<(), TapeError> {
        self.out.push(QUERY);
        self.expr(&query.expr)?;
        self.span(query.span);
        Ok(())
    }

    fn exprs(&mut self, tag: f64, exprs: &[Expr]) -> Result<(), TapeError> {
        self.out.push(tag);
        self.out.len(exprs.len())?;
        exprs.iter().try_for_each(|expr| self.expr(expr))
    }

    fn expr(&mut self, expr: &Expr) -> Result<(), TapeError> {
        match &expr.kind {
            ExprKind::And { operands } => self.exprs(AND, operands)?,
            ExprKind::Or { operands } => self.exprs(OR, operands)?,
            ExprKind::Error { parts } => self.exprs(BROKEN, parts)?,
            ExprKind::Not { operand } => {
                self.out.push(NOT);
                self.expr(operand)?;
            }
            ExprKind::Phrase(phrase) => {
                self.out.push(PHRASE);
                self.out.text(&phrase.field.name)?;
                self.span(phrase.field.span);
                phrase.operator.kind.serialize(&mut *self.out)?;
                self.span(phrase.operator.span);
                match &phrase.operand {
                    Operand::Single { value } => {
                        self.out.push(0.0);
                        self.value(value)?;
                    }
                    Operand::List { values } => {
                        self.out.push(1.0);
                        self.out.len(values.len())?;
                        values.iter().try_for_each(|value| self.value(value))?;
                    }
                    Operand::Range { low, high } => {
                        self.out.push(2.0);
                        self.value(low)?;
                        self.value(high)?;
                    }
                }
            }
        }
        self.span(expr.span);
        Ok(())
    }

    fn value(&mut self, value: &Value) -> Result<(), TapeError> {
        match &value.kind {
            ValueKind::Number(number) => {
                self.out.push(NUMBER_VALUE);
                self.out.text(&number.text)?;
            }
            ValueKind::Boolean { value } => {
                self.out.push(BOOLEAN_VALUE);
                self.out.push(f64::from(u8::from(*value)));
            }
            ValueKind::Null => self.out.push(NULL_VALUE),
            ValueKind::String(string) => {
                self.out.push(STRING_VALUE);
                self.out.text(&string.value)?;
                string.kind.serialize(&mut *self.out)?;
            }
            ValueKind::CurrentUser => self.out.push(CURRENT_USER),
            ValueKind::CurrentRelease => self.out.push(CURRENT_RELEASE),
            ValueKind::NullReference => self.out.push(NULL_REFERENCE),
            ValueKind::CrossFilter { filter } => {
                self.out.push(CROSS_FILTER);
                self.expr(filter)?;
            }
        }
        self.span(value.span);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    // The tape's operands here are small non-negative integers.
    #![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]

    use std::fmt::Write as _;

    use octane_query::parse;

    use super::*;
    use crate::tape::{ARRAY, NAME, TapeError, written};

    /// Reads a tree back from the tape as JSON text, members in the order
    /// `js/tape.js` writes its object literals.
    struct Reader {
        tape: Vec<f64>,
        units: Vec<u16>,
        names: Vec<String>,
        at: usize,
        out: String,
    }

    impl Reader {
        fn operand(&mut self) -> f64 {
            self.at += 1;
            self.tape[self.at - 1]
        }

        fn span(&mut self) {
            let (start, end) = (self.operand(), self.operand());
            write!(self.out, r#"{{"start":{start},"end":{end}}}"#).unwrap();
        }

        fn str(&mut self) {
            let (start, end) = (self.operand() as usize, self.operand() as usize);
            let text = String::from_utf16(&self.units[start..end]).unwrap();
            self.out.push_str(&serde_json::to_string(&text).unwrap());
        }

        fn list(&mut self) {
            let len = self.operand() as usize;
            self.out.push('[');
            for i in 0..len {
                if i > 0 {
                    self.out.push(',');
                }
                self.value();
            }
            self.out.push(']');
        }

        fn key(&mut self, key: &str) {
            if !self.out.ends_with('{') {
                self.out.push(',');
            }
            write!(self.out, r#""{key}":"#).unwrap();
        }

        /// `{"type":"<tag>"` and the members read by `members`, then the span.
        fn node(&mut self, tag: &str, members: impl FnOnce(&mut Self)) {
            write!(self.out, r#"{{"type":"{tag}""#).unwrap();
            members(self);
            self.key("span");
            self.span();
            self.out.push('}');
        }

        /// `{"<name>":` what `first` reads, then the span `}`.
        fn with_span(&mut self, name: &str, first: impl FnOnce(&mut Self)) {
            write!(self.out, r#"{{"{name}":"#).unwrap();
            first(self);
            self.key("span");
            self.span();
            self.out.push('}');
        }

        /// A phrase's members after its tag.
        fn phrase(&mut self) {
            self.key("field");
            self.with_span("name", Self::str);
            self.key("operator");
            self.with_span("kind", Self::value);
            match self.operand() {
                0.0 => {
                    self.key("value");
                    self.value();
                }
                1.0 => {
                    self.key("values");
                    self.list();
                }
                _ => {
                    self.key("low");
                    self.value();
                    self.key("high");
                    self.value();
                }
            }
        }

        fn value(&mut self) {
            let tag = self.operand();
            match tag {
                t if t == NAME => {
                    let id = self.operand() as usize;
                    let name = self.names[id].clone();
                    self.out.push_str(&serde_json::to_string(&name).unwrap());
                }
                t if t == QUERY => {
                    self.out.push_str(r#"{"expr":"#);
                    self.value();
                    self.key("span");
                    self.span();
                    self.out.push('}');
                }
                t if t == AND || t == OR || t == BROKEN => {
                    let (tag, member) = match tag {
                        t if t == AND => ("and", "operands"),
                        t if t == OR => ("or", "operands"),
                        _ => ("error", "parts"),
                    };
                    self.node(tag, |r| {
                        r.key(member);
                        r.list();
                    });
                }
                t if t == NOT => self.node("not", |r| {
                    r.key("operand");
                    r.value();
                }),
                t if t == PHRASE => self.node("phrase", Self::phrase),
                t if t == NUMBER_VALUE => self.node("number", |r| {
                    r.key("text");
                    r.str();
                }),
                t if t == BOOLEAN_VALUE => self.node("boolean", |r| {
                    r.key("value");
                    let value = r.operand() as u8 == 1;
                    r.out.push_str(if value { "true" } else { "false" });
                }),
                t if t == NULL_VALUE => self.node("null", |_| {}),
                t if t == STRING_VALUE => self.node("string", |r| {
                    r.key("value");
                    r.str();
                    r.key("kind");
                    r.value();
                }),
                t if t == CURRENT_USER => self.node("current_user", |_| {}),
                t if t == CURRENT_RELEASE => self.node("current_release", |_| {}),
                t if t == NULL_REFERENCE => self.node("null_reference", |_| {}),
                t if t == CROSS_FILTER => self.node("cross_filter", |r| {
                    r.key("filter");
                    r.value();
                }),
                t if t == ARRAY => self.list(),
                t if t == ODATA_NODE => {
                    self.out.push_str(r#"{"kind":"#);
                    self.value();
                    self.key("label");
                    self.str();
                    self.key("span");
                    self.span();
                    self.key("children");
                    self.list();
                    self.out.push('}');
                }
                t if t == TOKEN => self.with_span("kind", Self::value),
                other => panic!("tag {other} in a tree"),
            }
        }
    }

    /// What `write` writes over `index`, read back as the decoder reads
    /// it, as JSON text; the whole tape must be read.
    fn read_back(
        index: &SourceIndex,
        write: impl FnOnce(&mut TreeWriter<'_, '_>) -> Result<(), TapeError>,
    ) -> String {
        let (tape, units, names) = written(|out| write(&mut TreeWriter { out, index }));
        let mut reader = Reader {
            tape,
            units,
            names,
            at: 0,
            out: String::new(),
        };
        reader.value();
        assert_eq!(reader.at, reader.tape.len(), "the whole tape is read");
        reader.out
    }

    /// A token as serde writes it.
    #[derive(serde::Serialize)]
    struct Token {
        kind: octane_query::TokenClass,
        span: Span,
    }

    /// The tokens of `source` as serde writes them.
    fn serde_tokens(index: &SourceIndex, source: &str) -> Vec<Token> {
        (octane_query::tokenize(source).iter())
            .map(|token| Token {
                kind: token.class,
                span: index.utf16_span(token.span),
            })
            .collect()
    }

    /// The tree of `source` as the tape gives it, and as serde writes it
    /// (spans in UTF-16 units, as `parseQuery` returns them).
    fn both(query: &Query, source: &str) -> (String, String) {
        let index = SourceIndex::new(source);
        let tape = read_back(&index, |tree| tree.query(query));
        let mut utf16 = query.clone();
        utf16.for_each_span_mut(&mut |span| *span = index.utf16_span(*span));
        (tape, serde_json::to_string(&utf16).unwrap())
    }

    /// Every fixture of the query crate, and statements with text outside
    /// ASCII.
    fn sources() -> Vec<String> {
        let fixtures = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../octane-query/tests/fixtures"
        );
        let mut sources: Vec<String> = ["valid", "invalid"]
            .iter()
            .flat_map(|dir| std::fs::read_dir(format!("{fixtures}/{dir}")).unwrap())
            .map(|entry| entry.unwrap().path())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|path| std::fs::read_to_string(path).unwrap())
            .collect();
        sources.extend(
            [
                "name EQ ^é😀*^;(id GT 5||!owner EQ {null})",
                "é EQ ^x^||ü IN ^ß^,2,true,[current_user],[current_release]",
                "d BTW ^2020-01-01^…^2020-01-02T00:00:00Z^;r EQ {n EQ ^a^;!x EQ FALSE}",
                "a EQ 1;(b EQ ^😀",
                "(a EQ 1;b EQ 2)",
            ]
            .map(String::from),
        );
        sources
    }

    #[test]
    fn trees_read_back_as_serde_writes_them() {
        let mut trees = 0;
        for source in sources() {
            let source = source.trim_end_matches('\n');
            let parsed = parse(source);
            for query in [&parsed.query, &parsed.partial].into_iter().flatten() {
                let (tape, serde) = both(query, source);
                assert_eq!(tape, serde, "{source}");
                trees += 1;
            }
        }
        assert!(trees > 100, "{trees} trees");
    }

    #[test]
    fn trees_of_random_text_read_back_as_serde_writes_them() {
        // Pieces of statements, valid and not, joined at random: every
        // kind of node, partial trees of broken text, text outside ASCII.
        const PIECES: [&str; 24] = [
            "name",
            "é",
            " EQ ",
            "=",
            " IN ",
            " BTW ",
            "...",
            "^x*^",
            "^2020-01-01^",
            "'d'",
            "5",
            "-2.5",
            "true",
            "null",
            "[current_user]",
            "{null}",
            "{",
            "}",
            "(",
            ")",
            ";",
            "||",
            "!",
            "😀",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut trees = 0;
        for _ in 0..3000 {
            let len = next() % 16;
            let source: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let parsed = parse(&source);
            for query in [&parsed.query, &parsed.partial].into_iter().flatten() {
                let (tape, serde) = both(query, &source);
                assert_eq!(tape, serde, "{source}");
                trees += 1;
            }
        }
        assert!(trees > 500, "{trees} trees");
    }

    /// `tests/node/trees.json`: what `parseQuery` and `tokenizeQuery` must
    /// return in JavaScript for each of `sources()`, and `explainOData` for
    /// each of `FILTERS`, as serde writes it.
    fn node_cases() -> String {
        #[derive(serde::Serialize)]
        struct ParseResult {
            ast: Option<Query>,
            partial: Option<Query>,
            diagnostics: Vec<crate::convert::JsDiagnostic>,
        }
        #[derive(serde::Serialize)]
        struct Case<'a> {
            source: &'a str,
            parsed: ParseResult,
            tokens: Vec<Token>,
        }
        #[derive(serde::Serialize)]
        struct Explained {
            parenthesized: String,
            ast: Node,
            diagnostics: [(); 0],
        }
        #[derive(serde::Serialize)]
        struct ODataCase<'a> {
            filter: &'a str,
            explained: Explained,
        }
        let mut cases: Vec<String> = (sources().iter())
            .map(|source| {
                let index = SourceIndex::new(source);
                let parsed = parse(source);
                let utf16 = |mut query: Query| {
                    query.for_each_span_mut(&mut |span| *span = index.utf16_span(*span));
                    query
                };
                let case = Case {
                    source,
                    tokens: serde_tokens(&index, source),
                    parsed: ParseResult {
                        diagnostics: crate::convert::js_diagnostics(&index, &parsed.diagnostics),
                        ast: parsed.query.map(utf16),
                        partial: parsed.partial.map(utf16),
                    },
                };
                serde_json::to_string(&case).unwrap()
            })
            .collect();
        cases.extend(FILTERS.iter().map(|filter| {
            let explanation = octane_odata::explain_filter(filter).unwrap();
            let case = ODataCase {
                filter,
                explained: Explained {
                    parenthesized: explanation.parenthesized,
                    ast: convert(&SourceIndex::new(filter), &explanation.tree),
                    diagnostics: [],
                },
            };
            serde_json::to_string(&case).unwrap()
        }));
        format!("[\n{}\n]\n", cases.join(",\n"))
    }

    #[test]
    fn the_node_tests_expect_what_serde_writes() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/node/trees.json");
        let expected = node_cases();
        if std::env::var_os("OCTANE_UPDATE_TREES").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        let found = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            found == expected,
            "tests/node/trees.json is not what serde writes now: run this test with OCTANE_UPDATE_TREES=1"
        );
    }

    /// `ODataNode` as serde writes it.
    #[derive(serde::Serialize)]
    struct Node {
        kind: &'static str,
        label: String,
        span: Span,
        children: Vec<Node>,
    }

    fn convert(index: &SourceIndex, node: &FilterNode) -> Node {
        Node {
            kind: node.kind,
            label: node.label.clone(),
            span: index.utf16_span(node.span),
            children: node.children.iter().map(|c| convert(index, c)).collect(),
        }
    }

    /// OData filters of every kind of node, and text outside ASCII.
    const FILTERS: [&str; 5] = [
        "id eq 5",
        "creation_time gt 2017-08-24T00:00:00Z and (severity eq 'high' or owner ne null)",
        "not (name eq 'é😀') and -id lt 3 or contains(name,'a''b')",
        "startswith(name,'Log') and id in (1, 2, 3) and tags/any(t: t/name eq 'x')",
        "creation_time gt datetimeoffset'2017-08-24T00:00:00Z' and ü/ß eq 1.5e3",
    ];

    #[test]
    fn odata_trees_read_back_as_serde_writes_them() {
        for filter in FILTERS {
            let tree = octane_odata::explain_filter(filter).expect(filter).tree;
            let index = SourceIndex::new(filter);
            let tape = read_back(&index, |writer| writer.odata(&tree));
            let serde = serde_json::to_string(&convert(&index, &tree)).unwrap();
            assert_eq!(tape, serde, "{filter}");
        }
    }

    #[test]
    fn tokens_read_back_as_serde_writes_them() {
        for source in sources() {
            let index = SourceIndex::new(&source);
            let tokens = octane_query::tokenize(&source);
            let tape = read_back(&index, |writer| writer.tokens(&tokens));
            let serde = serde_json::to_string(&serde_tokens(&index, &source)).unwrap();
            assert_eq!(tape, serde, "{source}");
        }
    }
}
