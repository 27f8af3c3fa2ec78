//! The precedence explainer: the fully parenthesised form, a plain-English
//! sentence, and the steps in which the operators group their operands.

use std::fmt::Write as _;

use crate::ast::{
    Expr, ExprKind, Operand, OperatorKind, Phrase, Query, Str, StrKind, Value, ValueKind,
};
use crate::span::Span;

#[cfg(feature = "serde")]
use serde::Serialize;

/// The docs' operator precedence table (a lower rank binds tighter).
pub const RANKS: [(&str, u8, &str); 4] = [
    ("( )", 1, "parentheses"),
    ("!", 2, "not"),
    (";", 3, "and"),
    ("||", 4, "or"),
];

const RANK_PAREN: u8 = 1;
const RANK_NOT: u8 = 2;
const RANK_AND: u8 = 3;
const RANK_OR: u8 = 4;

/// How a statement groups, for people.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Explanation {
    /// The canonical form.
    pub canonical: String,
    /// Every `;`, `||` and `!` application wrapped in parentheses.
    pub parenthesized: String,
    /// One plain-English sentence.
    pub summary: String,
    /// Which operator grouped which operands, tightest first.
    pub steps: Vec<Step>,
}

/// One operator application.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Step {
    /// `;`, `||` or `!`.
    pub operator: &'static str,
    /// Its rank in the precedence table.
    pub rank: u8,
    /// The operands it groups, in canonical form.
    pub operands: Vec<String>,
    /// The group it forms, fully parenthesised.
    pub result: String,
    /// Where the group stands in the source.
    pub span: Span,
    /// Why the operands group this way, citing the rank table.
    pub reason: String,
    /// The reference fields whose cross-filters hold this step,
    /// outermost first (empty at the top level).
    pub within: Vec<String>,
}

/// Explains a parsed statement.
pub fn explain(query: &Query) -> Explanation {
    let mut steps = Vec::new();
    collect_steps(&query.expr, Parent::Top, &mut Vec::new(), &mut steps);
    Explanation {
        canonical: query.to_string(),
        parenthesized: query.expr.parenthesized(),
        summary: format!(
            "Matches entities where {}.",
            sentence(&query.expr, Parent::Top)
        ),
        steps,
    }
}

/// What an expression is an operand of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Parent {
    Top,
    And,
    Or,
    Not,
}

fn collect_steps(expr: &Expr, parent: Parent, within: &mut Vec<String>, steps: &mut Vec<Step>) {
    let (operator, rank, own, operands): (&str, u8, Parent, Vec<&Expr>) = match &expr.kind {
        ExprKind::Phrase(phrase) => {
            cross_filter_steps(phrase, within, steps);
            return;
        }
        ExprKind::Error { .. } => return,
        ExprKind::Not { operand } => ("!", RANK_NOT, Parent::Not, vec![operand]),
        ExprKind::And { operands } => (";", RANK_AND, Parent::And, operands.iter().collect()),
        ExprKind::Or { operands } => ("||", RANK_OR, Parent::Or, operands.iter().collect()),
    };
    for operand in &operands {
        collect_steps(operand, own, within, steps);
    }
    let reason = reason(&expr.kind, parent);
    steps.push(Step {
        operator,
        rank,
        operands: operands.iter().map(|o| operand_text(o, own)).collect(),
        result: expr.parenthesized(),
        span: expr.span,
        reason,
        within: within.clone(),
    });
}

/// An operand as it reads inside its group: an `||` under `;` or a group
/// under `!` keeps its parentheses.
fn operand_text(operand: &Expr, parent: Parent) -> String {
    let group = match operand.kind {
        ExprKind::Or { .. } => matches!(parent, Parent::And | Parent::Not),
        ExprKind::And { .. } => parent == Parent::Not,
        _ => false,
    };
    if group {
        format!("({operand})")
    } else {
        operand.to_string()
    }
}

fn cross_filter_steps(phrase: &Phrase, within: &mut Vec<String>, steps: &mut Vec<Step>) {
    for value in operand_values(&phrase.operand) {
        if let ValueKind::CrossFilter { filter } = &value.kind {
            within.push(phrase.field.name.clone());
            collect_steps(filter, Parent::Top, within, steps);
            within.pop();
        }
    }
}

fn operand_values(operand: &Operand) -> Vec<&Value> {
    match operand {
        Operand::Single { value } => vec![value],
        Operand::List { values } => values.iter().collect(),
        Operand::Range { low, high } => vec![low, high],
    }
}

fn reason(kind: &ExprKind, parent: Parent) -> String {
    match kind {
        ExprKind::Not { operand } => {
            if matches!(operand.kind, ExprKind::And { .. } | ExprKind::Or { .. }) {
                format!(
                    "The parentheses (rank {RANK_PAREN}) make their group one operand, so `!` (rank {RANK_NOT}) negates the whole group."
                )
            } else {
                format!(
                    "`!` (rank {RANK_NOT}) binds tighter than `;` (rank {RANK_AND}) and `||` (rank {RANK_OR}), so it negates only `{operand}`."
                )
            }
        }
        ExprKind::And { operands } => {
            let n = operands.len();
            match parent {
                Parent::Or => format!(
                    "`;` (rank {RANK_AND}) binds tighter than `||` (rank {RANK_OR}), so these {n} operands are joined first; all must hold."
                ),
                Parent::Not => format!(
                    "The parentheses (rank {RANK_PAREN}) group these {n} operands under `!`; all must hold for the group to hold."
                ),
                _ => format!("`;` (rank {RANK_AND}) joins these {n} operands; all must hold."),
            }
        }
        ExprKind::Or { operands } => {
            let n = operands.len();
            match parent {
                Parent::And => format!(
                    "The parentheses (rank {RANK_PAREN}) make `||` (rank {RANK_OR}) apply before the surrounding `;` (rank {RANK_AND}); any of these {n} operands may hold."
                ),
                Parent::Not => format!(
                    "The parentheses (rank {RANK_PAREN}) group these {n} operands under `!`; the group holds when any of them does."
                ),
                _ => format!(
                    "`||` has the loosest rank ({RANK_OR}), so it applies last; any of these {n} operands may hold."
                ),
            }
        }
        ExprKind::Phrase(_) | ExprKind::Error { .. } => String::new(),
    }
}

fn sentence(expr: &Expr, parent: Parent) -> String {
    match &expr.kind {
        ExprKind::Phrase(phrase) => describe_phrase(phrase),
        ExprKind::Error { .. } => "something unreadable".to_owned(),
        ExprKind::Not { operand } => format!("not ({})", sentence(operand, Parent::Not)),
        ExprKind::And { operands } => {
            let text = join(operands, "and", Parent::And);
            if parent == Parent::Or {
                format!("({text})")
            } else {
                text
            }
        }
        ExprKind::Or { operands } => {
            let text = join(operands, "or", Parent::Or);
            if parent == Parent::And {
                format!("({text})")
            } else {
                text
            }
        }
    }
}

fn join(operands: &[Expr], word: &str, parent: Parent) -> String {
    let mut out = String::new();
    for (i, operand) in operands.iter().enumerate() {
        if i > 0 {
            let _ = write!(out, " {word} ");
        }
        out.push_str(&sentence(operand, parent));
    }
    out
}

fn describe_phrase(phrase: &Phrase) -> String {
    let field = &phrase.field.name;
    let op = phrase.operator.kind;
    match &phrase.operand {
        Operand::Single { value } => match (&value.kind, op) {
            (ValueKind::String(s), OperatorKind::Eq) if s.has_wildcard() => {
                format!("{field} {}", describe_pattern(s))
            }
            (ValueKind::Null, _) => format!("{field} has no value"),
            (ValueKind::NullReference, _) => format!("{field} refers to no entity"),
            (ValueKind::CrossFilter { filter }, _) => format!(
                "{field} refers to an entity where {}",
                sentence(filter, Parent::And)
            ),
            (ValueKind::String(s), _) if s.kind != StrKind::Text => {
                let verb = match op {
                    OperatorKind::Lt => "is before",
                    OperatorKind::Gt => "is after",
                    OperatorKind::Le => "is on or before",
                    OperatorKind::Ge => "is on or after",
                    _ => "is",
                };
                format!("{field} {verb} {}", describe_value(value))
            }
            (_, OperatorKind::Eq) => format!("{field} is {}", describe_value(value)),
            _ => format!("{field} {} {}", op.describe(), describe_value(value)),
        },
        Operand::List { values } => {
            let items: Vec<String> = values.iter().map(describe_value).collect();
            match items.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{field} is one of {} or {last}", rest.join(", "))
                }
                _ => format!("{field} is {}", items.join("")),
            }
        }
        Operand::Range { low, high } => format!(
            "{field} is between {} and {}, inclusive",
            describe_value(low),
            describe_value(high)
        ),
    }
}

fn describe_pattern(s: &Str) -> String {
    let v = &s.value;
    let inner = v.trim_matches('*');
    let quoted = format!("“{inner}”");
    if inner.contains('*') || inner.is_empty() {
        return format!("matches the pattern “{v}” (`*` stands for any text)");
    }
    match (v.starts_with('*'), v.ends_with('*')) {
        (true, true) => format!("contains {quoted}"),
        (false, true) => format!("starts with {quoted}"),
        (true, false) => format!("ends with {quoted}"),
        (false, false) => format!("is {quoted}"),
    }
}

fn describe_value(value: &Value) -> String {
    match &value.kind {
        ValueKind::String(s) if s.kind == StrKind::Text => format!("“{}”", s.value),
        ValueKind::String(s) => s.value.clone(),
        ValueKind::CurrentUser => "the current user".to_owned(),
        ValueKind::CurrentRelease => "the current release".to_owned(),
        _ => value.to_string(),
    }
}
