//! Themes: find the theme chain, load its templates into Tera, list its static files.
//!
//! Takes: the site root and the theme name. Gives: a [`Theme`] (compiled Tera, the
//! file behind every template for messages, the static files to copy). A theme may
//! `extends` another; the `clinic` theme embedded in the binary is always last, so a
//! site with no `themes/` folder still builds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use serde::Deserialize;

use crate::diagnostic::{rel, Code, Context, Diagnostic};
use crate::markdown::shortcodes::{TemplateError, TemplateInfo, Templates};
use crate::parse::{self, Origin};

/// The default theme, compiled into the binary.
pub static EMBEDDED_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/clinic");
pub const EMBEDDED_NAME: &str = "clinic";
pub const THEMES_DIR: &str = "themes";
pub use crate::config::SITE_STATIC_DIR;

/// Templates every theme chain must provide (the embedded theme has all of them).
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "section.html",
    "page.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "404.html",
    "sitemap.xml",
    "robots.txt",
    "atom.xml",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeToml {
    name: Option<String>,
    #[serde(default)]
    description: String,
    extends: Option<String>,
    #[serde(default)]
    author: String,
    /// Front matter keys the theme's templates read from `page.extra`, each
    /// with the values it knows (an empty list: any value).
    #[serde(default)]
    extra_keys: BTreeMap<String, Vec<String>>,
}

/// Where a theme file comes from.
#[derive(Debug, Clone)]
pub enum FileSource {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

/// A loaded theme chain.
pub struct Theme {
    pub tera: tera::Tera,
    /// Template name → the file it came from, relative to the site root
    /// (`themes/clinic/templates/page.html`, or `(built-in clinic theme)/page.html`).
    pub template_files: BTreeMap<String, String>,
    /// Output path → source, child themes first-come.
    pub static_files: BTreeMap<String, FileSource>,
    /// The chain, child first, for messages: `["my-clinic", "clinic", "(built-in)"]`.
    pub chain: Vec<String>,
    /// Translated strings per language, for `i18n/<lang>.toml`.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    /// Shortcode name → its template (`templates/shortcodes/NAME.html` or
    /// `.md`), from the first theme in the chain that has one.
    pub shortcodes: BTreeMap<String, TemplateInfo>,
    /// Theme files skipped (links leaving `themes/`, unreadable entries).
    pub warnings: Vec<Diagnostic>,
    /// `page.extra` keys the templates read (found in their text, or declared
    /// under `[extra_keys]` in theme.toml), with the values the theme knows
    /// (empty: any), for the misspelt-key warnings of the build.
    pub extra_keys: BTreeMap<String, Vec<String>>,
    /// The site `resize_image` and `image_meta` work for while rendering.
    pub image_fns: std::sync::Arc<crate::images::template::Slot>,
}

impl Templates for Theme {
    fn lookup(&self, name: &str) -> Option<TemplateInfo> {
        self.shortcodes.get(name).cloned()
    }

    fn names(&self) -> Vec<String> {
        self.shortcodes.keys().cloned().collect()
    }

    fn render(&self, info: &TemplateInfo, ctx: &tera::Context) -> Result<String, TemplateError> {
        self.tera.render(&info.tera_name, ctx).map_err(|e| {
            let d = template_error(&e, &self.template_files, None).unwrap_or_else(|| {
                Diagnostic::error(&info.file, e.to_string()).code(Code::Template)
            });
            // Tera names the file of a template error by its template name.
            let file = if d.file.starts_with(THEMES_DIR) || d.file.starts_with('(') {
                d.file
            } else {
                info.file.clone()
            };
            TemplateError {
                file,
                line: d.line,
                message: d.message,
            }
        })
    }
}

/// Tera filter `markdown` (Zola's): Markdown text to HTML, its raw HTML cleaned
/// as in pages; `inline=true` drops the paragraph around one line. A shortcode's
/// `body`, already HTML, is given back as it is.
fn markdown_filter(
    val: tera::Value,
    kwargs: tera::Kwargs,
    _: &tera::State,
) -> tera::TeraResult<tera::Value> {
    if val.is_safe() {
        return Ok(val);
    }
    let text = val.as_str().map_or_else(|| val.to_string(), str::to_string);
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new_ext(&text, crate::markdown::parser_options(false));
    pulldown_cmark::html::push_html(&mut html, parser);
    let mut html = crate::markdown::raw_html::clean(&html);
    if kwargs.get::<bool>("inline")?.unwrap_or(false) {
        let t = html.trim();
        if let Some(inner) = t.strip_prefix("<p>").and_then(|t| t.strip_suffix("</p>")) {
            if !inner.contains("<p>") {
                html = inner.to_string();
            }
        }
    }
    Ok(tera::Value::safe_string(&html))
}

/// `striptags`: the text without its `<…>` tags (kept safe when it was).
fn striptags_filter(
    val: tera::Value,
    _: tera::Kwargs,
    _: &tera::State,
) -> tera::TeraResult<tera::Value> {
    let safe = val.is_safe();
    let text = val.as_str().map_or_else(|| val.to_string(), str::to_string);
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match (in_tag, c) {
            (false, '<') => in_tag = true,
            (true, '>') => in_tag = false,
            (false, c) => out.push(c),
            (true, _) => {}
        }
    }
    let out = out.trim().to_string();
    Ok(if safe {
        tera::Value::safe_string(&out)
    } else {
        tera::Value::from(out)
    })
}

/// The shortcode templates of the stacked layers: a layer's `NAME.html` or
/// `NAME.md` (HTML first) hides every later layer's.
fn shortcode_templates(layers: &[Layer]) -> BTreeMap<String, TemplateInfo> {
    use std::hash::{Hash, Hasher};
    let mut out = BTreeMap::new();
    let builtin = format!("(built-in {EMBEDDED_NAME} theme)");
    for layer in layers {
        let mut mine: Vec<&(String, String, String)> = layer
            .templates
            .iter()
            .filter(|(n, _, _)| n.starts_with("shortcodes/"))
            .collect();
        mine.sort_by_key(|(n, _, _)| !n.ends_with(".html"));
        for (tera_name, text, file) in mine {
            let rest = &tera_name["shortcodes/".len()..];
            let (name, markdown) = match (rest.strip_suffix(".html"), rest.strip_suffix(".md")) {
                (Some(n), _) => (n, false),
                (_, Some(n)) => (n, true),
                _ => continue,
            };
            if name.contains('/') || out.contains_key(name) {
                continue;
            }
            let mut h = std::hash::DefaultHasher::new();
            (text, file).hash(&mut h);
            out.insert(
                name.to_string(),
                TemplateInfo {
                    tera_name: tera_name.clone(),
                    markdown,
                    file: file.clone(),
                    // The clinic theme's own shortcodes, embedded or as a
                    // `themes/clinic/` folder on disk (this repository's own
                    // site uses the folder).
                    builtin: layer.label == builtin || layer.label == EMBEDDED_NAME,
                    hash: h.finish(),
                },
            );
        }
    }
    out
}

struct Layer {
    label: String,
    /// Links that leave `themes/` (skipped), unreadable entries.
    warnings: Vec<Diagnostic>,
    templates: Vec<(String, String, String)>,
    statics: Vec<(String, FileSource)>,
    strings: BTreeMap<String, BTreeMap<String, String>>,
    extra_keys: BTreeMap<String, Vec<String>>,
}

/// Load the theme named in `site.toml`, its parents, and the embedded default.
pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let mut layers = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut next = Some(name.to_string());
    while let Some(theme) = next.take() {
        if seen.contains(&theme) {
            seen.push(theme.clone());
            let file = format!("{THEMES_DIR}/{theme}/theme.toml");
            return Err(vec![at_key(
                root,
                Diagnostic::error(
                    &file,
                    format!("themes extend each other in a circle: {}", seen.join(" → ")),
                )
                .code(Code::Theme),
                "extends",
            )
            .hint("remove `extends` from one of them")]);
        }
        seen.push(theme.clone());
        let (file, key) = if layers.is_empty() {
            ("site.toml".to_string(), "theme")
        } else {
            (
                format!("{THEMES_DIR}/{}/theme.toml", seen[seen.len() - 2]),
                "extends",
            )
        };
        if let Err(why) = check_name(&theme) {
            let d = Diagnostic::error(file, why).code(Code::Theme);
            return Err(vec![at_key(root, d, key).hint(
                "name a folder inside themes/, e.g. theme = \"my-clinic\" for themes/my-clinic/",
            )]);
        }
        let dir = root.join(THEMES_DIR).join(&theme);
        if dir.is_dir() {
            confined(root, &dir).map_err(|d| vec![d])?;
            let (layer, parent) = load_disk_layer(root, &dir, &theme).map_err(|d| vec![d])?;
            layers.push(layer);
            next = parent;
        } else if theme == EMBEDDED_NAME {
            break;
        } else {
            let d = Diagnostic::error(
                file,
                format!("there is no theme `{theme}` (looked for {THEMES_DIR}/{theme}/)"),
            )
            .code(Code::Theme);
            return Err(vec![at_key(root, d, key).hint(format!(
                "create {THEMES_DIR}/{theme}/ or use the built-in theme \"{EMBEDDED_NAME}\""
            ))]);
        }
    }
    layers.push(embedded_layer());
    if let Some(site) = site_static_layer(root) {
        layers.insert(0, site);
    }
    assemble(layers)
}

/// The site's own `static/` folder, as Zola and Hugo have it: its files are
/// published at the output's root, over a theme's file of the same name.
fn site_static_layer(root: &Path) -> Option<Layer> {
    let dir = root.join(SITE_STATIC_DIR);
    if !dir.is_dir() {
        return None;
    }
    let mut layer = Layer {
        label: format!("{SITE_STATIC_DIR}/"),
        warnings: Vec::new(),
        templates: Vec::new(),
        statics: Vec::new(),
        strings: BTreeMap::new(),
        extra_keys: BTreeMap::new(),
    };
    for (rel_name, path) in files_under(root, &dir, &dir, &mut layer.warnings) {
        layer.statics.push((rel_name, FileSource::Disk(path)));
    }
    Some(layer)
}

/// A theme is named by one folder inside `themes/`: no `/`, `\\`, `..`,
/// absolute paths or control characters (`theme = "../../outside"` would load
/// templates and publish static files from anywhere).
fn check_name(name: &str) -> Result<(), String> {
    let bad = name.is_empty()
        || name == "."
        || name == ".."
        || name.contains(['/', '\\', ':'])
        || name.chars().any(char::is_control);
    if bad {
        return Err(format!(
            "the theme name `{}` is not a folder name inside themes/",
            name.escape_debug()
        ));
    }
    Ok(())
}

/// The theme folder must really be inside `themes/`: a `themes/x` that links
/// elsewhere is refused, as `content/` refuses links that leave it.
fn confined(root: &Path, dir: &Path) -> Result<(), Diagnostic> {
    let themes = root.join(THEMES_DIR).canonicalize();
    let target = dir.canonicalize();
    match (themes, target) {
        (Ok(themes), Ok(target)) if target.starts_with(&themes) => Ok(()),
        (_, target) => Err(Diagnostic::error(
            rel(root, dir),
            format!(
                "this theme folder is a link leading outside themes/ (to {})",
                target.map(|t| t.display().to_string()).unwrap_or_default()
            ),
        )
        .code(Code::Symlink)
        .hint("copy the theme into themes/ instead of linking to it")),
    }
}

fn load_disk_layer(
    root: &Path,
    dir: &Path,
    name: &str,
) -> Result<(Layer, Option<String>), Diagnostic> {
    let toml_path = dir.join("theme.toml");
    let file = rel(root, &toml_path);
    let meta: ThemeToml = if toml_path.is_file() {
        let text = std::fs::read_to_string(&toml_path).map_err(|e| {
            Diagnostic::error(&file, format!("cannot read: {e}")).code(Code::Unreadable)
        })?;
        parse::toml(
            &text,
            Origin {
                file: &file,
                first_line: 1,
            },
        )?
    } else {
        ThemeToml {
            name: None,
            description: String::new(),
            extends: None,
            author: String::new(),
            extra_keys: BTreeMap::new(),
        }
    };
    let _ = (&meta.name, &meta.description, &meta.author);
    let mut layer = Layer {
        label: name.to_string(),
        warnings: Vec::new(),
        templates: Vec::new(),
        statics: Vec::new(),
        strings: BTreeMap::new(),
        extra_keys: meta.extra_keys,
    };
    let confine = root.join(THEMES_DIR);
    let mut under = |sub: &str| files_under(root, &confine, &dir.join(sub), &mut layer.warnings);
    let (templates, statics, i18n) = (under("templates"), under("static"), under("i18n"));
    for (rel_name, path) in templates {
        let text = std::fs::read(&path).map_err(|e| {
            Diagnostic::error(rel(root, &path), format!("cannot read: {e}")).code(Code::Unreadable)
        })?;
        let text = crate::content::decode(text, &rel(root, &path))?;
        layer.templates.push((rel_name, text, rel(root, &path)));
    }
    for (rel_name, path) in statics {
        layer.statics.push((rel_name, FileSource::Disk(path)));
    }
    for (rel_name, path) in i18n {
        let Some(lang) = rel_name.strip_suffix(".toml") else {
            continue;
        };
        let f = rel(root, &path);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(&f, format!("cannot read: {e}")).code(Code::Unreadable)
        })?;
        let strings: BTreeMap<String, String> = parse::toml(
            &text,
            Origin {
                file: &f,
                first_line: 1,
            },
        )?;
        layer.strings.insert(lang.to_string(), strings);
    }
    Ok((layer, meta.extends))
}

/// Files under `dir`, as (path relative to `dir` with `/`, full path), junk
/// skipped. Links are followed only while they stay inside `confine` (the
/// site's `themes/`); one that leaves it (`static -> /etc`) is skipped with
/// a warning, as in `content/`.
fn files_under(
    root: &Path,
    confine: &Path,
    dir: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let inside = confine
        .canonicalize()
        .unwrap_or_else(|_| confine.to_path_buf());
    let mut out = Vec::new();
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::content::is_junk(&e.file_name().to_string_lossy())
        });
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let file = e
                    .path()
                    .map(|p| rel(root, p))
                    .unwrap_or_else(|| rel(root, dir));
                warnings.push(
                    Diagnostic::warning(
                        file,
                        format!("this theme file cannot be read ({e}); it was skipped"),
                    )
                    .code(Code::Unreadable)
                    .hint("fix or remove the link or file"),
                );
                continue;
            }
        };
        let is_link = entry.path_is_symlink()
            || std::fs::symlink_metadata(entry.path()).is_ok_and(|m| m.is_symlink());
        if is_link {
            let target = entry.path().canonicalize();
            if !target.as_ref().is_ok_and(|t| t.starts_with(&inside)) {
                warnings.push(
                    Diagnostic::warning(
                        rel(root, entry.path()),
                        format!(
                            "this symlink leads outside {}/ (to {}); it was skipped",
                            rel(root, confine),
                            target.map(|t| t.display().to_string()).unwrap_or_default()
                        ),
                    )
                    .code(Code::Symlink)
                    .hint("copy the files in instead of linking to them"),
                );
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if entry.file_type().is_file() {
            out.push((rel(dir, entry.path()), entry.path().to_path_buf()));
        }
    }
    out
}

fn embedded_layer() -> Layer {
    let mut layer = Layer {
        label: format!("(built-in {EMBEDDED_NAME} theme)"),
        warnings: Vec::new(),
        templates: Vec::new(),
        statics: Vec::new(),
        strings: BTreeMap::new(),
        extra_keys: EMBEDDED_THEME
            .get_file("theme.toml")
            .and_then(|f| toml::from_str::<ThemeToml>(&String::from_utf8_lossy(f.contents())).ok())
            .map(|t| t.extra_keys)
            .unwrap_or_default(),
    };
    let mut stack = vec![&EMBEDDED_THEME];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for f in dir.files() {
            let path = f.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(f.contents()).into_owned();
                layer.templates.push((
                    name.to_string(),
                    text,
                    format!("(built-in {EMBEDDED_NAME} theme)/templates/{name}"),
                ));
            } else if let Some(name) = path.strip_prefix("static/") {
                layer
                    .statics
                    .push((name.to_string(), FileSource::Embedded(f.contents())));
            } else if let Some(lang) = path
                .strip_prefix("i18n/")
                .and_then(|n| n.strip_suffix(".toml"))
            {
                let text = String::from_utf8_lossy(f.contents());
                if let Ok(strings) = toml::from_str::<BTreeMap<String, String>>(&text) {
                    layer.strings.insert(lang.to_string(), strings);
                }
            }
        }
    }
    layer
}

/// Point `d` at `key` in its (TOML) file, when the key is there.
fn at_key(root: &Path, d: Diagnostic, key: &str) -> Diagnostic {
    let text = std::fs::read_to_string(root.join(&d.file)).unwrap_or_default();
    match crate::parse::find_key(&text, key, 1) {
        Some((line, column)) => d.at(line, column),
        None => d,
    }
}

/// Where a `{% keyword … %}` tag naming `name` starts in a template's text.
fn tag_position(text: &str, keyword: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(at) = text[from..].find("{%") {
        let start = from + at;
        let inner = text[start + 2..].trim_start_matches(['-', ' ', '\t', '\n', '\r']);
        let end = inner.find("%}").unwrap_or(inner.len());
        if inner.starts_with(keyword) && inner[..end].contains(name) {
            return Some(crate::diagnostic::line_col(text, start));
        }
        from = start + 2;
    }
    None
}

/// The layers merged: the first layer to provide a template, file, string or
/// extra key wins.
#[derive(Default)]
struct Stacked {
    templates: BTreeMap<String, (String, String)>,
    static_files: BTreeMap<String, FileSource>,
    strings: BTreeMap<String, BTreeMap<String, String>>,
    warnings: Vec<Diagnostic>,
    extra_keys: BTreeMap<String, Vec<String>>,
}

fn stack(layers: Vec<Layer>) -> Stacked {
    let mut out = Stacked::default();
    for mut layer in layers {
        out.warnings.append(&mut layer.warnings);
        for (key, values) in std::mem::take(&mut layer.extra_keys) {
            out.extra_keys.entry(key).or_insert(values);
        }
        for (name, text, file) in layer.templates {
            out.templates.entry(name).or_insert((text, file));
        }
        for (name, src) in layer.statics {
            out.static_files.entry(name).or_insert(src);
        }
        for (lang, map) in layer.strings {
            let target = out.strings.entry(lang).or_default();
            for (k, v) in map {
                target.entry(k).or_insert(v);
            }
        }
    }
    out
}

/// Stack the layers: the first layer to provide a template or file wins.
fn assemble(layers: Vec<Layer>) -> Result<Theme, Vec<Diagnostic>> {
    // The site's own `static/` layer (labelled `static/`) is not a theme.
    let chain: Vec<String> = layers
        .iter()
        .filter(|l| !l.label.ends_with('/'))
        .map(|l| l.label.clone())
        .collect();
    let shortcodes = shortcode_templates(&layers);
    let Stacked {
        templates,
        static_files,
        strings,
        warnings,
        mut extra_keys,
    } = stack(layers);
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    // Zola's shortcode templates print text through `| markdown`.
    tera.register_filter("markdown", markdown_filter);
    // Tera 1 had `striptags`, and Zola themes use it; Tera 2 has not.
    tera.register_filter("striptags", striptags_filter);
    let image_fns = std::sync::Arc::new(crate::images::template::Slot::default());
    crate::images::template::register(&mut tera, &image_fns);
    let template_files: BTreeMap<String, String> = templates
        .iter()
        .map(|(n, (_, f))| (n.clone(), f.clone()))
        .collect();
    let mut diags = Vec::new();
    // Parse one by one first so every syntax error is reported, each at its file;
    // inheritance problems only show once all templates are in.
    for (name, (text, _)) in &templates {
        let mut probe = tera::Tera::new();
        if let Err(e) = probe.add_raw_template(name, text) {
            if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                diags.extend(template_error(&e, &template_files, None));
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    for (text, _) in templates.values() {
        for key in extra_keys_read(text) {
            extra_keys.entry(key).or_default();
        }
    }
    if let Err(e) =
        tera.add_raw_templates(templates.iter().map(|(n, (t, _))| (n.as_str(), t.as_str())))
    {
        let unknown = unknown_references(&e, &template_files);
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let d = template_error(&e, &template_files, None).unwrap_or_else(|| {
            Diagnostic::error(format!("{THEMES_DIR}/"), e.to_string()).code(Code::Template)
        });
        return Err(vec![locate_inheritance(d, &e, &templates)]);
    }
    Ok(Theme {
        tera,
        template_files,
        static_files,
        chain,
        strings,
        shortcodes,
        warnings,
        extra_keys,
        image_fns,
    })
}

/// The `page.extra.KEY` names a template's text reads.
fn extra_keys_read(text: &str) -> Vec<String> {
    text.match_indices("page.extra.")
        .map(|(at, m)| {
            let rest = &text[at + m.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            rest[..end].to_string()
        })
        .filter(|k| !k.is_empty())
        .collect()
}

/// Tera names the template but not the line for inheritance errors: find the
/// `{% extends %}` or `{% include %}` tag in its text.
fn locate_inheritance(
    d: Diagnostic,
    e: &tera::Error,
    templates: &BTreeMap<String, (String, String)>,
) -> Diagnostic {
    let found = match e.kind() {
        tera::ErrorKind::MissingParent { current, parent } => templates
            .get(current.as_str())
            .and_then(|(text, _)| tag_position(text, "extends", parent)),
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => templates.get(tpl.as_str()).and_then(|(text, _)| {
            let next = inheritance_chain.first().map(String::as_str).unwrap_or("");
            tag_position(text, "extends", next)
        }),
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            templates.get(tpl.as_str()).and_then(|(text, _)| {
                let next = include_chain.get(1).map(String::as_str).unwrap_or("");
                tag_position(text, "include", next)
            })
        }
        _ => None,
    };
    match found {
        Some((line, column)) if d.line == 0 => d.at(line, column),
        _ => d,
    }
}

/// Turn a Tera error into a diagnostic at the template's file and line, naming the
/// page being rendered.
/// Tera checks that every filter, test, function and component a template
/// names exists, and reports them all in one message of reports
/// (`error: Unknown filter `x`` then ` --> page.html:1:17`): one diagnostic
/// each, at its template file, line and column.
fn unknown_references(e: &tera::Error, files: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    let tera::ErrorKind::Msg(text) = e.kind() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(message) = line.trim().strip_prefix("error: ") else {
            continue;
        };
        if !message.starts_with("Unknown ") {
            continue;
        }
        let Some(place) = lines.next().and_then(|l| l.trim().strip_prefix("--> ")) else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let (col, line_no, name) = (parts.next(), parts.next(), parts.next());
        let (Some(col), Some(line_no), Some(name)) = (col, line_no, name) else {
            continue;
        };
        let file = files.get(name).cloned().unwrap_or_else(|| name.to_string());
        let kind = message.split(' ').nth(1).unwrap_or("name");
        out.push(
            Diagnostic::error(file, message.replacen("Unknown", "unknown", 1)).code(Code::Template)
                .at(line_no.parse().unwrap_or(0), col.parse().unwrap_or(0))
                .hint(format!("check the {kind}'s name: Tera's built-in ones are listed at keats.github.io/tera")),
        );
    }
    out
}

pub fn template_error(
    e: &tera::Error,
    files: &BTreeMap<String, String>,
    rendering: Option<&str>,
) -> Option<Diagnostic> {
    let file_of = |name: &str| files.get(name).cloned().unwrap_or_else(|| name.to_string());
    // Where a mistake inside a template was met; repeats across pages are merged
    // on the rest of the diagnostic.
    let met = |d: Diagnostic| match rendering {
        Some(r) => d.context(Context::Rendering {
            source: r.to_string(),
            others: 0,
        }),
        None => d,
    };
    let d = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            // An image function's mistake carries its own fix.
            let (message, code, hint) = match r.message().split_once(crate::images::template::FIX) {
                Some((m, fix)) => (m, Code::Image, fix),
                None => (r.message(), Code::Template, "fix the template; Tera's syntax is described at keats.github.io/tera"),
            };
            met(Diagnostic::error(file_of(r.filename()), message).code(code)
                .at(span.start_line, span.start_col + 1)
                .hint(hint))
        }
        tera::ErrorKind::CircularExtend { tpl, inheritance_chain } => Diagnostic::error(
            file_of(tpl),
            // Tera gives the template and what it extends, in order: `tpl → chain`.
            format!("templates extend each other in a circle: {tpl} → {}", inheritance_chain.join(" → ")),
        ).code(Code::Template)
        .hint("one template in the chain must not `extends` another"),
        tera::ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::error(
            file_of(tpl),
            format!("templates include each other in a circle: {}", include_chain.join(" → ")),
        ).code(Code::Template)
        .hint("remove one `include` from the chain"),
        tera::ErrorKind::MissingParent { current, parent } => {
            Diagnostic::error(file_of(current), format!("extends `{parent}`, which no theme in the chain has")).code(Code::TemplateMissing)
                .hint("check the template name in `{% extends %}`")
        }
        tera::ErrorKind::TemplateNotFound(name) => {
            Diagnostic::error(rendering.unwrap_or("themes/"), format!("the template `{name}` does not exist in the theme")).code(Code::TemplateMissing)
                .hint("check `template` in the front matter, or add the file to the theme's templates/ folder")
        }
        // Tera stops a component that calls itself after 20 nested calls, with no
        // place attached: name the theme, so the pages it broke are listed once.
        tera::ErrorKind::Msg(m) if m.contains("recursion depth for components") => met(Diagnostic::error(
            format!("{THEMES_DIR}/"),
            "a template component calls itself without end; it was stopped after 20 nested calls",
        ).code(Code::Template)
        .hint("look for a `{% component NAME %}` whose body uses `<NAME …/>` (directly or through another component) without an `{% if %}` that ends it")),
        _ => {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            met(Diagnostic::error(rendering.unwrap_or("themes/"), format!("template error: {msg}")).code(Code::Template))
        }
    };
    Some(d)
}
