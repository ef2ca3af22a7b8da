//! `follicle init` and `follicle new`, end to end.

mod common;

use common::Site;

#[test]
fn init_writes_a_site_that_builds_and_refuses_a_non_empty_folder() {
    let dir = Site::empty();
    let run = dir.run(&["init", "clinic"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path("clinic/site.toml").is_file());
    assert!(dir
        .read("clinic/themes/my-clinic/theme.toml")
        .contains("extends = \"clinic\""));
    assert!(dir
        .read("clinic/site.toml")
        .contains("theme = \"my-clinic\""));
    let build = dir.run(&["build", "--root", "clinic"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(dir
        .path("clinic/public/treatment/aftercare/index.html")
        .is_file());

    let before = dir.snapshot("clinic/content");
    let again = dir.run(&["init", "clinic"]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("the folder is not empty"),
        "{}",
        again.stderr
    );
    assert_eq!(
        before,
        dir.snapshot("clinic/content"),
        "nothing was overwritten"
    );
}

#[test]
fn new_writes_a_draft_with_front_matter_and_never_overwrites() {
    let site = Site::fixture("minimal");
    let run = site.run(&["new", "care/night-care"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = site.read("content/care/night-care.md");
    assert!(text.contains("title = \"Night care\""));
    assert!(text.contains("draft = true"));
    assert!(text.contains("reviewed_by = \"\""));
    let build = site.run(&["build", "--drafts"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(site.path("public/care/night-care/index.html").is_file());
    site.write("content/care/night-care.md", "mine");
    let again = site.run(&["new", "care/night-care"]);
    assert_eq!(again.code, 2);
    assert_eq!(site.read("content/care/night-care.md"), "mine");
    let bad = site.run(&["new", "../escape"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(!site.root().parent().unwrap().join("escape.md").exists());
}
