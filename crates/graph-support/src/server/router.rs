//! The router behind every generated routes crate: one axum handler that matches the
//! request against a table of documented operations and calls the operation's entry.
//!
//! Routing through data keeps the compile cost of a routes crate linear and small: axum
//! sees a single handler type, whatever the number of documented paths, and each
//! operation costs one plain function in the generated crate.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{Context, Failure, HandlerResult, MemoryStore, OperationInfo, rewrite_function_call};

/// The largest request body accepted; larger ones get 413.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// The response to a request, still to be computed.
pub type Answer<'a> = Pin<Box<dyn Future<Output = Response> + Send + 'a>>;

/// What a handler method returns: its result, still to be computed. Boxed so that handler
/// traits are object-safe and each operation is compiled once.
pub type Pending<'a, T> = Pin<Box<dyn Future<Output = HandlerResult<T>> + Send + 'a>>;

/// What an operation's entry returns: the answer to compute, or at once a failure (a body
/// that does not fit its model).
pub type Served<'a> = Result<Answer<'a>, Failure>;

/// One documented (method, path) and the generated function that serves it. `H` is the
/// generated server type, which holds the handlers.
pub struct Route<H: 'static> {
    /// The operation: method, documented path, status, permissions.
    pub operation: &'static OperationInfo,
    /// Parses the body, calls the handler (or the in-memory store) and answers.
    pub call: for<'a> fn(&'a H, Context, Bytes) -> Served<'a>,
}

/// Answers an operation: with the handler's result where a handler is registered, else
/// (or where the handler leaves the method unimplemented) from the in-memory store when
/// the server has one, else 501.
pub fn serve<'a, T: Serialize + Send + 'a>(
    pending: Pending<'a, T>,
    store: Option<&'a MemoryStore>,
    cx: Context,
    body: Bytes,
) -> Answer<'a> {
    Box::pin(Serving {
        pending,
        rest: Some((store, cx, body)),
    })
}

/// A handler's pending result on its way to a response. A plain future rather than an
/// `async` block, and everything but the reply's serialization in [`finish`], so that
/// each reply type costs a few lines of compiled code.
struct Serving<'a, T> {
    pending: Pending<'a, T>,
    rest: Option<(Option<&'a MemoryStore>, Context, Bytes)>,
}

impl<T: Serialize> Future for Serving<'_, T> {
    type Output = Response;

    fn poll(mut self: Pin<&mut Self>, task: &mut std::task::Context<'_>) -> Poll<Response> {
        let result = std::task::ready!(self.pending.as_mut().poll(task));
        let rest = self.rest.take();
        Poll::Ready(match result {
            Ok(reply) => reply.into_response(),
            Err(failure) => finish(failure, rest),
        })
    }
}

/// A handler's failure as a response: its error, or where it left the method
/// unimplemented, the store's answer.
fn finish(failure: Failure, rest: Option<(Option<&MemoryStore>, Context, Bytes)>) -> Response {
    match rest {
        Some((Some(store), cx, body)) if failure.is_not_implemented() => store.respond(&cx, &body),
        _ => failure.into_response(),
    }
}

/// The in-memory store's answer, or 501 without a store: for an operation whose
/// resource has no handler.
pub fn fallback<'a>(store: Option<&'a MemoryStore>, cx: Context, body: Bytes) -> Answer<'a> {
    let response = match store {
        Some(store) => store.respond(&cx, &body),
        None => Failure::not_implemented(&cx).into_response(),
    };
    Box::pin(std::future::ready(response))
}

/// The default of every handler method: 501, which [`serve`] turns into the in-memory
/// store's answer when the server has one.
pub fn not_implemented<T: Send + 'static>(cx: Context) -> Pending<'static, T> {
    Box::pin(std::future::ready(Err(Failure::not_implemented(&cx))))
}

/// The routes of one documented path: method → route.
type Methods<H> = BTreeMap<&'static str, &'static Route<H>>;

struct Table<H: 'static> {
    server: H,
    paths: matchit::Router<usize>,
    /// The same patterns per method, so that a request is served by the route of its
    /// method that matches (`GET /branding/localizations` by `GET /branding/{property}`)
    /// even where a literal path of other methods matches first (`POST
    /// /branding/localizations`).
    by_method: BTreeMap<&'static str, matchit::Router<usize>>,
    methods: Vec<Methods<H>>,
}

/// A router serving every route of `tables` with `server`: undocumented paths answer 404,
/// undocumented methods on a documented path 405, both with Graph error bodies.
///
/// Documented parameter names may differ at one position (`/x/{aId}` and `/x/{bId}`);
/// the router matches by position and the [`Context`] names them as each path documents.
/// Where two operations share a method and a path up to parameter names, the first in
/// path order wins.
pub fn router<H: Send + Sync + 'static>(
    server: H,
    tables: &'static [&'static [Route<H>]],
) -> axum::Router {
    let mut routes: Vec<&'static Route<H>> = tables.iter().flat_map(|t| t.iter()).collect();
    routes.sort_by_key(|r| (r.operation.path, r.operation.method));
    let mut paths = matchit::Router::new();
    let mut by_method: BTreeMap<&'static str, matchit::Router<usize>> = BTreeMap::new();
    let mut methods: Vec<Methods<H>> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for route in routes {
        let pattern = positional_pattern(route.operation.path);
        let at = match index.entry(pattern.clone()) {
            Entry::Occupied(known) => *known.get(),
            Entry::Vacant(new) => {
                let at = methods.len();
                methods.push(BTreeMap::new());
                // A pattern matchit cannot take (e.g. two parameters in one segment) is
                // left out rather than failing the whole server.
                let _ = paths.insert(new.key().clone(), at);
                *new.insert(at)
            }
        };
        methods[at].entry(route.operation.method).or_insert(route);
        let method_paths = by_method.entry(route.operation.method).or_default();
        let _ = method_paths.insert(pattern, at);
    }
    let table = Arc::new(Table {
        server,
        paths,
        by_method,
        methods,
    });
    axum::Router::new()
        .fallback(dispatch::<H>)
        .with_state(table)
}

/// The path as the router matches it: each `{parameter}` segment named by its position,
/// and a function's call parentheses left out (`getX(period='{period}')` is `getX`, and
/// `delta()` is `delta`), as a request's call is rewritten before routing.
fn positional_pattern(path: &str) -> String {
    let mut out = String::new();
    for (i, segment) in path.split('/').filter(|s| !s.is_empty()).enumerate() {
        out.push('/');
        let segment = match segment.split_once('(') {
            Some((name, call)) if !name.is_empty() && call.ends_with(')') => name,
            _ => segment,
        };
        let inner = unquoted(segment)
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'));
        match inner {
            Some(name) if !name.is_empty() && !name.contains(['{', '}']) => {
                out.push_str(&format!("{{p{i}}}"));
            }
            // Graph reads a path's names ignoring case (`/me/mailfolders`): the route
            // table holds them in lowercase and is asked in lowercase ([`route_key`]).
            _ => out.push_str(
                &segment
                    .to_ascii_lowercase()
                    .replace('{', "{{")
                    .replace('}', "}}"),
            ),
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// The path as the route table is asked: its names in lowercase, as the table holds
/// them. Only the lookup ignores case; path parameters are read from the path as sent.
fn route_key(path: &str) -> String {
    path.to_ascii_lowercase()
}

/// The request path with each name spelled as the documented path spells it
/// (`/me/mailfolders/AQMk=` as `/me/mailFolders/AQMk=`), so that the store keeps one
/// collection whatever case a request writes; ids and calls stay as sent.
fn documented_spelling(template: &str, path: &str) -> String {
    let mut names = template.split('/');
    let segments: Vec<&str> = path
        .split('/')
        .map(|segment| match names.next() {
            Some(name) if !name.contains(['{', '(']) && name.eq_ignore_ascii_case(segment) => name,
            _ => segment,
        })
        .collect();
    segments.join("/")
}

/// A segment without the quotes of OData's quoted key (`'{id}'` is the parameter `{id}`,
/// its value quoted, percent-encoded as `%27`, or not).
pub(crate) fn unquoted(segment: &str) -> &str {
    ["'", "%27"]
        .into_iter()
        .find_map(|quote| segment.strip_prefix(quote)?.strip_suffix(quote))
        .unwrap_or(segment)
}

/// Where the mock's redirects point: Graph answers some operations (a report's CSV, a
/// file's content) with 302 and a `Location` to download from, on a host of its own; the
/// mock serves that download itself, under this prefix no Graph path has.
pub const DOWNLOAD_PREFIX: &str = "/_mock/download";

async fn dispatch<H: Send + Sync + 'static>(
    State(table): State<Arc<Table<H>>>,
    request: Request,
) -> Response {
    let request = rewrite_function_call(request);
    if request.uri().path().starts_with(DOWNLOAD_PREFIX) {
        // The content behind a redirect: the mock has none to give but an empty file.
        return (
            axum::http::StatusCode::OK,
            [("content-type", "application/octet-stream")],
        )
            .into_response();
    }
    let location = format!("{DOWNLOAD_PREFIX}{}", request.uri());
    // A documented path naming the segments itself (`/places/microsoft.graph.room`,
    // `…/transitiveReports/$count`) is served as documented.
    let documented = table
        .paths
        .at(&route_key(request.uri().path()))
        .is_ok_and(|matched| {
            matched
                .params
                .iter()
                .all(|(_, value)| !is_odata_segment(value))
        });
    let (request, odata) = if documented {
        (request, ODataSegments::default())
    } else {
        strip_odata_segments(request)
    };
    let mut response = route(&table, request).await;
    if odata.count || odata.cast.is_some() {
        response = odata.apply(response).await;
    }
    // A redirect without a `Location` (the documented 302 of a function the store
    // answers) points to the download, as Graph's do.
    let redirect = response.status().is_redirection();
    let located = response
        .headers()
        .contains_key(axum::http::header::LOCATION);
    if let (true, false, Ok(value)) = (
        redirect,
        located,
        axum::http::HeaderValue::from_str(&location),
    ) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, value);
    }
    response
}

/// OData's segments after a collection's path: a cast to a derived type
/// (`…/memberOf/microsoft.graph.group`) and `…/$count`. Graph serves them on every
/// collection, so the router serves them on the collection's documented list.
#[derive(Debug, Default)]
struct ODataSegments {
    /// The cast's type, `microsoft.graph.group`.
    cast: Option<String>,
    /// Whether only the count is asked for.
    count: bool,
}

/// A type cast segment: `microsoft.graph.group`.
fn is_cast(segment: &str) -> bool {
    segment.len() > 16
        && segment
            .get(..16)
            .is_some_and(|head| head.eq_ignore_ascii_case("microsoft.graph."))
}

/// `$count` or a cast: never an id.
fn is_odata_segment(segment: &str) -> bool {
    segment == "$count" || is_cast(segment)
}

/// The request without its trailing OData segments, and the segments.
fn strip_odata_segments(mut request: Request) -> (Request, ODataSegments) {
    let mut odata = ODataSegments::default();
    let mut path = request.uri().path().to_string();
    if let Some(rest) = path.strip_suffix("/$count") {
        odata.count = true;
        path = rest.to_string();
    }
    if let Some((rest, last)) = path.rsplit_once('/')
        && is_cast(last)
    {
        odata.cast = Some(last.to_string());
        path = rest.to_string();
    }
    if odata.count || odata.cast.is_some() {
        let target = match request.uri().query() {
            Some(query) => format!("{path}?{query}"),
            None => path,
        };
        if let Ok(uri) = target.parse() {
            *request.uri_mut() = uri;
        }
    }
    (request, odata)
}

impl ODataSegments {
    /// The list's answer, cast (only the items whose `@odata.type` names the type) and
    /// counted (the number as plain text) as asked; anything but a list as it was.
    async fn apply(self, response: Response) -> Response {
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, BODY_LIMIT)
            .await
            .unwrap_or_default();
        let listed = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .filter(|_| parts.status.is_success());
        let Some(serde_json::Value::Object(mut list)) = listed else {
            return Response::from_parts(parts, axum::body::Body::from(bytes));
        };
        let Some(serde_json::Value::Array(items)) = list.remove("value") else {
            return Response::from_parts(parts, axum::body::Body::from(bytes));
        };
        let wanted = self.cast.map(|ty| format!("#{ty}"));
        let items: Vec<serde_json::Value> = items
            .into_iter()
            .filter(|item| {
                wanted.as_deref().is_none_or(|wanted| {
                    item.get("@odata.type")
                        .and_then(|t| t.as_str())
                        .is_some_and(|t| t.eq_ignore_ascii_case(wanted))
                })
            })
            .collect();
        if self.count {
            return (
                axum::http::StatusCode::OK,
                [("content-type", "text/plain")],
                items.len().to_string(),
            )
                .into_response();
        }
        list.insert("value".to_string(), serde_json::Value::Array(items));
        (
            parts.status,
            [("content-type", "application/json")],
            serde_json::Value::Object(list).to_string(),
        )
            .into_response()
    }
}

/// The response of the documented operation at the request's path.
async fn route<H: Send + Sync + 'static>(table: &Table<H>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let requested = parts.uri.path();
    let method = parts.method.as_str();
    let route_at = |path: &str| {
        let key = route_key(path);
        let index = (table.by_method.get(method))
            .and_then(|paths| paths.at(&key).ok())
            .map(|matched| *matched.value)?;
        table.methods[index].get(method)
    };
    let alias = user_alias(requested);
    let matched = route_at(requested)
        .map(|route| (route, requested))
        .or_else(|| {
            let alias = alias.as_deref()?;
            route_at(alias).map(|route| (route, alias))
        });
    let Some((route, path)) = matched else {
        let known = |path: &str| table.paths.at(&route_key(path)).is_ok();
        if !known(requested) && !alias.as_deref().is_some_and(known) {
            return Failure::not_found(requested).into_response();
        }
        let message = format!("{method} is not documented for `{requested}`");
        return Failure::new(405, "MethodNotAllowed", message).into_response();
    };
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(e) => return too_large_or_broken(e).into_response(),
    };
    let operation = route.operation;
    let path = documented_spelling(operation.path, path);
    let (cx, bad_options) = Context::read(operation, operation.path, &path, parts.uri.query());
    if let Some(failure) = bad_options {
        return failure.into_response();
    }
    let cx = cx.with_headers(&parts.headers);
    match (route.call)(&table.server, cx, bytes) {
        Ok(answer) => answer.await,
        Err(failure) => failure.into_response(),
    }
}

/// The same resource by Graph's other spelling of the signed-in user: `/me/…` is
/// `/users/{id}/…` for that user, so a path documented one way answers the other
/// (`/me/assignLicense` where the page documents `/users/{id}/assignLicense`).
fn user_alias(path: &str) -> Option<String> {
    if let Some(rest) = path
        .strip_prefix("/me")
        .filter(|r| r.is_empty() || r.starts_with('/'))
    {
        return Some(format!("/users/me{rest}"));
    }
    let rest = path.strip_prefix("/users/")?;
    let (_, rest) = rest.split_once('/')?;
    Some(format!("/me/{rest}"))
}

fn too_large_or_broken(error: axum::Error) -> Failure {
    // axum reports the limit only through its message ("length limit exceeded").
    let text = error.to_string();
    if text.contains("length limit") {
        Failure::new(
            413,
            "RequestEntityTooLarge",
            format!("the request body is larger than {BODY_LIMIT} bytes"),
        )
    } else {
        Failure::new(400, "BadRequest", format!("cannot read the body: {text}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_named_by_position() {
        assert_eq!(positional_pattern("/a/{aId}/b/{bId}"), "/a/{p1}/b/{p3}");
        assert_eq!(
            positional_pattern("/me/mailFolders/{id}"),
            "/me/mailfolders/{p2}"
        );
        assert_eq!(positional_pattern("/"), "/");
        assert_eq!(positional_pattern("/f(x={x})"), "/f");
        assert_eq!(positional_pattern("/r/getX(period='{p}')"), "/r/getx");
        assert_eq!(positional_pattern("/a/delta()"), "/a/delta");
        assert_eq!(positional_pattern("/keys/'{keyId}'"), "/keys/{p1}");
    }

    #[test]
    fn names_take_the_documented_spelling_and_ids_stay() {
        let spelled = documented_spelling(
            "/me/mailFolders/{id}/childFolders",
            "/ME/mailfolders/AQMk=/childfolders",
        );
        assert_eq!(spelled, "/me/mailFolders/AQMk=/childFolders");
        assert_eq!(documented_spelling("/a/{id}", "/A/Id"), "/a/Id");
    }

    #[test]
    fn me_and_users_are_one_user() {
        let alias = |p: &str| user_alias(p);
        assert_eq!(
            alias("/me/assignLicense").as_deref(),
            Some("/users/me/assignLicense")
        );
        assert_eq!(alias("/me").as_deref(), Some("/users/me"));
        assert_eq!(
            alias("/users/abc/messages").as_deref(),
            Some("/me/messages")
        );
        assert_eq!(alias("/users/abc"), None);
        assert_eq!(alias("/meetings/x"), None);
    }
}
