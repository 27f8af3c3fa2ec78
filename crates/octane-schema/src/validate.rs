//! Schema-aware validation: a query that parses can still be wrong for its
//! entity. Each check points at the offending part and says how to fix it.

use octane_query::suggest::did_you_mean;
use octane_query::temporal;
use octane_query::{
    Diagnostic, Expr, ExprKind, Operand, OperatorKind, Phrase, Query, Span, Str, StrKind, Value,
    ValueKind, parse,
};

use crate::diagnostics as d;
use crate::model::{
    Entity, Field, FieldType, Schema, accepts_current_release, accepts_current_user,
};

/// The operators a field type takes (the docs' table by data type).
pub fn allowed_operators(field_type: &FieldType) -> &'static [OperatorKind] {
    use OperatorKind::{Btw, Eq, Ge, Gt, In, Le, Lt};
    match field_type {
        FieldType::Integer
        | FieldType::Float
        | FieldType::Date
        | FieldType::DateTime
        | FieldType::Other(_) => &[Eq, Lt, Gt, Le, Ge, In, Btw],
        FieldType::String | FieldType::Memo | FieldType::Reference => &[Eq, In],
        FieldType::Boolean => &[Eq],
        FieldType::Object => &[],
    }
}

/// Parses `source` and checks it against `entity` (an entity or collection
/// name) in `schema`. Parse diagnostics come first in position order with
/// the schema's; an unknown entity is reported at the start.
pub fn validate(source: &str, entity: &str, schema: &Schema) -> Vec<Diagnostic> {
    let parsed = parse(source);
    let mut diagnostics = parsed.diagnostics;
    match schema.entity(entity) {
        None => {
            let suggestion = did_you_mean(entity, schema.entity_names());
            diagnostics.push(d::unknown_entity(Span::empty(0), entity, suggestion));
        }
        Some(found) => {
            // With syntax errors, what did parse is checked too, as an
            // editor expects.
            if let Some(query) = parsed.query.as_ref().or(parsed.partial.as_ref()) {
                diagnostics.extend(validate_query(query, source, found, schema));
            }
        }
    }
    octane_query::order::sort_by_span(&mut diagnostics, |d| d.span);
    diagnostics
}

/// Checks a parsed query (whose spans index `source`) against `entity`.
pub fn validate_query(
    query: &Query,
    source: &str,
    entity: &Entity,
    schema: &Schema,
) -> Vec<Diagnostic> {
    let mut validator = Validator {
        schema,
        source,
        out: Vec::new(),
    };
    if matches!(entity.name.as_str(), "field_metadata" | "entity_metadata") {
        validator.no_or(&query.expr, &entity.name);
    }
    validator.expr(&query.expr, &[entity]);
    validator.out
}

struct Validator<'a> {
    schema: &'a Schema,
    source: &'a str,
    out: Vec<Diagnostic>,
}

impl<'a> Validator<'a> {
    fn expr(&mut self, expr: &Expr, targets: &[&'a Entity]) {
        match &expr.kind {
            ExprKind::And { operands }
            | ExprKind::Or { operands }
            | ExprKind::Error { parts: operands } => {
                for operand in operands {
                    self.expr(operand, targets);
                }
            }
            ExprKind::Not { operand } => self.expr(operand, targets),
            ExprKind::Phrase(phrase) => self.phrase(phrase, targets),
        }
    }

    /// Reports every `||` (metadata queries do not support it).
    fn no_or(&mut self, expr: &Expr, entity: &str) {
        match &expr.kind {
            ExprKind::Or { operands } => {
                for pair in operands.windows(2) {
                    let between = Span::new(pair[0].span.end, pair[1].span.start);
                    let span = self.source[between.range()]
                        .find("||")
                        .map_or(between, |at| {
                            let start = between.start + at as u32;
                            Span::new(start, start + 2)
                        });
                    self.out.push(d::or_in_metadata_query(span, entity));
                }
                for operand in operands {
                    self.no_or(operand, entity);
                }
            }
            ExprKind::And { operands } | ExprKind::Error { parts: operands } => {
                for operand in operands {
                    self.no_or(operand, entity);
                }
            }
            ExprKind::Not { operand } => self.no_or(operand, entity),
            ExprKind::Phrase(_) => {}
        }
    }

    fn phrase(&mut self, phrase: &Phrase, targets: &[&'a Entity]) {
        let name = phrase.field.name.as_str();
        let found: Vec<(&Entity, &Field)> = targets
            .iter()
            .filter_map(|entity| entity.field(name).map(|field| (*entity, field)))
            .collect();
        let Some(&(owner, field)) = found.first() else {
            let owner = targets
                .iter()
                .map(|e| format!("`{}`", e.name))
                .collect::<Vec<_>>()
                .join(" or ");
            let candidates = targets
                .iter()
                .flat_map(|e| e.fields.iter().map(|f| f.name.as_str()));
            let suggestion = did_you_mean(name, candidates);
            self.out.push(d::unknown_field(
                phrase.field.span,
                name,
                &owner,
                suggestion,
            ));
            return;
        };
        if found.len() < targets.len() {
            let with: Vec<&str> = found.iter().map(|(e, _)| e.name.as_str()).collect();
            let without: Vec<&str> = targets
                .iter()
                .map(|e| e.name.as_str())
                .filter(|n| !with.contains(n))
                .collect();
            self.out.push(d::field_on_some_targets(
                phrase.field.span,
                name,
                &with,
                &without,
            ));
        }
        if !field.filterable {
            self.out.push(d::not_filterable(phrase.field.span, name));
            return;
        }
        let operator = phrase.operator.kind;
        let allowed = allowed_operators(&field.field_type);
        if !allowed.contains(&operator) {
            let names: Vec<&str> = allowed.iter().map(|o| o.as_str()).collect();
            self.out.push(d::operator_not_allowed(
                phrase.operator.span,
                operator.as_str(),
                name,
                field.field_type.as_str(),
                &names,
            ));
            return;
        }
        match &phrase.operand {
            Operand::Single { value } => self.value(owner, field, value),
            Operand::List { values } => {
                for value in values {
                    self.value(owner, field, value);
                }
            }
            Operand::Range { low, high } => {
                let errors = |out: &[Diagnostic]| out.iter().filter(|d| d.is_error()).count();
                let before = errors(&self.out);
                self.value(owner, field, low);
                self.value(owner, field, high);
                if errors(&self.out) == before {
                    self.range(low, high);
                }
            }
        }
    }

    fn value(&mut self, owner: &Entity, field: &Field, value: &Value) {
        if field.field_type == FieldType::Reference {
            self.reference(owner, field, value);
        } else {
            self.scalar(owner, field, value);
        }
    }

    /// `[current_user]` or `[current_release]` where it fits, or reported.
    fn special(&mut self, owner: &Entity, field: &Field, value: &Value) {
        let (fits, report): (bool, fn(Span, &str) -> Diagnostic) = match value.kind {
            ValueKind::CurrentUser => (
                accepts_current_user(owner, field),
                d::current_user_misplaced,
            ),
            _ => (
                accepts_current_release(owner, field),
                d::current_release_misplaced,
            ),
        };
        if !fits {
            self.out.push(report(value.span, &field.name));
        }
    }

    fn reference(&mut self, owner: &Entity, field: &Field, value: &Value) {
        let name = field.name.as_str();
        let span = value.span;
        match &value.kind {
            ValueKind::CrossFilter { filter } => {
                let targets: Vec<&'a Entity> = field
                    .target_names()
                    .filter_map(|t| self.schema.entity(t))
                    .collect();
                if !targets.is_empty() {
                    self.expr(filter, &targets);
                }
            }
            ValueKind::NullReference => {}
            ValueKind::Null => self.out.push(d::null_on_reference(span, name)),
            ValueKind::CurrentUser | ValueKind::CurrentRelease => self.special(owner, field, value),
            ValueKind::Number(_) | ValueKind::String(_) | ValueKind::Boolean { .. } => {
                if field.is_list() {
                    let suggestion = self.list_suggestion(field, value);
                    self.out
                        .push(d::list_compared_with_name(span, name, &suggestion));
                } else {
                    let id = match &value.kind {
                        ValueKind::String(s) => Str::new(s.value.clone()).to_string(),
                        _ => value.to_string(),
                    };
                    self.out.push(d::bare_value_on_reference(span, name, &id));
                }
            }
        }
    }

    /// `{id EQ ^list_node.severity.high^}` when the name is a known node,
    /// `{name EQ ^High^}` otherwise.
    fn list_suggestion(&self, field: &Field, value: &Value) -> String {
        let text = match &value.kind {
            ValueKind::String(s) => s.value.clone(),
            other => Value {
                kind: other.clone(),
                span: value.span,
            }
            .to_string(),
        };
        let known = field
            .targets
            .iter()
            .filter_map(|t| self.schema.lists.get(t.logical_name.as_deref()?))
            .flatten()
            .find(|node| node.name.eq_ignore_ascii_case(&text) || node.id == text);
        match known {
            Some(node) => format!("{{id EQ {}}}", Str::new(node.id.clone())),
            None if text.starts_with("list_node.") => format!("{{id EQ {}}}", Str::new(text)),
            None => format!("{{name EQ {}}}", Str::new(text)),
        }
    }

    fn scalar(&mut self, owner: &Entity, field: &Field, value: &Value) {
        let name = field.name.as_str();
        let ty = field.field_type.as_str();
        let span = value.span;
        match &value.kind {
            ValueKind::Null => {
                if field.field_type == FieldType::Boolean {
                    self.out.push(d::null_on_boolean(span, name));
                }
            }
            ValueKind::NullReference => self.out.push(d::null_reference_on_scalar(span, name)),
            ValueKind::CrossFilter { .. } => {
                self.out.push(d::cross_filter_on_scalar(span, name, ty));
            }
            ValueKind::CurrentUser | ValueKind::CurrentRelease => self.special(owner, field, value),
            ValueKind::Number(number) => match field.field_type {
                FieldType::Integer if !number.is_integer() => {
                    self.out.push(d::decimal_for_integer(span, name));
                }
                FieldType::Integer | FieldType::Float | FieldType::Other(_) => {}
                _ => self.wrong_type(field, value, "a number"),
            },
            ValueKind::Boolean { .. } => {
                if !matches!(field.field_type, FieldType::Boolean | FieldType::Other(_)) {
                    self.wrong_type(field, value, "a boolean");
                }
            }
            ValueKind::String(s) => self.string(field, value, s),
        }
    }

    fn string(&mut self, field: &Field, value: &Value, s: &Str) {
        let name = field.name.as_str();
        let ty = field.field_type.as_str();
        let span = value.span;
        match field.field_type {
            FieldType::String | FieldType::Memo | FieldType::Other(_) => {}
            FieldType::Integer | FieldType::Float => {
                let numeric = if field.field_type == FieldType::Integer {
                    s.value.trim().parse::<i64>().is_ok()
                } else {
                    is_finite_float(s.value.trim())
                };
                if s.has_wildcard() {
                    self.out.push(d::wildcard_not_allowed(span, name, ty));
                } else if numeric {
                    self.out
                        .push(d::number_as_string(span, name, s.value.trim()));
                } else {
                    self.wrong_type(field, value, "a string");
                }
            }
            FieldType::Date | FieldType::DateTime => {
                if s.has_wildcard() {
                    self.out.push(d::wildcard_not_allowed(span, name, ty));
                } else if s.kind == StrKind::Text {
                    self.out.push(d::malformed_date(span, &s.value, name, ty));
                } else if s.kind == StrKind::DateTime && !has_zone(&s.value) {
                    self.out.push(d::date_time_without_zone(span, &s.value));
                }
            }
            FieldType::Boolean | FieldType::Object | FieldType::Reference => {
                self.wrong_type(field, value, "a string");
            }
        }
    }

    fn wrong_type(&mut self, field: &Field, value: &Value, what: &str) {
        let name = field.name.as_str();
        let help = match field.field_type {
            FieldType::Boolean => format!("write `{name} EQ true` or `{name} EQ false`"),
            FieldType::Integer | FieldType::Float => format!("write a number: `{name} EQ 5`"),
            FieldType::Date => format!("write a date: `{name} EQ ^2015-02-25^`"),
            FieldType::DateTime => {
                format!("write a date-time in UTC: `{name} GT ^2015-02-25T16:42:11Z^`")
            }
            FieldType::String | FieldType::Memo => {
                let text = match &value.kind {
                    ValueKind::Number(n) => n.text.clone(),
                    _ => value.to_string(),
                };
                format!("put it between carets: `{name} EQ {}`", Str::new(text))
            }
            _ => "this field cannot be compared".to_owned(),
        };
        let ty = match field.field_type {
            FieldType::Integer => "an integer",
            FieldType::Float => "a number",
            FieldType::Boolean => "a boolean",
            FieldType::Date => "a date",
            FieldType::DateTime => "a date-time",
            FieldType::String => "a string",
            FieldType::Memo => "a text (memo)",
            FieldType::Object => "an object",
            FieldType::Reference => "a reference",
            FieldType::Other(_) => "of another type",
        };
        self.out
            .push(d::wrong_value_type(value.span, what, name, ty, &help));
    }

    fn range(&mut self, low: &Value, high: &Value) {
        let span = low.span.cover(high.span);
        match (&low.kind, &high.kind) {
            (ValueKind::Number(a), ValueKind::Number(b))
                if a.compare(b) == Some(std::cmp::Ordering::Greater) =>
            {
                self.out.push(d::range_out_of_order(span, &a.text, &b.text));
            }
            // Dates and date-times compare in time (offsets applied),
            // other strings as text.
            (ValueKind::String(a), ValueKind::String(b)) if out_of_order(&a.value, &b.value) => {
                self.out.push(d::range_out_of_order(
                    span,
                    &low.to_string(),
                    &high.to_string(),
                ));
            }
            (ValueKind::Number(_), ValueKind::Number(_))
            | (ValueKind::String(_), ValueKind::String(_)) => {}
            (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
                self.out.push(d::range_types_differ(span));
            }
            _ => {}
        }
    }
}

/// Whether the range `low...high` of two strings is empty.
fn out_of_order(low: &str, high: &str) -> bool {
    match (temporal::parse(low), temporal::parse(high)) {
        (Some(low), Some(high)) => low.cmp_to(high).is_gt() && high.cmp_to(low).is_lt(),
        _ => low > high,
    }
}

/// Whether an ISO-8601 date-time ends with `Z` or a `±hh:mm` offset.
fn has_zone(text: &str) -> bool {
    text.ends_with('Z') || {
        let b = text.as_bytes();
        b.len() > 6 && matches!(b[b.len() - 6], b'+' | b'-') && b[b.len() - 3] == b':'
    }
}

/// The smallest number that rounds to infinity as an `f64`, 2^1024 -
/// 2^970 (halfway between `f64::MAX` and 2^1024; the tie rounds to the
/// even side, infinity): its 309 digits.
const OVERFLOW: &[u8] = b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// Whether `text` reads as a finite `f64` in the syntax of
/// `str::parse::<f64>`: a sign, digits with an optional point, an
/// optional exponent; not `inf` or `nan`, and not so large that it rounds
/// to infinity. Checked without converting, so that a module with the
/// validator needs no float parser (its tables alone are 10 KB).
fn is_finite_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |at: &mut usize| {
        let start = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        &bytes[start..*at]
    };
    let integer = digits(&mut at);
    let mut fraction: &[u8] = &[];
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        fraction = digits(&mut at);
    }
    if integer.is_empty() && fraction.is_empty() {
        // Also `inf`, `infinity` and `nan`, which are not finite.
        return false;
    }
    let mut exponent: i64 = 0;
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        let negative = bytes.get(at) == Some(&b'-');
        at += usize::from(matches!(bytes.get(at), Some(b'+' | b'-')));
        let written = digits(&mut at);
        if written.is_empty() {
            return false;
        }
        for &digit in written {
            // Far beyond any exponent that matters, and no overflow.
            exponent = (exponent * 10 + i64::from(digit - b'0')).min(1 << 40);
        }
        if negative {
            exponent = -exponent;
        }
    }
    if at != bytes.len() {
        return false;
    }
    // The value is 0.SIGNIFICANT x 10^power.
    let mut significant = integer.iter().chain(fraction).skip_while(|&&d| d == b'0');
    let leading = integer
        .iter()
        .chain(fraction)
        .take_while(|&&d| d == b'0')
        .count();
    let Some(&first) = significant.next() else {
        return true; // zero
    };
    // Lengths of text fit an i64 (the validator's input is bounded far
    // below); so does the exponent, saturated above.
    let length = |n: usize| i64::try_from(n).unwrap_or(i64::MAX >> 2);
    let power = length(integer.len()) - length(leading) + exponent;
    match power.cmp(&length(OVERFLOW.len())) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => {
            // Digit by digit against the threshold: below it is finite.
            let mut mine = std::iter::once(first).chain(significant.copied());
            for &limit in OVERFLOW {
                match mine.next() {
                    None => return true,
                    Some(digit) if digit != limit => return digit < limit,
                    Some(_) => {}
                }
            }
            // Equal to the threshold so far: any further non-zero digit
            // is above it, and the threshold itself rounds to infinity.
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{OVERFLOW, is_finite_float};

    /// What `is_finite_float` stands in for.
    fn std_finite(text: &str) -> bool {
        text.parse::<f64>().is_ok_and(f64::is_finite)
    }

    #[test]
    fn floats_as_rust_reads_them() {
        let overflow = std::str::from_utf8(OVERFLOW).unwrap();
        let just_below = format!("{}1", &overflow[..overflow.len() - 1]);
        let mut cases = vec![
            "0",
            "-0",
            "+1",
            "1.",
            ".5",
            "+.5",
            "-.5e-3",
            "1e5",
            "1E+5",
            "1e",
            "1e+",
            "e5",
            ".",
            "+",
            "-",
            "",
            "inf",
            "-inf",
            "infinity",
            "NaN",
            "nan",
            "1_0",
            "0x10",
            "1.5.5",
            " 1",
            "1 ",
            "١",
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "0e99999999999999999999",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1.797693134862315807937289714053e308",
            "1.8e308",
            "17976931348623157e292",
            "0.000017976931348623159e313",
            "4.9e-324",
            "2e-400",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        cases.extend([
            overflow.to_owned(),
            just_below.clone(),
            format!("{overflow}.0000"),
            format!("{overflow}.0001"),
            format!("{just_below}.9999"),
            format!("0.{overflow}e309"),
            format!("0.{just_below}e309"),
            format!("000{}.{}e1", &overflow[..308], &overflow[308..]),
        ]);
        for case in &cases {
            assert_eq!(is_finite_float(case), std_finite(case), "{case:?}");
        }
        // The threshold itself rounds to infinity; just below it does not.
        assert!(!is_finite_float(overflow) && is_finite_float(&just_below));
    }

    proptest! {
        #[test]
        fn floats_as_rust_reads_them_at_random(
            text in "[+-]?(0{0,3}[0-9]{0,4}(\\.[0-9]{0,4})?|inf|nan)([eE][+-]?[0-9]{0,4})?[x ]?",
        ) {
            prop_assert_eq!(is_finite_float(&text), std_finite(&text), "{:?}", text);
        }

        #[test]
        fn floats_near_the_largest_as_rust_reads_them(
            digits in "[0-9]{1,3}",
            cut in 300usize..309,
            shift in -3i64..4,
        ) {
            // The threshold's first digits, then others, at exponents
            // around the largest finite.
            let overflow = std::str::from_utf8(OVERFLOW).unwrap();
            let text = format!("{}.{}{}e{}", &overflow[..1], &overflow[1..cut], digits, 308 + shift);
            prop_assert_eq!(is_finite_float(&text), std_finite(&text), "{}", text);
        }
    }
}
