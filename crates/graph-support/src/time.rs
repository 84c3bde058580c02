//! EDM `DateTimeOffset` and `TimeOfDay` as the text they came as, checked on the way in.
//!
//! A chrono value prints back in its own spelling (nine fractional digits where the
//! service sent seven, `+00:00` for `Z`), so a body read and written again would change.
//! These types keep the documented text exactly, and the chrono value beside it.

use chrono::{DateTime, FixedOffset, NaiveTime};

/// One EDM type kept as the text it came as, beside its parsed value (the times here,
/// [`crate::Guid`]).
macro_rules! exact_text {
    ($(#[$doc:meta])* $name:ident($chrono:ty), $what:literal, $parse:expr, $print:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name {
            text: String,
            value: $chrono,
        }

        impl $name {
            /// Reads the text, keeping it exactly as it is.
            pub fn parse(text: &str) -> Result<Self, String> {
                let parse: fn(&str) -> Option<$chrono> = $parse;
                match parse(text) {
                    Some(value) => Ok($name { text: text.to_string(), value }),
                    None => Err(format!("`{text}` is not {}", $what)),
                }
            }

            /// The text, exactly as it came (or as the value prints, when made from one).
            pub fn as_str(&self) -> &str {
                &self.text
            }

            /// The parsed value.
            pub fn value(&self) -> $chrono {
                self.value
            }
        }

        impl From<$chrono> for $name {
            fn from(value: $chrono) -> Self {
                let print: fn(&$chrono) -> String = $print;
                $name { text: print(&value), value }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, String> {
                $name::parse(text)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                $name::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use exact_text;

exact_text!(
    /// EDM `DateTimeOffset`: an RFC 3339 timestamp, kept as written
    /// (`2016-12-31T23:58:52.3534526-08:00` prints back unchanged).
    DateTimeOffset(DateTime<FixedOffset>),
    "an RFC 3339 date-time",
    |text| DateTime::parse_from_rfc3339(text).ok(),
    |value| value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
);

exact_text!(
    /// EDM `TimeOfDay`: `HH:MM:SS` with optional fractions, kept as written.
    TimeOfDay(NaiveTime),
    "a time of day",
    |text| text.parse().ok(),
    |value| value.format("%H:%M:%S%.f").to_string()
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_back_as_they_came() {
        for text in ["2016-12-31T23:58:52.3534526-08:00", "2020-01-01T00:00:00Z"] {
            let parsed: DateTimeOffset = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(
                serde_json::to_value(&parsed).unwrap(),
                serde_json::json!(text)
            );
        }
        let time: TimeOfDay =
            serde_json::from_value(serde_json::json!("11:00:00.0000000")).unwrap();
        assert_eq!(time.as_str(), "11:00:00.0000000");
        assert!(serde_json::from_value::<DateTimeOffset>(serde_json::json!("yesterday")).is_err());
        let made = DateTimeOffset::from(time_zero());
        assert_eq!(made.as_str(), "1970-01-01T00:00:00Z");
    }

    fn time_zero() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("1970-01-01T00:00:00+00:00").unwrap()
    }
}
