//! Operands and values: `5`, `^a^`, `1,2,3`, `1...5`, `{null}`, `{...}`.

use super::{Closer, Parser};
use crate::ast::{Number, Operand, Operator, OperatorKind, Str, StrKind, Value, ValueKind};
use crate::diagnostics as d;
use crate::lexer::TokenKind;
use crate::span::Span;
use crate::tokens::TokenClass;

impl Parser<'_> {
    /// The operand of `operator`: a list for `IN`, a range for `BTW`, one
    /// value otherwise.
    pub(super) fn operand(&mut self, operator: Operator) -> Option<Operand> {
        match operator.kind {
            OperatorKind::In => self.list(operator),
            OperatorKind::Btw => self.range(operator),
            _ => self.single(operator),
        }
    }

    fn single(&mut self, operator: Operator) -> Option<Operand> {
        let value = self.value(operator);
        let op = operator.kind.as_str();
        match self.peek_kind() {
            TokenKind::Comma => {
                let span = self.peek().span;
                self.sink.push(d::unexpected_list(span, op));
                self.recover();
                return None;
            }
            TokenKind::Range => {
                let span = self.peek().span;
                self.sink.push(
                    d::unexpected_list(span, op).with_help("use `BTW` for a range: `id BTW 1...5`"),
                );
                self.recover();
                return None;
            }
            _ => {}
        }
        let value = value?;
        if operator.kind != OperatorKind::Eq {
            if let Some(what) = reference_value(&value.kind) {
                self.sink.push(d::reference_needs_eq(value.span, op, what));
                return None;
            }
        }
        Some(Operand::Single { value })
    }

    /// `1,2,3` after `IN`.
    fn list(&mut self, operator: Operator) -> Option<Operand> {
        if self.at_operand_end() {
            self.sink
                .push(d::empty_in_list(operator.span.cover(self.here())));
            return None;
        }
        let mut ok = true;
        let mut values = Vec::new();
        loop {
            if self.peek_kind() == &TokenKind::Comma {
                let comma = self.bump();
                self.sink.push(d::empty_list_item(comma));
                ok = false;
                continue;
            }
            if let Some(value) = self.value(operator) {
                if let Some(what) = reference_value(&value.kind) {
                    self.sink
                        .push(d::reference_needs_eq(value.span, "IN", what));
                    ok = false;
                }
                values.push(value);
            } else {
                ok = false;
                self.recover_in_list();
            }
            if self.peek_kind() != &TokenKind::Comma {
                break;
            }
            let comma = self.bump();
            if self.at_operand_end() {
                self.sink.push(d::empty_list_item(comma));
                return None;
            }
        }
        ok.then_some(Operand::List { values })
    }

    /// After a bad list item, skips to the next `,` or the list's end.
    fn recover_in_list(&mut self) {
        while !self.at_operand_end() && self.peek_kind() != &TokenKind::Comma {
            if matches!(self.peek_kind(), TokenKind::LBrace | TokenKind::LParen) {
                self.recover();
                return;
            }
            self.bump();
        }
    }

    /// `low...high` after `BTW`.
    fn range(&mut self, operator: Operator) -> Option<Operand> {
        let low = self.value(operator);
        let Some(low) = low else {
            self.recover();
            return None;
        };
        if self.peek_kind() != &TokenKind::Range {
            self.sink
                .push(d::range_without_dots(operator.span.cover(low.span)));
            self.recover();
            return None;
        }
        let dots = self.bump();
        if self.at_operand_end() {
            self.sink.push(d::range_without_high(dots));
            return None;
        }
        let high = self.value(operator)?;
        let mut ok = true;
        for bound in [&low, &high] {
            if let Some(what) = non_bound(&bound.kind) {
                self.sink
                    .push(d::invalid_operand_value(bound.span, what, "a `BTW` bound"));
                ok = false;
            }
        }
        ok.then_some(Operand::Range { low, high })
    }

    /// One value; reports and returns `None` (without skipping) when the
    /// cursor holds none.
    fn value(&mut self, operator: Operator) -> Option<Value> {
        let span = self.peek().span;
        // Each token is consumed once: move its text into the tree.
        let index = self.pos.min(self.tokens.len() - 1);
        let kind = match &mut self.tokens[index].kind {
            TokenKind::Number(text) => ValueKind::Number(Number {
                text: std::mem::take(text),
            }),
            TokenKind::Str(text) => ValueKind::String(Str::new(std::mem::take(text))),
            TokenKind::Special(name) => {
                let name = std::mem::take(name);
                self.bump();
                return special(&name).map_or_else(
                    || {
                        let suggestion = suggest_special(&name);
                        self.sink
                            .push(d::unknown_special_value(span, &name, suggestion));
                        None
                    },
                    |kind| Some(Value { kind, span }),
                );
            }
            TokenKind::Word => {
                let word = self.text(span);
                if ["true", "false", "null"]
                    .iter()
                    .any(|keyword| word.eq_ignore_ascii_case(keyword))
                {
                    self.classify(TokenClass::Keyword);
                }
                if word.eq_ignore_ascii_case("true") {
                    ValueKind::Boolean { value: true }
                } else if word.eq_ignore_ascii_case("false") {
                    ValueKind::Boolean { value: false }
                } else if word.eq_ignore_ascii_case("null") {
                    ValueKind::Null
                } else {
                    let word = word.to_owned();
                    self.bump();
                    self.sink.push(d::bare_word_value(span, &word));
                    return None;
                }
            }
            TokenKind::LBrace => return self.cross_filter(),
            _ => {
                let found = self.describe(&self.peek().clone());
                self.sink.push(d::expected_value(
                    self.here(),
                    operator.kind.as_str(),
                    &found,
                ));
                return None;
            }
        };
        self.bump();
        Some(Value { kind, span })
    }

    /// `{null}` or `{statement}`.
    fn cross_filter(&mut self) -> Option<Value> {
        let open = self.peek().span;
        if !self.enter(open) {
            return None;
        }
        self.bump();
        let result = self.cross_filter_body(open);
        self.leave();
        result
    }

    fn cross_filter_body(&mut self, open: Span) -> Option<Value> {
        let first = self.peek().clone();
        if first.kind == TokenKind::Word
            && self.text(first.span).eq_ignore_ascii_case("null")
            && self.peek_at(1).kind == TokenKind::RBrace
        {
            self.classify(TokenClass::Keyword);
            self.bump();
            let close = self.bump();
            return Some(Value {
                kind: ValueKind::NullReference,
                span: open.cover(close),
            });
        }
        if first.kind == TokenKind::RBrace {
            self.bump();
            self.sink
                .push(d::empty_cross_filter(open.cover(first.span)));
            return None;
        }
        let inner = self.or();
        let close = self.expect_close(Closer::Brace, open)?;
        Some(Value {
            kind: ValueKind::CrossFilter {
                filter: Box::new(inner?),
            },
            span: open.cover(close),
        })
    }
}

/// What a reference-only value is called in messages.
fn reference_value(kind: &ValueKind) -> Option<&'static str> {
    match kind {
        ValueKind::CrossFilter { .. } => Some("a cross-filter"),
        ValueKind::NullReference => Some("`{null}`"),
        _ => None,
    }
}

/// What a value that cannot bound a range is called in messages.
fn non_bound(kind: &ValueKind) -> Option<&'static str> {
    match kind {
        ValueKind::Null => Some("`null`"),
        ValueKind::NullReference => Some("`{null}`"),
        ValueKind::CrossFilter { .. } => Some("a cross-filter"),
        ValueKind::CurrentUser => Some("`[current_user]`"),
        ValueKind::CurrentRelease => Some("`[current_release]`"),
        ValueKind::Number(_) | ValueKind::String(_) | ValueKind::Boolean { .. } => None,
    }
}

const SPECIALS: [(&str, ValueKind); 2] = [
    ("current_user", ValueKind::CurrentUser),
    ("current_release", ValueKind::CurrentRelease),
];

fn special(name: &str) -> Option<ValueKind> {
    SPECIALS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, kind)| kind.clone())
}

fn suggest_special(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    SPECIALS
        .iter()
        .map(|(n, _)| (crate::suggest::edit_distance(&lower, n), *n))
        .filter(|&(distance, _)| distance <= 4)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, n)| n)
}

/// Recognises ISO-8601 dates and date-times (see [`crate::temporal`]).
pub(crate) fn classify_date(text: &str) -> StrKind {
    match crate::temporal::parse(text) {
        None => StrKind::Text,
        Some(crate::temporal::Temporal::Date(_)) => StrKind::Date,
        Some(crate::temporal::Temporal::DateTime(_)) => StrKind::DateTime,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_recognised() {
        assert_eq!(classify_date("2015-02-25"), StrKind::Date);
        assert_eq!(classify_date("2016-02-29"), StrKind::Date);
        assert_eq!(classify_date("2015-02-29"), StrKind::Text);
        assert_eq!(classify_date("2015-13-01"), StrKind::Text);
        assert_eq!(classify_date("2015-02-25T16:42:11Z"), StrKind::DateTime);
        assert_eq!(
            classify_date("2015-02-25T16:42:11+02:00"),
            StrKind::DateTime
        );
        assert_eq!(classify_date("2015-02-25T16:42:11.123Z"), StrKind::DateTime);
        assert_eq!(classify_date("2015-02-25T16:42Z"), StrKind::DateTime);
        assert_eq!(classify_date("2015-02-25T24:00:00Z"), StrKind::Text);
        assert_eq!(classify_date("2015-02-25T16:42:11+25:00"), StrKind::Text);
        assert_eq!(classify_date("2015-02-25 16:42"), StrKind::Text);
        assert_eq!(classify_date("R1"), StrKind::Text);
        assert_eq!(classify_date("２０１５-02-25"), StrKind::Text);
    }
}
