//! The dev server's request-target check.
//! Properties: an accepted path starts with `/`, has no `.`/`..`/dotfile
//! segments, backslash or NUL, and joined to a folder it stays inside.
#![no_main]

use std::path::{Component, Path, PathBuf};

use follicle::serve::http::clean_path;
use libfuzzer_sys::fuzz_target;

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
    let Ok(target) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(path) = clean_path(target) else {
        return;
    };
    assert!(path.starts_with('/'), "{target:?} → {path:?}");
    assert!(
        !path.contains('\\') && !path.contains('\0'),
        "{target:?} → {path:?}"
    );
    for seg in path.split('/').skip(1) {
        assert!(seg != "." && seg != "..", "{target:?} → {path:?}");
        assert!(!seg.starts_with('.'), "dotfile {target:?} → {path:?}");
    }
    let joined = normalise(&Path::new("/srv/site").join(path.trim_start_matches('/')));
    assert!(joined.starts_with("/srv/site"), "{target:?} → {joined:?}");
    // Decoding is idempotent on what it accepts (no double decoding).
    if !path.contains(['%', '?', '#']) {
        assert_eq!(clean_path(&path), Ok(path.clone()));
    }
});
