//! `$filter` expressions: a Pratt parser following the OData 4.01
//! operator precedence table, grouping left to right.
//!
//! | rank | operators |
//! |---|---|
//! | primary | `/` navigation, `f(...)` calls, `has`, `in` |
//! | unary | `-`, `not` |
//! | multiplicative | `mul div divby mod` |
//! | additive | `add sub` |
//! | relational | `gt ge lt le` |
//! | equality | `eq ne` |
//! | conditional and | `and` |
//! | conditional or | `or` |

use octane_query::{Diagnostic, Severity, Span};

use crate::diagnostics::ODataErrorKind;

/// An expression and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Its text.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `'abc'`, `42`, `true`, `null`, `2017-08-24T00:00:00Z`, ...
    Literal(Literal),
    /// `release/name`, `Items/$count`, `$it`: a member path.
    Path(Vec<Segment>),
    /// `contains(name,'x')`, `Model.Fn(a=1)`: a function call.
    Call {
        /// The function's name (qualified or not).
        name: String,
        /// Its arguments (named arguments keep their value only).
        args: Vec<Expr>,
    },
    /// `not e` or `-e`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
    },
    /// `a op b`.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// The left operand.
        left: Box<Expr>,
        /// The right operand.
        right: Box<Expr>,
    },
    /// `('a','b')` or `["a","b"]`: a list (the right side of `in`).
    List(Vec<Expr>),
    /// `{"a":1}`: a JSON object literal, as written.
    Json(String),
}

/// One step of a member path.
#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    /// `name`, `Model.Type`, `$it`, `$this`, `$root`, `@Core.Messages`.
    Name(String),
    /// `$count`, optionally with options in parentheses.
    Count,
    /// `Fn(...)` bound to the path.
    Call {
        /// The function's name.
        name: String,
        /// Its arguments.
        args: Vec<Expr>,
    },
    /// `any(x: ...)` or `all(x: ...)`.
    Lambda {
        /// `any` or `all`.
        all: bool,
        /// The range variable and body; `any()` has none.
        body: Option<(String, Box<Expr>)>,
    },
}

/// Literal values.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `null`
    Null,
    /// `true`, `false`
    Boolean(bool),
    /// `42`, `-3`
    Integer(String),
    /// `2.45`, `1e3`, `INF`, `NaN`
    Decimal(String),
    /// `'O''Neil'` (escapes resolved) or `"text"` inside JSON arrays.
    String(String),
    /// `2017-08-24`
    Date(String),
    /// `2017-08-24T00:00:00Z`, also `datetimeoffset'...'` and the older
    /// `datetime'...'`.
    DateTimeOffset(String),
    /// `13:20:00`
    TimeOfDay(String),
    /// `duration'P1D'`
    Duration(String),
    /// A GUID, bare or `guid'...'`.
    Guid(String),
    /// `Namespace.Type'Value'`, `binary'...'`, `geography'...'`, ...
    Other(String),
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Negate,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `eq`
    Eq,
    /// `ne`
    Ne,
    /// `gt`
    Gt,
    /// `ge`
    Ge,
    /// `lt`
    Lt,
    /// `le`
    Le,
    /// `and`
    And,
    /// `or`
    Or,
    /// `has`
    Has,
    /// `in`
    In,
    /// `add`
    Add,
    /// `sub`
    Sub,
    /// `mul`
    Mul,
    /// `div`
    Div,
    /// `divby`
    DivBy,
    /// `mod`
    Mod,
}

impl BinaryOp {
    const WORDS: [(&'static str, BinaryOp); 16] = [
        ("eq", BinaryOp::Eq),
        ("ne", BinaryOp::Ne),
        ("gt", BinaryOp::Gt),
        ("ge", BinaryOp::Ge),
        ("lt", BinaryOp::Lt),
        ("le", BinaryOp::Le),
        ("and", BinaryOp::And),
        ("or", BinaryOp::Or),
        ("has", BinaryOp::Has),
        ("in", BinaryOp::In),
        ("add", BinaryOp::Add),
        ("sub", BinaryOp::Sub),
        ("mul", BinaryOp::Mul),
        ("div", BinaryOp::Div),
        ("divby", BinaryOp::DivBy),
        ("mod", BinaryOp::Mod),
    ];

    /// The operator named `word` (any letter case, as 4.01 allows).
    pub fn from_word(word: &str) -> Option<Self> {
        Self::WORDS
            .iter()
            .find(|(w, _)| w.eq_ignore_ascii_case(word))
            .map(|(_, op)| *op)
    }

    /// The operator's word.
    pub fn as_str(self) -> &'static str {
        Self::WORDS
            .iter()
            .find(|(_, op)| *op == self)
            .map_or("", |(w, _)| w)
    }

    /// Binding power: higher binds tighter.
    pub fn power(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq | BinaryOp::Ne => 3,
            BinaryOp::Gt | BinaryOp::Ge | BinaryOp::Lt | BinaryOp::Le => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::DivBy | BinaryOp::Mod => 6,
            BinaryOp::Has | BinaryOp::In => 8,
        }
    }
}

/// The binding power of `not` and `-`.
const UNARY_POWER: u8 = 7;
/// Deepest nesting accepted: parentheses, prefix operators and each
/// operator of a chain count one level each.
pub const MAX_DEPTH: usize = 128;

/// Parses an expression, `offset` being its position in the whole input
/// (for spans).
pub fn parse_expr(text: &str, offset: u32) -> Result<Expr, Diagnostic> {
    let mut parser = Parser {
        text,
        pos: 0,
        offset,
        depth: 0,
        args: 0,
    };
    parser.space();
    let expr = parser.expr(0)?;
    parser.space();
    if parser.pos < text.len() {
        return Err(parser.error(
            "unexpected text after the expression",
            "join conditions with `and` or `or`",
        ));
    }
    Ok(expr)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    offset: u32,
    depth: usize,
    /// How many call argument lists enclose the cursor: a bare qualified
    /// name (a type, as in `cast(x,Edm.String)`) is an argument only.
    args: usize,
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn span(&self, start: usize) -> Span {
        Span::new(self.offset + start as u32, self.offset + self.pos as u32)
    }

    fn error(&self, message: &str, help: &str) -> Diagnostic {
        let len = self.rest().chars().next().map_or(0, char::len_utf8);
        let start = self.offset + self.pos as u32;
        Diagnostic::with_code(
            ODataErrorKind::Syntax.code(),
            Severity::Error,
            Span::new(start, start + len as u32),
            message,
        )
        .with_help(help)
    }

    fn space(&mut self) {
        let bytes = self.text.as_bytes();
        while matches!(bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Consumes `byte` (ASCII) if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        if self.text.as_bytes().get(self.pos) == Some(&byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The word at the cursor, if any (not consumed).
    fn word(&self) -> &'a str {
        self.run(is_ident)
    }

    /// The longest run at the cursor of characters that `keep` (true for
    /// ASCII letters, digits and `_` at least) accepts: ASCII read byte by
    /// byte, the rest by character.
    fn run(&self, keep: impl Fn(char) -> bool) -> &'a str {
        let rest = self.rest();
        let bytes = rest.as_bytes();
        let mut end = 0;
        while let Some(&byte) = bytes.get(end) {
            if byte >= 0x80 {
                end += rest[end..]
                    .find(|c: char| !keep(c))
                    .unwrap_or(rest.len() - end);
                break;
            }
            if !keep(char::from(byte)) {
                break;
            }
            end += 1;
        }
        &rest[..end]
    }

    fn expr(&mut self, min_power: u8) -> Result<Expr, Diagnostic> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error("the expression nests too deeply", "simplify it"));
        }
        let saved = self.depth;
        self.depth += 1;
        let result = self.expr_inner(min_power);
        self.depth = saved;
        result
    }

    fn expr_inner(&mut self, min_power: u8) -> Result<Expr, Diagnostic> {
        let start = self.pos;
        let mut left = self.unary()?;
        loop {
            let before = self.pos;
            self.space();
            let word = self.word();
            let Some(op) = BinaryOp::from_word(word) else {
                self.pos = before;
                break;
            };
            // A binary operator needs white space before it.
            if before == self.pos || op.power() < min_power {
                self.pos = before;
                break;
            }
            // Each operator of a chain (`a or b or c`) nests the tree one
            // level deeper: chains count toward the same bound as
            // parentheses, so that every walk of the tree stays shallow.
            if self.depth >= MAX_DEPTH {
                self.pos = before;
                self.space();
                return Err(self.error(
                    "the expression nests too deeply (a chain of operators counts each one)",
                    "write a long chain of `or` on one property as `in (...)`, or split the filter",
                ));
            }
            self.depth += 1;
            self.pos += word.len();
            self.space();
            let right = self.expr(op.power() + 1)?;
            // Parenthesised lists, not JSON arrays (which compare as values).
            let is_list = |e: &Expr| {
                matches!(e.kind, ExprKind::List(_))
                    && self.text[(e.span.start - self.offset) as usize..].starts_with('(')
            };
            if op != BinaryOp::In && (is_list(&left) || is_list(&right)) {
                // Where a parenthesised group would have closed: after the
                // list's first item.
                let list = if is_list(&left) { &left } else { &right };
                let first_end = match &list.kind {
                    ExprKind::List(items) => items.first().map_or(list.span.start, |i| i.span.end),
                    _ => list.span.start,
                };
                self.pos = (first_end - self.offset) as usize;
                return Err(self.error(
                    "a list can only stand right of `in`",
                    "write Name in ('a','b')",
                ));
            }
            if let ExprKind::List(items) = &right.kind {
                if let Some(item) = items
                    .iter()
                    .find(|i| !matches!(i.kind, ExprKind::Literal(_) | ExprKind::Json(_)))
                {
                    let bad = item.span.end - self.offset;
                    self.pos = bad as usize;
                    return Err(self.error(
                        "an `in` list holds literal values only",
                        "list literals: Name in ('a','b')",
                    ));
                }
            }
            left = Expr {
                span: self.span(start),
                kind: ExprKind::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.pos;
        let word = self.word();
        if word.eq_ignore_ascii_case("not")
            && self.text[self.pos + 3..].starts_with([' ', '(', '\t'])
        {
            self.pos += 3;
            self.space();
            let operand = self.expr(UNARY_POWER)?;
            return Ok(Expr {
                span: self.span(start),
                kind: ExprKind::Unary {
                    op: UnaryOp::Not,
                    operand: Box::new(operand),
                },
            });
        }
        if self.rest().starts_with('-')
            && !self.rest()[1..].starts_with(|c: char| c.is_ascii_digit())
        {
            self.pos += 1;
            self.space();
            let operand = self.expr(UNARY_POWER)?;
            return Ok(Expr {
                span: self.span(start),
                kind: ExprKind::Unary {
                    op: UnaryOp::Negate,
                    operand: Box::new(operand),
                },
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.pos;
        let rest = self.rest();
        let Some(c) = rest.chars().next() else {
            return Err(self.error(
                "expected an expression, found the end",
                "complete the expression",
            ));
        };
        let kind = match c {
            '(' => return self.group(),
            '[' => ExprKind::List(self.json_array()?),
            '{' => ExprKind::Json(self.json_object()?),
            '\'' => ExprKind::Literal(Literal::String(self.string()?)),
            '@' => {
                self.pos += 1;
                let name = self.qualified();
                if name.is_empty() {
                    return Err(self.error(
                        "expected a name after `@`",
                        "write a parameter alias such as @p1",
                    ));
                }
                return self.path_from(start, Segment::Name(format!("@{name}")));
            }
            '$' => {
                self.pos += 1;
                let name = self.word().to_owned();
                self.pos += name.len();
                return self.path_from(start, Segment::Name(format!("${name}")));
            }
            c if c.is_ascii_digit() || c == '-' => ExprKind::Literal(self.number_or_date()?),
            c if is_ident_start(c) => return self.name_or_literal(),
            _ => {
                return Err(self.error(
                    &format!("unexpected `{c}`"),
                    "expected a property, a literal or a function call",
                ));
            }
        };
        Ok(Expr {
            kind,
            span: self.span(start),
        })
    }

    fn group(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.pos;
        self.pos += 1;
        self.space();
        if self.eat(b')') {
            return Ok(Expr {
                kind: ExprKind::List(Vec::new()),
                span: self.span(start),
            });
        }
        let first = self.expr(0)?;
        self.space();
        if self.eat(b')') {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat(b',') {
            self.space();
            items.push(self.expr(0)?);
            self.space();
        }
        if !self.eat(b')') {
            return Err(self.error("expected `)`", "close the parenthesis"));
        }
        Ok(Expr {
            kind: ExprKind::List(items),
            span: self.span(start),
        })
    }

    /// `'...'` with `''` for a quote.
    fn string(&mut self) -> Result<String, Diagnostic> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = self.rest();
            let Some(i) = rest.find('\'') else {
                self.pos = open;
                return Err(self.error(
                    "this string has no closing `'`",
                    "close it with `'`; write `''` for a quote inside",
                ));
            };
            out.push_str(&rest[..i]);
            self.pos += i + 1;
            if self.rest().starts_with('\'') {
                out.push('\'');
                self.pos += 1;
            } else {
                return Ok(out);
            }
        }
    }

    /// A JSON value's text, balanced, with strings respected.
    fn json_text(&mut self) -> Result<String, Diagnostic> {
        let start = self.pos;
        let mut scanner = JsonScanner::default();
        for (i, c) in self.rest().char_indices() {
            if scanner.feed(c) == Some(Structure::Close) && scanner.depth == 0 {
                self.pos += i + 1;
                return Ok(self.text[start..self.pos].to_owned());
            }
        }
        Err(self.error(
            "this JSON literal is never closed",
            "close every `[` and `{`",
        ))
    }

    fn json_object(&mut self) -> Result<String, Diagnostic> {
        self.json_text()
    }

    /// `["a", 1, null]`: items as literals (nested JSON kept as text).
    fn json_array(&mut self) -> Result<Vec<Expr>, Diagnostic> {
        let start = self.pos;
        let text = self.json_text()?;
        let inner = &text[1..text.len() - 1];
        let mut items = Vec::new();
        for range in split_json_items(inner) {
            let raw = &inner[range.clone()];
            let trimmed = raw.trim();
            // The item's own text: after `[`, the item's offset and its
            // leading white space.
            let first = start + 1 + range.start + (raw.len() - raw.trim_start().len());
            if trimmed.is_empty() {
                continue;
            }
            let literal =
                if let Some(s) = trimmed.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                    ExprKind::Literal(Literal::String(s.replace("\\\"", "\"")))
                } else if trimmed == "null" {
                    ExprKind::Literal(Literal::Null)
                } else if trimmed == "true" || trimmed == "false" {
                    ExprKind::Literal(Literal::Boolean(trimmed == "true"))
                } else if trimmed.parse::<f64>().is_ok() {
                    ExprKind::Literal(number_literal(trimmed))
                } else {
                    ExprKind::Json(trimmed.to_owned())
                };
            items.push(Expr {
                kind: literal,
                span: Span::new(
                    self.offset + first as u32,
                    self.offset + (first + trimmed.len()) as u32,
                ),
            });
        }
        Ok(items)
    }

    /// A number, or a date, date-time, time of day or GUID that starts
    /// with digits.
    fn number_or_date(&mut self) -> Result<Literal, Diagnostic> {
        let rest = self.rest();
        let end = rest
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_alphanumeric()
                    || matches!(c, '-' | ':' | '.' | '+')
                    || (i == 0 && c == '-'))
            })
            .map_or(rest.len(), |(i, _)| i);
        let token = &rest[..end];
        if let Some(kind) = temporal(token) {
            self.pos += end;
            return Ok(kind);
        }
        // A plain number: optional sign, digits, fraction, exponent.
        let bytes = rest.as_bytes();
        let mut i = usize::from(bytes.first() == Some(&b'-'));
        let digits = |i: &mut usize| {
            let s = *i;
            while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > s
        };
        if !digits(&mut i) {
            return Err(self.error("expected a number", "write digits, such as 42 or -2.5"));
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                return Err(self.error(
                    "expected digits after the decimal point",
                    "write such as 2.5",
                ));
            }
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            let mut j = i + 1;
            if matches!(bytes.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            if digits(&mut j) {
                i = j;
            }
        }
        let text = rest[..i].to_owned();
        self.pos += i;
        Ok(number_literal(&text))
    }

    /// `name`, `Model.Name`: letters, digits, `_` and dots.
    fn qualified(&mut self) -> String {
        let name = self
            .run(|c| is_ident(c) || c == '.')
            .trim_end_matches('.')
            .to_owned();
        self.pos += name.len();
        name
    }

    /// A keyword literal, a typed literal (`datetimeoffset'...'`), a GUID,
    /// a function call, or a member path.
    fn name_or_literal(&mut self) -> Result<Expr, Diagnostic> {
        let start = self.pos;
        // Bare GUIDs start with letters sometimes.
        let rest = self.rest();
        if rest.get(..36).is_some_and(is_guid) {
            self.pos += 36;
            return Ok(Expr {
                kind: ExprKind::Literal(Literal::Guid(rest[..36].to_owned())),
                span: self.span(start),
            });
        }
        let name = self.qualified();
        let lower = name.to_ascii_lowercase();
        if self.rest().starts_with('\'') {
            let value = self.string()?;
            let literal = match lower.as_str() {
                "datetimeoffset" | "datetime" => Literal::DateTimeOffset(value),
                "date" => Literal::Date(value),
                "guid" => Literal::Guid(value),
                "duration" | "time" if value.starts_with(['P', 'p', '-']) => {
                    Literal::Duration(value)
                }
                "time" => Literal::TimeOfDay(value),
                _ => Literal::Other(format!("{name}'{value}'")),
            };
            return Ok(Expr {
                kind: ExprKind::Literal(literal),
                span: self.span(start),
            });
        }
        let keyword = match lower.as_str() {
            "null" => Some(Literal::Null),
            "true" => Some(Literal::Boolean(true)),
            "false" => Some(Literal::Boolean(false)),
            "inf" | "nan" => Some(Literal::Decimal(name.clone())),
            _ => None,
        };
        if let Some(literal) = keyword {
            if !self.rest().starts_with(['/', '(']) {
                return Ok(Expr {
                    kind: ExprKind::Literal(literal),
                    span: self.span(start),
                });
            }
        }
        if self.rest().starts_with('(') {
            if lower == "any" || lower == "all" {
                return Err(self.error(
                    &format!("`{lower}` needs a collection before it"),
                    "write Items/any(i: i/Price gt 5)",
                ));
            }
            let args = self.arguments()?;
            if !self.rest().starts_with('/') {
                return Ok(Expr {
                    kind: ExprKind::Call { name, args },
                    span: self.span(start),
                });
            }
            return self.path_from(start, Segment::Call { name, args });
        }
        if name.contains('.')
            && !(self.rest().starts_with('/')
                || (self.args > 0 && self.rest().starts_with([')', ','])))
        {
            return Err(self.error(
                &format!("`{name}` is a qualified name without a call"),
                "call the function with parentheses, Model.Fn(), or cast a path: Address/Model.Type/Street",
            ));
        }
        self.path_from(start, Segment::Name(name))
    }

    /// `(a, b=1, ...)` after a function name.
    fn arguments(&mut self) -> Result<Vec<Expr>, Diagnostic> {
        self.pos += 1;
        self.space();
        let mut args = Vec::new();
        if self.eat(b')') {
            return Ok(args);
        }
        loop {
            // Named argument `name=value`: keep the value.
            let word = self.word().to_owned();
            let after = &self.text[self.pos + word.len()..];
            if !word.is_empty()
                && after.trim_start().starts_with('=')
                && !after.trim_start().starts_with("==")
            {
                self.pos += word.len();
                self.space();
                self.eat(b'=');
                self.space();
            }
            self.args += 1;
            let arg = self.expr(0);
            self.args -= 1;
            args.push(arg?);
            self.space();
            if self.eat(b')') {
                return Ok(args);
            }
            if !self.eat(b',') {
                return Err(self.error(
                    "expected `,` or `)` in the argument list",
                    "separate arguments with commas",
                ));
            }
            self.space();
        }
    }

    /// Continues a member path after its first segment: `/name`, `/$count`,
    /// `/any(x:...)`, `/Fn(...)`.
    fn path_from(&mut self, start: usize, first: Segment) -> Result<Expr, Diagnostic> {
        let mut segments = vec![first];
        while self.rest().starts_with('/') {
            self.pos += 1;
            if self.rest().starts_with('$') {
                self.pos += 1;
                let word = self.word().to_owned();
                self.pos += word.len();
                if word.eq_ignore_ascii_case("count") {
                    if self.rest().starts_with('(') {
                        // `$count($filter=...)`: options are accepted as text.
                        self.skip_balanced()?;
                    }
                    segments.push(Segment::Count);
                } else if word.eq_ignore_ascii_case("filter") && self.rest().starts_with('(') {
                    // `Addresses/$filter(...)`: a filtered collection.
                    self.skip_balanced()?;
                    segments.push(Segment::Name("$filter".to_owned()));
                } else {
                    segments.push(Segment::Name(format!("${word}")));
                }
                continue;
            }
            if self.rest().starts_with('@') {
                self.pos += 1;
                let mut name = self.qualified();
                // `@Term#Qualifier`
                if self.eat(b'#') {
                    let qualifier = self.word();
                    self.pos += qualifier.len();
                    name = format!("{name}#{qualifier}");
                }
                segments.push(Segment::Name(format!("@{name}")));
                continue;
            }
            let name = self.qualified();
            if name.is_empty() {
                if self.rest().starts_with('*') {
                    self.pos += 1;
                    segments.push(Segment::Name("*".to_owned()));
                    continue;
                }
                return Err(self.error(
                    "expected a name after `/`",
                    "write a property name, such as release/name",
                ));
            }
            let lower = name.to_ascii_lowercase();
            if (lower == "any" || lower == "all") && self.rest().starts_with('(') {
                segments.push(self.lambda(lower == "all")?);
            } else if self.rest().starts_with('(') {
                let args = self.arguments()?;
                segments.push(Segment::Call { name, args });
            } else {
                segments.push(Segment::Name(name));
            }
        }
        Ok(Expr {
            kind: ExprKind::Path(segments),
            span: self.span(start),
        })
    }

    fn lambda(&mut self, all: bool) -> Result<Segment, Diagnostic> {
        self.pos += 1;
        self.space();
        if self.eat(b')') {
            if all {
                return Err(self.error("`all()` needs a condition", "write all(x: x/name eq 'a')"));
            }
            return Ok(Segment::Lambda { all, body: None });
        }
        let variable = self.word().to_owned();
        self.pos += variable.len();
        self.space();
        if variable.is_empty() || !self.eat(b':') {
            return Err(self.error(
                "expected `variable:` in the lambda",
                "write any(x: x/name eq 'a')",
            ));
        }
        self.space();
        let body = self.expr(0)?;
        self.space();
        if !self.eat(b')') {
            return Err(self.error("expected `)` to close the lambda", "close it with `)`"));
        }
        Ok(Segment::Lambda {
            all,
            body: Some((variable, Box::new(body))),
        })
    }

    /// Skips a balanced `( ... )` (quotes respected).
    fn skip_balanced(&mut self) -> Result<(), Diagnostic> {
        let mut depth = 0usize;
        let mut quoted = false;
        for (i, c) in self.rest().char_indices() {
            match c {
                '\'' => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += i + 1;
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(self.error("this `(` is never closed", "close it with `)`"))
    }
}

fn number_literal(text: &str) -> Literal {
    if text.contains(['.', 'e', 'E']) {
        Literal::Decimal(text.to_owned())
    } else {
        Literal::Integer(text.to_owned())
    }
}

/// What a character is to a JSON text, outside strings.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Structure {
    Open,
    Close,
    Comma,
    Other,
}

/// Tracks nesting and strings through a JSON text, one character at a
/// time.
#[derive(Default)]
struct JsonScanner {
    depth: usize,
    in_string: bool,
    escaped: bool,
}

impl JsonScanner {
    /// Feeds `c`; `None` inside strings.
    fn feed(&mut self, c: char) -> Option<Structure> {
        if self.in_string {
            match (self.escaped, c) {
                (true, _) => self.escaped = false,
                (false, '\\') => self.escaped = true,
                (false, '"') => self.in_string = false,
                _ => {}
            }
            return None;
        }
        Some(match c {
            '"' => {
                self.in_string = true;
                Structure::Other
            }
            '[' | '{' => {
                self.depth += 1;
                Structure::Open
            }
            ']' | '}' => {
                self.depth = self.depth.saturating_sub(1);
                Structure::Close
            }
            ',' => Structure::Comma,
            _ => Structure::Other,
        })
    }
}

/// The byte ranges of JSON array items, split at top-level commas.
fn split_json_items(inner: &str) -> Vec<std::ops::Range<usize>> {
    let mut items = Vec::new();
    let mut scanner = JsonScanner::default();
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        if scanner.feed(c) == Some(Structure::Comma) && scanner.depth == 0 {
            items.push(start..i);
            start = i + 1;
        }
    }
    items.push(start..inner.len());
    items
}

fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `2017-08-24`, `2017-08-24T00:00:00Z`, `13:20:00`, or a GUID.
fn temporal(token: &str) -> Option<Literal> {
    if token.len() == 36 && is_guid(token) {
        return Some(Literal::Guid(token.to_owned()));
    }
    let b = token.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let year_start = usize::from(b.first() == Some(&b'-'));
    let y = year_start;
    if digits(y..y + 4)
        && b.get(y + 4) == Some(&b'-')
        && digits(y + 5..y + 7)
        && b.get(y + 7) == Some(&b'-')
        && digits(y + 8..y + 10)
    {
        if token.len() == y + 10 {
            return Some(Literal::Date(token.to_owned()));
        }
        if b.get(y + 10) == Some(&b'T') {
            return Some(Literal::DateTimeOffset(token.to_owned()));
        }
        return None;
    }
    if digits(0..2) && b.get(2) == Some(&b':') && digits(3..5) {
        return Some(Literal::TimeOfDay(token.to_owned()));
    }
    None
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Parser, is_ident};

    fn parser(text: &str) -> Parser<'_> {
        Parser {
            text,
            pos: 0,
            offset: 0,
            depth: 0,
            args: 0,
        }
    }

    proptest! {
        /// Words and qualified names read byte by byte where they are ASCII
        /// end where reading by character ends them.
        #[test]
        fn runs_end_where_characters_say(text in "[a-zA-Z0-9_. ()'éß中١²😀\u{300}-]{0,12}") {
            let by_char = |keep: &dyn Fn(char) -> bool| {
                &text[..text.find(|c: char| !keep(c)).unwrap_or(text.len())]
            };
            prop_assert_eq!(parser(&text).word(), by_char(&is_ident));
            prop_assert_eq!(
                parser(&text).run(|c| is_ident(c) || c == '.'),
                by_char(&|c| is_ident(c) || c == '.')
            );
            let mut spaced = parser(&text);
            spaced.space();
            prop_assert_eq!(
                &text[spaced.pos..],
                text.trim_start_matches([' ', '\t', '\n', '\r'])
            );
        }
    }
}
