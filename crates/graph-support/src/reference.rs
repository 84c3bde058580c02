//! The body of OData's `$ref` requests: a link to an entity, not the entity.

use serde::{Deserialize, Serialize};

/// `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}`: what a
/// `POST …/members/$ref` (or `PUT …/manager/$ref`) sends to add a link to an entity that
/// already exists. Some links are cleared by a `PUT` of `{}`, a reference to nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The entity's URL (absolute, or relative to the service root); `None` is `{}`.
    #[serde(rename = "@odata.id", default, skip_serializing_if = "Option::is_none")]
    pub odata_id: Option<String>,
}

impl Reference {
    /// A reference to the entity at `url`.
    pub fn to(url: impl Into<String>) -> Self {
        Reference {
            odata_id: Some(url.into()),
        }
    }

    /// A reference to nothing, `{}`: what a `PUT` sends to clear a link.
    pub fn none() -> Self {
        Reference::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_its_odata_id_or_nothing() {
        let reference = Reference::to("https://graph.microsoft.com/v1.0/directoryObjects/42");
        let json = serde_json::to_value(&reference).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/42"})
        );
        assert_eq!(
            serde_json::from_value::<Reference>(json).unwrap(),
            reference
        );
        let none = serde_json::to_value(Reference::none()).unwrap();
        assert_eq!(none, serde_json::json!({}));
        assert_eq!(
            serde_json::from_value::<Reference>(none).unwrap(),
            Reference::none()
        );
    }
}
