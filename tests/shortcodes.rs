//! Shortcodes through the real binary on the `shortcodes` fixture: Zola, Hugo and
//! Liquid forms, typed arguments, nesting, escapes, the clinic theme's built-ins,
//! GitHub alerts, definition lists, and what follows a change of site.toml or of a
//! shortcode template (`build`, `serve`, incremental rebuilds, `check`). The error
//! cases are folders under `tests/invalid/shortcode-*`.

mod common;

use common::{free_port, Running, Site};
use follicle::build::BuildOptions;
use follicle::incremental::Session;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

fn built() -> Site {
    let site = Site::fixture("shortcodes");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("warning"),
        "no warnings: {}",
        run.stderr
    );
    site
}

/// The page's `.prose` part.
fn prose(site: &Site, page: &str) -> String {
    let html = site.read(&format!("public/{page}/index.html"));
    let start = html.find("<div class=\"prose\">").expect("prose");
    let end = html[start..]
        .find("class=\"disclaimer\"")
        .map_or(html.len(), |e| start + e);
    html[start..end].to_string()
}

#[test]
fn zola_and_hugo_forms_typed_arguments_nesting_and_escapes() {
    let site = built();
    let p = prose(&site, "forms");
    // Typed arguments: numbers add, floats multiply, booleans test, lists join,
    // a bare date is text; page, config, lang and nth are there.
    assert!(
        p.contains("<span class=\"args\">s=text n+1=4 f*2=3.0 on=yes list=a+b len=2 d=2027-05-01 lang=en nth=1 page=Forms ward=B site=Shortcode Clinic</span> end."),
        "{p}"
    );
    // A body is Markdown; calls nest, inline inside a body and body in body.
    assert!(p.contains("<blockquote class=\"quote\"><p>Body with <em>emphasis</em> and <span class=\"args\">s=inner n+1=2 on=no list= len=0 lang=en nth=2"), "{p}");
    assert!(p.contains("<blockquote class=\"quote\"><p>Deep <strong>bold</strong>.</p>\n<p class=\"by\">— Nested</p></blockquote><p class=\"by\">— Ana</p></blockquote>"), "{p}");
    // A Markdown template's output is parsed with the page.
    assert!(
        p.contains("<p><strong>Note:</strong> made by a Markdown template</p>"),
        "{p}"
    );
    // Escapes print the code; code spans and code blocks are left alone.
    assert!(
        p.contains("Escapes: {{ args(n=1) }} and {% quote() %} and {{&lt; pos &gt;}}."),
        "{p}"
    );
    assert!(p.contains("<code>{{ args(n=2) }}</code>"), "{p}");
    assert!(
        p.contains("<pre tabindex=\"0\"><code>{{ args(n=3) }}\n</code></pre>"),
        "{p}"
    );
    assert!(
        p.contains("<pre tabindex=\"0\"><code>{{ args(n=4) }}\n</code></pre>"),
        "{p}"
    );
    // Hugo: named and positional (`_0`, `_1`) arguments, `{{% %}}` bodies.
    assert!(
        p.contains("<span class=\"hugo\">s=hugo n+1=5 on=yes</span>"),
        "{p}"
    );
    assert!(
        p.contains("<span class=\"pos\">first|second</span> and <span class=\"pos\">first|</span>"),
        "{p}"
    );
    assert!(
        p.contains("<blockquote class=\"quote\"><p>Hugo <em>body</em>.</p>"),
        "{p}"
    );
    // The site theme's template hides the clinic theme's of the same name.
    assert!(
        p.contains("<details class=\"site-details\"><summary>Open me</summary><p>Hidden text.</p>"),
        "{p}"
    );
}

#[test]
fn clinic_theme_built_ins() {
    let site = built();
    let p = prose(&site, "builtins");
    for want in [
        "<a class=\"clinic-phone\" href=\"tel:+15550199\">+1 555 0199</a>",
        "<a class=\"clinic-email\" href=\"mailto:desk@sc.example\">desk@sc.example</a>",
        "name Shortcode Clinic.",
        "<span class=\"clinic-address\">1 Test Road, Springfield, IL 62701</span>",
        "<span class=\"clinic-hours\">Monday to Friday, 9:00 to 17:00<br>Saturday, 10:00 to 12:00</span>",
        "<a class=\"cta clinic-booking\" href=\"https://booking.example/sc\">Book a consultation</a>",
        // Urgent: announced as an alert, with a heading.
        "<section class=\"callout callout-urgent\" role=\"alert\" aria-labelledby=\"callout-1\">\n<h2 class=\"callout-title\" id=\"callout-1\"><span class=\"callout-icon\" aria-hidden=\"true\">!</span> Call 911 now</h2>\n<div class=\"callout-body\"><p>If you cannot <strong>breathe</strong>, call 911.</p>",
        "<div class=\"callout callout-warning\" role=\"note\" aria-labelledby=\"callout-2\">",
        "</span> Warning</p>",
        "</span> Good to know</p>",
        "</span> Sleep</p>",
        // Before/after: both photos with their alt text, the disclosures.
        // A drawing gets its declared size; the page's first image loads at once.
        "<img src=\"/img/before.svg\" width=\"160\" height=\"120\" alt=\"Thin hair at the crown\" /><figcaption>Before</figcaption>",
        "<figcaption>After (3 sessions)</figcaption>",
        "<strong>Individual results vary.</strong> This patient received a discount or payment",
        // Videos: a link until clicked, the player address kept for the script.
        "<a class=\"video-frame video-facade\" href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\" data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&amp;dnt=1\"",
        "data-embed=\"https://player.vimeo.com/video/76979871?autoplay=1&amp;dnt=1\"",
        "<video class=\"video-frame\" controls preload=\"none\" src=\"/media/clip.mp4\">",
        "<script src=\"/video.js\" defer></script>",
        "<figure class=\"figure\"><img src=\"/img/after.svg\" width=\"160\" height=\"120\" alt=\"A healed scalp\" loading=\"lazy\" decoding=\"async\" /><figcaption>Three months on</figcaption></figure>",
        // GitHub alerts through the callout template, markers gone.
        "</span> Note</p>\n<div class=\"callout-body\"><p>A plain note.</p>",
        "<div class=\"callout callout-tip\" role=\"note\" aria-labelledby=\"callout-6\">",
        "</span> Important</p>",
        "</span> Caution</p>\n<div class=\"callout-body\"><p>Careful.</p>",
        // Hugo's and Obsidian's alert with a title on the marker's line.
        "</span> Note</p>\n<div class=\"callout-body\"><p><strong>Hugo’s form, with a title</strong>\nIts body.</p>",
        "<dl>\n<dt>Swelling</dt>\n<dd>Normal for two days.</dd>\n</dl>",
    ] {
        assert!(p.contains(want), "missing {want}\nin {p}");
    }
    // Nothing asks a third party for anything before a click.
    let page = site.read("public/builtins/index.html");
    assert!(!page.contains("<iframe"), "{page}");
    assert!(!page.contains("src=\"https://"), "{page}");
    assert!(!p.contains("[!"), "{p}");
    assert!(!p.contains("{{") && !p.contains("{%"), "{p}");
    // The click-to-load script ships with the theme; it builds the player only
    // for the two privacy-friendly hosts, and no page has an inline script.
    let js = site.read("public/video.js");
    assert!(
        js.contains("youtube-nocookie\\.com|player\\.vimeo\\.com"),
        "{js}"
    );
    assert!(!page.contains("<script>"), "{page}");
}

#[test]
fn hugo_built_ins_and_jekyll_liquid() {
    let site = built();
    let p = prose(&site, "hugo");
    for want in [
        "href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\"",
        "data-title=\"Vimeo clip\"",
        "<figure class=\"figure\"><img src=\"/img/after.svg\" width=\"160\" height=\"120\" alt=\"Hugo figure\" /><figcaption>From Hugo</figcaption></figure>",
        // Hugo's `highlight` and Liquid's `{% highlight %}` are fenced code,
        // highlighted, with their options drawn.
        "<pre class=\"highlight linenos\" tabindex=\"0\"><code class=\"language-rust\" data-lang=\"rust\"><mark class=\"line\" data-line=\"1\">",
        "<a href=\"/plain/\">Plain</a> and <a href=\"https://sc.example/plain/\">absolute</a>",
        "Room: Room 4. Motto: Calm care.",
        "<p>{{ literal }} and {% tag %}</p>",
        "<pre class=\"highlight linenos\" tabindex=\"0\"><code class=\"language-python\" data-lang=\"python\"><span class=\"line\" data-line=\"1\">",
        "<a href=\"/plain/\">Link</a> and <a href=\"/posts/first/\">post</a>",
        "Site: Shortcode Clinic; page: Hugo and Jekyll; extra: Calm care.",
    ] {
        assert!(p.contains(want), "missing {want}\nin {p}");
    }
    // The code's text survives highlighting (tags stripped).
    let text: String = p
        .split('<')
        .map(|t| t.split_once('>').map_or(t, |x| x.1))
        .collect();
    assert!(
        text.contains("println!(&quot;{{ not a shortcode }}&quot;)")
            && text.contains("print(&quot;{{ x }}&quot;)"),
        "{text}"
    );
}

fn set_phone(site: &Site, phone: &str) {
    let toml = site.read("site.toml");
    let old = toml
        .lines()
        .find(|l| l.starts_with("phone = "))
        .unwrap()
        .to_string();
    site.write(
        "site.toml",
        toml.replace(&old, &format!("phone = \"{phone}\"")),
    );
}

#[test]
fn a_new_phone_in_site_toml_reaches_every_page_that_shows_it() {
    let site = built();
    for page in [
        "public/index.html",
        "public/builtins/index.html",
        "public/plain/index.html",
    ] {
        assert!(site.read(page).contains("tel:+15550199"), "{page}");
    }
    set_phone(&site, "+1 555 0123");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The home page, a page body and an FAQ answer.
    for page in [
        "public/index.html",
        "public/builtins/index.html",
        "public/plain/index.html",
    ] {
        let html = site.read(page);
        assert!(
            html.contains("href=\"tel:+15550123\">+1 555 0123</a>"),
            "{page}"
        );
        assert!(!html.contains("0199"), "{page}");
    }
}

#[test]
fn serve_shows_a_new_phone_and_an_edited_shortcode_template() {
    let site = Site::fixture("shortcodes");
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _server = Running(child);
    let get = |path: &str| {
        let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
        common::http(port, req.as_bytes(), Duration::from_secs(5))
            .map(|r| r.1)
            .unwrap_or_default()
    };
    let wait = |path: &str, want: &str, what: &str| {
        common::wait_for(|| get(path).contains(want), what, Duration::from_secs(20))
    };
    wait("/builtins/", "tel:+15550199", "server start");
    set_phone(&site, "+1 555 0123");
    wait(
        "/builtins/",
        "tel:+15550123",
        "new phone on the built-ins page",
    );
    wait("/", "tel:+15550123", "new phone on the home page");
    site.write(
        "themes/site/templates/shortcodes/quote.html",
        "<blockquote class=\"quote edited\">{{ body }}</blockquote>\n",
    );
    wait("/forms/", "quote edited", "edited shortcode template");
}

#[test]
fn a_page_is_rendered_again_when_a_shortcode_template_it_uses_changes_and_only_then() {
    let site = Site::fixture("shortcodes");
    let mut session = Session::new(BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    });
    session.full().unwrap_or_else(|e| panic!("{e}"));
    let template = "themes/site/templates/shortcodes/quote.html";
    site.write(
        template,
        "<blockquote class=\"quote v2\">{{ body }}</blockquote>\n",
    );
    let r = session
        .rebuild(&[PathBuf::from(template)], false)
        .unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<&str> = r
        .markdown_rendered
        .iter()
        .map(|k| k.file.as_str())
        .collect();
    assert_eq!(files, ["content/forms.md"]);
    let forms = String::from_utf8(session.outputs()["forms/index.html"].to_vec()).unwrap();
    assert!(forms.contains("quote v2"), "{forms}");
    // A template no page uses changes nothing's Markdown.
    site.write("themes/site/templates/shortcodes/unused.html", "x\n");
    let r = session
        .rebuild(
            &[PathBuf::from(
                "themes/site/templates/shortcodes/unused.html",
            )],
            false,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(r.markdown_rendered.is_empty(), "{:?}", r.markdown_rendered);
}

#[test]
fn check_warns_of_a_photo_consent_that_expires_within_60_days() {
    let site = Site::fixture("shortcodes");
    let run = site.run(&["check", "--today", "2029-11-15"]);
    assert!(
        run.stdout.contains("content/builtins.md:27:176:")
            && run.stdout.contains("the patient's consent for these photos (CONSENT-2026-001) expires on 2030-01-01, in 47 days"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    let run = site.run(&["check", "--today", "2029-06-01"]);
    assert!(!run.stdout.contains("consent"), "{}", run.stdout);
    // After the day, the page does not build.
    let run = site.run_env(&["build"], &[("FOLLICLE_TODAY", "2030-01-02")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: the patient's consent for these photos (CONSENT-2026-001) expired on 2030-01-01"),
        "{}",
        run.stderr
    );
}

#[test]
fn under_a_sub_path_base_url_shortcode_paths_carry_the_base_path() {
    let site = Site::fixture("shortcodes");
    let run = site.run(&["build", "--base-url", "https://sc.example/clinic/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let b = prose(&site, "builtins");
    assert!(b.contains("<img src=\"/clinic/img/before.svg\""), "{b}");
    assert!(
        b.contains("<script src=\"/clinic/video.js\" defer></script>"),
        "{b}"
    );
    let h = prose(&site, "hugo");
    assert!(h.contains("<a href=\"/clinic/plain/\">Plain</a> and <a href=\"https://sc.example/clinic/plain/\">absolute</a>"), "{h}");
    assert!(
        h.contains(
            "<a href=\"/clinic/plain/\">Link</a> and <a href=\"/clinic/posts/first/\">post</a>"
        ),
        "{h}"
    );
}

#[test]
fn check_reads_what_shortcodes_output() {
    let site = Site::fixture("shortcodes");
    site.write(
        "content/checked.md",
        "+++\ntitle = \"Checked\"\ndescription = \"Check sees shortcodes.\"\n+++\nIntro.\n\n{{ figure(src=\"/img/missing.svg\", alt=\"A scalp\") }}\n\n{{ bare() }}\n",
    );
    site.write(
        "themes/site/templates/shortcodes/bare.html",
        "<img src=\"/img/after.svg\">\n",
    );
    let run = site.run(&["check"]);
    assert!(
        run.stdout.contains("content/checked.md:7:16: the image `/img/missing.svg` leads to no page or file of this site [broken-link]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("content/checked.md: the image `/img/after.svg` has no alt attribute"),
        "{}",
        run.stdout
    );
}

#[test]
fn zola_templates_can_use_the_markdown_filter() {
    let site = built();
    let p = prose(&site, "zola");
    // The body is HTML already; other text is Markdown, its script removed.
    assert!(
        p.contains("<div class=\"zola\"><p class=\"t\">A <em>title</em></p><p>The <em>body</em>.</p>\n<p><strong>bold</strong> </p>\n</div>"),
        "{p}"
    );
}

#[test]
fn clinic_details_come_in_the_pages_language() {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://t.test/\"\n\n[clinic]\nname = \"C\"\nopening_hours = [\"Monday to Friday, 9 to 5\"]\n\n[languages.es]\nname = \"Español\"\n\n[languages.es.clinic]\nopening_hours = [\"De lunes a viernes, de 9 a 17\"]\n",
    );
    site.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
    site.write(
        "content/hours.md",
        "+++\ntitle = \"Hours\"\n+++\nOpen: {{ clinic(field=\"hours\") }}.\n",
    );
    site.write(
        "content/hours.es.md",
        "+++\ntitle = \"Horario\"\n+++\nAbierto: {{ clinic(field=\"hours\") }}.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site
        .read("public/hours/index.html")
        .contains("Monday to Friday, 9 to 5"));
    let es = site.read("public/es/hours/index.html");
    assert!(es.contains("De lunes a viernes, de 9 a 17"), "{es}");
    assert!(!es.contains("Monday to Friday"), "{es}");
}

/// Drawings need no patient's consent: `illustration=true` builds without
/// `consent_ref`, and the caption says, in the page's language, that they are
/// not photos of a patient. Without it the consent arguments stay required.
#[test]
fn before_after_illustrations_need_no_consent_and_say_they_are_drawings() {
    let site = Site::fixture("minimal");
    site.write(
        "site.toml",
        site.read("site.toml")
            .replace("[clinic]", "[languages.es]\nname = \"Español\"\n\n[clinic]"),
    );
    let call = "{{ before_after(before=\"/b.svg\", after=\"/a.svg\", alt_before=\"A drawing before\", alt_after=\"A drawing after\", illustration=true, sessions=3) }}";
    site.write(
        "content/b.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "content/a.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "content/care/look.md",
        format!("+++\ntitle = \"Look\"\n+++\n{call}\n"),
    );
    site.write(
        "content/care/look.es.md",
        format!("+++\ntitle = \"Aspecto\"\n+++\n{call}\n"),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let en = site.read("public/care/look/index.html");
    assert!(
        en.contains("<strong>Illustrations, not photos of a patient.</strong>"),
        "{en}"
    );
    assert!(en.contains("alt=\"A drawing before\""), "{en}");
    let es = site.read("public/es/care/look/index.html");
    assert!(
        es.contains("<strong>Son dibujos, no fotos de un paciente.</strong>"),
        "{es}"
    );
    // Photos (no `illustration`) still need the consent.
    site.write(
        "content/care/look.md",
        format!(
            "+++\ntitle = \"Look\"\n+++\n{}\n",
            call.replace(", illustration=true", "")
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("needs the argument `consent_ref`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("add illustration=true"),
        "{}",
        run.stderr
    );
}

#[test]
fn arguments_written_as_zola_and_hugo_forgive_them_are_read_with_warnings() {
    let site = Site::fixture("shortcodes");
    site.write(
        "themes/site/templates/shortcodes/say.html",
        "<span class=\"say\">{{ text }}|{{ who }}</span>\n",
    );
    site.write(
        "content/forgiving.md",
        "+++\ntitle = \"Forgiving\"\ndescription = \"Arguments as peers accept them.\"\n+++\nA {{ say(text=\"no comma\" who=\"Zola\") }}.\n\nB {{ say(text='Quan s'utilitza l'arxiu', who=\"ca\") }}.\n\nC {{< say text=\"first\" who=\"Hugo\" text=\"last\" >}}.\n\n{{< figure src=\"/img/after.svg\" alt=\"Wide\" class=\"wide\" >}}\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let p = prose(&site, "forgiving");
    assert!(
        p.contains("<span class=\"say\">no comma|Zola</span>"),
        "{p}"
    );
    assert!(
        p.contains("<span class=\"say\">Quan s&#39;utilitza l&#39;arxiu|ca</span>"),
        "{p}"
    );
    assert!(p.contains("<span class=\"say\">last|Hugo</span>"), "{p}");
    assert!(p.contains("<figure class=\"figure wide\">"), "{p}");
    // No comma is silent (Zola reads it too); the other two say what happened.
    assert!(!run.stderr.contains("forgiving.md:5:"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/forgiving.md:7:22: warning: this text has a ' inside text quoted with '"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/forgiving.md:9:35: warning: `text` is given twice; the last value, \"last\", is used and the first, \"first\", is dropped (as Zola and Hugo do)"),
        "{}",
        run.stderr
    );
    let strict = site.run(&["build", "--strict"]);
    assert_ne!(strict.code, 0, "{}", strict.stderr);
}

/// A shortcode's body citing the page's footnotes, a nested body among them:
/// one list for the page, numbered in reading order, each back-link leading to
/// its citation; a note the body defines itself stays the body's.
#[test]
fn footnotes_cited_in_shortcode_bodies_join_the_pages_list_in_reading_order() {
    let site = built();
    let p = prose(&site, "notes");
    assert!(!p.contains("[^"), "a citation printed as text: {p}");
    assert!(!p.contains("FollicleSC"), "a marker left in the page: {p}");
    let sup = |n: usize, id: &str| {
        format!("<sup class=\"footnote-reference\"><a href=\"#fn:{n}\" id=\"{id}\" role=\"doc-noteref\">{n}</a></sup>")
    };
    let order = [
        ("Before the box.", sup(1, "fnref:1")),
        ("The box cites the page.", sup(2, "fnref:2")),
        ("And the first again.", sup(1, "fnref:1:2")),
        ("Inside a box in a box.", sup(3, "fnref:3")),
        ("After the box.", sup(4, "fnref:4")),
    ];
    let mut at = 0;
    for (text, want) in &order {
        let found = p[at..].find(&format!("{text}{want}"));
        assert!(found.is_some(), "{text}{want} after byte {at}: {p}");
        at += found.unwrap();
    }
    // The page's list: the four page notes, the first with two back-links.
    let list = &p[p
        .rfind("<section class=\"footnotes\"")
        .expect("the page's list")..];
    for (n, text) in [
        (1, "The first note."),
        (2, "The second note."),
        (3, "The third note."),
        (4, "The fourth note."),
    ] {
        assert!(
            list.contains(&format!(
                "<li id=\"fn:{n}\">\n<p>{text} <a href=\"#fnref:{n}\""
            )),
            "note {n}: {list}"
        );
    }
    assert!(list.contains("href=\"#fnref:1:2\""), "{list}");
    assert!(!list.contains("Defined inside the box."), "{list}");
    // Every back-link's target exists once.
    for id in ["fnref:1", "fnref:1:2", "fnref:2", "fnref:3", "fnref:4"] {
        assert_eq!(p.matches(&format!("id=\"{id}\"")).count(), 1, "{id}: {p}");
    }
    // The box's own note is listed in the box, in a plain block: the page's
    // list is the one endnotes landmark (two with one name fail axe's
    // landmark-unique, and a screen reader cannot tell them apart).
    let own = p
        .find("<div class=\"footnotes\">\n<ol>\n<li id=\"fn:b")
        .expect("the box's own list, a plain <div class=\"footnotes\">");
    assert!(p[own..].contains("Defined inside the box."), "{p}");
    assert!(own < p.find("After the box.").unwrap(), "{p}");
    assert_eq!(p.matches("role=\"doc-endnotes\"").count(), 1, "{p}");
    assert_eq!(p.matches("<section").count(), 1, "{p}");
}

/// The declarations of the rules of `css` whose selector list holds `selector`
/// (top level, or inside `@media print` when `print`), joined.
fn css_rules(css: &str, selector: &str, print: bool) -> String {
    let mut out = String::new();
    let mut depth_print = false;
    let mut rest = css;
    // A flat walk over `prelude{body}`: an @media block's rules are read as
    // its body's rules, marked print or not.
    while let Some(open) = rest.find('{') {
        let prelude = rest[..open].trim();
        let prelude = prelude.rsplit(['}', '/']).next().unwrap_or("").trim();
        if prelude.starts_with("@media") {
            depth_print = prelude.contains("print");
            rest = &rest[open + 1..];
            continue;
        }
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let body = &rest[open + 1..close];
        if depth_print == print && prelude.split(',').any(|s| s.trim() == selector) {
            out.push_str(body);
            out.push(';');
        }
        rest = &rest[close + 1..];
        // `}}` closes the @media block too.
        if rest.trim_start().starts_with('}') {
            depth_print = false;
            rest = rest.trim_start().strip_prefix('}').unwrap_or(rest);
        }
    }
    out
}

/// What axe and a printed page need from the theme's CSS: footnote links told
/// apart by more than colour (axe link-in-text-block), and a booking button in
/// the text printed as black outlined text (its white label vanished when the
/// browser prints no background colours), print without the header search.
#[test]
fn the_clinic_css_underlines_note_links_and_prints_buttons_as_text() {
    let site = built();
    let css = site.read("public/style.css");
    for sel in [".footnote-reference a", ".footnote-backref"] {
        let rules = css_rules(&css, sel, false);
        assert!(
            rules.contains("text-decoration:underline"),
            "{sel}: {rules}"
        );
        assert!(!rules.contains("text-decoration:none"), "{sel}: {rules}");
    }
    let cta = css_rules(&css, ".cta", true);
    assert!(cta.contains("background:none"), "print .cta: {cta}");
    assert!(cta.contains("color:#000"), "print .cta: {cta}");
    let hidden = css_rules(&css, ".header-search", true);
    assert!(
        hidden.contains("display:none"),
        "print .header-search: {hidden}"
    );
}
