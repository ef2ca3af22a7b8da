//! Content written for Zola, Hugo and Jekyll builds as it is: each case is a
//! small site made here (never a copy of a real one) and built by the real binary.

mod common;

use common::Site;

fn ok(run: &common::Run) {
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
}

/// The minimal fixture with a theme `mine` whose `show.html` prints `body`.
fn site_with_template(body: &str) -> Site {
    let site = Site::fixture("minimal");
    site.write(
        "site.toml",
        site.read("site.toml")
            .replace("taxonomies", "theme = \"mine\"\ntaxonomies"),
    );
    site.write(
        "themes/mine/theme.toml",
        "name = \"mine\"\nextends = \"clinic\"\n",
    );
    site.write("themes/mine/templates/show.html", body);
    site
}

#[test]
fn peer_keys_are_the_sites_own_data_in_page_extra() {
    let site = site_with_template(
        "order={{ page.extra.nav_order | default(value='') }} parent={{ page.extra.parent | default(value='') }} hero={{ page.extra.hero | default(value='') }} menu={% if page.extra.menu %}{{ page.extra.menu.main.weight }}{% endif %}",
    );
    site.write(
        "content/care/jekyll.md",
        "---\ntitle: Jekyll page\ntemplate: show.html\nnav_order: 3\nparent: Care\nlinkTitle: Short\nmath: true\n---\nBody.\n",
    );
    site.write(
        "content/care/hugo.md",
        "+++\ntitle = \"Hugo page\"\ntemplate = \"show.html\"\nheadless = false\n[params]\nhero = \"big.jpg\"\n[menu.main]\nweight = 4\n+++\nBody.\n",
    );
    ok(&site.build());
    assert_eq!(
        site.read("public/care/jekyll/index.html"),
        "order=3 parent=Care hero= menu="
    );
    assert_eq!(
        site.read("public/care/hugo/index.html"),
        "order= parent= hero=big.jpg menu=4"
    );
}

#[test]
fn hugo_expiry_date_in_the_past_is_not_published() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/old.md",
        "---\ntitle: Old offer\nexpiryDate: 2001-01-01\n---\nGone.\n",
    );
    site.write(
        "content/care/current.md",
        "---\ntitle: Current offer\nexpiryDate: 2999-01-01\n---\nHere.\n",
    );
    ok(&site.build());
    assert!(!site.path("public/care/old/index.html").exists());
    assert!(site.path("public/care/current/index.html").exists());
    assert!(!site.read("public/care/index.html").contains("Old offer"));
}

#[test]
fn a_finding_on_the_title_points_at_the_page_title_not_a_sources_title() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/first.md",
        "+++\ntitle = \"Same title\"\ndescription = \"One.\"\n+++\nBody.\n",
    );
    site.write(
        "content/care/alpha.md",
        "---\ndescription: Two.\nsources:\n  - url: https://source.example/\n    title: A source\ntitle: Same title\n---\nBody.\n",
    );
    let run = site.run(&["check"]);
    let all = format!("{}{}", run.stdout, run.stderr);
    let line = all
        .lines()
        .find(|l| l.contains("content/care/alpha.md") && l.contains("title"))
        .unwrap_or_else(|| panic!("no title finding for second.md:\n{all}"));
    assert!(line.contains("content/care/alpha.md:6:1"), "{line}");
}

#[test]
fn a_date_keeps_the_day_the_writer_wrote_whatever_the_offset() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/late.md",
        "+++\ntitle = \"Late\"\ndate = 2026-03-31T23:30:00-05:00\n+++\nBody.\n",
    );
    ok(&site.build());
    let html = site.read("public/care/late/index.html");
    assert!(html.contains("31 March 2026"), "{html}");
    assert!(!html.contains("1 April 2026"), "{html}");
}

#[test]
fn jekyll_posts_take_date_and_slug_from_the_file_name_and_jekyll_dates_parse() {
    let site = Site::fixture("minimal");
    site.write(
        "content/_posts/2013-05-06-first-visit.md",
        "---\nlayout: post\ntitle: First visit\n---\nBody.\n",
    );
    site.write(
        "content/_posts/2014-01-02-second.md",
        "---\ntitle: Second\ndate: 2014-01-03 02:12:52 +0200\n---\nBody.\n",
    );
    site.write(
        "content/_drafts/unfinished.md",
        "---\ntitle: Unfinished\n---\nBody.\n",
    );
    ok(&site.build());
    let first = site.read("public/posts/first-visit/index.html");
    assert!(first.contains("6 May 2013"), "{first}");
    let second = site.read("public/posts/second/index.html");
    assert!(second.contains("3 January 2014"), "{second}");
    assert!(!site.path("public/drafts/unfinished/index.html").exists());
}

#[test]
fn blank_lines_before_the_front_matter_are_accepted_as_zola_does() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/blank.md",
        "\n\n+++\ntitle = \"After blank lines\"\n+++\nThe body.\n",
    );
    site.write(
        "content/care/blank-yaml.md",
        "\n---\ntitle: YAML after a blank line\n---\nThe body.\n",
    );
    ok(&site.build());
    let html = site.read("public/care/blank/index.html");
    assert!(
        html.contains("<h1>After blank lines</h1>") || html.contains(">After blank lines<"),
        "{html}"
    );
    assert!(!html.contains("+++") && !html.contains("title ="), "{html}");
    let yaml = site.read("public/care/blank-yaml/index.html");
    assert!(!yaml.contains("title:"), "{yaml}");
}

#[test]
fn markdown_extensions_are_pages_never_raw_source() {
    let site = Site::fixture("minimal");
    for ext in ["markdown", "mdown", "mkd"] {
        site.write(
            &format!("content/care/from-{ext}.{ext}"),
            format!("---\ntitle: From {ext}\n---\n**Bold** text.\n"),
        );
    }
    ok(&site.build());
    for ext in ["markdown", "mdown", "mkd"] {
        let html = site.read(&format!("public/care/from-{ext}/index.html"));
        assert!(html.contains("<strong>Bold</strong>"), "{html}");
        assert!(!site.path(&format!("public/care/from-{ext}.{ext}")).exists());
    }
}

#[test]
fn a_folders_index_md_with_other_pages_is_its_section_page() {
    let site = Site::fixture("minimal");
    site.write(
        "content/docs/index.md",
        "---\ntitle: The guide\n---\nStart here.\n",
    );
    site.write(
        "content/docs/first.md",
        "---\ntitle: First step\n---\nOne.\n",
    );
    site.write(
        "content/docs/more/second.md",
        "---\ntitle: Second step\n---\nTwo.\n",
    );
    site.write(
        "content/kit/index.md",
        "---\ntitle: Kit\n---\n![x](photo.png)\n",
    );
    site.write("content/kit/photo.png", common::png(4, 3));
    ok(&site.build());
    let section = site.read("public/docs/index.html");
    assert!(
        section.contains("Start here.") && section.contains("First step"),
        "{section}"
    );
    assert!(site.path("public/docs/first/index.html").exists());
    assert!(site.path("public/docs/more/second/index.html").exists());
    // A lone index.md with its files is still a page bundle.
    assert!(site.read("public/kit/index.html").contains("Kit"));
    assert!(site.path("public/kit/photo.png").exists());
}

#[test]
fn a_path_with_a_dot_in_its_last_segment_is_a_folder() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/release.md",
        "+++\ntitle = \"Release\"\npath = \"/2019/11/07/Rust-1.39.0/\"\n+++\nBody.\n",
    );
    site.write(
        "content/care/bundle/index.md",
        "+++\ntitle = \"Bundle\"\npath = \"/2020/v2.0\"\n+++\n![p](p.png)\n",
    );
    site.write("content/care/bundle/p.png", common::png(4, 3));
    site.write(
        "content/care/file.md",
        "+++\ntitle = \"File\"\npath = \"/legacy/page.html\"\n+++\nBody.\n",
    );
    ok(&site.build());
    assert!(site
        .path("public/2019/11/07/Rust-1.39.0/index.html")
        .exists());
    assert!(site.path("public/2020/v2.0/index.html").exists());
    assert!(site.path("public/2020/v2.0/p.png").exists());
    assert!(site.path("public/legacy/page.html").is_file());
}

#[test]
fn a_translated_path_that_names_its_language_is_not_prefixed_twice() {
    let site = Site::fixture("minimal");
    site.write(
        "site.toml",
        site.read("site.toml").replace(
            "[clinic]",
            "[languages.en]\nname = \"English\"\n\n[languages.ar]\nname = \"العربية\"\n\n[clinic]",
        ),
    );
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\nBody.\n");
    site.write(
        "content/about.ar.md",
        "+++\ntitle = \"حول\"\npath = \"/ar/about\"\n+++\nBody.\n",
    );
    site.write(
        "content/contact.ar.md",
        "+++\ntitle = \"اتصل\"\npath = \"contact-us\"\n+++\nBody.\n",
    );
    ok(&site.build());
    assert!(site.path("public/ar/about/index.html").exists());
    assert!(!site.path("public/ar/ar/about/index.html").exists());
    assert!(site.path("public/ar/contact-us/index.html").exists());
}

#[test]
fn relative_links_outside_the_site_warn_and_at_links_stay_errors() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/readme-link.md",
        "+++\ntitle = \"Links\"\n+++\nSee [the readme](../../README.md).\n",
    );
    let run = site.build();
    ok(&run);
    assert!(
        run.stderr
            .contains("content/care/readme-link.md:4:5: warning: the link `../../README.md`"),
        "{}",
        run.stderr
    );
    assert!(site
        .read("public/care/readme-link/index.html")
        .contains(r#"href="../../README.md""#));
    site.write(
        "content/care/readme-link.md",
        "+++\ntitle = \"Links\"\n+++\nSee [gone](@/care/gone.md).\n",
    );
    assert_eq!(site.build().code, 1);
}

#[test]
fn a_template_the_theme_lacks_warns_and_the_default_renders() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/old-theme.md",
        "---\ntitle: From the old theme\ntemplate: docs-page.html\n---\nStill here.\n",
    );
    site.write(
        "content/guides/_index.md",
        "+++\ntitle = \"Guides\"\ntemplate = \"guides.html\"\npage_template = \"guide.html\"\n+++\n",
    );
    site.write(
        "content/guides/one.md",
        "+++\ntitle = \"Guide one\"\n+++\nOne.\n",
    );
    let run = site.build();
    ok(&run);
    assert!(run.stderr.contains("content/care/old-theme.md:3:1: warning: the template `docs-page.html` does not exist in the theme; page.html is used instead"), "{}", run.stderr);
    assert!(site
        .read("public/care/old-theme/index.html")
        .contains("Still here."));
    assert!(site.read("public/guides/index.html").contains("Guide one"));
    assert!(site.read("public/guides/one/index.html").contains("One."));
    assert_ne!(site.run(&["build", "--strict"]).code, 0);
}

#[test]
fn zola_and_hugo_smaller_keys_work() {
    let site = Site::fixture("minimal");
    site.write(
        "site.toml",
        site.read("site.toml").replace(
            "taxonomies = [\"tags\"]",
            "taxonomies = [\"tags\", \"podcast_authors\"]",
        ),
    );
    // Hugo's summary marker without spaces.
    site.write(
        "content/care/summary.md",
        "---\ntitle: Summary\ndate: 2026-06-01\nredirect_from: /old-summary/\npodcast_authors: [Ann Lee]\n---\nFirst part.\n\n<!--more-->\n\nSecond part.\n",
    );
    // render = false on a page: not written, not in the sitemap.
    site.write(
        "content/care/hidden.md",
        "+++\ntitle = \"Hidden\"\nrender = false\n+++\nNot written.\n",
    );
    // A draft section hides its pages.
    site.write(
        "content/later/_index.md",
        "+++\ntitle = \"Later\"\ndraft = true\n+++\n",
    );
    site.write(
        "content/later/soon.md",
        "+++\ntitle = \"Soon\"\n+++\nSoon.\n",
    );
    // Zola's sort keys.
    site.write(
        "content/list/_index.md",
        "+++\ntitle = \"List\"\nsort_by = \"permalink\"\n+++\n",
    );
    site.write("content/list/b.md", "+++\ntitle = \"Alpha\"\n+++\nB.\n");
    site.write("content/list/a.md", "+++\ntitle = \"Beta\"\n+++\nA.\n");
    for key in ["slug", "update_date", "title_bytes"] {
        site.write(
            &format!("content/sorted-{key}/_index.md"),
            format!("+++\ntitle = \"{key}\"\nsort_by = \"{key}\"\n+++\n"),
        );
    }
    ok(&site.build());
    assert!(site.path("public/old-summary/index.html").exists());
    let feed = site.read("public/atom.xml");
    let summary = feed
        .split("<summary>")
        .find(|s| s.contains("First part."))
        .unwrap_or_else(|| panic!("{feed}"));
    let summary = summary.split("</summary>").next().unwrap();
    assert!(!summary.contains("Second part."), "{summary}");
    assert!(site
        .path("public/podcast-authors/ann-lee/index.html")
        .exists());
    assert!(!site.path("public/care/hidden/index.html").exists());
    assert!(!site.read("public/sitemap.xml").contains("/care/hidden/"));
    assert!(!site.path("public/later/soon/index.html").exists());
    assert!(!site.path("public/later/index.html").exists());
    let list = site.read("public/list/index.html");
    let (beta, alpha) = (list.find("Beta").unwrap(), list.find("Alpha").unwrap());
    assert!(
        beta < alpha,
        "a.md (Beta) sorts before b.md (Alpha) by permalink"
    );
    ok(&site.run(&["build", "--drafts"]));
    assert!(site.path("public/later/soon/index.html").exists());
}

#[test]
fn a_page_beside_a_folder_without_index_is_served_at_the_folders_url() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/washing/deep.md",
        "+++\ntitle = \"Deep clean\"\n+++\nDeep.\n",
    );
    ok(&site.build());
    assert!(site
        .read("public/care/washing/index.html")
        .contains("Washing"));
    assert!(site.path("public/care/washing/deep/index.html").exists());
}

#[test]
fn harmless_raw_html_from_real_pages_builds_strict_and_is_kept() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/markup.md",
        "+++\ntitle = \"Markup\"\n+++\n<p align=\"center\">Centred</p>\n\n<ruby>頭<rp>(</rp><rt>atama</rt><rp>)</rp></ruby>\n\n<progress value=\"3\" max=\"10\">30%</progress>\n\n<aside>A side note.</aside>\n\n<noscript><img src=\"/files/a.png\" alt=\"Scalp\"></noscript>\n",
    );
    ok(&site.run(&["build", "--strict"]));
    let html = site.read("public/care/markup/index.html");
    for kept in [
        "<p align=\"center\">Centred</p>",
        "<rt>atama</rt>",
        "<progress value=\"3\" max=\"10\">",
        "<aside>A side note.</aside>",
        "<img src=\"/files/a.png\" alt=\"Scalp\">",
    ] {
        assert!(html.contains(kept), "{kept} missing:\n{html}");
    }
}

#[test]
fn a_folder_without_index_yields_its_url_to_an_alias_or_a_static_index() {
    let site = Site::fixture("minimal");
    // Jekyll's step-by-step tutorial: the first step redirects from the folder's URL.
    site.write(
        "content/steps/01-setup.md",
        "---\ntitle: Setup\nredirect_from: /steps/\n---\nOne.\n",
    );
    site.write("content/steps/02-next.md", "---\ntitle: Next\n---\nTwo.\n");
    // A static index.html in a folder of pages.
    site.write("content/pages/a.md", "---\ntitle: A page\n---\nA.\n");
    site.write("content/pages/index.html", "<p>the old index</p>\n");
    ok(&site.build());
    assert!(site
        .read("public/steps/index.html")
        .contains("/steps/01-setup/"));
    assert_eq!(
        site.read("public/pages/index.html"),
        "<p>the old index</p>\n"
    );
    assert!(site.path("public/pages/a/index.html").exists());
}

#[test]
fn a_typed_url_with_an_unknown_anchor_is_not_a_build_error_but_an_at_link_is() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/typed.md",
        "+++\ntitle = \"Typed\"\n+++\nSee [x](@/care/aftercare.md) and [y](/care/aftercare/#no-such-heading).\n",
    );
    ok(&site.build());
    site.write(
        "content/care/typed.md",
        "+++\ntitle = \"Typed\"\n+++\nSee [x](@/care/aftercare.md#no-such-heading).\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("names `#no-such-heading`, which is not a heading"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_alias_naming_the_pages_own_url_is_not_a_collision() {
    let site = Site::fixture("minimal");
    // Hugo keeps the file name's case in URLs; its docs alias the lowercase form.
    site.write(
        "content/functions/HasSuffix.md",
        "---\ntitle: HasSuffix\naliases: [/functions/hassuffix]\n---\nText.\n",
    );
    ok(&site.build());
    let html = site.read("public/functions/hassuffix/index.html");
    assert!(
        html.contains("Text."),
        "the page, not a redirect to itself: {html}"
    );
}

#[test]
fn the_sites_static_folder_is_published_at_the_root_over_the_themes_files() {
    let site = Site::fixture("minimal");
    site.write("static/leaflet.pdf", "%PDF-1.4 leaflet");
    site.write("static/docs/consent.txt", "Consent form");
    site.write(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "content/care/prices.md",
        "+++\ntitle = \"Prices\"\n+++\nRead the [leaflet](/leaflet.pdf) and [form](/docs/consent.txt).\n",
    );
    let run = site.run(&["build", "--strict"]);
    ok(&run);
    assert!(!run.stderr.contains("leads to no page"), "{}", run.stderr);
    assert_eq!(site.read("public/leaflet.pdf"), "%PDF-1.4 leaflet");
    assert_eq!(site.read("public/docs/consent.txt"), "Consent form");
    // The site's file wins over the theme's file of the same name.
    assert_eq!(
        site.read("public/favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
    // `check` sees the same files: no broken link.
    let check = site.run(&["check"]);
    assert!(!check.stdout.contains("broken-link"), "{}", check.stdout);
}

#[test]
fn a_peer_themes_figure_options_are_left_out_with_a_warning_and_typos_stay_errors() {
    let site = Site::fixture("minimal");
    // terminimal's figure: presentation options of its own, no alt.
    site.write(
        "content/care/ferris.md",
        "+++\ntitle = \"Ferris\"\n+++\nIntro.\n\n{{ figure(src=\"/ferris.svg\", position=\"center\", style=\"width: 50%;\", caption=\"**Ferris**, the crab\", caption_position=\"center\") }}\n",
    );
    site.write(
        "static/ferris.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"/>",
    );
    let run = site.build();
    ok(&run);
    for arg in ["position", "style", "caption_position"] {
        let want = format!("content/care/ferris.md:6:1: warning: the shortcode `figure` has no argument `{arg}`, so it was left out");
        assert!(run.stderr.contains(&want), "{want} in {}", run.stderr);
    }
    assert!(
        run.stderr.contains("its caption is used as the alt text"),
        "{}",
        run.stderr
    );
    let html = site.read("public/care/ferris/index.html");
    // The caption is inline Markdown, as Zola themes print it; the alt is its text.
    assert!(html.contains("alt=\"Ferris, the crab\""), "{html}");
    assert!(
        html.contains("<figcaption><strong>Ferris</strong>, the crab</figcaption>"),
        "{html}"
    );
    assert!(
        !html.contains("caption_position") && !html.contains("{{"),
        "{html}"
    );
    assert_ne!(site.run(&["build", "--strict"]).code, 0);

    // A slip of our own argument's name is still an error with the fix.
    site.write(
        "content/care/ferris.md",
        "+++\ntitle = \"Ferris\"\n+++\n{{ figure(src=\"/ferris.svg\", alt=\"A crab\", captoin=\"Ferris\") }}\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("has no argument `captoin`")
            && run.stderr.contains("did you mean `caption`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_peers_folder_builds_and_checks_as_it_is_naming_its_own_files() {
    let page = "+++\ntitle = \"Ferris\"\n+++\nIntro.\n\n{{ figure(src=\"/ferris.svg\", alt=\"A crab\", position=\"center\") }}\n";
    for (file, text, peer) in [
        (
            "config.toml",
            "base_url = \"https://z.example\"\ntitle = \"Z\"\n",
            "zola",
        ),
        (
            "config.toml",
            "baseURL = \"https://h.example/\"\ntitle = \"H\"\n",
            "hugo",
        ),
        ("_config.yml", "title: J\n", "jekyll"),
    ] {
        let site = Site::empty();
        site.write(file, text);
        let (page_file, svg) = match peer {
            "jekyll" => ("care/ferris.md", "ferris.svg"),
            _ => ("content/care/ferris.md", "static/ferris.svg"),
        };
        site.write(page_file, page);
        site.write(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"/>",
        );
        let before = site.snapshot(".");
        let run = site.build();
        ok(&run);
        // The warning names the writer's file, not the imported copy.
        let want =
            format!("{page_file}:6:1: warning: the shortcode `figure` has no argument `position`");
        assert!(
            run.stderr.contains(&want),
            "{peer}: {want} in {}",
            run.stderr
        );
        assert!(!run.stderr.contains("peer-site/content"), "{}", run.stderr);
        let note = format!("built this {peer} site as it is");
        assert!(run.stderr.contains(&note), "{}", run.stderr);
        let html = site.read("public/care/ferris/index.html");
        assert!(html.contains("alt=\"A crab\""), "{html}");
        // With no [clinic] name, the site's title names it.
        assert!(!html.contains("class=\"brand-name\"><"), "{html}");
        // Nothing of the peer's was changed; only public/ and the cache are new.
        let after = site.snapshot(".");
        for (path, bytes) in &before {
            assert_eq!(after.get(path), Some(bytes), "{peer}: {path} changed");
        }
        let new: Vec<&String> = after.keys().filter(|p| !before.contains_key(*p)).collect();
        assert!(
            new.iter()
                .all(|p| ["public/", ".public.follicle-", ".follicle-cache/"]
                    .iter()
                    .any(|s| p.starts_with(s))),
            "{new:?}"
        );
        // `check` takes the same folder, and names the same file.
        let check = site.run(&["check"]);
        let want = format!("{page_file}:6:1: the shortcode `figure` has no argument `position`");
        assert!(
            check.stdout.contains(&want),
            "{peer}: {want} in {}",
            check.stdout
        );
        assert!(
            !check.stdout.contains("peer-site/content"),
            "{}",
            check.stdout
        );
        // A page in HTML with front matter is left out with a warning at it,
        // and `--strict` fails on it before anything is written.
        site.write(
            "404.html",
            "---\nlayout: default\n---\n<p>{% if x %}Lost{% endif %}</p>\n",
        );
        let html_page = if peer == "jekyll" { "404.html" } else { "" };
        if !html_page.is_empty() {
            let run = site.build();
            ok(&run);
            let want = "404.html:1:1: warning: a page written in HTML with front matter (and perhaps Liquid) is not carried over; it was left out";
            assert!(run.stderr.contains(want), "{want} in {}", run.stderr);
            assert!(!site.read("public/404.html").contains("{%"));
            let strict = site.run(&["build", "--strict"]);
            assert_eq!(strict.code, 1, "{}", strict.stderr);
        }
        std::fs::remove_file(site.path("404.html")).unwrap();
        // A second build starts from a fresh copy (a deleted page is gone).
        std::fs::remove_file(site.path(page_file)).unwrap();
        ok(&site.build());
        assert!(!site.path("public/care/ferris/index.html").exists());
    }
}

#[test]
fn serving_a_peers_folder_says_how_to_import_it() {
    let site = Site::empty();
    site.write("config.toml", "base_url = \"https://z.example\"\n");
    let run = site.run(&["watch"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`follicle import zola . ../my-site`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("(config.toml)"), "{}", run.stderr);
}
