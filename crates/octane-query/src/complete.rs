//! What the grammar expects at a cursor position, for editors' completion.
//!
//! This is syntax only: it says "a field of the entity reached through
//! `release`, then `sprints`, starting with `na`". Which fields exist is
//! the schema's business.

use crate::ast::OperatorKind;
use crate::lexer::{Token, TokenKind, lex};
use crate::parser::Sink;
use crate::span::Span;

/// What may stand at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// A field name (after `;`, `||`, `!`, `(`, `{`, or at the start).
    Field,
    /// A comparison operator after `field`.
    Operator {
        /// The field before the cursor.
        field: String,
    },
    /// A value after `field OP` (also after a `,` of `IN` or the `...` of
    /// `BTW`).
    Value {
        /// The field compared.
        field: String,
        /// The operator.
        operator: OperatorKind,
    },
    /// A logical operator or a closer, after a complete phrase.
    Continuation {
        /// The innermost open group: `(` or `{`, if any.
        open: Option<char>,
    },
}

/// The completion context at a cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionContext {
    /// What may stand at the cursor.
    pub expected: Expected,
    /// The reference fields whose cross-filters enclose the cursor,
    /// outermost first.
    pub path: Vec<String>,
    /// The partial word before the cursor (empty when none).
    pub prefix: String,
    /// The text a completion replaces: the partial word.
    pub replace: Span,
}

/// Where a partially typed statement expects what, at byte `offset`
/// (clamped to the text and moved back to a character boundary).
pub fn completion_context(source: &str, offset: usize) -> CompletionContext {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let mut sink = Sink::new(1);
    let mut tokens = lex(source, 0, offset, &mut sink);
    tokens.pop(); // Eof
    // The word (or string, or special value) being typed at the cursor.
    let (prefix, replace) = match tokens.last() {
        Some(Token {
            kind: TokenKind::Word | TokenKind::Number(_),
            span,
        }) if span.end as usize == offset => {
            let span = *span;
            tokens.pop();
            (source[span.range()].to_owned(), span)
        }
        Some(Token {
            kind: TokenKind::Str(text),
            span,
        }) if span.end as usize == offset && !closed_string(source, *span) => {
            let (text, span) = (text.clone(), *span);
            tokens.pop();
            (text, span)
        }
        _ => {
            let partial = partial_special(&source[..offset]);
            if !partial.is_empty()
                && matches!(tokens.last(), Some(t) if matches!(t.kind, TokenKind::Special(_)))
            {
                tokens.pop();
            }
            let start = (offset - partial.len()) as u32;
            (partial.to_owned(), Span::new(start, offset as u32))
        }
    };
    let (expected, path) = walk(source, &tokens);
    CompletionContext {
        expected,
        path,
        prefix,
        replace,
    }
}

/// Whether the string token at `span` has its closing quote.
fn closed_string(source: &str, span: Span) -> bool {
    let text = &source[span.range()];
    let mut chars = text.chars();
    let Some(open) = chars.next() else {
        return false;
    };
    if text.len() < 2 || !text.ends_with(open) {
        return false;
    }
    // An escaped closing quote does not close.
    let inner = &text[open.len_utf8()..text.len() - open.len_utf8()];
    let backslashes = inner.chars().rev().take_while(|&c| c == '\\').count();
    backslashes % 2 == 0
}

/// `[curr` at the end of the text: an unclosed special value being typed.
fn partial_special(before: &str) -> &str {
    match before.rfind('[') {
        Some(i)
            if before[i + 1..]
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_') =>
        {
            &before[i..]
        }
        _ => "",
    }
}

/// A group the walk is inside.
enum Frame {
    Paren,
    Brace,
}

/// Runs the grammar's states over the tokens before the cursor.
fn walk(source: &str, tokens: &[Token]) -> (Expected, Vec<String>) {
    let mut expected = Expected::Field;
    let mut frames: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    for token in tokens {
        let text = &source[token.span.range()];
        expected = match (&token.kind, expected) {
            (TokenKind::Semicolon | TokenKind::OrOr | TokenKind::Bang, _) => Expected::Field,
            (TokenKind::LParen, _) => {
                frames.push(Frame::Paren);
                Expected::Field
            }
            (TokenKind::LBrace, Expected::Value { field, .. }) => {
                frames.push(Frame::Brace);
                path.push(field);
                Expected::Field
            }
            (TokenKind::RParen | TokenKind::RBrace, _) => {
                if let Some(Frame::Brace) = frames.pop() {
                    path.pop();
                }
                Expected::Continuation {
                    open: innermost(&frames),
                }
            }
            (TokenKind::Word, Expected::Field) => Expected::Operator {
                field: text.to_owned(),
            },
            (TokenKind::Word, Expected::Operator { field }) => {
                match OperatorKind::from_word(text) {
                    Some(operator) => Expected::Value { field, operator },
                    None => Expected::Operator { field },
                }
            }
            (
                TokenKind::Equals
                | TokenKind::Less
                | TokenKind::Greater
                | TokenKind::LessEquals
                | TokenKind::GreaterEquals,
                Expected::Operator { field },
            ) => Expected::Value {
                field,
                operator: match token.kind {
                    TokenKind::Less => OperatorKind::Lt,
                    TokenKind::Greater => OperatorKind::Gt,
                    TokenKind::LessEquals => OperatorKind::Le,
                    TokenKind::GreaterEquals => OperatorKind::Ge,
                    _ => OperatorKind::Eq,
                },
            },
            (TokenKind::Comma | TokenKind::Range, Expected::Continuation { .. }) => {
                // `IN 1,` or `BTW 1...`: another value of the last phrase.
                last_phrase(source, tokens, token.span).map_or(
                    Expected::Field,
                    |(field, operator)| Expected::Value { field, operator },
                )
            }
            (_, Expected::Value { .. }) => Expected::Continuation {
                open: innermost(&frames),
            },
            (_, state) => state,
        };
    }
    (expected, path)
}

fn innermost(frames: &[Frame]) -> Option<char> {
    frames.last().map(|f| match f {
        Frame::Paren => '(',
        Frame::Brace => '{',
    })
}

/// The field and operator of the phrase that a `,` or `...` at `at`
/// continues: the nearest `field OP` before it at the same depth.
fn last_phrase(source: &str, tokens: &[Token], at: Span) -> Option<(String, OperatorKind)> {
    let before: Vec<&Token> = tokens
        .iter()
        .take_while(|t| t.span.start < at.start)
        .collect();
    let mut depth = 0i32;
    for window in (1..before.len()).rev() {
        let token = before[window];
        match token.kind {
            TokenKind::RBrace | TokenKind::RParen => depth += 1,
            TokenKind::LBrace | TokenKind::LParen => depth -= 1,
            TokenKind::Word if depth == 0 => {
                if let Some(operator) = OperatorKind::from_word(&source[token.span.range()]) {
                    let field = before[window - 1];
                    if field.kind == TokenKind::Word {
                        return Some((source[field.span.range()].to_owned(), operator));
                    }
                }
            }
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_end(source: &str) -> CompletionContext {
        completion_context(source, source.len())
    }

    #[test]
    fn positions() {
        assert_eq!(at_end("").expected, Expected::Field);
        assert_eq!(at_end("na").prefix, "na");
        assert_eq!(at_end("na").expected, Expected::Field);
        assert_eq!(
            at_end("name ").expected,
            Expected::Operator {
                field: "name".into()
            }
        );
        assert_eq!(
            at_end("id>").expected,
            Expected::Value {
                field: "id".into(),
                operator: OperatorKind::Gt
            }
        );
        assert_eq!(
            at_end("id IN 1,").expected,
            Expected::Value {
                field: "id".into(),
                operator: OperatorKind::In
            }
        );
        assert_eq!(
            at_end("(id EQ 1 ").expected,
            Expected::Continuation { open: Some('(') }
        );
        assert_eq!(at_end("id EQ 1;!").expected, Expected::Field);
    }

    #[test]
    fn cross_filters_set_the_path() {
        let context = at_end("release EQ {sprints EQ {na");
        assert_eq!(context.path, ["release", "sprints"]);
        assert_eq!(context.expected, Expected::Field);
        assert_eq!(context.prefix, "na");
        assert_eq!(context.replace, Span::new(24, 26));
        let context = at_end("release EQ {id EQ 1};o");
        assert!(context.path.is_empty());
    }

    #[test]
    fn partial_values() {
        let context = at_end("owner EQ [curr");
        assert_eq!(context.prefix, "[curr");
        assert!(matches!(context.expected, Expected::Value { .. }));
        let context = at_end("name EQ ^ab");
        assert_eq!(context.prefix, "ab");
        assert!(matches!(context.expected, Expected::Value { .. }));
        let context = at_end("name EQ ^ab^");
        assert_eq!(context.expected, Expected::Continuation { open: None });
    }

    #[test]
    fn cursor_in_the_middle() {
        let source = "name EQ ^a^;id GT 5";
        let context = completion_context(source, 14);
        assert_eq!(context.prefix, "id");
        assert_eq!(context.expected, Expected::Field);
        // Inside a multi-byte character: moved back to its start.
        let context = completion_context("né", 2);
        assert_eq!(context.prefix, "n");
    }
}
