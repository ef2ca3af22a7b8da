//! The promises of RELIABILITY.md that need more than one bad file: a sandbox
//! with canary files beside the site, sites of hundreds of pages, symlinks,
//! pathological input, failed builds, kill -9 in the middle of a build, and the
//! dev server under load. Each test fails if its promise breaks.
//!
//! Figures for README's "Reliability" section are printed with `--nocapture`.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{copy_tree, fixtures, free_port, http, tree, Run, Running};

const BIN: &str = env!("CARGO_BIN_EXE_follicle");

/// A temp folder holding `site/` (a copy of a fixture) and canary files beside
/// it: `canary/`, `home/` (the `HOME` of every run) and `secret.md`. A build may
/// change nothing but the site's output folder and its `.NAME.follicle-*`
/// siblings; [`Sandbox::outside`] hashes everything else.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new(fixture: &str) -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        let sb = Sandbox { dir };
        copy_tree(&fixtures().join(fixture), &sb.site());
        sb.put("canary/notes.txt", "canary: must never change");
        sb.put("canary/nested/page.html", "<p>not made by Follicle</p>");
        sb.put("home/.profile", "export CANARY=1");
        sb.put(
            "secret.md",
            "+++\ntitle = \"Secret\"\n+++\nTOP-SECRET-CANARY\n",
        );
        sb
    }

    fn root(&self) -> PathBuf {
        self.dir.path().canonicalize().unwrap()
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// Write a file relative to the sandbox.
    fn put(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Write a file relative to the site.
    fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        self.put(&format!("site/{rel}"), text);
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn symlink(&self, target: &str, link: &str) {
        let l = self.site().join(link);
        std::fs::create_dir_all(l.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, l).unwrap();
    }

    fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(self.site())
            .env("HOME", self.dir.path().join("home"))
            .env_remove("FOLLICLE_INJECT_FAULT")
            .env_remove("FOLLICLE_DEBUG");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = self.command(args, env).output().expect("run follicle");
        let clean = |b: &[u8]| {
            String::from_utf8_lossy(b)
                .replace(&self.root().display().to_string(), "[SANDBOX]")
                .replace(&self.dir.path().display().to_string(), "[SANDBOX]")
        };
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: clean(&out.stdout),
            stderr: clean(&out.stderr),
        }
    }

    fn build(&self) -> Run {
        self.run_env(&["build"], &[])
    }

    /// Every file in the sandbox except the output folder `out` (inside the
    /// site) and its staging siblings.
    fn outside(&self, out: &str) -> BTreeMap<String, Vec<u8>> {
        let prefix = format!("site/{out}/");
        let siblings = format!("site/.{out}.follicle-");
        tree(self.dir.path())
            .into_iter()
            .filter(|(k, _)| !k.starts_with(&prefix) && !k.starts_with(&siblings))
            .collect()
    }

    fn output(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.site().join("public"))
    }

    /// Names in the site folder that belong to the output (`public`, staging…).
    fn output_entries(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.site())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            // The lock file stays (an unheld lock means nothing).
            .filter(|n| n == "public" || n.starts_with(".public."))
            .filter(|n| n != ".public.follicle-lock")
            .collect();
        v.sort();
        v
    }
}

fn ok(run: &Run) {
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
}

/// `n` small pages in three sections, so one bad page hides among hundreds.
fn add_pages(sb: &Sandbox, n: usize, marker: &str) {
    for i in 0..n {
        let section = ["care", "results", "costs"][i % 3];
        sb.write(
            &format!("content/{section}/p{i:03}.md"),
            format!(
                "+++\ntitle = \"Page {i}\"\ndate = 2026-01-{:02}\n[taxonomies]\ntags = [\"t{}\"]\n+++\n## Part one\n\n{marker} page {i}. See [washing](@/care/washing.md).\n",
                i % 28 + 1,
                i % 7
            ),
        );
    }
}

// ---------------------------------------------------------------------------
// Output safety
// ---------------------------------------------------------------------------

#[test]
fn a_symlinked_output_folder_is_refused_and_its_target_untouched() {
    let sb = Sandbox::new("minimal");
    let canary = sb.root().join("canary");
    std::os::unix::fs::symlink(&canary, sb.site().join("public")).unwrap();
    let before = sb.outside("none");
    let run = sb.build();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "site.toml: error: refusing to use [SANDBOX]/site/public as the output folder: it is a symbolic link\n  hint: Follicle never replaces a link; point --output at a real folder\n"
    );
    assert_eq!(before, sb.outside("none"), "a file changed");

    // A link to a folder Follicle made is still a link: refused too.
    sb.put("made/.follicle-output", "x");
    std::fs::remove_file(sb.site().join("public")).unwrap();
    std::os::unix::fs::symlink(sb.root().join("made"), sb.site().join("public")).unwrap();
    let before = sb.outside("none");
    assert_eq!(sb.build().code, 2);
    assert_eq!(before, sb.outside("none"));
}

#[test]
fn the_home_folder_and_unmarked_folders_outside_the_site_are_refused() {
    let sb = Sandbox::new("minimal");
    let before = sb.outside("none");
    let home = sb.root().join("home");
    let run = sb.run_env(&["build", "--output", home.to_str().unwrap()], &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "--output: error: refusing to use [SANDBOX]/home as the output folder: it is your home folder\n  hint: use a folder inside the site such as `public`\n"
    );
    let canary = sb.root().join("canary");
    let run = sb.run_env(&["build", "--output", canary.to_str().unwrap()], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("--output: error: refusing to use [SANDBOX]/canary as the output folder: it already exists and was not made by Follicle"),
        "{}",
        run.stderr
    );
    // `../canary/../canary` and a path through a symlinked parent resolve the same.
    let run = sb.run_env(&["build", "--output", "../canary/nested/.."], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    std::os::unix::fs::symlink(&canary, sb.site().join("via")).unwrap();
    let before_link = sb.outside("none");
    let run = sb.run_env(&["build", "--output", "via/nested"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("[SANDBOX]/canary/nested"),
        "{}",
        run.stderr
    );
    assert_eq!(before_link, sb.outside("none"));
    std::fs::remove_file(sb.site().join("via")).unwrap();
    assert_eq!(before, sb.outside("none"), "a file changed");
}

#[test]
fn cleaning_the_previous_output_never_follows_a_symlink() {
    let sb = Sandbox::new("minimal");
    ok(&sb.build());
    // Someone drops links into the output and the kept previous build.
    std::os::unix::fs::symlink(sb.root().join("canary"), sb.site().join("public/care/link"))
        .unwrap();
    std::os::unix::fs::symlink(
        sb.root().join("canary/notes.txt"),
        sb.site().join("public/stale.txt"),
    )
    .unwrap();
    ok(&sb.build());
    std::os::unix::fs::symlink(
        sb.root().join("canary"),
        sb.site().join(".public.follicle-prev/care/index.html"),
    )
    .ok();
    let before = sb.outside("public");
    for _ in 0..3 {
        ok(&sb.build());
    }
    assert_eq!(before, sb.outside("public"), "a canary changed");
    assert!(sb.root().join("canary/nested/page.html").is_file());
    assert!(sb.read("public/care/index.html").contains("<html"));
}

#[test]
fn theme_links_that_leave_themes_are_skipped_or_refused() {
    let sb = Sandbox::new("minimal");
    sb.write(
        "site.toml",
        sb.read("site.toml").replace(
            "taxonomies = [\"tags\"]",
            "taxonomies = [\"tags\"]\ntheme = \"mine\"",
        ),
    );
    sb.write("themes/mine/static/own.css", "body{}");
    // A folder and a file of the theme's static files link out of themes/.
    std::os::unix::fs::symlink(
        sb.root().join("canary"),
        sb.site().join("themes/mine/static/leak"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        sb.root().join("secret.md"),
        sb.site().join("themes/mine/static/secret.md"),
    )
    .unwrap();
    let run = sb.build();
    ok(&run);
    assert!(
        run.stderr
            .contains("themes/mine/static/leak: warning: this symlink leads outside themes/"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("themes/mine/static/secret.md: warning:"),
        "{}",
        run.stderr
    );
    let out = sb.output();
    assert!(out.contains_key("own.css"));
    assert!(
        !out.keys()
            .any(|k| k.starts_with("leak") || k == "secret.md"),
        "published files from outside themes/: {:?}",
        out.keys().collect::<Vec<_>>()
    );
    let strict = sb.run_env(&["build", "--strict"], &[]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    // The whole static folder a link out of themes/ (`static -> /etc`).
    std::fs::remove_dir_all(sb.site().join("themes/mine/static")).unwrap();
    std::os::unix::fs::symlink(
        sb.root().join("canary"),
        sb.site().join("themes/mine/static"),
    )
    .unwrap();
    let run = sb.build();
    ok(&run);
    assert!(
        run.stderr
            .contains("themes/mine/static: warning: this symlink leads outside themes/"),
        "{}",
        run.stderr
    );
    assert!(!sb.output().contains_key("notes.txt"));
    // The theme folder itself a link out of themes/.
    std::fs::remove_dir_all(sb.site().join("themes/mine")).unwrap();
    sb.put("elsewhere/templates/page.html", "{{ page.title }}");
    std::os::unix::fs::symlink(sb.root().join("elsewhere"), sb.site().join("themes/mine")).unwrap();
    let run = sb.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("themes/mine: error: this theme folder is a link leading outside themes/"),
        "{}",
        run.stderr
    );
}

#[test]
fn traversal_in_terms_and_links_never_writes_outside_the_output() {
    let sb = Sandbox::new("minimal");
    sb.write(
        "content/care/evil.md",
        "+++\ntitle = \"Evil\"\n[taxonomies]\ntags = [\"../../../canary/notes.txt\", \"..\\\\..\\\\home\", \"/etc/passwd\", \"%2e%2e%2fx\", \"a\\u0000b\", \"CON\"]\n+++\n![img](../../../canary/notes.txt) [up](../../../secret.md#x) [abs](/../../canary/)\n",
    );
    let run = sb.build();
    // The relative .md link climbs above content/ and is clamped to content/secret.md,
    // which is not in the site: a warning, the link left as written.
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/care/evil.md:6:35: warning: the link `../../../secret.md#x` points to `content/secret.md`, which is not in the site; it is left as written\n")
            // The climbing image and link lead nowhere in the output: the finder says so.
            && run.stderr.contains("content/care/evil.md:6:1: warning: the image `../../../canary/notes.txt` leads to no page or file of this site")
            && run.stderr.contains("content/care/evil.md:6:62: warning: the link `/../../canary/` leads to no page or file of this site"),
        "{}",
        run.stderr
    );
    sb.write(
        "content/care/evil.md",
        sb.read("content/care/evil.md")
            .replace(" [up](../../../secret.md#x)", ""),
    );
    let before = sb.outside("public");
    ok(&sb.build());
    assert!(before == sb.outside("public"), "a file outside changed");
    let out = sb.output();
    for t in [
        "tags/canary-notes-txt/index.html",
        "tags/home/index.html",
        "tags/etc-passwd/index.html",
        "tags/2e-2e-2fx/index.html",
        "tags/a-b/index.html",
        "tags/con/index.html",
    ] {
        assert!(out.contains_key(t), "missing {t}: {:?}", out.keys());
    }
    assert!(
        !out.values()
            .any(|b| String::from_utf8_lossy(b).contains("TOP-SECRET-CANARY")),
        "the secret leaked"
    );
}

// ---------------------------------------------------------------------------
// Content: symlinks, empty files, junk, encodings, pathological input
// ---------------------------------------------------------------------------

#[test]
fn symlink_loops_dangling_and_escaping_links_are_named_and_the_rest_builds() {
    let sb = Sandbox::new("minimal");
    sb.symlink("..", "content/care/loop");
    sb.symlink("nowhere.md", "content/care/dangling.md");
    sb.symlink("../../../secret.md", "content/care/secret.md");
    // A linked folder outside the site: nothing under it may be read.
    sb.symlink("../../../canary", "content/care/escape");
    // A link inside content/ is fine.
    sb.symlink("washing.md", "content/care/washing-again.md");
    let before = sb.outside("public");
    let run = sb.build();
    ok(&run);
    assert_eq!(
        run.stderr,
        "content/care/dangling.md: warning: this symlink points to nothing (dangling); it was skipped\n  hint: fix or remove the link\n\
         content/care/escape: warning: this symlink leads outside content/ (to [SANDBOX]/canary); it was skipped\n  hint: copy the file into content/ instead of linking to it\n\
         content/care/loop: warning: this symlink makes a loop back to content; it was skipped\n  hint: remove the link or point it somewhere else\n\
         content/care/secret.md: warning: this symlink leads outside content/ (to [SANDBOX]/secret.md); it was skipped\n  hint: copy the file into content/ instead of linking to it\n"
    );
    let out = sb.output();
    for f in [
        "care/aftercare/index.html",
        "care/washing/index.html",
        "care/washing-again/index.html",
        "index.html",
    ] {
        assert!(out.contains_key(f), "missing {f}");
    }
    let leaked: Vec<_> = out
        .iter()
        .filter(|(k, v)| {
            k.contains("escape")
                || k.contains("secret")
                || String::from_utf8_lossy(v).contains("TOP-SECRET-CANARY")
                || String::from_utf8_lossy(v).contains("canary: must never change")
        })
        .map(|(k, _)| k.clone())
        .collect();
    assert!(
        leaked.is_empty(),
        "published from outside content/: {leaked:?}"
    );
    assert_eq!(before, sb.outside("public"));
}

#[test]
fn an_empty_markdown_file_is_a_page_titled_after_its_file_name() {
    let sb = Sandbox::new("minimal");
    sb.write("content/care/first-visit.md", "");
    sb.write("content/care/blank_lines.md", "  \n\n\t\n");
    sb.write("content/care/fences-only.md", "+++\n+++\n");
    sb.write("content/care/yaml-fences-only.md", "---\n---\n");
    sb.write("content/care/heading-only.md", "# Day one at home\n");
    sb.write("content/results/_index.md", "");
    let run = sb.build();
    ok(&run);
    assert_eq!(run.stderr, "");
    for (file, title) in [
        ("care/first-visit", "First visit"),
        ("care/blank-lines", "Blank lines"),
        ("care/fences-only", "Fences only"),
        ("care/yaml-fences-only", "Yaml fences only"),
        ("care/heading-only", "Day one at home"),
        ("results", "Results"),
    ] {
        let html = sb.read(&format!("public/{file}/index.html"));
        assert!(
            html.contains(&format!("<title>{title} · Minimal Clinic</title>")),
            "{file}: {}",
            html.lines().find(|l| l.contains("<title>")).unwrap_or("")
        );
    }
}

#[test]
fn editor_junk_is_never_read_or_published_even_when_broken() {
    let sb = Sandbox::new("minimal");
    ok(&sb.build());
    let clean = sb.output();
    let junk: &[(&str, &[u8])] = &[
        ("content/care/.washing.md.swp", b"\xff\xfe+\x00+\x00"),
        ("content/care/.washing.md.swo", b"\0\0\0"),
        ("content/care/washing.md~", b"+++\ntitle = 3\n"),
        (
            "content/care/#washing.md#",
            b"+++\nslug = \"../../x\"\n+++\n",
        ),
        ("content/care/4913", b""),
        ("content/.DS_Store", b"\0\x01Bud1"),
        ("content/files/Thumbs.db", b"\xd0\xcf\x11\xe0"),
        ("content/files/desktop.ini", b"[.ShellClassInfo]"),
        (
            "content/care/washing.md___jb_tmp___",
            b"+++\ntitle = \"tmp\"\n+++\n",
        ),
        (
            "content/care/washing.md___jb_old___",
            b"+++\ntitle = \"old\"\n+++\n",
        ),
        ("content/care/washing.md.bak", b"backup"),
        ("content/care/washing.md.tmp", b"temp"),
        ("content/care/.hidden/page.md", b"+++\ntitle = 3\n+++\n"),
    ];
    for (rel, bytes) in junk {
        sb.write(rel, bytes);
    }
    // Emacs's lock file is a dangling symlink.
    sb.symlink("user@host.1234:1700000000", "content/care/.#washing.md");
    let run = sb.build();
    ok(&run);
    assert_eq!(run.stderr, "", "junk was read");
    assert_eq!(clean, sb.output(), "junk changed the output");
}

#[test]
fn bom_crlf_and_lone_cr_give_the_same_output_for_toml_and_yaml() {
    let plain = Sandbox::new("minimal");
    plain.write(
        "content/care/yaml.md",
        "---\ntitle: From YAML\ndate: 2026-01-02\n---\nLine one\nline two\n\n## Heading\n",
    );
    ok(&plain.build());
    for (name, f) in [
        (
            "BOM + CRLF",
            (|t: &str| format!("\u{feff}{}", t.replace('\n', "\r\n"))) as fn(&str) -> String,
        ),
        ("lone CR", |t: &str| t.replace('\n', "\r")),
        ("BOM only", |t: &str| format!("\u{feff}{t}")),
    ] {
        let twin = Sandbox::new("minimal");
        twin.write(
            "content/care/yaml.md",
            f(&plain.read("content/care/yaml.md")),
        );
        twin.write(
            "content/care/aftercare.md",
            f(&plain.read("content/care/aftercare.md")),
        );
        twin.write("content/_index.md", f(&plain.read("content/_index.md")));
        ok(&twin.build());
        assert!(plain.output() == twin.output(), "{name}: output differs");
    }
}

/// Run a build, polling its peak memory (VmHWM) until it exits.
fn measured(cmd: &mut Command) -> (Run, Duration, u64) {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut peak_kb = 0;
    let status = loop {
        if let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if let Some(kb) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "build did not finish in 120 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .ok();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr: reader.join().unwrap(),
    };
    (run, elapsed, peak_kb)
}

#[test]
fn pathological_markdown_builds_within_limits_or_is_refused() {
    let sb = Sandbox::new("minimal");
    let cases: Vec<(&str, String)> = vec![
        ("100k nested blockquotes", ">".repeat(100_000) + " deep\n"),
        ("100k nested lists", "- ".repeat(100_000) + "x\n"),
        ("100k nested brackets", "[".repeat(100_000) + "x\n"),
        (
            "50k nested emphasis",
            "*".repeat(50_000) + "a" + &"*".repeat(50_000),
        ),
        ("100k backticks", "`".repeat(100_000)),
        ("100k equal headings", "# Step\n".repeat(100_000)),
        ("10 MB single line", "word ".repeat(2_000_000)),
        (
            "200k table rows",
            "|a|b|\n|-|-|\n".to_string() + &"|x|y|\n".repeat(200_000),
        ),
        (
            "50k footnotes",
            (0..50_000)
                .map(|i| format!("t[^{i}]\n\n[^{i}]: n\n\n"))
                .collect(),
        ),
        (
            "100k link definitions",
            (0..100_000).map(|i| format!("[l{i}]: /x{i}\n")).collect(),
        ),
        // Raw HTML is cleaned with html5ever (cost: depth squared); 10,000
        // pieces is the limit (100,000 is refused below).
        ("10k open HTML blocks", "<div>\n".repeat(10_000)),
        // Columns of many links on one line were counted from the line start
        // for each link (100k links: 21 s release, before).
        (
            "100k links on one line",
            (0..100_000).map(|i| format!("[l{i}](/x{i}) ")).collect(),
        ),
        (
            "200k autolinks on one line",
            (0..200_000)
                .map(|i| format!("<https://x.example/{i}> "))
                .collect(),
        ),
        (
            "100k reference links on one line",
            (0..100_000).map(|i| format!("[l{i}] ")).collect::<String>()
                + "\n\n"
                + &(0..100_000)
                    .map(|i| format!("[l{i}]: /x{i}\n"))
                    .collect::<String>(),
        ),
        // Every event of the page was held twice (3.9 GB peak, before).
        ("5M tiny paragraphs (15 MB)", "a\n\n".repeat(5_000_000)),
    ];
    let debug = cfg!(debug_assertions);
    for (name, body) in &cases {
        sb.write(
            "content/care/big.md",
            format!("+++\ntitle = \"Big\"\n+++\n{body}\n"),
        );
        let (run, took, peak_kb) = measured(&mut sb.command(&["build"], &[]));
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        println!(
            "pathological: {name}: {:.2} s, peak {} MB",
            took.as_secs_f64(),
            peak_kb / 1024
        );
        assert!(peak_kb < 1_500_000, "{name}: {peak_kb} KB");
        assert!(
            took < Duration::from_secs(if debug { 60 } else { 15 }),
            "{name}: {took:?}"
        );
    }
    // Over the raw HTML limit: refused at once, naming the line.
    sb.write(
        "content/care/big.md",
        format!("+++\ntitle = \"Big\"\n+++\n{}", "<div>\n".repeat(100_000)),
    );
    let (run, took, _) = measured(&mut sb.command(&["build"], &[]));
    assert_eq!(run.code, 1, "100k raw HTML: {}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "content/care/big.md:10004:1: error: this page holds more than 10000 pieces of raw HTML"
        ),
        "{}",
        run.stderr
    );
    println!(
        "pathological: 100k open HTML blocks: refused in {:.2} s",
        took.as_secs_f64()
    );
    // Just under the limit builds; over it is refused before reading.
    let para = "Keep the scalp dry and clean. ".repeat(30) + "\n\n";
    let n = (16 * 1024 * 1024 - 100) / para.len();
    sb.write(
        "content/care/big.md",
        format!("+++\ntitle = \"Big\"\n+++\n{}", para.repeat(n)),
    );
    let (run, took, peak_kb) = measured(&mut sb.command(&["build"], &[]));
    assert_eq!(run.code, 0, "16 MB page: {}", run.stderr);
    println!(
        "pathological: 16 MB page: {:.2} s, peak {} MB",
        took.as_secs_f64(),
        peak_kb / 1024
    );
    let big = sb.site().join("content/care/big.md");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(17_000_000)
        .unwrap();
    let run = sb.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "content/care/big.md: error: the file is 16.2 MB; the limit for one page is 16 MB\n  hint: split it into several pages\n"
    );
    std::fs::File::create(&big)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let (run, took, peak_kb) = measured(&mut sb.command(&["build"], &[]));
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "content/care/big.md: error: the file is 100.0 MB; the limit for one page is 16 MB\n  hint: split it into several pages\n"
    );
    println!(
        "pathological: 100 MB page refused in {:.2} s, peak {} MB",
        took.as_secs_f64(),
        peak_kb / 1024
    );
    assert!(peak_kb < 200_000, "the 100 MB file was read: {peak_kb} KB");
}

#[test]
fn a_tag_with_too_many_attributes_or_a_page_with_too_many_terms_is_refused_fast() {
    let sb = Sandbox::new("minimal");
    let attrs: String = (0..300_000).map(|i| format!(" a{i}=\"1\"")).collect();
    sb.write(
        "content/care/big.md",
        format!("+++\ntitle = \"Big\"\n+++\n<div{attrs}>x</div>\n"),
    );
    let (run, took, _) = measured(&mut sb.command(&["build"], &[]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/care/big.md:4:"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(
        run.stderr
            .contains("error: this raw HTML `<div>` has more than 256 attributes"),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(2000)..]
    );
    assert!(took < Duration::from_secs(30), "300k attributes: {took:?}");
    let tags: Vec<String> = (0..40_000).map(|i| format!("\"t{i}\"")).collect();
    sb.write(
        "content/care/big.md",
        format!(
            "+++\ntitle = \"Big\"\n[taxonomies]\ntags = [{}]\n+++\nBody\n",
            tags.join(", ")
        ),
    );
    let (run, took, _) = measured(&mut sb.command(&["build"], &[]));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "content/care/big.md:4:1: error: this page has 40000 `tags` terms; the limit is 1000\n  hint: keep a few terms that readers browse by; every term page lists the page with all its terms\n"
    );
    assert!(took < Duration::from_secs(30), "40k terms: {took:?}");
}

// ---------------------------------------------------------------------------
// Templates: recursion stops fast; writer text escaped everywhere
// ---------------------------------------------------------------------------

/// (name, template files, exact stderr)
type RecursionCase = (
    &'static str,
    Vec<(&'static str, &'static str)>,
    &'static str,
);

#[test]
fn template_recursion_and_cycles_stop_within_a_second_with_a_message() {
    let cases: Vec<RecursionCase> = vec![
        (
            "component calling itself",
            vec![
                ("components.html", "{% component nest(n: integer) %}<i>{{ <nest n={n + 1} /> }}</i>{% endcomponent nest %}"),
                ("page.html", "<p>{{ <nest n={1} /> }}</p>"),
            ],
            "themes/: error: a template component calls itself without end; it was stopped after 20 nested calls (while rendering content/care/aftercare.md and 1 other page)\n  hint: look for a `{% component NAME %}` whose body uses `<NAME …/>` (directly or through another component) without an `{% if %}` that ends it\n",
        ),
        (
            "two components calling each other",
            vec![
                ("components.html", "{% component ping() %}{{ <pong /> }}{% endcomponent ping %}{% component pong() %}{{ <ping /> }}{% endcomponent pong %}"),
                ("page.html", "{{ <ping /> }}"),
            ],
            "themes/: error: a template component calls itself without end; it was stopped after 20 nested calls (while rendering content/care/aftercare.md and 1 other page)\n  hint: look for a `{% component NAME %}` whose body uses `<NAME …/>` (directly or through another component) without an `{% if %}` that ends it\n",
        ),
        (
            "include cycle",
            vec![("page.html", "{% include \"a.html\" %}"), ("a.html", "{% include \"page.html\" %}")],
            "themes/clinic/templates/a.html:1:1: error: templates include each other in a circle: a.html → page.html → a.html\n  hint: remove one `include` from the chain\n",
        ),
        (
            "template including itself",
            vec![("page.html", "{% include \"page.html\" %}")],
            "themes/clinic/templates/page.html:1:1: error: templates include each other in a circle: page.html → page.html\n  hint: remove one `include` from the chain\n",
        ),
        (
            "extends cycle",
            vec![("page.html", "{% extends \"section.html\" %}"), ("section.html", "{% extends \"page.html\" %}")],
            "themes/clinic/templates/page.html:1:1: error: templates extend each other in a circle: page.html → section.html → page.html\n  hint: one template in the chain must not `extends` another\n",
        ),
    ];
    for (name, files, expected) in cases {
        let sb = Sandbox::new("minimal");
        for (f, text) in files {
            sb.write(&format!("themes/clinic/templates/{f}"), text);
        }
        let (run, took, peak_kb) = measured(&mut sb.command(&["build"], &[]));
        println!(
            "recursion: {name}: stopped in {:.3} s, peak {} MB",
            took.as_secs_f64(),
            peak_kb / 1024
        );
        assert_eq!(run.code, 1, "{name}");
        assert_eq!(run.stderr, expected, "{name}");
        assert!(took < Duration::from_secs(1), "{name}: {took:?}");
        assert!(peak_kb < 200_000, "{name}: {peak_kb} KB");
    }
}

/// Pull out each `<script type="application/ld+json">` block.
fn json_ld_blocks(html: &str) -> Vec<String> {
    let open = r#"<script type="application/ld+json">"#;
    html.match_indices(open)
        .map(|(i, _)| {
            let rest = &html[i + open.len()..];
            rest[..rest.find("</script>").expect("closed")].to_string()
        })
        .collect()
}

#[test]
fn writer_text_is_escaped_in_every_output_context() {
    const EVIL: &str = r#"</script><script>alert(1)</script><img src=x onerror=alert(2)>"' onmouseover="alert(3)" &amp; ]]> -->"#;
    let sb = Sandbox::new("minimal");
    let q = |s: &str| toml_quote(s);
    sb.write(
        "content/care/evil.md",
        format!(
            "+++\ntitle = {t}\ndescription = {t}\nsummary = {t}\nauthor = {t}\ndate = 2026-05-01\nreviewed_by = \"dr-a\"\nreviewed_on = 2026-05-02\nkeywords = [{t}]\n[taxonomies]\ntags = [{t}]\n[extra]\nnote = {t}\n[[sources]]\ntitle = {t}\npublisher = {t}\nurl = \"https://example.org/?a=1&b=2\"\n[[faq]]\nquestion = {t}\nanswer = \"Markdown, where raw HTML is the writer's own markup.\"\n+++\n## {h}\n\n[{h}](@/care/washing.md) ![{h}](/files/sheet.txt \"{h}\")\n\n`{h}`\n",
            t = q(EVIL),
            h = "&lt;b&gt; x"
        ),
    );
    sb.write(
        "content/care/_index.md",
        format!("+++\ntitle = {}\nsort_by = \"date\"\n+++\n", q(EVIL)),
    );
    sb.write(
        "site.toml",
        sb.read("site.toml")
            .replace("name = \"Minimal Clinic\"", &format!("name = {}", q(EVIL)))
            .replace("name = \"Dr. A\"", &format!("name = {}", q(EVIL))),
    );
    ok(&sb.build());
    let out = sb.output();
    let mut checked = 0;
    for (file, bytes) in &out {
        let text = String::from_utf8_lossy(bytes);
        // JSON-LD is checked as JSON below; everything else as HTML or XML.
        let mut outside_json = text.to_string();
        for block in json_ld_blocks(&text) {
            assert!(
                !block.contains('<') && !block.contains('>'),
                "{file}: raw angle bracket in JSON-LD"
            );
            outside_json = outside_json.replace(&block, "");
        }
        for needle in [
            "<script>alert(1)",
            "<img src=x onerror",
            "onmouseover=\"alert(3)\"",
            "' onmouseover",
        ] {
            assert!(
                !outside_json.contains(needle),
                "{file}: `{needle}` got through"
            );
        }
        if file.ends_with(".html") {
            for block in json_ld_blocks(&text) {
                let v: serde_json::Value = serde_json::from_str(&block)
                    .unwrap_or_else(|e| panic!("{file}: JSON-LD does not parse: {e}"));
                assert!(v.is_object());
            }
            checked += 1;
        }
        if file.ends_with(".xml") {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked}");
    // The text reads back exactly where a reader or a machine sees it.
    let page = sb.read("public/care/evil/index.html");
    let blocks = json_ld_blocks(&page);
    assert_eq!(blocks.len(), 1);
    assert!(blocks[0].contains("alert(1)"), "title missing from JSON-LD");
    assert!(page.contains("&lt;&#x2F;script&gt;") || page.contains("&lt;/script&gt;"));
}

fn toml_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------
// Failed builds and panics: the previous output stays byte-identical
// ---------------------------------------------------------------------------

type Break = Box<dyn Fn(&Sandbox)>;
type Env = Vec<(&'static str, &'static str)>;
/// (name, how to break the site, environment, exit code, what stderr holds)
type FailCase = (&'static str, Break, Env, i32, &'static str);

fn failure_cases() -> Vec<FailCase> {
    let page_html = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/clinic/templates/page.html"),
    )
    .unwrap();
    let fragile = page_html.replacen(
        "{% block main %}",
        "{% block main %}{% if page.title == \"Page 137\" %}{{ page.title | round }}{% endif %}",
        1,
    );
    vec![
        ("content error in one page of hundreds", Box::new(|s: &Sandbox| {
            s.write("content/results/p136.md", "+++\ntitle = \"Page 136\"\ndate = 2024-13-45\n+++\n")
        }), vec![], 1, "content/results/p136.md:3:8: error: `2024-13-45` has month 13, and months go from 01 to 12"),
        ("template error on one page of hundreds", Box::new(move |s: &Sandbox| {
            s.write("themes/clinic/templates/page.html", &fragile)
        }), vec![], 1, "themes/clinic/templates/page.html:3:"),
        ("template syntax error", Box::new(|s: &Sandbox| {
            s.write("themes/clinic/templates/page.html", "{% if %}")
        }), vec![], 1, "themes/clinic/templates/page.html:1:"),
        ("injected panic in one page of hundreds", Box::new(|_: &Sandbox| {}),
            vec![("FOLLICLE_INJECT_FAULT", "panic:content/costs/p137.md")], 3,
            "internal error: internal error while rendering content/costs/p137.md\n"),
        ("injected panic in a section", Box::new(|_: &Sandbox| {}),
            vec![("FOLLICLE_INJECT_FAULT", "panic:content/care/_index.md")], 3,
            "internal error: internal error while rendering content/care/_index.md\n"),
        ("injected panic copying a file", Box::new(|_: &Sandbox| {}),
            vec![("FOLLICLE_INJECT_FAULT", "panic:content/files/sheet.txt")], 3,
            "internal error: internal error while rendering content/files/sheet.txt\n"),
        ("injected write failure on one page of hundreds", Box::new(|_: &Sandbox| {}),
            vec![("FOLLICLE_INJECT_FAULT", "write:costs/p137/index.html")], 3,
            "internal error: cannot write costs/p137/index.html (for content/costs/p137.md): injected write failure\n"),
        ("injected write failure on a copied file", Box::new(|_: &Sandbox| {}),
            vec![("FOLLICLE_INJECT_FAULT", "write:files/sheet.txt")], 3,
            "internal error: cannot write files/sheet.txt (for content/files/sheet.txt): injected write failure\n"),
        ("injected write failure on the sitemap", Box::new(|_: &Sandbox| {}),
            vec![("FOLLICLE_INJECT_FAULT", "write:sitemap.xml")], 3,
            "internal error: cannot write sitemap.xml (for sitemap.xml): injected write failure\n"),
        ("URL collision", Box::new(|s: &Sandbox| {
            s.write("content/care/P000.md", "+++\ntitle = \"Twin\"\n+++\n")
        }), vec![], 1, "sources want the same URL /care/p000/index.html"),
        ("broken internal link", Box::new(|s: &Sandbox| {
            s.write("content/care/p000.md", "+++\ntitle = \"Page 0\"\n+++\n[x](@/nope.md)\n")
        }), vec![], 1, "content/care/p000.md:4:1: error: the link `@/nope.md`"),
        ("invalid UTF-8 page", Box::new(|s: &Sandbox| {
            s.write("content/care/p003.md", b"+++\ntitle = \"Caf\xe9\"\n+++\n".as_slice())
        }), vec![], 1, "content/care/p003.md:2:13: error: the file is not valid UTF-8 text"),
        ("broken site.toml", Box::new(|s: &Sandbox| {
            s.write("site.toml", "title = \n")
        }), vec![], 2, "site.toml:1:"),
        ("component recursion", Box::new(|s: &Sandbox| {
            s.write("themes/clinic/templates/components.html", "{% component nest() %}{{ <nest /> }}{% endcomponent nest %}");
            s.write("themes/clinic/templates/page.html", "{{ <nest /> }}");
        }), vec![], 1, "a template component calls itself without end"),
        ("page over 16 MB", Box::new(|s: &Sandbox| {
            let f = std::fs::File::create(s.site().join("content/care/huge.md")).unwrap();
            f.set_len(17 * 1024 * 1024).unwrap();
        }), vec![], 1, "content/care/huge.md: error: the file is 17.0 MB"),
    ]
}

#[test]
fn every_kind_of_failed_build_leaves_the_previous_output_byte_identical() {
    let cases = failure_cases();
    let total = cases.len();
    let mut passed = 0;
    for (name, break_it, env, code, expected) in cases {
        let sb = Sandbox::new("minimal");
        add_pages(&sb, 300, "Old");
        ok(&sb.build());
        // A second build so the kept previous output exists, as in real use.
        ok(&sb.build());
        let before_out = sb.output();
        let before_entries = sb.output_entries();
        let pristine = sb.outside("public");
        break_it(&sb);
        let before_outside = sb.outside("public");
        let run = sb.run_env(&["build"], &env);
        assert_eq!(run.code, code, "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains(expected),
            "{name}: expected `{expected}` in:\n{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
            "{name}: raw panic text: {}",
            run.stderr
        );
        assert!(
            before_out == sb.output(),
            "{name}: the previous output changed"
        );
        assert_eq!(
            before_entries,
            sb.output_entries(),
            "{name}: staging left behind"
        );
        assert!(
            before_outside == sb.outside("public"),
            "{name}: a file outside changed"
        );
        // Fix it: the next build succeeds and gives the same site as before.
        for rel in sb.outside("public").keys() {
            if !pristine.contains_key(rel) {
                std::fs::remove_file(sb.root().join(rel)).unwrap();
            }
        }
        for (rel, bytes) in &pristine {
            std::fs::write(sb.root().join(rel), bytes).unwrap();
        }
        ok(&sb.build());
        assert!(before_out == sb.output(), "{name}: rebuilt site differs");
        passed += 1;
    }
    println!("failed-build integrity: {passed} of {total}");
}

#[test]
fn a_panic_never_shows_raw_panic_text_unless_asked() {
    let sb = Sandbox::new("minimal");
    let run = sb.run_env(
        &["build"],
        &[("FOLLICLE_INJECT_FAULT", "panic:content/care/washing.md")],
    );
    assert_eq!(run.code, 3);
    assert_eq!(
        run.stderr,
        "internal error: internal error while rendering content/care/washing.md\n"
    );
    assert!(!sb.site().join("public").exists());
    let run = sb.run_env(
        &["build"],
        &[
            ("FOLLICLE_INJECT_FAULT", "panic:content/care/washing.md"),
            ("FOLLICLE_DEBUG", "1"),
        ],
    );
    assert_eq!(run.code, 3);
    assert!(run
        .stderr
        .contains("injected panic while rendering content/care/washing.md"));
}

// ---------------------------------------------------------------------------
// kill -9 and Ctrl-C in the middle of a build
// ---------------------------------------------------------------------------

/// xorshift: enough randomness for kill delays, reproducible from the seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn builds_interrupted_at_random_moments_leave_the_old_or_the_new_site_whole() {
    // Two versions of a 300-page site; each builds to a known snapshot.
    let version = |marker: &str| {
        let sb = Sandbox::new("minimal");
        add_pages(&sb, 300, marker);
        ok(&sb.build());
        sb
    };
    let a = version("Alpha");
    let b = version("Bravo");
    let snap = [a.output(), b.output()];
    assert!(snap[0] != snap[1]);
    let content = |sb: &Sandbox| tree(&sb.site().join("content"));
    let sources = [content(&a), content(&b)];
    let set_content = |sb: &Sandbox, v: usize| {
        for (rel, bytes) in &sources[v] {
            std::fs::write(sb.site().join("content").join(rel), bytes).unwrap();
        }
    };

    let sb = version("Alpha");
    let mut current = Some(0usize); // which snapshot `public` holds
                                    // How long does a slowed build take here? (The median of three.)
    let mut times = Vec::new();
    for v in [1, 0, 1] {
        set_content(&sb, v);
        let t = Instant::now();
        ok(&sb.run_env(&["build"], &[("FOLLICLE_INJECT_FAULT", "sleep:2")]));
        times.push(t.elapsed());
    }
    times.sort();
    let full = times[1];
    current = current.map(|_| 1);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    let trials = 60;
    let (mut old_kept, mut new_whole, mut survived) = (0, 0, 0);
    for trial in 0..trials {
        let target = 1 - current.unwrap_or(1);
        if trial % 10 == 9 {
            // Now and then, interrupt a first build (no output yet).
            for e in sb.output_entries() {
                std::fs::remove_dir_all(sb.site().join(e)).unwrap();
            }
            current = None;
        }
        set_content(&sb, target);
        // Half the trials anywhere in the build, half near its end, where the
        // staging folder is pruned and swapped in.
        let span = full.as_micros() as u64;
        let delay = Duration::from_micros(if trial % 4 < 2 {
            rng.next() % (span * 12 / 10 + 1)
        } else {
            span * 7 / 10 + rng.next() % (span * 6 / 10 + 1)
        });
        let mut child: Child = sb
            .command(&["build"], &[("FOLLICLE_INJECT_FAULT", "sleep:2")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let signal = if trial % 2 == 0 { "-KILL" } else { "-INT" };
        let _ = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status();
        let status = child.wait().unwrap();
        let now = sb.output();
        let whole = match current {
            Some(c) if now == snap[c] => {
                old_kept += 1;
                true
            }
            None if now.is_empty() => {
                old_kept += 1;
                true
            }
            _ if now == snap[target] => {
                new_whole += 1;
                true
            }
            _ => false,
        };
        if status.success() {
            survived += 1;
        }
        assert!(
            whole,
            "trial {trial} (seed {seed}, {signal} after {delay:?}): public/ is neither the old nor the new site ({} files)",
            now.len()
        );
        // The next build succeeds and gives exactly the new site.
        ok(&sb.build());
        assert!(
            sb.output() == snap[target],
            "trial {trial}: rebuild differs"
        );
        let entries = sb.output_entries();
        assert!(
            entries
                .iter()
                .all(|e| e == "public" || e == ".public.follicle-prev"),
            "trial {trial}: leftovers {entries:?}"
        );
        current = Some(target);
    }
    println!(
        "kill trials: {trials} of {trials} whole (old site kept {old_kept}, new site whole {new_whole}, {survived} finished before the signal); slowed build about {:.2} s; seed {seed}",
        full.as_secs_f64()
    );
}

// ---------------------------------------------------------------------------
// Concurrent use
// ---------------------------------------------------------------------------

#[test]
fn two_builds_at_once_leave_one_whole_site_with_its_marker() {
    let sb = Sandbox::new("minimal");
    add_pages(&sb, 1500, "concurrent");
    ok(&sb.build());
    for trial in 0..6 {
        let home = format!("+++\ntitle = \"Home\"\n+++\nhome version {trial}\n");
        sb.write("content/_index.md", &home);
        let spawn = || {
            sb.command(&["build"], &[])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let first = spawn();
        std::thread::sleep(Duration::from_millis(10 * trial as u64));
        let second = spawn();
        for child in [first, second] {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "trial {trial}: a build failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let files = sb.output();
        assert!(
            files.contains_key(".follicle-output"),
            "trial {trial}: no marker"
        );
        assert!(
            String::from_utf8_lossy(&files["index.html"])
                .contains(&format!("home version {trial}")),
            "trial {trial}: home page is not the latest"
        );
        // Whole: the same files a lone build gives.
        ok(&sb.build());
        assert_eq!(files, sb.output(), "trial {trial}: output was not whole");
        assert_eq!(
            sb.output_entries(),
            [".public.follicle-prev", "public"]
                .map(String::from)
                .to_vec()
        );
    }
}

#[test]
fn a_build_while_watch_runs_is_refused_with_the_watch_pid() {
    let sb = Sandbox::new("minimal");
    let log = sb.root().join("watch.log");
    let child = sb
        .command(&["watch"], &[])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id();
    let _watch = Running(child);
    wait_for(
        || {
            std::fs::read_to_string(&log)
                .unwrap_or_default()
                .contains("watching")
        },
        "watch start",
    );
    let before = sb.output();
    let run = sb.build();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "`follicle watch` is running (pid {pid}) and writing into public/"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("stop it (Ctrl-C"), "{}", run.stderr);
    assert_eq!(before, sb.output(), "the refused build touched public/");
    // A second watch is refused the same way.
    let second = sb.run_env(&["watch"], &[]);
    assert_eq!(second.code, 2, "{}", second.stderr);
    drop(_watch);
    ok(&sb.build());
}

#[test]
fn watch_never_writes_or_deletes_through_a_link_inside_the_output() {
    let sb = Sandbox::new("minimal");
    sb.put("canary/linked/leaflet/index.html", "user file: leaflet");
    sb.write(
        "content/care/leaflet.md",
        "+++\ntitle = \"Leaflet\"\n+++\nA leaflet.\n",
    );
    sb.put("canary/linked/aftercare/index.html", "user file: aftercare");
    let log = sb.root().join("watch.log");
    let child = sb
        .command(&["watch"], &[])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let _watch = Running(child);
    let logged = |what: &str| {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains(what)
    };
    wait_for(|| logged("watching"), "watch start");
    let care = sb.site().join("public/care");
    std::fs::remove_dir_all(&care).unwrap();
    std::os::unix::fs::symlink(sb.root().join("canary/linked"), &care).unwrap();
    let before = sb.outside("public");
    // Delete a page: its output is gone from public/, the user's file stays.
    std::fs::remove_file(sb.site().join("content/care/leaflet.md")).unwrap();
    wait_for(|| logged("removed"), "the removal");
    // Edit a page: written into a real public/care/, not the linked folder.
    let aftercare = sb.read("content/care/aftercare.md");
    sb.write(
        "content/care/aftercare.md",
        aftercare + "\nwatch-link-marker\n",
    );
    let page = sb.site().join("public/care/aftercare/index.html");
    wait_for(
        || {
            std::fs::read_to_string(&page)
                .unwrap_or_default()
                .contains("watch-link-marker")
        },
        "the edit",
    );
    assert!(!std::fs::symlink_metadata(&care).unwrap().is_symlink());
    let after = sb.outside("public");
    let changed: Vec<&String> = after
        .keys()
        .filter(|k| before.get(*k) != after.get(*k) && !k.starts_with("site/content/"))
        .chain(before.keys().filter(|k| !after.contains_key(*k)))
        .filter(|k| !k.starts_with("site/content/") && *k != "watch.log")
        .collect();
    assert!(
        changed.is_empty(),
        "watch changed files outside public/: {changed:?}"
    );
    assert_eq!(
        std::fs::read_to_string(sb.root().join("canary/linked/leaflet/index.html")).unwrap(),
        "user file: leaflet"
    );
}

// ---------------------------------------------------------------------------
// The dev server under load
// ---------------------------------------------------------------------------

struct Server {
    _process: Running,
    port: u16,
}

fn request(port: u16, raw: &[u8]) -> std::io::Result<(u16, String)> {
    http(port, raw, Duration::from_secs(15))
}

fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    request(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
    )
}

fn wait_for(cond: impl FnMut() -> bool, what: &str) {
    common::wait_for(cond, what, Duration::from_secs(30));
}

fn serve(sb: &Sandbox) -> Server {
    let port = free_port();
    let child = sb
        .command(&["serve", "--port", &port.to_string()], &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server {
        _process: Running(child),
        port,
    };
    wait_for(
        || get(port, "/").map(|r| r.0 == 200).unwrap_or(false),
        "server start",
    );
    server
}

/// Malformed and hostile requests, each different.
fn malformed(port: u16, i: usize) -> Vec<u8> {
    let host = format!("Host: 127.0.0.1:{port}\r\n");
    let path = format!("/care/{i}");
    match i % 20 {
        0 => b"garbage\r\n\r\n".to_vec(),
        1 => format!("GET {path}/../../../secret.md HTTP/1.1\r\n{host}\r\n").into_bytes(),
        2 => format!("GET /%2e%2e/%2e%2e/secret.md HTTP/1.1\r\n{host}\r\n").into_bytes(),
        3 => format!("GET /%c0%ae%c0%ae/{i} HTTP/1.1\r\n{host}\r\n").into_bytes(),
        4 => format!("GET /a%zz{i} HTTP/1.1\r\n{host}\r\n").into_bytes(),
        5 => format!(
            "GET / HTTP/1.1\r\nX-Big: {}\r\n{host}\r\n",
            "a".repeat(20_000)
        )
        .into_bytes(),
        6 => format!("GET / HTTP/1.1\r\n{}{host}\r\n", "X: y\r\n".repeat(5_000)).into_bytes(),
        7 => format!("GET /{} HTTP/1.1\r\n{host}\r\n", "x".repeat(17_000)).into_bytes(),
        8 => format!("GET /\0{i} HTTP/1.1\r\n{host}\r\n").into_bytes(),
        9 => format!("GET /\\..\\secret.md HTTP/1.1\r\n{host}\r\n").into_bytes(),
        10 => b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec(),
        11 => format!("DELETE / HTTP/1.1\r\n{host}\r\n").into_bytes(),
        12 => b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n".to_vec(),
        13 => format!("GET / HTTP/1.1\r\nno colon here\r\n{host}\r\n").into_bytes(),
        14 => b"\xff\xfe\xfd\r\n\r\n".to_vec(),
        15 => format!("GET /%ff%fe HTTP/1.1\r\n{host}\r\n").into_bytes(),
        16 => b"GET / HTTP/1.1\r\n".to_vec(), // never finishes its headers
        17 => Vec::new(),                     // connect and close
        18 => format!("GET /.follicle-output HTTP/1.1\r\n{host}\r\n").into_bytes(),
        _ => format!("GET  /  HTTP/1.1 extra\r\n{host}\r\n").into_bytes(),
    }
}

#[test]
fn the_dev_server_keeps_answering_under_load_and_keeps_rebuilding() {
    let sb = Sandbox::new("minimal");
    add_pages(&sb, 60, "Load");
    let server = serve(&sb);
    let port = server.port;
    let secret = "TOP-SECRET-CANARY";

    // 50 slowloris connections: one byte a second for 5 s.
    let slow: Vec<_> = (0..50)
        .map(|i| {
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                let req = format!("GET /care/p{:03}/ HTTP/1.1\r\n", (i % 20) * 3);
                for b in req.bytes().take(5) {
                    if s.write_all(&[b]).is_err() {
                        break;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
            })
        })
        .collect();

    // One that would dribble for 30 s: the server must cut it off at its
    // 10 s deadline for a request head, not hold the slot for hours.
    let dribbler = std::thread::spawn(move || {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
        let start = Instant::now();
        let mut buf = [0u8; 256];
        for b in b"GET /care/washing/ HTTP/1.1\r\nX-Slow: ".iter().cycle() {
            if start.elapsed() > Duration::from_secs(30) {
                break;
            }
            let _ = s.write_all(&[*b]);
            match s.read(&mut buf) {
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut =>
                {
                    continue
                }
                _ => break,
            }
        }
        start.elapsed()
    });

    // 300 concurrent clients, each a normal GET.
    let start = Instant::now();
    let clients: Vec<_> = (0..300)
        .map(|i| {
            std::thread::spawn(move || {
                let t = Instant::now();
                let r = get(port, &format!("/care/p{:03}/", (i % 20) * 3));
                (r.map(|r| r.0).unwrap_or(0), t.elapsed())
            })
        })
        .collect();
    let results: Vec<(u16, Duration)> = clients.into_iter().map(|h| h.join().unwrap()).collect();
    let served = results.iter().filter(|r| r.0 == 200).count();
    let busy = results.iter().filter(|r| r.0 == 503).count();
    let slowest = results.iter().map(|r| r.1).max().unwrap();
    assert_eq!(served + busy, 300, "{results:?}");
    assert!(served >= 250, "only {served} of 300 served");

    // 1,000 malformed requests from 10 threads, while the slowloris dribble.
    let codes: Vec<Vec<u16>> = (0..10)
        .map(|t| {
            std::thread::spawn(move || {
                (0..100)
                    .map(|k| {
                        let raw = malformed(port, t * 100 + k);
                        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
                        let _ = s.write_all(&raw);
                        if raw.is_empty() || raw.ends_with(b"HTTP/1.1\r\n") {
                            // Half a request: the server's timeout answers it.
                            let _ = s.shutdown(std::net::Shutdown::Write);
                        }
                        let mut buf = Vec::new();
                        let _ = s.read_to_end(&mut buf);
                        let text = String::from_utf8_lossy(&buf);
                        assert!(!text.contains(secret), "leak: {text}");
                        text.split(' ')
                            .nth(1)
                            .and_then(|c| c.parse().ok())
                            .unwrap_or(0)
                    })
                    .collect()
            })
        })
        .map(|h| h.join().unwrap())
        .collect();
    let mut histogram: BTreeMap<u16, usize> = BTreeMap::new();
    for c in codes.into_iter().flatten() {
        *histogram.entry(c).or_default() += 1;
    }
    let during = get(port, "/care/washing/").unwrap();
    assert_eq!(during.0, 200, "a normal GET during the load");
    for c in histogram.keys() {
        assert!(
            [0, 400, 403, 404, 405, 431].contains(c),
            "unexpected status {c}: {histogram:?}"
        );
    }
    assert!(
        !histogram.contains_key(&200),
        "a malformed request was served"
    );
    for h in slow {
        h.join().unwrap();
    }
    let load_time = start.elapsed();
    let cut_off = dribbler.join().unwrap();
    assert!(
        cut_off > Duration::from_secs(8) && cut_off < Duration::from_secs(14),
        "a dribbling client was cut off after {cut_off:?}"
    );

    // After the load: normal answers, and an edit still shows up.
    assert_eq!(get(port, "/").unwrap().0, 200);
    sb.write(
        "content/care/washing.md",
        sb.read("content/care/washing.md") + "\nafter-the-load\n",
    );
    let t = Instant::now();
    wait_for(
        || {
            get(port, "/care/washing/")
                .map(|r| r.1.contains("after-the-load"))
                .unwrap_or(false)
        },
        "the edit after the load",
    );
    println!(
        "load: 300 concurrent GETs: {served} served, {busy} busy (503), slowest {:.0} ms; 50 slowloris for 5 s; a 30 s dribbler cut off after {:.1} s; 1,000 malformed: {histogram:?} (0 = closed without answer); GET during load 200; edit visible {:.0} ms after the load; total {:.1} s",
        slowest.as_secs_f64() * 1000.0,
        cut_off.as_secs_f64(),
        t.elapsed().as_secs_f64() * 1000.0,
        load_time.as_secs_f64()
    );
}

#[test]
fn the_error_overlay_escapes_what_the_writer_typed() {
    let sb = Sandbox::new("minimal");
    let server = serve(&sb);
    sb.write(
        "content/care/washing.md",
        "+++\ntitle = \"Washing\"\ndate = \"<script>alert(1)</script>\"\n+++\n",
    );
    wait_for(
        || {
            get(server.port, "/care/washing/")
                .map(|r| r.1.contains("follicle-error"))
                .unwrap_or(false)
        },
        "error overlay",
    );
    let page = get(server.port, "/care/washing/").unwrap().1;
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script>alert(1)"));
}

#[test]
fn serve_listens_on_loopback_only_unless_asked_and_then_says_so() {
    let sb = Sandbox::new("minimal");
    let server = serve(&sb);
    // Every 127/8 address reaches this machine, but a socket bound to
    // 127.0.0.1 answers only there: 127.0.0.2 proves it is not 0.0.0.0.
    assert!(TcpStream::connect(("127.0.0.2", server.port)).is_err());
    drop(server);

    let port = free_port();
    let log = sb.root().join("serve.log");
    let child = sb
        .command(
            &["serve", "--port", &port.to_string(), "--bind", "0.0.0.0"],
            &[],
        )
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let _server = Running(child);
    wait_for(
        || get(port, "/").map(|r| r.0 == 200).unwrap_or(false),
        "server on 0.0.0.0",
    );
    assert!(TcpStream::connect(("127.0.0.2", port)).is_ok());
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("Warning: serving on 0.0.0.0 makes the preview reachable from other machines on your network."),
        "{text}"
    );
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    /// `None` where this process may not mount (not root, or no tmpfs).
    fn mount(at: &Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| SmallDisk(at.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A real full disk (a 256 KiB tmpfs): the build fails with one clear message
/// and exit 3, the previous output stays byte-identical, the staged files are
/// deleted (their space is what the user needs), and once there is room the
/// site builds again, equal to a clean build.
#[test]
fn a_full_disk_fails_cleanly_and_the_next_build_recovers() {
    let sb = Sandbox::new("minimal");
    let disk = sb.root().join("small-disk");
    // Room for the minimal site twice (its search index is ~30 small files)
    // but not for the big page below.
    let Some(_mounted) = SmallDisk::mount(&disk, "768k") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let out = disk.join("public");
    let out_arg = out.to_str().unwrap();
    ok(&sb.run_env(&["build", "--output", out_arg], &[]));
    let before = tree(&out);

    let para = "Keep the scalp dry and clean for the first days. ".repeat(40) + "\n\n";
    sb.write(
        "content/care/big.md",
        format!("+++\ntitle = \"Big\"\n+++\n{}", para.repeat(150)),
    );
    let run = sb.run_env(&["build", "--output", out_arg], &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("[SANDBOX]/small-disk/public: error: the disk is full: ")
            && run.stderr.contains("the output folder was left as it was")
            && !run.stderr.contains("internal error"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&out), before, "the old output changed");
    let left: Vec<_> = std::fs::read_dir(&disk)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The output lock (a few bytes, the last holder's pid) stays.
        .filter(|n| n != ".public.follicle-lock")
        .collect();
    assert_eq!(left, ["public"], "staged files were left on the full disk");

    std::fs::remove_file(sb.site().join("content/care/big.md")).unwrap();
    sb.write(
        "content/care/washing.md",
        "+++\ntitle = \"Washing\"\n+++\nAfter day 4.\n",
    );
    ok(&sb.run_env(&["build", "--output", out_arg], &[]));
    ok(&sb.run_env(&["build", "--output", "clean"], &[]));
    assert_eq!(tree(&out), tree(&sb.site().join("clean")));
}

/// Make `dir` (and, with `deep`, everything in it) read-only or writable again.
fn set_read_only(dir: &Path, read_only: bool, deep: bool) {
    use std::os::unix::fs::PermissionsExt;
    let paths: Vec<PathBuf> = if deep {
        walkdir_all(dir)
    } else {
        vec![dir.to_path_buf()]
    };
    for p in paths {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            continue;
        }
        let mode = meta.permissions().mode();
        let mode = if read_only {
            mode & !0o222
        } else {
            mode | 0o200
        };
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// `dir` and every path under it (no links followed).
fn walkdir_all(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        let p = out[i].clone();
        i += 1;
        if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
            for e in std::fs::read_dir(&p).unwrap().flatten() {
                out.push(e.path());
            }
        }
    }
    out
}

/// Whether `chmod a-w` stops this process writing (not as root).
fn chmod_blocks_writes(sb: &Sandbox) -> bool {
    let probe = sb.root().join("probe");
    std::fs::create_dir_all(&probe).unwrap();
    set_read_only(&probe, true, false);
    let blocked = std::fs::write(probe.join("x"), "x").is_err();
    set_read_only(&probe, false, false);
    std::fs::remove_dir_all(&probe).unwrap();
    blocked
}

/// A read-only output folder, a read-only folder holding it, or a read-only
/// copy of the previous build (reused as the staging folder) fail with one
/// plain message naming the folder and the fix, exit 2 (the output folder's
/// class), never "internal error"; the output is byte-identical and no
/// renamed staging folder stays behind; once writable, the build recovers.
/// As root `chmod` blocks nothing, so the fault injection stands in for it.
#[test]
fn a_read_only_output_folder_fails_with_a_plain_message_and_leaves_nothing_behind() {
    type Toggle = fn(&Sandbox, bool);
    let cases: [(&str, &str, &str, Toggle); 3] = [
        (
            "read-only public/",
            "readonly:output",
            "[SANDBOX]/site/public: error: cannot write the output folder",
            |sb, on| {
                set_read_only(&sb.site().join("public"), on, true);
                set_read_only(&sb.site().join(".public.follicle-prev"), on, true);
            },
        ),
        (
            "read-only site folder holding public/",
            "readonly:parent",
            "[SANDBOX]/site: error: cannot write in this folder, which holds the output folder public/",
            |sb, on| set_read_only(&sb.site(), on, false),
        ),
        (
            "read-only previous build, reused as staging",
            "readonly:staging",
            "[SANDBOX]/site/public: error: cannot write the output folder",
            |sb, on| set_read_only(&sb.site().join(".public.follicle-prev"), on, true),
        ),
    ];
    let sb = Sandbox::new("minimal");
    let real = chmod_blocks_writes(&sb);
    if !real {
        eprintln!(
            "running as root: chmod blocks nothing, FOLLICLE_INJECT_FAULT=readonly:… stands in"
        );
    }
    for (name, fault, expected, toggle) in cases {
        ok(&sb.build());
        ok(&sb.build());
        let before = sb.output();
        let entries = sb.output_entries();
        toggle(&sb, true);
        let env: Vec<(&str, &str)> = if real {
            vec![]
        } else {
            vec![("FOLLICLE_INJECT_FAULT", fault)]
        };
        let run = sb.run_env(&["build"], &env);
        toggle(&sb, false);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(
            run.stderr.starts_with(expected)
                && run.stderr.contains("the output folder was left as it was")
                && run.stderr.contains("hint: ")
                && run.stderr.contains("--output")
                && !run.stderr.contains("internal error")
                && !run.stderr.contains("os error"),
            "{name}: {}",
            run.stderr
        );
        assert!(before == sb.output(), "{name}: the output changed");
        assert_eq!(entries, sb.output_entries(), "{name}: staging left behind");
        ok(&sb.build());
        assert!(before == sb.output(), "{name}: the rebuilt site differs");
    }
}

/// A real read-only file system (a tmpfs remounted read-only), where even
/// root cannot write: the same plain message, the output untouched.
#[test]
fn an_output_folder_on_a_read_only_file_system_fails_with_a_plain_message() {
    let sb = Sandbox::new("minimal");
    let disk = sb.root().join("ro-disk");
    let Some(_mounted) = SmallDisk::mount(&disk, "4m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let out = disk.join("public");
    let out_arg = out.to_str().unwrap();
    ok(&sb.run_env(&["build", "--output", out_arg], &[]));
    ok(&sb.run_env(&["build", "--output", out_arg], &[]));
    let before = tree(&out);
    let remount = |mode: &str| {
        Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&disk)
            .status()
            .is_ok_and(|s| s.success())
    };
    assert!(remount("ro"), "cannot remount the tmpfs read-only");
    let run = sb.run_env(&["build", "--output", out_arg], &[]);
    assert!(remount("rw"));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("[SANDBOX]/ro-disk: error: cannot write in this folder")
            && run.stderr.contains("a read-only file system")
            && !run.stderr.contains("internal error"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&out), before, "the old output changed");
    ok(&sb.run_env(&["build", "--output", out_arg], &[]));
}

/// Run `follicle build` in the site under an address-space limit (KiB).
fn build_with_memory_limit(sb: &Sandbox, kib: u64) -> Run {
    let plain = sb.command(&[], &[]);
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {kib} && exec \"$0\" build"))
        .arg(BIN)
        .current_dir(sb.site())
        .env_clear()
        .envs(plain.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .expect("run sh");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// An allocation failure is a message and exit 3, never a silent abort
/// (exit 134): under `ulimit -v` just large enough for the small site, a
/// legal 15 MB page runs out of memory; the message names the largest page
/// and what to try, the output stays as it was, and without the limit the
/// site builds.
#[test]
fn running_out_of_memory_is_a_message_naming_the_largest_page_not_an_abort() {
    let sb = Sandbox::new("minimal");
    ok(&sb.build());
    let before = sb.output();
    // The smallest limit, in 64 MiB steps, under which the small site builds.
    let Some(limit) = (2..64u64)
        .map(|steps| steps * 64 * 1024)
        .find(|&kib| build_with_memory_limit(&sb, kib).code == 0)
    else {
        eprintln!("skipped: the site does not build under any address-space limit up to 4 GiB");
        return;
    };
    sb.write(
        "content/care/huge.md",
        format!("+++\ntitle = \"Huge\"\n+++\n{}", "a\n\n".repeat(5 << 20)),
    );
    let run = build_with_memory_limit(&sb, limit);
    assert_eq!(run.code, 3, "limit {limit} KiB: {}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: out of memory: could not get ")
            && run
                .stderr
                .contains("the largest page is content/care/huge.md (15.0 MB)")
            && run.stderr.contains("RAYON_NUM_THREADS=1")
            && !run.stderr.contains("memory allocation of"),
        "{}",
        run.stderr
    );
    assert!(before == sb.output(), "the output changed");
    println!("out of memory under ulimit -v {limit} KiB: exit 3 with a message");
}

/// A template that doubles a string in a loop (`set_global s = s ~ s`, 40
/// times: 8 TiB) is stopped with an error at the template once a value
/// passes the bound (four times the output limit), exit 1, well before the
/// memory runs out; the output stays as it was. Run under `ulimit -v` so a
/// regression fails here instead of filling the machine.
#[test]
fn a_template_that_keeps_doubling_a_string_is_stopped_at_the_template() {
    let sb = Sandbox::new("minimal");
    ok(&sb.build());
    let before = sb.output();
    sb.write(
        "themes/clinic/templates/page.html",
        "{% set_global s = \"abcdefgh\" %}\n{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}\n{{ s | length }}\n",
    );
    let start = Instant::now();
    let run = build_with_memory_limit(&sb, 4 << 20);
    let took = start.elapsed();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("themes/clinic/templates/page.html: error: rendering content/")
            && run.stderr.contains(
                "with this template made a value over 256 MiB (four times the limit for one output file)"
            )
            && run.stderr.contains("hint: look for a loop")
            && !run.stderr.contains("out of memory"),
        "{}",
        run.stderr
    );
    assert!(before == sb.output(), "the output changed");
    println!(
        "template doubling a string: stopped in {:.2} s",
        took.as_secs_f64()
    );
}
