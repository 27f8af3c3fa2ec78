//! The JavaScript face of octane-kit, published on npm as `octane-kit`.
//!
//! This crate owns the conversion between JavaScript values and the core
//! crates' types, and nothing else: each export converts its arguments,
//! calls a core crate and converts the result back. It is the only crate
//! that knows about JavaScript (wasm-bindgen, js-sys, web-sys, gloo-net);
//! it holds no query, schema or action logic of its own.
//!
//! Two rules hold at this boundary:
//! - Spans handed to JavaScript are UTF-16 code-unit offsets (what editors
//!   and `String.prototype.slice` use); the core crates keep byte offsets.
//! - No input makes the module trap: arguments of the wrong type become a
//!   thrown `TypeError`, bad queries become diagnostics, and the core
//!   crates bound recursion and input size.
//! - Exports take JavaScript values as owned `JsValue`s, never `&JsValue`.
//!   For a borrowed argument the generated glue pops its borrow stack in a
//!   `finally` block even when the call threw before pushing (a wrong
//!   class, or a method called without its object), so each such throw
//!   would overwrite a live slot of the module's object heap; owned values
//!   go through the heap itself and cannot drift.
//!
//! The crate builds two entries of the package. With the default feature
//! `full` it is `octane-kit` itself; without it, `octane-kit/app`: what
//! the web app an action opens needs (its context, host events,
//! `octaneFetch`, `collectionPath`, `buildQuery`, schemas, and the query
//! parser, formatter, explainer, tokenizer and validator), without the
//! evaluator, the sample workspace, OData and the action-config tools.
//!
//! ```js
//! import init, { formatQuery } from "octane-kit";
//! await init();
//! formatQuery("name='x';id>5"); // "name EQ ^x^;id GT 5"
//! ```

// Owned `JsValue` arguments are deliberate: see the rules above.
#![allow(clippy::needless_pass_by_value)]

#[cfg(feature = "full")]
mod actions;
mod alloc;
mod app;
mod collection;
// Some helpers serve only the exports of the full entry.
#[cfg_attr(not(feature = "full"), allow(dead_code))]
mod convert;
#[cfg(feature = "full")]
mod dataset;
mod fetch;
mod host;
#[cfg(feature = "full")]
mod odata;
mod query;
#[cfg(feature = "full")]
mod rows;
mod schema;
mod tape;
mod tree;
mod urls;

/// Memory grows geometrically: see `alloc`.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: alloc::ModuleAllocator = alloc::ModuleAllocator::new();

#[cfg(feature = "full")]
pub use actions::{
    aggregated_type, render_action_url, render_action_url_parts, validate_actions_js,
    validate_bundle_js,
};
pub use app::{ActionContext, build_query};
pub use collection::collection_path;
#[cfg(feature = "full")]
pub use dataset::{Dataset, examples};
pub use fetch::octane_fetch;
pub use host::OctaneHost;
#[cfg(feature = "full")]
pub use odata::{
    build_odata_url_js, build_rest_url_js, odata_to_query_js, parse_odata_js, query_to_odata_js,
};
pub use query::{explain_query, format_query, parse_query, tokenize_query};
pub use schema::{Schema, complete_query, validate_query};
