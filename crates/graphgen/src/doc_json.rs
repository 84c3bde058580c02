//! Example bodies as the docs write them. Graph's reference pages often abbreviate JSON
//! ("the response object shown here might be shortened for readability"): an elided
//! item or property written `...` or `…`, a `//` or `/* */` comment, and the trailing
//! comma a removed line leaves; and a copied page may indent with non-breaking spaces.
//! Such a body is read with the abbreviation left out and those spaces as spaces, which
//! adds nothing the page does not show; any other fault (an unquoted key, a single-quoted
//! string, a string broken over lines, a missing comma) is the page's and stays an error.

use serde_json::Value;

/// An example body read as JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct DocJson {
    /// The value the body shows.
    pub value: Value,
    /// Whether the body is an abbreviation or copied with non-breaking spaces (see the
    /// module docs) rather than strict JSON.
    pub abbreviated: bool,
}

/// Reads an example body: strict JSON, else JSON with its abbreviations left out. The
/// error is strict JSON's, which says where the page's text breaks.
pub fn read(text: &str) -> Result<DocJson, serde_json::Error> {
    let strict = match serde_json::from_str(text) {
        Ok(value) => {
            return Ok(DocJson {
                value,
                abbreviated: false,
            });
        }
        Err(e) => e,
    };
    let cleaned = without_abbreviations(text);
    match serde_json::from_str(&cleaned) {
        Ok(value) => Ok(DocJson {
            value,
            abbreviated: true,
        }),
        Err(_) => Err(strict),
    }
}

/// The body as compact JSON text when it reads (strict or abbreviated), else as written:
/// what verify checks and replays, so that an abbreviated example is sent without its
/// `...` and a broken one still fails where the page breaks.
pub fn normalized(text: &str) -> String {
    match read(text) {
        Ok(DocJson {
            value,
            abbreviated: true,
        }) => value.to_string(),
        _ => text.to_string(),
    }
}

/// The text outside strings without comments and ellipses, and without the commas they
/// leave dangling (before `}` or `]`, after `{`, `[` or another comma).
fn without_abbreviations(text: &str) -> String {
    let tokens = tokens(text);
    let mut out = String::with_capacity(text.len());
    let mut last_significant: Option<char> = None;
    for (i, token) in tokens.iter().enumerate() {
        if let Token::Text(',') = token {
            let next = tokens[i + 1..].iter().find_map(Token::significant);
            let dangling = matches!(next, None | Some('}' | ']'))
                || matches!(last_significant, None | Some('{' | '[' | ','));
            if dangling {
                continue;
            }
        }
        if let Some(c) = token.significant() {
            last_significant = Some(c);
        }
        token.write(&mut out);
    }
    out
}

/// A piece of the body: a string literal (kept whole), or one character outside strings.
/// Comments and ellipses are dropped while splitting.
enum Token<'a> {
    String(&'a str),
    Text(char),
}

impl Token<'_> {
    /// The first character of a token that is not white space.
    fn significant(&self) -> Option<char> {
        match self {
            Token::String(_) => Some('"'),
            Token::Text(c) if c.is_whitespace() => None,
            Token::Text(c) => Some(*c),
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            Token::String(s) => out.push_str(s),
            Token::Text(c) => out.push(*c),
        }
    }
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let skip = if c == '"' {
            let end = string_end(rest);
            out.push(Token::String(&rest[..end]));
            end
        } else if let Some(len) = abbreviation_len(rest) {
            len
        } else if c == '\u{a0}' {
            // A non-breaking space between tokens is white space to the reader.
            out.push(Token::Text(' '));
            c.len_utf8()
        } else {
            out.push(Token::Text(c));
            c.len_utf8()
        };
        rest = &rest[skip..];
    }
    out
}

/// The byte length of the string literal `text` starts with (to its end when unclosed).
fn string_end(text: &str) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return i + 1,
            _ => escaped = false,
        }
    }
    text.len()
}

/// The length of the comment or ellipsis `text` starts with, if it starts with one.
fn abbreviation_len(text: &str) -> Option<usize> {
    if text.starts_with("//") {
        return Some(text.find('\n').unwrap_or(text.len()));
    }
    if let Some(body) = text.strip_prefix("/*") {
        return Some(body.find("*/").map_or(text.len(), |end| end + 4));
    }
    let dots = text.len() - text.trim_start_matches('.').len();
    if dots >= 3 {
        return Some(dots);
    }
    text.starts_with('…').then_some('…'.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn abbreviated(text: &str) -> Option<Value> {
        read(text)
            .ok()
            .filter(|read| read.abbreviated)
            .map(|read| read.value)
    }

    #[test]
    fn abbreviations_are_left_out() {
        assert_eq!(
            abbreviated("{\"a\": 1,\n}"),
            Some(json!({"a": 1})),
            "a trailing comma"
        );
        assert_eq!(
            abbreviated("{\"value\": [{\"id\": \"x\"}, ...]}"),
            Some(json!({"value": [{"id": "x"}]}))
        );
        assert_eq!(
            abbreviated("{\"value\": [ … , {\"id\": \"x\"}]}"),
            Some(json!({"value": [{"id": "x"}]}))
        );
        assert_eq!(
            abbreviated("{\n  // the id\n  \"id\": \"a//b\", /* more */\n  \"n\": 2\n}"),
            Some(json!({"id": "a//b", "n": 2})),
            "comments, not the text of strings"
        );
        assert_eq!(
            abbreviated("{\"a\": \"...\", \"b\": [1, 2, ...]}"),
            Some(json!({"a": "...", "b": [1, 2]})),
            "an ellipsis inside a string is text"
        );
        assert_eq!(
            abbreviated("{\"a\":\u{a0}1,\u{a0}\"b\": \"\u{a0}\"}"),
            Some(json!({"a": 1, "b": "\u{a0}"})),
            "non-breaking spaces between tokens, kept inside strings"
        );
    }

    #[test]
    fn strict_json_is_not_an_abbreviation_and_faults_stay_errors() {
        assert_eq!(
            read("{\"a\": \"x\\\"...\"}").ok(),
            Some(DocJson {
                value: json!({"a": "x\"..."}),
                abbreviated: false
            })
        );
        // An unquoted key, a missing comma, a string broken over lines: the page's faults.
        for broken in [
            "{a: 1}",
            "{\"a\": 1 \"b\": 2}",
            "{\"a\": \"x\ny\"}",
            "{\"a\": ...}",
            "[{'a': 'x'}]",
            "",
            "\"",
        ] {
            assert!(read(broken).is_err(), "{broken}");
            assert_eq!(normalized(broken), broken);
        }
        assert_eq!(normalized("[1, 2, ]"), "[1,2]");
    }
}
