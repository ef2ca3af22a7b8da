//! Structured text (TOML, YAML) → typed values, with errors as [`Diagnostic`]s.
//!
//! Both `site.toml` and front matter go through here so that every parse error,
//! type error and unknown key reads the same way: `file:line:col`, what is wrong,
//! and a "did you mean" hint.

use std::collections::BTreeMap;

mod mistakes;

use serde::de::DeserializeOwned;

use crate::diagnostic::{did_you_mean, line_col, Code, Diagnostic};
pub use mistakes::Syntax;

/// Where a block of structured text sits inside its file.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// File path for messages (relative to the site root).
    pub file: &'a str,
    /// Line of the file on which the block's first line sits (1-based).
    pub first_line: usize,
}

/// Where each key and list item of a block sits, as the parser saw it (1-based
/// line and column of the file). Paths join keys and list indexes with dots:
/// `title`, `sources.0.title`, `aliases.1` (the item itself), `taxonomies.tags`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyMap(BTreeMap<String, (usize, usize)>);

impl KeyMap {
    /// Line and column of the key (or list item) at `path`.
    pub fn get(&self, path: &str) -> Option<(usize, usize)> {
        self.0.get(path).copied()
    }

    fn insert(&mut self, path: String, place: (usize, usize)) {
        // A key set twice is refused by the parsers; keep the first place anyway.
        self.0.entry(path).or_insert(place);
    }
}

/// A parsed block: its top-level entries as plain values, in the file's order,
/// and the place of every key.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub entries: Vec<(String, serde_json::Value)>,
    pub keys: KeyMap,
}

/// Where `key` (`base_url`, `languages.es`, or a header `[languages.es]`) sits in
/// a TOML text whose first line is line `first_line` of its file, as the parser
/// reads it; `None` when it is absent or the text does not parse. A header is
/// pointed at from the start of its line (its `[`).
pub fn find_key(text: &str, key: &str, first_line: usize) -> Option<(usize, usize)> {
    let header = key.starts_with('[');
    let key = key.trim_start_matches('[').trim_end_matches(']');
    let origin = Origin {
        file: "",
        first_line,
    };
    let (_, tree) = toml_with_tree::<serde::de::IgnoredAny>(text, origin).ok()?;
    let (line, col) = tree.keys.get(key)?;
    if !header {
        return Some((line, col));
    }
    let written = text.lines().nth(line.checked_sub(first_line)?)?;
    Some((line, written.len() - written.trim_start().len() + 1))
}

/// Like [`find_key`], falling back to the block's first line.
pub fn locate_key(text: &str, key: &str, first_line: usize) -> (usize, usize) {
    find_key(text, key, first_line).unwrap_or((first_line, 1))
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Parse TOML into its tree (for key places and the site's own keys) and `T`.
pub fn toml_with_tree<T: DeserializeOwned>(
    text: &str,
    origin: Origin<'_>,
) -> Result<(Result<T, Diagnostic>, Tree), Diagnostic> {
    let table = toml::de::DeTable::parse(text).map_err(|e| toml_error(&e, text, origin))?;
    let at = |offset: usize| {
        let (l, c) = line_col(text, offset);
        (l + origin.first_line - 1, c)
    };
    let mut tree = Tree::default();
    for (key, value) in table.get_ref().iter() {
        let k = key.get_ref().to_string();
        tree.keys.insert(k.clone(), at(key.span().start));
        let json = toml_walk(value, &k, &at, &mut tree.keys);
        tree.entries.push((k, json));
    }
    let value = T::deserialize(toml::de::Deserializer::from(table))
        .map_err(|e| toml_error(&e, text, origin));
    Ok((value, tree))
}

fn toml_walk(
    value: &toml::Spanned<toml::de::DeValue<'_>>,
    path: &str,
    at: &dyn Fn(usize) -> (usize, usize),
    keys: &mut KeyMap,
) -> serde_json::Value {
    use serde_json::Value as J;
    use toml::de::DeValue;
    match value.get_ref() {
        DeValue::String(s) => J::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .map(J::from)
            .unwrap_or(J::Null),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(J::Number)
            .unwrap_or(J::Null),
        DeValue::Boolean(b) => J::Bool(*b),
        DeValue::Datetime(d) => J::String(d.to_string()),
        DeValue::Array(items) => J::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let p = join(path, &i.to_string());
                    keys.insert(p.clone(), at(item.span().start));
                    toml_walk(item, &p, at, keys)
                })
                .collect(),
        ),
        DeValue::Table(t) => J::Object(
            t.iter()
                .map(|(k, v)| {
                    let p = join(path, k.get_ref());
                    keys.insert(p.clone(), at(k.span().start));
                    (k.get_ref().to_string(), toml_walk(v, &p, at, keys))
                })
                .collect(),
        ),
    }
}

/// Parse YAML into its tree (for key places and the site's own keys) and `T`.
pub fn yaml_with_tree<T: DeserializeOwned>(
    text: &str,
    origin: Origin<'_>,
) -> Result<(Result<T, Diagnostic>, Tree), Diagnostic> {
    let node: YamlNode = serde_saphyr::from_str(text).map_err(|e| yaml_error(&e, text, origin))?;
    let mut tree = Tree::default();
    for (path, (l, c)) in node.places {
        tree.keys.insert(path, (l + origin.first_line - 1, c));
    }
    if let serde_json::Value::Object(map) = node.value {
        tree.entries = node
            .order
            .into_iter()
            .filter_map(|k| map.get(&k).map(|v| (k, v.clone())))
            .collect();
    }
    Ok((yaml(text, origin), tree))
}

/// A YAML node read with the place of every key below it (paths relative to it).
struct YamlNode {
    value: serde_json::Value,
    places: Vec<(String, (usize, usize))>,
    /// A mapping's keys in the file's order.
    order: Vec<String>,
}

/// A mapping key as text: YAML allows numbers and booleans as keys too.
struct KeyText(String);

impl<'de> serde::Deserialize<'de> for KeyText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(KeyText(match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        }))
    }
}

fn saphyr_place(l: &serde_saphyr::Location) -> (usize, usize) {
    ((l.line() as usize).max(1), (l.column() as usize).max(1))
}

impl<'de> serde::Deserialize<'de> for YamlNode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = YamlNode;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<YamlNode, A::Error> {
                let mut node = YamlNode::leaf(serde_json::Value::Object(Default::default()));
                let mut object = serde_json::Map::new();
                while let Some(key) = map.next_key::<serde_saphyr::Spanned<KeyText>>()? {
                    let k = key.value.0;
                    let child: YamlNode = map.next_value()?;
                    node.adopt(&k, saphyr_place(&key.referenced), child.places);
                    node.order.push(k.clone());
                    object.insert(k, child.value);
                }
                node.value = serde_json::Value::Object(object);
                Ok(node)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<YamlNode, A::Error> {
                let mut node = YamlNode::leaf(serde_json::Value::Null);
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<serde_saphyr::Spanned<YamlNode>>()? {
                    let i = items.len().to_string();
                    node.adopt(&i, saphyr_place(&item.referenced), item.value.places);
                    items.push(item.value.value);
                }
                node.value = serde_json::Value::Array(items);
                Ok(node)
            }
            fn visit_bool<E>(self, b: bool) -> Result<YamlNode, E> {
                Ok(YamlNode::leaf(b.into()))
            }
            fn visit_i64<E>(self, n: i64) -> Result<YamlNode, E> {
                Ok(YamlNode::leaf(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<YamlNode, E> {
                Ok(YamlNode::leaf(n.into()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<YamlNode, E> {
                Ok(YamlNode::leaf(
                    serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, Into::into),
                ))
            }
            fn visit_str<E>(self, s: &str) -> Result<YamlNode, E> {
                Ok(YamlNode::leaf(s.into()))
            }
            fn visit_unit<E>(self) -> Result<YamlNode, E> {
                Ok(YamlNode::leaf(serde_json::Value::Null))
            }
            fn visit_none<E>(self) -> Result<YamlNode, E> {
                Ok(YamlNode::leaf(serde_json::Value::Null))
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<YamlNode, D::Error> {
                <YamlNode as serde::Deserialize>::deserialize(d)
            }
        }
        d.deserialize_any(V)
    }
}

impl YamlNode {
    fn leaf(value: serde_json::Value) -> YamlNode {
        YamlNode {
            value,
            places: Vec::new(),
            order: Vec::new(),
        }
    }

    /// Record a child at `key` and the places below it.
    fn adopt(&mut self, key: &str, place: (usize, usize), below: Vec<(String, (usize, usize))>) {
        self.places.push((key.to_string(), place));
        self.places
            .extend(below.into_iter().map(|(p, at)| (join(key, &p), at)));
    }
}

/// Parse TOML into `T`.
pub fn toml<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| toml_error(&e, text, origin))
}

fn toml_error(e: &toml::de::Error, text: &str, origin: Origin<'_>) -> Diagnostic {
    let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
    // toml says only "duplicate key"; its span holds the key's name.
    let key = e.span().and_then(|s| text.get(s)).unwrap_or("");
    if e.message() == "duplicate key" && !key.is_empty() {
        return Diagnostic::error(origin.file, format!("the key `{key}` is set twice"))
            .code(Code::DuplicateKey)
            .at(line + origin.first_line - 1, col)
            .hint("keep one of them");
    }
    if let Some(e) = mistakes::explain(
        Syntax::Toml,
        text,
        (line, col),
        origin.first_line,
        e.message(),
    ) {
        return explained(e, origin, line, col);
    }
    from_message(e.message(), origin, line, col)
}

/// Parse YAML into `T`.
pub fn yaml<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T, Diagnostic> {
    serde_saphyr::from_str(text).map_err(|e| yaml_error(&e, text, origin))
}

fn yaml_error(e: &serde_saphyr::Error, text: &str, origin: Origin<'_>) -> Diagnostic {
    let (line, col) = e
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((1, 1));
    let full = e.to_string();
    // saphyr appends its own location and snippet; keep the first line only.
    let message = full.lines().next().unwrap_or(&full).to_string();
    let message = strip_location_suffix(&message);
    let (line, col) = (line.max(1), col.max(1));
    let said = strip_prefixes(&message);
    if let Some(e) = mistakes::explain(Syntax::Yaml, text, (line, col), origin.first_line, said) {
        return explained(e, origin, line, col);
    }
    from_message(&message, origin, line, col)
}

fn explained(e: mistakes::Explained, origin: Origin<'_>, line: usize, col: usize) -> Diagnostic {
    Diagnostic::error(origin.file, e.message)
        .code(Code::Syntax)
        .at(line + origin.first_line - 1, col)
        .hint(e.hint)
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
    // The parser's own wording says what kind of mistake it is.
    let code = if message.contains("unknown field `") {
        Code::UnknownKey
    } else if message.contains("duplicate") {
        Code::DuplicateKey
    } else {
        Code::Syntax
    };
    let (message, hint) = explain(message.trim());
    let d = Diagnostic::error(origin.file, message)
        .code(code)
        .at(line, col);
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
    fn locates_keys_and_headers_by_the_parser() {
        let t = "title = \"x\"\n[taxonomies]\ntags = []\n# tags = 1\n";
        assert_eq!(locate_key(t, "taxonomies.tags", 2), (4, 1));
        assert_eq!(locate_key(t, "[taxonomies]", 2), (3, 1));
        assert_eq!(locate_key(t, "taxonomies", 2), (3, 2));
        assert_eq!(find_key(t, "nothing", 2), None);
    }

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
