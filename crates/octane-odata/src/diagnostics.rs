//! Every diagnostic code of the OData layer. Codes start with `O`.

octane_query::diagnostic_kinds! {
    /// The kinds of problem the OData parser, translator and URL builders
    /// report, each with a stable code.
    pub enum ODataErrorKind {
        /// A syntax error in a `$filter` expression.
        Syntax = "O0001",
        /// An OData construct with no REST equivalent.
        Untranslatable = "O0002",
        /// A REST construct with no OData equivalent.
        NoOData = "O0003",
        /// A malformed system query option.
        BadOption = "O0004",
        /// A system query option given more than once.
        DuplicateOption = "O0005",
        /// A URL part that cannot be used (server, ids, entity set).
        BadUrlPart = "O0006",
        /// `$expand` items nested deeper than [`MAX_EXPAND_DEPTH`](crate::MAX_EXPAND_DEPTH).
        ExpandTooDeep = "O0007",
    }
}
