//! Incremental rebuilds: after every edit the outputs equal a clean build's.

mod common;

use common::Site;
use follicle::build::BuildOptions;
use follicle::incremental::{Outputs, Session};
use std::path::PathBuf;

fn opts(site: &Site) -> BuildOptions {
    BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    }
}

fn clean(site: &Site) -> Outputs {
    let mut s = Session::new(opts(site));
    s.full()
        .unwrap_or_else(|e| panic!("clean build failed: {e}"));
    (*s.outputs()).clone()
}

fn diff(a: &Outputs, b: &Outputs) -> Vec<String> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

/// One edit: what to do to the files, and which paths the watcher would report.
struct Edit {
    name: &'static str,
    apply: Box<dyn Fn(&Site)>,
    paths: Vec<&'static str>,
}

fn edit(name: &'static str, paths: Vec<&'static str>, apply: impl Fn(&Site) + 'static) -> Edit {
    Edit {
        name,
        apply: Box::new(apply),
        paths,
    }
}

#[test]
fn any_sequence_of_edits_equals_a_clean_build() {
    let site = Site::fixture("minimal");
    let mut session = Session::new(opts(&site));
    session.full().unwrap();
    let edits = vec![
        edit("body edit", vec!["content/care/washing.md"], |s| {
            s.write(
                "content/care/washing.md",
                s.read("content/care/washing.md") + "\nA new line.\n",
            )
        }),
        edit(
            "body grows past a reading-time step",
            vec!["content/care/washing.md"],
            |s| {
                s.write(
                    "content/care/washing.md",
                    s.read("content/care/washing.md") + &"word ".repeat(450),
                )
            },
        ),
        edit("section body edit", vec!["content/care/_index.md"], |s| {
            s.write(
                "content/care/_index.md",
                s.read("content/care/_index.md") + "\nMore about care.\n",
            )
        }),
        edit(
            "body with a broken anchor",
            vec!["content/care/washing.md"],
            |s| {
                s.write(
                    "content/care/washing.md",
                    s.read("content/care/washing.md")
                        + "\nSee [day 9](@/care/aftercare.md#day-9).\n",
                )
            },
        ),
        edit("anchor fixed", vec!["content/care/washing.md"], |s| {
            s.write(
                "content/care/washing.md",
                s.read("content/care/washing.md")
                    .replace("#day-9", "#day-1"),
            )
        }),
        edit(
            "heading renamed under a link",
            vec!["content/care/aftercare.md"],
            |s| {
                s.write(
                    "content/care/aftercare.md",
                    s.read("content/care/aftercare.md")
                        .replace("## Day 1\n\nDo not wash.", "## First day\n\nDo not wash."),
                )
            },
        ),
        edit("heading restored", vec!["content/care/aftercare.md"], |s| {
            s.write(
                "content/care/aftercare.md",
                s.read("content/care/aftercare.md")
                    .replace("## First day\n\nDo not wash.", "## Day 1\n\nDo not wash."),
            )
        }),
        edit("title edit", vec!["content/care/washing.md"], |s| {
            s.write(
                "content/care/washing.md",
                s.read("content/care/washing.md")
                    .replace("title = \"Washing\"", "title = \"Washing your scalp\""),
            )
        }),
        edit("new page", vec!["content/care/sleep.md"], |s| {
            s.write("content/care/sleep.md", "+++\ntitle = \"Sleep\"\ndate = 2026-04-01\nweight = 3\n[taxonomies]\ntags = [\"rest\"]\n+++\nSleep on your back. See [washing](@/care/washing.md).\n")
        }),
        edit("tag change", vec!["content/care/sleep.md"], |s| {
            s.write(
                "content/care/sleep.md",
                s.read("content/care/sleep.md")
                    .replace("\"rest\"", "\"aftercare\""),
            )
        }),
        edit("broken then", vec!["content/care/sleep.md"], |s| {
            s.write("content/care/sleep.md", "+++\ntitle = 3\n+++\n")
        }),
        edit("fixed", vec!["content/care/sleep.md"], |s| {
            s.write(
                "content/care/sleep.md",
                "+++\ntitle = \"Sleep well\"\n+++\nBetter.\n",
            )
        }),
        edit(
            "rename",
            vec!["content/care/sleep.md", "content/care/rest.md"],
            |s| {
                std::fs::rename(
                    s.path("content/care/sleep.md"),
                    s.path("content/care/rest.md"),
                )
                .unwrap()
            },
        ),
        edit("section edit", vec!["content/care/_index.md"], |s| {
            s.write(
                "content/care/_index.md",
                s.read("content/care/_index.md")
                    .replace("title = \"Care\"", "title = \"Caring\""),
            )
        }),
        edit("linked page moves", vec!["content/care/washing.md"], |s| {
            s.write(
                "content/care/washing.md",
                s.read("content/care/washing.md")
                    .replace("weight = 2", "weight = 2\nslug = \"wash\""),
            )
        }),
        edit("delete", vec!["content/care/rest.md"], |s| {
            std::fs::remove_file(s.path("content/care/rest.md")).unwrap()
        }),
        edit("new folder", vec!["content/results/longevity.md"], |s| {
            s.write(
                "content/results/longevity.md",
                "+++\ntitle = \"Longevity\"\n+++\nYears.\n",
            )
        }),
        edit("asset added", vec!["content/files/map.txt"], |s| {
            s.write("content/files/map.txt", "map v1")
        }),
        edit("asset changed", vec!["content/files/map.txt"], |s| {
            s.write("content/files/map.txt", "map v2")
        }),
        edit(
            "template override",
            vec!["themes/clinic/templates/404.html"],
            |s| {
                s.write(
                    "themes/clinic/templates/404.html",
                    "{% extends \"base.html\" %}{% block main %}<h1>Gone</h1>{% endblock main %}",
                )
            },
        ),
        edit("config edit", vec!["site.toml"], |s| {
            s.write(
                "site.toml",
                s.read("site.toml")
                    .replace("Minimal Clinic", "Renamed Clinic"),
            )
        }),
        edit("folder removed", vec!["content/results"], |s| {
            std::fs::remove_dir_all(s.path("content/results")).unwrap()
        }),
    ];
    for e in edits {
        (e.apply)(&site);
        let paths: Vec<PathBuf> = e.paths.iter().map(|p| site.path(p)).collect();
        let result = session.rebuild(&paths, false);
        let fresh = Session::new(opts(&site)).full();
        match (&result, &fresh) {
            (Ok(_), Ok(_)) => {
                let d = diff(&session.outputs(), &clean(&site));
                assert!(
                    d.is_empty(),
                    "after `{}` these outputs differ from a clean build: {d:?}",
                    e.name
                );
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "after `{}`", e.name),
            _ => panic!(
                "after `{}`: incremental {:?} vs clean {:?}",
                e.name,
                result.as_ref().err().map(|e| e.to_string()),
                fresh.as_ref().err().map(|e| e.to_string())
            ),
        }
    }
}

#[test]
fn a_body_edit_re_renders_only_that_page_and_the_feeds() {
    let site = Site::fixture("minimal");
    let mut session = Session::new(opts(&site));
    session.full().unwrap();
    site.write(
        "content/care/washing.md",
        site.read("content/care/washing.md") + "\nMore.\n",
    );
    let r = session
        .rebuild(&[site.path("content/care/washing.md")], false)
        .unwrap();
    assert!(!r.full);
    // The page's new word and length change its language's search index.
    let (index, pages): (Vec<&String>, Vec<&String>) = r
        .written
        .iter()
        .partition(|w| w.starts_with("search-index/"));
    assert_eq!(pages, ["atom.xml", "care/washing/index.html"], "{r:?}");
    assert!(
        index.iter().any(|w| w.starts_with("search-index/en/s/")),
        "{r:?}"
    );
    assert!(index.iter().all(|w| w.starts_with("search-index/en/")));
}

#[test]
fn the_in_memory_build_equals_the_build_on_disk() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let mut disk = site.snapshot("public");
    disk.remove(".follicle-output");
    let mem: std::collections::BTreeMap<String, Vec<u8>> = clean(&site)
        .into_iter()
        .map(|(k, v)| (k, (*v).clone()))
        .collect();
    assert_eq!(
        disk.keys().collect::<Vec<_>>(),
        mem.keys().collect::<Vec<_>>()
    );
    assert!(disk == mem);
}

/// A two-language site where Spanish lacks most pages: they are stand-ins,
/// made again on every rebuild.
fn bilingual() -> Site {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://x.example/\"\n[languages.es]\nname = \"Español\"\n",
    );
    site.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
    site.write("content/_index.es.md", "+++\ntitle = \"Inicio\"\n+++\n");
    site.write("content/care/_index.md", "+++\ntitle = \"Care\"\n+++\n");
    for n in 0..6 {
        site.write(
            &format!("content/care/p{n}.md"),
            format!(
                "+++\ntitle = \"Page {n}\"\ndate = 2026-01-0{}\n+++\nBody {n}.\n",
                n + 1
            ),
        );
    }
    site.write(
        "content/care/p0.es.md",
        "+++\ntitle = \"Página 0\"\ndate = 2026-01-01\n+++\nCuerpo.\n",
    );
    site
}

fn keys(r: &follicle::incremental::Rebuild) -> Vec<String> {
    let mut k: Vec<String> = r
        .markdown_rendered
        .iter()
        .map(|k| format!("{} {}", k.file, k.lang))
        .collect();
    k.sort();
    k
}

#[test]
fn stand_ins_are_not_rendered_again_when_another_page_changes() {
    let site = bilingual();
    let mut session = Session::new(opts(&site));
    session.full().unwrap();
    // A title change takes the full path (listings change), which rebuilds the
    // stand-ins as new values: their Markdown must still come from the cache.
    site.write(
        "content/care/p3.md",
        "+++\ntitle = \"Page three\"\ndate = 2026-01-04\n+++\nBody 3.\n",
    );
    let r = session
        .rebuild(&[site.path("content/care/p3.md")], false)
        .unwrap();
    assert_eq!(
        keys(&r),
        vec!["content/care/p3.md en", "content/care/p3.md es"],
        "{r:?}"
    );
    assert_eq!(
        diff(&session.outputs(), &clean(&site)),
        Vec::<String>::new()
    );
    // A body edit takes the fast path: the page itself only.
    site.write(
        "content/care/p1.md",
        site.read("content/care/p1.md") + "\nMore.\n",
    );
    let r = session
        .rebuild(&[site.path("content/care/p1.md")], false)
        .unwrap();
    assert!(
        keys(&r).iter().all(|k| k.starts_with("content/care/p1.md")),
        "{r:?}"
    );
    assert_eq!(
        diff(&session.outputs(), &clean(&site)),
        Vec::<String>::new()
    );
}

/// A body edit of a page (or section) whose Spanish stand-in shows it keeps the
/// site tree: the page and its stand-in are rendered again, nothing else.
#[test]
fn a_body_edit_with_a_stand_in_takes_the_fast_path() {
    let site = bilingual();
    let mut session = Session::new(opts(&site));
    session.full().unwrap();
    for (file, page) in [
        ("content/care/p2.md", "care/p2/index.html"),
        ("content/care/_index.md", "care/index.html"),
    ] {
        site.write(file, site.read(file) + "\nA new sentence here.\n");
        let r = session.rebuild(&[site.path(file)], false).unwrap();
        assert!(r.body_only && !r.full, "{file}: {r:?}");
        assert_eq!(
            keys(&r),
            [format!("{file} en"), format!("{file} es")],
            "{r:?}"
        );
        let pages: Vec<&String> = r.written.iter().filter(|w| w.ends_with(".html")).collect();
        assert_eq!(pages, [&page.to_string(), &format!("es/{page}")], "{r:?}");
        assert_eq!(
            diff(&session.outputs(), &clean(&site)),
            Vec::<String>::new(),
            "after editing {file}"
        );
    }
}

#[test]
fn leaving_a_page_out_of_search_re_emits_its_languages_index() {
    let site = Site::fixture("minimal");
    let mut session = Session::new(opts(&site));
    session.full().unwrap();
    let before = session.outputs();
    let docs = |o: &Outputs| {
        o.keys()
            .filter(|k| k.starts_with("search-index/en/d/"))
            .count()
    };
    let text = site.read("content/care/washing.md");
    site.write(
        "content/care/washing.md",
        text.replacen("weight = 2", "weight = 2\nin_search_index = false", 1),
    );
    let r = session
        .rebuild(&[site.path("content/care/washing.md")], false)
        .unwrap();
    assert!(!r.full, "{r:?}");
    let after = session.outputs();
    assert_eq!(docs(&after), docs(&before) - 1);
    assert!(
        r.removed
            .iter()
            .any(|k| k.starts_with("search-index/en/d/")),
        "{r:?}"
    );
    let d = diff(&after, &clean(&site));
    assert!(d.is_empty(), "differs from a clean build: {d:?}");
}

/// A small seeded generator (xorshift64*), so a failing sequence can be re-run
/// by its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }
}

/// A bilingual site with tags, pagination, a partial translation and a theme
/// override, for random edits.
fn random_site() -> Site {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://x.example/\"\ntaxonomies = [\"tags\"]\n[languages.es]\nname = \"Español\"\n",
    );
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
    );
    site.write(
        "content/_index.es.md",
        "+++\ntitle = \"Inicio\"\n+++\nHola.\n",
    );
    site.write(
        "content/care/_index.md",
        "+++\ntitle = \"Care\"\npaginate_by = 2\n+++\nAll care pages.\n",
    );
    for n in 0..5 {
        site.write(&format!("content/care/p{n}.md"), page(n, "Page", "a", ""));
    }
    site.write("content/care/p0.es.md", page(0, "Página", "a", ""));
    site
}

fn page(n: usize, title: &str, tag: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"{title} {n}\"\ndate = 2026-01-0{}\ntags = [\"{tag}\"]\n+++\nBody {n}. See [home](@/_index.md).\n{extra}",
        n % 9 + 1
    )
}

/// One random edit to `site`; gives its name and the paths a watcher reports.
fn random_edit(site: &Site, rng: &mut Rng, step: usize) -> (String, Vec<String>) {
    let n = rng.below(7);
    let file = format!("content/care/p{n}.md");
    let es = format!("content/care/p{n}.es.md");
    let exists = site.path(&file).exists();
    let (what, path) = match rng.below(11) {
        0 | 1 if exists => {
            site.write(&file, site.read(&file) + &format!("\nMore text {step}.\n"));
            ("body edit", file)
        }
        2 => {
            let title = ["Page", "Guide", "Notes"][rng.below(3)];
            let tag = ["a", "b", "c"][rng.below(3)];
            site.write(&file, page(n, title, tag, ""));
            ("page written (title, tag, date)", file)
        }
        3 if exists => {
            std::fs::remove_file(site.path(&file)).unwrap();
            let _ = std::fs::remove_file(site.path(&es));
            return (format!("remove {file}"), vec![file, es]);
        }
        4 if exists => {
            site.write(&es, page(n, "Página", "a", "Traducido.\n"));
            ("translation added", es)
        }
        5 if site.path(&es).exists() => {
            std::fs::remove_file(site.path(&es)).unwrap();
            ("translation removed", es)
        }
        6 => {
            let by = rng.below(4);
            let file = "content/care/_index.md".to_string();
            site.write(
                &file,
                format!(
                    "+++\ntitle = \"Care\"\npaginate_by = {by}\n+++\nAll care pages, {step}.\n"
                ),
            );
            ("section (pagination) edit", file)
        }
        7 => {
            let file = "themes/clinic/templates/404.html".to_string();
            site.write(
                &file,
                format!("{{% extends \"base.html\" %}}{{% block main %}}<h1>Gone {step}</h1>{{% endblock main %}}"),
            );
            ("template edit", file)
        }
        8 => {
            let title = ["T", "Clinic", "Other"][rng.below(3)];
            site.write(
                "site.toml",
                site.read("site.toml")
                    .lines()
                    .map(|l| {
                        if l.starts_with("title") {
                            format!("title = \"{title}\"")
                        } else {
                            l.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n",
            );
            ("site.toml title", "site.toml".to_string())
        }
        9 if exists => {
            site.write(
                &file,
                site.read(&file) + "\nSee [a gone page](@/care/nope.md).\n",
            );
            ("broken link", file)
        }
        _ => {
            site.write(
                "content/_index.es.md",
                format!("+++\ntitle = \"Inicio\"\n+++\nHola {step}.\n"),
            );
            ("Spanish home body", "content/_index.es.md".to_string())
        }
    };
    (format!("{what}: {path}"), vec![path])
}

/// Random edit sequences (pages, sections, translations, pagination, tags,
/// templates, site.toml) on a bilingual site: after each step the in-memory
/// result equals a clean build, or both fail with the same message.
#[test]
fn random_edit_sequences_equal_a_clean_build() {
    for seed in [0x9e37_79b9_7f4a_7c15u64, 42, 7_777_777, 2026] {
        let site = random_site();
        let mut session = Session::new(opts(&site));
        session.full().unwrap();
        let mut rng = Rng(seed);
        let mut done = Vec::new();
        for step in 0..20 {
            let (name, paths) = random_edit(&site, &mut rng, step);
            done.push(name);
            let paths: Vec<PathBuf> = paths.iter().map(|p| site.path(p)).collect();
            let result = session.rebuild(&paths, false);
            let fresh = Session::new(opts(&site)).full();
            match (&result, &fresh) {
                (Ok(_), Ok(_)) => {
                    let d = diff(&session.outputs(), &clean(&site));
                    assert!(d.is_empty(), "seed {seed:#x}, after {done:?}: {d:?} differ");
                }
                (Err(a), Err(b)) => {
                    assert_eq!(
                        a.to_string(),
                        b.to_string(),
                        "seed {seed:#x}, after {done:?}"
                    )
                }
                _ => panic!(
                    "seed {seed:#x}, after {done:?}: incremental {:?} vs clean {:?}",
                    result.as_ref().err().map(|e| e.to_string()),
                    fresh.as_ref().err().map(|e| e.to_string())
                ),
            }
        }
    }
}

/// The search-index files of some outputs.
fn index_of(o: &Outputs) -> Vec<(&String, &std::sync::Arc<Vec<u8>>)> {
    let mut files: Vec<_> = o
        .iter()
        .filter(|(k, _)| k.starts_with("search-index/"))
        .collect();
    files.sort();
    files
}

/// A named edit, the file it touches, the edit, and how many pages it should re-read.
type IndexStep = (&'static str, &'static str, Box<dyn Fn(&Site)>, usize);

#[test]
fn an_edit_re_reads_only_that_page_for_the_index_which_equals_a_fresh_builds() {
    let site = bilingual();
    let mut session = Session::new(opts(&site));
    let first = session.full().unwrap();
    // Six English pages and one Spanish (the Spanish stand-ins are not indexed).
    assert_eq!(first.search_pages_read, 7);
    let steps: Vec<IndexStep> = vec![
        (
            "body edit",
            "content/care/p1.md",
            Box::new(|s: &Site| {
                s.write(
                    "content/care/p1.md",
                    s.read("content/care/p1.md") + "\nWashing gently, twice.\n",
                )
            }),
            1,
        ),
        (
            "title edit",
            "content/care/p3.md",
            Box::new(|s: &Site| {
                s.write(
                    "content/care/p3.md",
                    s.read("content/care/p3.md")
                        .replace("Page 3", "Aftercare three"),
                )
            }),
            1,
        ),
        (
            "new page",
            "content/care/p9.md",
            Box::new(|s: &Site| {
                s.write(
                    "content/care/p9.md",
                    "+++\ntitle = \"Sleep\"\ndate = 2026-02-01\n+++\nSleep on your back.\n",
                )
            }),
            1,
        ),
        (
            "Spanish body edit",
            "content/care/p0.es.md",
            Box::new(|s: &Site| {
                s.write(
                    "content/care/p0.es.md",
                    s.read("content/care/p0.es.md") + "\nCuidados del cuero cabelludo.\n",
                )
            }),
            1,
        ),
        (
            "delete",
            "content/care/p2.md",
            Box::new(|s: &Site| std::fs::remove_file(s.path("content/care/p2.md")).unwrap()),
            0,
        ),
    ];
    for (name, path, apply, read) in steps {
        let session_outputs_before = session.outputs();
        apply(&site);
        let r = session.rebuild(&[site.path(path)], false).unwrap();
        assert_eq!(r.search_pages_read, read, "after `{name}`: {r:?}");
        if name.ends_with("body edit") {
            // Patched, not assembled again: the page's document file, the
            // manifest and the shards of the page's terms (its length is in
            // each of its postings), not the other pages' shards.
            let index: Vec<&String> = r
                .written
                .iter()
                .filter(|w| w.starts_with("search-index/"))
                .collect();
            assert!(
                index.iter().any(|w| w.ends_with("/index.json")),
                "{index:?}"
            );
            let docs = index.iter().filter(|w| w.contains("/d/")).count();
            assert!(docs <= 1, "after `{name}`: {index:?}");
            let before = index_of(&session_outputs_before);
            let shards = before.iter().filter(|(k, _)| k.contains("/s/")).count();
            let rewritten = index.iter().filter(|w| w.contains("/s/")).count();
            assert!(
                rewritten < shards,
                "after `{name}`: {rewritten} of {shards} shards"
            );
        }
        let fresh = clean(&site);
        let (ours, theirs) = (session.outputs(), fresh);
        let (a, b) = (index_of(&ours), index_of(&theirs));
        assert_eq!(
            a.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            b.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            "after `{name}`"
        );
        for ((k, x), (_, y)) in a.iter().zip(&b) {
            assert!(x == y, "after `{name}`: {k} differs from a fresh build's");
        }
        assert_eq!(diff(&ours, &theirs), Vec::<String>::new(), "after `{name}`");
    }
    // The new words are in the index: "washing" stems to a term of p1's page.
    let o = session.outputs();
    let wa = o
        .get(&format!(
            "search-index/en/s/{}.json",
            follicle::search::index::hex("wa")
        ))
        .expect("the wa shard");
    assert!(String::from_utf8_lossy(wa).contains("\"wash\""));
}
