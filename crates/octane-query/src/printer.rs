//! The canonical printer (`Display`) and the fully parenthesised form.
//!
//! Canonical rules: `field OP value` with one space each side of an
//! upper-case word operator; `;` and `||` without spaces; `!` directly
//! before its operand; parentheses only where precedence needs them (an OR
//! inside an AND, a group under `!`); strings in carets escaping only `^`,
//! `\` and `"`; keywords in lower case; `IN` lists as `1,2,3`; ranges as
//! `low...high`; no surrounding double quotes.

use std::fmt::{self, Display, Formatter, Write as _};

use crate::ast::{Expr, ExprKind, Operand, Phrase, Query, Str, Value, ValueKind};

/// How much to parenthesise.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Only where precedence needs it.
    Canonical,
    /// Around every `;`, `||` and `!` application.
    Full,
}

/// The binding strength of the context an expression is printed in.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Context {
    /// Top level, or directly inside `{}` or `()`.
    Top,
    /// An operand of `||`.
    Or,
    /// An operand of `;`.
    And,
    /// The operand of `!`.
    Not,
}

fn write_expr(f: &mut Formatter<'_>, expr: &Expr, style: Style, context: Context) -> fmt::Result {
    let (own, operands, separator) = match &expr.kind {
        ExprKind::Phrase(phrase) => return write_phrase(f, phrase, style),
        // Only in the partial tree of a statement with errors.
        ExprKind::Error { .. } => return f.write_char('…'),
        ExprKind::Not { operand } => {
            // `!!a` needs no parentheses; a group under `!` does.
            let group = matches!(operand.kind, ExprKind::And { .. } | ExprKind::Or { .. });
            let (open, close) = match style {
                Style::Full => ("(!", ")"),
                Style::Canonical => ("!", ""),
            };
            f.write_str(open)?;
            if group && style == Style::Canonical {
                f.write_char('(')?;
                write_expr(f, operand, style, Context::Top)?;
                f.write_char(')')?;
            } else {
                write_expr(f, operand, style, Context::Not)?;
            }
            return f.write_str(close);
        }
        ExprKind::And { operands } => (Context::And, operands, ";"),
        ExprKind::Or { operands } => (Context::Or, operands, "||"),
    };
    let wrap = match style {
        Style::Full => true,
        Style::Canonical => context > own,
    };
    if wrap {
        f.write_char('(')?;
    }
    for (i, operand) in operands.iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        write_expr(f, operand, style, own)?;
    }
    if wrap {
        f.write_char(')')?;
    }
    Ok(())
}

fn write_phrase(f: &mut Formatter<'_>, phrase: &Phrase, style: Style) -> fmt::Result {
    write!(
        f,
        "{} {} ",
        phrase.field.name,
        phrase.operator.kind.as_str()
    )?;
    match &phrase.operand {
        Operand::Single { value } => write_value(f, value, style),
        Operand::List { values } => {
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    f.write_char(',')?;
                }
                write_value(f, value, style)?;
            }
            Ok(())
        }
        Operand::Range { low, high } => {
            write_value(f, low, style)?;
            f.write_str("...")?;
            write_value(f, high, style)
        }
    }
}

fn write_value(f: &mut Formatter<'_>, value: &Value, style: Style) -> fmt::Result {
    match &value.kind {
        ValueKind::Number(number) => f.write_str(&number.text),
        ValueKind::Boolean { value } => write!(f, "{value}"),
        ValueKind::Null => f.write_str("null"),
        ValueKind::String(s) => s.fmt(f),
        ValueKind::CurrentUser => f.write_str("[current_user]"),
        ValueKind::CurrentRelease => f.write_str("[current_release]"),
        ValueKind::NullReference => f.write_str("{null}"),
        ValueKind::CrossFilter { filter } => {
            f.write_char('{')?;
            write_expr(f, filter, style, Context::Top)?;
            f.write_char('}')
        }
    }
}

/// Adapts a printing function with a style to `Display`.
struct Styled<'a, T> {
    node: &'a T,
    style: Style,
}

impl Display for Styled<'_, Expr> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_expr(f, self.node, self.style, Context::Top)
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_expr(f, self, Style::Canonical, Context::Top)
    }
}

impl Display for Phrase {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_phrase(f, self, Style::Canonical)
    }
}

impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_value(f, self, Style::Canonical)
    }
}

impl Expr {
    /// The fully parenthesised form: every `;`, `||` and `!` application
    /// wrapped, inside cross-filters too. `a EQ 1;b EQ 2||c EQ 3` gives
    /// `((a EQ 1;b EQ 2)||c EQ 3)`.
    pub fn parenthesized(&self) -> String {
        Styled {
            node: self,
            style: Style::Full,
        }
        .to_string()
    }
}

impl Display for Str {
    /// `^text^`, escaping `^`, `\` and `"` with a backslash.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('^')?;
        for c in self.value.chars() {
            if matches!(c, '^' | '\\' | '"') {
                f.write_char('\\')?;
            }
            f.write_char(c)?;
        }
        f.write_char('^')
    }
}
