//! What `follicle import` carries from the other tool's configuration besides
//! names and languages: Markdown options into `[markdown]`, the site's own
//! values (Zola `[extra]`, Hugo `[params]`, Jekyll's custom variables) into
//! `[extra]`, and the main menu into `[[nav]]` (menus themselves are in
//! `menus.rs`). Every key that is not carried is named in the report at its
//! file:line:col with the reason: nothing is dropped silently.

use std::collections::BTreeMap;

use serde_json::Value;

use super::menus::NavEntry;
use super::{get, Peer};
use crate::parse::KeyMap;

/// One file of the other tool's configuration: the keys it holds sit under
/// `prefix` of the merged configuration (`""` for the main file; Hugo's
/// `config/_default/params.toml` holds `params.`, `menus.en.toml`
/// `languages.en.menus.`).
#[derive(Debug, Clone)]
pub(super) struct Part {
    pub prefix: String,
    pub file: String,
    pub keys: KeyMap,
}

/// The other tool's configuration, parsed and merged, with the file and
/// place of each key.
pub(super) struct Source<'a> {
    pub value: &'a Value,
    pub parts: &'a [Part],
}

impl Source<'_> {
    /// `file:line:col` of the key at the dotted `path`: in the file holding
    /// it, else at the top of the file whose keys it would be among.
    pub fn at(&self, path: &str) -> String {
        let found = self.parts.iter().find_map(|p| {
            let rest = path.strip_prefix(p.prefix.as_str())?;
            Some((p, p.keys.get(rest)?))
        });
        let fallback = || {
            let p = self
                .parts
                .iter()
                .filter(|p| path.starts_with(p.prefix.as_str()))
                .max_by_key(|p| p.prefix.len())
                .or(self.parts.first())?;
            Some((p, (1, 1)))
        };
        match found.or_else(fallback) {
            Some((p, (line, col))) => format!("{}:{line}:{col}", p.file),
            None => "the configuration".to_string(),
        }
    }
}

/// What goes into site.toml beyond the basic settings.
#[derive(Debug, Default)]
pub(super) struct Carried {
    /// `[markdown]` keys.
    pub markdown: toml::Table,
    /// `[extra]`.
    pub extra: toml::Table,
    /// The main menu by language code; the default language's under "".
    pub nav: BTreeMap<String, Vec<NavEntry>>,
    /// Per-language `[languages.x]` keys (`title`, `description`, `name`).
    pub languages: BTreeMap<String, toml::Table>,
    /// Top-level keys (`description`, `output_dir`, `[feed] enabled`).
    pub top: toml::Table,
    /// One line per key not carried, for the report.
    pub notes: Vec<String>,
}

impl Carried {
    pub fn skip(&mut self, src: &Source, path: &str, why: &str) {
        self.notes.push(format!(
            "{}: `{path}` is not carried over: {why}",
            src.at(path)
        ));
    }
}

/// Why a peer key has no Follicle counterpart, for keys people ask about.
fn reason(key: &str) -> &'static str {
    match key {
        "theme" | "remote_theme" | "compile_sass" | "sass" | "minify_html" | "assets" => {
            "the Follicle theme renders the site and brings its own styles"
        }
        "build_search_index" | "search" => "Follicle always builds its own search index",
        "paginate" | "paginate_path" | "pagination" | "paginate_by" => {
            "set `paginate_by` in a section's front matter"
        }
        "permalink" | "permalinks" | "slugify" | "uglyURLs" => {
            "URLs come from the files' places and `path`/`slug` front matter"
        }
        "link_checker" => "`follicle check` checks every link of the built site",
        "feed_filename" | "feed_filenames" | "feed_limit" => {
            "Follicle writes one Atom feed per language (`[feed]` in site.toml)"
        }
        _ => "Follicle has no such setting",
    }
}

/// Carry everything of `src` but the basic settings that `read_settings`
/// already took (named in `basic`).
pub(super) fn carry(peer: Peer, src: &Source, basic: &[&str]) -> Carried {
    let mut out = Carried::default();
    let Some(top) = src.value.as_object() else {
        return out;
    };
    for (key, value) in top {
        if basic.iter().any(|b| b.eq_ignore_ascii_case(key)) {
            continue;
        }
        match (peer, key.as_str()) {
            (_, "description") => {
                if let Some(t) = value.as_str() {
                    out.top.insert("description".into(), t.into());
                }
            }
            (Peer::Zola, "output_dir") | (Peer::Jekyll, "destination") => {
                if let Some(t) = value.as_str() {
                    out.top.insert("output_dir".into(), t.into());
                }
            }
            (Peer::Zola, "generate_feeds" | "generate_feed") => {
                if let Some(on) = value.as_bool() {
                    let mut feed = toml::Table::new();
                    feed.insert("enabled".into(), on.into());
                    out.top.insert("feed".into(), feed.into());
                }
            }
            (Peer::Zola, "markdown") => zola_markdown(src, value, &mut out),
            (Peer::Hugo, "markup") => hugo_markup(src, value, &mut out),
            (Peer::Jekyll, "kramdown") => kramdown(src, value, &mut out),
            (Peer::Jekyll, "markdown") => jekyll_markdown(src, value, &mut out),
            (Peer::Jekyll, "highlighter") => {
                let on = !matches!(value, Value::Null | Value::Bool(false))
                    && value.as_str() != Some("none");
                out.markdown.insert("highlight".into(), on.into());
            }
            (Peer::Zola, "extra") | (Peer::Hugo, "params") => {
                if let Some(table) = value.as_object() {
                    for (k, v) in table {
                        put_extra(src, &format!("{key}.{k}"), k, v, &mut out);
                    }
                }
            }
            (Peer::Hugo, "menu" | "menus") => {
                super::menus::hugo_config(src, key, value, "", &mut out)
            }
            (Peer::Zola | Peer::Hugo, "languages") => languages(peer, src, value, &mut out),
            (Peer::Hugo, "module") => hugo_module(src, value, &mut out),
            (Peer::Jekyll, "header_pages") => {
                super::menus::jekyll_header_pages(src, value, &mut out)
            }
            (Peer::Jekyll, k) if !JEKYLL_OWN.contains(&k) => put_extra(src, k, k, value, &mut out),
            (_, k) => out.skip(src, k, reason(k)),
        }
    }
    if peer == Peer::Zola {
        super::menus::zola_extra(src, &mut out);
    }
    if peer == Peer::Hugo && !out.top.contains_key("description") {
        // Hugo sites keep the site's description in `params`.
        if let Some(Value::String(d)) = get(src.value, "params").and_then(|p| get(p, "description"))
        {
            out.top.insert("description".into(), d.as_str().into());
        }
    }
    out
}

/// Hugo's `[module]`: content mounts became `content/` (see `content_dirs`);
/// everything else is named.
fn hugo_module(src: &Source, value: &Value, out: &mut Carried) {
    let Some(module) = value.as_object() else {
        return;
    };
    for (key, v) in module {
        if key != "mounts" {
            out.skip(
                src,
                &format!("module.{key}"),
                "Follicle has no modules; themes are folders",
            );
            continue;
        }
        for (i, mount) in v.as_array().into_iter().flatten().enumerate() {
            let target = get(mount, "target").and_then(Value::as_str).unwrap_or("");
            if !matches!(target, "content" | "static") {
                let why = format!("only content and static mounts are copied, not `{target}`");
                out.skip(src, &format!("module.mounts.{i}"), &why);
            }
        }
    }
}

/// Jekyll's own configuration keys (jekyllrb.com/docs/configuration/options/,
/// and the plugins' keys GitHub Pages sites use): every other key of
/// `_config.yml` is the site's own data, as `site.KEY` in Jekyll.
const JEKYLL_OWN: &[&str] = &[
    "source",
    "destination",
    "safe",
    "disable_disk_cache",
    "ignore_theme_config",
    "collections_dir",
    "plugins_dir",
    "layouts_dir",
    "data_dir",
    "includes_dir",
    "sass",
    "collections",
    "exclude",
    "include",
    "keep_files",
    "encoding",
    "markdown_ext",
    "strict_front_matter",
    "show_drafts",
    "limit_posts",
    "future",
    "unpublished",
    "lsi",
    "excerpt_separator",
    "incremental",
    "profile",
    "timezone",
    "quiet",
    "verbose",
    "defaults",
    "liquid",
    "rdiscount",
    "redcarpet",
    "commonmark",
    "permalink",
    "paginate",
    "paginate_path",
    "plugins",
    "gems",
    "whitelist",
    "theme",
    "remote_theme",
    "port",
    "host",
    "show_dir_listing",
    "livereload",
    "detach",
    "webrick",
    "feed",
    "sitemap",
    "jekyll-archives",
    "jekyll_archives",
    "compress_html",
    "autopages",
    "pagination",
    "jekyll-seo-tag",
    "github",
    "repository",
];

/// One `[extra]` value; a value TOML cannot hold (null) is named instead.
fn put_extra(src: &Source, path: &str, key: &str, value: &Value, out: &mut Carried) {
    match to_toml(value) {
        Some(v) => {
            out.extra.insert(key.to_string(), v);
        }
        None => out.skip(src, path, "it is empty (null), which site.toml cannot hold"),
    }
}

/// A JSON value as TOML; `None` for null (TOML has none). Nulls inside
/// tables are left out of them; inside lists they make the list `None`.
pub(super) fn to_toml(v: &Value) -> Option<toml::Value> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64()?),
        },
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Array(items) => {
            toml::Value::Array(items.iter().map(to_toml).collect::<Option<Vec<_>>>()?)
        }
        Value::Object(map) => toml::Value::Table(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), to_toml(v)?)))
                .collect(),
        ),
    })
}

/// What one Markdown option of a peer becomes.
enum Option_ {
    /// `[markdown] KEY = value`.
    Set(&'static str, bool),
    /// Follicle already does this and cannot do otherwise: nothing to write.
    Same,
    /// Not carried, with the reason.
    Not(&'static str),
}

/// Zola's `[markdown]`.
fn zola_markdown(src: &Source, value: &Value, out: &mut Carried) {
    let Some(table) = value.as_object() else {
        return;
    };
    for (key, v) in table {
        let on = v.as_bool();
        let what = match (key.as_str(), on) {
            ("highlight_code", Some(b)) => Option_::Set("highlight", b),
            ("smart_punctuation", Some(b)) => Option_::Set("smart_punctuation", b),
            ("external_links_target_blank", Some(b)) => {
                Option_::Set("external_links_new_tab", b)
            }
            ("highlight_theme", _) if v.as_str() == Some("css") => Option_::Same,
            ("highlight_theme" | "highlight_themes_css" | "highlighting", _) => Option_::Not(
                "code colours come from the theme's highlight.css (light and dark), as CSS classes",
            ),
            ("bottom_footnotes" | "lazy_async_image" | "definition_list" | "github_alerts", Some(true)) => {
                Option_::Same
            }
            ("bottom_footnotes", Some(false)) => {
                Option_::Not("footnotes are always gathered at the bottom of the page")
            }
            ("lazy_async_image", Some(false)) => Option_::Not(
                "images after the first are always loaded lazily",
            ),
            ("external_links_no_follow" | "external_links_no_referrer" | "render_emoji", Some(false)) => {
                Option_::Same
            }
            ("external_links_no_follow" | "external_links_no_referrer", _) => Option_::Not(
                "Follicle adds only `noopener` (with external_links_new_tab); add rel values in the theme",
            ),
            ("render_emoji", _) => Option_::Not("write the emoji itself (:smile: stays text)"),
            ("extra_syntaxes_and_themes" | "extra_syntaxes", _) => Option_::Not(
                "Follicle's highlighter has its own grammars (see the Markdown guide)",
            ),
            _ => Option_::Not("Follicle has no such Markdown option"),
        };
        apply(src, &format!("markdown.{key}"), what, out);
    }
}

fn apply(src: &Source, path: &str, what: Option_, out: &mut Carried) {
    match what {
        Option_::Set(key, on) => {
            out.markdown.insert(key.into(), on.into());
        }
        Option_::Same => {}
        Option_::Not(why) => out.skip(src, path, why),
    }
}

/// Every leaf of `value` under the dotted `prefix`, in order.
fn leaves<'a>(prefix: &str, value: &'a Value, out: &mut Vec<(String, &'a Value)>) {
    match value.as_object() {
        Some(map) if !map.is_empty() => {
            for (k, v) in map {
                leaves(&format!("{prefix}.{k}"), v, out);
            }
        }
        _ => out.push((prefix.to_string(), value)),
    }
}

/// Hugo's `[markup]` (Goldmark and the highlighter). Keys are matched in any
/// letter case, as Hugo does.
fn hugo_markup(src: &Source, value: &Value, out: &mut Carried) {
    let mut all = Vec::new();
    leaves("markup", value, &mut all);
    for (path, v) in all {
        let key = path.to_ascii_lowercase();
        let what = hugo_option(&key, v);
        apply(src, &path, what, out);
    }
}

fn hugo_option(key: &str, v: &Value) -> Option_ {
    let on = v.as_bool();
    let goldmark = "markup.goldmark.";
    match (key, on) {
        ("markup.goldmark.extensions.typographer", Some(b)) => Option_::Set("smart_punctuation", b),
        ("markup.goldmark.extensions.typographer.disable", Some(b)) => {
            Option_::Set("smart_punctuation", !b)
        }
        ("markup.highlight.codefences", Some(b)) => Option_::Set("highlight", b),
        ("markup.highlight.noclasses", Some(false)) => Option_::Same,
        ("markup.highlight.noclasses" | "markup.highlight.style", _) => Option_::Not(
            "code colours come from the theme's highlight.css as CSS classes (the CSP forbids inline styles)",
        ),
        // Raw HTML is kept where safe either way; scripts are removed with a warning.
        ("markup.goldmark.renderer.unsafe", Some(true)) => Option_::Same,
        ("markup.goldmark.renderer.unsafe", _) => Option_::Not(
            "Follicle keeps raw HTML that cannot run code and removes the rest with a warning; `[markdown] raw_html`",
        ),
        ("markup.goldmark.renderer.hardwraps", Some(false)) => Option_::Same,
        ("markup.goldmark.parser.autoheadingid", Some(true)) => Option_::Same,
        ("markup.defaultmarkdownhandler", _) if v.as_str() == Some("goldmark") => Option_::Same,
        (k, Some(true)) if k.starts_with(goldmark) && k.contains(".extensions.") && is_gfm(k) => {
            Option_::Same
        }
        (k, _) if k.starts_with("markup.tableofcontents") => Option_::Not(
            "the page template's table of contents lists h2 and h3",
        ),
        (k, _) if k.starts_with("markup.highlight.") => Option_::Not(
            "Follicle's highlighter takes line numbers and highlighted lines per code block ({linenos=true hl_lines=[2]})",
        ),
        _ => Option_::Not("Follicle has no such Markdown option"),
    }
}

/// Goldmark extensions Follicle always has on.
fn is_gfm(key: &str) -> bool {
    [
        "table",
        "strikethrough",
        "tasklist",
        "definitionlist",
        "footnote",
        "linkify",
    ]
    .iter()
    .any(|e| key.ends_with(&format!(".extensions.{e}")))
}

/// Jekyll's `markdown:` (the converter).
fn jekyll_markdown(src: &Source, value: &Value, out: &mut Carried) {
    let name = value.as_str().unwrap_or("").to_ascii_lowercase();
    if !matches!(
        name.as_str(),
        "kramdown" | "gfm" | "commonmark" | "commonmarkghpages"
    ) {
        out.skip(
            src,
            "markdown",
            "Follicle reads CommonMark with GitHub's extensions",
        );
    }
}

/// Jekyll's `kramdown:` options.
fn kramdown(src: &Source, value: &Value, out: &mut Carried) {
    let Some(table) = value.as_object() else {
        return;
    };
    for (key, v) in table {
        let path = format!("kramdown.{key}");
        let what = match (key.as_str(), v) {
            ("input", Value::String(s)) if s.eq_ignore_ascii_case("gfm") => Option_::Same,
            ("input", _) => Option_::Not(
                "Follicle reads CommonMark with GitHub's extensions; kramdown-only syntax ({: .class}, markdown=\"1\") is not read",
            ),
            ("syntax_highlighter", Value::String(s)) if s == "rouge" => {
                Option_::Set("highlight", true)
            }
            ("syntax_highlighter", Value::Null) => Option_::Set("highlight", false),
            ("syntax_highlighter", Value::String(s)) if s == "nil" || s == "none" => {
                Option_::Set("highlight", false)
            }
            // Straight quotes in place of curly ones: no smart punctuation.
            ("smart_quotes", Value::String(s)) if s.contains("quot") || s.contains("apos") => {
                Option_::Set("smart_punctuation", false)
            }
            ("smart_quotes", _) => Option_::Same,
            ("auto_ids" | "parse_block_html", Value::Bool(true)) => Option_::Same,
            ("hard_wrap" | "parse_span_html", Value::Bool(false)) => Option_::Same,
            ("syntax_highlighter_opts", _) => Option_::Not(
                "Follicle's highlighter takes line numbers per code block (```rust linenos)",
            ),
            ("toc_levels", _) => Option_::Not("the page template's table of contents lists h2 and h3"),
            _ => Option_::Not("Follicle has no such Markdown option"),
        };
        apply(src, &path, what, out);
    }
}

/// `[languages.x]`: the title, description and display name; the menu.
fn languages(peer: Peer, src: &Source, value: &Value, out: &mut Carried) {
    let Some(langs) = value.as_object() else {
        return;
    };
    for (code, lang) in langs {
        let Some(keys) = lang.as_object() else {
            continue;
        };
        let mut table = toml::Table::new();
        for (key, v) in keys {
            let path = format!("languages.{code}.{key}");
            let target = match (peer, key.to_ascii_lowercase().as_str()) {
                (_, "title") => Some("title"),
                (_, "description") => Some("description"),
                (Peer::Hugo, "languagename") => Some("name"),
                (Peer::Hugo, "menu" | "menus") => {
                    super::menus::hugo_config(
                        src,
                        &format!("languages.{code}.{key}"),
                        v,
                        code,
                        out,
                    );
                    continue;
                }
                // The default language's content folder became content/.
                (Peer::Hugo, "contentdir") if is_default(src, code) => continue,
                (Peer::Zola, "taxonomies") => {
                    let names = super::list_of_names(Some(v));
                    table.insert("taxonomies".into(), names.into());
                    continue;
                }
                _ => None,
            };
            match (target, v.as_str()) {
                (Some(t), Some(s)) => {
                    table.insert(t.into(), s.into());
                }
                _ => out.skip(src, &path, "Follicle has no such language setting"),
            }
        }
        out.languages.insert(code.clone(), table);
    }
}

fn is_default(src: &Source, code: &str) -> bool {
    let default = get(src.value, "defaultContentLanguage")
        .and_then(Value::as_str)
        .unwrap_or("en");
    default.eq_ignore_ascii_case(code)
}
