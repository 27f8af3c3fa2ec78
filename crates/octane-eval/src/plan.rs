//! A query compiled once into an evaluation plan: field names resolved to
//! ids, literals pre-parsed, wildcards compiled; then run over the rows
//! with three-valued logic.

use std::cell::RefCell;
use std::cmp::Ordering;

use octane_query::temporal::{self, Temporal};
use octane_query::{
    Diagnostic, Expr, ExprKind, Operand, OperatorKind, Severity, Span, Value, ValueKind,
};

use crate::dataset::{Cell, Dataset, FieldId, RowId};
use crate::text::{Pattern, compare};

/// How the evaluator reads what the docs leave open.
#[derive(Clone, Debug)]
pub struct EvalOptions {
    /// The id of the user `[current_user]` stands for.
    pub current_user: Option<String>,
    /// The id of the release `[current_release]` stands for.
    pub current_release: Option<String>,
    /// Compare strings case-sensitively (default: no, as Octane's
    /// database collation does).
    pub case_sensitive: bool,
    /// How a comparison with a missing value reads (default:
    /// [`Missing::Unknown`]).
    pub missing: Missing,
}

impl Default for EvalOptions {
    fn default() -> Self {
        Self {
            current_user: None,
            current_release: None,
            case_sensitive: false,
            missing: Missing::Unknown,
        }
    }
}

/// What a comparison with a missing value (`null`, an absent field, no
/// referenced entity) gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// Unknown, as in SQL: neither the phrase nor its negation with `!`
    /// matches. `!name EQ ^a^` skips entities without a name.
    Unknown,
    /// False: the phrase does not match, so its negation does.
    /// `!name EQ ^a^` includes entities without a name.
    False,
}

/// A literal, pre-parsed for every way a cell may compare with it: the
/// cell's kind (from the schema) decides which reading counts.
#[derive(Clone, Debug, Default)]
struct Literal {
    /// Whether it is a bare number (`5`, not `^5^`): it then compares
    /// with numbers only, except in a text field.
    bare_number: bool,
    text: Option<Box<str>>,
    number: Option<f64>,
    time: Option<Temporal>,
    boolean: Option<bool>,
    pattern: Option<Pattern>,
}

impl Literal {
    fn new(value: &Value) -> Self {
        match &value.kind {
            ValueKind::Number(n) => Literal {
                bare_number: true,
                text: Some(n.text.as_str().into()),
                number: Some(n.as_f64()),
                ..Literal::default()
            },
            ValueKind::Boolean { value } => Literal {
                boolean: Some(*value),
                ..Literal::default()
            },
            ValueKind::String(s) => Literal {
                number: s.value.trim().parse().ok().filter(|n: &f64| n.is_finite()),
                time: temporal::parse(&s.value),
                pattern: s.has_wildcard().then(|| Pattern::new(&s.value)),
                text: Some(s.value.as_str().into()),
                boolean: None,
                bare_number: false,
            },
            _ => Literal::default(),
        }
    }
}

/// One node of a plan.
#[derive(Clone, Debug)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// `field OP literal`.
    Compare {
        field: FieldId,
        /// `field`'s place in [`Plan::columns`].
        column: u32,
        op: OperatorKind,
        literal: Literal,
    },
    /// `field BTW low...high`.
    Between {
        field: FieldId,
        column: u32,
        low: Literal,
        high: Literal,
    },
    /// `field EQ null` / `field EQ {null}`.
    IsNull {
        field: FieldId,
        column: u32,
    },
    /// `field EQ {...}`: a referenced entity matches `filter`.
    Cross {
        field: FieldId,
        column: u32,
        filter: Box<Node>,
        /// This cross-filter's slot in [`Plan::targets`].
        slot: usize,
    },
    /// `field EQ [current_user]` on a reference, or `id EQ [current_user]`:
    /// the field references, or is, the entity with this id.
    Is {
        field: FieldId,
        column: u32,
        id: Box<str>,
    },
    /// A special value with no id given (already reported).
    Absent,
}

/// A compiled query.
#[derive(Clone, Debug)]
pub struct Plan {
    root: Node,
    fold: bool,
    missing: Missing,
    /// For each cross-filter, what its filter gave on each target row
    /// already seen (0: not yet; else [`Truth::code`]): many rows
    /// reference few targets (list nodes, users, releases), and a target
    /// is judged once per query, not once per referencing row.
    targets: RefCell<Vec<Vec<u8>>>,
    /// The fields the plan reads.
    columns: Vec<FieldId>,
    /// For each shape of the dataset, then each column: how far the
    /// field's cell lies past a row's first cell ([`ABSENT`] if the shape
    /// lacks the field). A cell is found with one load instead of a search
    /// of the row's fields.
    offsets: Vec<u32>,
}

/// A field a shape does not have.
const ABSENT: u32 = u32::MAX;

/// Three-valued truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Truth {
    True,
    False,
    Unknown,
}

impl Truth {
    fn from(b: bool) -> Self {
        if b { Truth::True } else { Truth::False }
    }

    /// A non-zero byte for the cache.
    fn code(self) -> u8 {
        match self {
            Truth::True => 1,
            Truth::False => 2,
            Truth::Unknown => 3,
        }
    }

    fn decode(code: u8) -> Option<Truth> {
        match code {
            1 => Some(Truth::True),
            2 => Some(Truth::False),
            3 => Some(Truth::Unknown),
            _ => None,
        }
    }
}

/// Numbers what `node` needs numbered, in one walk: each cross-filter its
/// slot in [`Plan::targets`] (from `cross_filters`), and each field it
/// reads its place in `columns` (adding the new ones).
fn number(node: &mut Node, cross_filters: &mut usize, columns: &mut Vec<FieldId>) {
    let mut place = |field: FieldId| -> u32 {
        let at = columns.iter().position(|&f| f == field).unwrap_or_else(|| {
            columns.push(field);
            columns.len() - 1
        });
        u32::try_from(at).unwrap_or(ABSENT)
    };
    match node {
        Node::And(nodes) | Node::Or(nodes) => {
            for node in nodes {
                number(node, cross_filters, columns);
            }
        }
        Node::Not(node) => number(node, cross_filters, columns),
        Node::Cross {
            field,
            column,
            filter,
            slot,
        } => {
            *column = place(*field);
            *slot = *cross_filters;
            *cross_filters += 1;
            number(filter, cross_filters, columns);
        }
        Node::Compare { field, column, .. }
        | Node::Between { field, column, .. }
        | Node::IsNull { field, column }
        | Node::Is { field, column, .. } => *column = place(*field),
        Node::Absent => {}
    }
}

impl Plan {
    /// Compiles `expr` for `dataset`. Fails when the query uses
    /// `[current_user]` or `[current_release]` and the options give none.
    pub fn compile(
        expr: &Expr,
        dataset: &Dataset,
        options: &EvalOptions,
    ) -> Result<Plan, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut root = compile(expr, dataset, options, &mut errors);
        let (mut cross_filters, mut columns) = (0, Vec::new());
        number(&mut root, &mut cross_filters, &mut columns);
        let mut offsets = Vec::with_capacity(dataset.shape_count() * columns.len());
        for shape in 0..dataset.shape_count() {
            let (fields, stride) = (dataset.shape_fields(shape), dataset.stride(shape));
            offsets.extend(columns.iter().map(|field| {
                fields
                    .binary_search(field)
                    .ok()
                    .and_then(|at| u32::try_from(at).ok()?.checked_mul(stride))
                    .unwrap_or(ABSENT)
            }));
        }
        if errors.is_empty() {
            Ok(Plan {
                root,
                fold: !options.case_sensitive,
                missing: options.missing,
                targets: RefCell::new(vec![Vec::new(); cross_filters]),
                columns,
                offsets,
            })
        } else {
            Err(errors)
        }
    }

    /// Whether `row` matches.
    pub fn matches(&self, dataset: &Dataset, row: RowId) -> bool {
        self.eval(&self.root, dataset, row) == Truth::True
    }

    /// Keeps the rows of `rows` that match, in their order: what
    /// `rows.retain(|&r| plan.matches(dataset, r))` keeps, found a phrase
    /// at a time. A conjunction keeps a row only where every part is true,
    /// so each part filters what the parts before it kept, and the common
    /// phrases run as loops of their own rather than as a walk of the
    /// tree for every row.
    pub fn filter(&self, dataset: &Dataset, rows: &mut Vec<RowId>) {
        self.keep(&self.root, dataset, rows);
    }

    /// Keeps the rows of `rows` on which `node` is true.
    fn keep(&self, node: &Node, dataset: &Dataset, rows: &mut Vec<RowId>) {
        match node {
            Node::And(nodes) => {
                for node in nodes {
                    if rows.is_empty() {
                        return;
                    }
                    self.keep(node, dataset, rows);
                }
            }
            // A number against a number: the usual `story_points GT 3`.
            Node::Compare {
                column,
                op,
                literal:
                    Literal {
                        number: Some(number),
                        pattern: None,
                        ..
                    },
                ..
            } => {
                let (op, number) = (*op, *number);
                rows.retain(|&id| match self.cell(dataset, id, *column) {
                    Some(Cell::Number(n)) => {
                        n.partial_cmp(&number).is_some_and(|order| holds(op, order))
                    }
                    _ => self.eval(node, dataset, id) == Truth::True,
                });
            }
            // Never unknown: true where the value is present.
            Node::Not(inner) => match **inner {
                Node::IsNull { column, .. } => rows.retain(|&id| {
                    !matches!(self.cell(dataset, id, column), None | Some(Cell::Null))
                }),
                _ => self.keep_each(node, dataset, rows),
            },
            Node::IsNull { column, .. } => rows
                .retain(|&id| matches!(self.cell(dataset, id, *column), None | Some(Cell::Null))),
            // A single reference looks its target up in the judged ones;
            // anything else takes the general way.
            Node::Cross {
                column,
                filter,
                slot,
                ..
            } => {
                let mut seen = self.take_judged(*slot, dataset);
                let mut matching =
                    |target| self.judge(&mut seen, filter, dataset, target) == Truth::True;
                rows.retain(|&id| match self.cell(dataset, id, *column) {
                    Some(&Cell::Ref(target)) => matching(target),
                    Some(&Cell::Refs(targets)) => {
                        dataset.refs(targets).iter().any(|&t| matching(t))
                    }
                    // Missing is never true; any other value is false.
                    _ => false,
                });
                self.put_judged(*slot, seen);
            }
            _ => self.keep_each(node, dataset, rows),
        }
    }

    /// Keeps the rows of `rows` on which `node` is true, judged row by row.
    fn keep_each(&self, node: &Node, dataset: &Dataset, rows: &mut Vec<RowId>) {
        rows.retain(|&id| self.eval(node, dataset, id) == Truth::True);
    }

    /// The cell of row `id` in `column`, if the row has that field.
    #[inline]
    fn cell<'d>(&self, dataset: &'d Dataset, id: RowId, column: u32) -> Option<&'d Cell> {
        let place = dataset.place(id);
        let at = place.shape as usize * self.columns.len() + column as usize;
        match self.offsets.get(at) {
            Some(&ABSENT) => None,
            Some(&offset) => dataset.cell_at(place, offset),
            // A row of another dataset's shape.
            None => dataset.cell(id, *self.columns.get(column as usize)?),
        }
    }

    fn missing(&self) -> Truth {
        match self.missing {
            Missing::Unknown => Truth::Unknown,
            Missing::False => Truth::False,
        }
    }

    fn eval(&self, node: &Node, dataset: &Dataset, row: RowId) -> Truth {
        match node {
            Node::And(nodes) => {
                let mut result = Truth::True;
                for node in nodes {
                    match self.eval(node, dataset, row) {
                        Truth::False => return Truth::False,
                        Truth::Unknown => result = Truth::Unknown,
                        Truth::True => {}
                    }
                }
                result
            }
            Node::Or(nodes) => {
                let mut result = Truth::False;
                for node in nodes {
                    match self.eval(node, dataset, row) {
                        Truth::True => return Truth::True,
                        Truth::Unknown => result = Truth::Unknown,
                        Truth::False => {}
                    }
                }
                result
            }
            Node::Not(node) => match self.eval(node, dataset, row) {
                Truth::True => Truth::False,
                Truth::False => Truth::True,
                Truth::Unknown => Truth::Unknown,
            },
            Node::Compare {
                column,
                op,
                literal,
                ..
            } => match self.cell(dataset, row, *column) {
                None | Some(Cell::Null) => self.missing(),
                Some(cell) => Truth::from(self.compare(dataset, cell, *op, literal)),
            },
            Node::Between {
                column, low, high, ..
            } => match self.cell(dataset, row, *column) {
                None | Some(Cell::Null) => self.missing(),
                Some(cell) => Truth::from(
                    self.order(dataset, cell, low).is_some_and(Ordering::is_ge)
                        && self.order(dataset, cell, high).is_some_and(Ordering::is_le),
                ),
            },
            Node::IsNull { column, .. } => Truth::from(matches!(
                self.cell(dataset, row, *column),
                None | Some(Cell::Null)
            )),
            Node::Cross {
                column,
                filter,
                slot,
                ..
            } => match self.cell(dataset, row, *column) {
                Some(Cell::Ref(target)) => self.target(*slot, filter, dataset, *target),
                // A multi-value reference contains one that matches.
                Some(Cell::Refs(targets)) => Truth::from(
                    dataset
                        .refs(*targets)
                        .iter()
                        .any(|t| self.target(*slot, filter, dataset, *t) == Truth::True),
                ),
                None | Some(Cell::Null) => self.missing(),
                Some(_) => Truth::False,
            },
            Node::Is { column, id, .. } => match self.cell(dataset, row, *column) {
                Some(Cell::Ref(target)) => {
                    Truth::from(dataset.id_of(dataset.row(*target)) == &**id)
                }
                Some(Cell::Refs(targets)) => Truth::from(
                    dataset
                        .refs(*targets)
                        .iter()
                        .any(|t| dataset.id_of(dataset.row(*t)) == &**id),
                ),
                Some(Cell::Text(text)) => Truth::from(dataset.text(*text) == &**id),
                Some(Cell::Untyped(index)) => {
                    Truth::from(dataset.text(dataset.untyped(*index).text) == &**id)
                }
                Some(Cell::Number(n)) => Truth::from(id.parse::<f64>().ok() == Some(*n)),
                None | Some(Cell::Null) => self.missing(),
                Some(_) => Truth::False,
            },
            Node::Absent => self.missing(),
        }
    }

    /// What cross-filter `slot`'s `filter` gives on `target`, judged once.
    fn target(&self, slot: usize, filter: &Node, dataset: &Dataset, target: RowId) -> Truth {
        let mut seen = self.take_judged(slot, dataset);
        let truth = self.judge(&mut seen, filter, dataset, target);
        self.put_judged(slot, seen);
        truth
    }

    /// Cross-filter `slot`'s judgements (see [`Plan::targets`]), sized for
    /// every row, taken out while they are used: the filter may hold other
    /// cross-filters, never this one. [`Plan::put_judged`] puts them back.
    fn take_judged(&self, slot: usize, dataset: &Dataset) -> Vec<u8> {
        let mut seen = self
            .targets
            .borrow_mut()
            .get_mut(slot)
            .map(std::mem::take)
            .unwrap_or_default();
        seen.resize(dataset.row_count(), 0);
        seen
    }

    /// Puts back what [`Plan::take_judged`] took.
    fn put_judged(&self, slot: usize, seen: Vec<u8>) {
        if let Some(place) = self.targets.borrow_mut().get_mut(slot) {
            *place = seen;
        }
    }

    /// What `filter` gives on `target`, judged once: `seen` keeps what it
    /// gave on each row already judged.
    fn judge(&self, seen: &mut [u8], filter: &Node, dataset: &Dataset, target: RowId) -> Truth {
        let index = target as usize;
        if let Some(truth) = seen.get(index).copied().and_then(Truth::decode) {
            return truth;
        }
        let truth = self.eval(filter, dataset, target);
        if let Some(code) = seen.get_mut(index) {
            *code = truth.code();
        }
        truth
    }

    fn compare(&self, dataset: &Dataset, cell: &Cell, op: OperatorKind, literal: &Literal) -> bool {
        if op == OperatorKind::Eq {
            if let Some(pattern) = &literal.pattern {
                match *cell {
                    Cell::Text(text) => return pattern.matches(dataset.text(text), self.fold),
                    Cell::Untyped(index) => {
                        return pattern
                            .matches(dataset.text(dataset.untyped(index).text), self.fold);
                    }
                    _ => {}
                }
            }
        }
        let Some(order) = self.order(dataset, cell, literal) else {
            return false;
        };
        holds(op, order)
    }

    /// How `cell` orders against `literal`, when they are comparable, by
    /// the cell's kind: numbers numerically (ids written as strings
    /// included), text as text, dates and date-times in time (a date
    /// literal against a date-time is its whole UTC day, see
    /// [`Temporal::cmp_to`]), booleans as booleans. A value of a field the
    /// schema does not know compares as a number or in time when both
    /// sides read so, as text otherwise (but never with a bare number).
    fn order(&self, dataset: &Dataset, cell: &Cell, literal: &Literal) -> Option<Ordering> {
        match *cell {
            Cell::Number(n) => n.partial_cmp(&literal.number?),
            Cell::Text(text) => Some(compare(
                dataset.text(text),
                literal.text.as_deref()?,
                self.fold,
            )),
            Cell::Time(time) => Some(time.cmp_to(literal.time?)),
            Cell::Untyped(index) => {
                let untyped = dataset.untyped(index);
                match (
                    untyped.number.zip(literal.number),
                    untyped.time.zip(literal.time),
                ) {
                    (Some((a, b)), _) => a.partial_cmp(&b),
                    (None, Some((a, b))) => Some(a.cmp_to(b)),
                    (None, None) if literal.bare_number => None,
                    (None, None) => Some(compare(
                        dataset.text(untyped.text),
                        literal.text.as_deref()?,
                        self.fold,
                    )),
                }
            }
            Cell::Bool(b) => Some(b.cmp(&literal.boolean?)),
            _ => None,
        }
    }
}

/// Whether comparison `op` holds for a value that orders as `order`
/// against the literal.
fn holds(op: OperatorKind, order: Ordering) -> bool {
    match op {
        OperatorKind::Lt => order.is_lt(),
        OperatorKind::Gt => order.is_gt(),
        OperatorKind::Le => order.is_le(),
        OperatorKind::Ge => order.is_ge(),
        _ => order.is_eq(),
    }
}

fn compile(
    expr: &Expr,
    dataset: &Dataset,
    options: &EvalOptions,
    errors: &mut Vec<Diagnostic>,
) -> Node {
    match &expr.kind {
        ExprKind::And { operands } => Node::And(
            operands
                .iter()
                .map(|e| compile(e, dataset, options, errors))
                .collect(),
        ),
        ExprKind::Or { operands } => Node::Or(
            operands
                .iter()
                .map(|e| compile(e, dataset, options, errors))
                .collect(),
        ),
        ExprKind::Not { operand } => {
            Node::Not(Box::new(compile(operand, dataset, options, errors)))
        }
        ExprKind::Error { .. } => {
            errors.push(
                Diagnostic::with_code(
                    crate::diagnostics::EvalErrorKind::BrokenQuery.code(),
                    Severity::Error,
                    expr.span,
                    "this part of the query could not be read, so it cannot run",
                )
                .with_help("run the tree of a query without errors (`Parsed::query`)"),
            );
            Node::Absent
        }
        ExprKind::Phrase(phrase) => {
            // A field no row has is never found: every comparison with it
            // reads as missing.
            let field = dataset.field(&phrase.field.name).unwrap_or(FieldId::MAX);
            let op = phrase.operator.kind;
            match &phrase.operand {
                Operand::Single { value } => single(field, op, value, dataset, options, errors),
                // IN is an OR over its values.
                Operand::List { values } => Node::Or(
                    values
                        .iter()
                        .map(|v| single(field, OperatorKind::Eq, v, dataset, options, errors))
                        .collect(),
                ),
                Operand::Range { low, high } => Node::Between {
                    field,
                    column: 0,
                    low: Literal::new(low),
                    high: Literal::new(high),
                },
            }
        }
    }
}

fn single(
    field: FieldId,
    op: OperatorKind,
    value: &Value,
    dataset: &Dataset,
    options: &EvalOptions,
    errors: &mut Vec<Diagnostic>,
) -> Node {
    match &value.kind {
        ValueKind::Null | ValueKind::NullReference => Node::IsNull { field, column: 0 },
        ValueKind::CrossFilter { filter } => Node::Cross {
            field,
            column: 0,
            filter: Box::new(compile(filter, dataset, options, errors)),
            slot: 0,
        },
        ValueKind::CurrentUser => special(
            field,
            options.current_user.as_deref(),
            "[current_user]",
            "currentUser",
            value.span,
            errors,
        ),
        ValueKind::CurrentRelease => special(
            field,
            options.current_release.as_deref(),
            "[current_release]",
            "currentRelease",
            value.span,
            errors,
        ),
        _ => Node::Compare {
            field,
            column: 0,
            op,
            literal: Literal::new(value),
        },
    }
}

fn special(
    field: FieldId,
    id: Option<&str>,
    written: &str,
    option: &str,
    span: Span,
    errors: &mut Vec<Diagnostic>,
) -> Node {
    if let Some(id) = id {
        return Node::Is {
            field,
            column: 0,
            id: id.into(),
        };
    }
    errors.push(
        Diagnostic::with_code(
            crate::diagnostics::EvalErrorKind::MissingContext.code(),
            Severity::Error,
            span,
            format!("`{written}` needs to know who or what it stands for"),
        )
        .with_help(format!("pass the `{option}` option (an id)")),
    );
    Node::Absent
}
