//! `follicle build` end to end on small fixture sites.

mod common;

use common::{tree, Site};

fn ok(run: &common::Run) {
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
}

#[test]
fn minimal_site_builds_every_kind_of_output() {
    let site = Site::fixture("minimal");
    let run = site.build();
    ok(&run);
    assert!(
        run.stdout.starts_with("Built 2 pages, 2 sections,"),
        "{}",
        run.stdout
    );
    for f in [
        "index.html",
        "care/index.html",
        "care/aftercare/index.html",
        "care/washing/index.html",
        "tags/index.html",
        "tags/aftercare/index.html",
        "tags/healing/index.html",
        "old-aftercare/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "style.css",
        "files/sheet.txt",
        ".follicle-output",
    ] {
        assert!(site.path("public").join(f).is_file(), "missing {f}");
    }
}

#[test]
fn article_html_snapshot() {
    let site = Site::fixture("minimal");
    ok(&site.build());
    let html = site.read("public/care/aftercare/index.html");
    insta::assert_snapshot!("aftercare_article", html);
}

#[test]
fn markdown_features_render() {
    let site = Site::fixture("minimal");
    ok(&site.build());
    let html = site.read("public/care/aftercare/index.html");
    assert!(html.contains(r#"<h2 id="day-1">"#));
    assert!(
        html.contains(r#"<h2 id="day-1-1">"#),
        "duplicate headings get unique ids"
    );
    assert!(html.contains("<table>"));
    assert!(
        html.contains(r#"href="/care/washing/""#),
        "@/ links resolve"
    );
    let washing = site.read("public/care/washing/index.html");
    assert!(
        washing.contains("“gentle”") && washing.contains("–"),
        "smart punctuation"
    );
}

#[test]
fn sitemap_feed_and_robots_snapshots() {
    let site = Site::fixture("minimal");
    ok(&site.build());
    insta::assert_snapshot!("sitemap", site.read("public/sitemap.xml"));
    insta::assert_snapshot!("atom", site.read("public/atom.xml"));
    insta::assert_snapshot!("robots", site.read("public/robots.txt"));
}

#[test]
fn aliases_redirect_and_terms_list_pages() {
    let site = Site::fixture("minimal");
    ok(&site.build());
    let redirect = site.read("public/old-aftercare/index.html");
    assert!(
        redirect.contains(r#"url=https://minimal.example/care/aftercare/""#),
        "{redirect}"
    );
    let term = site.read("public/tags/aftercare/index.html");
    assert!(
        term.contains("/care/aftercare/") && term.contains("/care/washing/"),
        "both pages carry the tag, in either case"
    );
}

#[test]
fn aliases_claimed_twice_give_way_as_in_hugo_with_warnings() {
    let site = Site::fixture("minimal");
    // Two pages claim /old-aftercare/ (aftercare.md already does), and one
    // alias names a page's own URL.
    site.write(
        "content/care/extra.md",
        "+++\ntitle = \"Extra\"\naliases = [\"/old-aftercare/\", \"/care/washing/\"]\n+++\nBody.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("content/care/aftercare.md:8:12: warning: the alias `/old-aftercare/` is also claimed by content/care/extra.md:3:12 (alias `/old-aftercare/`); the alias in the file that sorts last wins, as in Hugo, so /old-aftercare/index.html redirects to /care/extra/"), "{}", run.stderr);
    assert!(run.stderr.contains("content/care/extra.md:3:31: warning: the alias `/care/washing/` is the URL of content/care/washing.md, so no redirect is written there"), "{}", run.stderr);
    // The file that sorts last wins the alias; the page keeps its own URL.
    let redirect = site.read("public/old-aftercare/index.html");
    assert!(
        redirect.contains(r#"url=https://minimal.example/care/extra/""#),
        "{redirect}"
    );
    let washing = site.read("public/care/washing/index.html");
    assert!(!washing.contains("http-equiv=\"refresh\""), "{washing}");
}

#[test]
fn fenced_code_is_highlighted_with_classes_unless_turned_off() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/code.md",
        "+++\ntitle = \"Code\"\n+++\n```python,linenos,hl_lines=2\nprint(\"<b>\")\nx = 1\n```\n\n```klingon\nplain\n```\n\n```go {linenos=table hl_lines=[1] linenostart=199}\nfunc main() {}\n```\n",
    );
    ok(&site.build());
    let page = site.read("public/care/code/index.html");
    assert!(page.contains("<pre class=\"highlight linenos\" tabindex=\"0\"><code class=\"language-python\" data-lang=\"python\"><span class=\"line\" data-line=\"1\"><span class=\"hl-source hl-python\">"), "{page}");
    // Zola's options and Hugo's are drawn, never printed or made a class.
    assert!(
        page.contains("<mark class=\"line\" data-line=\"2\">"),
        "{page}"
    );
    assert!(
        page.contains("<mark class=\"line\" data-line=\"199\">"),
        "{page}"
    );
    assert!(
        page.contains("&lt;b&gt;")
            && !page.contains("hl_lines")
            && !page.contains("language-python,"),
        "{page}"
    );
    assert!(
        page.contains("<pre tabindex=\"0\"><code class=\"language-klingon\">plain\n</code></pre>"),
        "{page}"
    );
    assert!(page.contains("href=\"/highlight.css\""), "{page}");
    assert!(site.read("public/highlight.css").contains(".hl-keyword"));
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[markdown]\nhighlight = false\n"),
    );
    ok(&site.build());
    let page = site.read("public/care/code/index.html");
    assert!(
        page.contains("<pre class=\"linenos\" tabindex=\"0\"><code class=\"language-python\"><span class=\"line\" data-line=\"1\">print(\"&lt;b&gt;\")</span>\n<mark class=\"line\" data-line=\"2\">x = 1</mark>\n</code></pre>"),
        "{page}"
    );
    assert!(!page.contains("highlight.css"), "{page}");
}

#[test]
fn output_is_byte_identical_across_builds_and_thread_counts() {
    let site = Site::fixture("minimal");
    ok(&site.run_env(&["build"], &[("RAYON_NUM_THREADS", "1")]));
    let first = site.snapshot("public");
    ok(&site.run_env(&["build"], &[("RAYON_NUM_THREADS", "4")]));
    assert_eq!(first, site.snapshot("public"));
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/draft.md",
        "+++\ntitle = \"Draft\"\ndraft = true\n+++\nNot yet.\n",
    );
    ok(&site.build());
    assert!(!site.path("public/care/draft/index.html").exists());
    ok(&site.run(&["build", "--drafts"]));
    assert!(site.path("public/care/draft/index.html").exists());
}

#[test]
fn base_url_and_output_flags() {
    let site = Site::fixture("minimal");
    ok(&site.run(&[
        "build",
        "--base-url",
        "https://other.example",
        "--output",
        "dist",
    ]));
    assert!(site
        .read("dist/sitemap.xml")
        .contains("https://other.example/care/aftercare/"));
    assert!(!site.path("public").exists());
}

#[test]
fn editor_junk_is_never_published() {
    let site = Site::fixture("minimal");
    for junk in [
        "content/care/.aftercare.md.swp",
        "content/care/aftercare.md~",
        "content/care/#aftercare.md#",
        "content/care/4913",
        "content/.DS_Store",
        "content/files/Thumbs.db",
        "content/care/aftercare.md___jb_tmp___",
    ] {
        site.write(junk, "junk");
    }
    ok(&site.build());
    let out = site.snapshot("public");
    let leaked: Vec<_> = out
        .keys()
        .filter(|k| {
            k.contains("swp")
                || k.ends_with('~')
                || k.contains('#')
                || k.contains("4913")
                || k.contains("DS_Store")
                || k.contains("Thumbs")
                || k.contains("jb_")
        })
        .collect();
    assert!(leaked.is_empty(), "{leaked:?}");
}

#[test]
fn bom_and_crlf_give_the_same_output_as_plain_files() {
    let plain = Site::fixture("minimal");
    ok(&plain.build());
    let twin = Site::fixture("minimal");
    let text = twin.read("content/care/aftercare.md");
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    twin.write("content/care/aftercare.md", crlf);
    ok(&twin.build());
    assert_eq!(plain.snapshot("public"), twin.snapshot("public"));
}

#[test]
fn hugo_and_jekyll_yaml_front_matter_builds_unchanged() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/hugo.md",
        "---\ntitle: \"From Hugo\"\ndate: 2025-01-02\nlastmod: 2025-02-03\ntags: [aftercare, hugo]\ncategories: [care]\nsummary: A summary.\nurl: /hugo-page/\naliases: [/old-hugo/]\ndraft: false\n---\nBody from Hugo.\n",
    );
    site.write(
        "content/care/jekyll.md",
        "---\nlayout: post\ntitle: From Jekyll\npermalink: /jekyll-page/\nexcerpt: Short.\ncategory: care\npublished: true\nredirect_from: [/old-jekyll/]\n---\nBody from Jekyll.\n",
    );
    site.write(
        "site.toml",
        site.read("site.toml").replace(
            "taxonomies = [\"tags\"]",
            "taxonomies = [\"tags\", \"categories\"]",
        ),
    );
    ok(&site.build());
    let html = site.read("public/hugo-page/index.html");
    assert!(
        html.contains("From Hugo") && html.contains("2 February 2025")
            || html.contains("3 February 2025"),
        "{html}"
    );
    assert!(site.path("public/jekyll-page/index.html").exists());
    assert!(site.path("public/old-hugo/index.html").exists());
    assert!(site.path("public/categories/care/index.html").exists());
}

#[test]
fn zola_style_site_builds() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/zola.md",
        "+++\ntitle = \"Zola page\"\ndate = 2025-01-02\nupdated = 2025-03-04\nweight = 5\ntemplate = \"page.html\"\nin_search_index = true\ninsert_anchor_links = \"none\"\n[taxonomies]\ntags = [\"zola\"]\n[extra]\nhero = \"x.jpg\"\n+++\nSee [aftercare](@/care/aftercare.md).\n\n## Heading\n",
    );
    ok(&site.build());
    let html = site.read("public/care/zola/index.html");
    assert!(html.contains(r#"href="/care/aftercare/""#));
    assert!(
        !html.contains("heading-anchor"),
        "insert_anchor_links = none is honoured"
    );
}

#[test]
fn a_site_without_themes_folder_uses_the_built_in_theme() {
    let site = Site::fixture("minimal");
    assert!(!site.path("themes").exists());
    ok(&site.build());
    assert!(site
        .read("public/index.html")
        .contains("<link rel=\"stylesheet\" href=\"/style.css\">"));
}

#[test]
fn a_theme_extends_the_built_in_one_and_overrides_one_template() {
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
    site.write("themes/mine/templates/404.html", "{% extends \"base.html\" %}{% block main %}<h1>Lost? Call {{ site.clinic.phone }}</h1>{% endblock main %}");
    site.write("themes/mine/static/extra.css", "body{}");
    ok(&site.build());
    assert!(site
        .read("public/404.html")
        .contains("Lost? Call +1 555 0100"));
    assert!(site
        .read("public/care/aftercare/index.html")
        .contains("Aftercare"));
    assert!(site.path("public/extra.css").exists() && site.path("public/style.css").exists());
}

#[test]
fn sections_paginate() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/_index.md",
        "+++\ntitle = \"Care\"\nsort_by = \"title\"\npaginate_by = 1\n+++\n",
    );
    ok(&site.build());
    assert!(site.path("public/care/page/2/index.html").exists());
    assert!(site
        .read("public/care/page/1/index.html")
        .contains("url=https://minimal.example/care/"));
    let first = site.read("public/care/index.html");
    assert!(
        first.contains("/care/aftercare/") && !first.contains("href=\"/care/washing/\""),
        "page 1 lists only the first page by title"
    );
}

/// Name, how to break the site, environment, expected exit code.
type FailCase = (
    &'static str,
    Box<dyn Fn(&Site)>,
    Vec<(&'static str, &'static str)>,
    i32,
);

#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let site = Site::fixture("minimal");
    ok(&site.build());
    let before = site.snapshot("public");
    let cases: Vec<FailCase> = vec![
        (
            "content error",
            Box::new(|s: &Site| s.write("content/care/bad.md", "+++\ntitle = 3\n+++\n")),
            vec![],
            1,
        ),
        (
            "template error",
            Box::new(|s: &Site| s.write("themes/clinic/templates/page.html", "{{ page.nope }}")),
            vec![],
            1,
        ),
        (
            "injected panic",
            Box::new(|_: &Site| {}),
            vec![("FOLLICLE_INJECT_FAULT", "panic:content/care/washing.md")],
            3,
        ),
        (
            "injected write failure",
            Box::new(|_: &Site| {}),
            vec![("FOLLICLE_INJECT_FAULT", "write:care/washing/index.html")],
            3,
        ),
    ];
    for (name, break_it, env, code) in cases {
        let s = Site::fixture("minimal");
        ok(&s.build());
        break_it(&s);
        let run = s.run_env(&["build"], &env);
        assert_eq!(run.code, code, "{name}: {}", run.stderr);
        assert!(
            !run.stderr.contains("panicked"),
            "{name}: raw panic text leaked: {}",
            run.stderr
        );
        assert_eq!(
            before,
            s.snapshot("public"),
            "{name}: previous output changed"
        );
        let leftovers: Vec<_> = std::fs::read_dir(s.root())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.contains("staging"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "{name}: staging left behind: {leftovers:?}"
        );
    }
}

#[test]
fn an_injected_panic_names_the_page() {
    let site = Site::fixture("minimal");
    let run = site.run_env(
        &["build"],
        &[("FOLLICLE_INJECT_FAULT", "panic:content/care/washing.md")],
    );
    assert_eq!(run.code, 3);
    assert_eq!(
        run.stderr.trim(),
        "internal error: internal error while rendering content/care/washing.md"
    );
}

#[test]
fn the_bundled_site_builds() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::empty();
    common::copy_tree(&repo.join("content"), &site.path("content"));
    common::copy_tree(&repo.join("themes"), &site.path("themes"));
    std::fs::copy(repo.join("site.toml"), site.path("site.toml")).unwrap();
    let run = site.build();
    ok(&run);
    assert!(
        run.stderr.is_empty(),
        "warnings on the bundled site: {}",
        run.stderr
    );
    let out = tree(&site.path("public"));
    assert!(out.len() > 40, "{}", out.len());
}

#[test]
fn the_feed_has_what_rfc_4287_requires() {
    let site = Site::fixture("minimal");
    ok(&site.build());
    let xml = site.read("public/atom.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed");
    let feed = doc.root_element();
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let child =
        |n: roxmltree::Node, name: &str| n.children().filter(|c| c.has_tag_name(name)).count();
    let rfc3339 = |s: &str| s.parse::<jiff::Timestamp>().is_ok();
    for required in ["id", "title", "updated", "author"] {
        assert_eq!(child(feed, required), 1, "feed/{required}");
    }
    assert!(feed
        .children()
        .any(|c| c.has_tag_name("link") && c.attribute("rel") == Some("self")));
    let updated = feed
        .children()
        .find(|c| c.has_tag_name("updated"))
        .unwrap()
        .text()
        .unwrap();
    assert!(rfc3339(updated), "{updated}");
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 2);
    let mut ids = std::collections::HashSet::new();
    for e in entries {
        for required in ["id", "title", "updated"] {
            assert_eq!(child(e, required), 1, "entry/{required}");
        }
        assert!(e
            .children()
            .any(|c| c.has_tag_name("link") && c.attribute("rel") == Some("alternate")));
        let id = e
            .children()
            .find(|c| c.has_tag_name("id"))
            .unwrap()
            .text()
            .unwrap()
            .to_string();
        assert!(
            id.starts_with("https://") && ids.insert(id),
            "ids are unique IRIs"
        );
        for date in ["updated", "published"] {
            let t = e
                .children()
                .find(|c| c.has_tag_name(date))
                .unwrap()
                .text()
                .unwrap();
            assert!(rfc3339(t), "{t}");
        }
    }
}

#[test]
fn sections_without_a_page_are_not_linked() {
    let site = Site::fixture("minimal");
    site.write(
        "content/hidden/_index.md",
        "+++\ntitle = \"Hidden\"\nrender = false\n+++\n",
    );
    site.write(
        "content/hidden/note.md",
        "+++\ntitle = \"Note\"\n+++\nA page in a section without its own page.\n",
    );
    ok(&site.build());
    assert!(!site.path("public/hidden/index.html").exists());
    assert!(site.path("public/hidden/note/index.html").exists());
    for page in [
        "public/index.html",
        "public/care/aftercare/index.html",
        "public/hidden/note/index.html",
    ] {
        assert!(
            !site.read(page).contains("href=\"/hidden/\""),
            "{page} links to a section with no page"
        );
    }
}

/// A rebuild writes into the output of two builds ago: files whose bytes are
/// unchanged are left alone (same inode, same time), everything else is
/// rewritten, and the result equals a clean build.
#[test]
fn a_rebuild_leaves_unchanged_files_alone_and_equals_a_clean_build() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::fixture("minimal");
    ok(&site.build());
    ok(&site.build());
    let prev = site.path(".public.follicle-prev");
    let meta = |rel: &str| std::fs::symlink_metadata(prev.join(rel)).unwrap();
    let kept = meta("care/washing/index.html");
    // Tampering in the folder the next build reuses: a file with the right
    // length but other bytes, a link (to a file with the right bytes) where a
    // file goes, and a file nobody writes.
    let sitemap = std::fs::read(prev.join("sitemap.xml")).unwrap();
    std::fs::write(prev.join("sitemap.xml"), vec![b'x'; sitemap.len()]).unwrap();
    let outside = site.path("outside-robots.txt");
    std::fs::copy(prev.join("robots.txt"), &outside).unwrap();
    std::fs::remove_file(prev.join("robots.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, prev.join("robots.txt")).unwrap();
    std::fs::write(prev.join("care/stale.html"), "old").unwrap();
    // A page longer than its new text (the rewrite must cut it), and a page
    // hard-linked from a backup (the backup must not change).
    std::fs::write(prev.join("index.html"), "x".repeat(200_000)).unwrap();
    let backup = site.path("backup-tags.html");
    std::fs::write(prev.join("tags/index.html"), "backup copy").unwrap();
    std::fs::hard_link(prev.join("tags/index.html"), &backup).unwrap();
    // A folder replaced by a link to a folder outside holding the same page
    // and file: nothing may be read or written through it.
    let elsewhere = site.path("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::copy(
        prev.join("old-aftercare/index.html"),
        elsewhere.join("index.html"),
    )
    .unwrap();
    let outside_alias = std::fs::read(elsewhere.join("index.html")).unwrap();
    std::fs::remove_dir_all(prev.join("old-aftercare")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, prev.join("old-aftercare")).unwrap();
    let files = site.path("files-elsewhere");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(files.join("sheet.txt"), "outside sheet").unwrap();
    std::fs::remove_dir_all(prev.join("files")).unwrap();
    std::os::unix::fs::symlink(&files, prev.join("files")).unwrap();
    let aftercare = site.read("content/care/aftercare.md");
    site.write(
        "content/care/aftercare.md",
        aftercare.replace("Keep", "Please keep"),
    );
    ok(&site.build());

    let public = site.path("public");
    let now = std::fs::symlink_metadata(public.join("care/washing/index.html")).unwrap();
    assert_eq!(
        (now.ino(), now.mtime_nsec()),
        (kept.ino(), kept.mtime_nsec())
    );
    assert!(site
        .read("public/care/aftercare/index.html")
        .contains("Please keep"));
    assert!(std::fs::symlink_metadata(public.join("robots.txt"))
        .unwrap()
        .is_file());
    ok(&site.run(&["build", "--output", "clean"]));
    assert_eq!(common::tree(&public), site.snapshot("clean"));
    assert_eq!(
        std::fs::read(&outside).unwrap(),
        std::fs::read(public.join("robots.txt")).unwrap()
    );
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), "backup copy");
    assert_eq!(
        std::fs::read(elsewhere.join("index.html")).unwrap(),
        outside_alias
    );
    assert!(std::fs::symlink_metadata(public.join("old-aftercare"))
        .unwrap()
        .is_dir());
    assert_eq!(
        std::fs::read_to_string(files.join("sheet.txt")).unwrap(),
        "outside sheet"
    );
    assert!(std::fs::symlink_metadata(public.join("care"))
        .unwrap()
        .is_dir());
}

/// `--strict` turns warnings into a failed build that leaves the output alone.
#[test]
fn strict_builds_fail_on_warnings_and_keep_the_old_output() {
    let site = Site::fixture("minimal");
    ok(&site.build());
    let before = site.snapshot("public");
    std::os::unix::fs::symlink("nowhere.md", site.path("content/care/gone.md")).unwrap();

    let lenient = site.build();
    ok(&lenient);
    assert!(
        lenient.stderr.contains("content/care/gone.md: warning"),
        "{}",
        lenient.stderr
    );

    site.write(
        "content/care/washing.md",
        "+++\ntitle = \"Changed\"\n+++\nNew.\n",
    );
    let strict = site.run(&["build", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(
        strict.stderr.contains("content/care/gone.md: warning")
            && strict.stderr.contains(
                "--strict: error: 1 warning counted as error; the output folder was left as it was"
            ),
        "{}",
        strict.stderr
    );
    assert_eq!(site.snapshot("public"), before);
}

/// Raw HTML in Markdown: safe parts kept, unsafe parts removed with a warning at
/// their line (`raw_html = "safe"`, the default); `"trusted"` keeps it all.
#[test]
fn raw_html_is_cleaned_unless_trusted() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/extra.md",
        "+++\ntitle = \"Extra\"\n[[faq]]\nquestion = \"Wash?\"\nanswer = \"No. <img src=x onerror=alert(1)>\"\n+++\n\
         <details><summary>More</summary>Use <abbr title=\"scalp micropigmentation\">SMP</abbr>.</details>\n\n\
         <p onclick=\"steal()\">Hi</p>\n\n<script>alert(1)</script>\n\n<!-- a note to self -->\n",
    );
    let run = site.build();
    ok(&run);
    assert!(
        run.stderr.contains("content/care/extra.md:9:4: warning: raw HTML event handler `onclick` on `<p>` was removed")
            && run.stderr.contains("content/care/extra.md:11:1: warning: raw HTML `<script>` is not allowed"),
        "{}",
        run.stderr
    );
    let page = site.read("public/care/extra/index.html");
    assert!(page.contains("<details><summary>More</summary>Use <abbr title=\"scalp micropigmentation\">SMP</abbr>.</details>"), "{page}");
    assert!(page.contains("<p>Hi</p>"), "{page}");
    for gone in [
        "onclick",
        "onerror",
        "<script>alert",
        "alert(1)</",
        "a note to self",
    ] {
        assert!(!page.contains(gone), "{gone} in {page}");
    }

    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        toml.replace(
            "taxonomies = [\"tags\"]\n",
            "taxonomies = [\"tags\"]\n\n[markdown]\nraw_html = \"trusted\"\n",
        ),
    );
    let run = site.build();
    ok(&run);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let page = site.read("public/care/extra/index.html");
    assert!(
        page.contains("<p onclick=\"steal()\">Hi</p>")
            && page.contains("<script>alert(1)</script>"),
        "{page}"
    );
}

/// Reading time counts FAQ questions and answers, not only the body: a page of
/// ten words with 400 words of answers (417 words in all, at 200 a minute) is a
/// three-minute read, not one.
#[test]
fn reading_time_counts_faq_answers() {
    let site = Site::fixture("minimal");
    let answer = "word ".repeat(100);
    let mut faq = String::new();
    for i in 0..4 {
        faq.push_str(&format!(
            "[[faq]]\nquestion = \"Question {i}?\"\nanswer = \"{answer}\"\n\n"
        ));
    }
    site.write(
        "content/care/faq.md",
        format!("+++\ntitle = \"FAQ\"\ndescription = \"Answers.\"\n{faq}+++\nShort answers to the questions we hear most often, here.\n"),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/care/faq/index.html");
    assert!(
        html.contains("<li class=\"reading-time\">3 min read</li>"),
        "{html}"
    );
}

/// A site page outside every section (contact, privacy) is not an article: its
/// header says when it last changed, with no "Published" and no reading time;
/// an article keeps both.
#[test]
fn a_site_page_says_when_it_changed_not_how_long_it_takes_to_read() {
    let site = Site::fixture("minimal");
    let page = |updated: &str| {
        format!("+++\ntitle = \"Contact\"\ndescription = \"How to reach us.\"\ndate = 2026-03-02\n{updated}+++\nCall us or write to us.\n")
    };
    site.write("content/contact.md", page(""));
    site.write("content/privacy.md", page("updated = 2026-05-04\n"));
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let meta = |path: &str| {
        let html = site.read(path);
        let start = html.find("<ul class=\"meta-list\">").expect("a meta list");
        let end = start + html[start..].find("</ul>").unwrap();
        html[start..end].to_string()
    };
    let contact = meta("public/contact/index.html");
    assert!(
        contact.contains("Updated <time datetime=\"2026-03-02\""),
        "{contact}"
    );
    let privacy = meta("public/privacy/index.html");
    assert!(
        privacy.contains("Updated <time datetime=\"2026-05-04\""),
        "{privacy}"
    );
    for m in [&contact, &privacy] {
        assert!(!m.contains("min read") && !m.contains("Published"), "{m}");
    }
    let article = meta("public/care/washing/index.html");
    assert!(article.contains("min read"), "{article}");
}

/// The footer links to every top-level page (about, contact, FAQ, …), so none
/// is reachable only from the home page.
#[test]
fn the_footer_links_to_every_top_level_page() {
    let site = Site::fixture("minimal");
    site.write(
        "content/contact.md",
        "+++\ntitle = \"Contact us\"\n+++\nCall.\n",
    );
    site.write(
        "content/privacy.md",
        "+++\ntitle = \"Privacy notice\"\n+++\nNone.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/care/aftercare/index.html");
    let footer = &html[html.find("<footer").unwrap()..];
    assert!(
        footer.contains("<a href=\"/contact/\">Contact us</a>"),
        "{footer}"
    );
    assert!(
        footer.contains("<a href=\"/privacy/\">Privacy notice</a>"),
        "{footer}"
    );
}

/// A `page.extra` key the theme reads, misspelt or given a value the theme does
/// not know, would show nothing without a word: a warning at its line with a
/// "did you mean" (the clinic theme declares `clinic_box` and its values; keys
/// a site's own templates read are found in their text); `--strict` fails.
#[test]
fn misspelt_theme_keys_and_values_are_warnings_with_did_you_mean() {
    let site = Site::fixture("minimal");
    let page =
        |extra: &str| format!("+++\ntitle = \"T\"\ndescription = \"d\"\n{extra}\n+++\nText.\n");
    site.write(
        "content/care/a.md",
        page("[extra]\nclinic_box = \"reaction_reportng\""),
    );
    site.write(
        "content/care/b.md",
        page("[extra]\nclinc_box = \"reaction_reporting\""),
    );
    site.write(
        "content/care/c.md",
        page("clinicbox = \"practitioner_register\""),
    );
    // Keys of the site's own that no template reads, and right ones: no warning.
    site.write(
        "content/care/d.md",
        page("nav_order = 3\n[extra]\nclinic_box = \"practitioner_register\""),
    );
    // A key the site's own template reads is known too.
    site.write("themes/mine/theme.toml", "extends = \"clinic\"\n");
    site.write(
        "themes/mine/templates/page.html",
        "<!doctype html><html lang=\"en\"><title>{{ page.title }}</title><p>{{ page.extra.banner_text | default(value=\"\") }}</p>{{ page.content | safe }}</html>",
    );
    site.write(
        "content/care/e.md",
        page("[extra]\nbaner_text = \"Open late\""),
    );
    site.write(
        "site.toml",
        format!("theme = \"mine\"\n{}", site.read("site.toml")),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for want in [
        "content/care/a.md:5:1: warning: `reaction_reportng` is not a value the theme knows for `clinic_box`, so the theme shows nothing for it\n  hint: did you mean `reaction_reporting`? The theme knows: reaction_reporting, practitioner_register",
        "content/care/b.md:5:1: warning: the theme reads no `clinc_box` key, so it does nothing on the page\n  hint: did you mean `clinic_box`?",
        "content/care/c.md:4:1: warning: the theme reads no `clinicbox` key",
        "content/care/e.md:5:1: warning: the theme reads no `baner_text` key, so it does nothing on the page\n  hint: did you mean `banner_text`?",
    ] {
        assert!(run.stderr.contains(want), "{want}\nin\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("d.md"), "{}", run.stderr);
    assert!(!run.stderr.contains("nav_order"), "{}", run.stderr);
    let strict = site.run(&["build", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}
