//! `follicle import zola|hugo|jekyll SRC DEST`: a Follicle site from another
//! generator's site folder.
//!
//! Takes: the other site's folder (read only: nothing is ever written there).
//! Gives: DEST with `site.toml` (title, base URL, languages, taxonomies from
//! the other tool's configuration), `content/` (its Markdown and static
//! files, copied as they are: Follicle reads their front matter as written)
//! and `IMPORT-REPORT.md`, the list of what needs a person: templates, data
//! files and shortcodes or Liquid tags, each with file:line.

use std::path::{Path, PathBuf};

use crate::diagnostic::{rel, Code, Diagnostic, Failure};
use crate::parse::KeyMap;

mod carry;
pub mod in_place;
mod menus;

/// The generator a site comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    Zola,
    Hugo,
    Jekyll,
}

/// What an import wrote and what it could not carry over.
#[derive(Debug, Default)]
pub struct Report {
    /// Files written under DEST.
    pub written: usize,
    /// One line each, for the person finishing the move.
    pub needs_a_person: Vec<String>,
    /// Each file copied as it is: (where it went, where it came from).
    pub copied: Vec<(PathBuf, PathBuf)>,
    /// Each file left out (also in `needs_a_person`): its path, what was
    /// done, and what the person can do.
    pub left_out: Vec<(PathBuf, &'static str, &'static str)>,
}

/// The settings carried into `site.toml`.
#[derive(Debug, Default)]
struct Settings {
    title: String,
    base_url: Option<String>,
    default_language: String,
    languages: Vec<String>,
    taxonomies: Vec<String>,
    /// Folders of SRC whose files become `content/` (Hugo's mounts and
    /// `contentDir`; else `content`).
    content_dirs: Vec<String>,
    /// Hugo's `[languages.X] contentDir` of the other languages: each file of
    /// the folder is that language's page (`about.md` → `about.X.md`).
    language_dirs: Vec<(String, String)>,
    /// Folders of SRC copied as static files (`static`, Hugo's static mounts).
    static_dirs: Vec<String>,
}

/// Folders and files of a Jekyll site that are not content.
const JEKYLL_SKIP: &[&str] = &[
    "_site",
    "_layouts",
    "_includes",
    "_sass",
    "_data",
    "_plugins",
    "_config.yml",
    "vendor",
    "node_modules",
    "Gemfile",
    "Gemfile.lock",
    "CNAME",
];

/// Import the site at `src` into the new folder `dest`.
pub fn import(peer: Peer, src: &Path, dest: &Path) -> Result<Report, Failure> {
    check_folders(src, dest)?;
    import_into(peer, src, dest, &[])
}

/// [`import`] into `dest`, which may be inside `src` ([`in_place`]): the
/// top-level folders named in `skip` are never copied.
fn import_into(peer: Peer, src: &Path, dest: &Path, skip: &[&str]) -> Result<Report, Failure> {
    let config = read_config(peer, src)?;
    let settings = read_settings(peer, config.as_ref().map(|c| &c.value));
    let mut report = Report::default();
    let content = dest.join(crate::content::CONTENT_DIR);
    match peer {
        Peer::Zola | Peer::Hugo => {
            for dir in &settings.content_dirs {
                copy_tree(&src.join(dir), &content, &[], &mut report)?;
            }
            for (lang, dir) in &settings.language_dirs {
                let as_lang = |p: &Path| with_language(p, lang);
                copy_tree_as(&src.join(dir), &content, &[], &mut report, &as_lang)?;
            }
            for dir in &settings.static_dirs {
                copy_tree(&src.join(dir), &content, &[], &mut report)?;
            }
        }
        Peer::Jekyll => {
            let skip: Vec<&str> = JEKYLL_SKIP.iter().chain(skip).copied().collect();
            copy_tree(src, &content, &skip, &mut report)?
        }
    }
    let mut carried = carry_settings(peer, config.as_ref());
    match peer {
        Peer::Jekyll => menus::jekyll_data(src, &mut carried),
        Peer::Hugo => menus::hugo_pages(dest, &content, &settings.languages, &mut carried),
        Peer::Zola => {}
    }
    menus::finish(&content, &mut carried);
    sort_by_place(&mut carried.notes);
    report.needs_a_person.append(&mut carried.notes);
    write(
        dest,
        "site.toml",
        &site_toml(&settings, carried),
        &mut report,
    )?;
    if settings.base_url.is_none() {
        report.needs_a_person.push(
            "site.toml: no base URL was found; replace https://example.com/ with the site's address".into(),
        );
    }
    note_templates(peer, src, &mut report);
    note_tags(dest, &content, &mut report);
    let text = report_text(peer, src, &report);
    write(dest, "IMPORT-REPORT.md", &text, &mut report)?;
    Ok(report)
}

/// SRC must be a folder; DEST must be new (or empty) and not inside SRC.
fn check_folders(src: &Path, dest: &Path) -> Result<(), Failure> {
    let usage = |msg: String, hint: &str| {
        Failure::usage(
            Diagnostic::error("import", msg)
                .code(Code::Import)
                .hint(hint),
        )
    };
    let src = src.canonicalize().map_err(|e| {
        usage(
            format!("cannot read {}: {e}", src.display()),
            "give the folder of the site to import",
        )
    })?;
    if !src.is_dir() {
        return Err(usage(
            format!("{} is not a folder", src.display()),
            "give the folder of the site to import",
        ));
    }
    let dest_abs = std::path::absolute(dest).unwrap_or_else(|_| dest.to_path_buf());
    let dest_real = dest_abs
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .map(|p| p.join(dest_abs.file_name().unwrap_or_default()))
        .unwrap_or(dest_abs);
    if dest_real.starts_with(&src) {
        return Err(usage(
            format!(
                "{} is inside the site being imported; import never writes there",
                dest.display()
            ),
            "choose a new folder outside it, e.g. ../my-clinic-site",
        ));
    }
    let non_empty = std::fs::read_dir(dest)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if non_empty {
        return Err(usage(
            format!("{} already holds files", dest.display()),
            "choose a new or empty folder",
        ));
    }
    Ok(())
}

/// The other tool's configuration, read and merged.
struct PeerConfig {
    value: serde_json::Value,
    /// The files it came from, with the place of each key.
    parts: Vec<carry::Part>,
}

/// The other tool's configuration as a JSON value (any of TOML, YAML, JSON):
/// the first of `names` found, and for Hugo its `config/_default/` folder.
fn read_config(peer: Peer, src: &Path) -> Result<Option<PeerConfig>, Failure> {
    let mut config = None;
    for name in config_names(peer) {
        let Ok(text) = std::fs::read_to_string(src.join(name)) else {
            continue;
        };
        let (value, keys) = parse_config(&text, name)?;
        config = Some(PeerConfig {
            value,
            parts: vec![carry::Part {
                prefix: String::new(),
                file: name.to_string(),
                keys,
            }],
        });
        break;
    }
    if peer == Peer::Hugo {
        hugo_config_dir(src, &mut config)?;
    }
    Ok(config)
}

/// One configuration file's text as a value, with the place of each key
/// (none for JSON, whose parser does not give them).
fn parse_config(text: &str, file: &str) -> Result<(serde_json::Value, KeyMap), Failure> {
    let origin = crate::parse::Origin {
        file,
        first_line: 1,
    };
    if file.ends_with(".toml") {
        let (value, tree) = crate::parse::toml_with_tree::<serde_json::Value>(text, origin)
            .map_err(Failure::usage)?;
        Ok((value.map_err(Failure::usage)?, tree.keys))
    } else if file.ends_with(".json") {
        let value = serde_json::from_str(text).map_err(|e| {
            Failure::usage(
                Diagnostic::error(file, e.to_string())
                    .code(Code::Import)
                    .at(e.line(), e.column()),
            )
        })?;
        Ok((value, KeyMap::default()))
    } else {
        let (value, tree) = crate::parse::yaml_with_tree::<serde_json::Value>(text, origin)
            .map_err(Failure::usage)?;
        Ok((value.map_err(Failure::usage)?, tree.keys))
    }
}

/// Hugo's configuration folder `config/_default/`: `hugo.toml` (or
/// `config.toml`) holds top-level keys, `KEY.toml` the table `KEY`
/// (`params.toml`, `menus.toml`, `languages.toml`, `markup.toml`) and
/// `KEY.LANG.toml` that language's (`menus.en.toml` is
/// `[languages.en.menus]`), in any folder below. The root file's values win
/// over the folder's.
fn hugo_config_dir(src: &Path, config: &mut Option<PeerConfig>) -> Result<(), Failure> {
    let dir = src.join("config").join("_default");
    let files = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten();
    for entry in files.filter(|e| e.file_type().is_file()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((stem, "toml" | "yaml" | "yml" | "json")) = name.rsplit_once('.') else {
            continue;
        };
        let file = rel(src, entry.path());
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let (value, keys) = parse_config(&text, &file)?;
        let path: Vec<&str> = match stem.split_once('.') {
            _ if matches!(stem, "hugo" | "config") => Vec::new(),
            Some((key, lang)) => vec!["languages", lang, key],
            None => vec![stem],
        };
        let prefix: String = path.iter().map(|p| format!("{p}.")).collect();
        let config = config.get_or_insert_with(|| PeerConfig {
            value: serde_json::Value::Object(Default::default()),
            parts: Vec::new(),
        });
        merge_under(&mut config.value, &path, value);
        config.parts.push(carry::Part { prefix, file, keys });
    }
    Ok(())
}

/// Put `value` at `path` inside `into`, keeping what `into` already has
/// (tables merge key by key).
fn merge_under(into: &mut serde_json::Value, path: &[&str], value: serde_json::Value) {
    let mut at = into;
    for key in path {
        let Some(map) = at.as_object_mut() else {
            return;
        };
        at = map
            .entry(key.to_string())
            .or_insert_with(|| serde_json::json!({}));
    }
    merge(at, value);
}

/// Merge `new` into `old`; on a conflict the value already there stays.
fn merge(old: &mut serde_json::Value, new: serde_json::Value) {
    match (old, new) {
        (serde_json::Value::Object(old), serde_json::Value::Object(new)) => {
            for (k, v) in new {
                match old.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        old.insert(k, v);
                    }
                }
            }
        }
        (old, new) if old.as_object().is_some_and(|m| m.is_empty()) => *old = new,
        _ => {}
    }
}

/// A key of a config table, any letter case (Hugo's keys ignore it).
fn get<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn text(v: &serde_json::Value, key: &str) -> Option<String> {
    get(v, key)?
        .as_str()
        .map(str::to_string)
        .filter(|s| !s.trim().is_empty())
}

fn config_names(peer: Peer) -> &'static [&'static str] {
    match peer {
        Peer::Zola => &["config.toml", "zola.toml"],
        Peer::Hugo => &[
            "hugo.toml",
            "hugo.yaml",
            "hugo.yml",
            "hugo.json",
            "config.toml",
            "config.yaml",
            "config.yml",
            "config.json",
        ],
        Peer::Jekyll => &["_config.yml", "_config.yaml", "_config.toml"],
    }
}

/// The keys of each peer's configuration that [`read_settings`] reads.
fn basic_keys(peer: Peer) -> &'static [&'static str] {
    match peer {
        Peer::Zola => &["base_url", "title", "default_language", "taxonomies"],
        Peer::Hugo => &[
            "baseURL",
            "title",
            "defaultContentLanguage",
            "taxonomies",
            "contentDir",
        ],
        Peer::Jekyll => &["url", "baseurl", "title", "lang"],
    }
}

fn read_settings(peer: Peer, config: Option<&serde_json::Value>) -> Settings {
    let empty = serde_json::Value::Null;
    let config = config.unwrap_or(&empty);
    let mut s = Settings {
        // Older Jekyll sites name themselves with `name:`.
        title: text(config, "title")
            .or_else(|| {
                (peer == Peer::Jekyll)
                    .then(|| text(config, "name"))
                    .flatten()
            })
            .unwrap_or_else(|| "My clinic".into()),
        default_language: "en".into(),
        ..Settings::default()
    };
    match peer {
        Peer::Zola => {
            s.base_url = text(config, "base_url");
            s.default_language = text(config, "default_language").unwrap_or(s.default_language);
            s.taxonomies = list_of_names(get(config, "taxonomies"));
        }
        Peer::Hugo => {
            s.base_url = text(config, "baseURL");
            s.default_language =
                text(config, "defaultContentLanguage").unwrap_or(s.default_language);
            s.taxonomies = match get(config, "taxonomies").and_then(|t| t.as_object()) {
                Some(t) => t
                    .values()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                None => vec!["tags".into(), "categories".into()],
            };
        }
        Peer::Jekyll => {
            s.base_url = text(config, "url").map(|u| {
                format!(
                    "{}{}",
                    u.trim_end_matches('/'),
                    text(config, "baseurl").unwrap_or_default()
                )
            });
            s.taxonomies = vec!["tags".into(), "categories".into()];
            s.default_language = text(config, "lang")
                .map(|l| {
                    l.split(['-', '_'])
                        .next()
                        .unwrap_or("en")
                        .to_ascii_lowercase()
                })
                .unwrap_or(s.default_language);
        }
    }
    if let Some(langs) = get(config, "languages").and_then(|l| l.as_object()) {
        s.languages = langs.keys().cloned().collect();
    }
    s.content_dirs = content_dirs(config, &s.default_language);
    s.language_dirs = language_dirs(config, &s.default_language, &s.content_dirs);
    s.static_dirs = vec!["static".into()];
    s.static_dirs.extend(mounts(config, "static"));
    s.static_dirs.dedup();
    s.taxonomies.retain(|t| !slug::slugify(t).is_empty());
    s
}

/// Markdown options, menus and the site's own values of `config`.
fn carry_settings(peer: Peer, config: Option<&PeerConfig>) -> carry::Carried {
    let Some(config) = config else {
        return carry::Carried::default();
    };
    let src = carry::Source {
        value: &config.value,
        parts: &config.parts,
    };
    carry::carry(peer, &src, basic_keys(peer))
}

/// Hugo reads content from `[[module.mounts]]` with `target = "content"` or the
/// default language's `contentDir`; everyone else from `content/`.
fn content_dirs(config: &serde_json::Value, default_language: &str) -> Vec<String> {
    let mut dirs = mounts(config, "content");
    let own = get(config, "languages")
        .and_then(|l| get(l, default_language))
        .and_then(|l| text(l, "contentDir"));
    dirs.extend(own);
    dirs.extend(text(config, "contentDir"));
    if dirs.is_empty() {
        dirs.push("content".into());
    }
    dirs.dedup();
    dirs
}

/// Hugo's other languages with a `contentDir` of their own (not one of the
/// default language's folders), as (language, folder).
fn language_dirs(
    config: &serde_json::Value,
    default_language: &str,
    content_dirs: &[String],
) -> Vec<(String, String)> {
    let Some(langs) = get(config, "languages").and_then(|l| l.as_object()) else {
        return Vec::new();
    };
    langs
        .iter()
        .filter(|(lang, _)| lang.as_str() != default_language)
        .filter_map(|(lang, v)| Some((lang.to_lowercase(), text(v, "contentDir")?)))
        .filter(|(_, dir)| !content_dirs.contains(dir))
        .collect()
}

/// A Markdown file's path as language `lang`'s page (`a/_index.md` →
/// `a/_index.es.md`); other files keep their path (a bundle's photos are
/// shared by its translations).
fn with_language(path: &Path, lang: &str) -> PathBuf {
    let is_markdown = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| crate::content::MARKDOWN_EXTENSIONS.contains(&e));
    match (is_markdown, path.file_stem().and_then(|s| s.to_str())) {
        (true, Some(stem)) => {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("md");
            path.with_file_name(format!("{stem}.{lang}.{ext}"))
        }
        _ => path.to_path_buf(),
    }
}

/// The sources of Hugo's `[[module.mounts]]` with this `target`.
fn mounts(config: &serde_json::Value, target: &str) -> Vec<String> {
    get(config, "module")
        .and_then(|m| get(m, "mounts"))
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
        .filter(|m| text(m, "target").as_deref() == Some(target))
        .filter_map(|m| text(m, "source"))
        .collect()
}

/// Zola's `taxonomies = [{ name = "tags" }, …]`.
fn list_of_names(v: Option<&serde_json::Value>) -> Vec<String> {
    v.and_then(|v| v.as_array())
        .map(|items| items.iter().filter_map(|i| text(i, "name")).collect())
        .unwrap_or_default()
}

fn site_toml(s: &Settings, carried: carry::Carried) -> String {
    let mut doc = toml::Table::new();
    doc.insert("title".into(), s.title.as_str().into());
    let base = s.base_url.as_deref().unwrap_or("https://example.com/");
    doc.insert("base_url".into(), base.into());
    doc.insert(
        "default_language".into(),
        s.default_language.as_str().into(),
    );
    let taxonomies: Vec<toml::Value> = s.taxonomies.iter().map(|t| t.as_str().into()).collect();
    doc.insert("taxonomies".into(), taxonomies.into());
    doc.extend(carried.top);
    if !carried.markdown.is_empty() {
        doc.insert("markdown".into(), carried.markdown.into());
    }
    let mut langs = s.languages.clone();
    if !langs.is_empty() && !langs.contains(&s.default_language) {
        langs.insert(0, s.default_language.clone());
    }
    let mut languages = toml::Table::new();
    let mut own = carried.languages;
    for code in langs {
        let mut lang = own.remove(&code).unwrap_or_default();
        lang.entry("name").or_insert_with(|| code.as_str().into());
        languages.insert(code, lang.into());
    }
    for (code, entries) in carried.nav {
        let list = toml::Value::Array(entries.into_iter().map(nav_table).collect());
        if code.is_empty() || code == s.default_language {
            doc.insert("nav".into(), list);
        } else if let Some(toml::Value::Table(lang)) = languages.get_mut(&code) {
            lang.insert("nav".into(), list);
        }
    }
    if !languages.is_empty() {
        doc.insert("languages".into(), languages.into());
    }
    if !carried.extra.is_empty() {
        doc.insert("extra".into(), carried.extra.into());
    }
    let body = toml::to_string(&doc).unwrap_or_default();
    format!("# Written by `follicle import`; see IMPORT-REPORT.md.\n{body}")
}

fn nav_table(e: menus::NavEntry) -> toml::Value {
    let mut t = toml::Table::new();
    t.insert("name".into(), e.name.into());
    t.insert("url".into(), e.url.into());
    t.into()
}

/// Report lines `file:line:col: …` in file then line order.
fn sort_by_place(notes: &mut [String]) {
    notes.sort_by_cached_key(|n| {
        let mut parts = n.splitn(4, ':');
        let file = parts.next().unwrap_or("").to_string();
        let mut num = || {
            parts
                .next()
                .and_then(|p| p.parse::<usize>().ok())
                .unwrap_or(0)
        };
        (file, num(), num())
    });
}

/// Copy every file under `from` (if it exists) to `to`, skipping junk, links
/// and the names in `skip` at the top level.
fn copy_tree(from: &Path, to: &Path, skip: &[&str], report: &mut Report) -> Result<(), Failure> {
    copy_tree_as(from, to, skip, report, &|p| p.to_path_buf())
}

/// [`copy_tree`], each file's path inside `from` given by `rename`.
fn copy_tree_as(
    from: &Path,
    to: &Path,
    skip: &[&str],
    report: &mut Report,
    rename: &dyn Fn(&Path) -> PathBuf,
) -> Result<(), Failure> {
    if !from.is_dir() {
        return Ok(());
    }
    let walker = walkdir::WalkDir::new(from)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(crate::content::is_junk(&name)
                    || (e.depth() == 1 && skip.contains(&name.as_ref())))
        });
    for entry in walker.flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let target = to.join(rename(
            entry.path().strip_prefix(from).unwrap_or(entry.path()),
        ));
        let why = if target.exists() {
            Some((
                "not copied, a file of that name came first",
                "rename one of the two",
            ))
        } else if is_html_page(entry.path()) {
            Some(("a page written in HTML with front matter (and perhaps Liquid) is not carried over", "published as it is, it would show its front matter and tags to patients; the theme's own page stands in (404.html), or write it again in Markdown"))
        } else {
            None
        };
        if let Some((what, fix)) = why {
            let name = rel(from, entry.path());
            report
                .needs_a_person
                .push(format!("{name}:1:1: {what}: {fix}"));
            report
                .left_out
                .push((entry.path().to_path_buf(), what, fix));
            continue;
        }
        let io = |e: std::io::Error| {
            Failure::usage(
                Diagnostic::error(target.display().to_string(), format!("cannot write: {e}"))
                    .code(Code::Import),
            )
        };
        std::fs::create_dir_all(target.parent().unwrap_or(to)).map_err(io)?;
        std::fs::copy(entry.path(), &target).map_err(io)?;
        report.written += 1;
        report.copied.push((target, entry.path().to_path_buf()));
    }
    Ok(())
}

/// An `.html` file that starts with front matter: a page the other tool
/// renders through its templates (Jekyll's `404.html`, Hugo's HTML content),
/// not a file to publish as it is.
fn is_html_page(path: &Path) -> bool {
    use std::io::Read;
    let html = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    let mut head = [0u8; 4];
    html && std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && (head.starts_with(b"---\n") || head.starts_with(b"---\r") || head.starts_with(b"+++"))
}

fn write(dest: &Path, name: &str, text: &str, report: &mut Report) -> Result<(), Failure> {
    let path: PathBuf = dest.join(name);
    std::fs::create_dir_all(dest)
        .and_then(|_| std::fs::write(&path, text))
        .map_err(|e| {
            Failure::usage(
                Diagnostic::error(path.display().to_string(), format!("cannot write: {e}"))
                    .code(Code::Import),
            )
        })?;
    report.written += 1;
    Ok(())
}

/// Templates, layouts and data files stay behind: a Follicle theme renders.
fn note_templates(peer: Peer, src: &Path, report: &mut Report) {
    let folders: &[&str] = match peer {
        Peer::Zola => &["templates", "themes", "sass"],
        Peer::Hugo => &["layouts", "themes", "data", "assets", "archetypes", "i18n"],
        Peer::Jekyll => &["_layouts", "_includes", "_sass", "_data", "_plugins"],
    };
    for folder in folders {
        let count = walkdir::WalkDir::new(src.join(folder))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .count();
        if count > 0 {
            report.needs_a_person.push(format!(
                "{folder}/: {count} files not carried over (templates, styles and data belong to the old theme); choose or write a Follicle theme"
            ));
        }
    }
}

/// Lines with tags listed per file in the report.
const TAGS_LISTED: usize = 5;

/// Shortcodes and Liquid tags in the copied Markdown, each at file:line.
fn note_tags(dest: &Path, content: &Path, report: &mut Report) {
    for entry in walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy();
        if crate::content::markdown_stem(&name).is_none() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let file = rel(dest, entry.path());
        let tagged: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                // Zola's `{{/* … */}}` shows a shortcode as text: not a tag.
                let l = l.replace("{{/*", "").replace("{%/*", "");
                l.contains("{{") || l.contains("{%")
            })
            .collect();
        // The first few of a file are listed; the rest are counted.
        if tagged.len() > TAGS_LISTED {
            report.needs_a_person.push(format!(
                "{file}: {} lines with template tags or shortcodes; the first {TAGS_LISTED} follow",
                tagged.len()
            ));
        }
        for &(i, line) in tagged.iter().take(TAGS_LISTED) {
            let Some(at) = ["{{<", "{{%", "{%", "{{"].iter().find_map(|m| line.find(m)) else {
                continue;
            };
            // Zola's `{{/* … */}}` is the way to show a shortcode as text.
            if line[at + 2..].starts_with("/*") {
                continue;
            }
            let tag: String = line[at..].chars().take(60).collect();
            report.needs_a_person.push(format!(
                "{file}:{}:{}: a template tag or shortcode, `{}`: check how the page shows it",
                i + 1,
                line[..at].chars().count() + 1,
                tag.trim_end()
            ));
        }
    }
}

fn report_text(peer: Peer, src: &Path, report: &Report) -> String {
    let mut out = format!(
        "# Import from {:?} ({})\n\nThe content was copied as it is: Follicle reads Zola, Hugo and Jekyll front matter.\nBuild with `follicle build`; `follicle check` lists what else to look at.\n\n## Needs a person\n\n",
        peer,
        src.display()
    );
    if report.needs_a_person.is_empty() {
        out.push_str("Nothing.\n");
    }
    for line in &report.needs_a_person {
        out.push_str(&format!("- {line}\n"));
    }
    out
}
