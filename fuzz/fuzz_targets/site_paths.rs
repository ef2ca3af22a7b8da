//! End to end from front matter to output paths: a one-page site whose file
//! name, `slug`, `path`, alias and taxonomy term are fuzzed is loaded, placed
//! and rendered into a sink that records every output path.
//! Properties: no panic (a caught one shows up as an internal error); every
//! output path is relative, has no `.`/`..` segment, backslash or NUL, no
//! segment longer than 255 bytes, and stays inside the output folder.
#![no_main]

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use follicle::build::{assemble_loaded, render_all};
use follicle::config::Config;
use follicle::content::{parse_document, Folders, Loaded};
use follicle::render::Sink;
use follicle::theme::{self, Theme};
use libfuzzer_sys::fuzz_target;

fn config() -> &'static Config {
    static C: OnceLock<Config> = OnceLock::new();
    C.get_or_init(|| {
        Config::parse(
            "title = \"Fuzz\"\nbase_url = \"https://fuzz.example\"\ntaxonomies = [\"tags\"]\n\
             [languages.es]\ntitle = \"Fuzz ES\"\n",
        )
        .expect("fuzz config")
    })
}

fn theme() -> Arc<Theme> {
    static T: OnceLock<Arc<Theme>> = OnceLock::new();
    T.get_or_init(|| {
        Arc::new(theme::load(Path::new("/nonexistent-follicle-site"), "clinic").expect("theme"))
    })
    .clone()
}

#[derive(Default)]
struct Record(Mutex<Vec<String>>);

impl Sink for Record {
    fn write(&self, path: &str, _bytes: &[u8]) -> std::io::Result<()> {
        self.0.lock().unwrap().push(path.to_string());
        Ok(())
    }
    fn copy(&self, path: &str, _from: &Path) -> std::io::Result<()> {
        self.write(path, b"")
    }
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn inside(rel: &str) -> bool {
    let mut out = PathBuf::from("/out");
    for c in Path::new(rel).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
            _ => return false,
        }
    }
    out.starts_with("/out") && out != Path::new("/out")
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let mut f = input.split('\u{1}');
    let stem = f.next().unwrap_or("");
    let slug = f.next().unwrap_or("");
    let path = f.next().unwrap_or("");
    let alias = f.next().unwrap_or("");
    let term = f.next().unwrap_or("");
    let lang = f.next().unwrap_or("");
    // A file name the walker could give: one folder level, no `/`, NUL or dot-start.
    if stem.is_empty()
        || stem.len() > 255
        || stem.contains(['/', '\0'])
        || stem.starts_with('.')
        || stem.ends_with('~')
    {
        return;
    }
    let mut front = String::from("title = \"T\"\n");
    for (key, value) in [("slug", slug), ("path", path)] {
        if !value.is_empty() {
            front.push_str(&format!("{key} = {}\n", toml_str(value)));
        }
    }
    if !alias.is_empty() {
        front.push_str(&format!("aliases = [{}]\n", toml_str(alias)));
    }
    if !term.is_empty() {
        front.push_str(&format!("[taxonomies]\ntags = [{}]\n", toml_str(term)));
    }
    let suffix = if lang == "es" { ".es" } else { "" };
    let content_path = format!("care/{stem}{suffix}.md");
    let file = format!("content/{content_path}");
    let text = format!("+++\n{front}+++\nBody.\n");
    let Ok(doc) = parse_document(&file, &content_path, &text, config(), &Folders::default()) else {
        return;
    };
    let loaded = Loaded {
        documents: vec![Arc::new(doc)],
        ..Loaded::default()
    };
    let Ok(site) = assemble_loaded(config().clone(), theme(), loaded) else {
        return;
    };
    let sink = Record::default();
    let outcome = render_all(&site, &sink);
    assert!(outcome.internal.is_empty(), "{:?}", outcome.internal);
    for rel in sink.0.lock().unwrap().iter() {
        assert!(!rel.is_empty() && !rel.starts_with('/'), "{rel:?}");
        assert!(!rel.contains(['\\', '\0']), "{rel:?}");
        assert!(!rel.split('/').any(|s| s == "." || s == ".."), "{rel:?}");
        assert!(
            rel.split('/').all(|s| s.len() <= 255),
            "segment longer than a file name may be: {rel:?} (stem {stem:?}, term {term:?})"
        );
        assert!(inside(rel), "{rel:?} leaves the output folder");
    }
});
