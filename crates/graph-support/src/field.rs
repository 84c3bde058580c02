//! A property that is absent, `null`, or has a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property of a Graph object. Unlike `Option`, it tells a property that was not sent
/// (`Absent`: leave it unchanged in a PATCH) from one sent as `null` (`Null`: clear it),
/// so that bodies round-trip exactly.
///
/// It reads like `Option` where that is all you need:
///
/// ```
/// use graph_support::Field;
///
/// let name: Field<String> = "Contoso laptops".into();
/// assert_eq!(name.as_deref(), Some("Contoso laptops"));
/// assert_eq!(name.as_ref().map(|n| n.len()).unwrap_or(0), 15);
///
/// let cleared: Field<String> = Field::Null; // sent as `null`: clear it
/// let untouched: Field<String> = Field::Absent; // not sent: leave it alone
/// assert!(cleared.is_null() && !cleared.is_present());
/// assert!(untouched.is_absent());
/// assert_eq!(untouched.unwrap_or_default(), "");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Field<T> {
    /// The property was not in the body.
    #[default]
    Absent,
    /// The property was `null`.
    Null,
    /// The property had a value.
    Value(T),
}

impl<T> Field<T> {
    /// Whether the property was not in the body (serde's `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// Whether the property was sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    /// Whether the property has a value.
    pub fn is_present(&self) -> bool {
        matches!(self, Field::Value(_))
    }

    /// A field borrowing the value.
    pub fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => Field::Value(value),
        }
    }

    /// The value through `Deref` (`&str` for a `Field<String>`), if there is one.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.as_option().map(|value| &**value)
    }

    /// A field of `f(value)`, absent and `null` kept as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => Field::Value(f(value)),
        }
    }

    /// The value, or `default` when absent or `null`.
    pub fn unwrap_or(self, default: T) -> T {
        self.into_option().unwrap_or(default)
    }

    /// The value, or `T::default()` when absent or `null`.
    pub fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        self.into_option().unwrap_or_default()
    }

    /// The value, if there is one.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, if there is one.
    pub fn into_option(self) -> Option<T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Field::Value(value)
    }
}

impl From<&str> for Field<String> {
    fn from(value: &str) -> Self {
        Field::Value(value.to_string())
    }
}

impl<T> From<Option<T>> for Field<T> {
    /// `None` becomes `Null`: an explicit `Option` is a value that may be null.
    fn from(value: Option<T>) -> Self {
        value.map_or(Field::Null, Field::Value)
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Value(value) => value.serialize(serializer),
            // Absent fields are skipped by `skip_serializing_if`; if one is serialized
            // anyway, null is the closest JSON.
            Field::Null | Field::Absent => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    /// Called only when the property is present (absence is the default).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor of our own rather than `Option<T>` and a conversion: this runs for
        // every property of every model, so each line saved here is saved thousands of
        // times in the compiled code.
        deserializer.deserialize_option(FieldVisitor(std::marker::PhantomData))
    }
}

struct FieldVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for FieldVisitor<T> {
    type Value = Field<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Field<T>, E> {
        Ok(Field::Null)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Field<T>, E> {
        Ok(Field::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Field<T>, D::Error> {
        T::deserialize(deserializer).map(Field::Value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Body {
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        name: Field<String>,
        #[serde(flatten)]
        extra: serde_json::Map<String, serde_json::Value>,
    }

    #[test]
    fn three_states_round_trip() {
        for (json, want) in [
            (json!({}), Field::Absent),
            (json!({"name": null}), Field::Null),
            (json!({"name": "x"}), Field::Value("x".to_string())),
        ] {
            let body: Body = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(body.name, want, "{json}");
            assert_eq!(serde_json::to_value(&body).unwrap(), json);
        }
    }

    #[test]
    fn three_states_survive_flatten_beside_unknown_properties() {
        let json = json!({"name": null, "@odata.type": "#microsoft.graph.x", "other": 1});
        let body: Body = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(body.name, Field::Null);
        assert_eq!(body.extra.len(), 2);
        assert_eq!(serde_json::to_value(&body).unwrap(), json);
    }

    #[test]
    fn conversions() {
        assert_eq!(Field::from(3), Field::Value(3));
        assert_eq!(Field::<i32>::from(None), Field::Null);
        assert_eq!(Field::Value(3).into_option(), Some(3));
        assert!(Field::<i32>::default().is_absent());
    }
}
