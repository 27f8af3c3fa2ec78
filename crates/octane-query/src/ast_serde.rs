//! The tree's serialized form, written by hand.
//!
//! An expression and a value are one object each: `type` first, the
//! members of their kind, then `span`. Serde's derive can say that only
//! with `flatten`, which writes every object as a map of runtime keys; a
//! struct of `&'static str` member names is what a serializer can write
//! fastest (the wasm module's tape names each member by number).

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::ast::{Expr, ExprKind, Operand, Phrase, Value, ValueKind};

/// The value of a `type` member: a fixed name, written as a unit variant
/// (a string in JSON) so that a serializer can tell it is static.
struct Tag(&'static str);

impl Serialize for Tag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant("type", 0, self.0)
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (tag, members) = match &self.kind {
            ExprKind::And { .. } => ("and", 1),
            ExprKind::Or { .. } => ("or", 1),
            ExprKind::Not { .. } => ("not", 1),
            ExprKind::Error { .. } => ("error", 1),
            ExprKind::Phrase(phrase) => ("phrase", 3 + phrase.operand.members()),
        };
        let mut out = serializer.serialize_struct("Expr", members + 2)?;
        out.serialize_field("type", &Tag(tag))?;
        match &self.kind {
            ExprKind::And { operands } | ExprKind::Or { operands } => {
                out.serialize_field("operands", operands)?;
            }
            ExprKind::Not { operand } => out.serialize_field("operand", operand)?,
            ExprKind::Error { parts } => out.serialize_field("parts", parts)?,
            ExprKind::Phrase(phrase) => phrase.members(&mut out)?,
        }
        out.serialize_field("span", &self.span)?;
        out.end()
    }
}

impl Phrase {
    /// Writes `field`, `operator` and the operand's members.
    fn members<S: SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error> {
        out.serialize_field("field", &self.field)?;
        out.serialize_field("operator", &self.operator)?;
        match &self.operand {
            Operand::Single { value } => out.serialize_field("value", value),
            Operand::List { values } => out.serialize_field("values", values),
            Operand::Range { low, high } => {
                out.serialize_field("low", low)?;
                out.serialize_field("high", high)
            }
        }
    }
}

impl Operand {
    /// How many members the operand adds to its phrase.
    fn members(&self) -> usize {
        match self {
            Operand::Single { .. } | Operand::List { .. } => 1,
            Operand::Range { .. } => 2,
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (tag, members) = match &self.kind {
            ValueKind::Number(_) => ("number", 1),
            ValueKind::Boolean { .. } => ("boolean", 1),
            ValueKind::Null => ("null", 0),
            ValueKind::String(_) => ("string", 2),
            ValueKind::CurrentUser => ("current_user", 0),
            ValueKind::CurrentRelease => ("current_release", 0),
            ValueKind::NullReference => ("null_reference", 0),
            ValueKind::CrossFilter { .. } => ("cross_filter", 1),
        };
        let mut out = serializer.serialize_struct("Value", members + 2)?;
        out.serialize_field("type", &Tag(tag))?;
        match &self.kind {
            ValueKind::Number(number) => out.serialize_field("text", &number.text)?,
            ValueKind::Boolean { value } => out.serialize_field("value", value)?,
            ValueKind::String(string) => {
                out.serialize_field("value", &string.value)?;
                out.serialize_field("kind", &string.kind)?;
            }
            ValueKind::CrossFilter { filter } => out.serialize_field("filter", filter)?,
            ValueKind::Null
            | ValueKind::CurrentUser
            | ValueKind::CurrentRelease
            | ValueKind::NullReference => {}
        }
        out.serialize_field("span", &self.span)?;
        out.end()
    }
}
