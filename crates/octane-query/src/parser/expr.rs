//! Logical structure: `||`, `;`, `!`, parentheses and phrases.

use super::{Closer, Parser};
use crate::ast::{Expr, ExprKind, Ident, Operator, OperatorKind, Phrase};
use crate::diagnostics as d;
use crate::lexer::TokenKind;
use crate::span::Span;
use crate::tokens::TokenClass;

/// The two binary logical operators.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Logic {
    And,
    Or,
}

impl Parser<'_> {
    /// The logical operator at the cursor, counting the slips `AND`, `OR`,
    /// `&&`, `&` and `|` (which are reported when consumed).
    fn logical(&self) -> Option<(Logic, bool)> {
        let token = self.peek();
        match token.kind {
            TokenKind::Semicolon => Some((Logic::And, false)),
            TokenKind::OrOr => Some((Logic::Or, false)),
            TokenKind::LogicalSlip if self.text(token.span) == "|" => Some((Logic::Or, true)),
            TokenKind::LogicalSlip => Some((Logic::And, true)),
            TokenKind::Word => {
                let text = self.text(token.span);
                if text.eq_ignore_ascii_case("and") {
                    Some((Logic::And, true))
                } else if text.eq_ignore_ascii_case("or") {
                    Some((Logic::Or, true))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Consumes the logical operator at the cursor; `false` (after
    /// reporting) when nothing follows it that could be an operand.
    fn logical_operator(&mut self, slip: bool) -> bool {
        self.classify(TokenClass::Logical);
        let token = self.bump();
        let text = self.text(token);
        if slip {
            self.sink.push(d::word_logical_operator(token, text));
        }
        if self.at_operand_end() {
            self.sink
                .push(d::dangling_logical_operator(token, text, false));
            return false;
        }
        true
    }

    /// Whether the cursor is where an operand cannot start.
    pub(super) fn at_operand_end(&self) -> bool {
        matches!(
            self.peek_kind(),
            TokenKind::Eof
                | TokenKind::RParen
                | TokenKind::RBrace
                | TokenKind::Semicolon
                | TokenKind::OrOr
        )
    }

    /// `a||b||c`
    pub(super) fn or(&mut self) -> Option<Expr> {
        let from = self.pos;
        let first = self.and();
        if !matches!(self.logical(), Some((Logic::Or, _))) {
            return Some(self.lone(first, from));
        }
        let mut operands = Operands::default();
        self.push_operand(&mut operands, first, from, Logic::Or);
        while let Some((Logic::Or, slip)) = self.logical() {
            if self.logical_operator(slip) {
                self.operand_of(&mut operands, Logic::Or);
            }
        }
        operands.join(Logic::Or)
    }

    /// `a;b;c`
    fn and(&mut self) -> Option<Expr> {
        let from = self.pos;
        let first = self.unary();
        let more = match self.logical() {
            Some((Logic::And, _)) => true,
            None => self.at_phrase_start(),
            Some((Logic::Or, _)) => false,
        };
        if !more {
            return Some(self.lone(first, from));
        }
        let mut operands = Operands::default();
        self.push_operand(&mut operands, first, from, Logic::And);
        loop {
            match self.logical() {
                Some((Logic::And, slip)) => {
                    if self.logical_operator(slip) {
                        self.operand_of(&mut operands, Logic::And);
                    }
                }
                None if self.at_phrase_start() => self.skip_unjoined(&mut operands),
                Some((Logic::Or, _)) | None => break,
            }
        }
        operands.join(Logic::And)
    }

    /// The only operand of `logic` (read from token `from`), as
    /// [`Self::push_operand`] then [`Operands::join`] would give it,
    /// without the list: a failed operand is broken text. A group keeps
    /// its parentheses in its span.
    fn lone(&self, operand: Option<Expr>, from: usize) -> Expr {
        operand.unwrap_or_else(|| self.broken(from, Vec::new()))
    }

    fn at_phrase_start(&self) -> bool {
        matches!(
            self.peek_kind(),
            TokenKind::Word | TokenKind::LParen | TokenKind::Bang
        )
    }

    /// Whether the word at the cursor is `NOT` used as a negation (that is,
    /// not a field named `not` followed by its operator).
    fn at_not_word(&self) -> bool {
        let token = self.peek();
        token.kind == TokenKind::Word
            && self.text(token.span).eq_ignore_ascii_case("not")
            && !self.is_operator_at(1)
    }

    fn is_operator_at(&self, ahead: usize) -> bool {
        let token = self.peek_at(ahead);
        match token.kind {
            TokenKind::Word => OperatorKind::from_word(self.text(token.span)).is_some(),
            ref kind => kind.is_symbol_operator(),
        }
    }

    /// `!a`, `!!a`, `NOT a` (reported), or a primary.
    fn unary(&mut self) -> Option<Expr> {
        if self.peek_kind() != &TokenKind::Bang && !self.at_not_word() {
            return self.primary();
        }
        self.negation()
    }

    /// `!a`, `NOT a`: the negation at the cursor.
    fn negation(&mut self) -> Option<Expr> {
        let bang = self.peek().clone();
        if bang.kind != TokenKind::Bang {
            self.sink
                .push(d::word_logical_operator(bang.span, self.text(bang.span)));
        }
        if !self.enter(bang.span) {
            return None;
        }
        self.classify(TokenClass::Logical);
        self.bump();
        let from = self.pos;
        let operand = self.unary();
        self.leave();
        let operand = operand.unwrap_or_else(|| self.broken(from, Vec::new()));
        Some(Expr {
            span: bang.span.cover(operand.span),
            kind: ExprKind::Not {
                operand: Box::new(operand),
            },
        })
    }

    /// `(statement)` or a phrase.
    fn primary(&mut self) -> Option<Expr> {
        // `;a EQ 1` or `(||a EQ 1)`: report each stray operator.
        let mut stray = false;
        while matches!(self.peek_kind(), TokenKind::Semicolon | TokenKind::OrOr) {
            let token = self.bump();
            let text = self.text(token).to_owned();
            self.sink
                .push(d::dangling_logical_operator(token, &text, true));
            stray = true;
        }
        if stray && self.at_operand_end() {
            return None;
        }
        let token = self.peek().clone();
        match token.kind {
            TokenKind::LParen => self.group(),
            TokenKind::Word => self.phrase(),
            _ => {
                let found = self.describe(&token);
                self.sink.push(d::expected_field(self.here(), &found));
                if !matches!(
                    token.kind,
                    TokenKind::RParen | TokenKind::RBrace | TokenKind::Eof
                ) {
                    self.bump();
                    self.recover();
                }
                None
            }
        }
    }

    /// `(statement)`
    fn group(&mut self) -> Option<Expr> {
        let open = self.peek().span;
        if !self.enter(open) {
            return None;
        }
        let from = self.pos;
        self.bump();
        let inner = self.or();
        let close = self.expect_close(Closer::Paren, open);
        self.leave();
        match (inner, close) {
            (Some(mut inner), Some(close)) => {
                inner.span = open.cover(close);
                Some(inner)
            }
            // Unclosed, or with leftovers before the closer: broken, with
            // what parsed inside.
            (inner, _) => Some(self.broken(from, inner.into_iter().collect())),
        }
    }

    /// Consumes the `)` or `}` that closes a group opened at `open`; after
    /// leftovers that are not a closer, reports and skips them first.
    pub(super) fn expect_close(&mut self, closer: Closer, open: Span) -> Option<Span> {
        let wanted = match closer {
            Closer::Paren => TokenKind::RParen,
            Closer::Brace => TokenKind::RBrace,
        };
        let mut ok = true;
        loop {
            let token = self.peek().clone();
            if token.kind == wanted {
                self.bump();
                return ok.then_some(token.span);
            }
            match token.kind {
                TokenKind::Eof | TokenKind::RParen | TokenKind::RBrace => {
                    let here = self.here();
                    self.sink.push(match closer {
                        Closer::Brace => d::unclosed_brace(open, here),
                        Closer::Paren => d::unclosed_parenthesis(open, here),
                    });
                    return None;
                }
                _ => {
                    self.sink.push(d::missing_logical_operator(token.span));
                    ok = false;
                    self.recover();
                    if matches!(self.peek_kind(), TokenKind::Semicolon | TokenKind::OrOr) {
                        self.bump();
                        let _ = self.or();
                    }
                }
            }
        }
    }

    /// `field OP operand`
    fn phrase(&mut self) -> Option<Expr> {
        self.classify(TokenClass::Field);
        let token = self.bump();
        let field = Ident {
            name: self.text(token).to_owned(),
            span: token,
        };
        let Some(operator) = self.operator(&field) else {
            self.recover();
            return None;
        };
        let operand = self.operand(operator);
        let end = self.tokens[self.pos.saturating_sub(1)].span.end;
        let operand = operand?;
        Some(Expr {
            span: Span::new(field.span.start, end.max(operator.span.end)),
            kind: ExprKind::Phrase(Phrase {
                field,
                operator,
                operand,
            }),
        })
    }

    /// `EQ`, `=`, `lt`, ...; reports `==`, `!=`, `<>`, `NE` and `EQ5`, and
    /// carries on after the first three as if `EQ` stood there.
    fn operator(&mut self, field: &Ident) -> Option<Operator> {
        let token = self.peek().clone();
        let text = self.text(token.span);
        let kind = match token.kind {
            TokenKind::Word => match OperatorKind::from_word(text) {
                Some(kind) => kind,
                None if text.eq_ignore_ascii_case("ne") => {
                    self.sink.push(d::not_equals(token.span, text));
                    OperatorKind::Eq
                }
                None => {
                    if let Some(op) = glued_operator(text) {
                        self.sink
                            .push(d::missing_space_after_operator(token.span, op));
                    } else {
                        let found = self.describe(&token);
                        self.sink
                            .push(d::expected_operator(token.span, &field.name, &found));
                    }
                    return None;
                }
            },
            TokenKind::Equals => OperatorKind::Eq,
            TokenKind::Less => OperatorKind::Lt,
            TokenKind::Greater => OperatorKind::Gt,
            TokenKind::LessEquals => OperatorKind::Le,
            TokenKind::GreaterEquals => OperatorKind::Ge,
            TokenKind::EqualsEquals => {
                self.sink.push(d::double_equals(token.span));
                OperatorKind::Eq
            }
            TokenKind::NotEquals => {
                self.sink.push(d::not_equals(token.span, text));
                OperatorKind::Eq
            }
            _ => {
                let found = self.describe(&token);
                self.sink
                    .push(d::expected_operator(self.here(), &field.name, &found));
                return None;
            }
        };
        self.classify(TokenClass::Operator);
        self.bump();
        Some(Operator {
            kind,
            span: token.span,
        })
    }
}

/// `EQ5` → `EQ`: an operator word with digits glued to it.
fn glued_operator(word: &str) -> Option<&'static str> {
    OperatorKind::ALL.into_iter().find_map(|op| {
        let name = op.as_str();
        let head = word.get(..name.len())?;
        let tail = &word[name.len()..];
        (head.eq_ignore_ascii_case(name)
            && !tail.is_empty()
            && tail.bytes().all(|b| b.is_ascii_digit()))
        .then_some(name)
    })
}

impl Parser<'_> {
    /// Reads one operand of `logic` (an `and` of `||`, a unary of `;`) and
    /// adds it. Its own function, so that the recursive functions' frames
    /// stay small: nesting depth is bounded by the stack they take.
    fn operand_of(&mut self, operands: &mut Operands, logic: Logic) {
        let from = self.pos;
        let operand = match logic {
            Logic::Or => self.and(),
            Logic::And => self.unary(),
        };
        self.push_operand(operands, operand, from, logic);
    }

    /// `a EQ 1 b EQ 2`: reports, and skips to the next `;`, `||` or closer
    /// rather than guess what was meant; the skipped text is a broken part.
    #[cold]
    fn skip_unjoined(&mut self, operands: &mut Operands) {
        let span = self.peek().span;
        self.sink.push(d::missing_logical_operator(span));
        let from = self.pos;
        self.recover();
        operands.push(self.broken(from, Vec::new()));
    }

    /// Adds an operand, flattening a nested group of the same operator; an
    /// operand that failed (read from token `from`) is kept as broken text.
    fn push_operand(
        &self,
        operands: &mut Operands,
        operand: Option<Expr>,
        from: usize,
        logic: Logic,
    ) {
        match operand {
            Some(Expr {
                kind: ExprKind::And { operands: inner },
                span,
            }) if logic == Logic::And => operands.extend(inner, span),
            Some(Expr {
                kind: ExprKind::Or { operands: inner },
                span,
            }) if logic == Logic::Or => operands.extend(inner, span),
            Some(expr) => operands.push(expr),
            None => operands.push(self.broken(from, Vec::new())),
        }
    }

    /// The text from token `from` to the cursor, as a broken part holding
    /// `parts` (an empty span at the cursor when nothing was read).
    pub(super) fn broken(&self, from: usize, parts: Vec<Expr>) -> Expr {
        let span = if self.pos > from {
            let start = self.tokens[from].span.start;
            let end = self.tokens[self.pos - 1].span.end;
            Span::new(start, end.max(start))
        } else {
            self.here()
        };
        Expr {
            kind: ExprKind::Error { parts },
            span,
        }
    }
}

/// The operands of one `;` or `||` list, and the text they were read
/// from: a group flattened into the list (`a;(b;c)`) gives its operands,
/// but its parentheses stay inside the list's span.
#[derive(Default)]
struct Operands {
    items: Vec<Expr>,
    span: Option<Span>,
}

impl Operands {
    fn cover(&mut self, span: Span) {
        self.span = Some(self.span.map_or(span, |s| s.cover(span)));
    }

    fn push(&mut self, expr: Expr) {
        self.cover(expr.span);
        self.items.push(expr);
    }

    /// The operands of a flattened group whose text is `span`.
    fn extend(&mut self, inner: Vec<Expr>, span: Span) {
        self.cover(span);
        self.items.extend(inner);
    }

    /// The list as one expression: its only operand when it has one.
    fn join(mut self, logic: Logic) -> Option<Expr> {
        let span = self.span?;
        if self.items.len() < 2 {
            return self.items.pop();
        }
        let operands = self.items;
        let kind = match logic {
            Logic::And => ExprKind::And { operands },
            Logic::Or => ExprKind::Or { operands },
        };
        Some(Expr { kind, span })
    }
}
