//! Every diagnostic the schema validator reports, in one place. Codes
//! start with `S`; the parser's start with `Q`.

use octane_query::{Diagnostic, Severity, Span};

octane_query::diagnostic_kinds! {
    /// The kinds of problem the validator reports, each with a stable code.
    pub enum SchemaErrorKind {
        /// The entity named for the query does not exist.
        UnknownEntity = "S0001",
        /// The entity has no such field.
        UnknownField = "S0002",
        /// The field cannot be filtered on.
        FieldNotFilterable = "S0003",
        /// The operator does not apply to the field's type.
        OperatorNotAllowed = "S0004",
        /// The value's type does not fit the field's type.
        WrongValueType = "S0005",
        /// A date or date-time value that is not ISO-8601.
        MalformedDate = "S0006",
        /// `null` on a reference field (it takes `{null}`).
        NullOnReference = "S0007",
        /// `{null}` on a scalar field (it takes `null`).
        NullReferenceOnScalar = "S0008",
        /// A reference compared with a bare value instead of a cross-filter.
        BareValueOnReference = "S0009",
        /// A list field (severity, priority, ...) compared with a name.
        ListComparedWithName = "S0010",
        /// A cross-filter field that exists on only some of the reference's
        /// target types.
        FieldOnSomeTargets = "S0011",
        /// `[current_user]` where no user is expected.
        CurrentUserMisplaced = "S0012",
        /// `[current_release]` where no release is expected.
        CurrentReleaseMisplaced = "S0013",
        /// `BTW` bounds of different types.
        RangeTypesDiffer = "S0014",
        /// `BTW` bounds in the wrong order (an empty range).
        RangeOutOfOrder = "S0015",
        /// A `*` wildcard in a value that is not a string.
        WildcardNotAllowed = "S0016",
        /// `||` in a query against a metadata resource.
        OrInMetadataQuery = "S0017",
        /// A cross-filter on a field that is not a reference.
        CrossFilterOnScalar = "S0018",
        /// A number written as a string (`^5^` for an integer).
        NumberAsString = "S0019",
        /// `null` on a boolean field, which always has a value.
        NullOnBoolean = "S0020",
        /// A date-time with no time zone (Octane reads them as UTC).
        DateTimeWithoutZone = "S0021",
        /// A decimal number for an integer field.
        DecimalForInteger = "S0022",
        /// Metadata JSON that is malformed or not of Octane's shape.
        MalformedMetadata = "S0023",
    }
}

fn error(kind: SchemaErrorKind, span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::with_code(kind.code(), Severity::Error, span, message)
}

fn warning(kind: SchemaErrorKind, span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::with_code(kind.code(), Severity::Warning, span, message)
}

fn did_you_mean(suggestion: Option<&str>, otherwise: &str) -> String {
    suggestion.map_or_else(|| otherwise.to_owned(), |s| format!("did you mean `{s}`?"))
}

/// `S0001`.
pub fn unknown_entity(span: Span, name: &str, suggestion: Option<&str>) -> Diagnostic {
    error(
        SchemaErrorKind::UnknownEntity,
        span,
        format!("there is no entity `{name}`"),
    )
    .with_help(did_you_mean(
        suggestion,
        "use an entity name (`defect`) or its collection (`defects`)",
    ))
}

/// `S0002`.
pub fn unknown_field(span: Span, field: &str, owner: &str, suggestion: Option<&str>) -> Diagnostic {
    error(
        SchemaErrorKind::UnknownField,
        span,
        format!("{owner} has no field `{field}`"),
    )
    .with_help(did_you_mean(
        suggestion,
        "check the field's name in the entity's metadata (`.../metadata/fields`)",
    ))
}

/// `S0003`.
pub fn not_filterable(span: Span, field: &str) -> Diagnostic {
    error(
        SchemaErrorKind::FieldNotFilterable,
        span,
        format!("`{field}` cannot be filtered on"),
    )
    .with_help(
        "its metadata says `\"filterable\": false`; filter the results on the client instead",
    )
}

/// `S0004`.
pub fn operator_not_allowed(
    span: Span,
    operator: &str,
    field: &str,
    ty: &str,
    allowed: &[&str],
) -> Diagnostic {
    let help = if allowed.is_empty() {
        format!("{ty} fields take no comparison")
    } else {
        format!("{ty} fields take {}", allowed.join(" "))
    };
    error(
        SchemaErrorKind::OperatorNotAllowed,
        span,
        format!("`{operator}` does not apply to `{field}` ({ty})"),
    )
    .with_help(help)
}

/// `S0005`.
pub fn wrong_value_type(span: Span, value: &str, field: &str, ty: &str, help: &str) -> Diagnostic {
    error(
        SchemaErrorKind::WrongValueType,
        span,
        format!("`{field}` is {ty}, but this is {value}"),
    )
    .with_help(help.to_owned())
}

/// `S0006`.
pub fn malformed_date(span: Span, text: &str, field: &str, ty: &str) -> Diagnostic {
    error(
        SchemaErrorKind::MalformedDate,
        span,
        format!("`{text}` is not an ISO-8601 {ty} (the type of `{field}`)"),
    )
    .with_help("write dates as `^2015-02-25^` and date-times in UTC as `^2015-02-25T16:42:11Z^`")
}

/// `S0007`.
pub fn null_on_reference(span: Span, field: &str) -> Diagnostic {
    error(
        SchemaErrorKind::NullOnReference,
        span,
        format!("`{field}` is a reference: `null` does not match \"no entity\""),
    )
    .with_help(format!("write `{field} EQ {{null}}`"))
}

/// `S0008`.
pub fn null_reference_on_scalar(span: Span, field: &str) -> Diagnostic {
    error(
        SchemaErrorKind::NullReferenceOnScalar,
        span,
        format!("`{{null}}` is for references, and `{field}` is not one"),
    )
    .with_help(format!("write `{field} EQ null`"))
}

/// `S0009`.
pub fn bare_value_on_reference(span: Span, field: &str, value: &str) -> Diagnostic {
    error(
        SchemaErrorKind::BareValueOnReference,
        span,
        format!(
            "`{field}` is a reference: compare the referenced entity's fields in a cross-filter"
        ),
    )
    .with_help(format!("write `{field} EQ {{id EQ {value}}}`"))
}

/// `S0010`.
pub fn list_compared_with_name(span: Span, field: &str, suggestion: &str) -> Diagnostic {
    error(
        SchemaErrorKind::ListComparedWithName,
        span,
        format!("`{field}` is a list field: compare its list node, not a name"),
    )
    .with_help(format!("write `{field} EQ {suggestion}`"))
}

/// `S0011`.
pub fn field_on_some_targets(
    span: Span,
    field: &str,
    with: &[&str],
    without: &[&str],
) -> Diagnostic {
    warning(
        SchemaErrorKind::FieldOnSomeTargets,
        span,
        format!(
            "`{field}` exists on {} but not on {}",
            with.join(", "),
            without.join(", ")
        ),
    )
    .with_help(format!(
        "referenced entities of type {} never match this phrase",
        without.join(", ")
    ))
}

/// `S0012`.
pub fn current_user_misplaced(span: Span, field: &str) -> Diagnostic {
    error(
        SchemaErrorKind::CurrentUserMisplaced,
        span,
        format!("`[current_user]` is a user, and `{field}` does not hold users"),
    )
    .with_help(
        "use `[current_user]` on a field that references users, such as `owner EQ [current_user]`",
    )
}

/// `S0013`.
pub fn current_release_misplaced(span: Span, field: &str) -> Diagnostic {
    error(
        SchemaErrorKind::CurrentReleaseMisplaced,
        span,
        format!("`[current_release]` is a release, and `{field}` does not hold releases"),
    )
    .with_help("use `[current_release]` on a field that references releases, such as `release EQ [current_release]`")
}

/// `S0014`.
pub fn range_types_differ(span: Span) -> Diagnostic {
    error(
        SchemaErrorKind::RangeTypesDiffer,
        span,
        "the bounds of this range have different types",
    )
    .with_help("write both bounds as numbers, or both as dates")
}

/// `S0015`.
pub fn range_out_of_order(span: Span, low: &str, high: &str) -> Diagnostic {
    error(
        SchemaErrorKind::RangeOutOfOrder,
        span,
        format!("this range is empty: {low} is after {high}"),
    )
    .with_help(format!("swap the bounds: `{high}...{low}`"))
}

/// `S0016`.
pub fn wildcard_not_allowed(span: Span, field: &str, ty: &str) -> Diagnostic {
    error(
        SchemaErrorKind::WildcardNotAllowed,
        span,
        format!("`*` wildcards apply to strings, and `{field}` is {ty}"),
    )
    .with_help("use a range instead, such as `BTW`, `GE` or `LE`")
}

/// `S0017`.
pub fn or_in_metadata_query(span: Span, entity: &str) -> Diagnostic {
    error(
        SchemaErrorKind::OrInMetadataQuery,
        span,
        format!("queries on metadata (`{entity}`) do not support `||`"),
    )
    .with_help("send one request per alternative, or use `IN` where it fits: `name IN ^a^,^b^`")
}

/// `S0018`.
pub fn cross_filter_on_scalar(span: Span, field: &str, ty: &str) -> Diagnostic {
    error(
        SchemaErrorKind::CrossFilterOnScalar,
        span,
        format!("`{field}` is {ty}, not a reference: it takes no cross-filter"),
    )
    .with_help(format!(
        "compare the value directly, such as `{field} EQ ...`"
    ))
}

/// `S0019`.
pub fn number_as_string(span: Span, field: &str, number: &str) -> Diagnostic {
    warning(
        SchemaErrorKind::NumberAsString,
        span,
        format!("`{field}` is a number, written here as a string"),
    )
    .with_help(format!("write it bare: `{number}`"))
}

/// `S0020`.
pub fn null_on_boolean(span: Span, field: &str) -> Diagnostic {
    error(
        SchemaErrorKind::NullOnBoolean,
        span,
        format!("`{field}` is a boolean and always has a value"),
    )
    .with_help(format!("write `{field} EQ false` or `{field} EQ true`"))
}

/// `S0021`.
pub fn date_time_without_zone(span: Span, text: &str) -> Diagnostic {
    warning(
        SchemaErrorKind::DateTimeWithoutZone,
        span,
        format!("`{text}` has no time zone; Octane reads it as UTC"),
    )
    .with_help(format!("say so: `^{text}Z^`"))
}

/// `S0022`.
pub fn decimal_for_integer(span: Span, field: &str) -> Diagnostic {
    error(
        SchemaErrorKind::DecimalForInteger,
        span,
        format!("`{field}` holds whole numbers"),
    )
    .with_help("drop the fraction")
}
