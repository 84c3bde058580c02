//! Rust names for documented names: one module, so that every emitter agrees.
//!
//! Wire names are never changed, only the Rust identifiers made from them; where the two
//! differ, the generated item's docs say so. Case conversion works on camel-case humps
//! (`iOSUpdateConfiguration` → `i_os_update_configuration`), keywords become raw
//! identifiers (`r#type`), and the four that cannot (`self`, `Self`, `super`, `crate`) get
//! a trailing underscore.

use std::collections::{BTreeMap, BTreeSet};

/// Rust keywords of every edition, reserved words included (`gen` is 2024's).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Camel-case humps: `androidVPNPackage2Type` → `android`, `VPN`, `Package2`, `Type`;
/// anything not alphanumeric separates words.
pub fn humps(identifier: &str) -> Vec<&str> {
    identifier
        .split(|c: char| !c.is_alphanumeric())
        .flat_map(word_humps)
        .collect()
}

fn word_humps(word: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..chars.len() {
        let (prev, (at, cur)) = (chars[i - 1].1, chars[i]);
        let next_lower = chars.get(i + 1).is_some_and(|(_, c)| c.is_lowercase());
        let boundary = cur.is_uppercase()
            && (prev.is_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_uppercase() && next_lower));
        if boundary {
            out.push(&word[start..at]);
            start = at;
        }
    }
    if start < word.len() {
        out.push(&word[start..]);
    }
    out
}

/// `snake_case` of a documented name (not yet a valid identifier: see [`ident`]).
pub fn snake_case(name: &str) -> String {
    humps(name)
        .iter()
        .map(|h| h.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// A name as Graph spells its types: lowerCamel, a leading acronym (`IPv6`, `URL`)
/// kept.
pub fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => first
            .to_lowercase()
            .chain(name[first.len_utf8()..].chars())
            .collect(),
        _ => name.to_string(),
    }
}

/// The name Graph gives a documented type on the wire, in `@odata.type`: the schema
/// keeps the docs' spelling, and older pages capitalise the name in their title
/// ("Drive resource type", "termStore Group") where Graph's own name and the page's
/// JSON say `microsoft.graph.drive`. Graph's type names are lowerCamel, namespace and
/// all.
pub fn wire_type_name(name: &str) -> String {
    name.split('.')
        .map(lower_camel)
        .collect::<Vec<_>>()
        .join(".")
}

/// `UpperCamelCase` of a documented name (not yet a valid identifier: see [`ident`]).
pub fn upper_camel(name: &str) -> String {
    humps(name)
        .iter()
        .map(|hump| {
            let mut chars = hump.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect()
}

/// Makes a converted name a valid Rust identifier: non-ASCII-identifier characters become
/// `_`, a leading digit gets a prefix, keywords become raw (`r#type`) or, where they cannot,
/// get a trailing `_`. Returns the identifier as text (with `r#` where raw).
pub fn ident(converted: &str, digit_prefix: &str) -> String {
    let mut out: String = converted
        .chars()
        .map(|c| match c {
            c if c.is_ascii_alphanumeric() || c == '_' => c,
            c => fold_accent(c).unwrap_or('_'),
        })
        .collect();
    if out.is_empty() {
        out.push_str(digit_prefix);
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, digit_prefix);
    }
    if NOT_RAW.contains(&out.as_str()) {
        out.push('_');
    } else if KEYWORDS.contains(&out.as_str()) {
        out.insert_str(0, "r#");
    }
    out
}

/// The ASCII letter under a Latin accented letter (`ü` → `u`), so that names such as
/// `ünïcödé` stay readable as identifiers (`unicode`).
fn fold_accent(c: char) -> Option<char> {
    const FOLDS: [(&str, char); 12] = [
        ("àáâãäåā", 'a'),
        ("çćč", 'c'),
        ("èéêëēė", 'e'),
        ("ìíîïī", 'i'),
        ("ñń", 'n'),
        ("òóôõöøō", 'o'),
        ("ùúûüū", 'u'),
        ("ýÿ", 'y'),
        ("ßś", 's'),
        ("žźż", 'z'),
        ("ł", 'l'),
        ("ď", 'd'),
    ];
    let lower = c.to_lowercase().next()?;
    let folded = FOLDS.iter().find(|(from, _)| from.contains(lower))?.1;
    Some(if c.is_uppercase() {
        folded.to_ascii_uppercase()
    } else {
        folded
    })
}

/// The field identifier for a wire name: `isEnabled` → `is_enabled`, `type` → `r#type`.
pub fn field_ident(wire: &str) -> String {
    ident(&snake_case(wire), "n")
}

/// The type identifier for a documented type name: `runState` → `RunState`.
pub fn type_ident(name: &str) -> String {
    ident(&upper_camel(name), "T")
}

/// The variant identifier for an enum member: `notApplicable` → `NotApplicable`.
pub fn variant_ident(member: &str) -> String {
    ident(&upper_camel(member), "V")
}

/// Assigns each name an identifier, resolving collisions after conversion
/// deterministically: names are taken in sorted order and a later name whose identifier
/// is taken (or reserved) gets a number: `_2` for snake case, `2` for camel case.
/// Returns name → identifier.
pub fn assign(
    names: impl IntoIterator<Item = String>,
    convert: impl Fn(&str) -> String,
    reserved: &[&str],
) -> BTreeMap<String, String> {
    assign_by(names, |name: &String| convert(name), reserved)
}

/// [`assign`] for keys of any ordered type: the keys' order decides which of two
/// colliding names keeps the plain identifier.
pub fn assign_by<K: Ord + Clone>(
    names: impl IntoIterator<Item = K>,
    convert: impl Fn(&K) -> String,
    reserved: &[&str],
) -> BTreeMap<K, String> {
    let names: BTreeSet<K> = names.into_iter().collect();
    let mut taken: BTreeSet<String> = reserved.iter().map(|r| r.to_string()).collect();
    let mut out = BTreeMap::new();
    for name in names {
        let base = convert(&name);
        let mut candidate = base.clone();
        let mut n = 2;
        let bare = base.trim_start_matches("r#");
        let separator = if bare.starts_with(|c: char| c.is_uppercase()) {
            ""
        } else {
            "_"
        };
        while taken.contains(candidate.trim_start_matches("r#")) {
            candidate = format!("{bare}{separator}{n}");
            n += 1;
        }
        taken.insert(candidate.trim_start_matches("r#").to_string());
        out.insert(name, candidate);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_lower_camel_per_namespace_segment() {
        assert_eq!(wire_type_name("Drive"), "drive");
        assert_eq!(wire_type_name("termStore.Group"), "termStore.group");
        assert_eq!(wire_type_name("iPv6CidrRange"), "iPv6CidrRange");
        assert_eq!(wire_type_name("IPv6CidrRange"), "IPv6CidrRange");
    }

    #[test]
    fn case_conversion() {
        assert_eq!(
            snake_case("lastStateUpdateDateTime"),
            "last_state_update_date_time"
        );
        assert_eq!(
            snake_case("iOSUpdateConfiguration"),
            "i_os_update_configuration"
        );
        assert_eq!(snake_case("@odata.type"), "odata_type");
        assert_eq!(upper_camel("runState"), "RunState");
        assert_eq!(upper_camel("windows10EditionType"), "Windows10EditionType");
    }

    #[test]
    fn identifiers_are_always_valid() {
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("gen"), "r#gen");
        assert_eq!(field_ident("3dModel"), "n3d_model");
        assert_eq!(field_ident("dash-name.x"), "dash_name_x");
        assert_eq!(field_ident("über"), "uber");
        assert_eq!(field_ident("ünïcödé"), "unicode");
        assert_eq!(field_ident("日本"), "__");
        assert_eq!(type_ident("self"), "Self_");
        assert_eq!(type_ident("2fa"), "T2fa");
        assert_eq!(variant_ident(""), "V");
        for name in [
            "type", "self", "Self", "crate", "super", "gen", "3x", "a-b", "ünï", "", "_",
        ] {
            let id = field_ident(name);
            assert!(syn::parse_str::<syn::Ident>(&id).is_ok(), "{name} → {id}");
        }
    }

    #[test]
    fn collisions_after_conversion_are_numbered_in_sorted_order() {
        let ids = assign(
            [
                "fooBar".to_string(),
                "foo_bar".to_string(),
                "FooBar".to_string(),
                "extra".to_string(),
            ],
            field_ident,
            &["extra"],
        );
        assert_eq!(ids["FooBar"], "foo_bar");
        assert_eq!(ids["fooBar"], "foo_bar_2");
        assert_eq!(ids["foo_bar"], "foo_bar_3");
        assert_eq!(ids["extra"], "extra_2");
        let ids = assign(["other".to_string()], variant_ident, &["Other"]);
        assert_eq!(ids["other"], "Other2");
    }
}
