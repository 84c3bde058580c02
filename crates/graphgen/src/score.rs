//! How far a schema agrees with a reference reading of the same pages (a schema.json of the
//! same contract, such as the corpus's `reference-schema.json`): precision and recall of
//! its types, properties, enum members and operations, and how often the operations both
//! hold have the same status. Facts the reference marks `uncertain` are scored neither way;
//! primitive type names are compared by their EDM name (`string` is `String`), since
//! pages spell them loosely and a reading may keep either spelling.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::schema::Schema;

/// The facts a reading is scored on, as comparable keys.
#[derive(Debug, Default)]
pub struct Facts {
    /// Type names.
    pub types: BTreeSet<String>,
    /// `type.property: Type` (with `[]` for a collection).
    pub properties: BTreeSet<String>,
    /// `enum.member`.
    pub members: BTreeSet<String>,
    /// `METHOD path` → documented status (0 when none).
    pub operations: BTreeMap<String, u64>,
    /// Keys the reference is unsure of: left out of both sides.
    uncertain: BTreeSet<String>,
}

/// How type names are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeCase {
    /// As spelled.
    Exact,
    /// Ignoring case: Graph names its types lowerCamel (`microsoft.graph.baseItem`), while
    /// older pages capitalise some in their title alone ("BaseItem resource type") and a
    /// reading may name a type by the title and refer to it by the cells (`baseItem`):
    /// compared so, one name in two spellings is one fact, and what is left is what was read.
    Folded,
}

impl TypeCase {
    fn apply(self, name: &str) -> String {
        match self {
            TypeCase::Exact => name.to_string(),
            TypeCase::Folded => name.to_lowercase(),
        }
    }
}

impl Facts {
    /// The facts of a schema.json document (ours serialized, or a reference).
    pub fn from_json(schema: &Value) -> Facts {
        Facts::from_json_with(schema, TypeCase::Exact)
    }

    /// [`Facts::from_json`] with type names compared as `case` says.
    pub fn from_json_with(schema: &Value, case: TypeCase) -> Facts {
        let mut facts = Facts::default();
        for t in list(schema, "types") {
            let name = case.apply(text(t, "name"));
            let name = name.as_str();
            for p in list(t, "properties") {
                let key = format!("{name}.{}", text(p, "name"));
                if p.get("uncertain").is_some() {
                    facts.uncertain.insert(key);
                    continue;
                }
                let collection = p.get("collection").and_then(Value::as_bool) == Some(true);
                let brackets = if collection { "[]" } else { "" };
                // `string` and `String` are one EDM type, however a page spells it.
                let ty = case.apply(crate::schema::canonical_type(text(p, "type")));
                facts.properties.insert(format!("{key}: {ty}{brackets}"));
            }
            for m in list(t, "members") {
                let member = m.as_str().unwrap_or_default();
                facts.members.insert(format!("{name}.{member}"));
            }
            facts.types.insert(name.to_string());
        }
        for o in list(schema, "operations") {
            let key = format!("{} {}", text(o, "method"), text(o, "path"));
            if o.get("uncertain").is_some() {
                facts.uncertain.insert(key);
                continue;
            }
            let status = o.get("status").and_then(Value::as_u64).unwrap_or(0);
            facts.operations.insert(key, status);
        }
        facts
    }

    /// The facts of our own schema.
    pub fn from_schema(schema: &Schema, case: TypeCase) -> Facts {
        let value = serde_json::to_value(schema).unwrap_or_default();
        Facts::from_json_with(&value, case)
    }
}

fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// One line of a score: how one kind of fact agrees.
#[derive(Debug)]
pub struct Agreement {
    /// What is counted: `types`, `properties`, `members`, `operations` or `status`.
    pub what: &'static str,
    /// How many we read.
    pub ours: usize,
    /// How many the reference holds.
    pub reference: usize,
    /// How many both hold.
    pub common: usize,
    /// Facts only we hold, sorted.
    pub only_ours: Vec<String>,
    /// Facts only the reference holds, sorted.
    pub only_reference: Vec<String>,
}

impl Agreement {
    /// Share of ours that the reference holds (1 when we read nothing).
    pub fn precision(&self) -> f64 {
        ratio(self.common, self.ours)
    }

    /// Share of the reference that we hold (1 when it holds nothing).
    pub fn recall(&self) -> f64 {
        ratio(self.common, self.reference)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// Scores `ours` against `reference`, one [`Agreement`] per kind of fact. The `status`
/// line counts the operations both hold: `common` of them have the same status.
pub fn compare(ours: &Facts, reference: &Facts) -> Vec<Agreement> {
    let skip = |key: &String| {
        let owner = key.split(": ").next().unwrap_or(key);
        reference.uncertain.contains(owner)
    };
    let ours_ops: BTreeSet<String> = ours.operations.keys().cloned().collect();
    let reference_ops: BTreeSet<String> = reference.operations.keys().cloned().collect();
    let mut lines = vec![
        agreement("types", &ours.types, &reference.types, &skip),
        agreement("properties", &ours.properties, &reference.properties, &skip),
        agreement("members", &ours.members, &reference.members, &skip),
        agreement("operations", &ours_ops, &reference_ops, &skip),
    ];
    let both: Vec<&String> = ours_ops.intersection(&reference_ops).collect();
    let differing: Vec<String> = both
        .iter()
        .filter(|k| ours.operations[**k] != reference.operations[**k])
        .map(|k| {
            let (a, b) = (ours.operations[*k], reference.operations[*k]);
            format!("{k}: ours {a}, reference {b}")
        })
        .collect();
    lines.push(Agreement {
        what: "status",
        ours: both.len(),
        reference: both.len(),
        common: both.len() - differing.len(),
        only_ours: differing,
        only_reference: Vec::new(),
    });
    lines
}

fn agreement(
    what: &'static str,
    ours: &BTreeSet<String>,
    reference: &BTreeSet<String>,
    skip: &dyn Fn(&String) -> bool,
) -> Agreement {
    let ours: BTreeSet<&String> = ours.iter().filter(|k| !skip(k)).collect();
    let reference: BTreeSet<&String> = reference.iter().collect();
    Agreement {
        what,
        ours: ours.len(),
        reference: reference.len(),
        common: ours.intersection(&reference).count(),
        only_ours: ours.difference(&reference).map(|k| k.to_string()).collect(),
        only_reference: reference.difference(&ours).map(|k| k.to_string()).collect(),
    }
}

/// The score as a table, with up to `examples` differing facts under each line.
pub fn report(agreements: &[Agreement], examples: usize) -> String {
    let mut out = String::new();
    for a in agreements {
        let _ = writeln!(
            out,
            "  {:<11} ours {:>6}  reference {:>6}  precision {:.4}  recall {:.4}",
            a.what,
            a.ours,
            a.reference,
            a.precision(),
            a.recall()
        );
        for fact in a.only_ours.iter().take(examples) {
            let _ = writeln!(out, "      only ours:      {fact}");
        }
        for fact in a.only_reference.iter().take(examples) {
            let _ = writeln!(out, "      only reference: {fact}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncertain_facts_count_neither_way() {
        let reference = serde_json::json!({
            "types": [{"name": "a", "properties": [
                {"name": "x", "type": "String", "collection": false},
                {"name": "y", "type": "one or other", "collection": false, "uncertain": "why"}
            ]}],
            "operations": [{"method": "GET", "path": "/a", "status": 200}]
        });
        let ours = serde_json::json!({
            "types": [{"name": "a", "properties": [
                {"name": "x", "type": "String", "collection": true},
                {"name": "y", "type": "other", "collection": false}
            ]}],
            "operations": [{"method": "GET", "path": "/a", "status": 201}]
        });
        let lines = compare(&Facts::from_json(&ours), &Facts::from_json(&reference));
        let properties = &lines[1];
        assert_eq!(
            (properties.ours, properties.reference, properties.common),
            (1, 1, 0)
        );
        assert_eq!(properties.only_ours, ["a.x: String[]"]);
        let status = &lines[4];
        assert_eq!((status.common, status.ours), (0, 1));
        assert_eq!(status.only_ours, ["GET /a: ours 201, reference 200"]);
    }
}
