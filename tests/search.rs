//! The search index `follicle build` writes, read back as the browser reads it
//! (themes/clinic/static/search.js): manifest → shard of the term's prefix →
//! postings → document files.

mod common;

use std::collections::BTreeMap;

use common::Site;
use follicle::search::index::hex;
use follicle::search::text::Analyzer;
use serde_json::Value;

fn bundled() -> Site {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::empty();
    common::copy_tree(&repo.join("content"), &site.path("content"));
    common::copy_tree(&repo.join("themes"), &site.path("themes"));
    std::fs::copy(repo.join("site.toml"), site.path("site.toml")).unwrap();
    site
}

fn json(site: &Site, rel: &str) -> Value {
    serde_json::from_str(&site.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The URLs of the pages indexed under `term` in `lang`, best score first.
fn pages_for(site: &Site, lang: &str, term: &str) -> Vec<String> {
    let base = format!("public/search-index/{lang}");
    let manifest = json(site, &format!("{base}/index.json"));
    let keys: Vec<&str> = manifest["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let chars: Vec<char> = term.chars().collect();
    let Some(key) = (1..=chars.len())
        .rev()
        .map(|n| chars[..n].iter().collect::<String>())
        .find(|k| keys.contains(&k.as_str()))
    else {
        return Vec::new();
    };
    let shard = json(site, &format!("{base}/s/{}.json", hex(&key)));
    let Some(flat) = shard["t"][term].as_array() else {
        return Vec::new();
    };
    // BM25 as search.js scores it: [page delta, tf, page length, …], tf the
    // weighted count doubled plus one for the title.
    let n = manifest["docs"].as_f64().unwrap();
    let avg = (manifest["length"].as_f64().unwrap() / n.max(1.0)).max(1.0);
    let df = (flat.len() / 3) as f64;
    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
    let mut doc = 0;
    let mut scored = Vec::new();
    for posting in flat.chunks(3) {
        let [delta, tf, len] = [0, 1, 2].map(|i| posting[i].as_u64().unwrap());
        doc += delta;
        let f = (tf >> 1) as f64;
        let norm = 1.2 * (1.0 - 0.75 + 0.75 * len as f64 / avg);
        let bonus = if tf & 1 == 1 { 2.0 } else { 0.0 };
        scored.push((idf * (f * 2.2 / (f + norm) + bonus), doc));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .map(|(_, d)| {
            json(site, &format!("{base}/d/{d}.json"))["url"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn the_bundled_site_is_indexed_per_language_with_stemmed_terms() {
    let site = bundled();
    site.write(
        "content/treatment/staff-notes.md",
        "+++\ntitle = \"Staff notes\"\nin_search_index = false\n+++\nZanzibarword appears only here.\n",
    );
    site.write(
        "content/treatment/draft-idea.md",
        "+++\ntitle = \"Draft idea\"\ndraft = true\n+++\nQuixotryword appears only here.\n",
    );
    site.write(
        "content/treatment/english-only.md",
        "+++\ntitle = \"English only\"\n+++\nFlumpetword appears only here.\n",
    );
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let en = Analyzer::new("en");
    let es = Analyzer::new("es");

    let aftercare = pages_for(&site, "en", &en.term("aftercare"));
    assert_eq!(
        aftercare.first().map(String::as_str),
        Some("/treatment/aftercare/"),
        "{aftercare:?}"
    );
    assert!(aftercare.iter().all(|u| !u.starts_with("/es/")));
    // "washing" and "wash" are one term.
    assert_eq!(en.term("washing"), "wash");
    assert!(pages_for(&site, "en", "wash").contains(&"/treatment/aftercare/".to_string()));

    let cuidados = pages_for(&site, "es", &es.term("cuidados"));
    assert_eq!(es.term("cuidados"), "cuid");
    assert!(
        cuidados.contains(&"/es/treatment/aftercare/".to_string()),
        "{cuidados:?}"
    );
    assert!(
        cuidados.iter().all(|u| u.starts_with("/es/")),
        "{cuidados:?}"
    );
    // The word as the site writes it maps to its stem, for the browser.
    let shard = json(
        &site,
        &format!("public/search-index/es/s/{}.json", hex("cu")),
    );
    assert_eq!(shard["w"]["cuidados"], "cuid");

    // Left out: in_search_index = false, drafts (even with --drafts), and the
    // Spanish stand-in of an English-only page; the pages themselves are built.
    assert!(site
        .path("public/treatment/staff-notes/index.html")
        .exists());
    assert!(site.path("public/treatment/draft-idea/index.html").exists());
    assert!(pages_for(&site, "en", &en.term("zanzibarword")).is_empty());
    assert!(pages_for(&site, "en", &en.term("quixotryword")).is_empty());
    assert_eq!(
        pages_for(&site, "en", &en.term("flumpetword")),
        ["/treatment/english-only/"]
    );
    assert!(site
        .path("public/es/treatment/english-only/index.html")
        .exists());
    assert!(pages_for(&site, "es", &es.term("flumpetword")).is_empty());

    // A result's file: title, section, review date, excerpt text.
    let manifest = json(&site, "public/search-index/en/index.json");
    let n = manifest["docs"].as_u64().unwrap();
    let docs: BTreeMap<String, Value> = (0..n)
        .map(|d| json(&site, &format!("public/search-index/en/d/{d}.json")))
        .map(|v| (v["url"].as_str().unwrap().to_string(), v))
        .collect();
    let a = &docs["/treatment/aftercare/"];
    assert_eq!(a["section"], "Your treatment");
    assert!(a["reviewed"].as_str().is_some_and(|d| d.len() == 10), "{a}");
    assert!(a["text"].as_str().unwrap().len() > 100);
    assert!(!docs.contains_key("/treatment/staff-notes/"));
    assert_eq!(manifest["stemmed"], true);
    assert!(manifest["rules"]["ing"].as_array().is_some());

    // The search pages and the header box that leads to them.
    let search = site.read("public/search/index.html");
    assert!(search.contains("data-index=\"/search-index/en/\""));
    assert!(search.contains("<script src=\"/search.js\" defer></script>"));
    assert!(site
        .read("public/es/search/index.html")
        .contains("data-index=\"/search-index/es/\""));
    let article = site.read("public/treatment/aftercare/index.html");
    assert!(article.contains(
        "<form class=\"header-search\" role=\"search\" action=\"/search/\" method=\"get\">"
    ));
    assert!(
        !article.contains("search.js"),
        "only the search page loads the script"
    );
    assert!(site
        .read("public/es/treatment/aftercare/index.html")
        .contains("action=\"/es/search/\""));
}

#[test]
fn a_writers_own_search_page_wins() {
    let site = Site::fixture("minimal");
    site.write(
        "content/search.md",
        "+++\ntitle = \"Our search\"\n+++\nFind us.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("public/search/index.html").contains("Our search"));
}
