//! EDM `Duration`: an ISO 8601 duration such as `P1DT2H30M` or `-PT0.5S`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An ISO 8601 duration, kept component by component so that it prints back as it came
/// (`PT90M` stays `PT90M`, it does not become `PT1H30M`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IsoDuration {
    /// Whether it is negative (`-P…`).
    pub negative: bool,
    /// Years, months, weeks, days.
    pub years: Option<f64>,
    /// Months.
    pub months: Option<f64>,
    /// Weeks.
    pub weeks: Option<f64>,
    /// Days.
    pub days: Option<f64>,
    /// Hours.
    pub hours: Option<f64>,
    /// Minutes.
    pub minutes: Option<f64>,
    /// Seconds, with fractions.
    pub seconds: Option<f64>,
}

impl std::str::FromStr for IsoDuration {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{text}` is not an ISO 8601 duration (expected e.g. `P1DT2H`)");
        let mut out = IsoDuration::default();
        let rest = match text.strip_prefix('-') {
            Some(rest) => {
                out.negative = true;
                rest
            }
            None => text.strip_prefix('+').unwrap_or(text),
        };
        let rest = rest.strip_prefix('P').ok_or_else(bad)?;
        let (date, time) = match rest.split_once('T') {
            Some((date, time)) if !time.is_empty() => (date, Some(time)),
            Some(_) => return Err(bad()),
            None => (rest, None),
        };
        if date.is_empty() && time.is_none() {
            return Err(bad());
        }
        let mut number = String::new();
        for (part, units) in [(date, "YMWD"), (time.unwrap_or(""), "HMS")] {
            let in_time = units == "HMS";
            for c in part.chars() {
                if c.is_ascii_digit() || c == '.' || c == ',' {
                    number.push(if c == ',' { '.' } else { c });
                    continue;
                }
                let value: f64 = number.parse().map_err(|_| bad())?;
                number.clear();
                let slot = match (in_time, c) {
                    (false, 'Y') => &mut out.years,
                    (false, 'M') => &mut out.months,
                    (false, 'W') => &mut out.weeks,
                    (false, 'D') => &mut out.days,
                    (true, 'H') => &mut out.hours,
                    (true, 'M') => &mut out.minutes,
                    (true, 'S') => &mut out.seconds,
                    _ => return Err(bad()),
                };
                if slot.replace(value).is_some() {
                    return Err(bad());
                }
            }
            if !number.is_empty() {
                return Err(bad());
            }
        }
        Ok(out)
    }
}

impl std::fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str("P")?;
        let parts = |f: &mut std::fmt::Formatter<'_>, list: [(Option<f64>, char); 4]| {
            for (value, unit) in list {
                if let Some(value) = value {
                    write!(f, "{value}{unit}")?;
                }
            }
            Ok(())
        };
        parts(
            f,
            [
                (self.years, 'Y'),
                (self.months, 'M'),
                (self.weeks, 'W'),
                (self.days, 'D'),
            ],
        )?;
        if self.hours.is_some() || self.minutes.is_some() || self.seconds.is_some() {
            f.write_str("T")?;
            parts(
                f,
                [
                    (self.hours, 'H'),
                    (self.minutes, 'M'),
                    (self.seconds, 'S'),
                    (None, ' '),
                ],
            )?;
        }
        Ok(())
    }
}

impl Serialize for IsoDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_back_as_they_came() {
        for text in [
            "P1D",
            "PT1H30M",
            "PT90M",
            "-P1Y2M3W4DT5H6M7.5S",
            "PT0S",
            "P1DT12H",
        ] {
            let parsed: IsoDuration = text.parse().unwrap();
            assert_eq!(parsed.to_string(), text);
        }
        let parsed: IsoDuration = "PT1.25S".parse().unwrap();
        assert_eq!(parsed.seconds, Some(1.25));
    }

    #[test]
    fn bad_durations_are_errors() {
        for text in ["", "P", "1D", "PT", "P1H", "PTXS", "P1D1D"] {
            assert!(text.parse::<IsoDuration>().is_err(), "{text}");
        }
    }
}
