//! Menus into `[[nav]]`: Hugo's `[menu]`/`[menus]` and front-matter `menu`,
//! a Zola theme's `[extra] menu`-style list, Jekyll's `_data/navigation.yml`
//! and minima's `header_pages`. Follicle has one menu per language, one level
//! deep: the `main` menu is carried; other menus and nested entries are named
//! in the report.

use std::path::Path;

use serde_json::Value;

use super::carry::{Carried, Part, Source};
use super::{get, text};
use crate::diagnostic::rel;
use crate::parse::{KeyMap, Origin};

/// One `[[nav]]` link.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NavEntry {
    pub name: String,
    /// `/path/`, `@/file.md` or an address.
    pub url: String,
    /// Hugo's order (0: unset, after the weighted ones).
    pub weight: i64,
    /// Hugo's `pageRef` (`/about`), found among the copied files later.
    pub page_ref: Option<String>,
    /// Where it was written, for the report.
    pub at: String,
}

/// Hugo's `[menu]` or `[menus]` at `path` (site or language level).
pub(super) fn hugo_config(src: &Source, path: &str, value: &Value, lang: &str, out: &mut Carried) {
    let Some(menus) = value.as_object() else {
        out.skip(
            src,
            path,
            "a menu is a table of named lists ([[menu.main]])",
        );
        return;
    };
    for (menu, entries) in menus {
        let at = format!("{path}.{menu}");
        if !menu.eq_ignore_ascii_case("main") {
            let why =
                "the theme has one menu (`[[nav]]`, Hugo's `main`); link these pages from a page";
            out.skip(src, &at, why);
            continue;
        }
        for (i, entry) in entries.as_array().into_iter().flatten().enumerate() {
            let at = format!("{at}.{i}");
            if let Some(parent) = text(entry, "parent") {
                let why = format!("it sits under `{parent}`, and the menu is one level deep");
                out.skip(src, &at, &why);
                continue;
            }
            let name = text(entry, "name").or_else(|| text(entry, "identifier"));
            let page_ref = text(entry, "pageRef");
            let url = text(entry, "url");
            let Some(name) = name.filter(|_| url.is_some() || page_ref.is_some()) else {
                out.skip(src, &at, "a menu entry needs a name and a url or pageRef");
                continue;
            };
            push(
                out,
                lang,
                NavEntry {
                    name,
                    url: url.unwrap_or_default(),
                    weight: get(entry, "weight").and_then(Value::as_i64).unwrap_or(0),
                    page_ref,
                    at: src.at(&at),
                },
            );
        }
    }
}

fn push(out: &mut Carried, lang: &str, entry: NavEntry) {
    out.nav.entry(lang.to_string()).or_default().push(entry);
}

/// Keys Zola themes give their menu list under `[extra]`.
const ZOLA_MENU_KEYS: &[&str] = &[
    "menu",
    "main_menu",
    "menu_items",
    "navbar_items",
    "nav_links",
];

/// A Zola theme's `[extra] menu = [{ name = "Blog", url = "$BASE_URL/blog" }]`
/// (or a table of such lists by language). The list stays in `[extra]` too.
pub(super) fn zola_extra(src: &Source, out: &mut Carried) {
    let Some(extra) = get(src.value, "extra") else {
        return;
    };
    let Some((key, value)) = ZOLA_MENU_KEYS
        .iter()
        .find_map(|k| Some((*k, get(extra, k)?)))
    else {
        return;
    };
    let path = format!("extra.{key}");
    match value {
        Value::Array(items) => zola_list(src, &path, items, "", out),
        Value::Object(by_lang) => {
            for (lang, items) in by_lang {
                if let Some(items) = items.as_array() {
                    zola_list(src, &format!("{path}.{lang}"), items, lang, out);
                }
            }
        }
        _ => out.skip(src, &path, "a menu is a list of { name, url } tables"),
    }
}

fn zola_list(src: &Source, path: &str, items: &[Value], lang: &str, out: &mut Carried) {
    for (i, item) in items.iter().enumerate() {
        let at = format!("{path}.{i}");
        let name = ["name", "title", "text"].iter().find_map(|k| text(item, k));
        let url = ["url", "path", "link", "href"]
            .iter()
            .find_map(|k| text(item, k));
        let (Some(name), Some(url)) = (name, url) else {
            out.skip(src, &at, "a menu entry needs a name and a url");
            continue;
        };
        let trailing = get(item, "trailing_slash").and_then(Value::as_bool) != Some(false);
        push(
            out,
            lang,
            NavEntry {
                name,
                url: site_url(&url, trailing),
                weight: 0,
                page_ref: None,
                at: src.at(&at),
            },
        );
    }
}

/// A menu URL as Follicle writes it: `$BASE_URL/blog` and `blog` become
/// `/blog/`; addresses and `/paths` stay.
fn site_url(url: &str, trailing_slash: bool) -> String {
    let url = url.trim();
    if url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.starts_with("//")
    {
        return url.to_string();
    }
    let bare = url
        .trim_start_matches("$BASE_URL")
        .trim_start_matches("{{ site.baseurl }}")
        .trim_start_matches('/');
    let mut out = format!("/{bare}");
    let last = bare.rsplit('/').next().unwrap_or("");
    let plain = !bare.is_empty() && !last.contains(['.', '#', '?']) && !bare.ends_with('/');
    if trailing_slash && plain {
        out.push('/');
    }
    out
}

/// Jekyll's `_data/navigation.yml`: a list of `{ title, url }`, or lists by
/// name (`main:` is the menu; Minimal Mistakes' sidebars are not).
pub(super) fn jekyll_data(src_dir: &Path, out: &mut Carried) {
    for name in ["_data/navigation.yml", "_data/navigation.yaml"] {
        let Ok(text) = std::fs::read_to_string(src_dir.join(name)) else {
            continue;
        };
        let origin = Origin {
            file: name,
            first_line: 1,
        };
        let parsed = crate::parse::yaml_with_tree::<serde::de::IgnoredAny>(&text, origin);
        let (Ok((_, tree)), Ok(value)) = (parsed, serde_saphyr::from_str::<Value>(&text)) else {
            out.notes
                .push(format!("{name}: not carried over: it is not valid YAML"));
            return;
        };
        let parts = [Part {
            prefix: String::new(),
            file: name.to_string(),
            keys: tree.keys,
        }];
        let src = Source {
            value: &value,
            parts: &parts,
        };
        match &value {
            Value::Array(items) => jekyll_list(&src, "", items, out),
            Value::Object(menus) => {
                for (key, items) in menus {
                    match items.as_array() {
                        Some(items) if key == "main" => jekyll_list(&src, key, items, out),
                        _ => out.skip(&src, key, "the theme has one menu (`[[nav]]`, from `main`)"),
                    }
                }
            }
            _ => out.notes.push(format!(
                "{name}: not carried over: it holds no list of links"
            )),
        }
        return;
    }
}

fn jekyll_list(src: &Source, path: &str, items: &[Value], out: &mut Carried) {
    for (i, item) in items.iter().enumerate() {
        let at = if path.is_empty() {
            i.to_string()
        } else {
            format!("{path}.{i}")
        };
        let name = ["title", "name", "text"].iter().find_map(|k| text(item, k));
        let url = ["url", "link", "href"].iter().find_map(|k| text(item, k));
        let (Some(name), Some(url)) = (name, url) else {
            out.skip(src, &at, "a menu entry needs a title and a url");
            continue;
        };
        if get(item, "children").is_some() {
            out.skip(src, &format!("{at}.children"), "the menu is one level deep");
        }
        push(
            out,
            "",
            NavEntry {
                name,
                url: site_url(&url, false),
                weight: 0,
                page_ref: None,
                at: src.at(&at),
            },
        );
    }
}

/// minima's `header_pages: [about.md, contact.md]`.
pub(super) fn jekyll_header_pages(src: &Source, value: &Value, out: &mut Carried) {
    for (i, file) in value.as_array().into_iter().flatten().enumerate() {
        let Some(file) = file.as_str() else { continue };
        let stem = file.rsplit('/').next().unwrap_or(file);
        let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
        let mut name = stem.replace(['-', '_'], " ");
        if let Some(first) = name.get(..1) {
            name = first.to_uppercase() + &name[1..];
        }
        push(
            out,
            "",
            NavEntry {
                name,
                url: format!("@/{}", file.trim_start_matches('/')),
                weight: 0,
                page_ref: None,
                at: src.at(&format!("header_pages.{i}")),
            },
        );
    }
}

/// Hugo front-matter `menu: main`, `menu: [main, footer]` or
/// `menu: { main: { weight: 2, name: "…" } }` in the copied pages.
pub(super) fn hugo_pages(dest: &Path, content: &Path, languages: &[String], out: &mut Carried) {
    for entry in walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy();
        let Some(stem) = crate::content::markdown_stem(&name) else {
            continue;
        };
        let Ok(file_text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        if !file_text.contains("menu") {
            continue;
        }
        let file = rel(dest, entry.path());
        let Some((front, keys)) = front_matter(&file_text, &file) else {
            continue;
        };
        let Some((key, menu)) = ["menu", "menus"]
            .iter()
            .find_map(|k| Some((*k, get(&front, k)?)))
        else {
            continue;
        };
        let page = rel(content, entry.path());
        let lang = stem
            .rsplit_once('.')
            .map(|(_, l)| l)
            .filter(|l| languages.iter().any(|x| x == l))
            .unwrap_or("");
        let parts = [Part {
            prefix: String::new(),
            file: file.clone(),
            keys,
        }];
        let src = Source {
            value: &front,
            parts: &parts,
        };
        let title = text(&front, "linkTitle")
            .or_else(|| text(&front, "title"))
            .unwrap_or_else(|| stem.to_string());
        let weight = get(&front, "weight").and_then(Value::as_i64).unwrap_or(0);
        let page = PageMenu {
            src: &src,
            key,
            menu,
            title,
            url: format!("@/{page}"),
            weight,
            lang,
        };
        page_entries(&page, out);
    }
}

/// One page's `menu` front matter, read.
struct PageMenu<'a> {
    src: &'a Source<'a>,
    key: &'a str,
    menu: &'a Value,
    title: String,
    url: String,
    weight: i64,
    lang: &'a str,
}

/// The `main` entries of one page's `menu`; the others are named.
fn page_entries(p: &PageMenu, out: &mut Carried) {
    let menus: Vec<(String, Value)> = match p.menu {
        Value::String(m) => vec![(m.clone(), Value::Null)],
        Value::Array(ms) => ms
            .iter()
            .filter_map(|m| Some((m.as_str()?.to_string(), Value::Null)))
            .collect(),
        Value::Object(ms) => ms.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        _ => Vec::new(),
    };
    for (m, opts) in menus {
        let at = if p.menu.is_object() {
            format!("{}.{m}", p.key)
        } else {
            p.key.to_string()
        };
        if !m.eq_ignore_ascii_case("main") {
            let why = format!("the theme has one menu (`[[nav]]`, Hugo's `main`), not `{m}`");
            out.skip(p.src, &at, &why);
            continue;
        }
        if let Some(parent) = text(&opts, "parent") {
            let why = format!("it sits under `{parent}`, and the menu is one level deep");
            out.skip(p.src, &at, &why);
            continue;
        }
        let entry = NavEntry {
            name: text(&opts, "name").unwrap_or_else(|| p.title.clone()),
            url: p.url.clone(),
            weight: get(&opts, "weight")
                .and_then(Value::as_i64)
                .unwrap_or(p.weight),
            page_ref: None,
            at: p.src.at(&at),
        };
        push(out, p.lang, entry);
    }
}

/// A page's front matter as a value with its key places (`None` when it
/// does not parse: the build reports that).
fn front_matter(text: &str, file: &str) -> Option<(Value, KeyMap)> {
    let text = text.replace("\r\n", "\n");
    let split = crate::content::frontmatter::split(&text, file).ok()?;
    let origin = Origin {
        file,
        first_line: split.front_line,
    };
    let (_, tree) = match split.format {
        crate::content::frontmatter::Format::Toml => {
            crate::parse::toml_with_tree::<serde::de::IgnoredAny>(split.front, origin).ok()?
        }
        crate::content::frontmatter::Format::Yaml => {
            crate::parse::yaml_with_tree::<serde::de::IgnoredAny>(split.front, origin).ok()?
        }
        crate::content::frontmatter::Format::None => return None,
    };
    Some((Value::Object(tree.entries.into_iter().collect()), tree.keys))
}

/// Put each menu in order, find `pageRef`s and `@/` links among the copied
/// files, and check addresses against the URL policy: what cannot be linked
/// is named in the report and left out (the build would refuse it).
pub(super) fn finish(content: &Path, out: &mut Carried) {
    let mut notes = Vec::new();
    for entries in out.nav.values_mut() {
        // Hugo: weighted entries first, by weight; then the rest, in order.
        entries.sort_by_key(|e| (e.weight == 0, e.weight));
        entries.retain_mut(|e| match settle(content, e) {
            Ok(()) => true,
            Err(why) => {
                notes.push(format!(
                    "{}: the menu link `{}` is not carried over: {why}",
                    e.at, e.name
                ));
                false
            }
        });
    }
    out.nav.retain(|_, v| !v.is_empty());
    out.notes.extend(notes);
}

fn settle(content: &Path, e: &mut NavEntry) -> Result<(), String> {
    if let Some(r) = e.page_ref.take() {
        let r = r.trim_matches('/');
        let found = [
            r.to_string(),
            format!("{r}.md"),
            format!("{r}/_index.md"),
            format!("{r}/index.md"),
        ]
        .into_iter()
        .find(|c| c.ends_with(".md") && content.join(c).is_file());
        e.url = match found {
            Some(f) => format!("@/{f}"),
            None if e.url.is_empty() => {
                return Err(format!("its pageRef `{r}` names no page in content/"))
            }
            None => std::mem::take(&mut e.url),
        };
    }
    if let Some(file) = page_at(content, &e.url) {
        e.url = format!("@/{file}");
    }
    if let Some(file) = e.url.strip_prefix("@/") {
        let file = file.split('#').next().unwrap_or(file);
        return if content.join(file).is_file() {
            Ok(())
        } else {
            Err(format!("`{file}` is not in content/"))
        };
    }
    crate::url_policy::check(&e.url)
}

/// The page a site path such as `/aftercare/` or `/about/#hours` was made
/// from, when its file is where the path says (`aftercare/_index.md`,
/// `about.md`, `about/index.md`), with the anchor: as an `@/` link the build
/// checks it and each language's menu leads to its translation.
fn page_at(content: &Path, url: &str) -> Option<String> {
    let (path, anchor) = url.split_once('#').map_or((url, ""), |(p, a)| (p, a));
    let bare = path.strip_prefix('/')?.trim_end_matches('/');
    if bare.is_empty() || path.starts_with("//") || bare.contains(['?', '.']) {
        return None;
    }
    let file = [
        format!("{bare}.md"),
        format!("{bare}/_index.md"),
        format!("{bare}/index.md"),
    ]
    .into_iter()
    .find(|f| content.join(f).is_file())?;
    Some(if anchor.is_empty() {
        file
    } else {
        format!("{file}#{anchor}")
    })
}
