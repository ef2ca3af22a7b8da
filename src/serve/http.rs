//! A small HTTP/1.1 server for the dev preview, serving the site from memory.
//!
//! Takes: requests on a loopback socket. Gives: files from the current
//! [`Snapshot`], a live-reload event stream, and an error overlay while the site
//! has errors. Safe by construction: paths are looked up in a map, never joined to
//! a folder; `..`, encoded separators, backslashes, NUL, dotfiles and invalid
//! encodings are refused; foreign `Host` and `Origin` headers are refused; no
//! CORS headers; request size, time and connection count are bounded.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use super::panel::{self, Panel};
use crate::markdown::escape_attr;
use crate::output::Outputs;

pub const EVENTS_PATH: &str = "/__follicle/events";
const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Headers one request may carry (more is 431).
const MAX_HEADERS: usize = 64;
/// The whole request head must arrive within this time.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);
const MAX_CONNECTIONS: usize = 256;
const MAX_EVENT_STREAMS: usize = 64;

/// What is being served right now.
#[derive(Default)]
pub struct Snapshot {
    pub files: Arc<Outputs>,
    /// The error report while the site has errors (the last good site is served).
    pub error: Option<String>,
    /// The output files the rebuild that made this snapshot wrote.
    pub written: Vec<String>,
    /// The site went from good to failed or back with this snapshot (set by
    /// [`Shared::publish`]).
    pub error_changed: bool,
}

impl Snapshot {
    /// A page showing `output` must be reloaded to show this snapshot: the
    /// overlay came or went, the page was written, or a file of a kind a page
    /// loads as it is shown (style sheet, script, image, font, video) was.
    /// Other pages, feeds, the sitemap, the search index (written on every
    /// save) and documents a page only links to are not shown.
    pub fn reloads(&self, output: Option<&str>) -> bool {
        const SHOWN: [&str; 16] = [
            "css", "js", "mjs", "svg", "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "woff",
            "woff2", "ttf", "mp4", "webm",
        ];
        let shown = |w: &str| {
            let ext = w.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
            Some(w) == output || ext.is_some_and(|e| SHOWN.contains(&e.as_str()))
        };
        self.error_changed || self.written.iter().any(|w| shown(w))
    }
}

/// State shared by the server threads and the rebuild loop.
pub struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    generation: Mutex<u64>,
    changed: Condvar,
    connections: AtomicUsize,
    streams: AtomicUsize,
    /// `Host` values we answer to: `127.0.0.1:PORT`, `localhost:PORT`, ….
    hosts: Vec<String>,
    origins: Vec<String>,
    /// The base path of a sub-path `base_url` (`/my-clinic`), or empty: pages
    /// are served under it, and `/` redirects there.
    prefix: String,
    /// The writer's panel: every page's findings, updated by the rebuild loop.
    pub panel: RwLock<Panel>,
}

impl Shared {
    pub fn new(port: u16, bind: &str, prefix: &str) -> Arc<Shared> {
        let mut names = vec![
            "127.0.0.1".to_string(),
            "localhost".to_string(),
            "[::1]".to_string(),
        ];
        if !names.contains(&bind.to_string()) && bind != "0.0.0.0" && bind != "::" {
            names.push(if bind.contains(':') {
                format!("[{bind}]")
            } else {
                bind.to_string()
            });
        }
        let hosts: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
        let origins = hosts.iter().map(|h| format!("http://{h}")).collect();
        Arc::new(Shared {
            snapshot: RwLock::new(Arc::default()),
            generation: Mutex::new(0),
            changed: Condvar::new(),
            connections: AtomicUsize::new(0),
            streams: AtomicUsize::new(0),
            hosts,
            origins,
            prefix: prefix.to_string(),
            panel: RwLock::new(Panel::default()),
        })
    }

    /// Publish a new snapshot and wake the live-reload streams.
    pub fn publish(&self, mut snapshot: Snapshot) {
        if let Ok(mut s) = self.snapshot.write() {
            snapshot.error_changed = s.error.is_some() != snapshot.error.is_some();
            *s = Arc::new(snapshot);
        }
        if let Ok(mut g) = self.generation.lock() {
            *g += 1;
        }
        self.changed.notify_all();
    }

    pub fn current(&self) -> Arc<Snapshot> {
        self.snapshot.read().map(|s| s.clone()).unwrap_or_default()
    }

    fn generation(&self) -> u64 {
        self.generation.lock().map(|g| *g).unwrap_or(0)
    }
}

/// Accept connections forever, one thread each, up to a bound.
pub fn run(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            let mut s = stream;
            let _ = respond(
                &mut s,
                503,
                "text/plain; charset=utf-8",
                b"busy, try again\n",
                false,
            );
            continue;
        }
        let worker = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("follicle-http".into())
            .spawn(move || {
                let _ = handle(stream, &worker);
                worker.connections.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread, so the closure never ran: the connection is dropped here.
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// A parsed request: method, raw target and headers (lower-case names).
struct Request {
    method: String,
    target: String,
    headers: HashMap<String, String>,
}

/// Reads the socket against one deadline for the whole request head: a read
/// timeout alone restarts with every byte, so a client sending a byte a second
/// could hold a connection for hours.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut s = self.stream;
        s.read(buf)
    }
}

/// Read the request head (up to its blank line) and parse it with httparse.
fn read_request(stream: &TcpStream) -> Result<Request, u16> {
    let mut head = Deadline {
        stream,
        until: Instant::now() + HEAD_DEADLINE,
    };
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let room = (MAX_HEADER_BYTES + 1)
            .saturating_sub(buf.len())
            .min(chunk.len());
        let n = head.read(&mut chunk[..room]).map_err(|_| 400u16)?;
        if n == 0 {
            return Err(400);
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => return request_from(&req),
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEADER_BYTES => return Err(431),
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => return Err(431),
            Err(_) => return Err(400),
        }
    }
}

fn request_from(req: &httparse::Request<'_, '_>) -> Result<Request, u16> {
    let (Some(method), Some(target)) = (req.method, req.path) else {
        return Err(400);
    };
    let mut headers = HashMap::new();
    for h in req.headers.iter() {
        let value = std::str::from_utf8(h.value).map_err(|_| 400u16)?;
        headers.insert(h.name.to_ascii_lowercase(), value.trim().to_string());
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        headers,
    })
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    match admit(&stream, shared) {
        Ok((req, path)) => route(stream, shared, &req, &path),
        Err(Refusal { code, body, head }) => {
            respond(&mut stream, code, "text/plain; charset=utf-8", body, head)
        }
    }
}

/// Why a request is refused before it is routed.
struct Refusal {
    code: u16,
    body: &'static [u8],
    head: bool,
}

/// Read the request and refuse what the dev server never answers: other
/// methods, foreign `Host` (and, for the event stream, `Origin`) headers, unsafe
/// paths. Gives the request and its cleaned path.
fn admit(stream: &TcpStream, shared: &Shared) -> Result<(Request, String), Refusal> {
    let refuse = |code, body, head| Refusal { code, body, head };
    let req = read_request(stream).map_err(|code| refuse(code, b"bad request\n", false))?;
    let head = req.method == "HEAD";
    if req.method != "GET" && !head {
        return Err(refuse(405, b"only GET and HEAD\n", false));
    }
    let host_ok = req
        .headers
        .get("host")
        .map(|h| shared.hosts.iter().any(|a| a.eq_ignore_ascii_case(h)))
        .unwrap_or(false);
    if !host_ok {
        return Err(refuse(403, b"foreign Host header refused\n", head));
    }
    let path = clean_path(&req.target).map_err(|code| refuse(code, b"refused\n", head))?;
    if path == EVENTS_PATH {
        if let Some(origin) = req.headers.get("origin") {
            if !shared
                .origins
                .iter()
                .any(|o| o.eq_ignore_ascii_case(origin))
            {
                return Err(refuse(403, b"foreign Origin refused\n", head));
            }
        }
    }
    Ok((req, path))
}

/// Answer an admitted request: the event stream, the panel's files, or a file
/// of the current snapshot.
fn route(mut stream: TcpStream, shared: &Shared, req: &Request, path: &str) -> std::io::Result<()> {
    let head = req.method == "HEAD";
    match path {
        EVENTS_PATH => return event_stream(stream, shared, page_param(&req.target)),
        panel::SCRIPT_PATH => {
            let ctype = "text/javascript; charset=utf-8";
            return respond(&mut stream, 200, ctype, panel::SCRIPT.as_bytes(), head);
        }
        panel::STYLE_PATH => {
            let ctype = "text/css; charset=utf-8";
            return respond(&mut stream, 200, ctype, panel::STYLE.as_bytes(), head);
        }
        _ => {}
    }
    let snap = shared.current();
    let prefix = &shared.prefix;
    let found = match under_prefix(path, prefix) {
        Some("") => Lookup::Redirect(format!("{prefix}/")),
        Some(inner) => match lookup(&snap.files, inner) {
            Lookup::Redirect(to) => Lookup::Redirect(format!("{prefix}{to}")),
            other => other,
        },
        None if path == "/" => Lookup::Redirect(format!("{prefix}/")),
        None => Lookup::Missing,
    };
    match found {
        Lookup::Found(key) => serve_file(&mut stream, &snap, &key, req.headers.get("range"), head),
        Lookup::Redirect(to) => {
            let msg = format!("HTTP/1.1 301 Moved Permanently\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            stream.write_all(msg.as_bytes())
        }
        Lookup::Missing => {
            let body = snap
                .files
                .get(&not_found_page(&snap.files, path, prefix))
                .map(|b| decorate(b, snap.error.as_deref()))
                .unwrap_or_else(|| b"not found\n".to_vec());
            respond(&mut stream, 404, "text/html; charset=utf-8", &body, head)
        }
    }
}

/// `?page=/care/aftercare/` of the event stream: the page whose panel it feeds.
fn page_param(target: &str) -> Option<String> {
    let query = target.split_once('?')?.1.split('#').next()?;
    let value = query.split('&').find_map(|kv| kv.strip_prefix("page="))?;
    let decoded = percent_encoding::percent_decode_str(&value.replace('+', " "))
        .decode_utf8()
        .ok()?
        .into_owned();
    Some(decoded)
}

/// The output file a served page path names (`/my-clinic/care/` →
/// `care/index.html`), if the snapshot has it.
fn output_of(shared: &Shared, snap: &Snapshot, page: &str) -> Option<String> {
    let path = clean_path(page).ok()?;
    match lookup(&snap.files, under_prefix(&path, &shared.prefix)?) {
        Lookup::Found(key) => Some(key),
        _ => None,
    }
}

/// A file of the snapshot: pages get the live-reload script (and the error
/// overlay); other files may be asked for by byte range.
fn serve_file(
    stream: &mut TcpStream,
    snap: &Snapshot,
    key: &str,
    range: Option<&String>,
    head: bool,
) -> std::io::Result<()> {
    let body = &snap.files[key];
    let ctype = content_type(key);
    if ctype.starts_with("text/html") {
        let page = decorate(body, snap.error.as_deref());
        respond(stream, 200, &ctype, &page, head)
    } else if let Some(range) = range {
        respond_range(stream, &ctype, body, range, head)
    } else {
        respond_with(stream, 200, &ctype, body, head, "Accept-Ranges: bytes\r\n")
    }
}

/// Decode and check a request target. The result starts with one `/` (a
/// run of leading slashes is one: `//evil.example/` must never become a
/// `Location` another site) and has no `.`/`..` segments, backslashes,
/// control characters (`%0d%0a` would split a header) or dotfile segments.
pub fn clean_path(target: &str) -> Result<String, u16> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return Err(400);
    }
    // Every `%` is followed by two hex digits; an encoded separator, dot or
    // NUL would hide a traversal: refuse it before decoding.
    for (i, _) in raw.match_indices('%') {
        let hex = raw.get(i + 1..i + 3).ok_or(400u16)?;
        let v = u8::from_str_radix(hex, 16).map_err(|_| 400u16)?;
        if v == b'/' || v == b'\\' || v == b'.' || v == 0 {
            return Err(403);
        }
    }
    // Invalid or overlong UTF-8 is refused, not guessed at.
    let path = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| 400u16)?;
    if path.contains('\\') || path.chars().any(char::is_control) {
        return Err(if path.contains('\0') || path.contains('\\') {
            403
        } else {
            400
        });
    }
    let path = format!("/{}", path.trim_start_matches('/'));
    for seg in path.split('/').skip(1) {
        if seg == "." || seg == ".." {
            return Err(403);
        }
        if seg.starts_with('.') {
            return Err(404);
        }
    }
    Ok(path)
}

/// The part of `path` under the site's base path (`/my-clinic/care/` →
/// `/care/`; `/my-clinic` → `""`, to be redirected), or `None` when the path
/// is outside it.
fn under_prefix<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    match path.strip_prefix(prefix)? {
        inner if inner.is_empty() && !prefix.is_empty() => Some(""),
        inner if inner.starts_with('/') => Some(inner),
        _ => None,
    }
}

enum Lookup {
    Found(String),
    Redirect(String),
    Missing,
}

fn lookup(files: &Outputs, path: &str) -> Lookup {
    let key = path.trim_start_matches('/');
    if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}index.html");
        return if files.contains_key(&index) {
            Lookup::Found(index)
        } else {
            Lookup::Missing
        };
    }
    if files.contains_key(key) {
        return Lookup::Found(key.to_string());
    }
    if files.contains_key(&format!("{key}/index.html")) {
        return Lookup::Redirect(format!("{path}/"));
    }
    Lookup::Missing
}

/// The Content-Type of a served file, by its extension (mime_guess), with
/// the charset on text types (every text file we write is UTF-8).
fn content_type(key: &str) -> String {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "xml" | "javascript" | "json")
        || mime.suffix() == Some(mime_guess::mime::XML);
    if text && mime.get_param("charset").is_none() && mime.subtype() != mime_guess::mime::SVG {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// A `Range: bytes=…` request (Safari asks for video this way): one range is
/// answered 206 with that part; several, or a header we do not read, get the
/// whole file (200), which the standard allows; a range past the end is 416.
fn respond_range(
    stream: &mut TcpStream,
    ctype: &str,
    body: &[u8],
    range: &str,
    head: bool,
) -> std::io::Result<()> {
    let len = body.len();
    let Some((start, end)) = parse_range(range, len) else {
        return respond_with(stream, 200, ctype, body, head, "Accept-Ranges: bytes\r\n");
    };
    if start >= len || start > end {
        let extra = format!("Content-Range: bytes */{len}\r\n");
        return respond_with(stream, 416, "text/plain; charset=utf-8", b"", head, &extra);
    }
    let end = end.min(len - 1);
    let extra = format!("Accept-Ranges: bytes\r\nContent-Range: bytes {start}-{end}/{len}\r\n");
    respond_with(stream, 206, ctype, &body[start..=end], head, &extra)
}

/// `bytes=0-99`, `bytes=100-`, `bytes=-100` → (first, last) byte; `None` for
/// several ranges or anything else.
fn parse_range(header: &str, len: usize) -> Option<(usize, usize)> {
    let spec = header.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    match (a.is_empty(), b.is_empty()) {
        (false, true) => Some((a.parse().ok()?, usize::MAX)),
        (false, false) => Some((a.parse().ok()?, b.parse().ok()?)),
        (true, false) => {
            let n: usize = b.parse().ok()?;
            (n > 0).then(|| (len.saturating_sub(n), usize::MAX))
        }
        (true, true) => None,
    }
}

/// The panel's style and script, as files (a page's CSP allows 'self', not
/// inline code): the script also does the live reload.
const PANEL_TAGS: &str = "<link rel=\"stylesheet\" href=\"/__follicle/panel.css\" data-follicle=\"panel\"><script src=\"/__follicle/panel.js\" defer data-follicle=\"panel\"></script>";

/// Add the panel (and live reload) and, while the site has errors, the overlay.
fn decorate(body: &[u8], error: Option<&str>) -> Vec<u8> {
    let html = String::from_utf8_lossy(body);
    let mut extra = String::from(PANEL_TAGS);
    if let Some(err) = error {
        extra.push_str(&overlay(err, page_lang(&html)));
    }
    let out = match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]),
        None => format!("{html}{extra}"),
    };
    out.into_bytes()
}

/// The `lang` of a page's `<html>` element, if it has one.
fn page_lang(html: &str) -> &str {
    let Some(start) = html.find("<html") else {
        return "";
    };
    let tag = &html[start..html[start..].find('>').map_or(html.len(), |e| start + e)];
    tag.split_once("lang=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .unwrap_or("")
}

/// The error overlay: the same report as the terminal, escaped, opaque, in
/// the page's language (Spanish or English); styled by the panel's CSS file.
pub fn overlay(error: &str, lang: &str) -> String {
    let (title, text) = if lang.to_ascii_lowercase().starts_with("es") {
        (
            "Follicle: el sitio tiene errores",
            "Debajo sigue la última versión correcta. Corrige el archivo y guárdalo: esta página se recarga sola.",
        )
    } else {
        (
            "Follicle: the site has errors",
            "The last good version is kept underneath. Fix the file and save: this page reloads by itself.",
        )
    };
    format!(
        "<div id=\"follicle-error\" role=\"alert\" lang=\"{}\"><h2>{title}</h2><p>{text}</p><pre>{}</pre></div>",
        if title.contains("el sitio") { "es" } else { "en" },
        escape_attr(error)
    )
}

/// Server-sent events: after each rebuild `reload`, or, for a panel (`page`
/// given), an `event: panel` with the page's findings as JSON (saying whether to
/// reload); a comment every 15 s.
fn event_stream(
    mut stream: TcpStream,
    shared: &Shared,
    page: Option<String>,
) -> std::io::Result<()> {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_EVENT_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return respond(
            &mut stream,
            503,
            "text/plain; charset=utf-8",
            b"too many live-reload connections\n",
            false,
        );
    }
    let result = (|| {
        stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n: connected\n\n")?;
        let mut seen = shared.generation();
        if let Some(page) = &page {
            stream.write_all(&panel_event(shared, page, false))?;
        }
        loop {
            let guard = shared
                .generation
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?;
            let (guard, _) = shared
                .changed
                .wait_timeout_while(guard, Duration::from_secs(15), |g| *g == seen)
                .map_err(|_| std::io::Error::other("poisoned"))?;
            let now = *guard;
            drop(guard);
            if now != seen {
                seen = now;
                match &page {
                    Some(page) => stream.write_all(&panel_event(shared, page, true))?,
                    None => stream.write_all(b"data: reload\n\n")?,
                }
            } else {
                stream.write_all(b": ping\n\n")?;
            }
        }
    })();
    shared.streams.fetch_sub(1, Ordering::SeqCst);
    result
}

/// One `event: panel` message for the page at `page` (its path as served).
/// A page the rebuild changed is told to reload at once, without waiting for
/// the panel's check of the changed pages: the reloaded page asks again, and
/// that waits for the findings (the rebuild loop holds the panel meanwhile).
fn panel_event(shared: &Shared, page: &str, after_rebuild: bool) -> Vec<u8> {
    let snap = shared.current();
    let output = output_of(shared, &snap, page);
    let json = if after_rebuild && snap.reloads(output.as_deref()) {
        r#"{"reload":true}"#.to_string()
    } else {
        match shared.panel.read() {
            Ok(p) => {
                serde_json::to_string(&p.view(output.as_deref())).unwrap_or_else(|_| "{}".into())
            }
            Err(_) => "{}".into(),
        }
    };
    format!("event: panel\ndata: {json}\n\n").into_bytes()
}

fn respond(
    stream: &mut TcpStream,
    code: u16,
    ctype: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    respond_with(stream, code, ctype, body, head, "")
}

/// [`respond`] with `extra` header lines (each ending in `\r\n`).
fn respond_with(
    stream: &mut TcpStream,
    code: u16,
    ctype: &str,
    body: &[u8],
    head: bool,
    extra: &str,
) -> std::io::Result<()> {
    let reason = match code {
        200 => "OK",
        206 => "Partial Content",
        416 => "Range Not Satisfiable",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    };
    let header = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{extra}Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The "page not found" page for `path`: a language's own (`/es/…` →
/// `es/404.html`) when the site has one, else `404.html`.
fn not_found_page(files: &Outputs, path: &str, prefix: &str) -> String {
    under_prefix(path, prefix)
        .and_then(|inner| inner.trim_start_matches('/').split_once('/'))
        .map(|(first, _)| format!("{first}/404.html"))
        .filter(|k| files.contains_key(k))
        .unwrap_or_else(|| "404.html".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_encodings_are_refused() {
        assert_eq!(clean_path("/a/b/"), Ok("/a/b/".into()));
        assert_eq!(clean_path("/caf%C3%A9/"), Ok("/café/".into()));
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/x",
            "/a%2fb",
            "/a%5cb",
            "/a\\b",
            "/%00",
            "/%c0%ae%c0%ae/",
            "/a/./b",
            "x",
        ] {
            assert!(clean_path(bad).is_err(), "{bad}");
        }
        assert_eq!(clean_path("/.follicle-output"), Err(404));
        assert_eq!(clean_path("/%zz"), Err(400));
        assert_eq!(clean_path("/a%0d%0aSet-Cookie:x"), Err(400));
        assert_eq!(clean_path("//evil.example/"), Ok("/evil.example/".into()));
        assert_eq!(clean_path("///treatment"), Ok("/treatment".into()));
    }

    #[test]
    fn types_and_ranges() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("v.mp4"), "video/mp4");
        assert_eq!(content_type("v.webm"), "video/webm");
        assert_eq!(content_type("a.mp3"), "audio/mpeg");
        assert_eq!(content_type("d.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("i.svg"), "image/svg+xml");
        assert_eq!(content_type("x.unknownext"), "application/octet-stream");
        assert_eq!(parse_range("bytes=0-99", 1000), Some((0, 99)));
        assert_eq!(parse_range("bytes=100-", 1000), Some((100, usize::MAX)));
        assert_eq!(parse_range("bytes=-100", 1000), Some((900, usize::MAX)));
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), None);
        assert_eq!(parse_range("items=0-1", 1000), None);
    }

    #[test]
    fn overlay_escapes_the_report() {
        assert!(overlay("<script>x</script>", "en").contains("&lt;script&gt;"));
        assert!(overlay("x", "es-MX").contains("el sitio tiene errores"));
        assert!(!overlay("x", "en").contains("style="));
        assert_eq!(page_lang("<!doctype html><html lang=\"es\"><head>"), "es");
        assert_eq!(page_lang("<p>no html tag</p>"), "");
        assert_eq!(
            page_param("/__follicle/events?page=%2Fcare%2Fa%2F"),
            Some("/care/a/".into())
        );
        assert_eq!(page_param("/__follicle/events"), None);
    }
}
