//! Example values as the docs mean them, read by the type each property documents.
//!
//! Reference pages write many example values as templates: `"createdDateTime":
//! "datetime-value"`, `"skuId": "skuId-value-1"`, `"issuedDate": "Date"`, `"createdDateTime":
//! "String (timestamp)"`, or base64 cut short with `...`. Like the `...` of an elided
//! property ([`crate::doc_json`]), such a placeholder says "a value of the documented type
//! goes here": where the documented type is a typed primitive (a date, a GUID, base64, a
//! number …) it is read as a fixed value of that type. A value that is no placeholder is
//! left as written, wrong or not (`"1974-07-22"` for a date-time stays the docs' error).
//!
//! A request body is also read as Graph reads one: its OData reader converts a string to
//! whatever primitive type the property documents (`Convert.ChangeType`), so a documented
//! Boolean written `"true"` is the boolean. A response is never converted: Graph writes a
//! boolean as a boolean.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::schema::{Primitive, Property, Schema, Type};

/// How often the docs' values were read as they are meant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Readings {
    /// Placeholders read as a value of their documented type.
    pub placeholders: usize,
    /// Strings in a request body read as the boolean or number their property documents.
    pub converted: usize,
}

impl Readings {
    /// Whether any value was read other than as written.
    pub fn any(self) -> bool {
        self.placeholders + self.converted > 0
    }
}

/// The documented types by name, to read example values by.
pub struct Typing<'s> {
    /// Lower-case type name → the type.
    types: HashMap<String, &'s Type>,
}

/// What an example body's top level is.
pub enum Root<'s> {
    /// An object of this type (or a `value` list or wrapper of them).
    Type(&'s str),
    /// An action's parameters.
    Parameters(Vec<&'s Property>),
}

impl<'s> Typing<'s> {
    /// The schema's types.
    pub fn new(schema: &'s Schema) -> Self {
        let types = schema
            .types
            .iter()
            .map(|ty| (ty.name.to_ascii_lowercase(), ty))
            .collect();
        Typing { types }
    }

    /// The type a name means: itself in any case, also written with Graph's namespace.
    fn get(&self, name: &str) -> Option<&'s Type> {
        let name = name.trim_start_matches('#');
        let name = name.strip_prefix("microsoft.graph.").unwrap_or(name);
        self.types.get(&name.to_ascii_lowercase()).copied()
    }

    /// The properties of a type, its own and its base types'.
    fn properties(&self, name: &str) -> Vec<&'s Property> {
        let mut out = Vec::new();
        let mut next = self.get(name);
        // A base chain is short; the bound only guards against a cycle in the docs.
        for _ in 0..32 {
            let Some(ty) = next else { break };
            out.extend(&ty.properties);
            next = ty.base.as_deref().and_then(|base| self.get(base));
        }
        out
    }

    /// Reads `value`, an example body whose top level is `root`, as the docs mean it.
    pub fn read(&self, value: &mut Value, root: &Root<'_>, request: bool) -> Readings {
        let mut readings = Readings::default();
        let reader = Reader {
            typing: self,
            request,
        };
        match root {
            Root::Type(ty) => reader.body(value, ty, &mut readings),
            Root::Parameters(parameters) => {
                if let Value::Object(object) = value {
                    reader.object(object, parameters, &mut readings);
                }
            }
        }
        readings
    }
}

struct Reader<'t, 's> {
    typing: &'t Typing<'s>,
    request: bool,
}

impl Reader<'_, '_> {
    /// A body of type `ty`: the object itself, or the objects in its `value`.
    fn body(&self, value: &mut Value, ty: &str, readings: &mut Readings) {
        if let Value::Object(object) = value
            && let Some(inner) = object.get_mut("value")
            && (inner.is_array() || inner.is_object())
        {
            self.value(inner, ty, readings);
            return;
        }
        self.value(value, ty, readings);
    }

    /// A value documented as `ty` (one, or each item of a list).
    fn value(&self, value: &mut Value, ty: &str, readings: &mut Readings) {
        match value {
            Value::Array(items) => {
                for item in items {
                    self.value(item, ty, readings);
                }
            }
            Value::Object(object) => {
                // A derived type names itself (`"@odata.type": "#microsoft.graph.x"`).
                let named = object
                    .get("@odata.type")
                    .and_then(Value::as_str)
                    .filter(|name| self.typing.get(name).is_some())
                    .map(str::to_string);
                let properties = self.typing.properties(named.as_deref().unwrap_or(ty));
                self.object(object, &properties, readings);
            }
            _ => {
                if let Some(primitive) = Primitive::parse(ty) {
                    self.primitive(value, primitive, readings);
                }
            }
        }
    }

    fn object(
        &self,
        object: &mut Map<String, Value>,
        properties: &[&Property],
        readings: &mut Readings,
    ) {
        for (key, value) in object.iter_mut() {
            let property = properties
                .iter()
                .find(|p| p.name == *key)
                .or_else(|| properties.iter().find(|p| p.name.eq_ignore_ascii_case(key)));
            if let Some(property) = property {
                self.value(value, &property.ty, readings);
            }
        }
    }

    fn primitive(&self, value: &mut Value, primitive: Primitive, readings: &mut Readings) {
        let Value::String(text) = value else { return };
        if is_placeholder(text) {
            if let Some(meant) = placeholder_value(primitive) {
                *value = meant;
                readings.placeholders += 1;
            }
        } else if self.request
            && let Some(read) = graph_reads(text, primitive)
        {
            *value = read;
            readings.converted += 1;
        }
    }
}

/// Whether an example value is a template rather than a value: cut short (`MIIDYD...`,
/// `customKeyIdentifier-valu…`, `MIIC...StP8s/w==`), named for what goes there (`datetime-value`,
/// `skuId-value-1`, `{jobId}`), or the name of its type (`Date`, `Binary`,
/// `String (timestamp)`).
pub fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    // No typed value holds an ellipsis: it marks what the docs left out, at the end or
    // in the middle (`MIIC...StP8s/w==`).
    if text.contains("...") || text.contains('…') {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    let without_number = lower.trim_end_matches(|c: char| c.is_ascii_digit());
    let without_number = without_number
        .strip_suffix(['-', '_'])
        .unwrap_or(without_number);
    if without_number.ends_with("-value") || without_number.ends_with("_value") {
        return true;
    }
    // `{jobId}`; not a braced GUID (`{8f2c…}`), which is a value.
    if let Some(inner) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}'))
        && inner
            .chars()
            .any(|c| c.is_ascii_alphabetic() && !c.is_ascii_hexdigit())
    {
        return true;
    }
    let word: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    Primitive::parse(&word).is_some() || TYPE_WORDS.contains(&word.as_str())
}

/// Words the docs write for a type where a value goes, besides the EDM names.
const TYPE_WORDS: [&str; 8] = [
    "datetime",
    "timestamp",
    "stringtimestamp",
    "datetimestring",
    "bool",
    "integer",
    "number",
    "base64",
];

/// The value a placeholder of a typed primitive is read as; `None` for text (a string
/// placeholder is a string) and streams.
fn placeholder_value(primitive: Primitive) -> Option<Value> {
    use Primitive::*;
    let text = |s: &str| Some(Value::String(s.to_string()));
    match primitive {
        Binary => text(""),
        Date => text("0001-01-01"),
        DateTimeOffset => text("0001-01-01T00:00:00Z"),
        Duration => text("PT0S"),
        Guid => text("00000000-0000-0000-0000-000000000000"),
        TimeOfDay => text("00:00:00"),
        Boolean => Some(Value::Bool(false)),
        Byte | SByte | Int16 | Int32 | Int64 | Decimal | Double | Single => Some(Value::from(0)),
        String | Stream => None,
    }
}

/// The boolean or number Graph's OData reader makes of a string where the property
/// documents one (trimmed, any case for a boolean, as .NET parses them); `None` where it
/// would refuse the text, and for every other type.
fn graph_reads(text: &str, primitive: Primitive) -> Option<Value> {
    use Primitive::*;
    let text = text.trim();
    match primitive {
        Boolean if text.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
        Boolean if text.eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
        Byte | SByte | Int16 | Int32 | Int64 => text.parse::<i64>().ok().map(Value::from),
        Decimal | Double | Single => {
            let number: serde_json::Number = serde_json::from_str(text).ok()?;
            Some(Value::Number(number))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::TypeKind;

    fn property(name: &str, ty: &str, collection: bool) -> Property {
        Property {
            name: name.to_string(),
            ty: ty.to_string(),
            collection,
            relationship: false,
            description: String::new(),
        }
    }

    fn ty(name: &str, base: Option<&str>, properties: Vec<Property>) -> Type {
        Type {
            name: name.to_string(),
            kind: TypeKind::Entity,
            base: base.map(str::to_string),
            properties,
            members: Vec::new(),
            description: String::new(),
            member_details: Vec::new(),
            sources: Vec::new(),
        }
    }

    fn schema() -> Schema {
        Schema {
            types: vec![
                ty(
                    "entity",
                    None,
                    vec![
                        property("id", "String", false),
                        property("createdDateTime", "DateTimeOffset", false),
                    ],
                ),
                ty(
                    "license",
                    Some("entity"),
                    vec![
                        property("skuId", "Guid", false),
                        property("note", "String", false),
                        property("isOn", "Boolean", false),
                        property("seats", "Int32", false),
                        property("plans", "plan", true),
                    ],
                ),
                ty(
                    "plan",
                    None,
                    vec![
                        property("issued", "Date", false),
                        property("key", "Binary", false),
                    ],
                ),
                ty(
                    "trialLicense",
                    Some("license"),
                    vec![property("ends", "DateTimeOffset", false)],
                ),
            ],
            operations: Vec::new(),
        }
    }

    fn read(body: &str, root: &Root<'_>, request: bool) -> (Value, Readings) {
        let schema = schema();
        let mut value: Value = serde_json::from_str(body).unwrap();
        let readings = Typing::new(&schema).read(&mut value, root, request);
        (value, readings)
    }

    #[test]
    fn placeholders_of_typed_values_read_as_values_of_their_type() {
        let body = r##"{"value": [{
            "id": "id-value",
            "createdDateTime": "datetime-value",
            "skuId": "skuId-value-1",
            "note": "note-value",
            "plans": [{"issued": "Date", "key": "MIIDYDCCAki..."}],
            "@odata.type": "#microsoft.graph.trialLicense",
            "ends": "String (timestamp)"
        }]}"##;
        let (value, readings) = read(body, &Root::Type("license"), false);
        let item = &value["value"][0];
        assert_eq!(item["createdDateTime"], "0001-01-01T00:00:00Z");
        assert_eq!(item["skuId"], "00000000-0000-0000-0000-000000000000");
        assert_eq!(item["plans"][0]["issued"], "0001-01-01");
        assert_eq!(item["plans"][0]["key"], "");
        // A derived type's own property, by its `@odata.type`.
        assert_eq!(item["ends"], "0001-01-01T00:00:00Z");
        // Text stays text, placeholder or not.
        assert_eq!(item["id"], "id-value");
        assert_eq!(item["note"], "note-value");
        assert_eq!(readings.placeholders, 5);
    }

    #[test]
    fn values_that_are_no_placeholders_stay_as_written() {
        let body = r#"{"createdDateTime": "1974-07-22", "skuId": "{8f2c0a55-1111-2222-3333-444455556666}",
            "plans": [{"key": "Adfsdfsdfsdfw=="}], "isOn": "true"}"#;
        let (value, readings) = read(body, &Root::Type("license"), false);
        assert_eq!(value, serde_json::from_str::<Value>(body).unwrap());
        assert_eq!(readings, Readings::default());
    }

    #[test]
    fn a_request_reads_strings_as_the_boolean_or_number_documented() {
        let body = r#"{"isOn": " True ", "seats": "12", "note": "true", "skuId": "5"}"#;
        let (value, readings) = read(body, &Root::Type("license"), true);
        assert_eq!(value["isOn"], true);
        assert_eq!(value["seats"], 12);
        assert_eq!(value["note"], "true");
        assert_eq!(value["skuId"], "5");
        assert_eq!(readings.converted, 2);
        // Not a text Graph refuses.
        let (value, _) = read(
            r#"{"isOn": "yes", "seats": "many"}"#,
            &Root::Type("license"),
            true,
        );
        assert_eq!(value["isOn"], "yes");
        assert_eq!(value["seats"], "many");
    }

    #[test]
    fn action_parameters_are_read_by_their_documented_types() {
        let skus = property("addLicenses", "license", true);
        let when = property("when", "DateTimeOffset", false);
        let root = Root::Parameters(vec![&skus, &when]);
        let (value, readings) = read(
            r#"{"addLicenses": [{"skuId": "skuId-value"}], "when": "{when}"}"#,
            &root,
            true,
        );
        assert_eq!(
            value["addLicenses"][0]["skuId"],
            "00000000-0000-0000-0000-000000000000"
        );
        assert_eq!(value["when"], "0001-01-01T00:00:00Z");
        assert_eq!(readings.placeholders, 2);
    }

    #[test]
    fn placeholders_are_told_from_values() {
        for text in [
            "datetime-value",
            "skuId-value-1",
            "x_value",
            "Date",
            "Binary",
            "String (timestamp)",
            "GUID",
            "MIIC…",
            "abc...",
            "{jobId}",
        ] {
            assert!(is_placeholder(text), "{text}");
        }
        for text in [
            "2021-01-01",
            "Adfsdfsdfsdfw==",
            "{8f2c0a55-1111-2222-3333-444455556666}",
            "value",
            "",
            "true",
        ] {
            assert!(!is_placeholder(text), "{text}");
        }
    }
}
