//! `follicle init` and `follicle new`: write a starter site or a new article.
//!
//! Takes: a folder or an article path. Gives: files on disk, never overwriting
//! anything: `init` refuses a non-empty folder, `new` refuses an existing file.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::content::title_case;
use crate::diagnostic::{Diagnostic, Failure};

/// The bundled education site, compiled into the binary.
static STARTER_CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");
const STARTER_CONFIG: &str = include_str!("../site.toml");
const STARTER_THEME_NAME: &str = "my-clinic";

/// Write a new site into `dir` (created if missing; must be empty).
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
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
    let mut written = Vec::new();
    let config = STARTER_CONFIG.replace(
        "theme = \"clinic\"",
        &format!("theme = \"{STARTER_THEME_NAME}\""),
    );
    write_new(&dir.join("site.toml"), config.as_bytes(), &mut written)?;
    write_new(
        &dir.join(".gitignore"),
        b"# Made by follicle build: the site, the previous build kept for fast rebuilds,\n# and the external-link cache of follicle check.\n/public\n/.public.follicle-*\n/.follicle-cache/\n",
        &mut written,
    )?;
    let mut stack = vec![&STARTER_CONTENT];
    while let Some(d) = stack.pop() {
        stack.extend(d.dirs());
        for f in d.files() {
            write_new(
                &dir.join("content").join(f.path()),
                f.contents(),
                &mut written,
            )?;
        }
    }
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
    written.sort();
    Ok(written)
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
    Failure::usage(Diagnostic::error(path.display().to_string(), what).hint(hint))
}

fn internal(path: &Path, e: std::io::Error) -> Failure {
    Failure::Internal(format!("cannot write {}: {e}", path.display()))
}
