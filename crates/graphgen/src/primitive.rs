//! The EDM primitive types: one table of how the docs write each, its Rust type and its
//! OpenAPI schema. Everything that knows about primitives reads this table.

/// An EDM primitive type (`Edm.String`, `Edm.Int32` …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    /// `Binary`: base64 text.
    Binary,
    /// `Boolean`.
    Boolean,
    /// `Byte`: unsigned 8 bits.
    Byte,
    /// `Date`: a calendar date.
    Date,
    /// `DateTimeOffset`: a date and time with its offset.
    DateTimeOffset,
    /// `Decimal`: a number of any precision.
    Decimal,
    /// `Double`.
    Double,
    /// `Duration`: an ISO 8601 duration.
    Duration,
    /// `Guid`.
    Guid,
    /// `Int16`.
    Int16,
    /// `Int32`.
    Int32,
    /// `Int64`.
    Int64,
    /// `SByte`: signed 8 bits.
    SByte,
    /// `Single`.
    Single,
    /// `Stream`: content that is no JSON-encoded data, kept as text.
    Stream,
    /// `String`.
    String,
    /// `TimeOfDay`.
    TimeOfDay,
}

/// The OpenAPI (JSON Schema) of a primitive: `type`, then at most one of `format` and
/// `contentEncoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenApiType {
    /// The JSON type: `string`, `integer`, `number` or `boolean`.
    pub ty: &'static str,
    /// The `format`, if any.
    pub format: Option<&'static str>,
    /// The `contentEncoding`, if any.
    pub content_encoding: Option<&'static str>,
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
struct Row {
    primitive: Primitive,
    /// The name as the docs write it (after `Edm.`).
    name: &'static str,
    /// The Rust type, as path text.
    rust: &'static str,
    openapi: OpenApiType,
}

/// Every primitive, in the order of the enum (sorted by name): the variant, its name in
/// the docs, its Rust type, and its OpenAPI `type`, `format` and `contentEncoding`.
#[rustfmt::skip]
const TABLE: [Row; 17] = {
    use Primitive::*;
    [
        row(Binary,         "Binary",         "::graph_support::Base64",                   "string",  None,              Some("base64")),
        row(Boolean,        "Boolean",        "bool",                                      "boolean", None,              None),
        row(Byte,           "Byte",           "u8",                                        "integer", Some("uint8"),     None),
        row(Date,           "Date",           "::chrono::NaiveDate",                       "string",  Some("date"),      None),
        row(DateTimeOffset, "DateTimeOffset", "::graph_support::DateTimeOffset",            "string",  Some("date-time"), None),
        row(Decimal,        "Decimal",        "::graph_support::Decimal",                  "number",  None,              None),
        row(Double,         "Double",         "f64",                                       "number",  Some("double"),    None),
        row(Duration,       "Duration",       "::graph_support::IsoDuration",              "string",  Some("duration"),  None),
        row(Guid,           "Guid",           "::graph_support::Guid",                     "string",  Some("uuid"),      None),
        row(Int16,          "Int16",          "i16",                                       "integer", Some("int16"),     None),
        row(Int32,          "Int32",          "i32",                                       "integer", Some("int32"),     None),
        row(Int64,          "Int64",          "i64",                                       "integer", Some("int64"),     None),
        row(SByte,          "SByte",          "i8",                                        "integer", Some("int8"),      None),
        row(Single,         "Single",         "f64",                                       "number",  Some("float"),     None),
        row(Stream,         "Stream",         "::std::string::String",                     "string",  None,              None),
        row(String,         "String",         "::std::string::String",                     "string",  None,              None),
        row(TimeOfDay,      "TimeOfDay",      "::graph_support::TimeOfDay",                 "string",  Some("time"),      None),
    ]
};

const fn row(
    primitive: Primitive,
    name: &'static str,
    rust: &'static str,
    ty: &'static str,
    format: Option<&'static str>,
    content_encoding: Option<&'static str>,
) -> Row {
    Row {
        primitive,
        name,
        rust,
        openapi: OpenApiType {
            ty,
            format,
            content_encoding,
        },
    }
}

impl Primitive {
    /// Every primitive, sorted by name.
    pub fn all() -> impl Iterator<Item = Primitive> {
        TABLE.iter().map(|row| row.primitive)
    }

    fn row(self) -> &'static Row {
        &TABLE[self as usize]
    }

    /// The primitive with this name in any ASCII case (`Int32`, `GUID`, `string`: pages
    /// spell the EDM names loosely), not `Edm.Int32`.
    pub fn parse(name: &str) -> Option<Primitive> {
        TABLE
            .iter()
            .find(|row| row.name.eq_ignore_ascii_case(name))
            .map(|row| row.primitive)
    }

    /// The EDM name (`String`, `Int32`).
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The Rust type as path text, e.g. `::chrono::DateTime<::chrono::FixedOffset>`.
    pub fn rust_type(self) -> &'static str {
        self.row().rust
    }

    /// The OpenAPI type and format.
    pub fn openapi(self) -> OpenApiType {
        self.row().openapi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_enum_order_and_sorted() {
        for (index, row) in TABLE.iter().enumerate() {
            assert_eq!(row.primitive as usize, index, "{}", row.name);
            assert_eq!(format!("{:?}", row.primitive), row.name);
        }
        assert!(TABLE.windows(2).all(|w| w[0].name < w[1].name));
    }

    #[test]
    fn every_rust_type_parses() {
        for primitive in Primitive::all() {
            syn::parse_str::<syn::Type>(primitive.rust_type())
                .unwrap_or_else(|e| panic!("{primitive:?}: {e}"));
        }
    }

    #[test]
    fn parse_ignores_case_but_not_prefixes() {
        assert_eq!(Primitive::parse("Int32"), Some(Primitive::Int32));
        assert_eq!(Primitive::parse("int32"), Some(Primitive::Int32));
        assert_eq!(Primitive::parse("GUID"), Some(Primitive::Guid));
        assert_eq!(Primitive::parse("Edm.Int32"), None);
        assert_eq!(Primitive::parse("user"), None);
    }
}
