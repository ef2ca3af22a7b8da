//! `follicle import zola|hugo|jekyll SRC DEST` end to end: a small site of each
//! kind (written here), imported, then built; SRC is never written to.

mod common;

use common::Site;

fn ok(run: &common::Run) {
    assert_eq!(run.code, 0, "failed:\n{}\n{}", run.stdout, run.stderr);
}

/// Import `src/` of `site` as `peer` into `out/`, build it, return the report.
fn import_and_build(site: &Site, peer: &str) -> String {
    let before = site.snapshot("src");
    let run = site.run(&["import", peer, "src", "out"]);
    ok(&run);
    assert_eq!(before, site.snapshot("src"), "import wrote into SRC");
    ok(&site.run(&["build", "--root", "out"]));
    assert_eq!(before, site.snapshot("src"), "the build wrote into SRC");
    run.stdout
}

#[test]
fn a_zola_site_imports_and_builds() {
    let site = Site::empty();
    site.write(
        "src/config.toml",
        "base_url = \"https://zola.example\"\ntitle = \"Zola clinic\"\ntaxonomies = [{ name = \"tags\" }, { name = \"podcast_authors\" }]\n\n[languages.fr]\ntitle = \"Clinique\"\n",
    );
    site.write(
        "src/content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
    );
    site.write(
        "src/content/blog/_index.md",
        "+++\ntitle = \"Blog\"\nsort_by = \"date\"\ntemplate = \"blog.html\"\n+++\n",
    );
    site.write(
        "src/content/blog/first.md",
        "+++\ntitle = \"First\"\ndate = 2024-01-02\n[taxonomies]\ntags = [\"care\"]\n+++\nHello {{ youtube(id=\"x\") }}.\n",
    );
    site.write(
        "src/content/blog/first.fr.md",
        "+++\ntitle = \"Premier\"\n+++\nBonjour.\n",
    );
    site.write("src/static/logo.svg", "<svg/>");
    site.write("src/templates/blog.html", "{{ section.title }}");
    let report = import_and_build(&site, "zola");
    let toml = site.read("out/site.toml");
    assert!(
        toml.contains("title = \"Zola clinic\"")
            && toml.contains("base_url = \"https://zola.example\""),
        "{toml}"
    );
    assert!(
        toml.contains("taxonomies = [\"tags\", \"podcast_authors\"]"),
        "{toml}"
    );
    assert!(toml.contains("[languages.fr]"), "{toml}");
    assert!(
        report.contains("templates/: 1 files not carried over"),
        "{report}"
    );
    assert!(
        report.contains(
            "content/blog/first.md:7:7: a template tag or shortcode, `{{ youtube(id=\"x\") }}"
        ),
        "{report}"
    );
    assert!(site.path("out/IMPORT-REPORT.md").exists());
    assert!(site.path("out/public/blog/first/index.html").exists());
    assert!(site.path("out/public/fr/blog/first/index.html").exists());
    assert!(site.path("out/public/logo.svg").exists());
}

#[test]
fn a_hugo_site_imports_and_builds() {
    let site = Site::empty();
    site.write(
        "src/hugo.toml",
        "baseURL = \"https://hugo.example/\"\ntitle = \"Hugo clinic\"\n[taxonomies]\ntag = \"tags\"\nseries = \"series\"\n",
    );
    site.write(
        "src/content/posts/visit.md",
        "---\ntitle: Visit\ndate: 2024-02-03\nlinkTitle: The visit\nseries: [first-steps]\nparams:\n  hero: a.jpg\n---\nText {{< figure src=\"a.jpg\" alt=\"A\" >}}\n",
    );
    site.write("src/layouts/_default/single.html", "x");
    let report = import_and_build(&site, "hugo");
    assert!(site
        .read("out/site.toml")
        .contains("taxonomies = [\"series\", \"tags\"]"));
    assert!(report.contains("layouts/: 1 files"), "{report}");
    assert!(report.contains("content/posts/visit.md:9:6"), "{report}");
    assert!(site
        .path("out/public/series/first-steps/index.html")
        .exists());
}

#[test]
fn hugo_content_mounts_become_the_content_folder() {
    let site = Site::empty();
    // As Hugo's own documentation: content/en is mounted as the content.
    site.write(
        "src/hugo.toml",
        "baseURL = \"https://hugo.example/\"\n[[module.mounts]]\nsource = 'content/en'\ntarget = 'content'\n",
    );
    site.write(
        "src/content/en/guide/_index.md",
        "---\ntitle: Guide\n---\nGuide.\n",
    );
    site.write(
        "src/content/en/guide/start.md",
        "---\ntitle: Start\n---\nStart.\n",
    );
    import_and_build(&site, "hugo");
    assert!(site.path("out/public/guide/start/index.html").exists());
    assert!(!site.path("out/content/en").exists());
}

#[test]
fn hugo_languages_with_a_content_folder_each_become_translations() {
    let site = Site::empty();
    site.write(
        "src/hugo.toml",
        "baseURL = \"https://hugo.example/\"\ndefaultContentLanguage = \"en\"\n[languages.en]\ncontentDir = \"content/en\"\nlanguageName = \"English\"\n[languages.es]\ncontentDir = \"content/es\"\nlanguageName = \"Español\"\n",
    );
    site.write(
        "src/content/en/_index.md",
        "---\ntitle: Home\n---\nHello.\n",
    );
    site.write(
        "src/content/en/care/_index.md",
        "---\ntitle: Care\n---\nCare.\n",
    );
    site.write(
        "src/content/en/care/washing.md",
        "---\ntitle: Washing\n---\nWash gently.\n",
    );
    site.write(
        "src/content/es/_index.md",
        "---\ntitle: Inicio\n---\nHola.\n",
    );
    site.write(
        "src/content/es/care/_index.md",
        "---\ntitle: Cuidados\n---\nCuidados.\n",
    );
    site.write(
        "src/content/es/care/washing.md",
        "---\ntitle: Lavado\n---\nLave con cuidado.\n",
    );
    import_and_build(&site, "hugo");
    assert!(site.path("out/content/care/washing.es.md").exists());
    assert!(!site.path("out/content/es").exists());
    let es = site.read("out/public/es/care/washing/index.html");
    assert!(
        es.contains("Lave con cuidado") && es.contains("lang=\"es\""),
        "{es}"
    );
    let en = site.read("out/public/care/washing/index.html");
    // The two are one page's translations: each names the other.
    assert!(en.contains("hreflang=\"es\""), "{en}");
}

#[test]
fn a_jekyll_site_imports_and_builds() {
    let site = Site::empty();
    site.write(
        "src/_config.yml",
        "title: Jekyll clinic\nurl: https://jekyll.example\nbaseurl: /docs\n",
    );
    site.write(
        "src/_posts/2013-05-06-welcome.markdown",
        "---\nlayout: post\ntitle: Welcome\ndate: 2013-05-06 02:12:52 +0200\ncategories: news\n---\n{% raw %}x{% endraw %}\n",
    );
    site.write(
        "src/about.md",
        "---\ntitle: About\npermalink: /about/\nnav_order: 2\n---\nAbout us.\n",
    );
    site.write("src/_layouts/post.html", "{{ content }}");
    site.write("src/_site/old.html", "built output");
    // A page in HTML with front matter and Liquid (Just the Docs' 404.html):
    // not published raw; plain HTML files are.
    site.write(
        "src/404.html",
        "---\nlayout: default\n---\n<p>Not found. {% if site.search %}Search{% endif %}</p>\n",
    );
    site.write(
        "src/plain.html",
        "<!doctype html><title>Plain</title><p>As it is.</p>\n",
    );
    site.write("src/Gemfile", "gem 'jekyll'");
    let report = import_and_build(&site, "jekyll");
    assert!(site
        .read("out/site.toml")
        .contains("base_url = \"https://jekyll.example/docs\""));
    assert!(!site.path("out/content/_site").exists() && !site.path("out/content/Gemfile").exists());
    assert!(report.contains("_layouts/: 1 files"), "{report}");
    assert!(site.path("out/public/posts/welcome/index.html").exists());
    assert!(site.path("out/public/about/index.html").exists());
    assert!(
        report.contains("404.html:1:1: a page written in HTML with front matter"),
        "{report}"
    );
    let not_found = site.read("out/public/404.html");
    assert!(
        !not_found.contains("{%") && !not_found.contains("layout:"),
        "{not_found}"
    );
    assert!(site.read("out/public/plain.html").contains("As it is."));
}

#[test]
fn import_never_writes_into_src_or_over_files() {
    let site = Site::empty();
    site.write("src/config.toml", "title = \"T\"\n");
    site.write("src/content/a.md", "+++\ntitle = \"A\"\n+++\n");
    let run = site.run(&["import", "zola", "src", "src/new"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("is inside the site being imported"),
        "{}",
        run.stderr
    );
    assert!(!site.path("src/new").exists());
    site.write("taken/file.txt", "x");
    let run = site.run(&["import", "zola", "src", "taken"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already holds files"), "{}", run.stderr);
    // No base URL: the import says so and the site still builds.
    ok(&site.run(&["import", "zola", "src", "out"]));
    assert!(site
        .read("out/IMPORT-REPORT.md")
        .contains("no base URL was found"));
    ok(&site.run(&["build", "--root", "out"]));
}

/// The main navigation of a built page: the `main-nav` links, in order.
fn nav_links(html: &str) -> Vec<String> {
    let Some(start) = html.find("class=\"main-nav\"") else {
        return Vec::new();
    };
    let end = html[start..]
        .find("</nav>")
        .map_or(html.len(), |e| start + e);
    html[start..end]
        .split("<a href=\"")
        .skip(1)
        .map(|a| {
            let href = &a[..a.find('"').unwrap_or(0)];
            let text = a
                .split('>')
                .nth(1)
                .unwrap_or("")
                .split('<')
                .next()
                .unwrap_or("");
            format!("{text} {href}")
        })
        .collect()
}

#[test]
fn zola_markdown_options_menu_and_extra_are_carried_and_the_rest_named() {
    let site = Site::empty();
    site.write(
        "src/config.toml",
        "base_url = \"https://zola.example\"\ntitle = \"Zola clinic\"\ndescription = \"Scalp care\"\ncompile_sass = true\n\n[markdown]\nhighlight_code = false\nsmart_punctuation = false\nexternal_links_target_blank = true\nhighlight_theme = \"dracula\"\nrender_emoji = true\nbottom_footnotes = true\n\n[extra]\nphone_note = \"Call us\"\nsocials = { mastodon = \"@clinic\" }\nmenu = [\n  { name = \"Aftercare\", url = \"$BASE_URL/aftercare\" },\n  { name = \"Book\", url = \"https://book.example/\" },\n  { name = \"Chat\", url = \"irc://irc.example/clinic\" },\n]\n",
    );
    site.write(
        "src/content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
    );
    site.write(
        "src/content/aftercare/_index.md",
        "+++\ntitle = \"Aftercare\"\n+++\n",
    );
    site.write("src/content/aftercare/day-one.md", "+++\ntitle = \"Day one\"\n+++\n\"Hi\" -- [out](https://other.example/)\n\n```rust\nfn main() {}\n```\n");
    let report = import_and_build(&site, "zola");
    let toml = site.read("out/site.toml");
    for want in [
        "description = \"Scalp care\"",
        "highlight = false",
        "smart_punctuation = false",
        "external_links_new_tab = true",
        "phone_note = \"Call us\"",
        "mastodon = \"@clinic\"",
        "[[nav]]\nname = \"Aftercare\"\nurl = \"@/aftercare/_index.md\"",
        "[[nav]]\nname = \"Book\"\nurl = \"https://book.example/\"",
    ] {
        assert!(toml.contains(want), "missing {want:?} in\n{toml}");
    }
    // Every key left behind is named at its place, with the reason.
    for want in [
        "config.toml:4:1: `compile_sass` is not carried over",
        "config.toml:10:1: `markdown.highlight_theme` is not carried over: code colours come from the theme's highlight.css",
        "config.toml:11:1: `markdown.render_emoji` is not carried over",
        "config.toml:20:3: the menu link `Chat` is not carried over: the address `irc://irc.example/clinic` uses a scheme",
    ] {
        assert!(report.contains(want), "missing {want:?} in\n{report}");
    }
    // Carried over: bottom_footnotes is what Follicle does anyway.
    assert!(!report.contains("bottom_footnotes"), "{report}");
    let page = site.read("out/public/aftercare/day-one/index.html");
    assert_eq!(
        nav_links(&page),
        ["Aftercare /aftercare/", "Book https://book.example/"]
    );
    assert!(page.contains("\"Hi\" --"), "smart punctuation is off");
    assert!(
        page.contains("target=\"_blank\""),
        "external links open a new tab"
    );
    assert!(!page.contains("class=\"hl-"), "highlighting is off");
    // A theme reads the site's own values as `config.extra.KEY`, as in Zola.
    site.write("out/themes/mine/theme.toml", "extends = \"clinic\"\n");
    site.write(
        "out/themes/mine/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<p id=\"x\">{{ config.extra.phone_note }} {{ config.extra.socials.mastodon }} {{ config.title }}</p>{% endblock main %}",
    );
    site.write("out/site.toml", format!("theme = \"mine\"\n{toml}"));
    ok(&site.run(&["build", "--root", "out"]));
    let page = site.read("out/public/aftercare/day-one/index.html");
    assert!(
        page.contains("<p id=\"x\">Call us @clinic Zola clinic</p>"),
        "{page}"
    );
}

#[test]
fn hugo_menus_markup_and_params_are_carried_and_the_rest_named() {
    let site = Site::empty();
    site.write(
        "src/hugo.toml",
        "baseURL = \"https://hugo.example/\"\ntitle = \"Hugo clinic\"\nenableRobotsTXT = true\n\n[params]\ndescription = \"Scalp care in Leeds\"\nbrand_color = \"teal\"\n\n[markup.goldmark.extensions]\ntypographer = false\ntable = true\n[markup.goldmark.renderer]\nunsafe = true\nhardWraps = true\n[markup.highlight]\nstyle = \"monokai\"\n\n[[menu.main]]\nname = \"Risks\"\npageRef = \"/risks\"\nweight = 20\n[[menu.main]]\nname = \"Booking\"\nurl = \"https://book.example/\"\nweight = 30\n[[menu.main]]\nname = \"Costs\"\nparent = \"Risks\"\nurl = \"/costs/\"\n[[menu.footer]]\nname = \"Privacy\"\nurl = \"/privacy/\"\n",
    );
    site.write("src/content/risks.md", "---\ntitle: Risks\n---\nRisks.\n");
    site.write(
        "src/content/aftercare.md",
        "---\ntitle: Aftercare and healing\nlinkTitle: Aftercare\nmenu:\n  main:\n    weight: 10\n  sidebar: {}\n---\nAfter. {{< param brand_color >}}\n",
    );
    let report = import_and_build(&site, "hugo");
    let toml = site.read("out/site.toml");
    for want in [
        "description = \"Scalp care in Leeds\"",
        "smart_punctuation = false",
        "brand_color = \"teal\"",
        "name = \"Aftercare\"\nurl = \"@/aftercare.md\"",
        "name = \"Risks\"\nurl = \"@/risks.md\"",
    ] {
        assert!(toml.contains(want), "missing {want:?} in\n{toml}");
    }
    for want in [
        "hugo.toml:3:1: `enableRobotsTXT` is not carried over",
        "hugo.toml:14:1: `markup.goldmark.renderer.hardWraps` is not carried over",
        "hugo.toml:16:1: `markup.highlight.style` is not carried over",
        "`menu.main.2` is not carried over: it sits under `Risks`",
        "`menu.footer` is not carried over: the theme has one menu",
        "content/aftercare.md:7:3: `menu.sidebar` is not carried over",
    ] {
        assert!(report.contains(want), "missing {want:?} in\n{report}");
    }
    let page = site.read("out/public/risks/index.html");
    // By weight, as Hugo orders them; the front-matter entry among them.
    assert_eq!(
        nav_links(&page),
        [
            "Aftercare /aftercare/",
            "Risks /risks/",
            "Booking https://book.example/"
        ]
    );
    assert!(page.contains("aria-current=\"page\">Risks"), "{page}");
    assert!(site
        .read("out/public/aftercare/index.html")
        .contains("teal"));
}

#[test]
fn jekyll_navigation_kramdown_and_site_variables_are_carried_and_the_rest_named() {
    let site = Site::empty();
    site.write(
        "src/_config.yml",
        "title: Jekyll clinic\nurl: https://jekyll.example\nlang: en-GB\nversion: 4.3\nclinic_city: Leeds\nplugins: [jekyll-feed]\nhighlighter: rouge\nkramdown:\n  input: GFM\n  smart_quotes: apos,apos,quot,quot\n  hard_wrap: true\n",
    );
    site.write(
        "src/_data/navigation.yml",
        "main:\n  - title: About\n    url: /about/\n  - title: Guides\n    url: /guides/\n    children:\n      - title: One\n        url: /guides/one/\ndocs:\n  - title: Sidebar\n    url: /x/\n",
    );
    site.write("src/about.md", "---\ntitle: About\npermalink: /about/\n---\n\"We\" are in {{ site.clinic_city }}, v{{ site.version }}.\n");
    site.write("src/guides/index.md", "---\ntitle: Guides\n---\nGuides.\n");
    let report = import_and_build(&site, "jekyll");
    let toml = site.read("out/site.toml");
    for want in [
        "default_language = \"en\"",
        "highlight = true",
        "smart_punctuation = false",
        "clinic_city = \"Leeds\"",
        "version = 4.3",
        "name = \"About\"\nurl = \"@/about.md\"",
    ] {
        assert!(toml.contains(want), "missing {want:?} in\n{toml}");
    }
    for want in [
        "_config.yml:6:1: `plugins` is not carried over",
        "_config.yml:11:3: `kramdown.hard_wrap` is not carried over",
        "_data/navigation.yml:6:5: `main.1.children` is not carried over: the menu is one level deep",
        "_data/navigation.yml:9:1: `docs` is not carried over",
    ] {
        assert!(report.contains(want), "missing {want:?} in\n{report}");
    }
    let about = site.read("out/public/about/index.html");
    assert_eq!(nav_links(&about), ["About /about/", "Guides /guides/"]);
    assert!(about.contains("\"We\" are in Leeds, v4.3."), "{about}");
}

#[test]
fn a_nav_link_to_a_missing_page_is_an_error_at_its_place() {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://t.example/\"\n\n[[nav]]\nname = \"Care\"\nurl = \"@/care.md\"\n\n[languages.es]\nname = \"Español\"\n[[languages.es.nav]]\nname = \"Cuidados\"\nurl = \"@/cuidados.md\"\n",
    );
    site.write("content/care.md", "+++\ntitle = \"Care\"\n+++\nCare.\n");
    site.write(
        "content/care.es.md",
        "+++\ntitle = \"Cuidado\"\n+++\nCuidado.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("site.toml:12:1: error")
            && run
                .stderr
                .contains("`@/cuidados.md` names `content/cuidados.md`, which is not a page"),
        "{}",
        run.stderr
    );
    // A name close to a page's is answered with that page.
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://t.example/\"\n\n[[nav]]\nname = \"Care\"\nurl = \"@/cares.md\"\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("site.toml:6:1: error")
            && run.stderr.contains("hint: did you mean \"@/care.md\"?"),
        "{}",
        run.stderr
    );
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://t.example/\"\n\n[[nav]]\nname = \"Care\"\nurl = \"@/care.md\"\n\n[languages.es]\nname = \"Español\"\n",
    );
    ok(&site.run(&["build"]));
    // The site's menu in Spanish leads to the Spanish translation.
    assert_eq!(
        nav_links(&site.read("public/es/care/index.html")),
        ["Care /es/care/"]
    );
}

#[test]
fn a_hugo_config_folder_is_merged_with_per_language_menus() {
    let site = Site::empty();
    site.write(
        "src/config/_default/hugo.toml",
        "baseURL = \"https://hugo.example/\"\ntitle = \"Hugo clinic\"\ndefaultContentLanguage = \"en\"\n",
    );
    site.write(
        "src/config/_default/languages.toml",
        "[en]\nlanguageName = \"English\"\n[es]\nlanguageName = \"Español\"\ntitle = \"Clínica\"\n",
    );
    site.write(
        "src/config/_default/menus.en.toml",
        "[[main]]\nname = \"About\"\npageRef = \"/about\"\nweight = 1\n[[main]]\nname = \"Gone\"\npageRef = \"/gone\"\n",
    );
    site.write(
        "src/config/_default/menus.es.toml",
        "[[main]]\nname = \"Sobre\"\npageRef = \"/about\"\n",
    );
    site.write("src/config/_default/params.toml", "phone_hours = \"9-5\"\n");
    site.write(
        "src/config/_default/markup.toml",
        "[goldmark.extensions]\ntypographer = false\n[goldmark.renderer]\nhardWraps = true\n",
    );
    site.write(
        "src/content/about.md",
        "---\ntitle: About\n---\nOpen {{< param phone_hours >}}.\n",
    );
    site.write(
        "src/content/about.es.md",
        "---\ntitle: Sobre\n---\nAbierto.\n",
    );
    let report = import_and_build(&site, "hugo");
    let toml = site.read("out/site.toml");
    for want in [
        "title = \"Hugo clinic\"",
        "smart_punctuation = false",
        "phone_hours = \"9-5\"",
        "[[nav]]\nname = \"About\"\nurl = \"@/about.md\"",
        "[[languages.es.nav]]\nname = \"Sobre\"\nurl = \"@/about.md\"",
        "name = \"Español\"",
    ] {
        assert!(toml.contains(want), "missing {want:?} in\n{toml}");
    }
    for want in [
        "config/_default/markup.toml:4:1: `markup.goldmark.renderer.hardWraps` is not carried over",
        "config/_default/menus.en.toml:5:1: the menu link `Gone` is not carried over: its pageRef `gone` names no page",
    ] {
        assert!(report.contains(want), "missing {want:?} in\n{report}");
    }
    assert_eq!(
        nav_links(&site.read("out/public/about/index.html")),
        ["About /about/"]
    );
    assert_eq!(
        nav_links(&site.read("out/public/es/about/index.html")),
        ["Sobre /es/about/"]
    );
    assert!(site
        .read("out/public/about/index.html")
        .contains("Open 9-5."));
}

#[test]
fn a_zola_theme_menu_by_language_becomes_each_language_menu() {
    let site = Site::empty();
    site.write(
        "src/config.toml",
        "base_url = \"https://zola.example\"\ntitle = \"Clinic\"\n\n[languages.fr]\ntitle = \"Clinique\"\n\n[extra.menu]\nen = [{ name = \"About\", url = \"$BASE_URL/about\" }]\nfr = [{ name = \"À propos\", url = \"$BASE_URL/about\" }]\n",
    );
    site.write(
        "src/content/about.md",
        "+++\ntitle = \"About\"\n+++\nAbout.\n",
    );
    site.write(
        "src/content/about.fr.md",
        "+++\ntitle = \"À propos\"\n+++\nÀ propos.\n",
    );
    import_and_build(&site, "zola");
    let toml = site.read("out/site.toml");
    assert!(
        toml.contains("[[languages.fr.nav]]\nname = \"À propos\"\nurl = \"@/about.md\""),
        "{toml}"
    );
    assert_eq!(
        nav_links(&site.read("out/public/about/index.html")),
        ["About /about/"]
    );
    assert_eq!(
        nav_links(&site.read("out/public/fr/about/index.html")),
        ["À propos /fr/about/"]
    );
}
