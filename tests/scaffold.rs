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

#[test]
fn init_puts_the_clinics_answers_in_and_check_lists_the_samples_left() {
    let dir = Site::empty();
    let run = dir.run(&[
        "init",
        "bay",
        "--name",
        "Bay Scalp Studio",
        "--url",
        "https://bayscalp.com",
        "--phone",
        "+1 415 555 2323",
        "--email",
        "hi@bayscalp.com",
        "--languages",
        "en",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Next: cd bay && follicle serve"),
        "{}",
        run.stdout
    );
    let toml = dir.read("bay/site.toml");
    for want in [
        "base_url = \"https://bayscalp.com/\"",
        "name = \"Bay Scalp Studio\"",
        "phone = \"+1 415 555 2323\"",
        "email = \"hi@bayscalp.com\"",
    ] {
        assert!(toml.contains(want), "{want} in {toml}");
    }
    // Only English: no Spanish settings or pages.
    assert!(!toml.contains("[languages.es]"), "{toml}");
    assert!(!dir.path("bay/content/_index.es.md").exists());
    // The demo's exemption is gone, and the pages carry the answers.
    assert!(!toml.contains("placeholder\"]"), "{toml}");
    let contact = dir.read("bay/content/contact.md");
    assert!(!contact.contains("555 0100"), "{contact}");
    let about = dir.read("bay/content/about.md");
    assert!(about.contains("Bay Scalp Studio") && !about.contains("Harbor"));

    let build = dir.run(&["build", "--root", "bay"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    // What was not answered is still a sample: check fails and says where.
    let check = dir.run(&["check", "--root", "bay"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check
            .stdout
            .contains("site.toml:15:23: `Example Street` is a placeholder street [placeholder]"),
        "{}",
        check.stdout
    );
    assert!(check
        .stdout
        .contains("`(placeholder)` is marked as a placeholder"));
    assert!(check
        .stdout
        .contains("is a note to the clinic from the starter site"));
    assert!(!check.stdout.contains("555 0100"), "{}", check.stdout);
}

#[test]
fn init_refuses_bad_answers_before_writing_anything() {
    let dir = Site::empty();
    let run = dir.run(&["init", "x", "--languages", "es,en"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("English must come first"),
        "{}",
        run.stderr
    );
    let run = dir.run(&["init", "x", "--languages", "en,e$"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`e$` is not a language code"),
        "{}",
        run.stderr
    );
    let run = dir.run(&["init", "x", "--url", "bayscalp.com"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("must start with https://"),
        "{}",
        run.stderr
    );
    assert!(!dir.path("x").exists(), "nothing was written");
}

#[test]
fn the_bundled_demo_clinic_is_exempt_but_a_new_site_is_not() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let toml = std::fs::read_to_string(repo.join("site.toml")).unwrap();
    assert!(toml.contains("ignore = [\"placeholder\"]"));
    let dir = Site::empty();
    assert_eq!(dir.run(&["init", "c"]).code, 0);
    assert!(!dir
        .read("c/site.toml")
        .contains("ignore = [\"placeholder\"]"));
    let check = dir.run(&["check", "--root", "c"]);
    assert_eq!(check.code, 1);
    assert!(
        check
            .stdout
            .contains("site.toml:20:10: `+1 555 0100` is a placeholder phone number"),
        "{}",
        check.stdout
    );
}
