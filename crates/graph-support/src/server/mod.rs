//! Server-side support for the generated route stubs (feature `server`): the request
//! context handlers receive, replies, Graph-style errors as responses, body parsing that
//! names the offending property, the router that dispatches through a table of
//! operations, and the in-memory store behind the mock server.
//!
//! Generated code describes each operation as data (an [`OperationInfo`] and a [`Route`])
//! and its handler traits are object-safe, so the routing and the mock store below are
//! compiled once, not once per operation.

mod context;
mod memory;
mod router;

pub use axum::body::Bytes;
pub use context::{Context, QueryOptions, percent_decode};
pub use memory::{MemoryStore, Seed};
pub use router::{
    Answer, BODY_LIMIT, DOWNLOAD_PREFIX, Pending, Route, Served, fallback, not_implemented, router,
    serve,
};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::GraphError;

/// The documented permissions of an operation, available to handlers as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Permissions {
    /// Delegated (work or school account) scopes, least privileged first.
    pub delegated_work: &'static [&'static str],
    /// Delegated (personal Microsoft account) scopes.
    pub delegated_personal: &'static [&'static str],
    /// Application scopes.
    pub application: &'static [&'static str],
}

/// What a documented operation is, as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationInfo {
    /// `create`, `get`, `list`, `update`, `delete`, `action` or `function`.
    pub kind: &'static str,
    /// The operation's name (the action's name for actions).
    pub name: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The documented success status.
    pub status: u16,
    /// Whether the operation returns a collection (`{"value": [...]}`).
    pub returns_collection: bool,
    /// The documented path.
    pub path: &'static str,
    /// What the in-memory store answers an action or function with, as JSON: a value of
    /// the documented type, so that a typed client reads it (`{"value": false}` for a
    /// Boolean, `{"value": []}` for a collection, `{}` for an object).
    pub empty_reply: &'static str,
    /// The documented permissions.
    pub permissions: Permissions,
}

/// A successful reply: the status and, for most operations, a body.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply<T> {
    /// The status code.
    pub status: u16,
    /// The body, if any.
    pub body: Option<T>,
}

impl<T> Reply<T> {
    /// A reply with a body.
    pub fn new(status: u16, body: T) -> Self {
        Reply {
            status,
            body: Some(body),
        }
    }

    /// A reply without a body (204).
    pub fn empty(status: u16) -> Self {
        Reply { status, body: None }
    }
}

impl<T: Serialize> IntoResponse for Reply<T> {
    fn into_response(self) -> Response {
        // Only the serialization depends on `T`; the response is built once for all.
        let body = self.body.map(|body| serde_json::to_vec(&body));
        json_response(self.status, body)
    }
}

fn json_response(status: u16, body: Option<serde_json::Result<Vec<u8>>>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    match body {
        Some(Ok(bytes)) => (status, [("content-type", "application/json")], bytes).into_response(),
        Some(Err(e)) => Failure::new(
            500,
            "InternalServerError",
            format!("cannot serialize the reply: {e}"),
        )
        .into_response(),
        None => status.into_response(),
    }
}

/// A failed request: a status and a Graph error body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The status code.
    pub status: u16,
    /// The error body.
    pub body: GraphError,
}

impl Failure {
    /// A failure with a status, an error code and a message.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        let mut body = GraphError::new(code, message);
        // As Graph does on every error: an id to quote to support, and the time.
        body.error.inner_error = Some(Box::new(crate::InnerError {
            request_id: Some(request_id()),
            date: Some(utc_now()),
            ..crate::InnerError::default()
        }));
        Failure { status, body }
    }

    /// 404 for a path that names nothing.
    pub fn not_found(path: &str) -> Self {
        Failure::new(404, "ResourceNotFound", format!("no resource at `{path}`"))
    }

    /// Whether this is the 501 of a handler method left unimplemented.
    pub fn is_not_implemented(&self) -> bool {
        self.status == 501 && self.body.error.code == "NotImplemented"
    }

    /// 501 for a documented operation the server does not implement.
    pub fn not_implemented(cx: &Context) -> Self {
        Failure::new(
            501,
            "NotImplemented",
            format!(
                "{} {} ({} `{}`) is documented but not implemented by this server",
                cx.operation.method, cx.template, cx.operation.kind, cx.operation.name
            ),
        )
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let bytes = serde_json::to_vec(&self.body).unwrap_or_default();
        (status, [("content-type", "application/json")], bytes).into_response()
    }
}

/// A fresh request id, shaped like the GUIDs Graph uses.
fn request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("00000000-0000-4000-a000-{n:012x}")
}

/// The current time in UTC as ISO 8601 (`2026-12-03T08:30:00Z`).
fn utc_now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_text(seconds)
}

/// Seconds since 1970 as an ISO 8601 UTC timestamp (the civil calendar from a day
/// count, after Howard Hinnant's `civil_from_days`).
fn utc_text(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let (hour, minute, second) = (seconds % 86_400 / 3600, seconds % 3600 / 60, seconds % 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// The result of a handler.
pub type HandlerResult<T> = Result<Reply<T>, Failure>;

/// Parses a JSON request body into its model. Malformed JSON, and a property of the
/// wrong type, are 400s whose message names the problem and the property.
pub fn parse_body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, Failure> {
    serde_json::from_value(json_body(bytes)?).map_err(model_failure)
}

/// The body as JSON (`{}` when empty). The models are then read from a `Value`, the
/// deserializer the models crate already compiles them for (polymorphic replies are read
/// that way), rather than from a byte slice, which would compile each model's reading
/// once more in the routes crate. Syntax is checked first, on its own: a model's errors
/// name the property they concern, and a syntax error inside a property would otherwise
/// read as a wrong value.
fn json_body(bytes: &Bytes) -> Result<serde_json::Value, Failure> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(bytes).map_err(|e| {
        Failure::new(
            400,
            "BadRequest",
            format!("the request body is not valid JSON: {e}"),
        )
    })
}

/// A body that is JSON but does not fit its model: 400 naming the property.
fn model_failure(e: serde_json::Error) -> Failure {
    let message = e.to_string();
    if let Some((property, problem)) = crate::object::property_path(&message) {
        let mut failure = Failure::new(
            400,
            "BadRequest",
            format!("property `{property}` is invalid: {problem}"),
        );
        failure.body.error.target = Some(property.to_string());
        return failure;
    }
    Failure::new(
        400,
        "BadRequest",
        format!("the request body does not fit its model: {message}"),
    )
}

/// Accepts function calls with their parameters in the path, as Graph functions take them
/// (`…/getX(a='1',b=2)`): the router knows the documented path (`…/getX`), so a call is
/// rewritten to it before routing, its parameters moved to the query string where the
/// handler finds them in [`Context::query`].
///
/// OData's key in parentheses (`…/events('AAMk=')/attachments`) is no call: it is the key
/// segment it stands for (`…/events/AAMk=/attachments`), as Graph reads it.
pub(crate) fn rewrite_function_call<B>(
    mut request: axum::http::Request<B>,
) -> axum::http::Request<B> {
    let uri = request.uri();
    let decoded = percent_decode(uri.path());
    let keyed = keys_as_segments(&decoded);
    let path = keyed.as_deref().unwrap_or(&decoded);
    let Some((prefix, arguments, after)) = split_call(path) else {
        if let Some(path) = keyed {
            let target = match uri.query() {
                Some(query) => format!("{path}?{query}"),
                None => path,
            };
            if let Ok(new_uri) = target.parse() {
                *request.uri_mut() = new_uri;
            }
        }
        return request;
    };
    let mut query: Vec<String> = uri.query().map(|q| vec![q.to_string()]).unwrap_or_default();
    for argument in split_arguments(arguments) {
        if let Some((name, value)) = argument.split_once('=') {
            query.push(format!(
                "{}={}",
                encode(name.trim()),
                encode(&argument_value(value))
            ));
        }
    }
    let mut target = format!("{prefix}{after}");
    if !query.is_empty() {
        target.push('?');
        target.push_str(&query.join("&"));
    }
    if let Ok(new_uri) = target.parse() {
        *request.uri_mut() = new_uri;
    }
    request
}

/// The path with each key in parentheses written as its own segment
/// (`/me/events('AAMk=')/attachments` is `/me/events/AAMk=/attachments`, the quotes and
/// OData's doubled quote undone); `None` where the path has none. Parentheses hold a key
/// where they hold one value not named (`f(a=1)` and `delta()` are calls).
fn keys_as_segments(path: &str) -> Option<String> {
    let mut changed = false;
    let segments: Vec<String> = path
        .split('/')
        .map(|segment| match key_in_parentheses(segment) {
            Some((name, key)) => {
                changed = true;
                format!("{name}/{}", encode_segment(&key))
            }
            None => segment.to_string(),
        })
        .collect();
    changed.then(|| segments.join("/"))
}

/// `("events", "AAMk=")` for `events('AAMk=')` (or `events(42)`), if the segment is a
/// collection with a key.
fn key_in_parentheses(segment: &str) -> Option<(&str, String)> {
    let (name, rest) = segment.split_once('(')?;
    let inner = rest.strip_suffix(')')?;
    if name.is_empty() || inner.trim().is_empty() {
        return None;
    }
    let mut quoted = false;
    for c in inner.chars() {
        match c {
            '\'' => quoted = !quoted,
            '=' | ',' | '(' | ')' if !quoted => return None,
            _ => {}
        }
    }
    Some((name, argument_value(inner)))
}

/// A key as one path segment: what a segment cannot hold percent-encoded (a `/`, `?`,
/// `#`, `%`, a space), the rest as it is.
fn encode_segment(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A path with a function call (`/a/f(x=1)/b`) as the text before the call's `(`, its
/// arguments and the text after its `)`; `None` without a call.
fn split_call(path: &str) -> Option<(&str, &str, &str)> {
    let open = path.find('(')?;
    let (prefix, call) = path.split_at(open);
    let close = call.rfind(')').unwrap_or(call.len());
    let after = call.get(close + 1..).unwrap_or("");
    Some((prefix, call.get(1..close.max(1)).unwrap_or(""), after))
}

/// A function argument's value: `'it''s'` is `it's` (OData doubles a quote inside
/// quotes), `ns.type'x'` is `x`, `7` is `7`.
fn argument_value(text: &str) -> String {
    let text = text.trim();
    match (text.find('\''), text.rfind('\'')) {
        (Some(open), Some(close)) if open < close => text[open + 1..close].replace("''", "'"),
        _ => text.to_string(),
    }
}

/// Splits `a='x,y',b=2` on the commas outside quotes.
fn split_arguments(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in text.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~$".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Turns a body that could not be read (too large, broken) into a Graph error.
pub fn body_failure(rejection: axum::extract::rejection::BytesRejection) -> Failure {
    let status = rejection.status().as_u16();
    let code = if status == 413 {
        "RequestEntityTooLarge"
    } else {
        "BadRequest"
    };
    Failure::new(status, code, rejection.body_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    static OP: OperationInfo = OperationInfo {
        kind: "get",
        name: "get",
        method: "GET",
        status: 200,
        returns_collection: false,
        path: "/a/{aId}/b/{bId}",
        empty_reply: "{}",
        permissions: Permissions {
            delegated_work: &[],
            delegated_personal: &[],
            application: &[],
        },
    };

    #[test]
    fn context_names_parameters_as_documented() {
        let cx = Context::new(
            &OP,
            "/a/{aId}/b/{bId}",
            "/a/x%20y/b/2",
            Some("$top=2&q=a+b"),
        );
        assert_eq!(cx.params["aId"], "x y");
        assert_eq!(cx.params["bId"], "2");
        assert_eq!(cx.query["$top"], "2");
        assert_eq!(cx.query["q"], "a b");
    }

    #[test]
    fn function_calls_become_paths_and_query_parameters() {
        let request = axum::http::Request::builder()
            .uri("/reports/getX(skip=4,filter=%27a,b%27,name='it''s',zone=ns.zone'utc')?$top=1")
            .body(())
            .unwrap();
        let rewritten = rewrite_function_call(request);
        assert_eq!(rewritten.uri().path(), "/reports/getX");
        assert_eq!(
            rewritten.uri().query(),
            Some("$top=1&skip=4&filter=a%2Cb&name=it%27s&zone=utc")
        );
        let plain =
            rewrite_function_call(axum::http::Request::builder().uri("/a/b").body(()).unwrap());
        assert_eq!(plain.uri().path(), "/a/b");
        // A key in parentheses is the key's segment, before a call or not.
        let rewrite = |uri: &str| {
            let request = axum::http::Request::builder().uri(uri).body(()).unwrap();
            rewrite_function_call(request).uri().to_string()
        };
        assert_eq!(
            rewrite("/me/events('AAMk%3D')/attachments?$top=1"),
            "/me/events/AAMk=/attachments?$top=1"
        );
        assert_eq!(rewrite("/rules(42)"), "/rules/42");
        assert_eq!(rewrite("/a('it''s%20x')/f(n=1)"), "/a/it's%20x/f?n=1");
        assert_eq!(rewrite("/a/delta()"), "/a/delta");
        let cx = Context::new(
            &OP,
            "/reports/getX",
            "/reports/getX",
            rewritten.uri().query(),
        );
        assert_eq!(cx.argument::<u32>("skip").ok(), Some(4));
        assert_eq!(cx.argument::<String>("name").ok().as_deref(), Some("it's"));
        let missing = cx.argument::<u32>("top").unwrap_err();
        assert_eq!(missing.status, 400, "{missing:?}");
        assert!(cx.argument::<u32>("zone").is_err(), "`utc` is no number");
    }

    #[test]
    fn timestamps_are_civil_utc() {
        assert_eq!(utc_text(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_text(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_text(1_796_286_599), "2026-12-03T08:29:59Z");
    }

    #[test]
    fn every_failure_carries_a_request_id_and_a_date() {
        let a = Failure::new(400, "BadRequest", "no");
        let b = Failure::new(400, "BadRequest", "no");
        let (a, b) = (
            a.body.error.inner_error.unwrap(),
            b.body.error.inner_error.unwrap(),
        );
        assert_ne!(a.request_id, b.request_id);
        assert!(a.date.is_some_and(|d| d.ends_with('Z')));
    }

    #[test]
    fn bad_bodies_name_the_problem() {
        use crate::object::example::Device as Body;
        let e = parse_body::<Body>(&Bytes::from_static(b"{not json")).unwrap_err();
        assert_eq!(e.status, 400);
        assert!(e.body.error.message.contains("not valid JSON"));
        let e = parse_body::<Body>(&Bytes::from_static(b"{\"count\": \"x\"}")).unwrap_err();
        assert!(
            e.body.error.message.contains("`count`"),
            "{}",
            e.body.error.message
        );
        assert_eq!(e.body.error.target.as_deref(), Some("count"));
    }
}
