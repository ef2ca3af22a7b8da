//! Structured text (TOML, YAML) → typed values, with errors as [`Diagnostic`]s.
//!
//! Both `site.toml` and front matter go through here so that every parse error,
//! type error and unknown key reads the same way: `file:line:col`, what is wrong,
//! and a "did you mean" hint.

use serde::de::DeserializeOwned;

use crate::diagnostic::{did_you_mean, line_col, Diagnostic};

/// Where a block of structured text sits inside its file.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// File path for messages (relative to the site root).
    pub file: &'a str,
    /// Line of the file on which the block's first line sits (1-based).
    pub first_line: usize,
}

/// Parse TOML into `T`.
pub fn toml<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        // toml says only "duplicate key"; its span holds the key's name.
        let key = e.span().and_then(|s| text.get(s)).unwrap_or("");
        if e.message() == "duplicate key" && !key.is_empty() {
            return Diagnostic::error(origin.file, format!("the key `{key}` is set twice"))
                .at(line + origin.first_line - 1, col)
                .hint("keep one of them");
        }
        from_message(e.message(), origin, line, col)
    })
}

/// Parse YAML into `T`.
pub fn yaml<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T, Diagnostic> {
    serde_saphyr::from_str(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line() as usize, l.column() as usize))
            .unwrap_or((1, 1));
        let full = e.to_string();
        // saphyr appends its own location and snippet; keep the first line only.
        let message = full.lines().next().unwrap_or(&full).to_string();
        let message = strip_location_suffix(&message);
        from_message(&message, origin, line.max(1), col.max(1))
    })
}

fn strip_location_suffix(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Turn a serde message into a diagnostic, adding hints for the common cases.
fn from_message(message: &str, origin: Origin<'_>, line: usize, col: usize) -> Diagnostic {
    let line = line + origin.first_line - 1;
    let (message, hint) = explain(message.trim());
    let d = Diagnostic::error(origin.file, message).at(line, col);
    match hint {
        Some(h) => d.hint(h),
        None => d,
    }
}

/// Rewrite serde's wording into ours and find a hint.
fn explain(message: &str) -> (String, Option<String>) {
    let message = strip_prefixes(message);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let known = expected_list(tail);
        let hint = match did_you_mean(key, known.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None if known.is_empty() => "remove it".to_string(),
            None => format!("known keys here: {}", known.join(", ")),
        };
        return (format!("unknown key `{key}`"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let known = expected_list(tail);
        return (
            format!("`{value}` is not allowed here"),
            Some(format!("use one of: {}", known.join(", "))),
        );
    }
    // saphyr's limits (nodes, depth, aliases…) stop YAML bombs and deep nesting.
    if let Some(rest) = message.strip_prefix("budget breached: ") {
        let what = rest.split([' ', '{']).next().unwrap_or(rest).to_lowercase();
        return (
            format!("the YAML is too big or nested too deeply to read (over the limit of {what})"),
            Some("front matter holds a few short values; remove the repeated `&anchor`/`*alias` parts or the deep nesting".into()),
        );
    }
    // toml: "cannot recurse further; …"; saphyr: "recursion limit exceeded".
    if message.contains("recursion limit") || message.contains("cannot recurse") {
        return (
            "the value is nested too deeply to read".into(),
            Some("front matter holds short lists and tables; remove the deep nesting".into()),
        );
    }
    if message == "expected string scalar" {
        return (
            "this value must be text".into(),
            Some("write it as one string in quotes, e.g. \"Yes, after day 4.\"".into()),
        );
    }
    // saphyr: "duplicate mapping key: title, set DuplicateKeyPolicy in Options …".
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set ").next().unwrap_or(rest);
        return (
            format!("the key `{key}` is set twice"),
            Some("keep one of them".into()),
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return (format!("missing key `{key}`"), Some(format!("add `{key}`")));
    }
    if message.starts_with("invalid date")
        || message.starts_with("invalid time")
        || message.starts_with("invalid datetime")
    {
        return (
            message.to_string(),
            Some("write dates as YYYY-MM-DD (e.g. 2026-03-31), with a real month and day".into()),
        );
    }
    if message.starts_with("invalid type") {
        // Rust's names for numbers mean nothing to a writer.
        let message = ["i64", "u64", "u32", "usize", "f64"]
            .iter()
            .fold(message.to_string(), |m, t| {
                m.replace(&format!("expected {t}"), "expected a number")
            });
        return (
            message,
            Some("check the value's quotes and brackets".into()),
        );
    }
    (message.to_string(), None)
}

/// Drop `error: ` and `line N column M: ` that some parsers put first.
fn strip_prefixes(message: &str) -> &str {
    let mut m = message.strip_prefix("error: ").unwrap_or(message);
    if let Some(rest) = m.strip_prefix("line ") {
        if let Some((_, after)) = rest.split_once(": ") {
            m = after;
        }
    }
    m
}

/// `, expected one of `a`, `b`` or `, expected `a` or `b`` → `[a, b]`.
fn expected_list(tail: &str) -> Vec<String> {
    let Some((_, list)) = tail.split_once("expected ") else {
        return Vec::new();
    };
    let list = list.strip_prefix("one of ").unwrap_or(list);
    list.split(", ")
        .flat_map(|s| s.split(" or "))
        .map(|s| s.trim().trim_matches('`').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Line and column of `key` in a block of TOML or YAML whose first line is `first_line`.
/// `[table]` headers are found too. Falls back to the block's first line.
pub fn locate_key(text: &str, key: &str, first_line: usize) -> (usize, usize) {
    find_key(text, key, first_line).unwrap_or((first_line, 1))
}

/// Like [`locate_key`], but `None` when the key is not there.
pub fn find_key(text: &str, key: &str, first_line: usize) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if key.starts_with('[') {
            if trimmed.trim_end() == key {
                return Some((first_line + i, indent + 1));
            }
            continue;
        }
        let unquoted = trimmed.trim_start_matches(['"', '\'']);
        if let Some(rest) = unquoted.strip_prefix(key) {
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            if rest.starts_with('=') || rest.starts_with(':') {
                return Some((first_line + i, indent + 1));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        date: Option<String>,
    }

    const O: Origin<'static> = Origin {
        file: "content/a.md",
        first_line: 2,
    };

    #[test]
    fn toml_unknown_key_has_hint_and_line() {
        let e = toml::<T>("title = \"x\"\ntitel = \"y\"\n", O).unwrap_err();
        assert_eq!(
            e.to_string(),
            "content/a.md:3:1: error: unknown key `titel`\n  hint: did you mean `title`?"
        );
    }

    #[test]
    fn toml_duplicate_key_is_named() {
        let e = toml::<T>("title = \"x\"\ntitle = \"y\"\n", O).unwrap_err();
        assert_eq!(
            e.to_string(),
            "content/a.md:3:1: error: the key `title` is set twice\n  hint: keep one of them"
        );
    }

    #[test]
    fn yaml_unknown_key_has_hint_and_line() {
        let e = yaml::<T>("title: x\ndaet: y\n", O).unwrap_err();
        assert_eq!(e.message, "unknown key `daet`");
        assert_eq!(e.hint.as_deref(), Some("did you mean `date`?"));
        assert_eq!(e.line, 3);
    }

    #[test]
    fn yaml_duplicate_key_is_named() {
        let e = yaml::<T>("title: x\ntitle: y\n", O).unwrap_err();
        assert_eq!(e.message, "the key `title` is set twice");
        assert_eq!(e.hint.as_deref(), Some("keep one of them"));
    }
}
