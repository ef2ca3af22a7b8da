//! Structured data and head metadata: parsed from the built HTML, checked per type.

mod common;

use common::Site;
use serde_json::Value;

fn bundled() -> Site {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::empty();
    common::copy_tree(&repo.join("content"), &site.path("content"));
    common::copy_tree(&repo.join("themes"), &site.path("themes"));
    std::fs::copy(repo.join("site.toml"), site.path("site.toml")).unwrap();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

/// Every JSON-LD block of a page, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut rest = html;
    let open = r#"<script type="application/ld+json">"#;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let end = after.find("</script>").expect("closed script");
        out.push(
            serde_json::from_str(&after[..end])
                .unwrap_or_else(|e| panic!("bad JSON-LD: {e}\n{}", &after[..end])),
        );
        rest = &after[end..];
    }
    out
}

fn nodes<'a>(doc: &'a Value, ty: &str) -> Vec<&'a Value> {
    doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["@type"] == ty)
        .collect()
}

fn has(node: &Value, keys: &[&str]) {
    for k in keys {
        assert!(!node[k].is_null(), "missing {k} in {node:#}");
    }
}

#[test]
fn every_page_has_exactly_one_valid_json_ld_graph() {
    let site = bundled();
    let pages: Vec<String> = site
        .snapshot("public")
        .into_keys()
        .filter(|k| k.ends_with(".html"))
        .collect();
    let mut checked = 0;
    for p in &pages {
        let html = site.read(&format!("public/{p}"));
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        let docs = json_ld(&html);
        assert_eq!(docs.len(), 1, "{p}");
        assert_eq!(docs[0]["@context"], "https://schema.org");
        assert_eq!(nodes(&docs[0], "WebSite").len(), 1, "{p}");
        checked += 1;
    }
    assert!(checked > 30, "{checked}");
}

#[test]
fn articles_are_medical_web_pages_with_review_and_citations() {
    let site = bundled();
    let html = site.read("public/treatment/aftercare/index.html");
    let doc = &json_ld(&html)[0];
    let page = nodes(doc, "MedicalWebPage")[0];
    has(
        page,
        &[
            "name",
            "description",
            "url",
            "inLanguage",
            "datePublished",
            "dateModified",
            "lastReviewed",
            "reviewedBy",
            "medicalAudience",
            "about",
            "citation",
        ],
    );
    assert_eq!(
        page["url"],
        "https://smp-guide.example/treatment/aftercare/"
    );
    assert_eq!(page["reviewedBy"]["@type"], "Person");
    has(&page["reviewedBy"], &["name", "hasCredential"]);
    assert_eq!(page["medicalAudience"]["audienceType"], "Patient");
    assert!(page["citation"].as_array().unwrap().len() >= 2);
    let proc = nodes(doc, "MedicalProcedure")[0];
    has(
        proc,
        &[
            "name",
            "procedureType",
            "bodyLocation",
            "howPerformed",
            "preparation",
            "followup",
        ],
    );
    assert_eq!(page["about"]["@id"], proc["@id"]);
    let crumbs = nodes(doc, "BreadcrumbList")[0];
    let items = crumbs["itemListElement"].as_array().unwrap();
    assert_eq!(
        items.last().unwrap()["item"],
        "https://smp-guide.example/treatment/aftercare/"
    );
    assert_eq!(items[0]["position"], 1);
}

#[test]
fn faq_structured_data_matches_the_visible_faq() {
    let site = bundled();
    let html = site.read("public/faq/index.html");
    let doc = &json_ld(&html)[0];
    let faq = nodes(doc, "FAQPage")[0];
    let qs = faq["mainEntity"].as_array().unwrap();
    assert!(qs.len() >= 8);
    for q in qs {
        assert_eq!(q["@type"], "Question");
        let name = q["name"].as_str().unwrap();
        let escaped = name
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#x27;");
        assert!(
            html.contains(name) || html.contains(&escaped),
            "question not visible: {name}"
        );
        let answer = q["acceptedAnswer"]["text"].as_str().unwrap();
        assert!(html.contains(answer), "answer not visible: {answer}");
    }
}

#[test]
fn home_and_contact_pages_carry_the_clinic() {
    let site = bundled();
    for p in ["public/index.html", "public/contact/index.html"] {
        let doc = &json_ld(&site.read(p))[0];
        let clinic = nodes(doc, "MedicalClinic");
        assert_eq!(clinic.len(), 1, "{p}");
        has(
            clinic[0],
            &[
                "name",
                "address",
                "telephone",
                "openingHoursSpecification",
                "medicalSpecialty",
                "isAcceptingNewPatients",
            ],
        );
        assert_eq!(clinic[0]["telephone"], "+1 555 0100");
    }
    let doc = &json_ld(&site.read("public/treatment/pain/index.html"))[0];
    assert!(nodes(doc, "MedicalClinic").is_empty());
}

#[test]
fn head_has_description_canonical_open_graph_and_lang() {
    let site = bundled();
    let html = site.read("public/treatment/aftercare/index.html");
    for needle in [
        "<html lang=\"en\">",
        "<meta name=\"description\" content=\"",
        "<link rel=\"canonical\" href=\"https://smp-guide.example/treatment/aftercare/\">",
        "<meta property=\"og:title\"",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
        "hreflang=\"x-default\"",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert!(site
        .read("public/es/treatment/aftercare/index.html")
        .contains("<html lang=\"es\">"));
    let sitemap = site.read("public/sitemap.xml");
    roxmltree::Document::parse(&sitemap).expect("sitemap is well-formed");
    assert!(
        sitemap.contains("<lastmod>2026-10-01</lastmod>"),
        "lastmod comes from the review date"
    );
}

#[test]
fn writer_text_cannot_break_out_of_json_ld_attributes_or_the_feed() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/evil.md",
        "+++\ntitle = \"</script><script>alert(1)</script>\"\ndescription = '\" onmouseover=\"x'\ndate = 2026-05-01\nreviewed_by = \"dr-a\"\n[[sources]]\ntitle = \"</script><b>src\"\nurl = \"https://example.org/?a=1&b=2\"\n[[faq]]\nquestion = \"</script>?\"\nanswer = \"<script>alert(2)</script> fine\"\n+++\nBody.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/care/evil/index.html");
    assert!(!html.contains("<script>alert(1)"), "title broke out");
    assert!(
        !html.contains("\" onmouseover=\"x"),
        "description broke out of an attribute"
    );
    let docs = json_ld(&html);
    assert_eq!(docs.len(), 1, "exactly one JSON-LD block survives");
    let page = nodes(&docs[0], "MedicalWebPage")[0];
    assert_eq!(
        page["name"], "</script><script>alert(1)</script>",
        "the title reads back exactly"
    );
    assert_eq!(page["description"], "\" onmouseover=\"x");
    for f in ["public/atom.xml", "public/sitemap.xml"] {
        let xml = site.read(f);
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{f}: {e}"));
        if f.ends_with("atom.xml") {
            let titles: Vec<_> = doc
                .descendants()
                .filter(|n| n.has_tag_name("title"))
                .filter_map(|n| n.text())
                .collect();
            assert!(
                titles.contains(&"</script><script>alert(1)</script>"),
                "{titles:?}"
            );
        }
    }
}

#[test]
fn the_reviewer_in_structured_data_speaks_the_pages_language() {
    let site = bundled();
    let en = &json_ld(&site.read("public/treatment/aftercare/index.html"))[0];
    let es = &json_ld(&site.read("public/es/treatment/aftercare/index.html"))[0];
    let reviewer = |doc: &Value| nodes(doc, "MedicalWebPage")[0]["reviewedBy"].clone();
    assert_eq!(reviewer(en)["jobTitle"], "Clinical nurse reviewer");
    assert_eq!(reviewer(es)["jobTitle"], "Enfermero revisor");
    assert_eq!(
        reviewer(es)["hasCredential"]["credentialCategory"],
        "enfermero titulado (ejemplo)"
    );
}
