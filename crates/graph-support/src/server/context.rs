//! What a handler learns about a request: the operation, the path parameters by their
//! documented names, the OData query options, the headers.

use std::collections::BTreeMap;

use super::{Failure, OperationInfo};

/// What a handler learns about the request: which documented path matched, with its
/// parameters by their documented names, the query string with the OData options read,
/// and the headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// The documented operation.
    pub operation: &'static OperationInfo,
    /// The documented path template that matched, e.g. `/deviceManagement/x/{xId}`.
    pub template: &'static str,
    /// The request path as sent.
    pub path: String,
    /// Path parameters by their documented names.
    pub params: BTreeMap<String, String>,
    /// Query parameters.
    pub query: BTreeMap<String, String>,
    /// The OData query options (`$top`, `$select`, …), read from the query.
    pub options: QueryOptions,
    /// Request headers, by lower-case name (the last value of a repeated header).
    pub headers: BTreeMap<String, String>,
}

impl Context {
    /// Builds the context of a request from the router's captures, renaming them to the
    /// documented parameter names of `template` (the router may use other names where two
    /// documented paths share a position).
    pub fn new(
        operation: &'static OperationInfo,
        template: &'static str,
        path: &str,
        query: Option<&str>,
    ) -> Self {
        Context::read(operation, template, path, query).0
    }

    /// [`Context::new`], and the failure for query options that do not parse (a bad
    /// `$top`, say), which the router answers with 400; the context then has none.
    pub(crate) fn read(
        operation: &'static OperationInfo,
        template: &'static str,
        path: &str,
        query: Option<&str>,
    ) -> (Self, Option<Failure>) {
        let mut params = BTreeMap::new();
        let segments = path.trim_matches('/').split('/');
        for (pattern, value) in template.trim_matches('/').split('/').zip(segments) {
            // OData's quoted key `'{id}'`: the value inside the quotes.
            let (pattern, value) = (
                super::router::unquoted(pattern),
                super::router::unquoted(value),
            );
            if let Some(names) = pattern.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                // `{id | userPrincipalName}`: the value, under each documented name.
                for name in names.split('|').map(str::trim) {
                    params
                        .entry(name.to_string())
                        .or_insert_with(|| percent_decode(value));
                }
            }
        }
        let query = query
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(key), percent_decode(value))
            })
            .collect();
        let (options, bad_options) = match QueryOptions::parse(&query) {
            Ok(options) => (options, None),
            Err(failure) => (QueryOptions::default(), Some(failure)),
        };
        let cx = Context {
            operation,
            template,
            path: path.to_string(),
            options,
            params,
            query,
            headers: BTreeMap::new(),
        };
        (cx, bad_options)
    }

    /// The context with the request's headers.
    pub fn with_headers(mut self, headers: &axum::http::HeaderMap) -> Self {
        self.headers = headers
            .iter()
            .filter_map(|(name, value)| {
                Some((name.as_str().to_string(), value.to_str().ok()?.to_string()))
            })
            .collect();
        self
    }

    /// A path parameter by its documented name, read as `T` (`None` when absent or not a `T`).
    pub fn param<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.params.get(name)?.parse().ok()
    }

    /// A function's argument by its documented name (`f(date=2017-09-01)` →
    /// `cx.argument::<chrono::NaiveDate>("date")`), read as `T` like the typed client
    /// writes it: a 400 Graph error when it is missing or not a `T`.
    pub fn argument<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T, Failure> {
        let text = self.query.get(name).ok_or_else(|| {
            Failure::new(
                400,
                "BadRequest",
                format!("the argument `{name}` is missing"),
            )
        })?;
        crate::from_path_value(text).ok_or_else(|| {
            let message = format!("the argument `{name}` is not a valid value: `{text}`");
            Failure::new(400, "BadRequest", message)
        })
    }

    /// A header by name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// The OData system query options of a request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryOptions {
    /// `$top`: at most this many items.
    pub top: Option<usize>,
    /// `$skip`: skip this many items.
    pub skip: Option<usize>,
    /// `$select`: the properties to return.
    pub select: Vec<String>,
    /// `$expand`: the relationships to expand.
    pub expand: Vec<String>,
    /// `$orderby`: the sort keys, each `name` or `name desc`.
    pub orderby: Vec<String>,
    /// `$filter`, as written.
    pub filter: Option<String>,
    /// `$search`, as written.
    pub search: Option<String>,
    /// `$count`.
    pub count: Option<bool>,
}

impl QueryOptions {
    /// Reads the options of a query; a `$top`, `$skip` or `$count` that is not what it
    /// must be is a 400 naming it.
    pub fn parse(query: &BTreeMap<String, String>) -> Result<Self, Failure> {
        let number = |name: &str| -> Result<Option<usize>, Failure> {
            query
                .get(name)
                .map(|v| {
                    v.parse().map_err(|_| {
                        Failure::new(
                            400,
                            "BadRequest",
                            format!("`{name}` must be a whole number, not `{v}`"),
                        )
                    })
                })
                .transpose()
        };
        let count = match query.get("$count").map(String::as_str) {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(other) => {
                let message = format!("`$count` must be true or false, not `{other}`");
                return Err(Failure::new(400, "BadRequest", message));
            }
        };
        let list = |name: &str| -> Vec<String> {
            query
                .get(name)
                .map(|v| {
                    v.split(',')
                        .map(|item| item.trim().to_string())
                        .filter(|item| !item.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(QueryOptions {
            top: number("$top")?,
            skip: number("$skip")?,
            select: list("$select"),
            expand: list("$expand"),
            orderby: list("$orderby"),
            filter: query.get("$filter").cloned(),
            search: query.get("$search").cloned(),
            count,
        })
    }
}

/// Decodes `%XX` escapes (and `+` as a space) of a path segment or query value; an
/// escape that is not one is kept as it is.
pub fn percent_decode(text: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_and_bad_ones_named() {
        let query: BTreeMap<String, String> = [
            ("$top", "5"),
            ("$select", "id, displayName"),
            ("$count", "true"),
            ("$filter", "startswith(displayName,'a')"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let options = QueryOptions::parse(&query).unwrap();
        assert_eq!(options.top, Some(5));
        assert_eq!(options.select, ["id", "displayName"]);
        assert_eq!(options.count, Some(true));
        assert_eq!(
            options.filter.as_deref(),
            Some("startswith(displayName,'a')")
        );
        let bad = BTreeMap::from([("$skip".to_string(), "x".to_string())]);
        let failure = QueryOptions::parse(&bad).unwrap_err();
        assert!(failure.body.error.message.contains("$skip"));
    }
}
