//! Enum pages: the enum's name and its member tables.

use super::table::{column, described};
use super::{Extractor, is_identifier, named_type, section_tables, title_name, type_name};
use crate::diag::DiagnosticCode;
use crate::facts::{MemberFacts, NamedBy, PageFacts, TypeFacts};
use crate::page::{SectionKind, Table, TitleKind};
use crate::schema::TypeKind;

impl Extractor<'_> {
    pub(super) fn enum_page(&mut self, facts: &mut PageFacts) {
        let Some((name, named_by)) = self.enum_name() else {
            self.error(
                self.title_line(),
                DiagnosticCode::NoTypeName,
                "enum page names no type: expected a title `x enum type` or a file named after the enum",
            );
            return;
        };
        let mut members = Vec::new();
        for table in section_tables(self.page, SectionKind::Members) {
            members.extend(self.member_table(table));
        }
        if members.is_empty() {
            self.error(
                self.title_line(),
                DiagnosticCode::NoMembers,
                format!("enum page `{name}` lists no members: expected a `Member | Value | Description` table under `Members`"),
            );
        }
        facts.types.push(TypeFacts {
            named_by,
            description: self.description(),
            members,
            defining: true,
            ..named_type(name, Some(TypeKind::Enum), self.title_line())
        });
    }

    /// `x enum type` in the title; the newer copied style has no title, and then the
    /// file name is all that is left.
    fn enum_name(&self) -> Option<(String, NamedBy)> {
        if let Some(name) = title_name(self.page, TitleKind::Enum) {
            return Some((type_name(name), NamedBy::Page));
        }
        self.intro_or_file_name_type()
    }

    /// The rows of a `Member | Value | Description` table whose name is an identifier.
    fn member_table(&mut self, table: &Table) -> Vec<MemberFacts> {
        let name_col = column(table, &["Member", "Name"]).unwrap_or(0);
        let value_col = column(table, &["Value"]);
        let description_col = column(table, &["Description"]);
        let mut members = Vec::new();
        for row in &table.rows {
            let Some(name) = row.cells.get(name_col).map(|c| c.trim()) else {
                continue;
            };
            if !is_identifier(name) {
                if !name.is_empty() {
                    self.warn(
                        row.line,
                        DiagnosticCode::OddMember,
                        format!("skipped enum member `{name}`: expected an identifier"),
                    );
                }
                continue;
            }
            members.push(MemberFacts {
                name: name.to_string(),
                value: value_col
                    .and_then(|c| row.cells.get(c))
                    .and_then(|v| v.trim().parse().ok()),
                description: described(row, description_col),
            });
        }
        members
    }
}
