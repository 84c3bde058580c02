//! `[!INCLUDE [label](path)]` lines: today's docs keep each permissions table (and other
//! shared text) in an include file, which the rendered page shows in place. The markdown
//! source is read with each include's text put where its line was, resolved relative to
//! the page; every line it brings keeps the include line's number, so that diagnostics
//! still point into the page.

use std::path::{Path, PathBuf};

/// A page's text with its includes put in.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Expanded {
    /// The text.
    pub text: String,
    /// For each line of `text`, its 1-based line in the page.
    pub lines: Vec<u32>,
    /// Includes whose file could not be read (their line is kept as it was): the page's
    /// line and the file looked for.
    pub missing: Vec<(u32, PathBuf)>,
}

/// How deep includes may nest (an include that includes itself stops there).
const MAX_DEPTH: usize = 4;

/// The page's text with its includes in place, or `None` when it has none.
pub fn expand(src: &str, page: &Path) -> Option<Expanded> {
    if !src.lines().any(|line| include_target(line).is_some()) {
        return None;
    }
    let mut expanded = Expanded::default();
    let base = page.parent().unwrap_or(Path::new(""));
    for (i, line) in src.lines().enumerate() {
        let number = i as u32 + 1;
        match include_target(line) {
            Some(target) => {
                let file = base.join(target);
                match include_text(&file, 1) {
                    Some(text) => push_lines(&mut expanded, &text, number),
                    None => {
                        // The page reads as if the include were not resolved at all.
                        push_line(&mut expanded, line, number);
                        expanded.missing.push((number, file));
                    }
                }
            }
            None => push_line(&mut expanded, line, number),
        }
    }
    Some(expanded)
}

/// Every line of an include's text, numbered as the include line.
fn push_lines(expanded: &mut Expanded, text: &str, number: u32) {
    for line in text.lines() {
        push_line(expanded, line, number);
    }
}

/// One line, blank ones too: they end paragraphs and tables.
fn push_line(expanded: &mut Expanded, line: &str, number: u32) {
    expanded.text.push_str(line);
    expanded.text.push('\n');
    expanded.lines.push(number);
}

/// An include file's text without its front matter, its own includes put in (those that
/// cannot be read are left out).
fn include_text(file: &Path, depth: usize) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let text = without_front_matter(&text);
    let base = file.parent().unwrap_or(Path::new(""));
    let mut out = String::new();
    for line in text.lines() {
        match include_target(line) {
            Some(target) if depth < MAX_DEPTH => {
                if let Some(inner) = include_text(&base.join(target), depth + 1) {
                    out.push_str(&inner);
                }
            }
            Some(_) => {}
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Some(out)
}

/// The text after a leading `---` … `---` YAML block.
fn without_front_matter(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("---") else {
        return text;
    };
    let mut offset = text.len() - rest.len();
    // The first piece ends the opening `---` line.
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        offset += line.len();
        if i > 0 && line.trim_end() == "---" {
            return &text[offset..];
        }
    }
    text
}

/// The path of an `[!INCLUDE [label](path)]` line (any case, optionally quoted with `>`),
/// if the line is one.
fn include_target(line: &str) -> Option<&str> {
    let line = line.trim_start().trim_start_matches('>').trim();
    let head = line.get(..10)?;
    if !head.eq_ignore_ascii_case("[!include ") && !head.eq_ignore_ascii_case("[!include[") {
        return None;
    }
    let start = line.find("](")? + 2;
    let end = start + line[start..].find(')')?;
    let target = line[start..end].trim();
    (!target.is_empty()).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_lines_are_recognized() {
        assert_eq!(
            include_target("[!INCLUDE [permissions-table](../includes/permissions/x.md)]"),
            Some("../includes/permissions/x.md")
        );
        assert_eq!(
            include_target("> [!include[note](../../includes/a.md)]"),
            Some("../../includes/a.md")
        );
        assert_eq!(include_target("[INCLUDE](x.md)"), None);
        assert_eq!(include_target("[!INCLUDE [broken](x.md"), None);
    }

    /// Included lines take the include line's number; later lines keep theirs; a missing
    /// include stays as it was and is reported with the file looked for; front matter is
    /// dropped.
    #[test]
    fn includes_are_put_in_place_with_the_page_line_numbers() {
        let dir = std::env::temp_dir().join(format!("graphgen-include-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("includes")).unwrap();
        std::fs::create_dir_all(dir.join("api")).unwrap();
        std::fs::write(
            dir.join("includes/table.md"),
            "---\ndescription: generated\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        )
        .unwrap();
        let page = dir.join("api/page.md");
        let src = "# Title\n[!INCLUDE [t](../includes/table.md)]\nafter\n[!INCLUDE [t](../includes/gone.md)]\n\nend\n";
        let expanded = expand(src, &page).expect("has includes");
        assert_eq!(
            expanded.text,
            "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\nafter\n[!INCLUDE [t](../includes/gone.md)]\n\nend\n"
        );
        assert_eq!(expanded.lines, [1, 2, 2, 2, 2, 3, 4, 5, 6]);
        assert_eq!(expanded.missing, [(4, dir.join("api/../includes/gone.md"))]);
        assert_eq!(expand("# no includes\n", &page), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
