//! `follicle serve` and `follicle watch` through the real binary and real HTTP.

mod common;

use common::{copy_tree, free_port, Running, Site};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

struct Server {
    _process: Running,
    port: u16,
    log: std::path::PathBuf,
}

fn start(site: &Site, args: &[&str]) -> Server {
    let port = free_port();
    let log = site
        .root()
        .parent()
        .unwrap()
        .join(format!("serve-{port}.log"));
    let child = Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args(["serve", "--port", &port.to_string()])
        .args(args)
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let server = Server {
        _process: Running(child),
        port,
        log,
    };
    wait_for(
        || get(&server, "/").map(|r| r.0 == 200).unwrap_or(false),
        "server start",
    );
    server
}

fn wait_for(cond: impl FnMut() -> bool, what: &str) {
    common::wait_for(cond, what, Duration::from_secs(20));
}

/// A raw request; returns (status, headers+body as text).
fn raw(port: u16, request: &str) -> std::io::Result<(u16, String)> {
    common::http(port, request.as_bytes(), Duration::from_secs(5))
}

fn get(server: &Server, path: &str) -> std::io::Result<(u16, String)> {
    raw(
        server.port,
        &format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            server.port
        ),
    )
}

fn body(server: &Server, path: &str) -> String {
    get(server, path).map(|r| r.1).unwrap_or_default()
}

fn log(server: &Server) -> String {
    std::fs::read_to_string(&server.log).unwrap_or_default()
}

#[test]
fn edits_renames_deletes_and_break_fix_cycles_show_up_over_http() {
    let site = Site::fixture("minimal");
    let server = start(&site, &[]);
    assert!(body(&server, "/care/washing/").contains("First wash"));

    site.write(
        "content/care/washing.md",
        site.read("content/care/washing.md") + "\nmarker-one\n",
    );
    wait_for(
        || body(&server, "/care/washing/").contains("marker-one"),
        "edit",
    );

    site.write(
        "content/care/extra.md",
        "+++\ntitle = \"Extra\"\n+++\nextra page\n",
    );
    wait_for(
        || body(&server, "/care/extra/").contains("extra page"),
        "new page",
    );
    std::fs::rename(
        site.path("content/care/extra.md"),
        site.path("content/care/bonus.md"),
    )
    .unwrap();
    wait_for(
        || {
            get(&server, "/care/bonus/")
                .map(|r| r.0 == 200)
                .unwrap_or(false)
        },
        "renamed page",
    );
    wait_for(
        || {
            get(&server, "/care/extra/")
                .map(|r| r.0 == 404)
                .unwrap_or(false)
        },
        "old URL gone",
    );

    site.write("content/care/bonus.md", "+++\ntitle = 3\n+++\nbroken\n");
    wait_for(
        || body(&server, "/care/bonus/").contains("follicle-error"),
        "error overlay",
    );
    let page = body(&server, "/care/bonus/");
    assert!(
        page.contains("content/care/bonus.md:2:9"),
        "overlay names file and line: {page}"
    );
    assert!(
        page.contains("extra page"),
        "the last good page is still served"
    );

    site.write(
        "content/care/bonus.md",
        "+++\ntitle = \"Bonus\"\n+++\nfixed-now\n",
    );
    wait_for(
        || body(&server, "/care/bonus/").contains("fixed-now"),
        "recovery",
    );
    assert!(!body(&server, "/care/bonus/").contains("follicle-error"));

    std::fs::remove_file(site.path("content/care/bonus.md")).unwrap();
    wait_for(
        || {
            get(&server, "/care/bonus/")
                .map(|r| r.0 == 404)
                .unwrap_or(false)
        },
        "deleted page",
    );
    std::fs::remove_file(site.path("content/care/washing.md")).unwrap();
    wait_for(
        || body(&server, "/care/aftercare/").contains("follicle-error"),
        "a link broken by a deletion is reported",
    );
    assert!(
        !site.path("public").exists(),
        "serve never writes the build output"
    );
}

#[test]
fn traversal_foreign_host_and_origin_are_refused() {
    let site = Site::fixture("minimal");
    site.write("secret.txt", "top secret");
    let server = start(&site, &[]);
    let p = server.port;
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/care/..%5c..%5csecret.txt",
        "/care\\..\\secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/.follicle-output",
        "/%00",
    ] {
        let (code, text) = raw(
            p,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\n\r\n"),
        )
        .unwrap();
        assert!(code == 403 || code == 404 || code == 400, "{path}: {code}");
        assert!(!text.contains("top secret"), "{path} leaked");
    }
    let (code, _) = raw(
        p,
        &format!("GET / HTTP/1.1\r\nHost: evil.example:{p}\r\n\r\n"),
    )
    .unwrap();
    assert_eq!(code, 403, "foreign Host");
    let (code, _) = raw(p, &format!("GET /__follicle/events HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nOrigin: http://evil.example\r\n\r\n")).unwrap();
    assert_eq!(code, 403, "foreign Origin");
    let (code, text) = raw(
        p,
        &format!("GET / HTTP/1.1\r\nHost: localhost:{p}\r\nOrigin: http://evil.example\r\n\r\n"),
    )
    .unwrap();
    assert_eq!(code, 200);
    assert!(!text
        .to_ascii_lowercase()
        .contains("access-control-allow-origin"));
    let (code, _) = raw(
        p,
        &format!("POST / HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\n\r\n"),
    )
    .unwrap();
    assert_eq!(code, 405);
    let (code, _) = raw(p, "garbage\r\n\r\n").unwrap();
    assert_eq!(code, 400);
}

#[test]
fn the_reload_event_arrives_after_the_rebuild() {
    let site = Site::fixture("minimal");
    let server = start(&site, &[]);
    let p = server.port;
    let mut s = TcpStream::connect(("127.0.0.1", p)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(format!("GET /__follicle/events HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nOrigin: http://127.0.0.1:{p}\r\n\r\n").as_bytes()).unwrap();
    let mut buf = [0u8; 4096];
    let n = s.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).contains("text/event-stream"));
    site.write(
        "content/care/washing.md",
        site.read("content/care/washing.md") + "\nreload-marker\n",
    );
    let mut seen = String::new();
    while !seen.contains("data: reload") {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "stream closed");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(
        body(&server, "/care/washing/").contains("reload-marker"),
        "the page had been rebuilt when the event arrived"
    );
}

#[test]
fn idle_means_zero_rebuilds_and_junk_is_ignored() {
    let site = Site::fixture("minimal");
    let server = start(&site, &[]);
    std::thread::sleep(Duration::from_millis(300));
    let before = log(&server).lines().count();
    site.write("content/care/.washing.md.swp", "junk");
    site.write("content/care/washing.md~", "junk");
    site.write("content/care/4913", "junk");
    let _ = std::fs::read_to_string(site.path("content/care/washing.md")).unwrap();
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(
        log(&server).lines().count(),
        before,
        "unexpected rebuild: {}",
        log(&server)
    );
    assert_eq!(get(&server, "/care/washing.md~/").unwrap().0, 404);
}

#[test]
fn a_burst_of_many_files_settles_to_the_right_content_with_few_rebuilds() {
    let site = Site::fixture("minimal");
    let server = start(&site, &[]);
    let before = log(&server).lines().count();
    for i in 0..300 {
        site.write(
            &format!("content/bulk/p{i:03}.md"),
            format!("+++\ntitle = \"Bulk {i}\"\n+++\nbulk body {i}\n"),
        );
    }
    wait_for(
        || body(&server, "/bulk/p299/").contains("bulk body 299"),
        "last bulk page",
    );
    wait_for(
        || body(&server, "/bulk/").contains("Bulk 0"),
        "section listing",
    );
    let rebuilds = log(&server).lines().count() - before;
    assert!(
        rebuilds <= 20,
        "{rebuilds} rebuilds for one burst:\n{}",
        log(&server)
    );
}

#[test]
fn a_port_in_use_gives_a_message_and_the_next_port() {
    let site = Site::fixture("minimal");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let log = site.root().parent().unwrap().join("busy.log");
    let child = Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let _guard = Running(child);
    wait_for(
        || {
            std::fs::read_to_string(&log)
                .unwrap_or_default()
                .contains("Serving")
        },
        "start on another port",
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains(&format!("Port {port} is in use; serving on port")),
        "{text}"
    );
}

#[test]
fn watch_writes_changed_files_into_the_output_folder() {
    let site = Site::fixture("minimal");
    let log = site.root().parent().unwrap().join("watch.log");
    let child = Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args(["watch"])
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let _guard = Running(child);
    wait_for(
        || {
            std::fs::read_to_string(&log)
                .unwrap_or_default()
                .contains("watching")
        },
        "watch start",
    );
    site.write(
        "content/care/washing.md",
        site.read("content/care/washing.md") + "\nwatch-marker\n",
    );
    wait_for(
        || {
            std::fs::read_to_string(site.path("public/care/washing/index.html"))
                .unwrap_or_default()
                .contains("watch-marker")
        },
        "file written",
    );
    site.write(
        "content/care/extra.md",
        "+++\ntitle = \"Extra\"\n+++\nextra\n",
    );
    wait_for(
        || site.path("public/care/extra/index.html").exists(),
        "new file written",
    );
    std::fs::remove_file(site.path("content/care/extra.md")).unwrap();
    wait_for(
        || !site.path("public/care/extra/index.html").exists(),
        "file removed",
    );
    assert!(site.path("public/.follicle-output").exists());
}

#[test]
fn editor_save_styles_are_picked_up_and_their_temp_files_never_published() {
    let site = Site::fixture("minimal");
    let server = start(&site, &[]);
    let page = |n: u32| {
        format!("+++\ntitle = \"Washing\"\ndescription = \"When and how to wash.\"\ndate = 2026-03-05\nweight = 2\n+++\n## First wash\n\nsave-style-{n}\n")
    };
    let dir = site.path("content/care");
    // Most editors: write a temporary file, rename it over the original.
    std::fs::write(dir.join(".washing.md.tmp42"), page(1)).unwrap();
    std::fs::rename(dir.join(".washing.md.tmp42"), dir.join("washing.md")).unwrap();
    wait_for(
        || body(&server, "/care/washing/").contains("save-style-1"),
        "write-and-rename save",
    );
    // vim: probe file 4913, original renamed to a backup, new file written, backup removed.
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    std::fs::rename(dir.join("washing.md"), dir.join("washing.md~")).unwrap();
    std::fs::write(dir.join("washing.md"), page(2)).unwrap();
    std::fs::remove_file(dir.join("washing.md~")).unwrap();
    wait_for(
        || body(&server, "/care/washing/").contains("save-style-2"),
        "vim backup dance",
    );
    // JetBrains: temp file, original moved aside, temp renamed in, old removed.
    std::fs::write(dir.join("washing.md___jb_tmp___"), page(3)).unwrap();
    std::fs::rename(dir.join("washing.md"), dir.join("washing.md___jb_old___")).unwrap();
    std::fs::rename(dir.join("washing.md___jb_tmp___"), dir.join("washing.md")).unwrap();
    std::fs::remove_file(dir.join("washing.md___jb_old___")).unwrap();
    wait_for(
        || body(&server, "/care/washing/").contains("save-style-3"),
        "JetBrains safe write",
    );
    for junk in [
        "/care/washing.md~",
        "/care/4913",
        "/care/washing.md___jb_tmp___",
        "/care/.washing.md.tmp42",
    ] {
        assert_eq!(get(&server, junk).unwrap().0, 404, "{junk}");
    }
    assert!(!log(&server).contains("error"), "{}", log(&server));
}

/// A missing page under `/es/` gets the Spanish "page not found" page; any other
/// missing page the default language's.
#[test]
fn a_missing_page_gets_its_languages_404_page() {
    let site = Site::fixture("minimal");
    site.write(
        "site.toml",
        site.read("site.toml")
            .replace("[clinic]", "[languages.es]\nname = \"Español\"\n\n[clinic]"),
    );
    site.write(
        "content/_index.es.md",
        "+++\ntitle = \"Inicio\"\n+++\nHola.\n",
    );
    let server = start(&site, &[]);
    let (code, text) = get(&server, "/es/no-existe/").unwrap();
    assert_eq!(code, 404);
    assert!(text.contains("Página no encontrada"), "{text}");
    let (code, text) = get(&server, "/missing/").unwrap();
    assert_eq!(code, 404);
    assert!(text.contains("Page not found"), "{text}");
}

#[test]
fn leading_slashes_ranges_types_and_header_injection() {
    let site = Site::fixture("minimal");
    site.write("content/files/clip.mp4", "0123456789");
    let server = start(&site, &[]);
    let p = server.port;
    let get = |path: &str, extra: &str| {
        raw(
            p,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\n{extra}\r\n"),
        )
        .unwrap()
    };
    // `//care` must not answer `Location: //care/` (another site to a browser).
    let (code, text) = get("//care", "");
    assert_eq!(code, 301, "{text}");
    assert!(text.contains("\r\nLocation: /care/\r\n"), "{text}");
    let (code, text) = get("/files/clip.mp4", "");
    assert_eq!(code, 200);
    assert!(text.contains("Content-Type: video/mp4\r\n"), "{text}");
    assert!(text.contains("Accept-Ranges: bytes\r\n"), "{text}");
    let (code, text) = get("/files/clip.mp4", "Range: bytes=2-5\r\n");
    assert_eq!(code, 206, "{text}");
    assert!(text.contains("Content-Range: bytes 2-5/10\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\n2345"), "{text}");
    let (code, text) = get("/files/clip.mp4", "Range: bytes=-3\r\n");
    assert_eq!(code, 206);
    assert!(text.ends_with("789"), "{text}");
    let (code, _) = get("/files/clip.mp4", "Range: bytes=50-\r\n");
    assert_eq!(code, 416);
    let (code, text) = get("/care/%0d%0aSet-Cookie:%20x=1", "");
    assert_eq!(code, 400, "{text}");
    assert!(!text.contains("Set-Cookie"), "{text}");
}

#[test]
fn watch_follows_a_content_folder_deleted_and_made_again() {
    let site = Site::fixture("minimal");
    let log = site.root().parent().unwrap().join("watch-rearm.log");
    let child = Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args(["watch"])
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let _guard = Running(child);
    let logged = |what: &str| {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains(what)
    };
    wait_for(|| logged("watching"), "watch start");
    let saved = site.root().parent().unwrap().join("content-saved");
    copy_tree(&site.path("content"), &saved);
    std::fs::remove_dir_all(site.path("content")).unwrap();
    wait_for(
        || logged("there is no content/ folder"),
        "the deletion seen",
    );
    copy_tree(&saved, &site.path("content"));
    wait_for(
        || logged("nothing changed") || logged("wrote"),
        "the new folder read",
    );
    // An edit inside the new folder is seen: its watch was set anew.
    site.write(
        "content/care/washing.md",
        site.read("content/care/washing.md") + "\nrearmed-marker\n",
    );
    wait_for(
        || {
            std::fs::read_to_string(site.path("public/care/washing/index.html"))
                .unwrap_or_default()
                .contains("rearmed-marker")
        },
        "the edit in the new content/",
    );
}

/// Read an event stream until `done` says what arrived is enough.
fn read_events(s: &mut TcpStream, mut done: impl FnMut(&str) -> bool) -> String {
    let mut buf = [0u8; 8192];
    let mut seen = String::new();
    let until = std::time::Instant::now() + Duration::from_secs(30);
    while !done(&seen) {
        assert!(
            std::time::Instant::now() < until,
            "no such event in 30 s:\n{seen}"
        );
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "stream closed after:\n{seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    seen
}

/// The last `event: panel` message of a stream, parsed.
fn last_panel(seen: &str) -> serde_json::Value {
    let data = seen
        .rsplit("event: panel\ndata: ")
        .next()
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap();
    serde_json::from_str(data).unwrap_or_else(|e| panic!("{e}: {data}"))
}

fn panel_stream(p: u16, page: &str) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", p)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    s.write_all(format!("GET /__follicle/events?page={page} HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nOrigin: http://127.0.0.1:{p}\r\n\r\n").as_bytes()).unwrap();
    s
}

/// The rules of the panel's entries in a message.
fn panel_rules(v: &serde_json::Value) -> Vec<String> {
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", e["rule"].as_str().unwrap(), e["line"]))
        .collect()
}

#[test]
fn a_link_to_a_file_just_deleted_shows_on_the_unchanged_page_that_has_it() {
    let site = Site::fixture("minimal");
    site.write("static/leaflet.pdf", "%PDF-1.4 leaflet");
    let page = "+++\ntitle = \"Prices\"\n+++\nRead the [leaflet](/leaflet.pdf).\n";
    site.write("content/care/prices.md", page);
    let server = start(&site, &[]);
    let mut s = panel_stream(server.port, "%2Fcare%2Fprices%2F");
    let first = read_events(&mut s, |t| {
        t.contains("event: panel") && t.ends_with("\n\n")
    });
    let rules = panel_rules(&last_panel(&first));
    assert!(
        !rules.iter().any(|r| r.starts_with("broken-link")),
        "{rules:?}"
    );

    // The page's own bytes do not change: only the file it links to goes.
    std::fs::remove_file(site.path("static/leaflet.pdf")).unwrap();
    let seen = read_events(&mut s, |t| {
        t.matches("event: panel").count() >= 1 && t.ends_with("\n\n")
    });
    let rules = panel_rules(&last_panel(&seen));
    assert!(rules.contains(&"broken-link:4".to_string()), "{rules:?}");

    // It comes back: the finding goes.
    site.write("static/leaflet.pdf", "%PDF-1.4 leaflet");
    let seen = read_events(&mut s, |t| {
        t.contains("event: panel") && t.ends_with("\n\n")
    });
    let rules = panel_rules(&last_panel(&seen));
    assert!(
        !rules.iter().any(|r| r.starts_with("broken-link")),
        "{rules:?}"
    );
}

#[test]
fn the_panel_lists_the_pages_findings_and_follows_each_save() {
    let site = Site::fixture("minimal");
    let page = "+++\ntitle = \"Prices\"\n+++\nOur [prices](/prices/) list.\n\n![](/style.css)\n\n<iframe src=\"https://video.example/x\"></iframe>\n";
    site.write("content/care/prices.md", page);
    let server = start(&site, &["--open-in", "vscode"]);
    let p = server.port;
    // The page carries the panel as files, never inline code.
    let html = body(&server, "/care/prices/");
    assert!(
        html.contains("<script src=\"/__follicle/panel.js\""),
        "{html}"
    );
    assert!(html.contains("href=\"/__follicle/panel.css\""), "{html}");
    assert!(!html.contains("<script>("), "no inline script: {html}");
    let (code, js) = get(&server, "/__follicle/panel.js").unwrap();
    assert_eq!(code, 200);
    assert!(
        js.contains("text/javascript") && js.contains("aria-expanded"),
        "{js}"
    );
    let (code, css) = get(&server, "/__follicle/panel.css").unwrap();
    assert!(code == 200 && css.contains("#follicle-error"), "{css}");

    let mut s = panel_stream(p, "%2Fcare%2Fprices%2F");
    let seen = read_events(&mut s, |t| {
        t.contains("event: panel") && t.ends_with("\n\n")
    });
    let v = last_panel(&seen);
    assert_eq!(v["file"], "content/care/prices.md");
    assert_ne!(v["reload"], true, "{v}");
    let rules: Vec<(String, u64)> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["rule"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
            )
        })
        .collect();
    for want in [("broken-link", 4), ("missing-alt", 6), ("no-review", 1)] {
        assert!(
            rules.iter().any(|(r, l)| r == want.0 && *l == want.1),
            "{want:?} in {rules:?}"
        );
    }
    // The removed iframe is the build's warning, on its line.
    assert!(
        rules.iter().any(|(r, l)| r == "unsafe-html" && *l == 8),
        "{rules:?}"
    );
    let root = std::fs::canonicalize(site.root()).unwrap();
    let editor = format!("vscode://file{}/content/care/prices.md:4:5", root.display());
    assert!(seen.contains(&editor), "{editor} in {seen}");

    // Fix the page: the next message asks for a reload, at once (the page is
    // served before the panel's check), and the reloaded page's panel has none
    // of them.
    site.write(
        "content/care/prices.md",
        "+++\ntitle = \"Prices\"\n+++\nOur [prices](@/care/washing.md) list.\n\n![A clinic room](/style.css)\n",
    );
    let seen = read_events(&mut s, |t| {
        t.contains("event: panel") && t.ends_with("\n\n")
    });
    let v = last_panel(&seen);
    assert_eq!(v["reload"], true, "{v}");
    assert!(body(&server, "/care/prices/").contains("A clinic room"));
    let mut s = panel_stream(p, "%2Fcare%2Fprices%2F");
    let seen = read_events(&mut s, |t| {
        t.contains("event: panel") && t.ends_with("\n\n")
    });
    let v = last_panel(&seen);
    assert_eq!(v["file"], "content/care/prices.md", "{v}");
    let left: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    assert!(
        !left
            .iter()
            .any(|r| ["broken-link", "missing-alt", "unsafe-html"].contains(r)),
        "{left:?}"
    );
}

#[test]
fn the_published_site_has_no_panel() {
    let site = Site::fixture("minimal");
    site.write(
        "content/care/prices.md",
        "+++\ntitle = \"Prices\"\n+++\nOur [prices](/prices/) list.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (path, bytes) in common::tree(&site.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("__follicle") && !text.contains("follicle-panel"),
            "{path} carries the dev server's panel"
        );
    }
}

#[test]
fn the_error_overlay_is_opaque_and_in_the_pages_language() {
    let site = Site::fixture("minimal");
    site.write(
        "site.toml",
        site.read("site.toml")
            .replace("[clinic]", "default_language = \"es\"\n\n[clinic]"),
    );
    let server = start(&site, &[]);
    site.write(
        "content/care/bonus.md",
        "+++\ntitle = \"Bonus\"\ndraft = \"yes\"\n+++\n",
    );
    wait_for(
        || body(&server, "/care/aftercare/").contains("follicle-error"),
        "error overlay",
    );
    let page = body(&server, "/care/aftercare/");
    assert!(page.contains("Follicle: el sitio tiene errores"), "{page}");
    assert!(
        page.contains("<div id=\"follicle-error\" role=\"alert\" lang=\"es\">"),
        "{page}"
    );
    // Styled from the panel's file: opaque, wrapping at a phone's width.
    let (_, css) = get(&server, "/__follicle/panel.css").unwrap();
    let rule = css.split("#follicle-error{").nth(1).unwrap();
    let rule = rule.split('}').next().unwrap();
    assert!(rule.contains("background:#1c0d0d"), "{rule}");
    assert!(!rule.contains("rgba"), "opaque: {rule}");
}
