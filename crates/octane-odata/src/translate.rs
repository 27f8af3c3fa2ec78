//! Translation between OData `$filter` and Octane's REST query language.

use octane_query::{
    Diagnostic, Expr as QExpr, ExprKind as QKind, Operand, OperatorKind, Severity, Span, Str,
    StrKind, Value, ValueKind, parse,
};
use octane_schema::{FieldType, Schema};

use crate::diagnostics::ODataErrorKind;
use crate::expr::{BinaryOp, Expr, ExprKind, Literal, Segment, UnaryOp, parse_expr};

/// How to translate.
#[derive(Clone, Debug, Default)]
pub struct TranslateOptions<'a> {
    /// The entity queried, for telling references (`{null}`) from
    /// scalars (`null`).
    pub entity: Option<&'a str>,
    /// The schema; the built-in one when `None`.
    pub schema: Option<&'a Schema>,
}

fn untranslatable(span: Span, what: &str, help: &str) -> Diagnostic {
    Diagnostic::with_code(
        ODataErrorKind::Untranslatable.code(),
        Severity::Error,
        span,
        format!("{what} has no equivalent in the REST query language"),
    )
    .with_help(help)
}

/// An OData `$filter` as the canonical REST query.
pub fn odata_to_query(
    filter: &str,
    options: &TranslateOptions<'_>,
) -> Result<String, Vec<Diagnostic>> {
    let expr = parse_expr(filter, 0).map_err(|d| vec![d])?;
    let schema = options.schema.unwrap_or_else(|| Schema::builtin());
    let translator = ToQuery { schema };
    let entity = options
        .entity
        .and_then(|e| schema.entity(e))
        .map(|e| e.name.clone());
    let text = translator.expr(&expr, entity.as_deref())?;
    // Reparse, merge navigation into shared cross-filters, and print
    // canonically (flattened, without redundant parentheses).
    let mut query = octane_query::parse_strict(&text).map_err(|d| d.0)?;
    merge_cross_filters(&mut query.expr);
    octane_query::format(&query.to_string()).map_err(|d| d.0)
}

/// `release EQ {a};release EQ {b}` → `release EQ {a;b}` (and likewise
/// under `||`): adjacent navigations through the same reference share one
/// cross-filter, as `release/a and release/b` reads in OData. On a
/// multi-value reference this asks for one entity matching both.
fn merge_cross_filters(expr: &mut QExpr) {
    let and = matches!(expr.kind, QKind::And { .. });
    match &mut expr.kind {
        QKind::And { operands } | QKind::Or { operands } => {
            let mut merged: Vec<QExpr> = Vec::with_capacity(operands.len());
            for operand in operands.drain(..) {
                if let (Some(last), Some(field)) = (merged.last_mut(), cross_field(&operand)) {
                    if cross_field(last).as_deref() == Some(field.as_str()) {
                        join_into(last, operand, and);
                        continue;
                    }
                }
                merged.push(operand);
            }
            for operand in &mut merged {
                merge_cross_filters(operand);
            }
            if merged.len() == 1 {
                if let Some(only) = merged.pop() {
                    *expr = only;
                }
            } else {
                *operands = merged;
            }
        }
        QKind::Not { operand } => merge_cross_filters(operand),
        // Only in a partial tree, which is never translated.
        QKind::Error { .. } => {}
        QKind::Phrase(p) => {
            if let Operand::Single { value } = &mut p.operand {
                if let ValueKind::CrossFilter { filter } = &mut value.kind {
                    merge_cross_filters(filter);
                }
            }
        }
    }
}

/// An empty placeholder, swapped out at once.
fn placeholder() -> QExpr {
    QExpr {
        kind: QKind::Or {
            operands: Vec::new(),
        },
        span: Span::default(),
    }
}

/// The field of `f EQ {cross-filter}`.
fn cross_field(expr: &QExpr) -> Option<String> {
    match &expr.kind {
        QKind::Phrase(p) if p.operator.kind == OperatorKind::Eq => match &p.operand {
            Operand::Single { value } if matches!(value.kind, ValueKind::CrossFilter { .. }) => {
                Some(p.field.name.clone())
            }
            _ => None,
        },
        _ => None,
    }
}

/// Joins `other`'s cross-filter into `target`'s, with `;` or `||`.
fn join_into(target: &mut QExpr, other: QExpr, and: bool) {
    let (QKind::Phrase(t), QKind::Phrase(o)) = (&mut target.kind, other.kind) else {
        return;
    };
    let (Operand::Single { value: tv }, Operand::Single { value: ov }) =
        (&mut t.operand, o.operand)
    else {
        return;
    };
    let (ValueKind::CrossFilter { filter: tf }, ValueKind::CrossFilter { filter: of }) =
        (&mut tv.kind, ov.kind)
    else {
        return;
    };
    let left = std::mem::replace(tf.as_mut(), placeholder());
    let operands = vec![left, *of];
    **tf = QExpr {
        span: Span::default(),
        kind: if and {
            QKind::And { operands }
        } else {
            QKind::Or { operands }
        },
    };
}

struct ToQuery<'a> {
    schema: &'a Schema,
}

/// A REST fragment and how tightly it binds (for parenthesising).
type Fragment = String;

impl ToQuery<'_> {
    /// Translates `expr` (on `entity`, when known).
    fn expr(&self, expr: &Expr, entity: Option<&str>) -> Result<Fragment, Vec<Diagnostic>> {
        match &expr.kind {
            ExprKind::Binary {
                op: op @ (BinaryOp::And | BinaryOp::Or),
                left,
                right,
            } => {
                let joiner = if *op == BinaryOp::And { ";" } else { "||" };
                // `f ge a and f le b` on one field is a range.
                if *op == BinaryOp::And {
                    if let Some(range) = Self::range(left, right)? {
                        return Ok(range);
                    }
                }
                let l = self.expr(left, entity)?;
                let r = self.expr(right, entity)?;
                Ok(format!("({l}{joiner}{r})"))
            }
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => Ok(format!("!({})", self.expr(operand, entity)?)),
            ExprKind::Binary { op, left, right } => {
                self.comparison(*op, left, right, expr.span, entity)
            }
            ExprKind::Call { name, args } => Self::function(name, args, expr.span),
            ExprKind::Literal(Literal::Boolean(b)) => {
                // `true` / `false` alone: a filter that always or never holds.
                Err(vec![untranslatable(
                    expr.span,
                    &format!("the constant `{b}`"),
                    "compare a field instead: active eq true",
                )])
            }
            ExprKind::Path(_) => Err(vec![untranslatable(
                expr.span,
                "a bare boolean property",
                "compare it: Completed eq true",
            )]),
            _ => Err(vec![untranslatable(
                expr.span,
                "this expression",
                "use comparisons joined by and, or, not",
            )]),
        }
    }

    /// `f ge a and f le b` (either order) as `f BTW a...b`.
    fn range(left: &Expr, right: &Expr) -> Result<Option<Fragment>, Vec<Diagnostic>> {
        let bound = |e: &Expr| match &e.kind {
            ExprKind::Binary {
                op: op @ (BinaryOp::Ge | BinaryOp::Le),
                left,
                right,
            } => match (&left.kind, &right.kind) {
                (ExprKind::Path(p), ExprKind::Literal(l)) => Some((*op, p.clone(), l.clone())),
                _ => None,
            },
            _ => None,
        };
        let (Some((op1, p1, l1)), Some((op2, p2, l2))) = (bound(left), bound(right)) else {
            return Ok(None);
        };
        if p1 != p2 || op1 == op2 {
            return Ok(None);
        }
        let (low, high) = if op1 == BinaryOp::Ge {
            (l1, l2)
        } else {
            (l2, l1)
        };
        let names = path_names(&p1, left.span)?;
        let low = literal(&low, left.span, false)?;
        let high = literal(&high, right.span, false)?;
        Ok(Some(nest(
            &names,
            &format!("{} BTW {low}...{high}", names[names.len() - 1]),
        )))
    }

    fn comparison(
        &self,
        op: BinaryOp,
        left: &Expr,
        right: &Expr,
        span: Span,
        entity: Option<&str>,
    ) -> Result<Fragment, Vec<Diagnostic>> {
        // A literal on the left: flip.
        let (path, value, op) = match (&left.kind, &right.kind) {
            (ExprKind::Path(p), _) => (p, right, op),
            (ExprKind::Literal(_), ExprKind::Path(p)) => (p, left, flip(op)),
            (ExprKind::Call { name, .. }, _) | (_, ExprKind::Call { name, .. }) => {
                return Err(vec![untranslatable(
                    span,
                    &format!("`{name}(...)` in a comparison"),
                    "compare a field with a value; startswith, endswith and contains translate on their own",
                )]);
            }
            _ => {
                return Err(vec![untranslatable(
                    span,
                    "this comparison",
                    "compare a field with a value: name eq 'x'",
                )]);
            }
        };
        let names = path_names(path, span)?;
        let reference = self.is_reference(entity, &names);
        let (word, negate) = match op {
            BinaryOp::Eq => ("EQ", false),
            BinaryOp::Ne => ("EQ", true),
            BinaryOp::Gt => ("GT", false),
            BinaryOp::Ge => ("GE", false),
            BinaryOp::Lt => ("LT", false),
            BinaryOp::Le => ("LE", false),
            BinaryOp::In => ("IN", false),
            BinaryOp::Has => {
                return Err(vec![untranslatable(
                    span,
                    "`has`",
                    "compare the enumeration's value with eq",
                )]);
            }
            _ => {
                return Err(vec![untranslatable(
                    span,
                    &format!("arithmetic (`{}`)", op.as_str()),
                    "compute the value first and compare the field with it",
                )]);
            }
        };
        let rendered = match &value.kind {
            ExprKind::Literal(l) => literal(l, value.span, reference)?,
            ExprKind::List(items) if op == BinaryOp::In => {
                if items.is_empty() {
                    return Err(vec![untranslatable(
                        value.span,
                        "an empty `in` list",
                        "list at least one value",
                    )]);
                }
                let mut out = Vec::new();
                for item in items {
                    match &item.kind {
                        ExprKind::Literal(l) => out.push(literal(l, item.span, false)?),
                        _ => {
                            return Err(vec![untranslatable(
                                item.span,
                                "a non-literal in an `in` list",
                                "list literal values",
                            )]);
                        }
                    }
                }
                out.join(",")
            }
            ExprKind::Path(_) => {
                return Err(vec![untranslatable(
                    span,
                    "comparing two fields",
                    "compare each field with a value",
                )]);
            }
            _ => {
                return Err(vec![untranslatable(
                    value.span,
                    "this value",
                    "use a literal: a string, number, boolean, date or null",
                )]);
            }
        };
        let phrase = format!("{} {word} {rendered}", names[names.len() - 1]);
        let nested = nest(&names, &phrase);
        Ok(if negate { format!("!{nested}") } else { nested })
    }

    /// Whether the last field of `names` (reached from `entity`) is a
    /// reference, by the schema.
    fn is_reference(&self, entity: Option<&str>, names: &[String]) -> bool {
        let Some(mut current) = entity.and_then(|e| self.schema.entity(e)) else {
            return false;
        };
        for (i, name) in names.iter().enumerate() {
            let Some(field) = current.field(name) else {
                return false;
            };
            if i + 1 == names.len() {
                return field.field_type == FieldType::Reference;
            }
            let Some(next) = field
                .target_names()
                .next()
                .and_then(|t| self.schema.entity(t))
            else {
                return false;
            };
            current = next;
        }
        false
    }

    // The two argument orders bind the same names differently.
    #[allow(clippy::match_same_arms)]
    fn function(name: &str, args: &[Expr], span: Span) -> Result<Fragment, Vec<Diagnostic>> {
        let lower = name.to_ascii_lowercase();
        let (path, text) = match (lower.as_str(), args) {
            ("startswith" | "endswith" | "contains", [field, value]) => (field, value),
            // The older dialect: substringof('x', field).
            ("substringof", [value, field]) => (field, value),
            _ => {
                return Err(vec![untranslatable(
                    span,
                    &format!("the function `{name}`"),
                    "startswith, endswith, contains and substringof translate to * wildcards",
                )]);
            }
        };
        let ExprKind::Path(segments) = &path.kind else {
            return Err(vec![untranslatable(
                path.span,
                "a function of a computed value",
                "apply it to a field",
            )]);
        };
        let ExprKind::Literal(Literal::String(s)) = &text.kind else {
            return Err(vec![untranslatable(
                text.span,
                "a non-string pattern",
                "pass a string literal",
            )]);
        };
        if s.contains('*') {
            return Err(vec![untranslatable(
                text.span,
                "a literal `*`",
                "Octane reads `*` as a wildcard and cannot filter on the character itself",
            )]);
        }
        let pattern = match lower.as_str() {
            "startswith" => format!("{s}*"),
            "endswith" => format!("*{s}"),
            _ => format!("*{s}*"),
        };
        let names = path_names(segments, path.span)?;
        let phrase = format!("{} EQ {}", names[names.len() - 1], Str::new(pattern));
        Ok(nest(&names, &phrase))
    }
}

fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        other => other,
    }
}

/// The property names of a navigation path.
fn path_names(segments: &[Segment], span: Span) -> Result<Vec<String>, Vec<Diagnostic>> {
    segments
        .iter()
        .map(|s| match s {
            Segment::Name(n) if !n.starts_with(['$', '@']) && !n.contains('.') => Ok(n.clone()),
            Segment::Lambda { .. } => Err(vec![untranslatable(
                span,
                "a lambda (`any`/`all`)",
                "on a multi-value reference, EQ {...} already means \"contains one that matches\"",
            )]),
            Segment::Count => Err(vec![untranslatable(
                span,
                "`$count`",
                "filter on the entities' own fields",
            )]),
            _ => Err(vec![untranslatable(
                span,
                "this path",
                "use plain navigation: release/name",
            )]),
        })
        .collect()
}

/// `a/b/c OP v` as `a EQ {b EQ {c OP v}}`.
fn nest(names: &[String], phrase: &str) -> String {
    names[..names.len() - 1]
        .iter()
        .rev()
        .fold(phrase.to_owned(), |inner, name| {
            format!("{name} EQ {{{inner}}}")
        })
}

/// A literal in REST syntax; `null` becomes `{null}` on references.
fn literal(literal: &Literal, span: Span, reference: bool) -> Result<String, Vec<Diagnostic>> {
    Ok(match literal {
        Literal::Null if reference => "{null}".to_owned(),
        Literal::Null => "null".to_owned(),
        Literal::Boolean(b) => b.to_string(),
        Literal::Integer(n) | Literal::Decimal(n) if n.parse::<f64>().is_ok_and(f64::is_finite) => {
            n.clone()
        }
        Literal::String(s) => {
            if s.contains('*') {
                return Err(vec![untranslatable(
                    span,
                    "a string holding `*`",
                    "Octane reads `*` as a wildcard and cannot filter on the character itself",
                )]);
            }
            Str::new(s.clone()).to_string()
        }
        Literal::Date(d) | Literal::DateTimeOffset(d) => Str::new(d.clone()).to_string(),
        Literal::Guid(g) => Str::new(g.clone()).to_string(),
        _ => {
            return Err(vec![untranslatable(
                span,
                "this literal",
                "use a string, number, boolean, date or null",
            )]);
        }
    })
}

/// A REST query as an OData `$filter`.
pub fn query_to_odata(source: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = parse(source);
    let Some(query) = parsed.query else {
        return Err(parsed.diagnostics);
    };
    to_odata(&query.expr, &[], 0)
}

fn no_odata(span: Span, what: &str, help: &str) -> Diagnostic {
    Diagnostic::with_code(
        ODataErrorKind::NoOData.code(),
        Severity::Error,
        span,
        format!("{what} has no OData equivalent"),
    )
    .with_help(help)
}

/// `context`: 0 top, 1 under `or`, 2 under `and`, 3 under `not`.
fn to_odata(expr: &QExpr, prefix: &[&str], context: u8) -> Result<String, Vec<Diagnostic>> {
    match &expr.kind {
        QKind::And { operands } | QKind::Or { operands } => {
            let and = matches!(expr.kind, QKind::And { .. });
            let own = if and { 2 } else { 1 };
            let parts: Result<Vec<String>, _> =
                operands.iter().map(|o| to_odata(o, prefix, own)).collect();
            let text = parts?.join(if and { " and " } else { " or " });
            Ok(if context > own {
                format!("({text})")
            } else {
                text
            })
        }
        QKind::Not { operand } => {
            // `!f EQ v` reads best as `f ne v`.
            if let QKind::Phrase(p) = &operand.kind {
                if p.operator.kind == OperatorKind::Eq {
                    if let Operand::Single { value } = &p.operand {
                        if !matches!(
                            value.kind,
                            ValueKind::CrossFilter { .. } | ValueKind::String(_)
                        ) || !has_wildcard(value)
                        {
                            return phrase(p, prefix, true);
                        }
                    }
                }
            }
            Ok(format!("not ({})", to_odata(operand, prefix, 0)?))
        }
        QKind::Phrase(p) => phrase(p, prefix, false),
        QKind::Error { .. } => Err(vec![no_odata(
            expr.span,
            "text the parser could not read",
            "fix the query's errors first",
        )]),
    }
}

fn has_wildcard(value: &Value) -> bool {
    matches!(&value.kind, ValueKind::String(s) if s.has_wildcard())
}

fn phrase(
    p: &octane_query::Phrase,
    prefix: &[&str],
    negate: bool,
) -> Result<String, Vec<Diagnostic>> {
    let mut path: Vec<&str> = prefix.to_vec();
    path.push(&p.field.name);
    let field = path.join("/");
    let op = p.operator.kind;
    match &p.operand {
        Operand::Single { value } => {
            if let ValueKind::CrossFilter { filter } = &value.kind {
                let inner = to_odata(filter, &path, 0)?;
                return Ok(if negate {
                    format!("not ({inner})")
                } else {
                    inner
                });
            }
            if let ValueKind::String(s) = &value.kind {
                if s.has_wildcard() && op == OperatorKind::Eq {
                    return wildcard(&field, s, value.span);
                }
            }
            let word = match (op, negate) {
                (OperatorKind::Eq, true) => "ne",
                (OperatorKind::Lt, _) => "lt",
                (OperatorKind::Gt, _) => "gt",
                (OperatorKind::Le, _) => "le",
                (OperatorKind::Ge, _) => "ge",
                // EQ (IN and BTW have their own operands).
                _ => "eq",
            };
            let text = format!("{field} {word} {}", odata_value(value)?);
            Ok(if negate && op != OperatorKind::Eq {
                format!("not ({text})")
            } else {
                text
            })
        }
        Operand::List { values } => {
            let items: Result<Vec<String>, _> = values.iter().map(odata_value).collect();
            let text = format!("{field} in ({})", items?.join(","));
            Ok(if negate {
                format!("not ({text})")
            } else {
                text
            })
        }
        Operand::Range { low, high } => {
            let text = format!(
                "({field} ge {} and {field} le {})",
                odata_value(low)?,
                odata_value(high)?
            );
            Ok(if negate { format!("not {text}") } else { text })
        }
    }
}

fn wildcard(field: &str, s: &Str, span: Span) -> Result<String, Vec<Diagnostic>> {
    let v = &s.value;
    let inner = v.trim_matches('*');
    if inner.contains('*') || inner.is_empty() {
        return Err(vec![no_odata(
            span,
            "a pattern with `*` inside",
            "OData has startswith, endswith and contains: one `*` at the start, the end, or both",
        )]);
    }
    let quoted = quote(inner);
    Ok(match (v.starts_with('*'), v.ends_with('*')) {
        (true, true) => format!("contains({field},{quoted})"),
        (false, true) => format!("startswith({field},{quoted})"),
        _ => format!("endswith({field},{quoted})"),
    })
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn odata_value(value: &Value) -> Result<String, Vec<Diagnostic>> {
    Ok(match &value.kind {
        ValueKind::Number(n) => n.text.clone(),
        ValueKind::Boolean { value } => value.to_string(),
        ValueKind::Null | ValueKind::NullReference => "null".to_owned(),
        ValueKind::String(s) if s.kind == StrKind::Text => quote(&s.value),
        // Dates and date-times are bare literals in OData 4.
        ValueKind::String(s) => s.value.clone(),
        ValueKind::CurrentUser | ValueKind::CurrentRelease => {
            return Err(vec![no_odata(
                value.span,
                &format!("`{value}`"),
                "put the id itself in the filter",
            )]);
        }
        ValueKind::CrossFilter { .. } => {
            return Err(vec![no_odata(
                value.span,
                "a cross-filter here",
                "a cross-filter translates after EQ only",
            )]);
        }
    })
}
