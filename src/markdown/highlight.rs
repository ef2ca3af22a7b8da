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
        "<pre class=\"highlight\" tabindex=\"0\"><code class=\"language-{lang_class}\" data-lang=\"{lang_class}\">{}</code></pre>\n",
        gen.finalize()
    ))
}

/// A block kept plain (no language, one the grammars do not know, or
/// highlighting off): escaped, in the same `<pre>` as [`block`]'s. `tabindex`
/// lets a keyboard scroll a long line into view (WCAG 2.1.1).
pub fn plain(lang: &str, code: &str) -> String {
    let mut out = String::with_capacity(code.len() + 64);
    out.push_str("<pre tabindex=\"0\"><code");
    if !lang.is_empty() {
        let lang_class = crate::markdown::escape_attr(lang);
        out.push_str(&format!(" class=\"language-{lang_class}\""));
    }
    out.push('>');
    // Escaped as pulldown-cmark escapes a code block's text.
    let text = pulldown_cmark::Event::Text(pulldown_cmark::CowStr::Borrowed(code));
    pulldown_cmark::html::push_html(&mut out, std::iter::once(text));
    out.push_str("</code></pre>\n");
    out
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
    // Each scheme in a media query of its own: a light rule more specific
    // than any dark one (`.hl-source.hl-python .hl-storage`) must not colour
    // dark code.
    Ok(format!(
        "/* Code colours, written by highlight::css(\"{light}\", \"{dark}\"), each raised to {MIN_CONTRAST}:1 against the code background. */\n@media not all and (prefers-color-scheme:dark){{\n{}}}\n@media (prefers-color-scheme:dark){{\n{}}}\n",
        readable(&one(light)?, LIGHT_CODE_BG),
        readable(&one(dark)?, DARK_CODE_BG)
    ))
}

/// The clinic theme's code background (`--card` in `style.css`), light and dark.
pub const LIGHT_CODE_BG: [u8; 3] = [0xf3, 0xf6, 0xf7];
pub const DARK_CODE_BG: [u8; 3] = [0x16, 0x21, 0x27];
/// WCAG AA for normal text is 4.5:1; a little more, for rounding in browsers.
const MIN_CONTRAST: f64 = 4.6;

/// `css` with each `color: #rrggbb` moved toward black (on a light
/// background) or white (on a dark one) until it reaches [`MIN_CONTRAST`]
/// against `bg`; background colours are left out (the theme's `pre` has its
/// own), so every token is readable where it is shown.
fn readable(css: &str, bg: [u8; 3]) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines() {
        let t = line.trim();
        if t.starts_with("background-color:") {
            continue;
        }
        match t
            .strip_prefix("color: #")
            .and_then(|r| r.strip_suffix(';'))
            .and_then(parse_hex)
        {
            Some(fg) => {
                let [r, g, b] = with_contrast(fg, bg);
                out.push_str(&format!(" color: #{r:02x}{g:02x}{b:02x};\n"));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn parse_hex(hex: &str) -> Option<[u8; 3]> {
    if hex.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// WCAG 2 relative luminance.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg` blended toward black or white (whichever is away from `bg`) by the
/// least step of 1/64 that reaches [`MIN_CONTRAST`].
fn with_contrast(fg: [u8; 3], bg: [u8; 3]) -> [u8; 3] {
    let target = if luminance(bg) > 0.5 { 0.0 } else { 255.0 };
    let mut c = fg;
    for step in 0..=64 {
        let k = f64::from(step) / 64.0;
        c = fg.map(|v| (f64::from(v) + (target - f64::from(v)) * k).round() as u8);
        if contrast(c, bg) >= MIN_CONTRAST {
            break;
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes_and_unknown_ones_none() {
        let html = block("rust", "fn main() { let s = \"<b>\"; }\n").unwrap();
        assert!(
            html.starts_with(
                "<pre class=\"highlight\" tabindex=\"0\"><code class=\"language-rust\" data-lang=\"rust\">"
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
        // Every colour of either scheme is readable on its code background.
        let (light, dark) = want
            .split_once("@media (prefers-color-scheme:dark)")
            .unwrap();
        for (part, bg) in [(light, LIGHT_CODE_BG), (dark, DARK_CODE_BG)] {
            for hex in part
                .lines()
                .filter_map(|l| l.trim().strip_prefix("color: #"))
            {
                let fg = parse_hex(hex.trim_end_matches(';')).unwrap();
                assert!(contrast(fg, bg) >= 4.5, "#{hex} on {bg:?}");
            }
            assert!(!part.contains("background-color"), "{part}");
        }
        let style = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/clinic/static/style.css"
        ))
        .unwrap();
        assert!(
            style.contains("--card:#f3f6f7") && style.contains("--card:#162127"),
            "the code backgrounds of style.css changed: update LIGHT_CODE_BG and DARK_CODE_BG"
        );
        assert!(css("Nope", "base16-ocean.dark")
            .unwrap_err()
            .contains("InspiredGitHub"));
    }
}
