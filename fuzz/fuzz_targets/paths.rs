//! Path checks and joins, each against a simple model of "stays inside".
//! Input: fields separated by `\u{1}` (NUL is itself a value worth testing).
//! Fields: slug, path, dir, relative target, output folder.
//! Properties: what `check_url_part`/`check_url_path` accept has no traversal,
//! no control characters and no over-long segment; `join_relative` never
//! climbs above content/; `output::check` never accepts the site, its parents,
//! its sources, `/` or a folder we did not make.
#![no_main]

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use follicle::content::frontmatter::{check_url_part, check_url_path};
use follicle::markdown::join_relative;
use follicle::output;
use libfuzzer_sys::fuzz_target;

/// A site folder with content/, themes/, site.toml, a folder we did not make
/// (`theirs/`) and one we did (`ours/`).
fn site() -> &'static PathBuf {
    static S: OnceLock<PathBuf> = OnceLock::new();
    S.get_or_init(|| {
        let base = std::env::temp_dir().join(format!("follicle-fuzz-{}", std::process::id()));
        let root = base.join("site");
        for d in ["content/care", "themes/t", "theirs", "ours", "empty"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(root.join("site.toml"), "").unwrap();
        std::fs::write(root.join("theirs/index.html"), "mine").unwrap();
        std::fs::write(root.join("ours/.follicle-output"), "").unwrap();
        std::fs::write(root.join("file.txt"), "").unwrap();
        let _ = std::os::unix::fs::symlink(root.join("ours"), root.join("link"));
        root.canonicalize().unwrap()
    })
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c.as_os_str()),
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let mut f = input.split('\u{1}');
    let slug = f.next().unwrap_or("");
    let path = f.next().unwrap_or("");
    let dir = f.next().unwrap_or("");
    let target = f.next().unwrap_or("");
    let out = f.next().unwrap_or("");

    if check_url_part(slug).is_ok() {
        assert!(!slug.contains(['/', '\\']) && slug != "." && slug != "..");
        assert!(!slug.chars().any(char::is_control) && slug.len() <= 200);
        assert!(!slug.trim().is_empty());
    }
    if check_url_path(path).is_ok() {
        assert!(!path.split('/').any(|s| s == ".." || s == "."), "{path:?}");
        assert!(!path.contains('\\') && !path.contains("://") && !path.starts_with("//"));
        assert!(!path.chars().any(char::is_control) && path.len() <= 200);
        // As an output path under /out it stays there.
        let joined = normalise(&Path::new("/out").join(path.trim_start_matches('/')));
        assert!(joined.starts_with("/out"), "{path:?} → {joined:?}");
    }

    let dir_clean: String = dir
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .collect::<Vec<_>>()
        .join("/");
    let joined = join_relative(&dir_clean, target);
    assert!(
        !joined
            .split('/')
            .any(|s| s == ".." || s == "." || s.is_empty())
            || joined.is_empty(),
        "{dir_clean:?} + {target:?} → {joined:?}"
    );
    assert!(!joined.starts_with('/'));

    if out.contains('\0') || out.len() > 300 {
        return;
    }
    let root = site();
    if let Ok(t) = output::check(root, Path::new(out)) {
        let dir = &t.dir;
        assert!(dir.parent().is_some(), "accepted / for {out:?}");
        assert!(
            !root.starts_with(dir),
            "accepted the site or a parent: {out:?} → {dir:?}"
        );
        for p in ["content", "themes", "site.toml"] {
            assert!(
                !dir.starts_with(root.join(p)),
                "accepted {p}: {out:?} → {dir:?}"
            );
        }
        assert!(!dir.starts_with(root.join("theirs")) || dir != &root.join("theirs"));
        assert_ne!(
            dir,
            &root.join("theirs"),
            "accepted a folder we did not make"
        );
        assert_ne!(dir, &root.join("file.txt"), "accepted a file");
        assert!(
            std::fs::symlink_metadata(dir)
                .map(|m| !m.file_type().is_symlink())
                .unwrap_or(true),
            "accepted a symlink: {out:?}"
        );
    }
});
