//! Every diagnostic of the external-action validator and renderer. Codes
//! start with `A`.

use octane_query::{Diagnostic, Severity, Span};

/// A diagnostic with the JSON path of the value at fault (`/0/dialog`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ActionDiagnostic {
    /// Code, severity, message, span (into the JSON text), help.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    /// The JSON Pointer of the value at fault.
    pub path: String,
}

octane_query::diagnostic_kinds! {
    /// The kinds of problem, each with a stable code.
    pub enum ActionErrorKind {
        /// The text is not JSON.
        JsonSyntax = "A0001",
        /// The top level is not an action or an array of actions, or an item
        /// is not an object.
        NotAnAction = "A0002",
        /// A required property is missing.
        MissingProperty = "A0003",
        /// A property has the wrong JSON type.
        WrongType = "A0004",
        /// Two actions have the same name.
        DuplicateName = "A0005",
        /// An empty string or array where a value is needed.
        EmptyValue = "A0006",
        /// An entity type Octane does not have.
        UnknownEntityType = "A0007",
        /// A view other than `list` or `details`.
        UnknownView = "A0008",
        /// A dialog size other than `small`, `medium` or `large`.
        UnknownDialogSize = "A0009",
        /// Both `workspaces` and `exclude_workspaces`.
        WorkspacesConflict = "A0010",
        /// A workspace id that is not a whole number.
        NotAWorkspaceId = "A0011",
        /// A `mode` other than `side_panel`, or a malformed one.
        UnknownMode = "A0012",
        /// A property Octane does not read (a warning).
        UnknownProperty = "A0013",
        /// `javascript:`, `data:`, `vbscript:` or `file:`.
        RefusedScheme = "A0014",
        /// A scheme outside the allowed protocols.
        SchemeNotAllowed = "A0015",
        /// A URL with no scheme (relative, or `//host`).
        RelativeUrl = "A0016",
        /// A token Octane does not substitute.
        UnknownToken = "A0017",
        /// `{entity.<field>}` without `"single_entity": true`.
        FieldTokenNeedsSingleEntity = "A0018",
        /// `{dialog_id}` without `dialog` (a warning).
        DialogIdWithoutDialog = "A0019",
        /// An `http:` URL in a dialog (a warning: mixed content).
        HttpInDialog = "A0020",
        /// A token in the scheme or host part of the URL.
        TokenInSchemeOrHost = "A0021",
        /// A `{` with no `}`.
        UnclosedToken = "A0022",
        /// White space or control characters in the URL.
        WhitespaceInUrl = "A0023",
        /// No entity selected.
        EmptySelection = "A0030",
        /// Several entities selected for a single-entity action.
        SeveralSelected = "A0031",
        /// A field token whose field is missing or not a string or number.
        BadFieldValue = "A0032",
        /// A context value the URL needs is missing.
        MissingContext = "A0033",
        /// `octane_url` or `bundle_url` is not an absolute http(s) URL.
        BadBaseUrl = "A0034",
        /// The action to render is not in the config, or the config holds
        /// several and none was named.
        ActionNotFound = "A0035",
        /// A value that makes a whole path segment `.` or `..`.
        DotSegment = "A0036",
        /// More problems than [`MAX_DIAGNOSTICS`](crate::MAX_DIAGNOSTICS):
        /// the rest are counted, not listed.
        TooManyProblems = "A0037",
        /// An action URL points into the uploaded bundle at a file the
        /// bundle does not have.
        MissingBundleFile = "A0038",
    }
}

/// A diagnostic of `kind` at `span` with JSON path `path`.
pub fn error(
    kind: ActionErrorKind,
    span: Span,
    path: &str,
    message: impl Into<String>,
    help: impl Into<String>,
) -> ActionDiagnostic {
    make(kind, Severity::Error, span, path, message, help)
}

/// A warning of `kind`.
pub fn warning(
    kind: ActionErrorKind,
    span: Span,
    path: &str,
    message: impl Into<String>,
    help: impl Into<String>,
) -> ActionDiagnostic {
    make(kind, Severity::Warning, span, path, message, help)
}

fn make(
    kind: ActionErrorKind,
    severity: Severity,
    span: Span,
    path: &str,
    message: impl Into<String>,
    help: impl Into<String>,
) -> ActionDiagnostic {
    ActionDiagnostic {
        diagnostic: Diagnostic::with_code(kind.code(), severity, span, message).with_help(help),
        path: path.to_owned(),
    }
}

/// The text is not JSON (A0001), at the reader's position.
pub fn json_syntax(e: crate::json::JsonError) -> ActionDiagnostic {
    error(
        ActionErrorKind::JsonSyntax,
        e.span,
        "",
        e.message,
        "the editor takes JSON: an array of action objects, or one action object",
    )
}

/// The top level is neither an action nor an array of actions (A0002).
pub fn not_an_action(root: &crate::json::Json) -> ActionDiagnostic {
    error(
        ActionErrorKind::NotAnAction,
        root.span,
        "",
        format!(
            "expected an action or an array of actions, found {}",
            root.kind.describe()
        ),
        "the editor takes an array of action objects, or one action object",
    )
}
