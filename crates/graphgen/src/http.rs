//! HTTP as the pages write it: request lines, status lines, paths and example messages.
//!
//! The text reader must see where an HTTP block starts, and the extractor must take the
//! method and path from each request line and the messages from each example. They read
//! the same lines, so both use this module; where one reads more strictly than the
//! other, the difference is a named function here rather than a second parser.

use crate::facts::HttpMessage;
use crate::page::{Code, json_end};

/// A `{name}` placeholder of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placeholder<'p> {
    /// The text between the braces.
    pub name: &'p str,
    /// Whether it sits inside a function call's parentheses in its segment.
    pub in_call: bool,
    /// The call argument it is the value of (`f(period='{p}')` → `period`), if any.
    pub argument: Option<&'p str>,
}

/// Every `{name}` placeholder of a path, in order: each `{` up to the next `}`.
pub fn placeholders(path: &str) -> Vec<Placeholder<'_>> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(open) = path[at..].find('{').map(|i| at + i) {
        let Some(close) = path[open..].find('}').map(|i| open + i) else {
            break;
        };
        let before = &path[path[..open].rfind('/').unwrap_or(0)..open];
        let in_call = before.contains('(');
        let argument = in_call
            .then(|| before.rsplit([',', '(']).next().unwrap_or_default())
            .and_then(|text| text.split_once('='))
            .map(|(name, _)| name.trim());
        found.push(Placeholder {
            name: &path[open + 1..close],
            in_call,
            argument,
        });
        at = close + 1;
    }
    found
}

/// An HTTP method, spelled in capitals as the pages write it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
    /// `HEAD`.
    Head,
    /// `OPTIONS`.
    Options,
}

impl Method {
    const ALL: [Method; 7] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
        Method::Options,
    ];

    /// The method a word names; only the capital spelling counts, because a lower-case
    /// `get` or `delete` at the start of a line is prose.
    pub fn parse(word: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == word)
    }

    /// The method as it goes on the wire and into the schema.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    /// Whether a request line with this method documents an operation. The reference
    /// pages document GET, POST, PUT, PATCH and DELETE; a HEAD or OPTIONS line is still
    /// HTTP, so the text reader keeps it in a code block, but it names no operation.
    pub fn makes_operation(self) -> bool {
        !matches!(self, Method::Head | Method::Options)
    }
}

/// A line that starts with a method: `POST /x`, `GET https://graph.microsoft.com/beta/x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestLine<'a> {
    /// The method.
    pub method: Method,
    /// What follows the method, trimmed, as written (service root and query included).
    pub target: &'a str,
    /// Whether a plain space (not a tab or a non-breaking space) follows the method.
    plain_space: bool,
}

impl<'a> RequestLine<'a> {
    /// Splits a line at its first white space when the word before it is a method.
    pub fn parse(line: &'a str) -> Option<Self> {
        let line = line.trim();
        let Some((word, rest)) = line.split_once(char::is_whitespace) else {
            return RequestLine::joined(line);
        };
        let Some(method) = Method::parse(word) else {
            return RequestLine::joined(line);
        };
        Some(RequestLine {
            method,
            target: rest.trim(),
            plain_space: line[word.len()..].starts_with(' '),
        })
    }

    /// `DELETE/identity/…`: a method run into its path, as a few pages write it.
    fn joined(line: &'a str) -> Option<Self> {
        let at = line.find('/')?;
        let method = Method::parse(&line[..at])?;
        let target = line[at..].split_whitespace().next()?;
        Some(RequestLine {
            method,
            target,
            plain_space: false,
        })
    }

    /// The target without the service root: `/x` for `https://graph.microsoft.com/beta/x`.
    pub fn path(&self) -> &'a str {
        strip_service_root(self.target)
    }

    /// Whether the target looks like one: a path, a URL, a `{placeholder}`, or a bold
    /// placeholder such as `**/users**`.
    fn names_target(&self) -> bool {
        let target = self.target;
        target.starts_with('/')
            || target.starts_with("http")
            || target.starts_with('{')
            || target.starts_with("**")
    }
}

/// A request line that documents an operation: its method and its target less the
/// service root. The target may still be no path (`GET users`): the extractor says so.
pub fn operation_request(line: &str) -> Option<(Method, &str)> {
    let request = RequestLine::parse(line).filter(|r| r.method.makes_operation())?;
    Some((request.method, request.path()))
}

/// Whether a line of copied text starts an HTTP block: a method, one plain space and a
/// target. Copied text has no code fences, so this reads more strictly than
/// [`operation_request`]: prose such as `GET requests are …` must stay prose.
pub fn is_request_line(line: &str) -> bool {
    RequestLine::parse(line).is_some_and(|r| r.plain_space && r.names_target())
}

/// Whether a line is a status line with a three-digit code: `HTTP/1.1 201 Created`.
pub fn is_status_line(line: &str) -> bool {
    line.starts_with("HTTP/")
        && line
            .split_whitespace()
            .nth(1)
            .is_some_and(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a request target is a URL on a host other than Graph's service (in any cloud:
/// `graph.microsoft.com`, `graph.microsoft.us`, `microsoftgraph.chinacloudapi.cn` …), such
/// as the upload URL of an upload session (`https://sn3302.up.1drv.com/up/…`).
pub fn names_other_host(target: &str) -> bool {
    let Some(rest) = target
        .strip_prefix("https://")
        .or_else(|| target.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.to_ascii_lowercase().contains("graph")
}

/// Removes `https://graph.microsoft.com/beta` (any host and version) from a URL.
pub fn strip_service_root(target: &str) -> &str {
    // `~/x`: the service root written as `~`.
    if let Some(path) = target.strip_prefix('~').filter(|p| p.starts_with('/')) {
        return path;
    }
    let Some(rest) = target
        .strip_prefix("https://")
        .or_else(|| target.strip_prefix("http://"))
    else {
        return target;
    };
    let after_host = rest.find('/').map_or("", |i| &rest[i..]);
    for version in ["/beta/", "/v1.0/"] {
        if let Some(path) = after_host.strip_prefix(version) {
            return &after_host[after_host.len() - path.len() - 1..];
        }
    }
    after_host
}

/// Drops the query string and trailing space of a documented path. A segment that
/// documents alternative keys, `{id | userPrincipalName}`, stays as written (spaces
/// inside braces do not end the path): it is one segment, whichever key is sent.
pub fn normalize_path(target: &str) -> String {
    let path = first_token(target);
    let path = path.split('?').next().unwrap_or(path);
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    path.to_string()
}

/// The target up to the first white space outside braces and parentheses (a function's
/// text argument may hold a space: `search(q='Contoso Project')`).
fn first_token(target: &str) -> &str {
    let target = target.trim_start();
    let mut depth = 0usize;
    for (at, c) in target.char_indices() {
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() && depth == 0 => return &target[..at],
            _ => {}
        }
    }
    target
}

/// A target written without its leading slash (`policies/activityBasedTimeoutPolicies`):
/// one token of path characters with at least one `/`, read as `/policies/…`.
pub fn relative_path(target: &str) -> Option<String> {
    let token = first_token(target);
    let path_like = !token.is_empty()
        && token.contains('/')
        && token.starts_with(|c: char| c.is_ascii_alphabetic())
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " /{}_-.()'=,$?&@:|".contains(c));
    path_like.then(|| format!("/{token}"))
}

/// Whether every `{` of a path closes before the next one opens.
pub fn balanced_braces(path: &str) -> bool {
    let mut open = false;
    for c in path.chars() {
        match c {
            '{' if open => return false,
            '{' => open = true,
            '}' if !open => return false,
            '}' => open = false,
            _ => {}
        }
    }
    !open
}

/// Parses an example code block into its requests and responses (a block may hold a
/// request line, headers and a JSON body, and then another request).
pub fn parse_http(code: &Code) -> Vec<HttpMessage> {
    let lines: Vec<&str> = code.text.lines().collect();
    let mut messages = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let Some(mut message) = message_start(lines[at]) else {
            at += 1;
            continue;
        };
        message.line = code.line + at as u32;
        at = body_start(&lines, at + 1);
        if at < lines.len() && starts_json(lines[at]) {
            let end = json_end(&lines, at);
            message.body = Some(lines[at..end].join("\n"));
            message.body_line = code.line + at as u32;
            at = end;
        }
        messages.push(message);
    }
    messages
}

/// A request line or a status line as the first line of a message. A status line is
/// read loosely here (any `HTTP/` line with a number), since examples are code.
fn message_start(line: &str) -> Option<HttpMessage> {
    let line = line.trim();
    if let Some((method, target)) = operation_request(line) {
        let written = RequestLine::parse(line).map_or("", |request| request.target);
        return Some(HttpMessage {
            method: method.as_str().to_string(),
            path: normalize_path(target),
            other_host: names_other_host(written),
            ..HttpMessage::default()
        });
    }
    let status = line
        .strip_prefix("HTTP/")
        .and(line.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok());
    status.map(|status| HttpMessage {
        status: Some(status),
        ..HttpMessage::default()
    })
}

/// Skips the header lines after a start line, up to the body or the next message.
fn body_start(lines: &[&str], mut at: usize) -> usize {
    while at < lines.len() && !starts_message(lines[at]) && !starts_json(lines[at]) {
        at += 1;
    }
    at
}

fn starts_json(line: &str) -> bool {
    line.trim_start().starts_with(['{', '['])
}

fn starts_message(line: &str) -> bool {
    let line = line.trim();
    operation_request(line).is_some() || line.starts_with("HTTP/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_runs_to_the_first_space_outside_braces_and_calls() {
        assert_eq!(
            normalize_path("/me/drive/root/search(q='Contoso Project') HTTP/1.1"),
            "/me/drive/root/search(q='Contoso Project')"
        );
        assert_eq!(
            normalize_path("/users/{id | upn}/x  (beta)"),
            "/users/{id | upn}/x"
        );
        assert_eq!(normalize_path("/f(q='open"), "/f(q='open");
    }

    #[test]
    fn joined_methods_and_tilde_roots() {
        assert_eq!(
            operation_request("DELETE/identity/b2xUserFlows/{id}/$ref"),
            Some((Method::Delete, "/identity/b2xUserFlows/{id}/$ref"))
        );
        assert_eq!(
            operation_request("GET ~/onPremisesPublishingProfiles/{type}/agentGroups"),
            Some((
                Method::Get,
                "/onPremisesPublishingProfiles/{type}/agentGroups"
            ))
        );
        assert!(operation_request("GETTER/x").is_none());
        assert!(
            !is_request_line("DELETE/identity/x"),
            "copied text keeps its strict reading"
        );
    }

    #[test]
    fn alternative_keys_and_relative_paths() {
        assert_eq!(
            normalize_path("/users/{id | userPrincipalName}/photo/$value  "),
            "/users/{id | userPrincipalName}/photo/$value"
        );
        assert_eq!(normalize_path("/users/{id}?$select=x"), "/users/{id}");
        assert_eq!(
            relative_path("policies/activityBasedTimeoutPolicies"),
            Some("/policies/activityBasedTimeoutPolicies".to_string())
        );
        assert_eq!(relative_path("requests are sent"), None);
        assert_eq!(relative_path("me"), None);
    }

    #[test]
    fn requests_to_other_hosts_are_told_apart() {
        assert!(names_other_host(
            "https://sn3302.up.1drv.com/up/fe6987415ace7X4e1eF866337"
        ));
        assert!(!names_other_host("https://graph.microsoft.com/v1.0/me"));
        assert!(!names_other_host(
            "https://microsoftgraph.chinacloudapi.cn/v1.0/me"
        ));
        assert!(!names_other_host("/me/drive"));
    }

    #[test]
    fn service_root_is_stripped() {
        assert_eq!(
            strip_service_root("https://graph.microsoft.com/beta/a/b"),
            "/a/b"
        );
        assert_eq!(normalize_path("/a/b?$top=1"), "/a/b");
    }

    #[test]
    fn copied_text_reads_request_lines_strictly() {
        assert!(is_request_line("GET /users"));
        assert!(is_request_line(
            "HEAD https://graph.microsoft.com/v1.0/users"
        ));
        assert!(!is_request_line("GET\t/users"));
        assert!(!is_request_line("GET requests are cached."));
        assert_eq!(
            operation_request("GET\tusers"),
            Some((Method::Get, "users"))
        );
        assert_eq!(operation_request("HEAD /users"), None);
    }

    #[test]
    fn examples_split_into_messages() {
        let code = Code {
            lang: "http".into(),
            text: "POST /x\nContent-Type: application/json\n\n{\"a\": 1}\nHTTP/1.1 201 Created"
                .into(),
            line: 10,
        };
        let messages = parse_http(&code);
        assert_eq!(messages.len(), 2);
        assert_eq!(
            (messages[0].method.as_str(), messages[0].line),
            ("POST", 10)
        );
        assert_eq!(messages[0].body.as_deref(), Some("{\"a\": 1}"));
        assert_eq!((messages[1].status, messages[1].line), (Some(201), 14));
    }
}
