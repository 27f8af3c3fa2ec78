//! A whole OData URL, or just its query string: the entity set and key,
//! and the system query options, percent-decoding included.

use octane_query::{Diagnostic, Severity, Span};

use crate::diagnostics::ODataErrorKind;
pub use crate::encoding::percent_decode;
use crate::expr::{Expr, parse_expr};

/// Deepest nesting of `$expand` items accepted: `a($expand=b($expand=c))`
/// is three levels.
pub const MAX_EXPAND_DEPTH: usize = 32;

/// The system query options this parser reads (with or without `$`).
const SYSTEM: [&str; 9] = [
    "select", "filter", "orderby", "top", "skip", "count", "search", "format", "expand",
];

/// One `$orderby` item.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderItem {
    /// The expression ordered by.
    pub expr: Expr,
    /// `desc`?
    pub descending: bool,
}

/// One `$expand` item: a path and its nested options.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpandItem {
    /// `Items`, `Customer/Address`, `*`, with `/$ref` or `/$count` kept.
    pub path: String,
    /// Options in parentheses: `($select=name;$filter=id gt 5)`.
    pub options: SystemQueryOptions,
}

/// The system query options of a request (or of an `$expand` item).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SystemQueryOptions {
    /// `$select` items.
    pub select: Option<Vec<String>>,
    /// `$filter`, parsed.
    pub filter: Option<Expr>,
    /// `$filter` as written (decoded).
    pub filter_text: Option<String>,
    /// `$orderby` items.
    pub orderby: Option<Vec<OrderItem>>,
    /// `$top`.
    pub top: Option<u64>,
    /// `$skip`.
    pub skip: Option<u64>,
    /// `$count`.
    pub count: Option<bool>,
    /// `$search`, as written (decoded).
    pub search: Option<String>,
    /// `$format`.
    pub format: Option<String>,
    /// `$expand` items.
    pub expand: Option<Vec<ExpandItem>>,
    /// Other options (`$compute`, `$apply`, custom ones, `@aliases`), in
    /// order, decoded.
    pub other: Vec<(String, String)>,
}

/// A parsed OData request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ODataRequest {
    /// The entity set (`defects`).
    pub entity_set: Option<String>,
    /// The key in `/defects('6001')`.
    pub key: Option<String>,
    /// Path segments after the entity set or key (`name`, `$value`).
    pub path: Vec<String>,
    /// The query options.
    pub options: SystemQueryOptions,
}

/// The result: the request, and every problem found.
#[derive(Clone, Debug, Default)]
pub struct ParsedOData {
    /// The request as far as it could be read.
    pub request: ODataRequest,
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

fn bad(span: Span, message: impl Into<String>, help: &str) -> Diagnostic {
    Diagnostic::with_code(
        ODataErrorKind::BadOption.code(),
        Severity::Error,
        span,
        message,
    )
    .with_help(help)
}

/// Parses a whole OData URL, a path with a query, or a query string.
pub fn parse_odata(input: &str) -> ParsedOData {
    let mut diagnostics = Vec::new();
    let (path, query, query_at) = match input.find('?') {
        Some(q) => (&input[..q], &input[q + 1..], q + 1),
        None if looks_like_query(input) => ("", input, 0),
        None => (input, "", input.len()),
    };
    let mut request = ODataRequest::default();
    resource(path, &mut request, &mut diagnostics);
    request.options = query_options(query, query_at as u32, '&', 0, &mut diagnostics);
    // Every span on the input's characters, whatever a check measured.
    for diagnostic in &mut diagnostics {
        diagnostic.span = on_characters(input, diagnostic.span);
        for label in &mut diagnostic.labels {
            label.span = on_characters(input, label.span);
        }
    }
    ParsedOData {
        request,
        diagnostics,
    }
}

/// `span` widened to whole characters of `text` and cut to its length.
fn on_characters(text: &str, span: Span) -> Span {
    let mut start = (span.start as usize).min(text.len());
    let mut end = (span.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start as u32, end as u32)
}

fn looks_like_query(input: &str) -> bool {
    let name = input.split(['=', '&']).next().unwrap_or("");
    (input.contains('=') || input.starts_with('$')) && !name.contains('/')
}

/// `.../workspaces/1002/defects('6001')/name/$value`.
fn resource(path: &str, request: &mut ODataRequest, diagnostics: &mut Vec<Diagnostic>) {
    let (decoded, _) = percent_decode(path);
    let without_host = decoded.find("://").map_or(decoded.as_str(), |i| {
        decoded[i + 3..]
            .find('/')
            .map_or("", |j| &decoded[i + 3 + j..])
    });
    let segments: Vec<&str> = without_host.split('/').filter(|s| !s.is_empty()).collect();
    // After `workspaces/<id>` when the base path is there.
    let start = segments
        .iter()
        .position(|s| *s == "workspaces")
        .map_or(0, |i| i + 2);
    let Some(first) = segments.get(start) else {
        return;
    };
    let (name, key) = match first.find('(') {
        Some(open) if first.ends_with(')') => {
            let key = &first[open + 1..first.len() - 1];
            let key = key
                .strip_prefix('\'')
                .and_then(|k| k.strip_suffix('\''))
                .map_or_else(|| key.to_owned(), |k| k.replace("''", "'"));
            (&first[..open], Some(key))
        }
        Some(_) => {
            diagnostics.push(bad(
                Span::default(),
                format!("the key in `{first}` is not closed"),
                "write the key as defects('6001')",
            ));
            (*first, None)
        }
        None => (*first, None),
    };
    request.entity_set = Some(name.to_owned());
    request.key = key;
    request.path = segments[start + 1..]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
}

/// Splits at `separator` outside parentheses and quotes (at every `&`: a
/// literal `&` in a URL is always encoded); returns (text, offset) pairs.
fn split_top(text: &str, separator: char) -> Vec<(&str, usize)> {
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, c) in text.char_indices() {
        if separator == '&' && c == '&' {
            parts.push((&text[start..i], start));
            start = i + 1;
            continue;
        }
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            c if c == separator && depth <= 0 && !quoted => {
                parts.push((&text[start..i], start));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push((&text[start..], start));
    parts
}

/// The options of a query string (`separator` `&`) or of an `$expand`
/// item's parentheses (`;`). `at` is the text's offset in the input.
fn query_options(
    text: &str,
    at: u32,
    separator: char,
    depth: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> SystemQueryOptions {
    let mut options = SystemQueryOptions::default();
    let mut seen: Vec<String> = Vec::new();
    for (part, offset) in split_top(text, separator) {
        if part.is_empty() {
            continue;
        }
        let part_at = at + offset as u32;
        let Some(eq) = part.find('=') else {
            let (name, _) = percent_decode(part);
            let bare = name.trim_start_matches('$').to_ascii_lowercase();
            if !name.starts_with('$') && !SYSTEM.contains(&bare.as_str()) {
                options.other.push((name, String::new()));
                continue;
            }
            let end = part_at + part.len() as u32;
            diagnostics.push(bad(
                Span::new(end, end),
                format!("the query option `{part}` has no `=value`"),
                "write name=value, such as $count=true",
            ));
            continue;
        };
        let (raw_name, raw_value, value_at) =
            (&part[..eq], &part[eq + 1..], part_at + eq as u32 + 1);
        // Where a reader of the grammar stops: at the first white space in
        // the name, or where the value should have begun after white space
        // following `=` (as the OASIS test cases place it); the span covers
        // the character there, or is empty at the end.
        let lead = raw_value.len() - raw_value.trim_start().len();
        let space = raw_name
            .find(char::is_whitespace)
            .or_else(|| (lead > 0).then_some(eq + 1 + lead));
        if let Some(space) = space {
            let at = part_at + space as u32;
            let width = part[space..].chars().next().map_or(0, char::len_utf8) as u32;
            diagnostics.push(bad(
                Span::new(at, at + width),
                "white space around `=` in a query option",
                "write $filter=... with no spaces around =",
            ));
            continue;
        }
        let (name, _) = percent_decode(raw_name);
        let (value, map) = percent_decode(raw_value);
        let lower = name.trim_start_matches('$').to_ascii_lowercase();
        let known = [
            "select", "filter", "orderby", "top", "skip", "count", "search", "format", "expand",
        ];
        let system =
            known.contains(&lower.as_str()) && (name.starts_with('$') || !name.starts_with('@'));
        let name_span = Span::new(part_at, part_at + raw_name.len() as u32);
        if !system {
            let span = Span::new(value_at, value_at + raw_value.len() as u32);
            check_other(&lower, raw_value, span, diagnostics);
            options.other.push((name, value));
            continue;
        }
        if seen.contains(&lower) {
            diagnostics.push(
                Diagnostic::with_code(
                    ODataErrorKind::DuplicateOption.code(),
                    Severity::Warning,
                    name_span,
                    format!("`${lower}` is given more than once"),
                )
                .with_help("servers reject or ignore repeated system query options; keep one"),
            );
        }
        seen.push(lower.clone());
        let value_span = Span::new(value_at, value_at + raw_value.len() as u32);
        let mut context = OptionValue {
            raw: raw_value,
            value: &value,
            map: &map,
            at: value_at,
            span: value_span,
            depth,
            diagnostics,
        };
        match lower.as_str() {
            "select" => options.select = context.items(),
            "filter" => {
                options.filter = context.expr();
                options.filter_text = Some(value.clone());
            }
            "orderby" => options.orderby = context.orderby(),
            "top" => options.top = context.number("$top"),
            "skip" => options.skip = context.number("$skip"),
            "count" => options.count = context.boolean(),
            "search" => options.search = context.search(),
            "format" => options.format = context.format(),
            _ => options.expand = context.expand(),
        }
    }
    options
}

struct OptionValue<'a> {
    /// The value as written (percent-encoded).
    raw: &'a str,
    /// The value decoded.
    value: &'a str,
    map: &'a [u32],
    at: u32,
    span: Span,
    /// How many `$expand` items enclose this option.
    depth: usize,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl OptionValue<'_> {
    /// A span of the decoded value, in input offsets.
    fn span_of(&self, span: Span) -> Span {
        let map = |i: u32| self.at + self.map.get(i as usize).copied().unwrap_or(self.span.len());
        Span::new(map(span.start), map(span.end))
    }

    fn error(&mut self, message: String, help: &str) {
        self.diagnostics.push(bad(self.span, message, help));
    }

    fn expr(&mut self) -> Option<Expr> {
        match parse_expr(self.value, 0) {
            Ok(mut expr) => {
                remap(&mut expr, &|s| self.span_of(s));
                Some(expr)
            }
            Err(mut d) => {
                d.span = self.span_of(d.span);
                self.diagnostics.push(d);
                None
            }
        }
    }

    fn items(&mut self) -> Option<Vec<String>> {
        let mut items = Vec::new();
        for (item, _) in split_top(self.value, ',') {
            let item = item.trim();
            let name_end = item.find('(').unwrap_or(item.len());
            let valid = !item.is_empty()
                && item[..name_end]
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '*' | '@' | '$'))
                && (name_end == item.len() || item.ends_with(')'));
            if !valid {
                self.error(
                    format!("`{item}` is not a property path"),
                    "list property names separated by commas: $select=id,name",
                );
                return None;
            }
            items.push(item.to_owned());
        }
        Some(items)
    }

    fn orderby(&mut self) -> Option<Vec<OrderItem>> {
        let mut items = Vec::new();
        for (item, offset) in split_top(self.value, ',') {
            let trimmed = item.trim_end();
            let (text, descending) = if let Some(t) = strip_word(trimmed, "desc") {
                (t, true)
            } else {
                (strip_word(trimmed, "asc").unwrap_or(trimmed), false)
            };
            let lead = text.len() - text.trim_start().len();
            match parse_expr(text.trim_start(), (offset + lead) as u32) {
                Ok(mut expr) => {
                    remap(&mut expr, &|s| self.span_of(s));
                    items.push(OrderItem { expr, descending });
                }
                Err(mut d) => {
                    d.span = self.span_of(d.span);
                    self.diagnostics.push(d);
                    return None;
                }
            }
        }
        Some(items)
    }

    fn number(&mut self, name: &str) -> Option<u64> {
        let parsed = self
            .value
            .parse::<u64>()
            .ok()
            .filter(|_| self.value.bytes().all(|b| b.is_ascii_digit()));
        if parsed.is_none() {
            self.error(
                format!(
                    "`{name}` takes a whole number, 0 or more, not `{}`",
                    self.value
                ),
                "write such as $top=10",
            );
        }
        parsed
    }

    fn boolean(&mut self) -> Option<bool> {
        match self.value.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.error(
                    format!("`$count` takes true or false, not `{}`", self.value),
                    "write $count=true",
                );
                None
            }
        }
    }

    /// Search terms: `raw` must not hold an unencoded `#` or `;`, and
    /// parentheses outside quotes must balance.
    fn search(&mut self) -> Option<String> {
        if let Some(i) = self.raw.find(['#', ';']) {
            let at = self.at + i as u32;
            self.diagnostics.push(bad(
                Span::new(at, at + 1),
                "this character must be percent-encoded in `$search`",
                "write # as %23 and ; as %3B",
            ));
            return None;
        }
        let mut opens: Vec<usize> = Vec::new();
        let mut stray: Option<usize> = None;
        let mut quote: Option<char> = None;
        let mut glued: Option<usize> = None;
        let mut chars = self.value.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match (quote, c) {
                (Some('"'), '"') => {
                    quote = None;
                    // A phrase ends at white space, `)` or the end.
                    if chars
                        .peek()
                        .is_some_and(|(_, n)| !(n.is_whitespace() || *n == ')'))
                    {
                        glued.get_or_insert(i + 1);
                    }
                }
                (Some(q), c) if c == q => quote = None,
                (None, '"' | '\'') => quote = Some(c),
                (None, '(') => opens.push(i),
                // The pop in the guard matches the `)` with its `(`.
                (None, ')') if opens.pop().is_none() => {
                    stray.get_or_insert(i);
                }
                _ => {}
            }
        }
        let end = self.value.len();
        let problem = glued
            .or(stray)
            .or_else(|| opens.first().copied())
            .or_else(|| (quote == Some('"')).then_some(end))
            .or_else(|| self.value.trim().is_empty().then_some(end));
        if let Some(at) = problem {
            let width = self.value[at..].chars().next().map_or(0, char::len_utf8);
            let span = self.span_of(Span::new(at as u32, (at + width) as u32));
            self.diagnostics.push(bad(
                span,
                "`$search` needs search terms with balanced parentheses and closed \"phrases\"",
                "write such as $search=blue AND \"dark green\"",
            ));
            return None;
        }
        Some(self.value.to_owned())
    }

    fn format(&mut self) -> Option<String> {
        let v = self.value;
        let ok = ["json", "xml", "atom"].contains(&v.to_ascii_lowercase().as_str())
            || v.split_once('/')
                .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty());
        if !ok {
            self.error(
                format!("`$format` takes json, xml, atom or a media type, not `{v}`"),
                "write $format=json",
            );
            return None;
        }
        Some(v.to_owned())
    }

    fn expand(&mut self) -> Option<Vec<ExpandItem>> {
        if self.depth >= MAX_EXPAND_DEPTH {
            // Reported once, at the first level too deep, whose text is
            // not read further.
            let path = self.raw.find(['(', ',']).unwrap_or(self.raw.len());
            self.diagnostics.push(
                Diagnostic::with_code(
                    ODataErrorKind::ExpandTooDeep.code(),
                    Severity::Error,
                    Span::new(self.at, self.at + path as u32),
                    format!("`$expand` nests deeper than {MAX_EXPAND_DEPTH} levels"),
                )
                .with_help("expand fewer levels in one request, or fetch the inner entities in a second request"),
            );
            return None;
        }
        let mut items = Vec::new();
        // Split the text as written: an encoded `;` or `,` is data.
        for (item, offset) in split_top(self.raw, ',') {
            let item_trim = item.trim();
            let (path, inner) = match item_trim.find('(') {
                Some(open) if item_trim.ends_with(')') => (
                    &item_trim[..open],
                    Some((&item_trim[open + 1..item_trim.len() - 1], offset + open + 1)),
                ),
                Some(_) => {
                    self.error(
                        format!("`{item_trim}` has an unclosed `(`"),
                        "close the nested options: Items($top=2)",
                    );
                    return None;
                }
                None => (item_trim, None),
            };
            if path.is_empty()
                || !path
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '*' | '@' | '$'))
            {
                self.error(
                    format!("`{item_trim}` is not a navigation path"),
                    "write such as $expand=owner($select=name)",
                );
                return None;
            }
            let options = inner.map_or_else(SystemQueryOptions::default, |(text, at)| {
                query_options(
                    text,
                    self.at + at as u32,
                    ';',
                    self.depth + 1,
                    self.diagnostics,
                )
            });
            let (path, _) = percent_decode(path);
            let path = path.as_str();
            if let Some((problem, names)) = expand_restriction(path, &options) {
                let at = inner.and_then(|(text, at)| {
                    names
                        .iter()
                        .filter_map(|n| find_option(text, n))
                        .min()
                        .map(|i| self.at + (at + i) as u32)
                });
                if let Some(at) = at {
                    self.diagnostics.push(bad(
                        Span::new(at, at + 1),
                        problem,
                        "after /$ref only $filter, $search, $orderby, $skip and $top apply; after /$count only $filter and $search",
                    ));
                    return None;
                }
                self.error(
                    problem,
                    "after /$ref only $filter, $search, $orderby, $skip and $top apply; after /$count only $filter and $search",
                );
                return None;
            }
            items.push(ExpandItem {
                path: path.to_owned(),
                options,
            });
        }
        Some(items)
    }
}

/// What `path`'s suffix forbids among `options`: the message and the
/// option names at fault.
fn expand_restriction(
    path: &str,
    options: &SystemQueryOptions,
) -> Option<(String, Vec<&'static str>)> {
    let levels = options
        .other
        .iter()
        .any(|(n, _)| n.trim_start_matches('$').eq_ignore_ascii_case("levels"));
    if path.ends_with("/$ref") && (options.select.is_some() || options.expand.is_some() || levels) {
        let message = format!("`{path}` takes no $select, $expand or $levels");
        return Some((message, vec!["select", "expand", "levels"]));
    }
    let beyond_filter = options.count.is_some()
        || options.select.is_some()
        || options.expand.is_some()
        || options.top.is_some()
        || options.skip.is_some()
        || options.orderby.is_some()
        || levels;
    if path.ends_with("/$count") && beyond_filter {
        let message = format!("`{path}` takes only $filter and $search");
        return Some((
            message,
            vec![
                "count", "select", "expand", "top", "skip", "orderby", "levels",
            ],
        ));
    }
    None
}

/// The offset in `text` (nested options, `;`-separated) of the option
/// named `name` (with or without `$`, any case).
fn find_option(text: &str, name: &str) -> Option<usize> {
    split_top(text, ';').into_iter().find_map(|(part, offset)| {
        let option = part.split('=').next()?.trim_start_matches('$');
        option.eq_ignore_ascii_case(name).then_some(offset)
    })
}

/// Checks the options kept as text whose values have a fixed shape.
fn check_other(name: &str, raw_value: &str, span: Span, diagnostics: &mut Vec<Diagnostic>) {
    let whole = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    let problem = match name {
        "index" if !(whole(raw_value) || raw_value.strip_prefix('-').is_some_and(whole)) => {
            Some("`$index` takes a whole number")
        }
        "levels"
            if !(raw_value.eq_ignore_ascii_case("max")
                || (whole(raw_value) && !raw_value.starts_with('0'))) =>
        {
            Some("`$levels` takes max or a positive whole number without leading zeros")
        }
        _ => None,
    };
    if let Some(message) = problem {
        diagnostics.push(bad(span, message, "write such as $levels=2"));
    }
}

/// `text` without a trailing ` word` (any case).
fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let cut = text.len().checked_sub(word.len() + 1)?;
    // `get` refuses a cut inside a character (then there is no such word).
    let (head, tail) = (text.get(..cut)?, text.get(cut..)?);
    (tail.starts_with([' ', '\t']) && tail[1..].eq_ignore_ascii_case(word)).then_some(head)
}

/// Maps every span of `expr` through `f`.
fn remap(expr: &mut Expr, f: &dyn Fn(Span) -> Span) {
    use crate::expr::{ExprKind, Segment};
    expr.span = f(expr.span);
    match &mut expr.kind {
        ExprKind::Unary { operand, .. } => remap(operand, f),
        ExprKind::Binary { left, right, .. } => {
            remap(left, f);
            remap(right, f);
        }
        ExprKind::Call { args, .. } => args.iter_mut().for_each(|a| remap(a, f)),
        ExprKind::List(items) => items.iter_mut().for_each(|a| remap(a, f)),
        ExprKind::Path(segments) => {
            for segment in segments {
                match segment {
                    Segment::Call { args, .. } => args.iter_mut().for_each(|a| remap(a, f)),
                    Segment::Lambda {
                        body: Some((_, body)),
                        ..
                    } => remap(body, f),
                    _ => {}
                }
            }
        }
        ExprKind::Literal(_) | ExprKind::Json(_) => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn strip_word_never_cuts_a_character() {
        assert_eq!(super::strip_word("name desc", "desc"), Some("name"));
        assert_eq!(super::strip_word("naméasc", "desc"), None);
        assert_eq!(super::strip_word("ݟdesc", "desc"), None);
    }
}
