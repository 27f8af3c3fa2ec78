//! Every diagnostic code of the evaluator. Codes start with `E`.

octane_query::diagnostic_kinds! {
    /// The kinds of problem the evaluator reports, each with a stable code.
    pub enum EvalErrorKind {
        /// `[current_user]` or `[current_release]` with no id given.
        MissingContext = "E0001",
        /// A malformed `order_by`.
        BadOrderBy = "E0002",
        /// `limit` or `offset` out of range.
        BadPage = "E0003",
        /// The collections are not JSON.
        MalformedJson = "E0004",
        /// The collections are JSON but not of the shape a dataset loads:
        /// an object of collections, each `{"data": [...]}` or an array of
        /// entity objects.
        NotCollections = "E0005",
        /// A tree with broken parts (a parser's partial tree) was given to
        /// run: it has no meaning to evaluate.
        BrokenQuery = "E0006",
    }
}
