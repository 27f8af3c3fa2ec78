//! The app side of an ALM Octane external action: the page a button opens.
//!
//! This crate owns what such an app may believe and send: the context
//! Octane substituted into its URL (and which Octane the app trusts to have
//! sent it), the envelopes of the events it posts back, where a request
//! goes and whether it may carry the XSRF header, and queries built from
//! untrusted values. It knows no JavaScript API: a browser or any other
//! host hands it strings (the page's URL, `document.cookie`, the embedder's
//! origin) and a [`UrlStandard`] parser, and acts on its answers.
//!
//! ```
//! use octane_app::{ActionContext, RustUrl, Trust};
//!
//! let url = "https://tickets.example.com/?shared_space=1001&workspace=1002&entity_ids=7\
//!            &octane_url=https%3A%2F%2Foctane.example.com";
//! let context = ActionContext::from_url(url, &RustUrl).unwrap();
//! let trust = Trust {
//!     octane_origins: vec!["https://octane.example.com".into()],
//!     ..Trust::default()
//! };
//! trust.check(&context, "https://tickets.example.com", &RustUrl).unwrap();
//! assert_eq!(
//!     octane_app::resolve(&context, "defects/7", &RustUrl).unwrap(),
//!     "https://octane.example.com/api/shared_spaces/1001/workspaces/1002/defects/7"
//! );
//! ```

mod context;
mod diagnostics;
mod events;
mod requests;
mod template;
mod urls;

pub use context::{ActionContext, Trust, context_parameters, entity_path, id_segment, is_id};
pub use diagnostics::{AppError, AppErrorKind};
pub use events::{EVENT_NAMES, Event, accepts_message, envelope};
pub use requests::{
    XSRF_COOKIE, XSRF_HEADER, XsrfPlan, may_carry_xsrf, redirected, resolve, xsrf_allowed,
    xsrf_plan, xsrf_token,
};
pub use template::{QueryTemplateError, TemplateValue, query_template};
#[cfg(feature = "url")]
pub use urls::RustUrl;
pub use urls::{UrlParts, UrlStandard, exact_origin, origin};
