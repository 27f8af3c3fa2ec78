//! OData for ALM Octane: URL and query-option parsing, `$filter` with
//! the OData 4.01 operator precedence, translation between `$filter` and
//! the REST query language, and URL builders for both APIs.
//!
//! This crate owns OData syntax and its mapping to Octane's REST query
//! language; it uses `octane-query` for the REST side and `octane-schema`
//! to tell references from scalars, and knows nothing of JavaScript.
//!
//! ```
//! use octane_odata::{TranslateOptions, odata_to_query, query_to_odata};
//!
//! let rest = odata_to_query(
//!     "startswith(name,'Log') and (release/name eq 'R1' or severity/id eq 'list_node.severity.high')",
//!     &TranslateOptions::default(),
//! ).unwrap();
//! assert_eq!(rest, "name EQ ^Log*^;(release EQ {name EQ ^R1^}||severity EQ {id EQ ^list_node.severity.high^})");
//! assert_eq!(query_to_odata(&rest).unwrap(),
//!     "startswith(name,'Log') and (release/name eq 'R1' or severity/id eq 'list_node.severity.high')");
//! ```

mod diagnostics;
mod encoding;
mod explain;
pub mod expr;
mod options;
mod translate;
mod urls;

pub use diagnostics::ODataErrorKind;
pub use explain::{FilterExplanation, FilterNode, explain_filter};
pub use expr::{BinaryOp, Expr, ExprKind, Literal, MAX_DEPTH, Segment, UnaryOp, parse_expr};
pub use options::{
    ExpandItem, MAX_EXPAND_DEPTH, ODataRequest, OrderItem, ParsedOData, SystemQueryOptions,
    parse_odata, percent_decode,
};
pub use translate::{TranslateOptions, odata_to_query, query_to_odata};
pub use urls::{
    ODataRequestParts, RestRequest, Workspace, build_odata_url, build_rest_url, percent_encode,
    rest_path,
};
