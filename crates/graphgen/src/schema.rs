//! The merged schema: the intermediate representation every emitter reads, and the
//! contents of `schema.json`.
//!
//! Field names and order follow the schema.json contract in DESIGN.md; everything is
//! sorted by name so that the file never depends on the order pages were read in.

use serde::{Deserialize, Serialize};

pub use crate::primitive::{OpenApiType, Primitive};

/// The whole API, merged from every page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    /// Entity, complex and enum types, sorted by name.
    pub types: Vec<Type>,
    /// One entry per (method, path), sorted by path then method.
    pub operations: Vec<Operation>,
}

/// What kind of type a schema type is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeKind {
    /// An addressable type with an `id`.
    Entity,
    /// A structured value without identity.
    Complex,
    /// An enumeration.
    Enum,
}

impl TypeKind {
    /// The name as schema.json spells it: `entity`, `complex` or `enum`.
    pub fn as_str(self) -> &'static str {
        match self {
            TypeKind::Entity => "entity",
            TypeKind::Complex => "complex",
            TypeKind::Enum => "enum",
        }
    }

    /// The name for people, as diagnostics spell it: `Entity`, `Complex` or `Enum`.
    pub fn title(self) -> &'static str {
        match self {
            TypeKind::Entity => "Entity",
            TypeKind::Complex => "Complex",
            TypeKind::Enum => "Enum",
        }
    }
}

/// One documented type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Type {
    /// The name as the docs spell it (lowerCamel, no namespace).
    pub name: String,
    /// Entity, complex or enum.
    pub kind: TypeKind,
    /// The base type, from "Inherits from".
    pub base: Option<String>,
    /// Properties and relationships, sorted by name.
    pub properties: Vec<Property>,
    /// Enum members in documented order (empty for other kinds).
    pub members: Vec<String>,
    /// The type's description, from its resource page.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Enum members with their documented values and descriptions, in documented order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_details: Vec<Member>,
    /// The pages (relative paths without extension) that document this type.
    pub sources: Vec<String>,
}

/// One property or relationship of a type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    /// The wire name.
    pub name: String,
    /// The type: an EDM primitive name (`String`, `Int32` …) or a schema type name.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the property holds a collection of `type`.
    pub collection: bool,
    /// Whether this is a navigation property (from the Relationships table).
    #[serde(default, skip_serializing_if = "is_false")]
    pub relationship: bool,
    /// The documented description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// One enum member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The wire name.
    pub name: String,
    /// The documented integer value, when a Members table gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// The documented description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// One documented operation: a method on a path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// The HTTP method, upper case.
    pub method: String,
    /// The path as documented, with `{placeholder}` segments.
    pub path: String,
    /// The resource type the operation works on or returns.
    #[serde(rename = "type")]
    pub ty: Option<String>,
    /// The documented success status code.
    pub status: u16,
    /// What the operation does: create, get, list, update, delete, action or function.
    pub kind: OperationKind,
    /// The operation's name: the action or function name, or the verb.
    pub name: String,
    /// Whether the response body is a collection of `type`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub returns_collection: bool,
    /// Action parameters (from the request body table) or function parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Property>,
    /// The documented permissions.
    pub permissions: Permissions,
    /// The pages (relative paths without extension) that document this operation.
    pub sources: Vec<String>,
}

/// What an operation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperationKind {
    /// POST to a collection: create an entity.
    Create,
    /// GET one entity.
    Get,
    /// GET a collection.
    List,
    /// PATCH (or PUT) an entity.
    Update,
    /// DELETE an entity.
    Delete,
    /// POST to a bound action.
    Action,
    /// GET a bound function.
    Function,
}

impl OperationKind {
    /// The name as schema.json spells it: `create`, `get`, …, `action`, `function`.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationKind::Create => "create",
            OperationKind::Get => "get",
            OperationKind::List => "list",
            OperationKind::Update => "update",
            OperationKind::Delete => "delete",
            OperationKind::Action => "action",
            OperationKind::Function => "function",
        }
    }

    /// The name for people: `Create`, …, `Action`.
    pub fn title(self) -> &'static str {
        match self {
            OperationKind::Create => "Create",
            OperationKind::Get => "Get",
            OperationKind::List => "List",
            OperationKind::Update => "Update",
            OperationKind::Delete => "Delete",
            OperationKind::Action => "Action",
            OperationKind::Function => "Function",
        }
    }
}

/// Permission scopes, least privileged first where the page says so.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    /// Delegated (work or school account) scopes.
    pub delegated_work: Vec<String>,
    /// Delegated (personal Microsoft account) scopes.
    pub delegated_personal: Vec<String>,
    /// Application scopes.
    pub application: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Whether a type name is an EDM primitive rather than a schema type.
pub fn is_primitive(name: &str) -> bool {
    Primitive::parse(name).is_some()
}

/// A type name as it is compared: a primitive by its EDM name (`string` and `String`
/// are one type), any other name as it is.
pub fn canonical_type(name: &str) -> &str {
    Primitive::parse(name).map_or(name, |p| p.name())
}
