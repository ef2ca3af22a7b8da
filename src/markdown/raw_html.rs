//! Raw HTML in Markdown: kept when it is safe, cleaned when it is not.
//!
//! Writers paste HTML into Markdown (`<details>`, `<abbr>`, `<br>`, a video). A
//! `<script>`, an `onclick=` or a `javascript:` link in a patient page could run
//! anything in a patient's browser, so with `[markdown] raw_html = "safe"` (the
//! default) a page whose body holds raw HTML has its HTML cleaned by ammonia
//! against the allowlist below, and each removed part is reported at its
//! file:line:column by [`scan`] (a warning: the page builds; `build --strict`
//! fails). `raw_html = "trusted"` publishes raw HTML as written (Zola's rule).
//!
//! The allowlist also covers everything this crate's Markdown pass writes
//! (heading ids and anchors, table wrappers, footnotes, task-list boxes), so a
//! cleaned page differs from an uncleaned one only where the writer's HTML was
//! unsafe (and in comments, which are dropped).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Raw HTML pieces (tags, HTML block lines) one page may hold in safe mode;
/// more is an error. Cleaning parses the page with html5ever, whose cost grows
/// with the square of the nesting depth: 10,000 nested `<div>` take about a
/// second, 100,000 would take minutes.
pub const MAX_FRAGMENTS: usize = 10_000;

/// Attributes one raw HTML tag may carry in safe mode; more is an error
/// (html5ever checks each new attribute against the tag's others, so a
/// `<div>` with 300,000 attributes took 72 s to clean).
pub const MAX_ATTRIBUTES: usize = 256;

/// Tags a page may hold, with the attributes each may carry beyond [`GENERIC`].
const TAGS: &[(&str, &[&str])] = &[
    (
        "a",
        &["href", "hreflang", "target", "rel", "download", "type"],
    ),
    ("abbr", &[]),
    ("aside", &[]),
    ("audio", &["src", "controls", "preload", "muted", "loop"]),
    ("b", &[]),
    ("bdi", &[]),
    ("bdo", &[]),
    ("blockquote", &["cite"]),
    ("br", &[]),
    ("caption", &[]),
    ("cite", &[]),
    ("code", &[]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("dd", &[]),
    ("del", &["cite", "datetime"]),
    ("details", &["open"]),
    ("dfn", &[]),
    ("div", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("em", &[]),
    ("figcaption", &[]),
    ("figure", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("hr", &[]),
    ("i", &[]),
    (
        "img",
        &[
            "src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes", "border",
        ],
    ),
    ("input", &["type", "checked", "disabled"]),
    ("ins", &["cite", "datetime"]),
    ("kbd", &[]),
    ("li", &["value"]),
    ("mark", &[]),
    ("ol", &["start", "reversed", "type"]),
    ("p", &[]),
    ("picture", &[]),
    ("pre", &[]),
    ("progress", &["value", "max"]),
    ("q", &["cite"]),
    ("rb", &[]),
    ("rp", &[]),
    ("rt", &[]),
    ("rtc", &[]),
    ("ruby", &[]),
    ("s", &[]),
    ("samp", &[]),
    ("section", &[]),
    ("small", &[]),
    ("source", &["src", "srcset", "type", "media", "sizes"]),
    ("span", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("summary", &[]),
    ("sup", &[]),
    ("table", &[]),
    ("tbody", &[]),
    ("td", &["colspan", "rowspan", "headers", "style"]),
    ("tfoot", &[]),
    (
        "th",
        &["colspan", "rowspan", "headers", "scope", "abbr", "style"],
    ),
    ("thead", &[]),
    ("time", &["datetime"]),
    ("tr", &[]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
    ("u", &[]),
    ("ul", &[]),
    ("var", &[]),
    (
        "video",
        &[
            "src",
            "controls",
            "width",
            "height",
            "poster",
            "preload",
            "muted",
            "loop",
            "playsinline",
            "autoplay",
        ],
    ),
    ("wbr", &[]),
];

/// Attributes every allowed tag may carry (`align` is old but harmless: it
/// cannot run anything).
const GENERIC: &[&str] = &[
    "id", "class", "title", "lang", "dir", "role", "tabindex", "align",
];
/// Attribute name prefixes every allowed tag may carry.
const GENERIC_PREFIXES: &[&str] = &["aria-", "data-"];
/// Attributes holding a URL, checked against [`SCHEMES`].
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite", "poster", "srcset"];
/// URL schemes a link may use: the one policy's ([`crate::url_policy`]).
const SCHEMES: &[&str] = crate::url_policy::SCHEMES;
/// The one CSS property kept in `style` (pulldown-cmark aligns table cells with it).
const STYLE_PROPERTIES: &[&str] = &["text-align"];
/// Tags removed with everything inside them.
const REMOVED_WITH_CONTENT: &[&str] = &["script", "style"];
/// Tags that run code, load other pages or send data: their hint says so. Any
/// other tag off the list is only unwrapped (its text stays).
const ACTIVE_TAGS: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "button", "select", "textarea", "link", "meta", "base", "svg", "math", "template", "portal",
    "noscript",
];

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        b.tags(TAGS.iter().map(|(t, _)| *t).collect::<HashSet<_>>())
            .tag_attributes(
                TAGS.iter()
                    .filter(|(_, a)| !a.is_empty())
                    .map(|(t, a)| (*t, a.iter().copied().collect::<HashSet<_>>()))
                    .collect::<HashMap<_, _>>(),
            )
            .generic_attributes(GENERIC.iter().copied().collect())
            .generic_attribute_prefixes(GENERIC_PREFIXES.iter().copied().collect())
            .url_schemes(SCHEMES.iter().copied().collect())
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(None)
            .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
            .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
            // ammonia checks one URL per attribute; a `srcset` holds a list.
            .attribute_filter(|_, attribute, value| match attribute {
                "srcset" => clean_srcset(value).map(Into::into),
                _ => Some(value.into()),
            })
            .strip_comments(true);
        b
    })
}

/// The page's HTML with everything outside the allowlist removed. `<noscript>`
/// wrappers are dropped first, so the fallback `<img>` inside one is read (and
/// cleaned) as markup: the parser would otherwise take it for plain text.
pub fn clean(html: &str) -> String {
    cleaner().clean(&unwrap_noscript(html)).to_string()
}

/// `<noscript>…</noscript>` → `…`, any letter case.
fn unwrap_noscript(html: &str) -> std::borrow::Cow<'_, str> {
    let lower = html.to_ascii_lowercase();
    if !lower.contains("<noscript") && !lower.contains("</noscript") {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    while let Some(p) = lower[i..].find("noscript") {
        let at = i + p;
        let open = at.checked_sub(1).filter(|&o| &lower[o..at] == "<");
        let close = at.checked_sub(2).filter(|&o| &lower[o..at] == "</");
        let end_ok = matches!(
            lower.as_bytes().get(at + 8),
            Some(b'>' | b' ' | b'\t' | b'\n' | b'/')
        );
        match open.or(close) {
            Some(start) if end_ok => {
                out.push_str(&html[i..start]);
                i = lower[at..].find('>').map_or(html.len(), |e| at + e + 1);
            }
            _ => {
                out.push_str(&html[i..at + 8]);
                i = at + 8;
            }
        }
    }
    out.push_str(&html[i..]);
    std::borrow::Cow::Owned(out)
}

/// One part of a raw HTML fragment that [`clean`] removes.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Byte offset inside the fragment.
    pub offset: usize,
    pub message: String,
    pub hint: &'static str,
    /// Over a limit: an error, and the page is not cleaned.
    pub fatal: bool,
}

const HINT_TAG: &str = "scripts, styles, frames and forms belong in the theme's templates; \
if a developer checks every page, set `raw_html = \"trusted\"` under [markdown] in site.toml";
const HINT_OTHER_TAG: &str = "this tag is not on the list of safe ones, so only its text is kept; \
see \"Raw HTML\" in the reference (docs/content/reference/content.md) for what is kept, or use Markdown";
const HINT_EVENT: &str = "event handlers run scripts in the reader's browser; \
use a plain link or the theme's templates instead";
const HINT_URL: &str = crate::url_policy::HINT;
const HINT_STYLE: &str = "inline styles are removed (only `text-align` on table cells is kept); \
use the theme's classes with `class=\"…\"`";
const HINT_TOO_MANY: &str = "a tag needs a few attributes; remove the repeated ones, \
or set `raw_html = \"trusted\"` under [markdown] in site.toml if a developer checks every page";
const HINT_ATTRIBUTE: &str = "this attribute is not on the list of safe ones; \
see \"Raw HTML\" in the reference (docs/content/reference/content.md) for what is kept";

/// What in one raw HTML fragment (as written in the Markdown) [`clean`] would
/// remove, for messages. The cleaning itself is done by ammonia on the whole
/// page; this scan only finds where to point.
pub fn scan(fragment: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(p) = fragment[i..].find('<') {
        let at = i + p;
        let rest = &fragment[at..];
        if rest.starts_with("<!--") {
            i = rest
                .find("-->")
                .map(|e| at + e + 3)
                .unwrap_or(fragment.len());
            continue;
        }
        let closing = rest[1..].starts_with('/');
        let name_start = at + 1 + usize::from(closing);
        let name_len = fragment[name_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(fragment.len() - name_start);
        let name = fragment[name_start..name_start + name_len].to_ascii_lowercase();
        i = name_start + name_len;
        if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
            continue;
        }
        let Some(attrs) = allowed_attributes(&name) else {
            if !closing && name == "noscript" {
                // Unwrapped by `clean`; what is inside is checked as markup.
                continue;
            }
            if !closing {
                let active = ACTIVE_TAGS.contains(&name.as_str());
                found.push(Finding {
                    offset: at,
                    message: if active {
                        format!("raw HTML `<{name}>` is not allowed in a page and was removed")
                    } else {
                        format!("raw HTML `<{name}>` is not allowed in a page; its text is kept")
                    },
                    hint: if active { HINT_TAG } else { HINT_OTHER_TAG },
                    fatal: false,
                });
            }
            if REMOVED_WITH_CONTENT.contains(&name.as_str()) && !closing {
                let end = format!("</{name}");
                i = find_ascii_ci(fragment, i, &end).unwrap_or(fragment.len());
            }
            continue;
        };
        if closing {
            continue;
        }
        i = scan_attributes(fragment, i, &name, attrs, &mut found);
        if found.last().is_some_and(|f| f.fatal) {
            break;
        }
    }
    found
}

const HINT_COPIED: &str = "this file is copied as it is and runs in the reader's browser on \
your site; remove the script, or host the vendor's page on their own site and link to it";

/// Scripts, event handlers and script URLs in a whole `.html` or `.svg` file
/// of `content/`, which is copied byte for byte (a clinic may need a vendor's
/// page): reported so `check` and `--strict` see them; nothing is removed.
pub fn active_content(doc: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut i = 0;
    let b = doc.as_bytes();
    while let Some(p) = doc[i..].find('<') {
        let at = i + p;
        if doc[at..].starts_with("<!--") {
            i = doc[at..]
                .find("-->")
                .map(|e| at + e + 3)
                .unwrap_or(doc.len());
            continue;
        }
        let name_start = at + 1;
        let name_len = doc[name_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | ':')))
            .unwrap_or(doc.len() - name_start);
        let name = doc[name_start..name_start + name_len].to_ascii_lowercase();
        i = name_start + name_len;
        if name.is_empty() || !b[name_start].is_ascii_alphabetic() {
            continue;
        }
        let finding = |offset, message| Finding {
            offset,
            message,
            hint: HINT_COPIED,
            fatal: false,
        };
        if name == "script" || name.ends_with(":script") {
            found.push(finding(
                at,
                "raw HTML `<script>` in a copied file".to_string(),
            ));
            i = find_ascii_ci(doc, i, "</").map_or(doc.len(), |e| e.max(i));
            continue;
        }
        i = active_attributes(doc, i, &name, &mut found, &finding);
    }
    found
}

/// The attributes of one start tag of a copied file, from `i` to its `>`.
fn active_attributes(
    s: &str,
    mut i: usize,
    tag: &str,
    found: &mut Vec<Finding>,
    finding: &dyn Fn(usize, String) -> Finding,
) -> usize {
    let b = s.as_bytes();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return (i + 1).min(b.len());
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = s[start..i].to_ascii_lowercase();
        let mut value = "";
        if i < b.len() && b[i] == b'=' {
            let (v, next) = attribute_value(s, i + 1);
            value = v;
            i = next;
        }
        let url_attr = URL_ATTRIBUTES.contains(&name.as_str())
            || matches!(
                name.as_str(),
                "xlink:href" | "action" | "formaction" | "data"
            );
        if name.starts_with("on") {
            found.push(finding(
                start,
                format!("raw HTML event handler `{name}` on `<{tag}>` in a copied file"),
            ));
        } else if url_attr && !safe_url(value, name == "srcset") {
            found.push(finding(
                start,
                format!(
                    "raw HTML address `{}` on `<{tag}>` in a copied file",
                    short(value)
                ),
            ));
        }
    }
}

fn allowed_attributes(tag: &str) -> Option<&'static [&'static str]> {
    TAGS.iter().find(|(t, _)| *t == tag).map(|(_, a)| *a)
}

/// Read a start tag's attributes from `i` to its `>`; gives where it ended.
fn scan_attributes(
    s: &str,
    mut i: usize,
    tag: &str,
    allowed: &[&str],
    found: &mut Vec<Finding>,
) -> usize {
    let b = s.as_bytes();
    let mut count = 0;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return (i + 1).min(b.len());
        }
        let start = i;
        count += 1;
        if count > MAX_ATTRIBUTES {
            found.push(Finding {
                offset: start,
                message: format!(
                    "this raw HTML `<{tag}>` has more than {MAX_ATTRIBUTES} attributes, more than Follicle cleans in one tag"
                ),
                hint: HINT_TOO_MANY,
                fatal: true,
            });
            return b.len();
        }
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = s[start..i].to_ascii_lowercase();
        let mut value = "";
        if i < b.len() && b[i] == b'=' {
            i += 1;
            let (v, next) = attribute_value(s, i);
            value = v;
            i = next;
        }
        let ok = GENERIC.contains(&name.as_str())
            || GENERIC_PREFIXES.iter().any(|p| name.starts_with(p))
            || allowed.contains(&name.as_str());
        let finding = |message: String, hint| Finding {
            offset: start,
            message,
            hint,
            fatal: false,
        };
        if name.starts_with("on") && !ok {
            found.push(finding(
                format!("raw HTML event handler `{name}` on `<{tag}>` was removed"),
                HINT_EVENT,
            ));
        } else if name == "style" && !(ok && only_text_align(value)) {
            found.push(finding(
                format!("raw HTML inline style on `<{tag}>` was removed"),
                HINT_STYLE,
            ));
        } else if !ok {
            found.push(finding(
                format!("raw HTML attribute `{name}` on `<{tag}>` was removed"),
                HINT_ATTRIBUTE,
            ));
        } else if URL_ATTRIBUTES.contains(&name.as_str()) && !safe_url(value, name == "srcset") {
            found.push(finding(
                format!(
                    "raw HTML address `{}` on `<{tag}>` was removed",
                    short(value)
                ),
                HINT_URL,
            ));
        }
    }
}

/// An attribute value starting at `i` (quoted or not), and where it ends.
fn attribute_value(s: &str, i: usize) -> (&str, usize) {
    let b = s.as_bytes();
    match b.get(i) {
        Some(&q) if q == b'"' || q == b'\'' => {
            let end = s[i + 1..]
                .find(q as char)
                .map(|e| i + 1 + e)
                .unwrap_or(s.len());
            (&s[i + 1..end], (end + 1).min(s.len()))
        }
        _ => {
            let end = s[i..]
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .map(|e| i + e)
                .unwrap_or(s.len());
            (&s[i..end], end)
        }
    }
}

/// A `srcset` with only the candidates whose URL passes the policy; `None`
/// (the attribute goes) when none does.
fn clean_srcset(value: &str) -> Option<String> {
    let kept: Vec<String> = srcset_candidates(value)
        .into_iter()
        .filter(|(url, _)| crate::url_policy::allowed(url))
        .map(|(url, d)| {
            if d.is_empty() {
                url.to_string()
            } else {
                format!("{url} {d}")
            }
        })
        .collect();
    (!kept.is_empty()).then(|| kept.join(", "))
}

/// A `srcset`'s (URL, descriptors) candidates, read as the HTML standard
/// says: a URL runs to whitespace (it may hold commas, as `data:` URLs do);
/// a comma at its end, or after the descriptors, ends the candidate.
fn srcset_candidates(value: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return out;
        }
        let url_end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url = &rest[..url_end];
        if url.ends_with(',') {
            out.push((url.trim_end_matches(','), ""));
            rest = &rest[url_end..];
            continue;
        }
        let after = &rest[url_end..];
        let desc_end = after.find(',').unwrap_or(after.len());
        out.push((url, after[..desc_end].trim()));
        rest = &after[desc_end..];
    }
}

/// Whether a URL (or each URL of a `srcset`) passes the one scheme policy
/// ([`crate::url_policy::allowed`], which reads it as a browser does).
fn safe_url(value: &str, srcset: bool) -> bool {
    let candidates: Vec<&str> = if srcset {
        srcset_candidates(value)
            .into_iter()
            .map(|(u, _)| u)
            .collect()
    } else {
        vec![value]
    };
    candidates
        .into_iter()
        .all(|candidate| crate::url_policy::allowed(candidate.trim()))
}

fn only_text_align(style: &str) -> bool {
    style
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .all(|d| {
            d.split(':')
                .next()
                .is_some_and(|p| STYLE_PROPERTIES.contains(&p.trim().to_ascii_lowercase().as_str()))
        })
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

fn find_ascii_ci(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let lower = hay[from..].to_ascii_lowercase();
    lower.find(needle).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(fragment: &str) -> Vec<String> {
        scan(fragment).into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn safe_html_is_kept_and_not_reported() {
        let html = "<details open><summary>More</summary><p>Text with <abbr title=\"scalp micropigmentation\">SMP</abbr><br>\
                    <img src=\"/img/a.png\" alt=\"a\" width=\"10\"></p></details>";
        assert!(scan(html).is_empty(), "{:?}", scan(html));
        assert_eq!(
            clean(html),
            "<details open=\"\"><summary>More</summary><p>Text with <abbr title=\"scalp micropigmentation\">SMP</abbr><br>\
             <img src=\"/img/a.png\" alt=\"a\" width=\"10\"></p></details>"
        );
    }

    #[test]
    fn scripts_handlers_and_script_urls_are_removed_and_reported() {
        let html = "<p onclick=\"steal()\">Hi <a href=\"JavaScript:alert(1)\">x</a></p>\
                    <script>if (a<b) alert(1)</script><iframe src=\"https://t.example/\"></iframe>\
                    <span style=\"position:fixed\">s</span><form action=\"/x\"><input name=q></form>";
        let cleaned = clean(html);
        for gone in [
            "onclick",
            "javascript",
            "JavaScript",
            "script",
            "alert",
            "iframe",
            "position",
            "form",
        ] {
            assert!(!cleaned.contains(gone), "{gone} left in {cleaned}");
        }
        assert_eq!(
            messages(html),
            [
                "raw HTML event handler `onclick` on `<p>` was removed",
                "raw HTML address `JavaScript:alert(1)` on `<a>` was removed",
                "raw HTML `<script>` is not allowed in a page and was removed",
                "raw HTML `<iframe>` is not allowed in a page and was removed",
                "raw HTML inline style on `<span>` was removed",
                "raw HTML `<form>` is not allowed in a page and was removed",
                "raw HTML attribute `name` on `<input>` was removed",
            ]
        );
    }

    #[test]
    fn what_the_markdown_pass_writes_survives_cleaning() {
        let ours = "<h2 id=\"days-1-4\">Days 1–4<a class=\"anchor\" href=\"#days-1-4\" aria-hidden=\"true\">#</a></h2>\n\
                    <div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Day\"><table><thead><tr>\
                    <th style=\"text-align: center\">Day</th></tr></thead><tbody><tr><td style=\"text-align: center\">1</td></tr></tbody></table></div>\n\
                    <ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\">done</li></ul>\n\
                    <p>Text<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup> \
                    <a href=\"https://example.org/\" target=\"_blank\" rel=\"noopener\">out</a> \
                    <a href=\"tel:+15550100\">call</a> <a href=\"mailto:a@example.org\">mail</a></p>\n\
                    <div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup><p>Note</p></div>\n";
        // Only the style's spacing changes.
        assert_eq!(
            clean(ours),
            ours.replace("text-align: center", "text-align:center")
        );
    }

    #[test]
    fn urls_are_judged_by_scheme() {
        for ok in [
            "/a",
            "a.html",
            "#x",
            "https://x.example/",
            "mailto:a@b",
            "tel:+1",
            "page?x=a:b",
        ] {
            assert!(safe_url(ok, false), "{ok}");
        }
        for bad in [
            "javascript:x",
            " java\tscript:x",
            "java\nscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(!safe_url(bad, false), "{bad}");
        }
        assert!(safe_url("x.png 1x, /y.png 2x", true));
        assert!(!safe_url("a.png 1x, javascript:x 2x", true));
    }

    #[test]
    fn srcset_candidates_are_cleaned() {
        assert_eq!(
            clean("<img src=\"a.png\" srcset=\"a.png 1x, javascript:alert(1) 2x, /b.png 3x\">"),
            "<img src=\"a.png\" srcset=\"a.png 1x, /b.png 3x\">"
        );
        assert_eq!(
            clean("<img src=\"a.png\" srcset=\"data:text/html,x 2x\">"),
            "<img src=\"a.png\">"
        );
    }

    #[test]
    fn harmless_markup_real_pages_use_is_kept() {
        let html = "<p align=\"center\">Centred</p><ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby><ruby><rb>頭</rb><rt>atama</rt></ruby>\
                    <video src=\"a.mp4\" autoplay muted></video><img src=\"a.png\" alt=\"a\" border=\"0\">\
                    <progress value=\"3\" max=\"10\">30%</progress><aside>Note</aside>\
                    <td align=\"right\">";
        assert!(scan(html).is_empty(), "{:?}", scan(html));
        let cleaned = clean(html);
        for kept in [
            "<p align=\"center\">",
            "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
            "<progress value=\"3\" max=\"10\">30%</progress>",
            "<aside>Note</aside>",
        ] {
            assert!(cleaned.contains(kept), "{kept} lost: {cleaned}");
        }
    }

    #[test]
    fn the_image_inside_noscript_is_kept_and_cleaned() {
        let html = "<noscript><img src=\"/a.png\" alt=\"A\"></noscript><NOSCRIPT class=x><img src=\"javascript:x\" alt=\"B\"></NOSCRIPT>";
        assert_eq!(clean(html), "<img src=\"/a.png\" alt=\"A\"><img alt=\"B\">");
        assert_eq!(
            messages(html),
            ["raw HTML address `javascript:x` on `<img>` was removed"]
        );
        assert_eq!(unwrap_noscript("a noscripted <b>"), "a noscripted <b>");
    }

    #[test]
    fn the_hint_speaks_of_scripts_only_for_tags_that_run_code() {
        let f = scan("<font color=red>x</font><center>y</center><embed src=a.swf>");
        assert_eq!(
            f[0].message,
            "raw HTML `<font>` is not allowed in a page; its text is kept"
        );
        assert!(!f[0].hint.contains("script"), "{}", f[0].hint);
        assert!(!f[1].hint.contains("script"), "{}", f[1].hint);
        assert_eq!(f.iter().filter(|f| f.hint == HINT_TAG).count(), 1);
        assert!(clean("<font color=red>x</font>") == "x");
    }

    #[test]
    fn text_that_only_looks_like_tags_is_not_reported() {
        assert!(scan("a < b and 3<4 <!-- <script> in a comment -->").is_empty());
    }
}
