//! Build-time highlighting of fenced code blocks, with syntect's bundled
//! grammars: the HTML carries CSS classes (`hl-keyword`, `hl-string`, …), never
//! inline styles (the site's Content-Security-Policy has `style-src 'self'`),
//! and no script runs in the reader's browser. The colours are the theme's
//! `highlight.css`, light and dark ([`css`] writes it).
//!
//! Takes a fence's info string and its code; gives the `<pre>` HTML, or `None`
//! for a language the grammars do not know (the block is then plain code, as
//! Hugo does: no error, no warning) or for code too big or too hard for the
//! grammar's regular expressions (also plain). Zola's fence options after the
//! language (`rust,linenos,hl_lines=1 3`) are read off and never reach a class.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Classes are `hl-` + the scope's atoms (`hl-keyword hl-control`).
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
/// Bigger blocks stay plain: highlighting is linear but slow on megabytes.
const MAX_CODE: usize = 256 * 1024;
/// A longer line stays plain (minified code; the grammars backtrack on it).
const MAX_LINE: usize = 5_000;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The language of a fence's info string: `rust` of `rust,linenos` or
/// `rust {hl_lines=[2]}`; empty when none is named.
pub fn fence_language(info: &str) -> &str {
    info.split([',', ' ', '{']).next().unwrap_or("").trim()
}

/// Is `lang` a language the grammars know (by name, alias or extension)?
pub fn knows(lang: &str) -> bool {
    !lang.is_empty() && syntaxes().find_syntax_by_token(lang).is_some()
}

/// The highlighted block for `lang`, or `None` to keep it plain.
pub fn block(lang: &str, code: &str) -> Option<String> {
    if lang.is_empty() || code.len() > MAX_CODE || code.lines().any(|l| l.len() > MAX_LINE) {
        return None;
    }
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang)?;
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        gen.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    let lang_class = crate::markdown::escape_attr(lang);
    Some(format!(
        "<pre class=\"highlight\"><code class=\"language-{lang_class}\" data-lang=\"{lang_class}\">{}</code></pre>\n",
        gen.finalize()
    ))
}

/// The stylesheet for the classes: `light` by default, `dark` under
/// `prefers-color-scheme: dark`, from syntect's bundled themes
/// (`InspiredGitHub`, `base16-ocean.dark`, `Solarized (light)`, …).
pub fn css(light: &str, dark: &str) -> Result<String, String> {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let get = |name: &str| {
        themes.themes.get(name).ok_or_else(|| {
            let mut names: Vec<&str> = themes.themes.keys().map(String::as_str).collect();
            names.sort();
            format!(
                "there is no highlighting theme `{name}`; the themes are: {}",
                names.join(", ")
            )
        })
    };
    let one = |name: &str| {
        syntect::html::css_for_theme_with_class_style(get(name)?, CLASS_STYLE)
            .map_err(|e| e.to_string())
    };
    Ok(format!(
        "/* Code colours, written by highlight::css(\"{light}\", \"{dark}\"). */\n{}\n@media (prefers-color-scheme:dark){{\n{}}}\n",
        one(light)?,
        one(dark)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes_and_unknown_ones_none() {
        let html = block("rust", "fn main() { let s = \"<b>\"; }\n").unwrap();
        assert!(
            html.starts_with(
                "<pre class=\"highlight\"><code class=\"language-rust\" data-lang=\"rust\">"
            ),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-storage hl-type hl-function hl-rust\">fn</span>"),
            "{html}"
        );
        // Text stays escaped; no inline style anywhere.
        assert!(
            html.contains("&lt;b&gt;") && !html.contains("style="),
            "{html}"
        );
        assert_eq!(block("no-such-language", "x\n"), None);
        assert_eq!(block("", "x\n"), None);
        assert!(knows("py") && knows("yaml") && knows("sh") && !knows("klingon"));
    }

    #[test]
    fn fence_options_are_not_part_of_the_language() {
        assert_eq!(fence_language("rust,linenos,hl_lines=1 3"), "rust");
        assert_eq!(fence_language("toml {hl_lines=[2]}"), "toml");
        assert_eq!(fence_language(""), "");
    }

    #[test]
    fn huge_or_minified_code_stays_plain() {
        assert_eq!(block("js", &"a".repeat(MAX_LINE + 1)), None);
        assert_eq!(block("js", &"a;\n".repeat(MAX_CODE)), None);
    }

    #[test]
    fn the_theme_stylesheet_is_the_one_css_writes() {
        let want = css("InspiredGitHub", "base16-ocean.dark").unwrap();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/clinic/static/highlight.css"
        );
        if std::env::var_os("FOLLICLE_BLESS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "themes/clinic/static/highlight.css is stale: run this test with FOLLICLE_BLESS=1"
        );
        assert!(css("Nope", "base16-ocean.dark")
            .unwrap_err()
            .contains("InspiredGitHub"));
    }
}
