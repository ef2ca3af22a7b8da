//! One folder per invalid input under `tests/invalid/`: its files are laid over the
//! `minimal` fixture, `args.txt` (optional) gives the command line, and
//! `expected.txt` holds `exit: N` then the exact stderr. Each case also checks that
//! the output folder was not created and nothing outside it changed.
//!
//! Each folder is its own test (datatest-stable finds them by their
//! `expected.txt`), so one case can be run alone: `cargo test --test invalid --
//! alias-traversal`. To add a case: make the folder with an empty
//! `expected.txt`, run with `FOLLICLE_BLESS=1` to fill it, then read it and keep
//! it only if it is right.

mod common;

use common::{copy_tree, Site};
use std::path::Path;

/// One case, given by its `expected.txt`.
fn invalid_case(expected: &Path) -> datatest_stable::Result<()> {
    let case = expected
        .parent()
        .expect("expected.txt is inside its case folder");
    run_case(case).map_err(Into::into)
}

fn run_case(case: &Path) -> Result<(), String> {
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let site = Site::fixture("minimal");
    copy_tree(case, site.root());
    for f in ["expected.txt", "args.txt", "remove.txt"] {
        let _ = std::fs::remove_file(site.path(f));
    }
    if let Ok(list) = std::fs::read_to_string(case.join("remove.txt")) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            std::fs::remove_file(site.path(rel.trim()))
                .map_err(|e| format!("{name}: remove {rel}: {e}"))?;
        }
    }
    let args_text =
        std::fs::read_to_string(case.join("args.txt")).unwrap_or_else(|_| "build".into());
    let args: Vec<&str> = args_text.split_whitespace().collect();
    let before = site.snapshot("");
    let run = site.run(&args);
    let actual = format!("exit: {}\n{}", run.code, run.stderr);
    let expected_path = case.join("expected.txt");
    if std::env::var_os("FOLLICLE_BLESS").is_some() {
        std::fs::write(&expected_path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if actual != expected {
        return Err(format!(
            "case {name}:\n--- expected\n{expected}\n--- actual\n{actual}"
        ));
    }
    if run.code == 0 {
        return Err(format!("case {name}: exit code 0"));
    }
    let mut after = site.snapshot("");
    // The output lock beside the output is made the first time a build
    // reaches the output (a template error is found while rendering into
    // staging) and stays; it holds only the last holder's pid.
    after.remove(".public.follicle-lock");
    if before != after {
        let changed: Vec<_> = after
            .keys()
            .filter(|k| before.get(*k) != after.get(*k))
            .chain(before.keys().filter(|k| !after.contains_key(*k)))
            .collect();
        return Err(format!(
            "case {name}: files changed by a failed build: {changed:?}"
        ));
    }
    Ok(())
}

datatest_stable::harness! {
    { test = invalid_case, root = "tests/invalid", pattern = r"expected\.txt$" },
}
