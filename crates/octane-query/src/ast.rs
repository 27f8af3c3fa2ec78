//! The syntax tree of a query statement.
//!
//! Every node carries the byte [`Span`] of the text it came from. Spans do
//! not take part in equality: two trees are equal when they mean the same
//! statement, whatever its spacing, dialect or redundant parentheses.
//! `AND` and `OR` are n-ary and flattened, so `a;(b;c)` and `a;b;c` are
//! the same tree.
//!
//! The serialized form of expressions and values is written by hand in
//! `ast_serde.rs`.

use crate::span::Span;

#[cfg(feature = "serde")]
use serde::Serialize;

/// `name EQ ^x*^;(id GT 5||!owner EQ {null})`: a whole query statement.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Query {
    /// The statement's expression.
    pub expr: Expr,
    /// The statement's text, without surrounding double quotes.
    pub span: Span,
}

impl PartialEq for Query {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

/// `a EQ 1;b EQ 2`, `a EQ 1||b EQ 2`, `!a EQ 1` or `a EQ 1`: an expression.
#[derive(Clone, Debug)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Its text, including any parentheses written around it.
    pub span: Span,
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

/// The kinds of [`Expr`].
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `a EQ 1;b EQ 2;c EQ 3`: true when every operand is (rank 3). Holds
    /// two or more operands, none of which is itself an `And`.
    And {
        /// The operands, in source order.
        operands: Vec<Expr>,
    },
    /// `a EQ 1||b EQ 2||c EQ 3`: true when any operand is (rank 4). Holds
    /// two or more operands, none of which is itself an `Or`.
    Or {
        /// The operands, in source order.
        operands: Vec<Expr>,
    },
    /// `!a EQ 1` or `!(a EQ 1;b EQ 2)`: negation (rank 2).
    Not {
        /// The negated expression.
        operand: Box<Expr>,
    },
    /// `field OP value`: one comparison.
    Phrase(Phrase),
    /// Text the parser could not read, with the parts inside it that it
    /// could. Only in [`Parsed::partial`](crate::Parsed::partial), the
    /// tree of a statement with errors; a valid [`Query`] never holds one.
    Error {
        /// What parsed within the broken text, in source order.
        parts: Vec<Expr>,
    },
}

/// `id GT 5`, `id IN 1,2,3`, `id BTW 1...5`, `owner EQ {name EQ ^a^}`: a
/// field, a comparison operator and its operand.
#[derive(Clone, Debug, PartialEq)]
pub struct Phrase {
    /// The field compared.
    pub field: Ident,
    /// The comparison operator.
    pub operator: Operator,
    /// What the field is compared with.
    pub operand: Operand,
}

/// `detected_in_release`: a field name.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Ident {
    /// The name as written.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

impl PartialEq for Ident {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// `EQ`, `=`, `lt`, `>=`, `IN`, `BTW`: a comparison operator.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Operator {
    /// Which operator.
    pub kind: OperatorKind,
    /// Where it was written.
    pub span: Span,
}

impl PartialEq for Operator {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

/// The comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub enum OperatorKind {
    /// `EQ` or `=`: equal to; on a multi-value reference, "contains".
    #[cfg_attr(feature = "serde", serde(rename = "EQ"))]
    Eq,
    /// `LT` or `<`: less than.
    #[cfg_attr(feature = "serde", serde(rename = "LT"))]
    Lt,
    /// `GT` or `>`: greater than.
    #[cfg_attr(feature = "serde", serde(rename = "GT"))]
    Gt,
    /// `LE` or `<=`: less than or equal to.
    #[cfg_attr(feature = "serde", serde(rename = "LE"))]
    Le,
    /// `GE` or `>=`: greater than or equal to.
    #[cfg_attr(feature = "serde", serde(rename = "GE"))]
    Ge,
    /// `IN`: equal to one of a comma-separated list of values.
    #[cfg_attr(feature = "serde", serde(rename = "IN"))]
    In,
    /// `BTW`: within an inclusive range `low...high`.
    #[cfg_attr(feature = "serde", serde(rename = "BTW"))]
    Btw,
}

impl OperatorKind {
    /// Every operator, in the order of the docs' table.
    pub const ALL: [OperatorKind; 7] = [
        OperatorKind::Eq,
        OperatorKind::Lt,
        OperatorKind::Gt,
        OperatorKind::Le,
        OperatorKind::Ge,
        OperatorKind::In,
        OperatorKind::Btw,
    ];

    /// The canonical upper-case word: `EQ`, `LT`, ...
    pub const fn as_str(self) -> &'static str {
        match self {
            OperatorKind::Eq => "EQ",
            OperatorKind::Lt => "LT",
            OperatorKind::Gt => "GT",
            OperatorKind::Le => "LE",
            OperatorKind::Ge => "GE",
            OperatorKind::In => "IN",
            OperatorKind::Btw => "BTW",
        }
    }

    /// The operator named by `word`, in any letter case.
    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(word))
    }

    /// Plain-English reading: "is less than", ...
    pub const fn describe(self) -> &'static str {
        match self {
            OperatorKind::Eq => "equals",
            OperatorKind::Lt => "is less than",
            OperatorKind::Gt => "is greater than",
            OperatorKind::Le => "is at most",
            OperatorKind::Ge => "is at least",
            OperatorKind::In => "is one of",
            OperatorKind::Btw => "is between",
        }
    }
}

/// What a field is compared with: one value, an `IN` list or a `BTW` range.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// `5`, `^abc^`, `{name EQ ^a^}`: the operand of `EQ LT GT LE GE`.
    Single {
        /// The value.
        value: Value,
    },
    /// `1,2,3`: the operand of `IN`; never empty.
    List {
        /// The values, in source order.
        values: Vec<Value>,
    },
    /// `1...5`: the operand of `BTW`, inclusive at both ends.
    Range {
        /// The lower bound.
        low: Value,
        /// The upper bound.
        high: Value,
    },
}

/// `5`, `^abc^`, `true`, `null`, `[current_user]`, `{null}`, `{id EQ 1}`: a
/// value.
#[derive(Clone, Debug)]
pub struct Value {
    /// What the value is.
    pub kind: ValueKind,
    /// Its text, including quotes or braces.
    pub span: Span,
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

/// The kinds of [`Value`].
#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    /// `42`, `-3.5`, `+7`: a number.
    Number(Number),
    /// `true` or `false`, in any letter case.
    Boolean {
        /// The value.
        value: bool,
    },
    /// `null`: no value (scalar fields).
    Null,
    /// `^abc^` or `'abc'`: a string, date or date-time.
    String(Str),
    /// `[current_user]`: the user calling the API.
    CurrentUser,
    /// `[current_release]`: the workspace's default release.
    CurrentRelease,
    /// `{null}`: no referenced entity (reference fields).
    NullReference,
    /// `{name EQ ^R1^}`: a cross-filter on the referenced entity.
    CrossFilter {
        /// The statement the referenced entity must satisfy.
        filter: Box<Expr>,
    },
}

/// `42`, `-3.5`: a number literal, kept as text so no precision is lost.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Number {
    /// The digits with their sign, a leading `+` removed.
    pub text: String,
}

impl Number {
    /// Whether the number has no fractional part written.
    pub fn is_integer(&self) -> bool {
        !self.text.contains('.')
    }

    /// The value as an `i64`, when it is an integer within range.
    pub fn as_i64(&self) -> Option<i64> {
        self.text.parse().ok()
    }

    /// The value as an `f64` (nearest representable).
    pub fn as_f64(&self) -> f64 {
        self.text.parse().unwrap_or(f64::NAN)
    }

    /// How this number compares with `other`, exactly, as decimals (two
    /// numbers an `f64` cannot tell apart still compare); `None` when
    /// either text is not a decimal number (`-3.5`, `42`).
    pub fn compare(&self, other: &Number) -> Option<std::cmp::Ordering> {
        let (a, b) = (Decimal::read(&self.text)?, Decimal::read(&other.text)?);
        if a.negative != b.negative {
            return Some(if a.negative {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            });
        }
        // Without leading zeros, a longer integer part is larger; without
        // trailing zeros, fractions compare digit by digit.
        let magnitude = (a.integer.len().cmp(&b.integer.len()))
            .then(a.integer.cmp(b.integer))
            .then(a.fraction.cmp(b.fraction));
        Some(if a.negative {
            magnitude.reverse()
        } else {
            magnitude
        })
    }
}

/// A decimal number's parts: `-0012.500` is negative, `12` and `5`.
struct Decimal<'a> {
    /// Whether it is below zero (zero is not, whatever its sign).
    negative: bool,
    /// The integer digits, without leading zeros.
    integer: &'a [u8],
    /// The fraction's digits, without trailing zeros.
    fraction: &'a [u8],
}

impl<'a> Decimal<'a> {
    /// Reads `[+-]digits[.digits]`.
    fn read(text: &'a str) -> Option<Decimal<'a>> {
        let (negative, unsigned) = match text.as_bytes() {
            [b'-', rest @ ..] => (true, rest),
            [b'+', rest @ ..] | rest => (false, rest),
        };
        let (integer, fraction) = match unsigned.iter().position(|&b| b == b'.') {
            Some(point) => (&unsigned[..point], &unsigned[point + 1..]),
            None => (unsigned, &[][..]),
        };
        let digits = |part: &[u8]| !part.is_empty() && part.iter().all(u8::is_ascii_digit);
        if !digits(integer) || (unsigned.len() > integer.len() && !digits(fraction)) {
            return None;
        }
        let lead = integer.iter().take_while(|&&b| b == b'0').count();
        let trail = fraction.iter().rev().take_while(|&&b| b == b'0').count();
        let (integer, fraction) = (&integer[lead..], &fraction[..fraction.len() - trail]);
        Some(Decimal {
            negative: negative && !(integer.is_empty() && fraction.is_empty()),
            integer,
            fraction,
        })
    }
}

/// `^abc^`: a string literal, its escapes resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Str {
    /// The text between the quotes, escapes resolved; `*` is a wildcard.
    pub value: String,
    /// Whether the text is an ISO-8601 date or date-time.
    pub kind: StrKind,
}

impl Str {
    /// A string literal holding `value`, its kind recognised.
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        let kind = StrKind::classify(&value);
        Self { value, kind }
    }

    /// Whether the text holds a `*` wildcard.
    pub fn has_wildcard(&self) -> bool {
        self.value.contains('*')
    }
}

/// What a string literal's text looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize), serde(rename_all = "snake_case"))]
pub enum StrKind {
    /// Any other text.
    Text,
    /// `2015-02-25`: an ISO-8601 calendar date.
    Date,
    /// `2015-02-25T16:42:11Z`, `2015-02-25T16:42:11+02:00`: an ISO-8601
    /// date-time with a UTC designator or offset.
    DateTime,
}

impl StrKind {
    /// Recognises ISO-8601 dates and date-times.
    pub fn classify(text: &str) -> StrKind {
        crate::parser::value::classify_date(text)
    }
}

impl Query {
    /// Calls `f` on every span in the tree (for re-encoding them).
    pub fn for_each_span_mut(&mut self, f: &mut impl FnMut(&mut Span)) {
        f(&mut self.span);
        self.expr.for_each_span_mut(f);
    }
}

impl Expr {
    /// Calls `f` on every span in this subtree.
    pub fn for_each_span_mut(&mut self, f: &mut impl FnMut(&mut Span)) {
        f(&mut self.span);
        match &mut self.kind {
            ExprKind::And { operands } | ExprKind::Or { operands } => {
                for operand in operands {
                    operand.for_each_span_mut(f);
                }
            }
            ExprKind::Not { operand } => operand.for_each_span_mut(f),
            ExprKind::Error { parts } => {
                for part in parts {
                    part.for_each_span_mut(f);
                }
            }
            ExprKind::Phrase(phrase) => {
                f(&mut phrase.field.span);
                f(&mut phrase.operator.span);
                match &mut phrase.operand {
                    Operand::Single { value } => value.for_each_span_mut(f),
                    Operand::List { values } => {
                        for value in values {
                            value.for_each_span_mut(f);
                        }
                    }
                    Operand::Range { low, high } => {
                        low.for_each_span_mut(f);
                        high.for_each_span_mut(f);
                    }
                }
            }
        }
    }
}

impl Value {
    /// Calls `f` on every span in this value, cross-filters included.
    pub fn for_each_span_mut(&mut self, f: &mut impl FnMut(&mut Span)) {
        f(&mut self.span);
        if let ValueKind::CrossFilter { filter } = &mut self.kind {
            filter.for_each_span_mut(f);
        }
    }
}
