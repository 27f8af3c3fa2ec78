//! Recursive-descent parser over the lexer's tokens, with error recovery.
//!
//! Grammar, loosest binding first (the docs' rank table):
//!
//! ```text
//! statement := or
//! or        := and ( "||" and )*              rank 4
//! and       := unary ( ";" unary )*           rank 3
//! unary     := "!" unary | primary            rank 2
//! primary   := "(" or ")" | phrase            rank 1
//! phrase    := field operator operand
//! ```
//!
//! Every token is looked at a bounded number of times, so parsing is linear
//! in the input; nesting (parentheses, braces, `!`) is bounded by
//! [`ParseOptions::max_depth`] so the stack never overflows.

mod expr;
pub(crate) mod value;

use crate::ast::{Expr, Query};
use crate::diagnostics::{self as d, Diagnostic, Diagnostics};
use crate::lexer::{Token, TokenKind, lex};
use crate::span::Span;
use crate::tokens::TokenClass;

/// Limits and switches for [`parse_with`].
#[derive(Clone, Debug)]
pub struct ParseOptions {
    /// Deepest nesting of parentheses, braces and `!` (default 256).
    pub max_depth: usize,
    /// Longest statement in bytes (default 1 MiB).
    pub max_len: usize,
    /// Most diagnostics reported; the rest are dropped (default 100).
    pub max_diagnostics: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            max_depth: 256,
            max_len: 1 << 20,
            max_diagnostics: 100,
        }
    }
}

/// The result of parsing: a tree when the statement has no error, and every
/// diagnostic found, in source order.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The tree, or `None` when an error was found.
    pub query: Option<Query>,
    /// When an error was found: what did parse, the broken parts as
    /// [`ExprKind::Error`](crate::ExprKind::Error) nodes holding what
    /// parsed within them (for editors and explainers; never evaluate it).
    /// `None` when the statement is valid or nothing could be read.
    pub partial: Option<Query>,
    /// Errors and warnings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// The tree, or every diagnostic when there is an error.
    pub fn into_result(self) -> Result<Query, Diagnostics> {
        match self.query {
            Some(query) => Ok(query),
            None => Err(Diagnostics(self.diagnostics)),
        }
    }

    /// Whether an error was found.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Collects diagnostics up to a limit; once closed (after a fatal error),
/// it takes no more.
#[derive(Debug)]
pub(crate) struct Sink {
    items: Vec<Diagnostic>,
    limit: usize,
    errors: usize,
    closed: bool,
}

impl Sink {
    pub fn new(limit: usize) -> Self {
        Self {
            items: Vec::new(),
            limit,
            errors: 0,
            closed: false,
        }
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.closed {
            return;
        }
        if diagnostic.is_error() {
            self.errors += 1;
        }
        if self.items.len() < self.limit {
            self.items.push(diagnostic);
        }
    }

    /// Takes this diagnostic even past the limit, and no more after it.
    pub fn push_fatal(&mut self, diagnostic: Diagnostic) {
        if self.closed {
            return;
        }
        self.errors += 1;
        self.items.push(diagnostic);
        self.closed = true;
    }

    /// Whether a fatal diagnostic has not been taken yet.
    pub fn is_open(&self) -> bool {
        !self.closed
    }

    pub fn error_count(&self) -> usize {
        self.errors
    }

    pub fn into_vec(mut self) -> Vec<Diagnostic> {
        crate::order::sort_by_span(&mut self.items, |d| d.span);
        self.items
    }
}

/// Parses a statement with the default [`ParseOptions`].
pub fn parse(src: &str) -> Parsed {
    parse_with(src, &ParseOptions::default())
}

/// Parses a statement: optional surrounding double quotes, then phrases
/// joined by `;`, `||`, `!` and parentheses.
pub fn parse_with(src: &str, options: &ParseOptions) -> Parsed {
    parse_collecting(src, options, false).parsed
}

/// A parse, with the tokens read and what the parser took each word for.
pub(crate) struct Collected {
    pub parsed: Parsed,
    pub tokens: Vec<Token>,
    /// (token index, class) for each token the parser placed.
    pub words: Vec<(usize, TokenClass)>,
}

impl Collected {
    /// A statement refused before any token was read.
    fn refused(sink: Sink) -> Self {
        Collected {
            parsed: Parsed {
                query: None,
                partial: None,
                diagnostics: sink.into_vec(),
            },
            tokens: Vec::new(),
            words: Vec::new(),
        }
    }
}

/// [`parse_with`], keeping the tokens; with `classes`, also what the
/// parser took each word for.
pub(crate) fn parse_collecting(src: &str, options: &ParseOptions, classes: bool) -> Collected {
    let mut sink = Sink::new(options.max_diagnostics.max(1));
    if src.len() > options.max_len || u32::try_from(src.len()).is_err() {
        let end = u32::try_from(src.len().min(options.max_len)).unwrap_or(u32::MAX);
        sink.push(d::input_too_large(
            Span::new(0, end),
            src.len(),
            options.max_len,
        ));
        return Collected::refused(sink);
    }
    let (start, end) = statement_bounds(src, &mut sink);
    let span = Span::new(start as u32, end as u32);
    if src[start..end].trim().is_empty() {
        sink.push(d::empty_query(span));
        return Collected::refused(sink);
    }
    let tokens = lex(src, start, end, &mut sink);
    let words = Vec::with_capacity(if classes { tokens.len() } else { 0 });
    let mut parser = Parser {
        src,
        tokens,
        pos: 0,
        depth: 0,
        max_depth: options.max_depth,
        sink,
        words,
        classes,
    };
    let expr = parser.statement();
    let failed = parser.sink.error_count() > 0;
    let diagnostics = parser.sink.into_vec();
    let tree = expr.map(|expr| Query { expr, span });
    let (query, partial) = if failed { (None, tree) } else { (tree, None) };
    Collected {
        parsed: Parsed {
            query,
            partial,
            diagnostics,
        },
        tokens: parser.tokens,
        words: parser.words,
    }
}

/// The byte range of the statement proper: without surrounding white
/// space, a leading `query=`, and one pair of surrounding double quotes
/// (typographic ones accepted with a warning).
fn statement_bounds(src: &str, sink: &mut Sink) -> (usize, usize) {
    let mut start = src.len() - src.trim_start().len();
    let mut end = src.trim_end().len().max(start);
    let prefix = "query=";
    if src[start..end]
        .get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    {
        sink.push(d::query_parameter_prefix(Span::new(
            start as u32,
            (start + prefix.len()) as u32,
        )));
        start += prefix.len();
        start += src[start..end].len() - src[start..end].trim_start().len();
    }
    let inner = &src[start..end];
    let open = inner.chars().next();
    let close = inner.chars().next_back();
    if let (Some(open), Some(close)) = (open, close) {
        let typographic = |c: char| c == '“' || c == '”';
        let plain = open == '"' && close == '"';
        let fancy = typographic(open) && typographic(close);
        if inner.len() >= open.len_utf8() + close.len_utf8() && (plain || fancy) {
            if fancy {
                sink.push(d::typographic_quotes(Span::new(
                    start as u32,
                    (start + open.len_utf8()) as u32,
                )));
            }
            start += open.len_utf8();
            end -= close.len_utf8();
        } else if open == '"' || typographic(open) {
            // `"id EQ 1`: report the lone quote, then parse the rest.
            let span = Span::new(start as u32, (start + open.len_utf8()) as u32);
            sink.push(d::unpaired_quote(span));
            start += open.len_utf8();
        }
    }
    (start, end)
}

/// Where a construct's parsing stops: the closer it may end at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Closer {
    /// A `)`.
    Paren,
    /// A `}`.
    Brace,
}

pub(crate) struct Parser<'s> {
    src: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    max_depth: usize,
    sink: Sink,
    /// What the parser took each word for, by token index (see
    /// [`crate::tokenize`]).
    words: Vec<(usize, TokenClass)>,
    /// Whether `words` is kept (only [`crate::tokenize`] reads it).
    classes: bool,
}

impl<'s> Parser<'s> {
    /// Records that the token at the cursor is read as `class`.
    fn classify(&mut self, class: TokenClass) {
        if self.classes {
            self.words.push((self.pos, class));
        }
    }

    fn peek(&self) -> &Token {
        // The lexer always ends the stream with `Eof`, and `bump` never
        // moves past it.
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn peek_kind(&self) -> &TokenKind {
        &self.peek().kind
    }

    fn peek_at(&self, ahead: usize) -> &Token {
        &self.tokens[(self.pos + ahead).min(self.tokens.len() - 1)]
    }

    /// Moves past the current token (never past `Eof`); returns its span.
    fn bump(&mut self) -> Span {
        let token = self.peek();
        let span = token.span;
        if token.kind != TokenKind::Eof {
            self.pos += 1;
        }
        span
    }

    fn text(&self, span: Span) -> &'s str {
        &self.src[span.range()]
    }

    fn describe(&self, token: &Token) -> String {
        token.kind.describe(self.text(token.span))
    }

    /// The span just before the current token (for "expected X here").
    fn here(&self) -> Span {
        let token = self.peek();
        if token.kind == TokenKind::Eof {
            token.span
        } else {
            Span::empty(token.span.start)
        }
    }

    /// Enters one nesting level; on overflow, reports it, skips the rest of
    /// the input and returns `false`.
    fn enter(&mut self, span: Span) -> bool {
        if self.depth >= self.max_depth {
            self.sink
                .push_fatal(d::nesting_too_deep(span, self.max_depth));
            self.pos = self.tokens.len() - 1;
            return false;
        }
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Skips to the next `;`, `||` or closer at this nesting level (or the
    /// end), stepping over balanced groups, after an error.
    fn recover(&mut self) {
        let mut nested = 0usize;
        loop {
            match self.peek_kind() {
                TokenKind::Eof => return,
                TokenKind::Semicolon | TokenKind::OrOr | TokenKind::RParen | TokenKind::RBrace
                    if nested == 0 =>
                {
                    return;
                }
                TokenKind::LParen | TokenKind::LBrace => nested += 1,
                TokenKind::RParen | TokenKind::RBrace => nested -= 1,
                _ => {}
            }
            self.bump();
        }
    }

    fn statement(&mut self) -> Option<Expr> {
        let expr = self.or();
        if self.peek_kind() == &TokenKind::Eof {
            return expr;
        }
        // Leftovers at the top level: report them and keep parsing for more
        // diagnostics; the statement has failed, and the partial tree is
        // one broken part holding what parsed.
        let mut parts: Vec<Expr> = expr.into_iter().collect();
        while self.peek_kind() != &TokenKind::Eof {
            let token = self.peek().clone();
            match token.kind {
                TokenKind::RParen => {
                    self.bump();
                    self.sink.push(d::unmatched_parenthesis(token.span));
                }
                TokenKind::RBrace => {
                    self.bump();
                    self.sink.push(d::unmatched_brace(token.span));
                }
                _ => {
                    self.sink.push(d::missing_logical_operator(token.span));
                    self.recover();
                    if matches!(self.peek_kind(), TokenKind::Semicolon | TokenKind::OrOr) {
                        self.bump();
                    }
                }
            }
            if self.peek_kind() != &TokenKind::Eof {
                parts.extend(self.or());
            }
        }
        Some(self.broken(0, parts))
    }
}
