//! Multilingual sites: URLs, fallbacks with a notice, hreflang, sitemaps, feeds.

mod common;

use common::Site;

/// The minimal fixture in English and Spanish: one page translated, one not.
fn bilingual() -> Site {
    let site = Site::fixture("minimal");
    site.write(
        "site.toml",
        site.read("site.toml").replace("[clinic]", "[languages.en]\nname = \"English\"\n\n[languages.es]\nname = \"Español\"\ntitle = \"Clínica Mínima\"\n\n[clinic]"),
    );
    site.write(
        "content/_index.es.md",
        "+++\ntitle = \"Bienvenida\"\n+++\nHola.\n",
    );
    site.write(
        "content/care/aftercare.es.md",
        "+++\ntitle = \"Cuidados posteriores\"\ndescription = \"Qué hacer después de una sesión.\"\ndate = 2026-03-02\nreviewed_on = 2026-09-01\n[taxonomies]\ntags = [\"aftercare\"]\n+++\nMantenga el cuero cabelludo seco.\n\n## Día 1\n\nNo lo lave.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

#[test]
fn languages_get_their_own_urls_lang_and_titles() {
    let site = bilingual();
    let es = site.read("public/es/care/aftercare/index.html");
    assert!(es.contains("<html lang=\"es\">"));
    assert!(es.contains("Cuidados posteriores"));
    assert!(site.read("public/es/index.html").contains("Bienvenida"));
    assert!(
        site.path("public/es/tags/aftercare/index.html").exists(),
        "taxonomies per language"
    );
    assert!(
        site.read("public/es/atom.xml")
            .contains("Cuidados posteriores"),
        "a feed per language"
    );
    assert!(!site
        .read("public/atom.xml")
        .contains("Cuidados posteriores"));
    assert!(
        es.contains("2 de marzo de 2026"),
        "dates in the reader's language"
    );
}

#[test]
fn a_missing_translation_falls_back_with_a_notice_not_a_404() {
    let site = bilingual();
    let html = site.read("public/es/care/washing/index.html");
    assert!(html.contains("<html lang=\"es\">"));
    assert!(
        html.contains("Esta página aún no está disponible en español"),
        "notice in the reader's language"
    );
    assert!(
        html.contains("First wash"),
        "the default language's content"
    );
    assert!(
        html.contains("<article class=\"article\" lang=\"en\">"),
        "content marked as English"
    );
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://minimal.example/care/washing/\">")
    );
    assert!(
        !html.contains("hreflang=\"es\" href=\"https://minimal.example/es/care/washing/\""),
        "a stand-in is not a Spanish version"
    );
    assert!(
        site.path("public/es/care/index.html").exists(),
        "a section missing in Spanish stands in too"
    );
}

#[test]
fn hreflang_is_reciprocal_with_x_default_in_heads_and_sitemap() {
    let site = bilingual();
    let en = site.read("public/care/aftercare/index.html");
    let es = site.read("public/es/care/aftercare/index.html");
    for html in [&en, &es] {
        assert!(html.contains(
            r#"<link rel="alternate" hreflang="en" href="https://minimal.example/care/aftercare/">"#
        ));
        assert!(html.contains(r#"<link rel="alternate" hreflang="es" href="https://minimal.example/es/care/aftercare/">"#));
        assert!(html.contains(r#"<link rel="alternate" hreflang="x-default" href="https://minimal.example/care/aftercare/">"#));
    }
    let sitemap = site.read("public/sitemap.xml");
    roxmltree::Document::parse(&sitemap).unwrap();
    assert!(sitemap.contains("<loc>https://minimal.example/es/care/aftercare/</loc>"));
    assert!(
        !sitemap.contains("<loc>https://minimal.example/es/care/washing/</loc>"),
        "stand-ins are not listed"
    );
    let entry = sitemap
        .split("<url>")
        .find(|e| e.contains("<loc>https://minimal.example/es/care/aftercare/</loc>"))
        .unwrap();
    assert!(entry.contains(r#"<xhtml:link rel="alternate" hreflang="en" href="https://minimal.example/care/aftercare/"/>"#));
    assert!(entry.contains(r#"hreflang="x-default""#));
}

#[test]
fn the_language_switcher_links_to_versions_that_exist() {
    let site = bilingual();
    let en = site.read("public/care/aftercare/index.html");
    assert!(en.contains(r#"href="/es/care/aftercare/""#));
    let washing = site.read("public/care/washing/index.html");
    assert!(
        !washing.contains(r#"href="/es/care/washing/" hreflang"#),
        "no switcher link to a stand-in"
    );
    // Tag pages switch to the same tag, or to the tag list, where the other
    // language has them; a tag only English uses switches to the Spanish home.
    let switch = |rel: &str| {
        let html = site.read(rel);
        let start = html.find("class=\"lang-switch\"").expect("a switcher");
        html[start..start + html[start..].find("</nav>").unwrap()].to_string()
    };
    assert!(switch("public/tags/index.html").contains(r#"href="/es/tags/" hreflang="es""#));
    assert!(switch("public/es/tags/index.html").contains(r#"href="/tags/" hreflang="en""#));
    assert!(switch("public/tags/aftercare/index.html")
        .contains(r#"href="/es/tags/aftercare/" hreflang="es""#));
    assert!(switch("public/es/tags/aftercare/index.html")
        .contains(r#"href="/tags/aftercare/" hreflang="en""#));
    assert!(switch("public/tags/healing/index.html").contains(r#"href="/es/" hreflang="es""#));
    // And search engines are told the same, in the head and the sitemap.
    let tag = site.read("public/tags/aftercare/index.html");
    assert!(tag.contains(
        r#"<link rel="alternate" hreflang="es" href="https://minimal.example/es/tags/aftercare/">"#
    ));
    assert!(!site
        .read("public/tags/healing/index.html")
        .contains(r#"<link rel="alternate" hreflang="#));
    let sitemap = site.read("public/sitemap.xml");
    let entry = &sitemap[sitemap
        .find("<loc>https://minimal.example/es/tags/aftercare/</loc>")
        .unwrap()..];
    assert!(entry[..entry.find("</url>").unwrap()]
        .contains(r#"hreflang="en" href="https://minimal.example/tags/aftercare/""#));
}

#[test]
fn coverage_and_stale_translations_are_reported() {
    let site = bilingual();
    // The source changes after its translation was written.
    site.write(
        "content/care/aftercare.md",
        site.read("content/care/aftercare.md").replace(
            "date = 2026-03-02",
            "date = 2026-03-02\nupdated = 2026-11-01",
        ),
    );
    let opts = follicle::build::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    };
    let config = follicle::build::load_config(&opts).unwrap();
    let loaded = follicle::build::load(&opts, config).unwrap_or_else(|e| panic!("{e}"));
    let cov = follicle::content::translations::coverage(&loaded.site, &loaded.config);
    assert_eq!(cov.len(), 1);
    assert_eq!(
        (cov[0].lang.as_str(), cov[0].translated, cov[0].total),
        ("es", 1, 2)
    );
    assert_eq!(cov[0].missing, vec!["content/care/washing.md"]);
    let stale = follicle::content::translations::stale(&loaded.site, &loaded.config);
    assert_eq!(stale.len(), 1);
    assert_eq!(
        stale[0].to_string(),
        "content/care/aftercare.es.md:1:1: warning: this translation (2026-09-01) is older than its source content/care/aftercare.md (changed 2026-11-01)\n  hint: bring the translation up to date, then set its `updated` date"
    );
}

/// `[languages.es.clinic]`, `[languages.es.people.KEY]` and
/// `[languages.es.terms.tags]` translate what site.toml says; what a language
/// leaves out comes from `[clinic]` and `[people]`, marked with its language.
#[test]
fn site_toml_text_is_translated_per_language() {
    let site = bilingual();
    let toml = site.read("site.toml").replace(
        "[clinic]\nname = \"Minimal Clinic\"",
        "[languages.es.clinic]\nopening_hours = [\"De lunes a viernes, de 9:00 a 17:00\"]\ndisclaimer = \"Solo para aprender.\"\n\n[languages.es.people.dr-a]\ncredentials = \"médica\"\nrole = \"Revisora médica\"\n\n[languages.es.terms.tags]\naftercare = \"cuidados\"\n\n[clinic]\nname = \"Minimal Clinic\"\nopening_hours = [\"Monday to Friday, 9:00 to 17:00\"]\ndisclaimer = \"For learning only.\"",
    );
    site.write(
        "site.toml",
        toml.replace(
            "credentials = \"MD\"",
            "credentials = \"MD\"\nrole = \"Medical reviewer\"",
        ),
    );
    site.write(
        "content/care/aftercare.es.md",
        site.read("content/care/aftercare.es.md")
            .replace("reviewed_on", "reviewed_by = \"dr-a\"\nreviewed_on"),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let es = site.read("public/es/care/aftercare/index.html");
    assert!(
        es.contains("<li>De lunes a viernes, de 9:00 a 17:00</li>"),
        "{es}"
    );
    assert!(!es.contains("Monday to Friday"));
    assert!(es.contains("Solo para aprender."));
    assert!(!es.contains("For learning only."));
    assert!(
        es.contains("Dr. A, <span>Revisora médica: médica</span>"),
        "{es}"
    );
    assert!(es.contains(">cuidados</a>"), "tag names in Spanish: {es}");
    let en = site.read("public/care/aftercare/index.html");
    assert!(en.contains("<li>Monday to Friday, 9:00 to 17:00</li>"));
    assert!(en.contains("For learning only."));
    assert!(
        en.contains("Dr. A, <span>Medical reviewer: MD</span>"),
        "{en}"
    );
    assert!(site
        .read("public/tags/aftercare/index.html")
        .contains("aftercare"));
    // Without a Spanish disclaimer or hours, Spanish pages show the theme's
    // Spanish disclaimer and the English hours marked as English.
    site.write(
        "site.toml",
        site.read("site.toml")
            .replace("opening_hours = [\"De lunes a viernes, de 9:00 a 17:00\"]\ndisclaimer = \"Solo para aprender.\"\n", ""),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let es = site.read("public/es/care/aftercare/index.html");
    assert!(
        es.contains("<ul class=\"plain\" lang=\"en\"><li>Monday to Friday"),
        "{es}"
    );
    assert!(!es.contains("For learning only."));
    assert!(es.contains("Este sitio es solo para información general"));
}

/// Each language has its own "page not found" page, in its language.
#[test]
fn each_language_has_its_own_404_page() {
    let site = bilingual();
    let es = site.read("public/es/404.html");
    assert!(es.contains("<html lang=\"es\">"));
    assert!(es.contains("Página no encontrada"));
    assert!(site.read("public/404.html").contains("Page not found"));
}

#[test]
fn a_three_letter_language_and_a_differently_cased_tag_name_their_pages() {
    let site = Site::fixture("minimal");
    site.write(
        "site.toml",
        site.read("site.toml").replace(
            "[clinic]",
            "[languages.fil]\nname = \"Filipino\"\n\n[languages.pt-BR]\nname = \"Português\"\n\n[clinic]",
        ),
    );
    site.write(
        "content/care/about.md",
        "+++\ntitle = \"About\"\n+++\nAbout us.\n",
    );
    site.write(
        "content/care/about.fil.md",
        "+++\ntitle = \"Tungkol sa amin\"\n+++\nTungkol.\n",
    );
    site.write(
        "content/care/about.pt-br.md",
        "+++\ntitle = \"Sobre nós\"\n+++\nSobre.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let fil = site.read("public/fil/care/about/index.html");
    assert!(fil.contains("<html lang=\"fil\">"), "{fil}");
    assert!(fil.contains("Tungkol sa amin"));
    assert!(site
        .read("public/pt-BR/care/about/index.html")
        .contains("Sobre nós"));
    assert!(!site.path("public/care/about-fil").exists());
    assert!(site
        .read("public/care/about/index.html")
        .contains("About us."));
}

#[test]
fn a_stand_in_page_does_not_repeat_its_pages_findings() {
    let site = bilingual();
    site.write(
        "content/care/new.md",
        "+++\ntitle = \"New\"\n+++\nSee [x](@/care/nope.md).\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr
            .matches("content/care/new.md:4:5: error:")
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("2 errors"), "{}", run.stderr);
}

/// A tag list is in the order of the names shown, in the reader's alphabet:
/// accents and case folded (`Ámbito` beside `a…`), `ñ` after `n` in Spanish;
/// not in the order of the slugs the names were translated from.
#[test]
fn tag_lists_are_sorted_by_the_displayed_name_with_accents_folded() {
    let site = bilingual();
    site.write(
        "site.toml",
        site.read("site.toml").replace(
            "[clinic]",
            "[languages.es.terms.tags]\naftercare = \"cuidados\"\nscope = \"Ámbito\"\nzones = \"zonas\"\nnails = \"ñandú\"\nsun = \"Sol\"\nresults = \"nube\"\n\n[clinic]",
        ),
    );
    site.write(
        "content/care/aftercare.es.md",
        site.read("content/care/aftercare.es.md").replace(
            "tags = [\"aftercare\"]",
            "tags = [\"aftercare\", \"zones\", \"scope\", \"nails\", \"sun\", \"results\", \"Azul\", \"oso\"]",
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = site.read("public/es/tags/index.html");
    let names: Vec<&str> = list
        .split("class=\"chip\" href=\"")
        .skip(1)
        .map(|s| {
            s.split_once("\">")
                .unwrap()
                .1
                .split(" <span")
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        names,
        ["Ámbito", "Azul", "cuidados", "nube", "ñandú", "oso", "Sol", "zonas"],
        "{list}"
    );
    // English keeps its own names, in its own order.
    let en = site.read("public/tags/index.html");
    let a = en.find(">Aftercare <span").expect("Aftercare");
    assert!(a < en.find(">Healing <span").expect("Healing"), "{en}");
}

#[test]
fn bundle_files_are_published_beside_every_language_version_of_the_page() {
    let site = bilingual();
    site.write(
        "content/kit/index.md",
        "+++\ntitle = \"Kit\"\n+++\n![A drawing of the kit](kit.svg)\n\n![A photo of the kit](kit.png)\n",
    );
    site.write(
        "content/kit/index.es.md",
        "+++\ntitle = \"Equipo\"\n+++\n![Un dibujo del equipo](kit.svg)\n\n![Una foto del equipo](kit.png)\n",
    );
    site.write(
        "content/kit/kit.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"></svg>",
    );
    site.write("content/kit/kit.png", common::png(8, 6));
    let run = site.run(&["build", "--strict"]);
    assert_eq!(
        run.code, 0,
        "no broken image in either language: {}",
        run.stderr
    );
    for dir in ["public/kit", "public/es/kit"] {
        assert!(
            site.path(&format!("{dir}/kit.svg")).exists(),
            "{dir}/kit.svg"
        );
        assert!(
            site.path(&format!("{dir}/kit.png")).exists(),
            "{dir}/kit.png"
        );
    }
    let es = site.read("public/es/kit/index.html");
    assert!(es.contains("src=\"kit.svg\""), "{es}");
    assert!(
        es.contains("<picture>"),
        "the Spanish photo is a picture too: {es}"
    );
}

#[test]
fn a_source_in_another_language_is_marked_and_said_so_and_a_bad_code_is_an_error_at_its_place() {
    let site = bilingual();
    let page = site.read("content/care/aftercare.es.md");
    let with_source = |lang: &str| {
        page.replace(
            "[taxonomies]",
            &format!("[[sources]]\ntitle = \"Tattoo fact sheet\"\npublisher = \"FDA\"\nurl = \"https://www.fda.gov/x\"\nlang = \"{lang}\"\n\n[taxonomies]"),
        )
    };
    let built_with_source = |lang: &str| {
        site.write("content/care/aftercare.es.md", with_source(lang));
        let run = site.build();
        assert_eq!(run.code, 0, "{}", run.stderr);
        site.read("public/es/care/aftercare/index.html")
    };
    let es = built_with_source("en");
    assert!(
        es.contains("hreflang=\"en\" lang=\"en\">Tattoo fact sheet</a>. <span class=\"publisher\" lang=\"en\">FDA</span> (en inglés)."),
        "{es}"
    );
    // A source in the page's own language is not marked.
    let es = built_with_source("es");
    assert!(
        es.contains("<a href=\"https://www.fda.gov/x\">Tattoo fact sheet</a>"),
        "{es}"
    );
    assert!(!es.contains("(en español)"), "{es}");

    site.write("content/care/aftercare.es.md", with_source("English"));
    let run = site.build();
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("content/care/aftercare.es.md:10:")
            && run.stderr.contains("`English` is not a language code")
            && run.stderr.contains("lang = \"en\""),
        "{}",
        run.stderr
    );
}
