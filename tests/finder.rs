//! One finder (issue 19): `build` reports plain broken internal links, missing
//! images and missing alt text as warnings worded as `check` words them, each
//! once; `--strict` fails on them; `check` calls missing alt text an error.

mod common;

use common::Site;

const PAGE: &str = "+++\ntitle = \"Prices\"\n+++\nOur [prices](/prices/) list.\n\n![](missing.png)\n\n![A clinic room](/style.css)\n\n![](/style.css \"decorative\")\n";

fn site_with_prices() -> Site {
    let site = Site::fixture("minimal");
    site.write("content/care/prices.md", PAGE);
    site
}

#[test]
fn build_warns_about_broken_links_missing_images_and_alt_text_once_each() {
    let site = site_with_prices();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = [
        "content/care/prices.md:4:5: warning: the link `/prices/` leads to no page or file of this site",
        "content/care/prices.md:6:1: warning: the image `missing.png` has no alt text",
        "content/care/prices.md:6:1: warning: the image `missing.png` leads to no page or file of this site",
    ];
    for line in expected {
        assert_eq!(
            run.stderr.matches(line).count(),
            1,
            "{line} once in:\n{}",
            run.stderr
        );
    }
    // The described image and the decorative one are fine.
    assert_eq!(run.stderr.matches("warning:").count(), 3, "{}", run.stderr);
    let html = site.read("public/care/prices/index.html");
    assert!(!html.contains("title=\"decorative\""), "{html}");
}

#[test]
fn strict_build_fails_on_them_and_leaves_no_output() {
    let site = site_with_prices();
    let run = site.run(&["build", "--strict"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("--strict: error: 3 warnings counted as errors"),
        "{}",
        run.stderr
    );
    assert!(!site.path("public").exists());
}

#[test]
fn check_words_them_the_same_and_calls_missing_alt_an_error() {
    let site = site_with_prices();
    let run = site.run(&["check", "--format", "json"]);
    let findings: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    let all = findings["findings"].as_array().expect("findings");
    let mine: Vec<_> = all
        .iter()
        .filter(|f| f["file"] == "content/care/prices.md")
        .filter(|f| f["rule"] == "broken-link" || f["rule"] == "missing-alt")
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["severity"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        mine,
        vec![
            (
                4,
                "error".into(),
                "the link `/prices/` leads to no page or file of this site".into()
            ),
            (
                6,
                "error".into(),
                "the image `missing.png` leads to no page or file of this site".into()
            ),
            (
                6,
                "error".into(),
                "the image `missing.png` has no alt text".into()
            ),
        ],
        "{all:#?}"
    );
}

#[test]
fn a_broken_anchor_is_reported_once_by_build() {
    let site = Site::fixture("minimal");
    site.write(
        "site.toml",
        site.read("site.toml").replace(
            "[clinic]",
            "[languages.en]\nname = \"English\"\n\n[languages.es]\nname = \"Español\"\n\n[clinic]",
        ),
    );
    site.write(
        "content/care/washing.md",
        "+++\ntitle = \"Washing\"\n+++\n## Second wash\n\nSee [day one](@/care/aftercare.md#day-one) and [top](#second-wash).\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("names `#day-one`").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn a_broken_link_in_an_faq_answer_is_found_by_build_and_check_at_its_line() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/questions.md",
        "+++\ntitle = \"Questions\"\n\n[[faq]]\nquestion = \"How much?\"\nanswer = \"See our [prices](/prices/).\"\n+++\nAsk us.\n",
    );
    let line = "content/care/questions.md:6:";
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warning = "warning: the link `/prices/` leads to no page or file of this site";
    assert_eq!(
        run.stderr.matches(warning).count(),
        1,
        "once in:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains(line), "{}", run.stderr);
    let check = site.run(&["check"]);
    assert!(
        check.stdout.contains(line) || check.stderr.contains(line),
        "{}{}",
        check.stdout,
        check.stderr
    );
}

#[test]
fn an_image_or_stylesheet_from_another_site_is_a_third_party_finding_a_link_is_not() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/crab.md",
        "+++\ntitle = \"Crab\"\n+++\nSee [the crab's site](https://rustacean.net/).\n\n![A crab](https://rustacean.net/crab.png)\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let want = "content/care/crab.md:6:1: warning: the image `https://rustacean.net/crab.png` is loaded from another site (rustacean.net) as the page opens";
    assert_eq!(run.stderr.matches(want).count(), 1, "{}", run.stderr);
    // The link is the patient's choice: nothing about it.
    assert!(
        !run.stderr.contains("`https://rustacean.net/`"),
        "{}",
        run.stderr
    );
    assert_ne!(site.run(&["build", "--strict"]).code, 0);
    let check = site.run(&["check"]);
    assert_ne!(check.code, 0);
    assert!(
        check.stdout.contains("content/care/crab.md:6:1:")
            && check.stdout.contains("[third-party]"),
        "{}",
        check.stdout
    );

    // A theme's web font stylesheet is one too; its canonical link is not.
    let site = Site::fixture("minimal");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        toml.replace("taxonomies", "theme = \"mine\"\ntaxonomies"),
    );
    site.write(
        "themes/mine/theme.toml",
        "name = \"mine\"\nextends = \"clinic\"\n",
    );
    site.write(
        "themes/mine/templates/page.html",
        "{% extends \"base.html\" %}{% block head %}<link rel=\"stylesheet\" href=\"https://fonts.example/css\"><link rel=\"me\" href=\"https://social.example/@clinic\">{% endblock head %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% endblock main %}",
    );
    let check = site.run(&["check"]);
    assert!(
        check
            .stdout
            .contains("`https://fonts.example/css` is loaded from another site"),
        "{}",
        check.stdout
    );
    assert!(!check.stdout.contains("social.example"), "{}", check.stdout);
}
