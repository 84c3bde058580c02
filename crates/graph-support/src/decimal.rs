//! EDM `Decimal`: a number of any precision, kept as the digits it came with.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// EDM `Decimal`: a number kept as the text it was read from (`1.10` stays `1.10`, not
/// `1.1`), written back as a JSON number, or as a string when it came as one (OData's
/// `IEEE754Compatible=true` form).
///
/// serde_json reads a number with more than 17 significant digits through `f64` unless
/// its `arbitrary_precision` feature is on; enable this crate's `arbitrary-precision`
/// feature to keep such digits too. Everything else is exact either way.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    text: String,
    quoted: bool,
}

impl Decimal {
    /// The number's text, as it came (`"1.10"`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The number as an `f64`, which may round it.
    pub fn to_f64(&self) -> Option<f64> {
        self.text.parse().ok()
    }
}

impl Default for Decimal {
    fn default() -> Self {
        Decimal {
            text: "0".to_string(),
            quoted: false,
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Text that is no JSON number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADecimal(String);

impl fmt::Display for NotADecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a decimal number", self.0)
    }
}

impl std::error::Error for NotADecimal {}

impl FromStr for Decimal {
    type Err = NotADecimal;

    /// Reads a JSON number (`-12.50`, `1e3`), keeping its text.
    fn from_str(text: &str) -> Result<Self, NotADecimal> {
        match serde_json::Number::from_str(text) {
            Ok(_) => Ok(Decimal {
                text: text.to_string(),
                quoted: false,
            }),
            Err(_) => Err(NotADecimal(text.to_string())),
        }
    }
}

impl From<i64> for Decimal {
    fn from(value: i64) -> Self {
        Decimal {
            text: value.to_string(),
            quoted: false,
        }
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match serde_json::Number::from_str(&self.text) {
            Ok(number) if !self.quoted => number.serialize(serializer),
            _ => serializer.serialize_str(&self.text),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

struct DecimalVisitor;

impl DecimalVisitor {
    fn number<E>(text: String) -> Result<Decimal, E> {
        Ok(Decimal {
            text,
            quoted: false,
        })
    }
}

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number, or a string holding one")
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
        Self::number(value.to_string())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Decimal, E> {
        Self::number(value.to_string())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Decimal, E> {
        match serde_json::Number::from_f64(value) {
            Some(number) => Self::number(number.to_string()),
            None => Err(E::custom("a decimal must be finite")),
        }
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
        let mut decimal: Decimal = text.parse().map_err(E::custom)?;
        decimal.quoted = true;
        Ok(decimal)
    }

    /// serde_json with `arbitrary_precision` hands a number over as a one-entry map.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Decimal, A::Error> {
        let number = serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Self::number(number.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Integers, numbers that print back as they came, and the quoted form are kept
    /// exactly; digits past what `f64` holds need serde_json's `arbitrary_precision`.
    #[test]
    fn digits_and_form_survive_a_round_trip() {
        let mut exact = vec!["42", "-7", "0.5", "\"12.50\"", "123456789012345678"];
        if cfg!(feature = "arbitrary-precision") {
            exact.extend(["1.10", "123456789012345678901234567890.125"]);
        }
        for text in exact {
            let decimal: Decimal = serde_json::from_str(text).expect(text);
            assert_eq!(serde_json::to_string(&decimal).unwrap(), text);
        }
        let decimal: Decimal = "1.10".parse().unwrap();
        assert_eq!((decimal.as_str(), decimal.to_f64()), ("1.10", Some(1.1)));
        assert_eq!(
            serde_json::to_string(&decimal).unwrap().parse::<f64>(),
            Ok(1.1)
        );
        assert!(serde_json::from_str::<Decimal>("\"ten\"").is_err());
        assert!("1.5x".parse::<Decimal>().is_err());
    }
}
