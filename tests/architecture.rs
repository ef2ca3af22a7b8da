//! The layering written in `src/lib.rs` holds: every `crate::` path in a module
//! names a module on a line above its own.

use std::collections::BTreeMap;
use std::path::Path;

/// Module → layer number, from the `//! layer:` lines of src/lib.rs.
fn layers(lib: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let lines = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("//! layer:"));
    for (i, line) in lines.enumerate() {
        for module in line.split_whitespace() {
            out.insert(module.to_string(), i);
        }
    }
    out
}

/// The top-level modules a piece of Rust code names through `crate::`, with
/// `use crate::{a, b::c}` groups opened. Comments are skipped.
fn used_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    out.push(name);
                }
            } else {
                out.push(
                    rest.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect(),
                );
            }
        }
    }
    out.retain(|m| !m.is_empty() && m.chars().next().is_some_and(|c| c.is_ascii_lowercase()));
    out
}

#[test]
fn every_module_uses_only_the_layers_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let layer = layers(&lib);
    assert!(layer.len() > 10, "src/lib.rs lists the layers: {layer:?}");
    let mut wrong = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let module = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(&own) = layer.get(&module) else {
            wrong.push(format!(
                "src/{rel}: module `{module}` is not in the layer list of src/lib.rs"
            ));
            continue;
        };
        let code = std::fs::read_to_string(path).unwrap();
        for used in used_modules(&code) {
            if used == module {
                continue;
            }
            match layer.get(&used) {
                Some(&l) if l < own => {}
                Some(_) => wrong.push(format!(
                    "src/{rel}: `{module}` uses `{used}`, which is not on a layer above it"
                )),
                None => wrong.push(format!(
                    "src/{rel}: uses `crate::{used}`, which is not in the layer list"
                )),
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_reader_sees_grouped_and_plain_paths() {
    let code = "use crate::{config::Config, diagnostic};\n// crate::serve in a comment\nlet x = crate::output::MARKER;\n";
    assert_eq!(used_modules(code), vec!["config", "diagnostic", "output"]);
}

/// The docs page of diagnostic codes has one `### \`code\`` heading for every
/// code a user can meet, and none for a code that does not exist.
#[test]
fn every_diagnostic_code_is_documented() {
    use follicle::diagnostic::Code;
    let page =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/content/guides/diagnostic-codes.md");
    let page = std::fs::read_to_string(page).unwrap();
    let documented: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix("### `")?.strip_suffix('`'))
        .collect();
    let codes: Vec<&str> = Code::ALL
        .iter()
        .filter(|&&c| c != Code::Unclassified)
        .map(|c| c.id())
        .collect();
    let missing: Vec<&&str> = codes.iter().filter(|c| !documented.contains(c)).collect();
    let unknown: Vec<&&str> = documented.iter().filter(|d| !codes.contains(d)).collect();
    assert!(
        missing.is_empty(),
        "codes missing from docs/content/guides/diagnostic-codes.md: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "documented codes that do not exist: {unknown:?}"
    );
    for c in Code::ALL {
        // serde's name (what `--format json` prints) is the documented one.
        assert_eq!(serde_json::to_value(c).unwrap(), c.id());
    }
}

/// The end of the expression starting at `from` (a `Diagnostic::error(` call):
/// the first `;` or `,` outside brackets, or the bracket that closes around it.
fn expression_end(code: &str, from: usize) -> usize {
    let bytes = code.as_bytes();
    let (mut depth, mut i) = (0i32, from);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => return i,
            b')' | b']' | b'}' => depth -= 1,
            b';' | b',' if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    i
}

/// Every diagnostic made in `src/` is given its code (`.code(Code::X)`), so
/// none reaches a user as `unclassified`. A check finding's diagnostic may
/// leave it to `Finding::new`, which sets its rule's code (marked `// code: from Finding::new`).
#[test]
fn every_diagnostic_gets_a_code() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for entry in walk(&src) {
        let rel = entry
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "diagnostic.rs" {
            continue;
        }
        let code = std::fs::read_to_string(&entry).unwrap();
        for ctor in ["Diagnostic::error(", "Diagnostic::warning("] {
            for (at, _) in code.match_indices(ctor) {
                let end = expression_end(&code, at + ctor.len() - 1);
                let before = &code[code[..at].rfind("\n\n").unwrap_or(0)..at];
                if code[at..end].contains(".code(") || before.contains("code: from Finding::new") {
                    continue;
                }
                let line = code[..at].matches('\n').count() + 1;
                wrong.push(format!("src/{rel}:{line}: {ctor}…) has no .code(Code::…)"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}
