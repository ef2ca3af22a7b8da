//! A whole document through `parse_document`: file name and text both fuzzed.
//! Input: first line = path inside content/, rest = file text.
//! Properties: no panic; every error names the file and a line inside it.
#![no_main]

use std::sync::OnceLock;

use follicle::config::Config;
use follicle::content::{parse_document, Folders};
use libfuzzer_sys::fuzz_target;

fn config() -> &'static Config {
    static C: OnceLock<Config> = OnceLock::new();
    C.get_or_init(|| {
        Config::parse(
            "title = \"Fuzz\"\nbase_url = \"https://fuzz.example\"\ntaxonomies = [\"tags\"]\n\
             [languages.es]\ntitle = \"Fuzz ES\"\n[people.dr-a]\nname = \"Dr. A\"\n",
        )
        .expect("fuzz config")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (name, text) = input.split_once('\n').unwrap_or(("page.md", input));
    let name = name.trim_matches('/');
    if name.is_empty()
        || name.contains('\0')
        || name
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return; // no file system gives such names
    }
    let content_path = if name.ends_with(".md") {
        name.to_string()
    } else {
        format!("{name}.md")
    };
    let file = format!("content/{content_path}");
    let text = text.replace('\r', "\n");
    let bundles = Folders {
        bundles: vec!["kit".to_string()],
        index_sections: vec!["guides".to_string()],
    };
    let lines = text.lines().count().max(1);
    match parse_document(&file, &content_path, &text, config(), &bundles) {
        Ok(doc) => {
            assert_eq!(doc.file, file);
            if let Some(s) = &doc.meta.slug {
                assert!(!s.contains('/') && s != ".." && s != ".");
            }
        }
        Err(diags) => {
            assert!(!diags.is_empty());
            for d in diags {
                assert_eq!(d.file, file, "{d}");
                assert!(
                    d.line <= lines + 1,
                    "error past the end ({lines} lines): {d}"
                );
                let _ = d.to_string();
            }
        }
    }
});
