//! The mistakes writers make in front matter, told in plain words with the
//! exact fix. The parsers say where they stopped and why in their own terms
//! ("string values must be quoted"); this looks at the line they stopped on
//! and, when it recognises the mistake, says what the writer did and what to
//! type instead (`title = "Pain and comfort"`: straight quotes).

/// Which language the block is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Yaml,
}

/// A recognised mistake: the message and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub message: String,
    pub hint: String,
}

fn explained(message: impl Into<String>, hint: impl Into<String>) -> Option<Explained> {
    Some(Explained {
        message: message.into(),
        hint: hint.into(),
    })
}

/// Explain the parser's `message` at 1-based `line`/`col` of `text` (the block
/// the parser read, whose first line is line `first_line` of its file), when
/// the line shows a mistake we know.
pub fn explain(
    syntax: Syntax,
    text: &str,
    (line, col): (usize, usize),
    first_line: usize,
    message: &str,
) -> Option<Explained> {
    let lines: Vec<&str> = text.lines().collect();
    let here = *lines.get(line.checked_sub(1)?)?;
    curly_key(here)
        .or_else(|| curly_quotes(syntax, here))
        .or_else(|| slash_date(syntax, here))
        .or_else(|| month_over_12(syntax, here))
        .or_else(|| match syntax {
            Syntax::Toml => toml_mistake(here, message),
            Syntax::Yaml => yaml_mistake(&lines, (line, col), first_line, message),
        })
}

const CURLY_DOUBLE: [char; 4] = ['“', '”', '„', '‟'];
const CURLY_SINGLE: [char; 3] = ['‘', '’', '‛'];

/// `key = value` or `key: value` → (`key`, `value`), trimmed.
fn key_value(line: &str, syntax: Syntax) -> Option<(&str, &str)> {
    let sep = match syntax {
        Syntax::Toml => '=',
        Syntax::Yaml => ':',
    };
    let (k, v) = line.split_once(sep)?;
    Some((k.trim(), v.trim()))
}

/// A curly apostrophe in a key: `patient’s_note = …`.
fn curly_key(line: &str) -> Option<Explained> {
    let key = line.split(['=', ':']).next()?.trim();
    let bad = key
        .chars()
        .find(|c| CURLY_SINGLE.contains(c) || CURLY_DOUBLE.contains(c))?;
    let fixed: String = key
        .chars()
        .filter(|c| !CURLY_SINGLE.contains(c) && !CURLY_DOUBLE.contains(c))
        .collect();
    explained(
        format!("the key `{key}` holds a curly quote mark ({bad}), which keys may not contain"),
        format!("keys are plain letters, digits, `_` and `-`: write `{fixed}`"),
    )
}

/// `title = “Pain and comfort”`: curly quotes are not quotes to TOML.
fn curly_quotes(syntax: Syntax, line: &str) -> Option<Explained> {
    if syntax != Syntax::Toml {
        return None;
    }
    let (key, value) = key_value(line, syntax)?;
    let first = value.chars().next()?;
    let last = value.chars().last()?;
    let fixed = if CURLY_DOUBLE.contains(&first) {
        let inner: String = value.chars().skip(1).collect();
        let inner = inner
            .strip_suffix(|c| CURLY_DOUBLE.contains(&c))
            .unwrap_or(&inner);
        format!("\"{inner}\"")
    } else if CURLY_SINGLE.contains(&first)
        && CURLY_SINGLE.contains(&last)
        && value.chars().count() > 1
    {
        let inner: String = value
            .chars()
            .skip(1)
            .take(value.chars().count() - 2)
            .collect();
        format!("\"{inner}\"")
    } else {
        return None;
    };
    explained(
        format!("the value of `{key}` is in curly quotes ({first} {last}), which are not quote marks to TOML"),
        format!("use straight quotes: {key} = {fixed}"),
    )
}

/// `date = 03/02/2026`: dates are year-month-day.
fn slash_date(syntax: Syntax, line: &str) -> Option<Explained> {
    let (key, value) = key_value(line, syntax)?;
    let value = value.trim_matches(['"', '\'']);
    let (fix, other) = slash_date_fix(value)?;
    let sep = if syntax == Syntax::Toml { " =" } else { ":" };
    let other = other
        .map(|o| format!(" (or {o} if the first number is the day)"))
        .unwrap_or_default();
    explained(
        format!("`{value}` is not a date Follicle can read: dates are written year-month-day"),
        format!("write dates as {fix}: {key}{sep} {fix}{other}"),
    )
}

/// `03/02/2026` → (`2026-03-02`, `2026-02-03`): month first, and the other
/// reading when both fit; `25/12/2026` → `2026-12-25`. `None` when the value
/// is not such a date.
pub fn slash_date_fix(value: &str) -> Option<(String, Option<String>)> {
    let parts: Vec<&str> = value.split(['/', '.']).collect();
    let [a, b, year] = parts.as_slice() else {
        return None;
    };
    let num = |s: &str| {
        (1..=2)
            .contains(&s.len())
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (a, b) = (num(a)?, num(b)?);
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) || a == 0 || b == 0 {
        return None;
    }
    let ymd = |m: u32, d: u32| format!("{year}-{m:02}-{d:02}");
    match (a > 12, b > 12) {
        (true, false) => Some((ymd(b, a), None)),
        (false, true) => Some((ymd(a, b), None)),
        (false, false) if a == b => Some((ymd(a, b), None)),
        (false, false) => Some((ymd(a, b), Some(ymd(b, a)))),
        (true, true) => None,
    }
}

/// `2026-13-02`: there is no month 13.
fn month_over_12(syntax: Syntax, line: &str) -> Option<Explained> {
    let (key, value) = key_value(line, syntax)?;
    let value = value.trim_matches(['"', '\'']);
    let (year, rest) = value.split_once('-')?;
    let (month, rest) = rest.split_once('-')?;
    let day: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let m: u32 = month.parse().ok()?;
    if year.len() != 4 || m <= 12 || day.is_empty() {
        return None;
    }
    let sep = if syntax == Syntax::Toml { " =" } else { ":" };
    let swapped = day
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=12).contains(d))
        .map(|d| format!(": if {m} is the day, write {key}{sep} {year}-{d:02}-{m:02}"))
        .unwrap_or_else(|| ", e.g. 2026-03-31".into());
    explained(
        format!("`{value}` has month {m}, and months go from 01 to 12"),
        format!("dates are year-month-day (YYYY-MM-DD){swapped}"),
    )
}

fn spaces(n: usize) -> String {
    if n == 1 {
        "1 space".into()
    } else {
        format!("{n} spaces")
    }
}

fn toml_mistake(line: &str, message: &str) -> Option<Explained> {
    let (key, value) = key_value(line, Syntax::Toml)?;
    if message.starts_with("invalid basic string") || message.starts_with("invalid literal string")
    {
        let q = if value.starts_with('\'') { '\'' } else { '"' };
        return explained(
            format!("the text of `{key}` opens a quote ({q}) that is never closed on its line"),
            format!("end it with a closing quote: {key} = {value}{q}"),
        );
    }
    if message.starts_with("string values must be quoted") && !value.is_empty() {
        return explained(
            format!("the value of `{key}` is text without quotes"),
            format!(
                "put it in straight quotes: {key} = \"{}\"",
                value.replace('"', "\\\"")
            ),
        );
    }
    None
}

fn yaml_mistake(
    lines: &[&str],
    (line, col): (usize, usize),
    first_line: usize,
    message: &str,
) -> Option<Explained> {
    let here = lines[line - 1];
    // Line numbers of the file, for messages.
    let file_line = |n: usize| n + first_line - 1;
    if message.starts_with("tabs disallowed")
        || here.starts_with('\t')
        || here.trim_start_matches(' ').starts_with('\t')
    {
        return explained(
            format!(
                "line {} is indented with a tab; YAML allows only spaces",
                file_line(line)
            ),
            "replace the tab with spaces (two for each level)",
        );
    }
    // A tab inside a plain value, or starting the line that continues it:
    // the parser names the value's first line, the tab may be further down.
    if message.contains("found a tab") {
        let (n, tabbed) = lines
            .iter()
            .enumerate()
            .skip(line - 1)
            .find(|(_, l)| l.contains('\t'))?;
        let (key, _) = key_value(lines[line - 1], Syntax::Yaml)?;
        return explained(
            format!(
                "line {} has a tab in the value of `{key}`; YAML allows tabs only inside quotes",
                file_line(n + 1)
            ),
            if tabbed.trim_start_matches(' ').starts_with('\t') {
                "put the value on one line, or replace the tab with spaces"
            } else {
                "replace the tab with a space"
            },
        );
    }
    if message.starts_with("unclosed quote") {
        let (key, value) = key_value(here, Syntax::Yaml)?;
        let q = value
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .unwrap_or('"');
        return explained(
            format!("the value of `{key}` opens a quote ({q}) that is never closed"),
            format!("end it with a closing quote: {key}: {value}{q}"),
        );
    }
    if message.starts_with("mapping values are not allowed") {
        let (key, value) = here.split_once(": ")?;
        let before = here.chars().take(col.saturating_sub(1)).collect::<String>();
        if before.contains(": ") && !value.trim().starts_with(['"', '\'']) {
            let key = key.trim();
            return explained(
                format!(
                    "the value of `{key}` holds `: `, which YAML reads as the start of another key"
                ),
                format!(
                    "put the value in quotes: {key}: \"{}\"",
                    value.trim().replace('"', "\\\"")
                ),
            );
        }
    }
    if message.contains("did not find expected")
        || message.starts_with("mapping values are not allowed")
    {
        return yaml_indentation(lines, line, first_line);
    }
    None
}

/// Line `line` is indented differently from the line above it that it meant
/// to line up with (a list item, or a key of the same list item).
fn yaml_indentation(lines: &[&str], line: usize, first_line: usize) -> Option<Explained> {
    let here = lines[line - 1];
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let file_line = |n: usize| n + first_line - 1;
    // The nearest line above, not blank, whose indentation the writer meant to match.
    let above = lines[..line - 1]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, l)| !l.trim().is_empty());
    let (above_no, above) = above?;
    let list_item = here.trim_start().starts_with("- ");
    let want = if !list_item && above.trim_start().starts_with("- ") {
        indent(above) + 2
    } else {
        indent(above)
    };
    if indent(here) == want {
        return None;
    }
    let what = if list_item { "list item" } else { "key" };
    explained(
        format!(
            "line {} is indented by {}, which does not match line {}",
            file_line(line),
            spaces(indent(here)),
            file_line(above_no + 1)
        ),
        format!(
            "YAML reads structure from spaces: indent this {what} by {}, like the line above it",
            spaces(want)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(
        syntax: Syntax,
        text: &str,
        line: usize,
        col: usize,
        message: &str,
    ) -> (String, String) {
        let e = explain(syntax, text, (line, col), 1, message).expect("explained");
        (e.message, e.hint)
    }

    #[test]
    fn slash_dates_become_year_month_day() {
        let fix = |v| slash_date_fix(v);
        assert_eq!(
            fix("03/02/2026"),
            Some(("2026-03-02".into(), Some("2026-02-03".into())))
        );
        assert_eq!(fix("25/12/2026"), Some(("2026-12-25".into(), None)));
        assert_eq!(fix("12/25/2026"), Some(("2026-12-25".into(), None)));
        assert_eq!(fix("2026/03/02"), None);
        assert_eq!(fix("a/b/c"), None);
        let (m, h) = hint(
            Syntax::Toml,
            "date = 03/02/2026",
            1,
            8,
            "string values must be quoted",
        );
        assert_eq!(
            m,
            "`03/02/2026` is not a date Follicle can read: dates are written year-month-day"
        );
        assert_eq!(h, "write dates as 2026-03-02: date = 2026-03-02 (or 2026-02-03 if the first number is the day)");
    }

    #[test]
    fn month_over_twelve() {
        let (m, h) = hint(Syntax::Yaml, "date: 2026-13-02", 1, 7, "x");
        assert_eq!(m, "`2026-13-02` has month 13, and months go from 01 to 12");
        assert_eq!(
            h,
            "dates are year-month-day (YYYY-MM-DD): if 13 is the day, write date: 2026-02-13"
        );
    }

    #[test]
    fn curly_quotes_and_apostrophes() {
        let (m, h) = hint(
            Syntax::Toml,
            "title = “Pain and comfort”",
            1,
            9,
            "string values must be quoted",
        );
        assert_eq!(
            m,
            "the value of `title` is in curly quotes (“ ”), which are not quote marks to TOML"
        );
        assert_eq!(h, "use straight quotes: title = \"Pain and comfort\"");
        let (m, h) = hint(
            Syntax::Toml,
            "patient’s_note = \"x\"",
            1,
            8,
            "invalid unquoted key",
        );
        assert_eq!(
            m,
            "the key `patient’s_note` holds a curly quote mark (’), which keys may not contain"
        );
        assert_eq!(
            h,
            "keys are plain letters, digits, `_` and `-`: write `patients_note`"
        );
    }

    #[test]
    fn yaml_colon_in_value_and_indentation() {
        let (m, h) = hint(
            Syntax::Yaml,
            "title: Aftercare: day by day",
            1,
            17,
            "mapping values are not allowed in this context",
        );
        assert_eq!(
            m,
            "the value of `title` holds `: `, which YAML reads as the start of another key"
        );
        assert_eq!(
            h,
            "put the value in quotes: title: \"Aftercare: day by day\""
        );
        let text = "title: A\ntags:\n  - a\n - b\n";
        let (m, _) = hint(
            Syntax::Yaml,
            text,
            4,
            2,
            "while parsing a block mapping, did not find expected key",
        );
        assert_eq!(
            m,
            "line 4 is indented by 1 space, which does not match line 3"
        );
        let text = "title: A\n  description: x\n";
        let (m, _) = hint(
            Syntax::Yaml,
            text,
            2,
            14,
            "mapping values are not allowed in this context",
        );
        assert_eq!(
            m,
            "line 2 is indented by 2 spaces, which does not match line 1"
        );
    }
}
