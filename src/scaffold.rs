//! `follicle init` and `follicle new`: write a starter site or a new article.
//!
//! Takes: a folder or an article path. Gives: files on disk, never overwriting
//! anything: `init` refuses a non-empty folder, `new` refuses an existing file.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::content::title_case;

mod host;
use crate::diagnostic::{Code, Diagnostic, Failure};
pub use host::{git_address, Host, HOST_NAMES, SAMPLE_GIT};

/// The bundled education site, compiled into the binary.
static STARTER_CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");
const STARTER_CONFIG: &str = include_str!("../site.toml");
/// The theme `init` writes, extending `clinic`.
pub const STARTER_THEME_NAME: &str = "my-clinic";

/// What a clinic told `follicle init` about itself (flags or answers at the
/// terminal). A field left `None` keeps the starter's sample value, which
/// `follicle check` then reports as a placeholder.
#[derive(Debug, Clone, Default)]
pub struct Answers {
    pub name: Option<String>,
    pub url: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub booking_url: Option<String>,
    /// Language codes, the default first (`en`, `es`); `None` keeps both.
    pub languages: Option<Vec<String>>,
    /// Where the site will be published: that host's files are written too.
    pub host: Option<Host>,
    /// The Git address the host's build installs Follicle from (`None`: a
    /// sample address that `follicle check` reports).
    pub follicle_git: Option<String>,
}

/// The starter clinic's sample values that its pages repeat, by the answer
/// that replaces them there.
const SAMPLE_NAME: &str = "Harbor Scalp Clinic";
const SAMPLE_PHONE: &str = "+1 555 0100";
const SAMPLE_EMAIL: &str = "hello@clinic.example";
const SAMPLE_BOOKING: &str = "https://example.com/book";

/// Write a new site into `dir` (created if missing; must be empty), with the
/// clinic's `answers` in site.toml and the pages.
pub fn init(dir: &Path, answers: &Answers) -> Result<Vec<PathBuf>, Failure> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| {
            usage(
                dir,
                &format!("cannot read the folder: {e}"),
                "choose another folder",
            )
        })?;
        if entries.next().is_some() {
            return Err(usage(dir, "the folder is not empty", "give a new folder name, e.g. `follicle init my-clinic`; init never overwrites files"));
        }
    }
    let languages = languages(answers)?;
    let config = starter_config(answers, &languages)?;
    let host_files = match answers.host {
        Some(host) => host.files(&git_address(answers.follicle_git.as_deref())?),
        None => Vec::new(),
    };
    let mut written = Vec::new();
    write_new(&dir.join("site.toml"), config.as_bytes(), &mut written)?;
    write_new(
        &dir.join(".gitignore"),
        b"# Made by follicle build: the site, the previous build kept for fast rebuilds,\n# and the external-link cache of follicle check.\n/public\n/.public.follicle-*\n/.follicle-cache/\n",
        &mut written,
    )?;
    write_content(dir, answers, &languages, &mut written)?;
    let theme = dir.join("themes").join(STARTER_THEME_NAME);
    let theme_toml = format!(
        "# Your theme. It extends the built-in `clinic` theme: copy a template from\n# Follicle's clinic theme into templates/ to change it, or add files to static/.\nname = \"{STARTER_THEME_NAME}\"\nextends = \"clinic\"\n"
    );
    write_new(
        &theme.join("theme.toml"),
        theme_toml.as_bytes(),
        &mut written,
    )?;
    write_new(
        &theme.join("static/custom.css"),
        b"/* Your own styles. Link this file from a template to use it. */\n",
        &mut written,
    )?;
    std::fs::create_dir_all(theme.join("templates")).map_err(|e| internal(&theme, e))?;
    for (path, text) in host_files {
        write_new(&dir.join(path), text.as_bytes(), &mut written)?;
    }
    written.sort();
    Ok(written)
}

/// The site's languages: the answer, checked, else the starter's own.
fn languages(answers: &Answers) -> Result<Vec<String>, Failure> {
    let Some(list) = &answers.languages else {
        return Ok(vec!["en".into(), "es".into()]);
    };
    let list: Vec<String> = list
        .iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(bad) = list.iter().find(|l| !crate::config::is_language_code(l)) {
        return Err(usage(
            Path::new("--languages"),
            &format!("`{bad}` is not a language code"),
            "write codes such as en, es, fr or pt-BR, separated by commas",
        ));
    }
    if list.first().map(String::as_str) != Some("en") {
        return Err(usage(
            Path::new("--languages"),
            "the starter pages are written in English, so English must come first",
            "start the list with en, e.g. `--languages en,es`; other languages show the English pages until you translate them",
        ));
    }
    Ok(list)
}

/// The starter site.toml with the answers filled in (comments kept), the
/// clinic's own theme, only the chosen languages, and the demo's
/// `ignore = ["placeholder"]` taken out.
fn starter_config(answers: &Answers, languages: &[String]) -> Result<String, Failure> {
    let mut doc: toml_edit::DocumentMut = STARTER_CONFIG
        .parse()
        .map_err(|e| Failure::Internal(format!("the starter site.toml does not parse: {e}")))?;
    doc["theme"] = toml_edit::value(STARTER_THEME_NAME);
    if let Some(host) = answers.host.and_then(Host::publish_host) {
        // The host's dialect of `_redirects` (aliases as real 301s there).
        doc["publish"]["host"] = toml_edit::value(host);
    }
    if let Some(url) = &answers.url {
        let url = crate::config::normalise_base_url(url).map_err(|m| {
            usage(
                Path::new("--url"),
                &m,
                "give the address the site will have, e.g. https://www.your-clinic.com/",
            )
        })?;
        doc["base_url"] = toml_edit::value(url);
    }
    let clinic = [
        ("name", &answers.name),
        ("phone", &answers.phone),
        ("email", &answers.email),
        ("street_address", &answers.street),
        ("locality", &answers.city),
        ("region", &answers.region),
        ("postal_code", &answers.postal_code),
        ("country", &answers.country),
        ("booking_url", &answers.booking_url),
    ];
    for (key, answer) in clinic {
        if let Some(v) = answer.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            doc["clinic"][key] = toml_edit::value(v);
        }
    }
    if let Some(langs) = doc.get_mut("languages").and_then(|l| l.as_table_like_mut()) {
        let drop: Vec<String> = langs
            .iter()
            .map(|(k, _)| k.to_string())
            .filter(|k| !languages.contains(k))
            .collect();
        for k in drop {
            langs.remove(&k);
        }
        let missing: Vec<&String> = languages
            .iter()
            .filter(|l| !langs.contains_key(l))
            .collect();
        for l in missing {
            langs.insert(l, toml_edit::table());
        }
    }
    if let Some(check) = doc.get_mut("check").and_then(|c| c.as_table_like_mut()) {
        check.remove("ignore");
        if check.is_empty() {
            doc.remove("check");
        }
    }
    Ok(doc.to_string().replacen(
        "# The bundled example site: a placeholder clinic's SMP patient-education pages.",
        "# Your clinic's site. Every setting is described in Follicle's reference: docs/content/reference/site-toml.md.",
        1,
    ))
}

/// The bundled pages of the chosen languages, with the clinic's answers in
/// place of the sample name, phone, email and booking address.
fn write_content(
    dir: &Path,
    answers: &Answers,
    languages: &[String],
    written: &mut Vec<PathBuf>,
) -> Result<(), Failure> {
    let swaps: Vec<(&str, &str)> = [
        (SAMPLE_NAME, &answers.name),
        (SAMPLE_PHONE, &answers.phone),
        (SAMPLE_EMAIL, &answers.email),
        (SAMPLE_BOOKING, &answers.booking_url),
    ]
    .into_iter()
    .filter_map(|(from, to)| Some((from, to.as_deref()?.trim())).filter(|(_, t)| !t.is_empty()))
    .collect();
    let mut stack = vec![&STARTER_CONTENT];
    while let Some(d) = stack.pop() {
        stack.extend(d.dirs());
        for f in d.files() {
            if !for_languages(f.path(), languages) {
                continue;
            }
            let bytes = match std::str::from_utf8(f.contents()) {
                Ok(text) if !swaps.is_empty() => swaps
                    .iter()
                    .fold(text.to_string(), |t, (from, to)| t.replace(from, to))
                    .into_bytes(),
                _ => f.contents().to_vec(),
            };
            write_new(&dir.join("content").join(f.path()), &bytes, written)?;
        }
    }
    Ok(())
}

/// Is this starter file in one of `languages`? (`x.es.md` is Spanish; files
/// without a language part are the default language's.)
fn for_languages(path: &Path, languages: &[String]) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // Only pages have a language part: `dot-pattern.svg` is not in "svg".
    let Some(stem) = name.strip_suffix(".md") else {
        return true;
    };
    match stem.rsplit_once('.') {
        Some((_, lang)) if crate::config::is_language_code(lang) => {
            languages.iter().any(|l| l == lang)
        }
        _ => true,
    }
}

fn write_new(path: &Path, bytes: &[u8], written: &mut Vec<PathBuf>) -> Result<(), Failure> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| internal(parent, e))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            usage(
                path,
                &format!("cannot create the file: {e}"),
                "remove it or choose another folder",
            )
        })?;
    std::io::Write::write_all(&mut f, bytes).map_err(|e| internal(path, e))?;
    written.push(path.to_path_buf());
    Ok(())
}

/// Write `content/<section>/<slug>.md` with its front matter filled in.
pub fn new_article(root: &Path, spec: &str, today: &str) -> Result<PathBuf, Failure> {
    let spec = spec.trim().trim_matches('/').trim_end_matches(".md");
    let parts: Vec<&str> = spec.split('/').collect();
    let bad = parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == ".." || p.starts_with('.') || p.contains('\\'));
    if bad || spec.is_empty() {
        return Err(usage(
            Path::new(spec),
            "this is not an article path",
            "write it as section/slug, e.g. `follicle new treatment/night-care`",
        ));
    }
    let slug = parts[parts.len() - 1];
    if slug::slugify(slug) != slug {
        return Err(usage(
            Path::new(spec),
            "the slug should be lowercase words joined by dashes",
            &format!(
                "try `{}`",
                parts[..parts.len() - 1]
                    .iter()
                    .copied()
                    .chain([slug::slugify(slug).as_str()])
                    .collect::<Vec<_>>()
                    .join("/")
            ),
        ));
    }
    if !root.join("site.toml").is_file() {
        return Err(usage(
            &root.join("site.toml"),
            "there is no site.toml here",
            "run `follicle new` in a site folder, or pass --root",
        ));
    }
    let path = root.join("content").join(format!("{spec}.md"));
    let text = format!(
        "+++\ntitle = \"{}\"\ndescription = \"\"\ndate = {today}\ndraft = true\n\n# Medical review: the key of a person in site.toml [people], and dates.\nreviewed_by = \"\"\nreviewed_on = \"\"\nnext_review = \"\"\naudience = \"patient\"\n\n[taxonomies]\ntags = []\n\n# [[sources]]\n# title = \"\"\n# url = \"https://\"\n+++\nWrite the first paragraph here: it becomes the summary.\n\n<!-- more -->\n\n## First heading\n",
        title_case(slug)
    );
    let mut written = Vec::new();
    if path.exists() {
        return Err(usage(
            &path,
            "this article already exists",
            "choose another slug; `follicle new` never overwrites",
        ));
    }
    write_new(&path, text.as_bytes(), &mut written)?;
    Ok(path)
}

fn usage(path: &Path, what: &str, hint: &str) -> Failure {
    Failure::usage(
        Diagnostic::error(path.display().to_string(), what)
            .code(Code::Scaffold)
            .hint(hint),
    )
}

fn internal(path: &Path, e: std::io::Error) -> Failure {
    Failure::Internal(format!("cannot write {}: {e}", path.display()))
}
