//! Build-time highlighting of fenced code blocks, with syntect and the bat
//! project's grammars (two-face: syntect's own plus TOML, TypeScript, …): the HTML carries CSS classes (`hl-keyword`, `hl-string`, …), never
//! inline styles (the site's Content-Security-Policy has `style-src 'self'`),
//! and no script runs in the reader's browser. The colours are the theme's
//! `highlight.css`, light and dark ([`css`] writes it).
//!
//! Takes a fence's info string and its code; gives the `<pre>` HTML, or `None`
//! for a language the grammars do not know (the block is then plain code, as
//! Hugo does: no error, no warning) or for code too big or too hard for the
//! grammar's regular expressions (also plain). A fence's options after the
//! language, Zola's (`rust,linenos,hl_lines=1 3-5,linenostart=10,hide_lines=2`)
//! and Hugo's (`go {linenos=table hl_lines=[2,"4-5"] linenostart=199}`), are
//! read into [`Options`] and drawn: each line its own `<span class="line">`
//! (`<mark class="line">` when marked), numbered by a `data-line` the theme
//! shows with `::before` (so copying the code never copies the numbers).

use std::ops::RangeInclusive;
use std::sync::OnceLock;

use syntect::html::{line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Classes are `hl-` + the scope's atoms (`hl-keyword hl-control`).
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
/// Bigger blocks stay plain: highlighting is linear but slow on megabytes.
const MAX_CODE: usize = 256 * 1024;
/// A longer line stays plain (minified code; the grammars backtrack on it).
const MAX_LINE: usize = 5_000;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// The language of a fence's info string: `rust` of `rust,linenos` or
/// `rust {hl_lines=[2]}`; empty when none is named.
pub fn fence_language(info: &str) -> &str {
    info.split([',', ' ', '{']).next().unwrap_or("").trim()
}

/// A fence's drawing options (all off by default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Number the lines (`linenos`, `linenos=true|table|inline`).
    pub linenos: bool,
    /// The first line's number (`linenostart=N`; 1 when not given).
    pub start: usize,
    /// Lines to mark (`hl_lines`), numbered from 1 in the block.
    pub marked: Vec<RangeInclusive<usize>>,
    /// Lines to leave out (Zola's `hide_lines`), numbered as `marked`.
    pub hidden: Vec<RangeInclusive<usize>>,
    /// The code's file name (Zola's `name=main.rs`), shown above it.
    pub name: Option<String>,
}

impl Options {
    fn draws_lines(&self) -> bool {
        self.linenos || !self.marked.is_empty() || !self.hidden.is_empty()
    }
}

/// The options of a fence's info string after its language, in Zola's form
/// (comma-separated, `hl_lines=1 3-5`) or Hugo's (`{linenos=true
/// hl_lines=[2, "4-5"]}`). Options Follicle does not draw (Hugo's `style`,
/// `anchorlinenos`) are read and left: they change only the look.
pub fn fence_options(info: &str) -> Options {
    let rest = info.trim_start();
    let rest = rest.find([',', ' ', '{']).map_or("", |i| &rest[i..]);
    let cleaned: String = rest
        .chars()
        .map(|c| if "{}[]\"'".contains(c) { ' ' } else { c })
        .collect();
    let mut opts = Options {
        start: 1,
        ..Options::default()
    };
    let mut key = String::new();
    for token in cleaned.split([',', ' ']).filter(|t| !t.is_empty()) {
        let (k, value) = match token.split_once('=') {
            Some((k, v)) => (Some(k.trim()), v.trim()),
            None if token.chars().all(|c| c.is_ascii_digit() || c == '-') => (None, token),
            None => (Some(token), "true"),
        };
        if let Some(k) = k {
            key = k.to_ascii_lowercase();
        }
        apply_option(&mut opts, &key, value);
    }
    opts
}

fn apply_option(opts: &mut Options, key: &str, value: &str) {
    let range = || {
        let (a, b) = value.split_once('-').unwrap_or((value, value));
        let (a, b) = (
            a.trim().parse::<usize>().ok()?,
            b.trim().parse::<usize>().ok()?,
        );
        (a >= 1 && a <= b).then_some(a..=b)
    };
    match key {
        "linenos" => opts.linenos = value != "false",
        "linenostart" => opts.start = value.parse().unwrap_or(1),
        // Jekyll's `{% highlight ruby mark_lines="1 2" %}` is Hugo's hl_lines.
        "hl_lines" | "mark_lines" => opts.marked.extend(range()),
        "hide_lines" => opts.hidden.extend(range()),
        "name" if !value.is_empty() => opts.name = Some(value.to_string()),
        _ => {}
    }
}

/// Is `lang` a language the grammars know (by name, alias or extension)?
pub fn knows(lang: &str) -> bool {
    !lang.is_empty() && syntaxes().find_syntax_by_token(lang).is_some()
}

/// The highlighted block for `lang`, or `None` to keep it plain.
pub fn block(lang: &str, code: &str, opts: &Options) -> Option<String> {
    if lang.is_empty() || code.len() > MAX_CODE || code.lines().any(|l| l.len() > MAX_LINE) {
        return None;
    }
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut lines = Drawn::new(opts, code.len());
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, set).ok()?;
        // Each line closes the spans it leaves open and the next reopens
        // them, so a line's own element holds only whole spans.
        let reopen: String = stack.as_slice().iter().map(|s| open_span(*s)).collect();
        let (mut html, _) =
            line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut stack).ok()?;
        // The line's one newline is its last character: after it come only
        // tags. It goes after the line's element.
        let newline = match html.rfind('\n') {
            Some(i) => {
                html.remove(i);
                "\n"
            }
            None => "",
        };
        let close = "</span>".repeat(stack.len());
        lines.push(&format!("{reopen}{html}{close}"), newline);
    }
    let lang_class = crate::markdown::escape_attr(lang);
    Some(format!(
        "<pre class=\"highlight{}\"{} tabindex=\"0\"><code class=\"language-{lang_class}\" data-lang=\"{lang_class}\">{}</code></pre>\n",
        lines.pre_class(),
        name_attr(opts),
        lines.html
    ))
}

/// ` data-name="main.rs"` for a named block (the theme shows it above the
/// code), else nothing.
fn name_attr(opts: &Options) -> String {
    opts.name.as_deref().map_or(String::new(), |name| {
        format!(" data-name=\"{}\"", crate::markdown::escape_attr(name))
    })
}

/// `<span class="hl-keyword hl-control">` for the scope `keyword.control`.
fn open_span(scope: Scope) -> String {
    let name = scope.build_string();
    let classes: Vec<String> = name.split('.').map(|atom| format!("hl-{atom}")).collect();
    format!("<span class=\"{}\">", classes.join(" "))
}

/// A block's lines as [`Options`] draw them: every line in its own element
/// when numbered or marked, hidden lines left out; else the text as it is.
struct Drawn<'o> {
    opts: &'o Options,
    n: usize,
    html: String,
}

impl<'o> Drawn<'o> {
    fn new(opts: &'o Options, len: usize) -> Drawn<'o> {
        Drawn {
            opts,
            n: 0,
            html: String::with_capacity(len * 2 + 64),
        }
    }

    /// One line's HTML (`newline` is its line end, kept outside its element).
    fn push(&mut self, line: &str, newline: &str) {
        self.n += 1;
        let within = |r: &Vec<RangeInclusive<usize>>| r.iter().any(|r| r.contains(&self.n));
        if !self.opts.draws_lines() {
            self.html.push_str(line);
            self.html.push_str(newline);
            return;
        }
        if within(&self.opts.hidden) {
            return;
        }
        let tag = if within(&self.opts.marked) {
            "mark"
        } else {
            "span"
        };
        self.html.push_str(&format!("<{tag} class=\"line\""));
        if self.opts.linenos {
            let number = self.opts.start.saturating_add(self.n - 1);
            self.html.push_str(&format!(" data-line=\"{number}\""));
        }
        self.html.push('>');
        self.html.push_str(line);
        self.html.push_str(&format!("</{tag}>{newline}"));
    }

    /// Classes for the `<pre>` (after any of its own): ` linenos` when numbered.
    fn pre_class(&self) -> &'static str {
        if self.opts.linenos {
            " linenos"
        } else {
            ""
        }
    }
}

/// A block kept plain (no language, one the grammars do not know, or
/// highlighting off): escaped, in the same `<pre>` as [`block`]'s. `tabindex`
/// lets a keyboard scroll a long line into view (WCAG 2.1.1).
pub fn plain(lang: &str, code: &str, opts: &Options) -> String {
    let mut lines = Drawn::new(opts, code.len());
    for line in LinesWithEndings::from(code) {
        let (text, newline) = match line.strip_suffix('\n') {
            Some(t) => (t, "\n"),
            None => (line, ""),
        };
        // Escaped as pulldown-cmark escapes a code block's text.
        let mut escaped = String::with_capacity(text.len() + 16);
        let event = pulldown_cmark::Event::Text(pulldown_cmark::CowStr::Borrowed(text));
        pulldown_cmark::html::push_html(&mut escaped, std::iter::once(event));
        lines.push(&escaped, newline);
    }
    let mut out = String::with_capacity(lines.html.len() + 64);
    out.push_str("<pre");
    if opts.linenos {
        out.push_str(" class=\"linenos\"");
    }
    out.push_str(&name_attr(opts));
    out.push_str(" tabindex=\"0\"><code");
    if !lang.is_empty() {
        let lang_class = crate::markdown::escape_attr(lang);
        out.push_str(&format!(" class=\"language-{lang_class}\""));
    }
    out.push('>');
    out.push_str(&lines.html);
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
        let html = block(
            "rust",
            "fn main() { let s = \"<b>\"; }\n",
            &Options::default(),
        )
        .unwrap();
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
        assert_eq!(block("no-such-language", "x\n", &Options::default()), None);
        assert_eq!(block("", "x\n", &Options::default()), None);
        assert!(knows("py") && knows("yaml") && knows("sh") && !knows("klingon"));
        assert!(knows("toml") && knows("ts") && knows("typescript") && knows("dockerfile"));
    }

    #[test]
    fn fence_options_are_not_part_of_the_language() {
        assert_eq!(fence_language("rust,linenos,hl_lines=1 3"), "rust");
        assert_eq!(fence_language("toml {hl_lines=[2]}"), "toml");
        assert_eq!(fence_language(""), "");
    }

    #[test]
    fn zola_and_hugo_fence_options_are_read() {
        let zola = fence_options("rust,linenos,linenostart=10,hl_lines=1 3-4,hide_lines=2");
        assert_eq!(
            zola,
            Options {
                linenos: true,
                start: 10,
                marked: vec![1..=1, 3..=4],
                hidden: vec![2..=2],
                name: None,
            }
        );
        let hugo = fence_options("go {linenos=table hl_lines=[2, \"4-5\"] linenostart=199}");
        assert_eq!((hugo.linenos, hugo.start), (true, 199));
        assert_eq!(hugo.marked, vec![2..=2, 4..=5]);
        let named = fence_options("rust,name=src/<main>.rs");
        assert_eq!(named.name.as_deref(), Some("src/<main>.rs"));
        let html = block("rust", "fn x() {}\n", &named).unwrap();
        assert!(
            html.starts_with("<pre class=\"highlight\" data-name=\"src/&lt;main&gt;.rs\" tabindex"),
            "{html}"
        );
        let off = fence_options("go {linenos=false, style=monokai, hl_lines=[0, \"5-3\", x]}");
        assert_eq!(off, fence_options("go"));
        assert_eq!(fence_options("").start, 1);
    }

    #[test]
    fn numbered_and_marked_lines_are_drawn_one_element_each() {
        let opts = fence_options("rust,linenos,linenostart=7,hl_lines=2,hide_lines=3");
        let code = "/* a\n b */ fn x() {}\nhidden();\nlet y = 1;\n";
        let html = block("rust", code, &opts).unwrap();
        assert!(
            html.starts_with("<pre class=\"highlight linenos\""),
            "{html}"
        );
        let lines: Vec<&str> = html.lines().collect();
        // A comment over two lines is closed at the end of the first and
        // opened again on the second, so each line holds whole spans.
        assert!(lines[0].ends_with("</span></span>"), "{html}");
        assert!(
            lines[1].starts_with("<mark class=\"line\" data-line=\"8\"><span"),
            "{html}"
        );
        assert!(lines[1].ends_with("</mark>"), "{html}");
        assert!(!html.contains("hidden"), "{html}");
        assert!(
            html.contains("data-line=\"10\">"),
            "numbers go on past hidden lines: {html}"
        );
        let opens = html.matches("<span").count();
        assert_eq!(opens, html.matches("</span>").count(), "{html}");
        // Plain blocks draw the same lines, escaped.
        let plain = plain("", "<a>\nb\n", &fence_options("x,hl_lines=1"));
        assert_eq!(
            plain,
            "<pre tabindex=\"0\"><code><mark class=\"line\">&lt;a&gt;</mark>\n<span class=\"line\">b</span>\n</code></pre>\n"
        );
        // Without options, a block is its text, as before.
        assert_eq!(
            super::plain("", "<a>\nb", &Options::default()),
            "<pre tabindex=\"0\"><code>&lt;a&gt;\nb</code></pre>\n"
        );
    }

    #[test]
    fn huge_or_minified_code_stays_plain() {
        assert_eq!(
            block("js", &"a".repeat(MAX_LINE + 1), &Options::default()),
            None
        );
        assert_eq!(
            block("js", &"a;\n".repeat(MAX_CODE), &Options::default()),
            None
        );
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
