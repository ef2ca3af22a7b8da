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
    site.write("src/Gemfile", "gem 'jekyll'");
    let report = import_and_build(&site, "jekyll");
    assert!(site
        .read("out/site.toml")
        .contains("base_url = \"https://jekyll.example/docs\""));
    assert!(!site.path("out/content/_site").exists() && !site.path("out/content/Gemfile").exists());
    assert!(report.contains("_layouts/: 1 files"), "{report}");
    assert!(site.path("out/public/posts/welcome/index.html").exists());
    assert!(site.path("out/public/about/index.html").exists());
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
