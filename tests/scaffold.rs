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

/// Run one shell command in `dir` as a host's build machine would, with the
/// binary under test as `follicle` on the PATH.
fn host_shell(dir: &std::path::Path, command: &str, env: &[(&str, &str)]) -> std::process::Output {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_follicle"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("FOLLICLE_INJECT_FAULT");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run sh")
}

/// The `run` of the workflow step called `name`.
fn step_run<'a>(steps: &'a [serde_json::Value], name: &str) -> &'a str {
    steps
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step {name:?} in {steps:?}"))
}

#[test]
fn init_host_github_writes_a_pages_workflow_that_builds_under_the_project_path() {
    let dir = Site::empty();
    let git = "https://github.com/acme/follicle.git";
    let run = dir.run(&[
        "init",
        "gh",
        "--no-questions",
        "--host",
        "github",
        "--follicle-git",
        git,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Publish: push the site to GitHub"),
        "{}",
        run.stdout
    );
    let text = dir.read("gh/.github/workflows/pages.yml");
    let wf: serde_json::Value = serde_saphyr::from_str(&text).expect("the workflow is YAML");
    assert_eq!(wf["on"]["push"]["branches"][0], "main", "{wf}");
    assert_eq!(wf["permissions"]["pages"], "write");
    assert_eq!(wf["permissions"]["id-token"], "write");
    assert_eq!(wf["env"]["FOLLICLE_GIT"], git);
    let steps = wf["jobs"]["build"]["steps"].as_array().expect("steps");
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    for want in [
        "actions/checkout@v4",
        "actions/configure-pages@v5",
        "actions/cache@v4",
        "actions/upload-pages-artifact@v3",
    ] {
        assert!(uses.contains(&want), "{want} in {uses:?}");
    }
    let upload = steps
        .iter()
        .find(|s| s["uses"] == "actions/upload-pages-artifact@v3");
    assert_eq!(upload.unwrap()["with"]["path"], "public");
    assert_eq!(
        step_run(steps, "Install Follicle"),
        "cargo install --locked --git \"$FOLLICLE_GIT\" follicle"
    );
    assert_eq!(wf["jobs"]["deploy"]["needs"], "build");
    assert_eq!(
        wf["jobs"]["deploy"]["steps"][0]["uses"],
        "actions/deploy-pages@v4"
    );

    // The build step as GitHub runs it for a project site: every link carries
    // the repository's path, though site.toml still has the sample address.
    let pages_url = "https://acme.github.io/my-clinic";
    let build =
        step_run(steps, "Build the site").replace("${{ steps.pages.outputs.base_url }}", pages_url);
    let out = host_shell(&dir.path("gh"), &build, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = dir.read("gh/public/index.html");
    assert!(home.contains("href=\"/my-clinic/treatment/\""), "{home}");
    assert!(
        !home.contains("href=\"/treatment/"),
        "root-relative link left: {home}"
    );
    assert!(
        home.contains("https://acme.github.io/my-clinic/"),
        "canonical: {home}"
    );
    // The check step runs against the same address; the sample clinic fails
    // it, and the workflow file itself has nothing left to replace.
    let check =
        step_run(steps, "Check the site").replace("${{ steps.pages.outputs.base_url }}", pages_url);
    let out = host_shell(&dir.path("gh"), &check, &[]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("[placeholder]"), "{report}");
    assert!(!report.contains(".github/workflows"), "{report}");
    assert!(!report.contains("broken-link"), "{report}");
}

#[test]
fn a_host_file_without_follicles_git_address_is_a_placeholder_check_reports() {
    let dir = Site::empty();
    for host in ["github", "netlify", "cloudflare"] {
        let run = dir.run(&["init", host, "--no-questions", "--host", host]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let check = dir.run(&["check", "--root", host]);
        assert_eq!(check.code, 1, "{}", check.stdout);
        let file = if host == "github" {
            ".github/workflows/pages.yml"
        } else {
            "follicle-publish.sh"
        };
        let text = dir.read(&format!("{host}/{file}"));
        let line = text
            .lines()
            .position(|l| l.contains("git.example"))
            .unwrap()
            + 1;
        let col = text
            .lines()
            .nth(line - 1)
            .unwrap()
            .find("git.example")
            .unwrap()
            + 1;
        let want =
            format!("{file}:{line}:{col}: `git.example/follicle.git` is a placeholder address");
        assert!(check.stdout.contains(&want), "{want} in {}", check.stdout);
        assert!(
            check.stdout.contains(&format!("{file}:{}:", line - 1))
                && check
                    .stdout
                    .contains("is a note to the clinic from the starter site"),
            "{}",
            check.stdout
        );
    }
}

#[test]
fn init_host_netlify_and_cloudflare_write_settings_whose_script_checks_and_builds() {
    let dir = Site::empty();
    let git = "https://github.com/acme/follicle.git";
    let run = dir.run(&[
        "init",
        "n",
        "--no-questions",
        "--host",
        "netlify",
        "--follicle-git",
        git,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Its site.toml writes Netlify's dialect of _redirects (forced 301s).
    let site: toml::Table = dir.read("n/site.toml").parse().unwrap();
    assert_eq!(site["publish"]["host"].as_str(), Some("netlify"));
    let settings: toml::Table = dir
        .read("n/netlify.toml")
        .parse()
        .expect("netlify.toml is TOML");
    assert_eq!(settings["build"]["publish"].as_str(), Some("public"));
    assert_eq!(
        settings["build"]["command"].as_str(),
        Some("sh follicle-publish.sh")
    );
    let preview = settings["context"]["deploy-preview"]["command"]
        .as_str()
        .unwrap();
    assert_eq!(preview, "sh follicle-publish.sh \"$DEPLOY_PRIME_URL/\"");
    let script = dir.read("n/follicle-publish.sh");
    assert!(
        script.contains(&format!("FOLLICLE_GIT='{git}'")),
        "{script}"
    );
    assert!(script.contains("cargo install --locked --git \"$FOLLICLE_GIT\" follicle"));

    // The script on the host with follicle installed: the sample clinic
    // stops it at check, so nothing placeholder is published.
    let out = host_shell(
        &dir.path("n"),
        preview,
        &[(
            "DEPLOY_PRIME_URL",
            "https://deploy-preview-4--clinic.netlify.app",
        )],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("[placeholder]"));
    assert!(!dir.path("n/public").exists(), "check stopped the build");
    // Once check passes, it builds for the preview's address, with the
    // _headers and _redirects files Netlify reads.
    let toml = dir.read("n/site.toml") + "\n[check]\nignore = [\"placeholder\"]\n";
    dir.write("n/site.toml", toml);
    let out = host_shell(
        &dir.path("n"),
        preview,
        &[(
            "DEPLOY_PRIME_URL",
            "https://deploy-preview-4--clinic.netlify.app",
        )],
    );
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let home = dir.read("n/public/index.html");
    assert!(
        home.contains("https://deploy-preview-4--clinic.netlify.app/"),
        "{home}"
    );
    assert!(dir.path("n/public/_headers").is_file());

    let run = dir.run(&[
        "init",
        "cf",
        "--no-questions",
        "--host",
        "cloudflare",
        "--follicle-git",
        git,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let note = dir.read("cf/CLOUDFLARE-PAGES.md");
    assert!(
        note.contains("Build command: `sh follicle-publish.sh`"),
        "{note}"
    );
    assert!(note.contains("Build output directory: `public`"), "{note}");
    assert_eq!(dir.read("cf/follicle-publish.sh"), script);
    assert!(!dir.path("cf/netlify.toml").exists() && !dir.path("cf/.github").exists());
}

#[test]
fn init_refuses_an_unknown_host_or_an_unsafe_git_address_before_writing() {
    let dir = Site::empty();
    let run = dir.run(&["init", "x", "--no-questions", "--host", "bitbucket"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--host: error: `bitbucket` is not a host follicle init knows"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("choose github, netlify, cloudflare or none"),
        "{}",
        run.stderr
    );
    for bad in [
        "https://x.test/a'b.git",
        "https://x.test/$(id).git",
        "file:///etc/follicle",
        "not a url",
    ] {
        let run = dir.run(&[
            "init",
            "x",
            "--no-questions",
            "--host",
            "github",
            "--follicle-git",
            bad,
        ]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(
            run.stderr.contains("--follicle-git: error:"),
            "{}",
            run.stderr
        );
    }
    let run = dir.run(&["init", "x", "--follicle-git", "https://x.test/f.git"]);
    assert_eq!(run.code, 2, "--follicle-git needs --host: {}", run.stderr);
    assert!(!dir.path("x").exists(), "nothing was written");
    // `none` is no host: no host files.
    assert_eq!(
        dir.run(&["init", "y", "--no-questions", "--host", "none"])
            .code,
        0
    );
    assert!(!dir.path("y/.github").exists() && !dir.path("y/netlify.toml").exists());
}
