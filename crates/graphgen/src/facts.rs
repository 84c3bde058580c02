//! What one page says: the output of extraction and the input of merging.
//!
//! Facts keep the source line of everything they record, so that the merge can name
//! both places when two pages disagree.

use serde::Serialize;

use crate::schema::{OperationKind, Permissions, TypeKind};

/// Everything extracted from one page.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PageFacts {
    /// The page id: its path relative to the input folder, without extension.
    pub page: String,
    /// What kind of page it is.
    pub kind: PageKind,
    /// Types the page documents: its resource or enum, the body type of a create or
    /// update page, and enums named by "Possible values are" in property descriptions.
    pub types: Vec<TypeFacts>,
    /// Operations the page documents (one per method page).
    pub operations: Vec<OperationFacts>,
    /// The sub-namespace of `microsoft.graph` the page documents (`callRecords` for
    /// "Namespace: microsoft.graph.callRecords"); the merge qualifies the page's names
    /// with it. None for the root namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Every word of the page's prose, for rebuilding the camel case of names that only
    /// a lower-case file name gives. Not a fact of the API, so never serialized.
    #[serde(skip)]
    pub words: std::collections::BTreeSet<String>,
}

/// The kind of a page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// An API page: one operation.
    Method,
    /// A resource (entity or complex type) page.
    Resource,
    /// An enum page.
    Enum,
    /// Anything else (conceptual overviews); yields nothing.
    #[default]
    Other,
}

/// A type as one page documents it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TypeFacts {
    /// The type name as the docs spell it.
    pub name: String,
    /// How the name was found; a name from the file name is lower case and resolved
    /// against the names other pages use. Provenance, not a fact: never serialized.
    #[serde(skip)]
    pub named_by: NamedBy,
    /// The kind, when the page tells it.
    pub kind: Option<TypeKind>,
    /// The base type, from "Inherits from".
    pub base: Option<String>,
    /// The description, from a resource or enum page.
    pub description: String,
    /// Properties and relationships in page order.
    pub properties: Vec<PropertyFacts>,
    /// Enum members in page order.
    pub members: Vec<MemberFacts>,
    /// Whether the page fully documents this type (a resource or enum page), as opposed
    /// to mentioning it (a request body table, a "Possible values" list).
    pub defining: bool,
    /// Line of the heading, table or sentence the type came from.
    pub line: u32,
}

/// Where a type's name came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NamedBy {
    /// The page title, the JSON representation or a table: exact spelling.
    #[default]
    Page,
    /// Only the file name (lower case): resolved in the merge.
    FileName,
}

/// One row of a property or relationship table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PropertyFacts {
    /// The wire name.
    pub name: String,
    /// The type name (EDM primitive or schema type), without namespace.
    pub ty: String,
    /// Whether the type cell said `collection`.
    pub collection: bool,
    /// Whether the row is in the Relationships table.
    pub relationship: bool,
    /// The description cell.
    pub description: String,
    /// 1-based source line.
    pub line: u32,
}

/// One enum member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberFacts {
    /// The wire name.
    pub name: String,
    /// The documented integer value, if any.
    pub value: Option<i64>,
    /// The description, if any.
    pub description: String,
}

/// One operation as its method page documents it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OperationFacts {
    /// What it does.
    pub kind: OperationKind,
    /// The action or function name, or the verb for CRUD.
    pub name: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Every documented path, in page order, without duplicates.
    pub paths: Vec<String>,
    /// The documented success status.
    pub status: Option<u16>,
    /// The resource or response type.
    pub ty: Option<String>,
    /// Whether the response is a collection.
    pub returns_collection: bool,
    /// Action or function parameters.
    pub parameters: Vec<PropertyFacts>,
    /// The permissions table.
    pub permissions: Permissions,
    /// The example requests and responses.
    pub examples: Vec<Example>,
    /// Line of the HTTP request section.
    pub line: u32,
}

/// One example exchange.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Example {
    /// The example request, if shown.
    pub request: Option<HttpMessage>,
    /// The example response, if shown.
    pub response: Option<HttpMessage>,
}

/// An HTTP request or response from an example.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HttpMessage {
    /// The request method (requests only).
    pub method: String,
    /// The request path without the service root (requests only).
    pub path: String,
    /// Whether the request is sent to a host other than Graph's (requests only): an
    /// upload or download URL the service hands out, no call of the API.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub other_host: bool,
    /// The response status (responses only).
    pub status: Option<u16>,
    /// The body text, if any.
    pub body: Option<String>,
    /// 1-based line of the request or status line.
    pub line: u32,
    /// 1-based line where the body starts (0 without a body). Differs between formats
    /// like every line, and is only for diagnostics, so never serialized.
    #[serde(skip)]
    pub body_line: u32,
}
