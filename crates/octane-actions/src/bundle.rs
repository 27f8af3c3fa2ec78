//! Actions hosted in Octane as an uploaded bundle: an action whose URL
//! points into the bundle must name a file the bundle has.
//!
//! Octane serves an uploaded zip under
//! `{octane_url}/api/shared_spaces/{shared_space}/external-entity-actions/bundle/`
//! (also written `{bundle_url}/`): `.../bundle/foo/foo.html` is the file
//! `foo/foo.html` of the bundle.

use std::collections::HashSet;

use octane_query::Span;
use octane_query::suggest::did_you_mean;

use crate::diagnostics::{ActionDiagnostic, ActionErrorKind as K, json_syntax, warning};
use crate::json::{self, Json, JsonKind, string_offset};

/// How an action URL reaches into the bundle.
pub const BUNDLE_PREFIXES: [&str; 2] = [
    "{octane_url}/api/shared_spaces/{shared_space}/external-entity-actions/bundle/",
    "{bundle_url}/",
];

/// Checks every action of `config` (the editor's JSON) whose URL points
/// into the bundle against the bundle's `files` (paths inside the zip,
/// `/`-separated, such as `foo/foo.html`): a file the bundle does not have
/// is a warning located at that part of the URL. Other problems of the
/// config are `validate_actions`'s business; a config that is not JSON
/// gets its syntax error.
pub fn validate_bundle(config: &str, files: &[String]) -> Vec<ActionDiagnostic> {
    let root = match json::parse(config) {
        Ok(root) => root,
        Err(e) => return vec![json_syntax(e)],
    };
    // A zip of a folder holds that folder: `bundle/foo/foo.html` also
    // answers for `foo/foo.html`.
    let names: HashSet<&str> = files
        .iter()
        .flat_map(|f| {
            let f = f.trim_start_matches("./").trim_start_matches('/');
            [Some(f), f.split_once('/').map(|(_, rest)| rest)]
        })
        .flatten()
        .collect();
    let mut out = Vec::new();
    let mut check = |action: &Json, path: String| {
        let Some(url) = action.get("url") else {
            return;
        };
        let JsonKind::String(text) = &url.value.kind else {
            return;
        };
        let Some((prefix, file)) = BUNDLE_PREFIXES
            .iter()
            .find_map(|p| text.strip_prefix(p).map(|rest| (p.len(), rest)))
        else {
            return;
        };
        let file = &file[..file.find(['?', '#']).unwrap_or(file.len())];
        // A path built from tokens cannot be checked before a click.
        if file.contains('{') {
            return;
        }
        let decoded = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
        if names.contains(decoded.as_ref()) {
            return;
        }
        let span = Span::new(
            string_offset(config, url.value.span, prefix),
            string_offset(config, url.value.span, prefix + file.len()),
        );
        let suggestion = did_you_mean(&decoded, names.iter().copied());
        let help = match suggestion {
            Some(name) => format!("did you mean `{name}`?"),
            None if names.is_empty() => {
                "the bundle is empty: upload the zip of the action's files".to_owned()
            }
            None => format!(
                "the URL names a path inside the zip, such as `{}`",
                names.iter().min().copied().unwrap_or_default()
            ),
        };
        out.push(warning(
            K::MissingBundleFile,
            span,
            &format!("{path}/url"),
            format!("the bundle has no file `{decoded}`"),
            help,
        ));
    };
    match &root.kind {
        JsonKind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check(item, format!("/{i}"));
            }
        }
        JsonKind::Object(_) => check(&root, String::new()),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_url_into_the_bundle_must_name_one_of_its_files() {
        let config = r#"[
          {"name":"foo","url":"{octane_url}/api/shared_spaces/{shared_space}/external-entity-actions/bundle/foo/foo.html?ids={entity_ids}"},
          {"name":"bar","url":"{bundle_url}/bar/index.htm#x"},
          {"name":"ext","url":"https://example.com/bar/missing.html"},
          {"name":"tok","url":"{bundle_url}/{workspace}/a.html"}
        ]"#;
        let bundle = files(&["foo/foo.html", "bar/index.html", "common/lib.js"]);
        let found = validate_bundle(config, &bundle);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert_eq!(d.diagnostic.code, "A0038");
        assert_eq!(d.path, "/1/url");
        assert_eq!(&config[d.diagnostic.span.range()], "bar/index.htm");
        assert_eq!(
            d.diagnostic.help.as_deref(),
            Some("did you mean `bar/index.html`?")
        );
    }

    #[test]
    fn a_zip_of_the_bundle_folder_and_encoded_names_are_understood() {
        let config = r#"{"name":"a","url":"{bundle_url}/my%20app/index.html"}"#;
        assert!(validate_bundle(config, &files(&["bundle/my app/index.html"])).is_empty());
        let missing = validate_bundle(config, &[]);
        assert_eq!(
            missing[0].diagnostic.message,
            "the bundle has no file `my app/index.html`"
        );
        assert!(
            validate_bundle("[1,", &[])
                .iter()
                .all(|d| d.diagnostic.code == "A0001")
        );
    }
}
