//! Splits a statement into tokens, in one pass, with nom.
//!
//! The lexer never fails: text it cannot read becomes an error diagnostic
//! and is skipped, so the parser always gets a token stream to recover in.

use nom::IResult;
use nom::Parser as _;
use nom::bytes::complete::{take_while, take_while1};
use nom::character::complete::{char as one_char, digit1, one_of};
use nom::combinator::{opt, recognize};
use nom::sequence::pair;

use crate::diagnostics as d;
use crate::parser::Sink;
use crate::span::Span;

/// A token and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// The kinds of token.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TokenKind {
    /// `name`, `EQ`, `true`, `AND`: letters, digits and `_`.
    Word,
    /// `-12.5`: the text, a leading `+` removed.
    Number(String),
    /// `^abc^` or `'abc'`: the text, escapes resolved.
    Str(String),
    /// `[current_user]`: the text between the brackets.
    Special(String),
    /// `;`
    Semicolon,
    /// `||`
    OrOr,
    /// `!`
    Bang,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `,`
    Comma,
    /// `...` (or `…`, `..`, `....`, each with a diagnostic already given).
    Range,
    /// `=`
    Equals,
    /// `==`
    EqualsEquals,
    /// `!=` or `<>`
    NotEquals,
    /// `<`
    Less,
    /// `>`
    Greater,
    /// `<=` (also `=<`)
    LessEquals,
    /// `>=` (also `=>`)
    GreaterEquals,
    /// `&&`, `&` or `|`: slips for `;` and `||`.
    LogicalSlip,
    /// The end of the input.
    Eof,
}

impl TokenKind {
    /// Whether the token is a comparison operator written with symbols
    /// (`=`, `<`, `>=`, ...), the slips `==`, `!=` and `<>` included.
    pub fn is_symbol_operator(&self) -> bool {
        matches!(
            self,
            TokenKind::Equals
                | TokenKind::EqualsEquals
                | TokenKind::NotEquals
                | TokenKind::Less
                | TokenKind::Greater
                | TokenKind::LessEquals
                | TokenKind::GreaterEquals
        )
    }

    /// How the token reads in a message.
    pub fn describe(&self, text: &str) -> String {
        match self {
            TokenKind::Eof => "the end of the query".to_owned(),
            TokenKind::Str(_) => format!("the string `{}`", shorten(text)),
            TokenKind::Number(_) => format!("the number `{text}`"),
            TokenKind::Word => format!("`{}`", shorten(text)),
            _ => format!("`{text}`"),
        }
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}…")
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn word(input: &str) -> IResult<&str, &str> {
    take_while1(is_word_char).parse(input)
}

/// The length of the word `rest` starts with (at least its first
/// character): ASCII bytes counted directly, the rest read as Unicode.
fn word_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let ascii = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or(bytes.len());
    let len = match bytes.get(ascii) {
        Some(b) if !b.is_ascii() => ascii + word(&rest[ascii..]).map_or(0, |(_, w)| w.len()),
        _ => ascii,
    };
    len.max(rest.chars().next().map_or(0, char::len_utf8))
}

/// The length of the white space `rest` starts with: ASCII spaces counted
/// directly, the rest as `str::trim_start` reads it.
fn white_space_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let ascii = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    match bytes.get(ascii) {
        // Vertical tab is white space too, though not ASCII's.
        Some(&b) if !b.is_ascii() || b == 0x0B => rest.len() - rest.trim_start().len(),
        _ => ascii,
    }
}

/// `-12`, `+3.5`; never consumes the dots of a `1...5` range.
fn number(input: &str) -> IResult<&str, &str> {
    recognize((opt(one_of("+-")), digit1, opt(pair(one_char('.'), digit1)))).parse(input)
}

/// The punctuation that `input` starts with, and its length in bytes.
fn punctuation(input: &str) -> Option<(TokenKind, usize)> {
    let bytes = input.as_bytes();
    let pair = match (bytes.first()?, bytes.get(1)) {
        (b'|', Some(b'|')) => Some(TokenKind::OrOr),
        (b'&', Some(b'&')) => Some(TokenKind::LogicalSlip),
        (b'=', Some(b'=')) => Some(TokenKind::EqualsEquals),
        (b'!', Some(b'=')) | (b'<', Some(b'>')) => Some(TokenKind::NotEquals),
        (b'<', Some(b'=')) | (b'=', Some(b'<')) => Some(TokenKind::LessEquals),
        (b'>', Some(b'=')) | (b'=', Some(b'>')) => Some(TokenKind::GreaterEquals),
        _ => None,
    };
    if let Some(kind) = pair {
        return Some((kind, 2));
    }
    let kind = match bytes[0] {
        b';' => TokenKind::Semicolon,
        b'!' => TokenKind::Bang,
        b'(' => TokenKind::LParen,
        b')' => TokenKind::RParen,
        b'{' => TokenKind::LBrace,
        b'}' => TokenKind::RBrace,
        b',' => TokenKind::Comma,
        b'=' => TokenKind::Equals,
        b'<' => TokenKind::Less,
        b'>' => TokenKind::Greater,
        b'&' | b'|' => TokenKind::LogicalSlip,
        _ => return None,
    };
    Some((kind, 1))
}

/// Tokenizes `src[start..end]`; spans are offsets into `src`.
pub(crate) fn lex(src: &str, start: usize, end: usize, sink: &mut Sink) -> Vec<Token> {
    let mut lexer = Lexer {
        src,
        pos: start,
        end,
        sink,
        // About one token per three bytes in typical statements: room
        // for more than that, so the list rarely grows.
        tokens: Vec::with_capacity((end - start) / 2 + 2),
    };
    lexer.run();
    lexer.tokens
}

struct Lexer<'s, 'k> {
    src: &'s str,
    pos: usize,
    end: usize,
    sink: &'k mut Sink,
    tokens: Vec<Token>,
}

impl<'s> Lexer<'s, '_> {
    fn rest(&self) -> &'s str {
        &self.src[self.pos..self.end]
    }

    fn span_to(&self, len: usize) -> Span {
        Span::new(self.pos as u32, (self.pos + len) as u32)
    }

    fn push(&mut self, kind: TokenKind, len: usize) {
        let span = self.span_to(len);
        self.tokens.push(Token { kind, span });
        self.pos += len;
    }

    fn run(&mut self) {
        loop {
            let rest = self.rest();
            let skipped = white_space_len(rest);
            self.pos += skipped;
            let Some(c) = rest[skipped..].chars().next() else {
                break;
            };
            if !self.sink.is_open() {
                break;
            }
            self.token(c);
        }
        let end = self.end as u32;
        self.tokens.push(Token {
            kind: TokenKind::Eof,
            span: Span::empty(end),
        });
    }

    fn token(&mut self, c: char) {
        let rest = self.rest();
        if c.is_ascii_digit() || ((c == '-' || c == '+') && starts_with_digit(&rest[1..])) {
            return self.number();
        }
        if is_word_char(c) {
            return self.push(TokenKind::Word, word_len(rest));
        }
        match c {
            '^' | '\'' => return self.string(c),
            '[' => return self.special(),
            '.' | '…' => return self.range(),
            '"' => return self.double_quoted(),
            '%' if is_percent_escape(rest) => {
                // Everything after this would be noise: stop here.
                self.sink.push_fatal(d::percent_encoded(self.span_to(3)));
                self.pos = self.end;
                return;
            }
            _ => {}
        }
        if let Some((kind, len)) = punctuation(rest) {
            return self.push(kind, len);
        }
        let len = c.len_utf8();
        self.sink
            .push(d::unexpected_character(self.span_to(len), c));
        self.pos += len;
    }

    fn number(&mut self) {
        let rest = self.rest();
        let Ok((after, text)) = number(rest) else {
            unreachable_token(self, rest);
            return;
        };
        let mut len = rest.len() - after.len();
        // `12abc` or `1.2.3`: swallow the whole malformed run.
        let tail = malformed_number_tail(after);
        if tail > 0 {
            len += tail;
            let span = self.span_to(len);
            self.sink.push(d::invalid_number(span, &rest[..len]));
            // Still a value token, so the parser reports nothing more.
            return self.push(TokenKind::Number(rest[..len].to_owned()), len);
        }
        let text = text.strip_prefix('+').unwrap_or(text).to_owned();
        self.push(TokenKind::Number(text), len);
    }

    fn string(&mut self, quote: char) {
        let start = self.pos;
        let body = &self.src[start + 1..self.end];
        let mut value = String::new();
        let mut i = 0;
        loop {
            // The run of plain text up to the next quote, `"` or `\`
            // (each ASCII), copied at once.
            let run = body.as_bytes()[i..]
                .iter()
                .position(|&b| b == quote as u8 || b == b'"' || b == b'\\')
                .unwrap_or(body.len() - i);
            value.push_str(&body[i..i + run]);
            i += run;
            let at = start + 1 + i;
            let Some(c) = body[i..].chars().next() else {
                let span = Span::new(start as u32, self.end as u32);
                self.sink.push(d::unterminated_string(span, quote));
                self.pos = self.end;
                self.tokens.push(Token {
                    kind: TokenKind::Str(value),
                    span,
                });
                return;
            };
            i += 1;
            match c {
                c if c == quote => {
                    let len = at + 1 - start;
                    self.push(TokenKind::Str(value), len);
                    return;
                }
                '"' => {
                    let span = Span::new(at as u32, at as u32 + 1);
                    self.sink.push(d::double_quote_in_statement(span));
                    value.push('"');
                }
                _ => {
                    // `\` and the character it escapes.
                    let next = body[i..].chars().next();
                    i += next.map_or(0, char::len_utf8);
                    let len = 1 + next.map_or(0, char::len_utf8);
                    let span = Span::new(at as u32, (at + len) as u32);
                    match next.map(unescape) {
                        Some(Escape::Char(e)) => value.push(e),
                        Some(Escape::Asterisk) => {
                            self.sink.push(d::literal_asterisk(span));
                            value.push('*');
                        }
                        Some(Escape::Unknown(e)) => {
                            self.sink.push(d::invalid_escape(span, Some(e)));
                            value.push(e);
                        }
                        None => self.sink.push(d::invalid_escape(span, None)),
                    }
                }
            }
        }
    }

    /// `"abc"`: a string in double quotes, which cannot stand inside a
    /// statement; read as a string so the parser reports nothing more.
    fn double_quoted(&mut self) {
        let rest = self.rest();
        if let Some(close) = rest[1..].find('"') {
            let len = close + 2;
            self.sink.push(d::double_quoted_string(self.span_to(len)));
            let text = rest[1..=close].to_owned();
            self.push(TokenKind::Str(text), len);
        } else {
            self.sink
                .push(d::double_quote_in_statement(self.span_to(1)));
            self.pos += 1;
        }
    }

    fn special(&mut self) {
        let rest = self.rest();
        let inner = &rest[1..];
        let name_len = inner
            .find(|c: char| !(is_word_char(c) || c == ' '))
            .unwrap_or(inner.len());
        if inner[name_len..].starts_with(']') {
            let name = inner[..name_len].trim().to_owned();
            self.push(TokenKind::Special(name), name_len + 2);
        } else {
            let span = self.span_to(1 + name_len);
            self.sink.push(d::unclosed_special_value(span));
            let name = inner[..name_len].trim().to_owned();
            self.push(TokenKind::Special(name), 1 + name_len);
        }
    }

    fn range(&mut self) {
        let rest = self.rest();
        let len = rest
            .find(|c: char| c != '.' && c != '…')
            .unwrap_or(rest.len());
        let text = &rest[..len];
        let span = self.span_to(len);
        if text == "…" {
            self.sink.push(d::unicode_ellipsis(span));
        } else if text != "..." {
            self.sink.push(d::unexpected_character(span, '.'));
        }
        self.push(TokenKind::Range, len);
    }
}

/// Cannot happen (the caller checked for a digit), but never panics.
fn unreachable_token(lexer: &mut Lexer<'_, '_>, rest: &str) {
    let c = rest.chars().next().unwrap_or(' ');
    let len = c.len_utf8().max(1);
    lexer
        .sink
        .push(d::unexpected_character(lexer.span_to(len), c));
    lexer.pos += len;
}

fn starts_with_digit(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// Length of a malformed continuation of a number: letters or digits glued
/// to it (`12abc`), or a second decimal point (`1.2.3`).
fn malformed_number_tail(after: &str) -> usize {
    let glued: IResult<&str, &str> = take_while(is_word_char).parse(after);
    let mut len = glued.map_or(0, |(_, w)| w.len());
    let rest = &after[len..];
    if rest.starts_with('.') && starts_with_digit(&rest[1..]) {
        len += rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || is_word_char(c)))
            .unwrap_or(rest.len());
    }
    len
}

fn is_percent_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[1].is_ascii_hexdigit() && b[2].is_ascii_hexdigit()
}

enum Escape {
    Char(char),
    Asterisk,
    Unknown(char),
}

/// Octane's escapes: `\^ \' \" \\`, `\q` (') `\l` (<) `\g` (>), and
/// `\{ \( \) \[ \] \?` for the character itself.
fn unescape(c: char) -> Escape {
    match c {
        '^' | '\'' | '"' | '\\' | '{' | '(' | ')' | '[' | ']' | '?' => Escape::Char(c),
        'q' => Escape::Char('\''),
        'l' => Escape::Char('<'),
        'g' => Escape::Char('>'),
        '*' => Escape::Asterisk,
        other => Escape::Unknown(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> (Vec<TokenKind>, Vec<&'static str>) {
        let mut sink = Sink::new(100);
        let tokens = lex(src, 0, src.len(), &mut sink);
        (
            tokens.into_iter().map(|t| t.kind).collect(),
            sink.into_vec().into_iter().map(|d| d.code).collect(),
        )
    }

    #[test]
    fn tokens_without_spaces() {
        let (k, errors) = kinds("id>=-5;f={a EQ 'x\\'y'}");
        assert!(errors.is_empty());
        assert_eq!(
            k,
            vec![
                TokenKind::Word,
                TokenKind::GreaterEquals,
                TokenKind::Number("-5".into()),
                TokenKind::Semicolon,
                TokenKind::Word,
                TokenKind::Equals,
                TokenKind::LBrace,
                TokenKind::Word,
                TokenKind::Word,
                TokenKind::Str("x'y".into()),
                TokenKind::RBrace,
                TokenKind::Eof,
            ]
        );
    }

    #[test]
    fn range_dots_are_not_decimals() {
        let (k, _) = kinds("1.5...+2");
        assert_eq!(
            k,
            vec![
                TokenKind::Number("1.5".into()),
                TokenKind::Range,
                TokenKind::Number("2".into()),
                TokenKind::Eof
            ]
        );
    }

    #[test]
    fn octane_escapes() {
        let (k, errors) = kinds(r"^\q\l\g\^\\\{^");
        assert!(errors.is_empty());
        assert_eq!(k[0], TokenKind::Str("'<>^\\{".into()));
    }

    #[test]
    fn lexer_errors() {
        assert_eq!(kinds("^abc").1, vec!["Q0002"]);
        assert_eq!(kinds(r"^a\x^").1, vec!["Q0003"]);
        assert_eq!(kinds(r"^a\*^").1, vec!["Q0004"]);
        assert_eq!(kinds("12abc").1, vec!["Q0026"]);
        assert_eq!(kinds("1.2.3").1, vec!["Q0026"]);
        assert_eq!(kinds("a@b").1, vec!["Q0001"]);
        assert_eq!(kinds("1…2").1, vec!["Q0101"]);
        assert_eq!(kinds("[current_user").1, vec!["Q0029"]);
        assert_eq!(kinds("name%20EQ%20%5E").1, vec!["Q0032"]);
        assert_eq!(kinds("\"abc\"").0[0], TokenKind::Str("abc".into()));
    }

    proptest::proptest! {
        /// The ASCII fast paths read words and white space exactly as
        /// the Unicode readings do.
        #[test]
        fn fast_paths_agree_with_unicode(text in "[a-z_0-9 \t\n\u{0B}\u{0C}\u{A0}\u{2003}éΩ٣;^(]{0,12}") {
            proptest::prop_assert_eq!(white_space_len(&text), text.len() - text.trim_start().len());
            if text.chars().next().is_some_and(is_word_char) {
                let unicode = word(&text).map_or(0, |(_, w)| w.len());
                proptest::prop_assert_eq!(word_len(&text), unicode);
            }
        }
    }
}
