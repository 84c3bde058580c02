//! Serialization of generated structs without `#[serde(flatten)]`.
//!
//! A derived `Deserialize` with a flattened map buffers every object into serde's private
//! `Content` tree and expands to several hundred lines per struct; that was three quarters
//! of the models crate's build time. Generated structs instead implement [`Object`]: one
//! `match` on the property name per struct, while the loop over the JSON object, the
//! unknown-property map and the `Absent` skipping live here, compiled once.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::{Extra, Field};

/// A generated struct: documented properties plus the ones the docs do not list.
pub trait Object: Default {
    /// The type's name, for error messages.
    const NAME: &'static str;

    /// Reads the value of property `key` into its field. Returns `false`, reading
    /// nothing, when `key` is not a documented property.
    fn read_property<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;

    /// Writes every present documented property.
    fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;

    /// The properties the docs do not list.
    fn extra(&self) -> &Extra;

    /// The properties the docs do not list, to add to.
    fn extra_mut(&mut self) -> &mut Extra;
}

/// Serializes an [`Object`]: its present properties, then the unknown ones.
pub fn serialize_object<T: Object, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    write_object(value, None, serializer)
}

/// Serializes an [`Object`] of a derived type, writing `@odata.type` (e.g.
/// `#microsoft.graph.windows10GeneralConfiguration`) first when the value does not carry
/// one: without it, a service reads the object as its base type.
pub fn serialize_derived<T: Object, S: Serializer>(
    value: &T,
    odata_type: &'static str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    write_object(value, Some(odata_type), serializer)
}

/// What serialization needs of an object, as a trait object: the loop below is then
/// compiled once per serializer, not once per type and serializer.
trait WriteObject<M: SerializeMap> {
    fn write(&self, map: &mut M) -> Result<(), M::Error>;
    fn unknown(&self) -> &Extra;
}

impl<M: SerializeMap, T: Object> WriteObject<M> for T {
    fn write(&self, map: &mut M) -> Result<(), M::Error> {
        self.write_properties(map)
    }

    fn unknown(&self) -> &Extra {
        self.extra()
    }
}

fn write_object<S: Serializer>(
    value: &dyn WriteObject<S::SerializeMap>,
    odata_type: Option<&'static str>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    if let Some(tag) = odata_type.filter(|_| !value.unknown().contains_key(ODATA_TYPE)) {
        map.serialize_entry(ODATA_TYPE, tag)?;
    }
    value.write(&mut map)?;
    for (key, extra) in value.unknown() {
        map.serialize_entry(key, extra)?;
    }
    map.end()
}

/// Reads the value of a property into its field, and says it was read: one call per
/// property in a generated `read_property`, cheaper to compile than `field = next()?`.
pub fn read_field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    field: &mut T,
    map: &mut A,
) -> Result<bool, A::Error> {
    *field = map.next_value()?;
    Ok(true)
}

/// Writes the present properties of a generated struct, one call each, keeping the first
/// error: `Properties::new(map).field("a", &self.a).field("b", &self.b).finish()` is one
/// method chain, cheaper to compile than a `write_field(…)?` statement per property.
#[must_use = "`finish` gives the first error"]
pub struct Properties<'m, M: SerializeMap> {
    map: &'m mut M,
    failed: Option<M::Error>,
}

impl<'m, M: SerializeMap> Properties<'m, M> {
    /// Writes into `map`.
    pub fn new(map: &'m mut M) -> Self {
        Properties { map, failed: None }
    }

    /// Writes one property unless it is [`Field::Absent`] or an earlier one failed.
    pub fn field<T: Serialize>(&mut self, name: &'static str, field: &Field<T>) -> &mut Self {
        if self.failed.is_none()
            && let Err(e) = write_field(self.map, name, field)
        {
            self.failed = Some(e);
        }
        self
    }

    /// The first error, if any property failed.
    pub fn finish(&mut self) -> Result<(), M::Error> {
        self.failed.take().map_or(Ok(()), Err)
    }
}

/// Writes one property unless it is [`Field::Absent`].
pub fn write_field<M: SerializeMap, T: Serialize>(
    map: &mut M,
    name: &'static str,
    field: &Field<T>,
) -> Result<(), M::Error> {
    if field.is_absent() {
        return Ok(());
    }
    map.serialize_entry(name, field)
}

/// Deserializes an [`Object`] from a JSON object; properties it does not document go to
/// its extra map, so nothing is lost.
pub fn deserialize_object<'de, T: Object, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a `{}` object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        read_object(&mut out, map)?;
        Ok(out)
    }
}

/// What deserialization needs of an object, as a trait object: the loop over the
/// properties is then compiled once per deserializer, not once per type and deserializer.
trait ReadObject<'de, A: MapAccess<'de>> {
    fn read(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
    fn unknown(&mut self) -> &mut Extra;
}

impl<'de, A: MapAccess<'de>, T: Object> ReadObject<'de, A> for T {
    fn read(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        self.read_property(key, map)
    }

    fn unknown(&mut self) -> &mut Extra {
        self.extra_mut()
    }
}

fn read_object<'de, A: MapAccess<'de>>(
    out: &mut dyn ReadObject<'de, A>,
    mut map: A,
) -> Result<(), A::Error> {
    while let Some(Key(key)) = map.next_key()? {
        let known = out.read(&key, &mut map).map_err(|e| in_property(&key, e))?;
        if !known {
            let value: serde_json::Value = map.next_value().map_err(|e| in_property(&key, e))?;
            out.unknown().insert(key.into_owned(), value);
        }
    }
    Ok(())
}

const PROPERTY: &str = "property `";
const ODATA_TYPE: &str = "@odata.type";

/// An error inside property `key`: the message gains the property's path, so that an
/// error deep in a body says where it is (`property `deviceLocation.altitude`: invalid
/// type: …`). Done here rather than with a path-tracking deserializer, which would
/// compile every model's deserialization a second time.
fn in_property<E: de::Error>(key: &str, error: E) -> E {
    let message = error.to_string();
    let message = without_position(&message);
    match property_path(message) {
        Some((inner, rest)) => E::custom(format_args!("{PROPERTY}{key}.{inner}`: {rest}")),
        None => E::custom(format_args!("{PROPERTY}{key}`: {message}")),
    }
}

/// The property path and the message of an error raised by [`deserialize_object`], if it
/// concerns a property.
pub fn property_path(message: &str) -> Option<(&str, &str)> {
    message.strip_prefix(PROPERTY)?.split_once("`: ")
}

/// A message without the ` at line L column C` that serde_json appends; the outermost
/// error gets it again.
fn without_position(message: &str) -> &str {
    let Some((head, tail)) = message.rsplit_once(" at line ") else {
        return message;
    };
    let position = tail.split_once(" column ").is_some_and(|(line, column)| {
        [line, column]
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    });
    if position { head } else { message }
}

/// A property name, borrowed from the input where the format allows it.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// A struct as the generator emits it, for the tests of this crate.
#[cfg(test)]
pub(crate) mod example {
    use super::*;

    /// What the generator emits for a struct with two properties.
    #[derive(Debug, Default, PartialEq)]
    pub(crate) struct Device {
        pub(crate) name: Field<String>,
        pub(crate) count: Field<i32>,
        pub(crate) extra: Extra,
    }

    impl Object for Device {
        const NAME: &'static str = "device";

        fn read_property<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            match key {
                "name" => read_field(&mut self.name, map),
                "count" => read_field(&mut self.count, map),
                _ => Ok(false),
            }
        }

        fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            Properties::new(map)
                .field("name", &self.name)
                .field("count", &self.count)
                .finish()
        }

        fn extra(&self) -> &Extra {
            &self.extra
        }

        fn extra_mut(&mut self) -> &mut Extra {
            &mut self.extra
        }
    }

    impl Serialize for Device {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize_object(self, serializer)
        }
    }

    impl<'de> Deserialize<'de> for Device {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_object(deserializer)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::example::Device;
    use super::*;
    use serde_json::json;

    #[test]
    fn three_states_and_unknown_properties_round_trip() {
        for body in [
            json!({}),
            json!({"name": null}),
            json!({"name": "x", "count": 2}),
            json!({"@odata.type": "#microsoft.graph.device", "name": "x", "other": [1]}),
        ] {
            let text = body.to_string();
            let parsed: Device = serde_json::from_str(&text).unwrap();
            assert_eq!(serde_json::to_value(&parsed).unwrap(), body, "{text}");
            let from_value: Device = serde_json::from_value(body.clone()).unwrap();
            assert_eq!(from_value, parsed);
        }
        let parsed: Device = serde_json::from_str(r#"{"name": null}"#).unwrap();
        assert_eq!(parsed.name, Field::Null);
        assert!(parsed.count.is_absent());
    }

    #[test]
    fn derived_values_name_their_type_unless_they_carry_one() {
        let device = Device {
            name: "x".into(),
            ..Device::default()
        };
        let mut out = Vec::new();
        let tag = "#microsoft.graph.device";
        serialize_derived(&device, tag, &mut serde_json::Serializer::new(&mut out)).unwrap();
        let written: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(written, json!({"@odata.type": tag, "name": "x"}));
        let carried: Device = serde_json::from_value(json!({"@odata.type": "#other"})).unwrap();
        let mut out = Vec::new();
        serialize_derived(&carried, tag, &mut serde_json::Serializer::new(&mut out)).unwrap();
        assert_eq!(out, br##"{"@odata.type":"#other"}"##);
    }

    /// A writer that fails on its first write: the first error is the one returned, and
    /// no property is written after it.
    #[test]
    fn the_first_write_error_stops_the_properties() {
        struct FailAfter(usize, Vec<u8>);
        impl std::io::Write for FailAfter {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                if self.1.len() + buf.len() > self.0 {
                    return Err(std::io::Error::other(format!("full at {}", self.1.len())));
                }
                self.1.extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let device = Device {
            name: "x".into(),
            count: Field::Value(2),
            ..Device::default()
        };
        let mut out = FailAfter(11, Vec::new());
        let e = serialize_object(&device, &mut serde_json::Serializer::new(&mut out)).unwrap_err();
        assert!(e.to_string().contains("full at"), "{e}");
        assert_eq!(String::from_utf8_lossy(&out.1), r#"{"name":"x""#);
    }

    #[test]
    fn wrong_types_and_shapes_are_errors() {
        assert!(serde_json::from_str::<Device>(r#"{"count": "x"}"#).is_err());
        let e = serde_json::from_str::<Device>(r#"{"name": "x", "count": "2"}"#).unwrap_err();
        let message = e.to_string();
        let (path, rest) = property_path(&message).expect("a property error");
        assert_eq!(path, "count");
        assert!(rest.starts_with("invalid type"), "{message}");
        assert_eq!(message.matches(" at line ").count(), 1, "{message}");
        let e = serde_json::from_str::<Device>("[1]").unwrap_err();
        assert!(e.to_string().contains("a `device` object"), "{e}");
    }
}
