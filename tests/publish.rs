//! Files for static hosts: `_headers` (security headers with a strict
//! Content-Security-Policy), `_redirects` (a 301 per alias, each language's
//! 404), and a 404 page per language. `.ci/browser/axe.mjs` serves the bundled
//! site with these headers in Chromium and fails on any policy violation.

mod common;

use common::Site;

fn site_with_aliases() -> Site {
    let site = Site::fixture("minimal");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[languages.es]\nname = \"Español\"\n"),
    );
    let washing = site.read("content/care/washing.md");
    site.write(
        "content/care/washing.md",
        washing.replacen(
            "weight = 2\n",
            "weight = 2\naliases = [\"/old/washing/\", \"/hair-wash.html\"]\n",
            1,
        ),
    );
    site.write(
        "content/care/washing.es.md",
        "+++\ntitle = \"Lavado\"\ndate = 2026-03-05\naliases = [\"/lavado/\"]\n+++\nCon cuidado.\n",
    );
    site
}

#[test]
fn redirects_list_every_alias_and_each_languages_404() {
    let site = site_with_aliases();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let redirects = site.read("public/_redirects");
    let rules: Vec<&str> = redirects.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        rules,
        vec![
            "/old-aftercare/ /care/aftercare/ 301",
            "/es/lavado/ /es/care/washing/ 301",
            "/old/washing/ /care/washing/ 301",
            "/hair-wash.html /care/washing/ 301",
            "/es/* /es/404.html 404",
        ]
    );
    // The meta-refresh pages stay, for hosts that do not read _redirects.
    assert!(site
        .read("public/old/washing/index.html")
        .contains("https://minimal.example/care/washing/"));
}

/// The rules of `_redirects` built with `[publish] host = HOST`.
fn rules_for_host(host: &str) -> Vec<String> {
    let site = site_with_aliases();
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[publish]\nhost = \"{host}\"\n"),
    );
    let run = site.run(&["build", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let redirects = site.read("public/_redirects");
    assert!(
        redirects.contains(&format!("host = \"{host}\"")),
        "{redirects}"
    );
    redirects
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn each_host_gets_its_own_dialect_of_redirects() {
    // Netlify serves an alias's refresh page over a rule unless it is forced.
    assert_eq!(
        rules_for_host("netlify"),
        vec![
            "/old-aftercare/ /care/aftercare/ 301!",
            "/es/lavado/ /es/care/washing/ 301!",
            "/old/washing/ /care/washing/ 301!",
            "/hair-wash.html /care/washing/ 301!",
            "/es/* /es/404.html 404",
        ]
    );
    // Cloudflare refuses `301!` and 404 rewrites: it finds /es/404.html itself.
    assert_eq!(
        rules_for_host("cloudflare"),
        vec![
            "/old-aftercare/ /care/aftercare/ 301",
            "/es/lavado/ /es/care/washing/ 301",
            "/old/washing/ /care/washing/ 301",
            "/hair-wash.html /care/washing/ 301",
        ]
    );
    let site = Site::fixture("minimal");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[publish]\nhost = \"netlfy\"\n"),
    );
    let run = site.build();
    assert_eq!(run.code, 2, "a site.toml error: {}", run.stderr);
    let at = format!("site.toml:{}:8", toml.lines().count() + 3);
    assert!(run.stderr.contains(&at), "{at} in {}", run.stderr);
    assert!(run.stderr.contains("netlify"), "{}", run.stderr);
}

#[test]
fn headers_carry_a_strict_policy_and_can_be_turned_off() {
    let site = site_with_aliases();
    assert_eq!(site.build().code, 0);
    let headers = site.read("public/_headers");
    assert!(headers.contains("\n/*\n"), "{headers}");
    let csp = headers
        .lines()
        .find_map(|l| l.trim().strip_prefix("Content-Security-Policy: "))
        .expect("a Content-Security-Policy line");
    assert!(csp.starts_with("default-src 'self';"), "{csp}");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    for h in [
        "X-Content-Type-Options: nosniff",
        "Referrer-Policy: same-origin",
        "Permissions-Policy: camera=()",
        "X-Frame-Options: DENY",
    ] {
        assert!(headers.contains(h), "{h} in {headers}");
    }
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        toml.replacen(
            "[clinic]",
            "[publish]\nheaders = false\nredirects = false\n\n[clinic]",
            1,
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path("public/_headers").exists());
    assert!(!site.path("public/_redirects").exists());
}

#[test]
fn a_sub_path_site_prefixes_its_rules() {
    let site = site_with_aliases();
    let run = site.run(&["build", "--base-url", "https://user.github.io/my-clinic/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("public/_headers").contains("\n/my-clinic/*\n"));
    let redirects = site.read("public/_redirects");
    assert!(
        redirects.contains("/my-clinic/old/washing/ /my-clinic/care/washing/ 301\n"),
        "{redirects}"
    );
    assert!(redirects.contains("/my-clinic/es/* /my-clinic/es/404.html 404\n"));
}

#[test]
fn every_language_has_its_own_404_page() {
    let site = site_with_aliases();
    assert_eq!(site.build().code, 0);
    let en = site.read("public/404.html");
    let es = site.read("public/es/404.html");
    assert!(en.contains("<html lang=\"en\""), "{en}");
    assert!(es.contains("<html lang=\"es\""), "{es}");
    // The Spanish page speaks Spanish and leads to the Spanish home page.
    assert!(es.contains("href=\"/es/\""), "{es}");
    assert_ne!(en, es);
}
