//! Every diagnostic the query parser reports, in one place.
//!
//! A [`Diagnostic`] is data: a stable code, a severity, a message, the
//! primary span, optional secondary labels and an optional help line.
//! Rendering it as a code frame is [`crate::render`]'s job.

use std::fmt;

use crate::span::Span;

#[cfg(feature = "serde")]
use serde::Serialize;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize), serde(rename_all = "lowercase"))]
pub enum Severity {
    /// The statement is accepted, but something looks off.
    Warning,
    /// The statement is rejected.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A secondary location that explains the primary one.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Label {
    /// The location.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// A repair a diagnostic knows: replace the text at `span` with
/// `replacement` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Fix {
    /// The text replaced.
    pub span: Span,
    /// What replaces it.
    pub replacement: String,
}

/// One problem found in a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Diagnostic {
    /// Stable code, such as `Q0002`; tools may match on it.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// One sentence saying what is wrong.
    pub message: String,
    /// Where it is wrong.
    pub span: Span,
    /// Other places that explain the problem.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub labels: Vec<Label>,
    /// How to fix it.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub help: Option<String>,
    /// The repair, where it is mechanical (`==` to `EQ`, `AND` to `;`).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    /// Boxed: most diagnostics have none, and a diagnostic travels in
    /// `Result`s.
    pub fix: Option<Box<Fix>>,
}

impl Diagnostic {
    /// An error of `kind` at `span`.
    pub fn error(kind: ErrorKind, span: Span, message: impl Into<String>) -> Self {
        Self::new(kind, Severity::Error, span, message)
    }

    /// A warning of `kind` at `span`.
    pub fn warning(kind: ErrorKind, span: Span, message: impl Into<String>) -> Self {
        Self::new(kind, Severity::Warning, span, message)
    }

    fn new(kind: ErrorKind, severity: Severity, span: Span, message: impl Into<String>) -> Self {
        Self::with_code(kind.code(), severity, span, message)
    }

    /// A diagnostic with a code of another layer's vocabulary (the schema
    /// validator's `S` codes, say).
    pub fn with_code(
        code: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code,
            severity,
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    /// Adds the repair: `replacement` in place of the text at `span`.
    #[must_use]
    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.fix = Some(Box::new(Fix {
            span,
            replacement: replacement.into(),
        }));
        self
    }

    /// Adds a help line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary label.
    #[must_use]
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}] at {}..{}: {}",
            self.severity, self.code, self.span.start, self.span.end, self.message
        )
    }
}

/// A list of diagnostics, returned as the error of strict entry points.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl std::ops::Deref for Diagnostics {
    type Target = [Diagnostic];
    fn deref(&self) -> &[Diagnostic] {
        &self.0
    }
}

/// Declares a `#[non_exhaustive]` enum of diagnostic kinds, each with a
/// doc comment and a stable code, with `ALL` and `code()`. Every layer's
/// vocabulary (`Q`, `S`, `A`, ... codes) is declared with it.
#[macro_export]
macro_rules! diagnostic_kinds {
    ($(#[$enum_doc:meta])* $vis:vis enum $kind:ident { $( $(#[$doc:meta])* $name:ident = $code:literal, )* }) => {
        $(#[$enum_doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $kind {
            $( $(#[$doc])* $name, )*
        }

        impl $kind {
            /// Every kind, in code order.
            pub const ALL: &'static [$kind] = &[$($kind::$name,)*];

            /// The stable code.
            pub const fn code(self) -> &'static str {
                match self {
                    $( $kind::$name => $code, )*
                }
            }
        }
    };
}

diagnostic_kinds! {
    /// The kinds of problem the parser reports, each with a stable code.
    pub enum ErrorKind {
        /// A character that has no meaning in a statement (`@`, `#`, `%`, ...).
        UnexpectedCharacter = "Q0001",
        /// A string opened with `^` or `'` that never closes.
        UnterminatedString = "Q0002",
        /// A backslash escape that Octane does not define.
        InvalidEscape = "Q0003",
        /// `\*`: Octane cannot filter on a literal asterisk.
        LiteralAsterisk = "Q0004",
        /// A `"` inside the statement.
        DoubleQuoteInStatement = "Q0005",
        /// Something other than a field name where a phrase starts.
        ExpectedField = "Q0006",
        /// A field not followed by a comparison operator.
        ExpectedOperator = "Q0007",
        /// `==`, which Octane does not have.
        DoubleEquals = "Q0008",
        /// `!=`, `<>` or `NE`, which Octane does not have.
        NotEqualsOperator = "Q0009",
        /// An operator not followed by a value.
        ExpectedValue = "Q0010",
        /// `AND`, `OR`, `NOT`, `&&`, `&` or `|` instead of `;`, `||` or `!`.
        WordLogicalOperator = "Q0011",
        /// `;` or `||` with no phrase after (or before) it.
        DanglingLogicalOperator = "Q0012",
        /// A `(` that is never closed.
        UnclosedParenthesis = "Q0013",
        /// A `)` with no matching `(`.
        UnmatchedParenthesis = "Q0014",
        /// A `{` that is never closed.
        UnclosedBrace = "Q0015",
        /// A `}` with no matching `{`.
        UnmatchedBrace = "Q0016",
        /// `IN` with no value, or a list with an empty item (`1,,2`).
        EmptyInList = "Q0017",
        /// `BTW` without `...` and a second bound.
        IncompleteRange = "Q0018",
        /// A cross-filter or `{null}` after an operator other than `EQ`.
        ReferenceNeedsEq = "Q0019",
        /// `[something]` other than `[current_user]` or `[current_release]`.
        UnknownSpecialValue = "Q0020",
        /// `{}`: a cross-filter with no statement.
        EmptyCrossFilter = "Q0021",
        /// Parentheses, braces and `!` nested deeper than the limit.
        NestingTooDeep = "Q0022",
        /// The statement is longer than the limit.
        InputTooLarge = "Q0023",
        /// Nothing to parse.
        EmptyQuery = "Q0024",
        /// A complete phrase followed by more text, with no `;` or `||` between.
        MissingLogicalOperator = "Q0025",
        /// A malformed number (`1.2.3`, `12abc`).
        InvalidNumber = "Q0026",
        /// An operator word run into its value (`EQ5`).
        MissingSpaceAfterOperator = "Q0027",
        /// A `BTW` bound or `IN` item that cannot be one (`null`, `{...}`).
        InvalidOperandValue = "Q0028",
        /// A `[` never closed by `]`.
        UnclosedSpecialValue = "Q0029",
        /// The Unicode ellipsis `…` in a range (the docs print it; send `...`).
        UnicodeEllipsis = "Q0101",
        /// The statement starts with the URL's `query=`.
        QueryParameterPrefix = "Q0102",
        /// Typographic quotes `“ ”` around the statement.
        TypographicQuotes = "Q0103",
        /// A bare word where a value should be (`name EQ abc`).
        BareWordValue = "Q0030",
        /// A list or range operand written after `EQ LT GT LE GE`.
        UnexpectedList = "Q0031",
        /// Percent-encoded text (`%20`, `%5E`) in the statement.
        PercentEncoded = "Q0032",
    }
}

// Constructors, one per situation, so the whole vocabulary reads here.

/// `Q0001`.
pub fn unexpected_character(span: Span, ch: char) -> Diagnostic {
    let d = Diagnostic::error(
        ErrorKind::UnexpectedCharacter,
        span,
        format!("unexpected character `{ch}`"),
    );
    match ch {
        '&' => d.with_help("`&` is not an operator: join phrases with `;` (and) or `||` (or)"),
        '|' => d.with_help("write `||` for \"or\""),
        '[' | ']' => {
            d.with_help("the only bracketed values are `[current_user]` and `[current_release]`")
        }
        '.' => d.with_help("a range is written `low...high` with three dots, after `BTW`"),
        _ => d.with_help(
            "a phrase is `field OP value`; string values go between carets, such as `^text^`",
        ),
    }
}

/// `Q0002`.
pub fn unterminated_string(span: Span, quote: char) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::UnterminatedString,
        span,
        format!("this string has no closing `{quote}`"),
    )
    .with_help(format!(
        "add `{quote}` where the string ends; write `\\{quote}` for a `{quote}` inside it"
    ))
    .with_fix(Span::empty(span.end), quote.to_string())
}

/// `Q0003`.
pub fn invalid_escape(span: Span, ch: Option<char>) -> Diagnostic {
    let what = ch.map_or_else(
        || "`\\` at the end of the input".to_owned(),
        |c| format!("`\\{c}`"),
    );
    Diagnostic::error(
        ErrorKind::InvalidEscape,
        span,
        format!("unknown escape {what}"),
    )
    .with_help(
        "the escapes are `\\^` `\\'` `\\\"` `\\\\` and Octane's `\\q` (') `\\l` (<) `\\g` (>); \
         `\\{` `\\(` `\\)` `\\[` `\\]` `\\?` stand for the character itself",
    )
}

/// `Q0004`.
pub fn literal_asterisk(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::LiteralAsterisk,
        span,
        "Octane cannot filter on a literal `*`",
    )
    .with_help("`*` is always a wildcard; leave it in without a backslash to match any text there")
}

/// `Q0005`.
pub fn double_quote_in_statement(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::DoubleQuoteInStatement,
        span,
        "a `\"` cannot stand inside the statement",
    )
    .with_help(
        "only one pair of double quotes may wrap the whole statement; \
         inside a string write `\\\"`, and write strings as `^text^`",
    )
}

/// `Q0005`, for a whole `"string"`.
pub fn double_quoted_string(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::DoubleQuoteInStatement,
        span,
        "strings cannot be written in double quotes",
    )
    .with_help("write strings between carets, such as `^text^`; the double quotes may only wrap the whole statement")
}

/// `Q0005`, for an opening quote with no closing one.
pub fn unpaired_quote(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::DoubleQuoteInStatement,
        span,
        "this opening quote has no closing quote",
    )
    .with_help("wrap the whole statement in a pair of `\"`, or in none")
}

/// `Q0006`.
pub fn expected_field(span: Span, found: &str) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::ExpectedField,
        span,
        format!("expected a field name, found {found}"),
    )
    .with_help("a phrase is `field OP value`, such as `id EQ 1001`")
}

/// `Q0007`.
pub fn expected_operator(span: Span, field: &str, found: &str) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::ExpectedOperator,
        span,
        format!("expected a comparison operator after `{field}`, found {found}"),
    )
    .with_help("the operators are EQ LT GT LE GE IN BTW (or = < > <= >=)")
}

/// `Q0008`.
pub fn double_equals(span: Span) -> Diagnostic {
    Diagnostic::error(ErrorKind::DoubleEquals, span, "`==` is not an operator")
        .with_help("write `EQ` (or a single `=`)")
        .with_fix(span, "EQ")
}

/// `Q0009`.
pub fn not_equals(span: Span, written: &str) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::NotEqualsOperator,
        span,
        format!("`{written}` is not an operator: Octane has no \"not equal\""),
    )
    .with_help("negate the phrase instead: `!field EQ value`")
}

/// `Q0010`.
pub fn expected_value(span: Span, operator: &str, found: &str) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::ExpectedValue,
        span,
        format!("expected a value after `{operator}`, found {found}"),
    )
    .with_help("values are numbers, `^strings^`, true, false, null, {null}, [current_user], [current_release] or `{cross filter}`")
}

/// `Q0011`.
pub fn word_logical_operator(span: Span, written: &str) -> Diagnostic {
    let (meaning, replacement) = match written.to_ascii_uppercase().as_str() {
        "OR" | "|" => ("or", "||"),
        "NOT" => ("not", "!"),
        _ => ("and", ";"),
    };
    Diagnostic::error(
        ErrorKind::WordLogicalOperator,
        span,
        format!("`{written}` is not an operator in Octane queries"),
    )
    .with_help(format!("write `{replacement}` for \"{meaning}\""))
    .with_fix(span, replacement)
}

/// `Q0012`.
pub fn dangling_logical_operator(span: Span, operator: &str, before: bool) -> Diagnostic {
    let (message, help) = if before {
        (
            format!("`{operator}` has no phrase before it"),
            format!("remove the `{operator}` or put a phrase before it"),
        )
    } else {
        (
            format!("`{operator}` has no phrase after it"),
            format!("remove the trailing `{operator}` or add a phrase after it"),
        )
    };
    Diagnostic::error(ErrorKind::DanglingLogicalOperator, span, message).with_help(help)
}

/// `Q0013`.
pub fn unclosed_parenthesis(open: Span, at: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::UnclosedParenthesis,
        open,
        "this `(` is never closed",
    )
    .with_label(at, "expected `)` here")
    .with_help("add `)` where the group ends")
}

/// `Q0014`.
pub fn unmatched_parenthesis(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::UnmatchedParenthesis,
        span,
        "this `)` has no matching `(`",
    )
    .with_help("remove it, or add the `(` that opens the group")
}

/// `Q0015`.
pub fn unclosed_brace(open: Span, at: Span) -> Diagnostic {
    Diagnostic::error(ErrorKind::UnclosedBrace, open, "this `{` is never closed")
        .with_label(at, "expected `}` here")
        .with_help("add `}` where the cross-filter ends")
}

/// `Q0016`.
pub fn unmatched_brace(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::UnmatchedBrace,
        span,
        "this `}` has no matching `{`",
    )
    .with_help("remove it, or add the `{` that opens the cross-filter")
}

/// `Q0017`, for `IN` with nothing after it.
pub fn empty_in_list(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::EmptyInList,
        span,
        "`IN` needs at least one value",
    )
    .with_help("list the values separated by commas: `id IN 1,2,3`")
}

/// `Q0017`, for an empty item in the list (`1,,2` or a trailing comma).
pub fn empty_list_item(span: Span) -> Diagnostic {
    Diagnostic::error(ErrorKind::EmptyInList, span, "empty item in the `IN` list")
        .with_help("remove the extra comma")
}

/// `Q0018`, for `BTW 1` with no `...`.
pub fn range_without_dots(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::IncompleteRange,
        span,
        "`BTW` needs a range `low...high`",
    )
    .with_help("write both bounds with three dots between them: `id BTW 12...16`")
}

/// `Q0018`, for `BTW 1...` with no upper bound.
pub fn range_without_high(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::IncompleteRange,
        span,
        "this range has no upper bound",
    )
    .with_help("add the upper bound after `...`: `id BTW 12...16`")
}

/// `Q0019`.
pub fn reference_needs_eq(span: Span, operator: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::ReferenceNeedsEq,
        span,
        format!("{what} can only follow `EQ`, not `{operator}`"),
    )
    .with_help("write `field EQ {...}`; put the comparison inside the braces, such as `release EQ {id GT 1001}`")
}

/// `Q0020`.
pub fn unknown_special_value(span: Span, written: &str, suggestion: Option<&str>) -> Diagnostic {
    let d = Diagnostic::error(
        ErrorKind::UnknownSpecialValue,
        span,
        format!("`[{written}]` is not a value Octane knows"),
    );
    match suggestion {
        Some(s) => d.with_help(format!("did you mean `[{s}]`?")),
        None => d.with_help("the bracketed values are `[current_user]` and `[current_release]`"),
    }
}

/// `Q0021`.
pub fn empty_cross_filter(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::EmptyCrossFilter,
        span,
        "this cross-filter is empty",
    )
    .with_help("write a statement inside the braces, such as `{name EQ ^R1^}`, or `{null}` for \"no entity\"")
}

/// `Q0022`.
pub fn nesting_too_deep(span: Span, limit: usize) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::NestingTooDeep,
        span,
        format!("the statement nests deeper than {limit} levels"),
    )
    .with_help("remove redundant parentheses, braces or `!`, or raise the nesting limit")
}

/// `Q0023`.
pub fn input_too_large(span: Span, len: usize, limit: usize) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::InputTooLarge,
        span,
        format!("the statement is {len} bytes long; the limit is {limit}"),
    )
    .with_help("split the query, or raise the input limit")
}

/// `Q0024`.
pub fn empty_query(span: Span) -> Diagnostic {
    Diagnostic::error(ErrorKind::EmptyQuery, span, "the query is empty")
        .with_help("write at least one phrase, such as `id EQ 1001`")
}

/// `Q0025`.
pub fn missing_logical_operator(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::MissingLogicalOperator,
        span,
        "expected `;` or `||` before this",
    )
    .with_help("join phrases with `;` (and) or `||` (or)")
}

/// `Q0026`.
pub fn invalid_number(span: Span, written: &str) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::InvalidNumber,
        span,
        format!("`{written}` is not a number"),
    )
    .with_help("numbers are digits with an optional sign and decimal part, such as `-12.5`; put text between carets: `^text^`")
}

/// `Q0027`.
pub fn missing_space_after_operator(span: Span, operator: &str) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::MissingSpaceAfterOperator,
        span,
        format!("the operator `{operator}` runs into its value"),
    )
    .with_help(format!("put a space after `{operator}`"))
}

/// `Q0028`.
pub fn invalid_operand_value(span: Span, what: &str, place: &str) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::InvalidOperandValue,
        span,
        format!("{what} cannot be {place}"),
    )
    .with_help("use a number, a `^string^` or a date")
}

/// `Q0029`.
pub fn unclosed_special_value(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::UnclosedSpecialValue,
        span,
        "this `[` is never closed",
    )
    .with_help("write `[current_user]` or `[current_release]`")
}

/// `Q0030`.
pub fn bare_word_value(span: Span, word: &str) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::BareWordValue,
        span,
        format!("`{word}` is not a value"),
    )
    .with_help(format!("strings go between carets: `^{word}^`"))
}

/// `Q0031`.
pub fn unexpected_list(span: Span, operator: &str) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::UnexpectedList,
        span,
        format!("`{operator}` takes one value, not a list"),
    )
    .with_help("use `IN` for a list of values: `id IN 1,2,3`")
}

/// `Q0032`.
pub fn percent_encoded(span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::PercentEncoded,
        span,
        "the statement looks percent-encoded",
    )
    .with_help("decode it first: write `name EQ ^a b^`, not `name%20EQ%20%5Ea%20b%5E`")
}

/// `Q0101`.
pub fn unicode_ellipsis(span: Span) -> Diagnostic {
    Diagnostic::warning(
        ErrorKind::UnicodeEllipsis,
        span,
        "the Unicode ellipsis `…` is read as `...`",
    )
    .with_help("write three dots `...`, which is what Octane's SDKs send")
    .with_fix(span, "...")
}

/// `Q0102`.
pub fn query_parameter_prefix(span: Span) -> Diagnostic {
    Diagnostic::warning(
        ErrorKind::QueryParameterPrefix,
        span,
        "`query=` belongs to the URL, not to the statement; it was skipped",
    )
    .with_help("the statement is what comes after `query=`")
}

/// `Q0103`.
pub fn typographic_quotes(span: Span) -> Diagnostic {
    Diagnostic::warning(
        ErrorKind::TypographicQuotes,
        span,
        "typographic quotes `“ ”` around the statement were read as `\"`",
    )
    .with_help("send plain double quotes `\"`; typographic ones come from copying documentation")
}

/// `source` with the repair of every diagnostic that has one applied (the
/// editor's "fix all"). Repairs that overlap an earlier one are left for
/// a second pass, so that no two ever touch the same text.
pub fn apply_fixes(source: &str, diagnostics: &[Diagnostic]) -> String {
    let mut fixes: Vec<&Fix> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_deref())
        .collect();
    crate::order::sort_by_span(&mut fixes, |f| f.span);
    let mut out = String::with_capacity(source.len());
    let mut at = 0usize;
    for fix in fixes {
        let (start, end) = (fix.span.start as usize, fix.span.end as usize);
        let fits = start >= at
            && end <= source.len()
            && source.is_char_boundary(start)
            && source.is_char_boundary(end);
        if !fits {
            continue;
        }
        out.push_str(&source[at..start]);
        out.push_str(&fix.replacement);
        at = end;
    }
    out.push_str(&source[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for kind in ErrorKind::ALL {
            let code = kind.code();
            assert!(seen.insert(code), "duplicate code {code}");
            assert!(code.starts_with('Q') && code.len() == 5, "{code}");
        }
    }
}
