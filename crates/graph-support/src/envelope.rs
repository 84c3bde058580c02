//! The `{"value": …}` envelope of collections and wrapped values, written by hand rather
//! than with `#[serde(flatten)]`, which would buffer every reply through serde's `Content`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::Extra;

const VALUE: &str = "value";
const NEXT_LINK: &str = "@odata.nextLink";

/// Writes `value`, the paging link if any, then the other annotations.
pub(crate) fn serialize<T: Serialize, S: Serializer>(
    value: &T,
    next_link: Option<&str>,
    extra: &Extra,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry(VALUE, value)?;
    if let Some(link) = next_link {
        map.serialize_entry(NEXT_LINK, link)?;
    }
    for (key, annotation) in extra {
        map.serialize_entry(key, annotation)?;
    }
    map.end()
}

/// Reads `value` (required), the paging link when `paged`, and keeps every other key.
pub(crate) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
    paged: bool,
) -> Result<(T, Option<String>, Extra), D::Error> {
    deserializer.deserialize_map(EnvelopeVisitor {
        paged,
        item: PhantomData,
    })
}

struct EnvelopeVisitor<T> {
    paged: bool,
    item: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for EnvelopeVisitor<T> {
    type Value = (T, Option<String>, Extra);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with a `value`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut value = None;
        let mut next_link = None;
        let mut extra = Extra::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == VALUE {
                value = Some(map.next_value()?);
            } else if self.paged && key == NEXT_LINK {
                next_link = map.next_value()?;
            } else {
                extra.insert(key, map.next_value()?);
            }
        }
        let value = value.ok_or_else(|| de::Error::missing_field(VALUE))?;
        Ok((value, next_link, extra))
    }
}
