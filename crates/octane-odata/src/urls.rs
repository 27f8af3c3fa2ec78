//! URL builders for both APIs: a REST collection URL with `query="..."`
//! correctly encoded, and an OData URL with its system query options.

pub use crate::encoding::percent_encode;
use crate::encoding::{FIELD_LIST, LIST, ODATA_VALUE, encode_with};
use octane_query::{Diagnostic, Severity, Span};

use crate::diagnostics::ODataErrorKind;
use crate::expr::parse_expr;

/// Where a workspace lives.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    /// `https://octane.example.com` (a trailing `/` is dropped).
    pub server: String,
    /// The shared space id.
    pub shared_space: String,
    /// The workspace id.
    pub workspace: String,
}

/// The parts of a REST collection request.
#[derive(Clone, Debug, Default)]
pub struct RestRequest {
    /// The collection (`defects`).
    pub collection: String,
    /// The query statement; sent in canonical form.
    pub query: Option<String>,
    /// `fields`.
    pub fields: Vec<String>,
    /// `order_by`: `name,-id`.
    pub order_by: Option<String>,
    /// `limit`.
    pub limit: Option<u64>,
    /// `offset`.
    pub offset: Option<u64>,
}

/// The parts of an OData request.
#[derive(Clone, Debug, Default)]
pub struct ODataRequestParts {
    /// The entity set (`defects`).
    pub entity_set: String,
    /// `$filter`, checked before it is sent.
    pub filter: Option<String>,
    /// `$select`.
    pub select: Vec<String>,
    /// `$orderby`: `name desc,id`.
    pub orderby: Option<String>,
    /// `$top`.
    pub top: Option<u64>,
    /// `$skip`.
    pub skip: Option<u64>,
    /// `$count`.
    pub count: Option<bool>,
    /// `$expand`: `owner($select=name)`.
    pub expand: Option<String>,
}

fn bad(message: String, help: &str) -> Diagnostic {
    Diagnostic::with_code(
        ODataErrorKind::BadUrlPart.code(),
        Severity::Error,
        Span::default(),
        message,
    )
    .with_help(help)
}

fn base(workspace: &Workspace, api: &str) -> Result<String, Vec<Diagnostic>> {
    let server = workspace.server.trim_end_matches('/');
    let lower = server.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or("");
    if host.is_empty() || host.contains(['/', '?', '#', '@', ' ']) {
        return Err(vec![bad(
            format!("`{}` is not a server URL", workspace.server),
            "pass the site's URL, such as https://octane.example.com",
        )]);
    }
    for (name, id) in [
        ("shared space", &workspace.shared_space),
        ("workspace", &workspace.workspace),
    ] {
        if id.is_empty() {
            return Err(vec![bad(
                format!("the {name} id is empty"),
                "pass the ids, such as 1001 and 1002",
            )]);
        }
    }
    Ok(format!(
        "{server}/{api}/shared_spaces/{}/workspaces/{}/",
        percent_encode(&workspace.shared_space),
        percent_encode(&workspace.workspace)
    ))
}

fn name_list(names: &[String], what: &str) -> Result<String, Vec<Diagnostic>> {
    for name in names {
        if name.is_empty()
            || !name.chars().all(|c| {
                c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '{' | '}' | ',' | '*')
            })
        {
            return Err(vec![bad(
                format!("`{name}` is not a field name"),
                &format!("list {what} names, such as id,name"),
            )]);
        }
    }
    Ok(encode_with(&names.join(","), FIELD_LIST))
}

/// `<server>/api/shared_spaces/<space>/workspaces/<ws>/<collection>?query="..."&fields=...`
pub fn build_rest_url(
    workspace: &Workspace,
    request: &RestRequest,
) -> Result<String, Vec<Diagnostic>> {
    Ok(base(workspace, "api")? + &rest_path(request)?)
}

/// `<collection>?query="..."&fields=...`: the part of a REST URL after the
/// workspace, the query validated and sent in canonical form.
pub fn rest_path(request: &RestRequest) -> Result<String, Vec<Diagnostic>> {
    let mut url = String::new();
    if request.collection.is_empty() {
        return Err(vec![bad(
            "the collection is empty".into(),
            "name it, such as defects",
        )]);
    }
    url.push_str(&percent_encode(&request.collection));
    let mut params: Vec<String> = Vec::new();
    if let Some(query) = request.query.as_deref().filter(|q| !q.trim().is_empty()) {
        let canonical = octane_query::format(query).map_err(|d| d.0)?;
        params.push(format!(
            "query={}",
            percent_encode(&format!("\"{canonical}\""))
        ));
    }
    if !request.fields.is_empty() {
        params.push(format!("fields={}", name_list(&request.fields, "field")?));
    }
    if let Some(order) = request.order_by.as_deref().filter(|o| !o.is_empty()) {
        let items: Vec<String> = order.split(',').map(|s| s.trim().to_owned()).collect();
        let names: Vec<String> = items
            .iter()
            .map(|i| i.trim_start_matches('-').to_owned())
            .collect();
        name_list(&names, "field")?;
        params.push(format!("order_by={}", encode_with(&items.join(","), LIST)));
    }
    if let Some(limit) = request.limit {
        if limit == 0 {
            return Err(vec![bad(
                "`limit` must be at least 1".into(),
                "pass a page size, such as 100",
            )]);
        }
        params.push(format!("limit={limit}"));
    }
    if let Some(offset) = request.offset {
        params.push(format!("offset={offset}"));
    }
    if !params.is_empty() {
        url.push('?');
        url.push_str(&params.join("&"));
    }
    Ok(url)
}

/// `<server>/odata/v4/shared_spaces/<space>/workspaces/<ws>/<entity set>?$filter=...`
pub fn build_odata_url(
    workspace: &Workspace,
    request: &ODataRequestParts,
) -> Result<String, Vec<Diagnostic>> {
    let mut url = base(workspace, "odata/v4")?;
    if request.entity_set.is_empty() {
        return Err(vec![bad(
            "the entity set is empty".into(),
            "name it, such as defects",
        )]);
    }
    url.push_str(&percent_encode(&request.entity_set));
    let mut params: Vec<String> = Vec::new();
    // Spaces as %20; the separators OData reads kept as they are.
    let value = |v: &str| encode_with(v, ODATA_VALUE);
    if let Some(filter) = request.filter.as_deref().filter(|f| !f.trim().is_empty()) {
        parse_expr(filter, 0).map_err(|d| vec![d])?;
        params.push(format!("$filter={}", value(filter)));
    }
    if !request.select.is_empty() {
        params.push(format!(
            "$select={}",
            name_list(&request.select, "property")?
        ));
    }
    if let Some(order) = request.orderby.as_deref().filter(|o| !o.is_empty()) {
        params.push(format!("$orderby={}", value(order)));
    }
    if let Some(top) = request.top {
        params.push(format!("$top={top}"));
    }
    if let Some(skip) = request.skip {
        params.push(format!("$skip={skip}"));
    }
    if let Some(count) = request.count {
        params.push(format!("$count={count}"));
    }
    if let Some(expand) = request.expand.as_deref().filter(|e| !e.is_empty()) {
        let parsed = crate::parse_odata(&format!("$expand={expand}"));
        if let Some(error) = parsed.diagnostics.into_iter().find(Diagnostic::is_error) {
            return Err(vec![error]);
        }
        params.push(format!("$expand={}", value(expand)));
    }
    if !params.is_empty() {
        url.push('?');
        url.push_str(&params.join("&"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> Workspace {
        Workspace {
            server: "https://octane.example.com/".into(),
            shared_space: "1001".into(),
            workspace: "1002".into(),
        }
    }

    #[test]
    fn rest_urls() {
        let url = build_rest_url(
            &workspace(),
            &RestRequest {
                collection: "defects".into(),
                query: Some("name = 'a&b #1';id>5".into()),
                fields: vec!["id".into(), "name".into(), "owner{name}".into()],
                order_by: Some("name,-id".into()),
                limit: Some(10),
                offset: Some(20),
            },
        )
        .unwrap();
        assert_eq!(
            url,
            "https://octane.example.com/api/shared_spaces/1001/workspaces/1002/defects?query=%22name%20EQ%20%5Ea%26b%20%231%5E%3Bid%20GT%205%22&fields=id,name,owner{name}&order_by=name,-id&limit=10&offset=20"
        );
        let error = build_rest_url(
            &workspace(),
            &RestRequest {
                collection: "defects".into(),
                query: Some("id ==".into()),
                ..RestRequest::default()
            },
        )
        .unwrap_err();
        assert_eq!(error[0].code, "Q0008");
    }

    #[test]
    fn odata_urls() {
        let url = build_odata_url(
            &workspace(),
            &ODataRequestParts {
                entity_set: "defects".into(),
                filter: Some("name eq 'a b' and id gt 5".into()),
                select: vec!["id".into(), "name".into()],
                orderby: Some("name desc".into()),
                top: Some(5),
                skip: Some(10),
                count: Some(true),
                expand: Some("owner($select=name)".into()),
            },
        )
        .unwrap();
        assert_eq!(
            url,
            "https://octane.example.com/odata/v4/shared_spaces/1001/workspaces/1002/defects?$filter=name%20eq%20'a%20b'%20and%20id%20gt%205&$select=id,name&$orderby=name%20desc&$top=5&$skip=10&$count=true&$expand=owner($select=name)"
        );
        let parsed = crate::parse_odata(&url);
        assert_eq!(parsed.request.entity_set.as_deref(), Some("defects"));
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        assert_eq!(
            parsed.request.options.filter_text.as_deref(),
            Some("name eq 'a b' and id gt 5")
        );
        let bad_server = Workspace {
            server: "javascript:alert(1)".into(),
            ..workspace()
        };
        assert_eq!(
            build_odata_url(
                &bad_server,
                &ODataRequestParts {
                    entity_set: "defects".into(),
                    ..ODataRequestParts::default()
                }
            )
            .unwrap_err()[0]
                .code,
            "O0006"
        );
    }
}
