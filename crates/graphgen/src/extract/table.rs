//! Tables that every page kind shares: property tables, their type cells, row widths,
//! and the enums that "Possible values are" sentences in descriptions name.

use super::{Extractor, is_identifier, is_type_name, named_type, type_name};
use crate::diag::DiagnosticCode;
use crate::facts::{MemberFacts, PageFacts, PropertyFacts, TypeFacts};
use crate::page::{Row, Table};
use crate::schema::{TypeKind, is_primitive};

impl Extractor<'_> {
    /// A row with more or fewer cells than its header is malformed (a literal `|` in a
    /// description, a lost cell); what can be read is still read.
    fn check_row_width(&mut self, table: &Table, row: &Row) {
        if row.written == 0 || row.written == table.header.len() {
            return;
        }
        self.warn(
            row.line,
            DiagnosticCode::RowWidth,
            format!(
                "table row has {} cells but its header has {} ({}); {}",
                row.written,
                table.header.len(),
                table.header.join(" | "),
                if row.written > table.header.len() {
                    "a literal `|` in a cell must be escaped as `\\|`"
                } else {
                    "a cell is missing"
                }
            ),
        );
    }

    /// Rows of a `Property | Type | Description` table; a one-cell row continues the
    /// description of the row above it.
    pub(super) fn property_table(
        &mut self,
        table: &Table,
        relationship: bool,
    ) -> Vec<PropertyFacts> {
        let Some(type_col) = column(table, &["Type"]) else {
            return Vec::new();
        };
        // A `Type | Description` table lists types (a "Derived types" table under
        // Properties), not properties: the names are the column before the types.
        let name_col = column(table, &["Property", "Name", "Parameter", "Relationship"])
            .or((type_col > 0).then_some(0))
            .filter(|&c| c != type_col);
        let Some(name_col) = name_col else {
            return Vec::new();
        };
        let description_col = column(table, &["Description"]);
        let mut properties: Vec<PropertyFacts> = Vec::new();
        for row in &table.rows {
            let name = row.cells.get(name_col).map_or("", |c| c.trim());
            let type_cell = row.cells.get(type_col).map_or("", |c| c.trim());
            if type_cell.is_empty() && is_label_row(row, name, properties.last_mut()) {
                continue;
            }
            self.check_row_width(table, row);
            let Some((ty, collection)) = self.property_type(row, name, type_cell) else {
                continue;
            };
            properties.push(PropertyFacts {
                name: name.to_string(),
                ty,
                collection,
                relationship,
                description: described(row, description_col),
                line: row.line,
            });
        }
        properties
    }

    /// The type of a property row, or a warning saying why the row is skipped.
    fn property_type(&mut self, row: &Row, name: &str, type_cell: &str) -> Option<(String, bool)> {
        if !is_property_name(name) {
            self.warn(
                row.line,
                DiagnosticCode::OddProperty,
                format!("skipped table row `{name}`: expected a property name"),
            );
            return None;
        }
        let parsed = parse_type_cell(type_cell);
        if parsed.is_none() {
            self.warn(
                row.line,
                DiagnosticCode::OddType,
                format!("property `{name}` has type `{type_cell}`: expected a type name, optionally followed by `collection`"),
            );
        }
        parsed
    }

    /// "Possible values are: `a`, `b`" in a description lists the members of the
    /// property's enum type.
    pub(super) fn possible_values(&mut self, properties: &[PropertyFacts], facts: &mut PageFacts) {
        for property in properties {
            if is_primitive(&property.ty) {
                continue;
            }
            let Some(members) = possible_values(&property.description) else {
                continue;
            };
            if members.is_empty() {
                continue;
            }
            let members = members
                .into_iter()
                .map(|name| MemberFacts {
                    name,
                    value: None,
                    description: String::new(),
                })
                .collect();
            facts.types.push(TypeFacts {
                members,
                ..named_type(property.ty.clone(), Some(TypeKind::Enum), property.line)
            });
        }
    }
}

/// Whether a row without a type is no property: a one-cell row is either a description
/// wrapped onto its own row (a sentence, which joins the description of `last`) or a
/// group label such as `**Device configuration**`; a label may also have empty cells
/// after it (`|**On-boarding**||`).
fn is_label_row(row: &Row, name: &str, last: Option<&mut PropertyFacts>) -> bool {
    let filled = row.cells.iter().filter(|c| !c.trim().is_empty()).count();
    if filled <= 1 {
        let text = row.cells.iter().find(|c| !c.trim().is_empty());
        if let (Some(text), Some(last)) = (text, last)
            && is_sentence(text)
        {
            last.description.push(' ');
            last.description.push_str(text.trim());
        }
        return true;
    }
    !name.starts_with(|c: char| c.is_lowercase())
}

/// The description cell of a row, empty when the table has none.
pub(super) fn described(row: &Row, description_col: Option<usize>) -> String {
    description_col
        .and_then(|c| row.cells.get(c))
        .cloned()
        .unwrap_or_default()
}

/// The index of the first header cell equal to one of `names` (case-insensitive).
pub(super) fn column(table: &Table, names: &[&str]) -> Option<usize> {
    table
        .header
        .iter()
        .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
}

/// Parses a type cell: `String`, `x collection`, `microsoft.graph.x`, `Edm.Int32`, and
/// a markdown reference link whose definition the page lacks, which every rendering
/// shows as typed: `[identitySet][] collection`.
pub fn parse_type_cell(cell: &str) -> Option<(String, bool)> {
    let cell = without_remark(cell.trim().trim_matches('*'));
    // `[itemAnalytics][] resource`, `JSON object`, `fileHashType enum`: a word saying
    // what the type is.
    let cell = ["resource", "object", "enum"]
        .iter()
        .find_map(|word| {
            let at = cell.len().checked_sub(word.len() + 1)?;
            let (ty, tail) = (cell.get(..at)?, cell.get(at..)?);
            (tail.strip_prefix(' ')? == *word).then_some(ty.trim_end())
        })
        .unwrap_or(cell);
    let unlinked;
    let cell = match reference_link_text(cell) {
        Some((text, rest)) => {
            unlinked = format!("{text}{rest}");
            unlinked.as_str()
        }
        None => cell,
    };
    // `Collection of String`; `x collection collection` says it twice.
    let (cell, of) = match cell.strip_prefix("Collection of ") {
        Some(ty) => (ty.trim(), true),
        None => (cell, false),
    };
    let mut ty = cell;
    let mut collection = of;
    while let Some(at) = ty
        .len()
        .checked_sub(" collection".len())
        .filter(|&at| ty.is_char_boundary(at) && ty[at..].eq_ignore_ascii_case(" collection"))
    {
        ty = ty[..at].trim();
        collection = true;
    }
    // OData's `Collection(x)`, which pages also write `collection(string)`.
    let (ty, collection) = ty
        .strip_prefix("Collection(")
        .or_else(|| ty.strip_prefix("collection("))
        .and_then(|t| t.strip_suffix(')'))
        .map(|t| (t, true))
        .unwrap_or((ty, collection));
    // `Collection([columnDefinition][])`: the link inside, as copied text shows it.
    let ty = match reference_link_text(ty) {
        Some((text, "")) => text,
        _ => ty,
    };
    // `[microsoft.graph.termStore.store]`: a shortcut reference link, shown so in
    // copied text, linked text in markdown.
    let ty = ty
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .filter(|t| !t.contains(['[', ']']))
        .unwrap_or(ty);
    let name = type_name(ty);
    is_type_name(&name).then_some((name, collection))
}

/// A type cell without a closing remark in parentheses: `string (url)`, `String (enum)`,
/// `String (timestamp)` are strings, as their copied text's type column reads them.
fn without_remark(cell: &str) -> &str {
    match cell
        .strip_suffix(')')
        .and_then(|c| c.rfind(" (").map(|at| &c[..at]))
    {
        // `Collection(x)` is the collection syntax, not a remark: it has no space.
        Some(ty) if !ty.trim().is_empty() => ty.trim_end(),
        _ => cell,
    }
}

/// `[text][label]` (or `[text][]`) at the start of a cell: the text and what follows.
fn reference_link_text(cell: &str) -> Option<(&str, &str)> {
    let rest = cell.strip_prefix('[')?;
    let close = rest.find("][")?;
    let after = &rest[close + 2..];
    let end = after.find(']')?;
    Some((&rest[..close], &after[end + 1..]))
}

/// Property names are identifiers, possibly dotted or dashed (`@odata.type`,
/// `content-type`); annotations start with `@`.
fn is_property_name(s: &str) -> bool {
    let s = s.strip_prefix('@').unwrap_or(s);
    !s.is_empty() && s.split(['.', '-']).all(is_identifier)
}

/// Whether a lone cell reads as a sentence (a wrapped description) rather than a label.
fn is_sentence(text: &str) -> bool {
    let text = text.trim();
    text.ends_with('.') || text.split_whitespace().count() > 6
}

/// The members listed by "Possible values are: `a`, `b`, `c`." in a description.
pub fn possible_values(description: &str) -> Option<Vec<String>> {
    let lower = description.to_ascii_lowercase();
    let at = lower.find("possible values are")?;
    let rest = &description[at + "possible values are".len()..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')
        .unwrap_or(rest)
        .trim_start();
    // "Possible values are listed in the following table", "… are described below": the
    // sentence points elsewhere, it lists nothing.
    const POINTERS: [&str; 8] = [
        "listed",
        "described",
        "shown",
        "defined",
        "documented",
        "given",
        "in",
        "as",
    ];
    let first = rest.split_whitespace().next().unwrap_or("");
    if POINTERS.contains(&first) {
        return Some(Vec::new());
    }
    let mut members = Vec::new();
    for item in rest.split(',') {
        let item = item.trim();
        let (word, ends_sentence) = split_value(item);
        let word = word.trim_matches('`');
        let word = word.strip_prefix("and ").unwrap_or(word);
        if word == "and" || word == "or" {
            // "a, b, and c": the member follows the conjunction.
            members.extend(after_conjunction(item));
            break;
        }
        if !is_identifier(word) {
            break;
        }
        members.push(word.to_string());
        if ends_sentence {
            // "a, b and c" / "a or b": the last member follows the conjunction.
            members.extend(after_conjunction(&item[word_end(item)..]));
            break;
        }
    }
    Some(members)
}

/// Where the first word of an item ends.
fn word_end(item: &str) -> usize {
    item.find(|c: char| c.is_whitespace() || c == '.')
        .unwrap_or(item.len())
}

/// The member named after `and`/`or` at the start of `tail` (`` and `c`. ``), if any.
fn after_conjunction(tail: &str) -> Option<String> {
    let tail = tail.trim_start();
    let rest = tail
        .strip_prefix("and ")
        .or_else(|| tail.strip_prefix("or "))?
        .trim_start();
    let end = rest
        .find(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ')')
        .unwrap_or(rest.len());
    let word = rest[..end].trim_end_matches('.').trim_matches('`');
    is_identifier(word).then(|| word.to_string())
}

/// The first word of one item of a "Possible values" list, and whether the list ends
/// with it (more words or a full stop follow it).
fn split_value(item: &str) -> (&str, bool) {
    match item.find(|c: char| c.is_whitespace() || c == '.') {
        Some(end) => {
            let tail = item[end..].trim_start();
            (
                &item[..end],
                !tail.is_empty() || item[end..].starts_with('.'),
            )
        }
        None => (item, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_possible_values_sentence_pointing_elsewhere_lists_nothing() {
        let text = "Who can join. Possible values are listed in the following table. Optional.";
        assert_eq!(possible_values(text), Some(Vec::new()));
    }

    #[test]
    fn possible_values_in_every_rendering() {
        let want = ["unknown", "success", "fail"];
        for text in [
            "State. Possible values are: `unknown`, `success`, `fail`.",
            "State. Possible values are: unknown , success , fail .",
            "State. Possible values are: unknown, success, fail. Default is unknown.",
        ] {
            assert_eq!(possible_values(text).unwrap(), want, "{text}");
        }
        for text in [
            "State. Possible values are: `unknown`, `success` and `fail`.",
            "State. Possible values are: unknown, success, and fail.",
            "State. Possible values are: unknown, success or fail",
            "State. Possible values are: `unknown`, `success`, or `fail`. Default is unknown.",
        ] {
            assert_eq!(possible_values(text).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn type_cells() {
        assert_eq!(
            parse_type_cell("String collection"),
            Some(("String".into(), true))
        );
        assert_eq!(
            parse_type_cell("microsoft.graph.runState"),
            Some(("runState".into(), false))
        );
        assert_eq!(
            parse_type_cell("Collection(Edm.Int32)"),
            Some(("Int32".into(), true))
        );
        assert_eq!(
            parse_type_cell("collection(changeNotification)"),
            Some(("changeNotification".into(), true))
        );
        assert_eq!(parse_type_cell("two words"), None);
        assert_eq!(
            parse_type_cell("[identitySet][] collection"),
            Some(("identitySet".into(), true))
        );
        assert_eq!(
            parse_type_cell("Collection([columnDefinition][])"),
            Some(("columnDefinition".into(), true))
        );
        assert_eq!(
            parse_type_cell("[itemReference][ref]"),
            Some(("itemReference".into(), false))
        );
        // A remark or a kind word after the type, which copied text's one-word type
        // column drops.
        for (cell, ty) in [
            ("string (url)", "string"),
            ("String (enum)", "String"),
            ("[itemAnalytics][] resource", "itemAnalytics"),
            ("Collection(Edm.String)", "String"),
            ("[microsoft.graph.termStore.store]", "termStore.store"),
            ("fileHashType enum", "fileHashType"),
        ] {
            assert_eq!(
                parse_type_cell(cell).map(|t| t.0),
                Some(ty.into()),
                "{cell}"
            );
        }
        assert_eq!(parse_type_cell("a (b)"), Some(("a".into(), false)));
        assert_eq!(
            parse_type_cell("Collection of String"),
            Some(("String".into(), true))
        );
        assert_eq!(
            parse_type_cell("routingPolicy collection collection"),
            Some(("routingPolicy".into(), true))
        );
        assert_eq!(parse_type_cell("a or b"), None);
        assert_eq!(parse_type_cell("(b)"), None);
    }
}
