//! The HTTP client behind the generated client crate (feature `client`): one [`Client`]
//! (base URL, token provider, retry policy), one request type [`Call`] per operation with
//! the OData query options as builder methods, typed errors, throttling retries and paging.
//!
//! Everything here is compiled once. A generated operation is a few lines that name the
//! method and the path template and return a [`Call`]; the only code instantiated per
//! operation is the (de)serialization of its own body and reply types.

use std::borrow::Cow;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Collection, GraphError};

pub use futures_util::stream::{Stream, StreamExt, TryStreamExt};

/// The Graph service root of the `beta` API.
pub const BETA: &str = "https://graph.microsoft.com/beta";

/// A boxed, sendable future, as the object-safe [`TokenProvider`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Any error a [`TokenProvider`] reports.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Where the bearer token of each request comes from. Implement it with your own login
/// flow (MSAL, a managed identity, a cached token); the client asks for a token before
/// every request (retries included) and sends `Authorization: Bearer <token>`.
pub trait TokenProvider: Send + Sync {
    /// The access token to send.
    fn token(&self) -> BoxFuture<'_, Result<String, BoxError>>;
}

/// A fixed token (a test, or a token obtained elsewhere).
#[derive(Clone)]
pub struct StaticToken(pub String);

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(..)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<String, BoxError>> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}

/// How throttled requests (429, 503) are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 never retries.
    pub max_retries: u32,
    /// The wait when the reply has no `Retry-After`, doubled on each retry.
    pub default_wait: Duration,
    /// The longest wait; a longer `Retry-After` is not waited for, and the error returned.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            default_wait: Duration::from_secs(1),
            max_wait: Duration::from_secs(60),
        }
    }
}

/// What can go wrong with a call: the service's answer kept apart from a request that
/// never got one.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error status (after any retries). `error` is the
    /// Graph error body (`code`, `message`, `innerError`) when the reply carries one.
    Status {
        /// The HTTP status.
        status: u16,
        /// The Graph error body, if the reply is one.
        error: Option<GraphError>,
        /// The raw reply body.
        body: String,
    },
    /// The request URL does not parse (a bad base URL, say).
    InvalidUrl {
        /// The URL as built.
        url: String,
        /// Why it does not parse.
        reason: String,
    },
    /// No reply: the connection was refused or dropped, timed out, or TLS failed.
    Transport {
        /// The URL requested.
        url: String,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// The token provider failed.
    Token(BoxError),
    /// The request body did not serialize.
    Body(serde_json::Error),
    /// A success reply did not read as the documented type.
    Decode {
        /// The HTTP status.
        status: u16,
        /// Why it does not read.
        source: serde_json::Error,
        /// The raw reply body.
        body: String,
    },
}

impl Error {
    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. } | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The Graph error body, when the service answered with one.
    pub fn graph_error(&self) -> Option<&GraphError> {
        match self {
            Error::Status { error, .. } => error.as_ref(),
            _ => None,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Status {
                status,
                error: Some(error),
                ..
            } => write!(f, "the service answered {status}: {error}"),
            Error::Status { status, body, .. } => {
                write!(f, "the service answered {status}: {}", truncate(body))
            }
            Error::InvalidUrl { url, reason } => write!(f, "invalid request URL `{url}`: {reason}"),
            Error::Transport { url, source } => {
                let what = if source.is_connect() {
                    "cannot connect to"
                } else if source.is_timeout() {
                    "timed out requesting"
                } else {
                    "request failed for"
                };
                write!(f, "{what} {url}: {}", error_chain(source))
            }
            Error::Token(e) => write!(f, "the token provider failed: {e}"),
            Error::Body(e) => write!(f, "the request body does not serialize: {e}"),
            Error::Decode { status, source, .. } => {
                write!(
                    f,
                    "the {status} reply does not read as documented: {source}"
                )
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Status {
                error: Some(error), ..
            } => Some(error),
            Error::Transport { source, .. } => Some(source),
            Error::Token(e) => Some(e.as_ref()),
            Error::Body(e) | Error::Decode { source: e, .. } => Some(e),
            _ => None,
        }
    }
}

/// An error and its causes on one line (reqwest's own message is only the outermost).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}

fn truncate(body: &str) -> &str {
    match body.char_indices().nth(200) {
        Some((i, _)) => &body[..i],
        None => body,
    }
}

/// A Graph client: the service root, the token provider and the retry policy. Cheap to
/// clone (one connection pool, shared).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    token: Option<Arc<dyn TokenProvider>>,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &self.inner.token.as_ref().map(|_| ".."))
            .field("retry", &self.inner.retry)
            .finish()
    }
}

impl Client {
    /// A client for the service root `base_url` (`https://graph.microsoft.com/beta`, or a
    /// mock server's `http://127.0.0.1:8080`), without a token and with the default
    /// retry policy. The URL is checked when a request is made: a bad one is an
    /// [`Error::InvalidUrl`] there, never a panic.
    pub fn new(base_url: impl Into<String>) -> Self {
        Client {
            inner: Arc::new(Inner {
                http: reqwest::Client::new(),
                base_url: base_url.into().trim_end_matches('/').to_string(),
                token: None,
                retry: RetryPolicy::default(),
            }),
        }
    }

    fn with(self, change: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = Inner {
            http: self.inner.http.clone(),
            base_url: self.inner.base_url.clone(),
            token: self.inner.token.clone(),
            retry: self.inner.retry,
        };
        change(&mut inner);
        Client {
            inner: Arc::new(inner),
        }
    }

    /// The same client for another service root.
    pub fn with_base_url(self, base_url: impl Into<String>) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_string();
        self.with(|inner| inner.base_url = base_url)
    }

    /// The same client sending the tokens `provider` gives.
    pub fn with_token_provider(self, provider: impl TokenProvider + 'static) -> Self {
        self.with(|inner| inner.token = Some(Arc::new(provider)))
    }

    /// The same client retrying throttled requests by `policy`.
    pub fn with_retry_policy(self, policy: RetryPolicy) -> Self {
        self.with(|inner| inner.retry = policy)
    }

    /// The same client on a `reqwest::Client` you configured (timeouts, proxies, TLS).
    pub fn with_http_client(self, http: reqwest::Client) -> Self {
        self.with(|inner| inner.http = http)
    }

    /// The service root requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A request for an operation: `method` on the documented `path` template, its
    /// `{placeholder}` segments filled in order with `args` (percent-encoded).
    pub fn call<T>(&self, method: &'static str, path: &str, args: &[&str]) -> Call<T> {
        Call {
            raw: RawCall {
                client: self.clone(),
                method,
                target: Target::Path(fill_path(path, args)),
                query: Vec::new(),
                headers: Vec::new(),
                body: Ok(None),
            },
            reply: PhantomData,
        }
    }

    /// [`Client::call`] with a JSON request body.
    pub fn call_with<T, B: Serialize + ?Sized>(
        &self,
        method: &'static str,
        path: &str,
        args: &[&str],
        body: &B,
    ) -> Call<T> {
        let mut call = self.call(method, path, args);
        call.raw.body = serde_json::to_vec(body).map(Some);
        call
    }
}

/// Characters percent-encoded in a path segment: all but RFC 3986's `pchar` (unreserved,
/// sub-delimiters, `:` and `@`), so that `kim@contoso.com` or a base64 id ending in `=`
/// travel as written. `'` is encoded, as the URL parser would encode it anyway.
const SEGMENT: &AsciiSet = &UNRESERVED
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Everything but the unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters percent-encoded in a query value: the unreserved ones are kept, and OData's
/// `$`, `,`, `(`, `)` and `:` (they mean nothing special in a query); `&`, `=`, `+`, `'`,
/// spaces and the rest are encoded.
const QUERY: &AsciiSet = &UNRESERVED
    .remove(b'$')
    .remove(b',')
    .remove(b'(')
    .remove(b')')
    .remove(b':');

/// Fills `{placeholder}`s in order with percent-encoded `args`; a placeholder without an
/// argument is left empty. Inside quotes (a function's text argument, `f(name='{name}')`)
/// a quote is doubled, as OData escapes it.
fn fill_path(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut args = args.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let quoted = rest[..open].ends_with('\'') && rest[open + close + 1..].starts_with('\'');
        if let Some(arg) = args.next() {
            let arg = if quoted {
                Cow::Owned(arg.replace('\'', "''"))
            } else {
                Cow::Borrowed(*arg)
            };
            out.extend(utf8_percent_encode(&arg, SEGMENT));
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Where a request goes: a path under the base URL, or a whole URL (a `nextLink`).
#[derive(Clone, Debug)]
enum Target {
    Path(String),
    Url(String),
}

/// Everything of a request that does not depend on its reply type.
#[derive(Debug)]
struct RawCall {
    client: Client,
    method: &'static str,
    target: Target,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Result<Option<Vec<u8>>, serde_json::Error>,
}

/// One request, answering `T`: set OData query options and headers, then `.await` it
/// (or `send()`); a collection can also be read page by page or item by item
/// ([`Call::pages`], [`Call::items`]).
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T> {
    raw: RawCall,
    reply: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.raw.fmt(f)
    }
}

impl<T> Call<T> {
    fn option(mut self, name: &str, value: String) -> Self {
        self.raw.query.push((name.to_string(), value));
        self
    }

    /// `$select`: only these properties.
    pub fn select<S: AsRef<str>>(self, properties: impl IntoIterator<Item = S>) -> Self {
        self.option("$select", join(properties))
    }

    /// `$expand`: these relationships inline.
    pub fn expand<S: AsRef<str>>(self, relationships: impl IntoIterator<Item = S>) -> Self {
        self.option("$expand", join(relationships))
    }

    /// `$filter`: an OData filter expression, e.g. `startswith(displayName,'a')`.
    pub fn filter(self, expression: impl Into<String>) -> Self {
        self.option("$filter", expression.into())
    }

    /// `$orderby`: e.g. `displayName desc`.
    pub fn order_by(self, expression: impl Into<String>) -> Self {
        self.option("$orderby", expression.into())
    }

    /// `$top`: at most this many items (per page, where the service pages).
    pub fn top(self, count: u32) -> Self {
        self.option("$top", count.to_string())
    }

    /// `$skip`: skip this many items.
    pub fn skip(self, count: u32) -> Self {
        self.option("$skip", count.to_string())
    }

    /// `$count`: include the total count (`@odata.count`). Some resources need the
    /// `ConsistencyLevel: eventual` header for it (see [`Call::header`]).
    pub fn count(self, count: bool) -> Self {
        self.option("$count", count.to_string())
    }

    /// `$search`: a search expression, e.g. `"displayName:room"`.
    pub fn search(self, expression: impl Into<String>) -> Self {
        self.option("$search", expression.into())
    }

    /// Any other query option, encoded as the ones above.
    pub fn query(self, name: &str, value: impl Into<String>) -> Self {
        self.option(name, value.into())
    }

    /// A request header, e.g. `ConsistencyLevel: eventual`.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.raw.headers.push((name.to_string(), value.into()));
        self
    }

    /// The URL the request goes to (with its query options).
    pub fn url(&self) -> String {
        self.raw.url()
    }
}

fn join<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let items: Vec<S> = items.into_iter().collect();
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    items.join(",")
}

impl<T> Call<Collection<T>> {
    /// Only the items of a derived type: OData's cast segment
    /// (`…/memberOf/microsoft.graph.group`), `ty` the type's full name.
    pub fn cast(mut self, ty: &str) -> Self {
        self.raw.push_segment(ty);
        self
    }

    /// The number of items instead of the items: OData's `…/$count` segment, which Graph
    /// answers as plain text (some resources need `ConsistencyLevel: eventual`, see
    /// [`Call::header`]).
    pub fn count_only(mut self) -> Call<u64> {
        self.raw.push_segment("$count");
        Call {
            raw: self.raw,
            reply: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Call<T> {
    /// Sends the request (retrying throttled attempts) and reads the reply as `T`; an
    /// empty reply (204) reads as JSON `null`, which `()` accepts.
    pub async fn send(self) -> Result<T, Error> {
        Ok(self.send_with_status().await?.1)
    }

    /// [`Call::send`], with the success status the service answered.
    pub async fn send_with_status(self) -> Result<(u16, T), Error> {
        let (status, bytes) = self.raw.send().await?;
        Ok((status, decode(status, &bytes)?))
    }
}

fn decode<T: DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T, Error> {
    let bytes = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"null".as_slice()
    } else {
        bytes
    };
    serde_json::from_slice(bytes).map_err(|source| Error::Decode {
        status,
        source,
        body: String::from_utf8_lossy(bytes).into_owned(),
    })
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for Call<T> {
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'static, Result<T, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T: DeserializeOwned + Send + 'static> Call<Collection<T>> {
    /// Every page, following `@odata.nextLink` until the last; an error ends the stream.
    pub fn pages(self) -> impl Stream<Item = Result<Collection<T>, Error>> + Send + 'static {
        futures_util::stream::try_unfold(Some(self.raw), |raw| async move {
            let Some(raw) = raw else {
                return Ok(None);
            };
            let next = raw.next_page_template();
            let (status, bytes) = raw.send().await?;
            let page: Collection<T> = decode(status, &bytes)?;
            let next = page.next_link.clone().map(|link| next.at(link));
            Ok(Some((page, next)))
        })
    }

    /// Every item of every page, in order.
    pub fn items(self) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
        self.pages()
            .map_ok(|page| futures_util::stream::iter(page.value.into_iter().map(Ok)))
            .try_flatten()
    }

    /// Every item of every page, collected.
    pub async fn all(self) -> Result<Vec<T>, Error> {
        self.items().try_collect().await
    }
}

impl RawCall {
    fn url(&self) -> String {
        let mut url = match &self.target {
            Target::Path(path) => format!("{}{path}", self.client.inner.base_url),
            // A next link carries its own query options.
            Target::Url(url) => return url.clone(),
        };
        for (i, (name, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 && !url.contains('?') {
                '?'
            } else {
                '&'
            });
            url.extend(utf8_percent_encode(name, QUERY));
            url.push('=');
            url.extend(utf8_percent_encode(value, QUERY));
        }
        url
    }

    /// Appends a path segment (percent-encoded) to a call not yet sent.
    fn push_segment(&mut self, segment: &str) {
        if let Target::Path(path) = &mut self.target {
            path.push('/');
            path.extend(utf8_percent_encode(segment, SEGMENT));
        }
    }

    /// The request for the page at `link`: the same method and headers, no body.
    fn next_page_template(&self) -> RawCall {
        RawCall {
            client: self.client.clone(),
            method: self.method,
            target: self.target.clone(),
            query: Vec::new(),
            headers: self.headers.clone(),
            body: Ok(None),
        }
    }

    fn at(mut self, link: String) -> RawCall {
        self.target = if link.contains("://") {
            Target::Url(link)
        } else {
            Target::Path(link)
        };
        self
    }

    /// Sends the request, retrying 429 and 503 by the client's policy; a success status
    /// with its body, or the error.
    async fn send(self) -> Result<(u16, Vec<u8>), Error> {
        let text = self.url();
        let body = self.body.map_err(Error::Body)?;
        let url = reqwest::Url::parse(&text).map_err(|e| Error::InvalidUrl {
            url: text.clone(),
            reason: e.to_string(),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::InvalidUrl {
                url: text,
                reason: format!("the scheme `{}` is not http or https", url.scheme()),
            });
        }
        let method =
            reqwest::Method::from_bytes(self.method.as_bytes()).map_err(|e| Error::InvalidUrl {
                url: text.clone(),
                reason: format!("method {}: {e}", self.method),
            })?;
        let inner = &self.client.inner;
        let mut attempt = 0;
        loop {
            let mut request = inner
                .http
                .request(method.clone(), url.clone())
                .header("Accept", "application/json");
            for (name, value) in &self.headers {
                request = request.header(name.as_str(), value.as_str());
            }
            if let Some(provider) = &inner.token {
                let token = provider.token().await.map_err(Error::Token)?;
                request = request.bearer_auth(token);
            }
            if let Some(body) = &body {
                request = request
                    .header("Content-Type", "application/json")
                    .body(body.clone());
            }
            let transport = |source| Error::Transport {
                url: text.clone(),
                source,
            };
            let response = request.send().await.map_err(transport)?;
            let status = response.status().as_u16();
            let wait = retry_after(response.headers());
            let bytes = response.bytes().await.map_err(transport)?.to_vec();
            if (200..300).contains(&status) {
                return Ok((status, bytes));
            }
            if matches!(status, 429 | 503) && attempt < inner.retry.max_retries {
                let wait = wait.unwrap_or(inner.retry.default_wait * 2u32.saturating_pow(attempt));
                if wait <= inner.retry.max_wait {
                    attempt += 1;
                    tokio::time::sleep(wait).await;
                    continue;
                }
            }
            let error = serde_json::from_slice::<GraphError>(&bytes).ok();
            return Err(Error::Status {
                status,
                error,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get("Retry-After")?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_arguments_and_query_options_are_percent_encoded() {
        let client = Client::new("http://localhost:1/");
        let call: Call<()> = client
            .call(
                "GET",
                "/users/{userId}/getX(period='{period}')",
                &["a b/c", "D7"],
            )
            .filter("startswith(displayName,'A & B')")
            .select(["id", "displayName"])
            .top(5)
            .count(true);
        assert_eq!(
            call.url(),
            "http://localhost:1/users/a%20b%2Fc/getX(period='D7')?$filter=startswith(displayName,%27A%20%26%20B%27)&$select=id,displayName&$top=5&$count=true"
        );
    }

    /// A quote inside a quoted function argument is doubled (OData's escape); typed
    /// arguments are written as the call syntax writes them.
    #[test]
    fn function_arguments_are_escaped_and_typed() {
        let date: crate::DateTimeOffset = serde_json::from_str("\"2017-09-01T00:00:00Z\"").unwrap();
        let call: Call<()> = Client::new("http://localhost:1").call(
            "GET",
            "/r/f(name='{name}',at={at},top={top})",
            &["it's", &crate::path_value(&date), &crate::path_value(&7)],
        );
        assert_eq!(
            call.url(),
            "http://localhost:1/r/f(name='it%27%27s',at=2017-09-01T00:00:00Z,top=7)"
        );
        assert_eq!(
            crate::from_path_value::<crate::DateTimeOffset>("2017-09-01T00:00:00Z"),
            Some(date)
        );
        assert_eq!(crate::from_path_value::<i32>("7"), Some(7));
        assert_eq!(crate::from_path_value::<bool>("true"), Some(true));
        assert_eq!(crate::from_path_value::<i32>("seven"), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("Retry-After", "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            "Retry-After",
            "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
    }

    #[test]
    fn empty_replies_read_as_unit() {
        assert!(decode::<()>(204, b"").is_ok());
        assert!(decode::<u32>(200, b"").is_err());
    }
}
