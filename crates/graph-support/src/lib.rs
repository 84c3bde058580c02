//! Runtime support for the generated Microsoft Graph crates: what generated code needs and
//! what is better written by hand.
//!
//! - [`Field`]: a property that can be absent, `null`, or a value — so that PATCH bodies
//!   (and round trips) tell "leave unchanged" from "clear".
//! - [`Collection`]: the `{"value": [...], "@odata.nextLink": ...}` envelope.
//! - [`GraphError`]: the `{"error": {"code", "message", "innerError"}}` body.
//! - [`Reference`]: the `{"@odata.id": …}` body of `$ref` requests.
//! - [`Base64`], [`Decimal`], [`IsoDuration`], [`DateTimeOffset`], [`TimeOfDay`]: EDM
//!   `Binary`, `Decimal`, `Duration` and times as values that print back exactly as they
//!   came.
//! - [`WireEnum`], [`odata_type`]: helpers for evolvable enums and `@odata.type` dispatch.
//! - [`object`]: the (de)serialization loop every generated struct shares (its own code is
//!   a `match` on property names), so that models compile cheaply and keep unknown
//!   properties without `#[serde(flatten)]`.
//! - `server` (feature `server`): the router, the in-memory store and the request context
//!   behind the generated routes crate.
//! - `client` (feature `client`, HTTPS with `rustls`): the HTTP client behind the
//!   generated client crate: base URL, token provider, OData query options, typed errors,
//!   throttling retries and paging.
#![deny(missing_docs)]

mod decimal;
mod duration;
mod envelope;
mod field;
mod flags;
mod guid;
pub mod object;
mod reference;
mod time;

pub use decimal::{Decimal, NotADecimal};
pub use duration::IsoDuration;
pub use field::Field;
pub use flags::Flags;
pub use guid::Guid;
pub use object::Object;
pub use reference::Reference;
pub use time::{DateTimeOffset, TimeOfDay};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Unknown properties of an object, kept in order so that nothing is lost on a round trip
/// (including `@odata.*` annotations).
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// A collection response: `{"value": [...]}` with its paging link and annotations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Collection<T> {
    /// The items.
    pub value: Vec<T>,
    /// The link to the next page, when there is one.
    pub next_link: Option<String>,
    /// Other annotations (`@odata.context`, `@odata.count` …).
    pub extra: Extra,
}

/// A single value wrapped as `{"value": ...}`, as many action responses are.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Value<T> {
    /// The wrapped value.
    pub value: T,
    /// Other annotations.
    pub extra: Extra,
}

impl<T: Serialize> Serialize for Collection<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        envelope::serialize(
            &self.value,
            self.next_link.as_deref(),
            &self.extra,
            serializer,
        )
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Collection<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (value, next_link, extra) = envelope::deserialize(deserializer, true)?;
        Ok(Collection {
            value,
            next_link,
            extra,
        })
    }
}

impl<T: Serialize> Serialize for Value<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        envelope::serialize(&self.value, None, &self.extra, serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Value<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (value, _, extra) = envelope::deserialize(deserializer, false)?;
        Ok(Value { value, extra })
    }
}

/// The Graph error body: `{"error": {"code": ..., "message": ..., "innerError": ...}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphError {
    /// The error.
    pub error: ErrorDetail,
}

/// The inside of a [`GraphError`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// A machine-readable code, e.g. `BadRequest`.
    pub code: String,
    /// A message for people.
    pub message: String,
    /// Where the error concerns one property, its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// What Graph adds to every error: the request's id and the time, for support.
    #[serde(
        rename = "innerError",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub inner_error: Option<Box<InnerError>>,
}

/// The `innerError` of a Graph error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InnerError {
    /// The request's id (`request-id`).
    #[serde(
        rename = "request-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    /// The id the client sent (`client-request-id`).
    #[serde(
        rename = "client-request-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub client_request_id: Option<String>,
    /// When the error happened, ISO 8601 in UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Anything else the service adds.
    #[serde(flatten)]
    pub extra: Extra,
}

impl GraphError {
    /// An error body with a code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        GraphError {
            error: ErrorDetail {
                code: code.into(),
                message: message.into(),
                target: None,
                inner_error: None,
            },
        }
    }
}

impl std::fmt::Display for GraphError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error.code, self.error.message)
    }
}

impl std::error::Error for GraphError {}

/// An evolvable enum: documented members plus any other value, kept as it came.
pub trait WireEnum: Sized {
    /// The member for a wire value; unknown values become the `Other` variant.
    fn from_wire(value: &str) -> Self;
    /// The wire value.
    fn as_wire(&self) -> &str;
}

/// Serializes a [`WireEnum`] as its wire string.
pub fn serialize_enum<E: WireEnum, S: Serializer>(
    value: &E,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.as_wire())
}

/// Deserializes a [`WireEnum`] from a string; never fails on an unknown member.
pub fn deserialize_enum<'de, E: WireEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<E, D::Error> {
    let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
    Ok(E::from_wire(&text))
}

/// The type name an object's `@odata.type` names, without `#` and `microsoft.graph.`.
pub fn odata_type(object: &serde_json::Value) -> Option<&str> {
    let name = object.get("@odata.type")?.as_str()?;
    let name = name.trim_start_matches('#');
    Some(name.strip_prefix("microsoft.graph.").unwrap_or(name))
}

/// A function argument as the call syntax writes it in a path (`f(date=2017-09-01)`):
/// a value that serializes to a JSON string is written as that text (dates, GUIDs, enum
/// members; the path template holds any quotes), anything else as its JSON (numbers,
/// `true`).
pub fn path_value<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Reads a function argument written by [`path_value`] (or by the docs): as text first,
/// then as JSON (`7`, `true`).
pub fn from_path_value<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .ok()
        .or_else(|| serde_json::from_str(text).ok())
}

/// EDM `Binary`: bytes that travel as standard base64 text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use base64::Engine as _;
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(Base64)
            .map_err(|e| {
                let shown: String = text.chars().take(24).collect();
                let more = if shown.len() < text.len() { "…" } else { "" };
                serde::de::Error::custom(format_args!("`{shown}{more}` is not base64: {e}"))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    enum Color {
        Red,
        Other(String),
    }

    impl WireEnum for Color {
        fn from_wire(value: &str) -> Self {
            match value {
                "red" => Color::Red,
                other => Color::Other(other.to_string()),
            }
        }
        fn as_wire(&self) -> &str {
            match self {
                Color::Red => "red",
                Color::Other(other) => other,
            }
        }
    }

    #[test]
    fn unknown_enum_values_are_kept() {
        let mut de = serde_json::Deserializer::from_str("\"ultraviolet\"");
        let color: Color = deserialize_enum(&mut de).unwrap();
        assert_eq!(color, Color::Other("ultraviolet".into()));
        let mut out = Vec::new();
        serialize_enum(&color, &mut serde_json::Serializer::new(&mut out)).unwrap();
        assert_eq!(out, b"\"ultraviolet\"");
    }

    #[test]
    fn collections_keep_paging_and_annotations() {
        let body = json!({"@odata.context": "x", "value": [1, 2], "@odata.nextLink": "n"});
        let parsed: Collection<i32> = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(parsed.value, [1, 2]);
        assert_eq!(parsed.next_link.as_deref(), Some("n"));
        assert_eq!(serde_json::to_value(&parsed).unwrap(), body);
    }

    #[test]
    fn binary_round_trips_as_base64() {
        let parsed: Base64 = serde_json::from_value(json!("aGVsbG8=")).unwrap();
        assert_eq!(parsed.0, b"hello");
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!("aGVsbG8="));
        assert!(serde_json::from_value::<Base64>(json!("not base64!")).is_err());
    }

    #[test]
    fn odata_type_strips_namespace() {
        assert_eq!(
            odata_type(&json!({"@odata.type": "#microsoft.graph.x"})),
            Some("x")
        );
        assert_eq!(odata_type(&json!({})), None);
    }

    #[test]
    fn error_body_shape() {
        let body = serde_json::to_value(GraphError::new("BadRequest", "no")).unwrap();
        assert_eq!(
            body,
            json!({"error": {"code": "BadRequest", "message": "no"}})
        );
    }
}

#[cfg(feature = "server")]
pub mod server;

#[cfg(feature = "client")]
pub mod client;
