//! Every token of a statement with what it is, for editors to colour: the
//! lexer's own tokens, each word classed by what the parser took it for,
//! so that highlighting can never disagree with the parser.

use crate::diagnostics::ErrorKind;
use crate::lexer::TokenKind;
use crate::parser::{ParseOptions, parse_collecting};
use crate::span::Span;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum TokenClass {
    /// A field name: `name`, `detected_in_release`.
    Field,
    /// A comparison operator: `EQ`, `IN`, `BTW`, `=`, `>=`.
    Operator,
    /// A logical operator: `;`, `||`, `!` (and the slips `AND`, `&&`).
    Logical,
    /// A string: `^abc^`, `'abc'`.
    String,
    /// A number: `42`, `-3.5`.
    Number,
    /// `true`, `false` or `null` where a value stands.
    Keyword,
    /// `[current_user]`, `[current_release]`.
    Special,
    /// `(`, `)`, `{`, `}`, `,`, `...`.
    Punctuation,
    /// Text the parser could not place: a stray word or character.
    Error,
}

/// One token: its class and its byte span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ClassifiedToken {
    /// What it is.
    pub class: TokenClass,
    /// Where it is (bytes).
    pub span: Span,
}

/// Every token of `source`, in order, with its class. Words take the class
/// the parser gave them (a field, an operator, a keyword); a word it could
/// not place, and a character the lexer could not read, is an error.
pub fn tokenize(source: &str) -> Vec<ClassifiedToken> {
    let collected = parse_collecting(source, &ParseOptions::default(), true);
    let mut classes: Vec<Option<TokenClass>> = vec![None; collected.tokens.len()];
    for (index, class) in collected.words {
        if let Some(slot) = classes.get_mut(index) {
            *slot = Some(class);
        }
    }
    let mut out: Vec<ClassifiedToken> = collected
        .tokens
        .iter()
        .zip(classes)
        .filter(|(token, _)| token.kind != TokenKind::Eof)
        .map(|(token, placed)| ClassifiedToken {
            class: placed.unwrap_or_else(|| lexical(&token.kind)),
            span: token.span,
        })
        .collect();
    // Characters the lexer skipped are tokens too: errors.
    out.extend(
        collected
            .parsed
            .diagnostics
            .iter()
            .filter(|d| d.code == ErrorKind::UnexpectedCharacter.code())
            .map(|d| ClassifiedToken {
                class: TokenClass::Error,
                span: d.span,
            }),
    );
    crate::order::sort_by_span(&mut out, |t| t.span);
    out
}

/// The class a token has by its kind alone, when the parser did not place it.
fn lexical(kind: &TokenKind) -> TokenClass {
    if kind.is_symbol_operator() {
        return TokenClass::Operator;
    }
    match kind {
        TokenKind::Number(_) => TokenClass::Number,
        TokenKind::Str(_) => TokenClass::String,
        TokenKind::Special(_) => TokenClass::Special,
        TokenKind::Semicolon | TokenKind::OrOr | TokenKind::Bang | TokenKind::LogicalSlip => {
            TokenClass::Logical
        }
        TokenKind::LParen
        | TokenKind::RParen
        | TokenKind::LBrace
        | TokenKind::RBrace
        | TokenKind::Comma
        | TokenKind::Range => TokenClass::Punctuation,
        _ => TokenClass::Error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenClass as C;

    fn classes(source: &str) -> Vec<(&str, TokenClass)> {
        tokenize(source)
            .into_iter()
            .map(|t| (&source[t.span.range()], t.class))
            .collect()
    }

    #[test]
    fn words_take_the_parsers_reading() {
        assert_eq!(
            classes("name EQ ^x*^;(id GT 5||!owner EQ {null})"),
            [
                ("name", C::Field),
                ("EQ", C::Operator),
                ("^x*^", C::String),
                (";", C::Logical),
                ("(", C::Punctuation),
                ("id", C::Field),
                ("GT", C::Operator),
                ("5", C::Number),
                ("||", C::Logical),
                ("!", C::Logical),
                ("owner", C::Field),
                ("EQ", C::Operator),
                ("{", C::Punctuation),
                ("null", C::Keyword),
                ("}", C::Punctuation),
                (")", C::Punctuation),
            ]
        );
        // A field may be named like an operator or a keyword: position decides.
        assert_eq!(
            classes("EQ EQ null;null IN true,false"),
            [
                ("EQ", C::Field),
                ("EQ", C::Operator),
                ("null", C::Keyword),
                (";", C::Logical),
                ("null", C::Field),
                ("IN", C::Operator),
                ("true", C::Keyword),
                (",", C::Punctuation),
                ("false", C::Keyword),
            ]
        );
    }

    #[test]
    fn what_the_parser_cannot_place_is_an_error() {
        let found = classes("name EQ bare AND id @ 5;owner IN [current_user]");
        assert!(found.contains(&("bare", C::Error)), "{found:?}");
        assert!(found.contains(&("@", C::Error)), "{found:?}");
        assert!(found.contains(&("AND", C::Logical)), "{found:?}");
        assert!(found.contains(&("[current_user]", C::Special)), "{found:?}");
        // Nothing is lost: tokens cover every non-space character in order.
        let source = "a EQ 1;b BTW 1...5||!(c IN ^x^,^y^)";
        let covered: String = tokenize(source)
            .iter()
            .map(|t| &source[t.span.range()])
            .collect();
        assert_eq!(covered, source.replace(' ', ""));
    }
}
