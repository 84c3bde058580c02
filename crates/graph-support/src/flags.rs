//! Flag enums: a set of members, written as Graph writes it, joined by commas
//! (`"avSignaturesOutOfDate,asSignaturesOutOfDate"`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::WireEnum;

/// The value of a flag enum: every member that is set, in the order given. An empty
/// string is the empty set; members the docs do not list are kept as they came (each
/// in the enum's `Other` variant).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flags<E>(pub Vec<E>);

impl<E> Default for Flags<E> {
    fn default() -> Self {
        Flags(Vec::new())
    }
}

impl<E: WireEnum> Flags<E> {
    /// Whether `member` is set.
    pub fn contains(&self, member: &E) -> bool {
        self.0.iter().any(|m| m.as_wire() == member.as_wire())
    }

    /// The members as Graph writes them: joined by commas.
    pub fn to_wire(&self) -> String {
        let members: Vec<&str> = self.0.iter().map(WireEnum::as_wire).collect();
        members.join(",")
    }

    /// The members of a comma-joined value; blanks around a comma are no part of a
    /// member.
    pub fn from_wire(value: &str) -> Self {
        Flags(
            value
                .split(',')
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(E::from_wire)
                .collect(),
        )
    }
}

impl<E> From<Vec<E>> for Flags<E> {
    fn from(members: Vec<E>) -> Self {
        Flags(members)
    }
}

impl<E: WireEnum> Serialize for Flags<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_wire())
    }
}

impl<'de, E: WireEnum> Deserialize<'de> for Flags<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Flags::from_wire(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Status {
        Running,
        Stopped,
        Other(String),
    }

    impl WireEnum for Status {
        fn from_wire(value: &str) -> Self {
            match value {
                "running" => Status::Running,
                "stopped" => Status::Stopped,
                other => Status::Other(other.to_string()),
            }
        }
        fn as_wire(&self) -> &str {
            match self {
                Status::Running => "running",
                Status::Stopped => "stopped",
                Status::Other(other) => other,
            }
        }
    }

    #[test]
    fn flags_read_and_write_the_comma_joined_form() {
        let flags: Flags<Status> = serde_json::from_str("\"running,stopped,paused\"").unwrap();
        assert_eq!(
            flags.0,
            [
                Status::Running,
                Status::Stopped,
                Status::Other("paused".into())
            ]
        );
        assert!(flags.contains(&Status::Stopped));
        assert_eq!(
            serde_json::to_string(&flags).unwrap(),
            "\"running,stopped,paused\""
        );
        let empty: Flags<Status> = serde_json::from_str("\"\"").unwrap();
        assert!(empty.0.is_empty());
        assert_eq!(serde_json::to_string(&empty).unwrap(), "\"\"");
    }
}
