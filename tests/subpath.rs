//! A site published under a sub-path (`https://user.github.io/my-clinic/`, a
//! GitHub Pages project site): every link carries the base path, `serve` serves
//! under it, and `check` fails links that leave it.

mod common;

use std::collections::{BTreeSet, VecDeque};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{free_port, Running, Site};

const BASE: &str = "https://user.github.io/my-clinic/";

/// The bundled site (content, site.toml, clinic theme) with `base_url` under a
/// sub-path.
fn bundled_under_subpath() -> Site {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::empty();
    common::copy_tree(&repo.join("content"), &site.path("content"));
    common::copy_tree(&repo.join("themes"), &site.path("themes"));
    let toml = std::fs::read_to_string(repo.join("site.toml")).unwrap();
    let toml: String = toml
        .lines()
        .map(|l| {
            if l.starts_with("base_url") {
                format!("base_url = \"{BASE}\"\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert!(toml.contains(BASE), "site.toml has a base_url line");
    site.write("site.toml", toml);
    site
}

fn get(port: u16, path: &str) -> (u16, String) {
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    common::http(port, req.as_bytes(), Duration::from_secs(5)).unwrap_or((0, String::new()))
}

/// Every `href="…"`, `src="…"` and `srcset` URL in an HTML page.
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "srcset=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            let Some(end) = rest.find('"') else { continue };
            let value = rest[..end].replace("&amp;", "&");
            if attr == "srcset=\"" {
                out.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next().map(String::from)),
                );
            } else {
                out.push(value);
            }
        }
    }
    out
}

/// The served path a URL found on `page` (a served path) leads to, when it
/// stays on this server.
fn resolve(page: &str, url: &str) -> Option<String> {
    let url = url.split('#').next().unwrap_or("");
    let local = url.strip_prefix("http://127.0.0.1:").map(|r| {
        let i = r.find('/').unwrap_or(r.len());
        r[i..].to_string()
    });
    if let Some(l) = local {
        return Some(l);
    }
    if url.is_empty() || url.contains(':') || url.starts_with("//") {
        return None;
    }
    if url.starts_with('/') {
        return Some(url.to_string());
    }
    let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
    Some(format!("{dir}{url}"))
}

#[test]
fn every_link_of_a_site_served_under_a_sub_path_works() {
    let site = bundled_under_subpath();
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _server = Running(child);
    common::wait_for(
        || get(port, "/my-clinic/").0 == 200,
        "server start",
        Duration::from_secs(30),
    );
    // The host's root is not the site: it sends visitors to the site.
    let (code, head) = get(port, "/");
    assert_eq!(code, 301, "{head}");
    assert!(head.contains("Location: /my-clinic/\r\n"), "{head}");
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue = VecDeque::from(["/my-clinic/".to_string()]);
    let mut broken = Vec::new();
    let mut outside = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let (code, text) = get(port, &path);
        if code != 200 {
            broken.push(format!("{path}: {code}"));
            continue;
        }
        if !text.contains("Content-Type: text/html") {
            continue;
        }
        for url in urls(&text) {
            let Some(target) = resolve(&path, &url) else {
                continue;
            };
            if target.starts_with("/__follicle") {
                continue;
            }
            if !target.starts_with("/my-clinic/") {
                outside.push(format!("{path}: {url}"));
                continue;
            }
            if !seen.contains(&target) {
                queue.push_back(target);
            }
        }
    }
    assert!(broken.is_empty(), "broken: {broken:#?}");
    assert!(
        outside.is_empty(),
        "links leaving /my-clinic/: {outside:#?}"
    );
    // Pages, sections, tag pages, the Spanish site and theme files were all reached.
    for must in [
        "/my-clinic/treatment/aftercare/",
        "/my-clinic/es/",
        "/my-clinic/tags/",
        "/my-clinic/style.css",
    ] {
        assert!(seen.contains(must), "the crawl never reached {must}");
    }
    assert!(seen.len() > 40, "only {} URLs reached", seen.len());
}

#[test]
fn a_build_under_a_sub_path_writes_the_base_path_everywhere_and_checks_clean() {
    let site = bundled_under_subpath();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/treatment/aftercare/index.html");
    assert!(page.contains("href=\"/my-clinic/style.css\""), "{page}");
    assert!(
        page.contains(&format!(
            "<link rel=\"canonical\" href=\"{BASE}treatment/aftercare/\""
        )),
        "canonical under the base path"
    );
    for url in urls(&page) {
        assert!(
            !url.starts_with('/') || url.starts_with("/my-clinic/"),
            "{url} leaves the base path"
        );
    }
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains(&format!("<loc>{BASE}treatment/aftercare/</loc>")));
    assert!(!sitemap.contains("https://user.github.io/treatment"));
    for feed in ["public/atom.xml", "public/es/atom.xml"] {
        let atom = site.read(feed);
        assert!(
            atom.contains(&format!(
                "<link rel=\"self\" type=\"application/atom+xml\" href=\"{BASE}"
            )),
            "{atom}"
        );
        assert!(!atom.contains("my-clinic/my-clinic"), "{atom}");
    }
    let es = site.read("public/es/treatment/aftercare/index.html");
    assert!(es.contains("href=\"/my-clinic/es/atom.xml\""), "{es}");
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
fn check_fails_a_template_link_that_leaves_the_base_path() {
    let site = Site::fixture("minimal");
    site.write(
        "themes/mine/theme.toml",
        "name = \"mine\"\nextends = \"clinic\"\n",
    );
    site.write(
        "themes/mine/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<p><a href=\"/style.css\">Styles</a></p>{% endblock %}",
    );
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("theme = \"mine\"\n{toml}").replace(
            "base_url = \"https://minimal.example\"",
            "base_url = \"https://clinic.example/sub/\"",
        ),
    );
    assert!(site.read("site.toml").contains("/sub/"), "fixture base_url");
    let check = site.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check.stdout.contains(
            "the link `/style.css` leaves the site: it is published at https://clinic.example/sub/, so `/style.css` leads to https://clinic.example/style.css"
        ),
        "{}",
        check.stdout
    );
}
