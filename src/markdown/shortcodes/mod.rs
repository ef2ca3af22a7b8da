//! Shortcodes: Zola's `{{ name(k="v") }}` / `{% name() %}…{% end %}`, Hugo's
//! `{{< name >}}` / `{{% name %}}…{{% /name %}}`, and the Liquid tags Jekyll
//! content uses, expanded before the Markdown parser runs.
//!
//! Takes: a body, the [`Env`] of its page (the theme's shortcode templates, page,
//! config, language) and a [`Host`] that renders Markdown bodies and resolves
//! links. Gives: the text the parser should see, a [`SourceMap`] back to the body,
//! and each HTML output parked in [`Slots`] behind a placeholder word, put back
//! after the page's HTML exists (and after its raw HTML was cleaned: the theme's
//! markup is trusted, the writer's is not).
//!
//! A template `templates/shortcodes/NAME.html` gives HTML; `NAME.md` gives
//! Markdown, parsed with the page. [`scan`] finds and nests calls (never in
//! code); [`args`] parses arguments; [`builtins`] checks the clinic theme's
//! shortcodes' arguments and maps Hugo's built-ins onto ours.

pub mod args;
pub mod builtins;
pub mod pictures;
pub mod scan;

use std::collections::HashMap;
use std::ops::Range;

use serde_json::Value as Json;

use super::position::{Lines, SourceMap};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use scan::{Kind, Node, Syntax};

/// A shortcode template found in the theme chain.
#[derive(Debug, Clone)]
pub struct TemplateInfo {
    /// The Tera name, `shortcodes/callout.html`.
    pub tera_name: String,
    /// `NAME.md`: the output is Markdown.
    pub markdown: bool,
    /// The file, for messages.
    pub file: String,
    /// From the embedded clinic theme (its arguments are checked by name).
    pub builtin: bool,
    /// Hash of the template text: a page is rendered again when it changes.
    pub hash: u64,
}

/// A template error, at the template's own file and line.
#[derive(Debug, Clone)]
pub struct TemplateError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// The theme's shortcode templates (implemented by the theme).
pub trait Templates: Sync {
    fn lookup(&self, name: &str) -> Option<TemplateInfo>;
    fn names(&self) -> Vec<String>;
    fn render(&self, info: &TemplateInfo, ctx: &tera::Context) -> Result<String, TemplateError>;
}

/// What the page's shortcodes can read.
pub struct Env<'a> {
    /// `None` when the theme did not load (its errors are reported instead).
    pub templates: Option<&'a dyn Templates>,
    pub page: &'a tera::Value,
    pub config: &'a tera::Value,
    pub i18n: &'a tera::Value,
    pub lang: &'a str,
    /// Consent dates are compared with this day.
    pub today: jiff::civil::Date,
    /// Warn this many days before a consent expires (`check`; 0 = never).
    pub consent_warning_days: i64,
}

/// Renders Markdown bodies and resolves links for the expander.
pub trait Host {
    /// The HTML of a shortcode's Markdown body (expanded text and its map),
    /// and the labels of the page's footnotes it cites, in order (each a
    /// [`Slots::note_marker`] in the HTML).
    fn render_body(
        &mut self,
        text: &str,
        map: &SourceMap,
        slots: &mut Slots,
    ) -> (String, Vec<String>);
    /// URL of a content path, or `None`.
    fn resolve(&mut self, content_path: &str) -> Option<String>;
    /// How the site's image `dest` (as the writer gave it) is shown: the
    /// `<picture>` a Markdown image of it would be; `None` when `dest` is not
    /// one of the site's images. A refused image is reported at `offset`.
    fn picture(
        &mut self,
        dest: &str,
        fallback_src: &str,
        img: &super::picture::Img<'_>,
        offset: usize,
    ) -> Option<String>;
}

/// HTML outputs waiting for their placeholders, and the templates used.
pub struct Slots {
    nonce: u64,
    html: Vec<String>,
    /// Per parked output, the page's footnotes its body cites, in order.
    cites: Vec<Vec<String>>,
    /// Shortcode names used (found or not) with their template's hash.
    pub used: Vec<(String, Option<u64>)>,
    pub diagnostics: Vec<Diagnostic>,
    nth: HashMap<String, usize>,
    /// Photos shortcodes showed as `<picture>`, and the body offset of the
    /// first when it was the page's first image (so it loads at once and the
    /// Markdown images after it lazily).
    pub pictures: usize,
    pub first_picture_at: Option<usize>,
}

impl Slots {
    pub fn new(body: &str) -> Slots {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        body.hash(&mut h);
        Slots {
            nonce: h.finish() & 0xffff_ffff,
            html: Vec::new(),
            cites: Vec::new(),
            used: Vec::new(),
            diagnostics: Vec::new(),
            nth: HashMap::new(),
            pictures: 0,
            first_picture_at: None,
        }
    }

    fn prefix(&self) -> String {
        format!("FollicleSC{:x}N", self.nonce)
    }

    /// Park `html`; gives the placeholder word to put in its place.
    pub fn park(&mut self, html: String) -> String {
        self.park_citing(html, Vec::new())
    }

    /// Park `html`, whose markers cite the page's footnotes `cites`: the
    /// placeholder is followed by a `[^label]` of each, which the page's text
    /// numbers in its order and [`Slots::restore`] moves into the markers.
    pub fn park_citing(&mut self, html: String, cites: Vec<String>) -> String {
        self.html.push(html);
        let mut word = format!("{}{}Z", self.prefix(), self.html.len() - 1);
        for label in &cites {
            word.push_str(&format!("[^{label}]"));
        }
        self.cites.push(cites);
        word
    }

    /// What a shortcode's body writes where it cites one of the page's
    /// footnotes (never in a writer's text: it holds the page's nonce).
    pub fn note_marker(&self) -> String {
        format!("FollicleSC{:x}F", self.nonce)
    }

    pub fn is_empty(&self) -> bool {
        self.html.is_empty()
    }

    /// Put every parked output back into `html` (a placeholder alone in a
    /// paragraph replaces the paragraph).
    pub fn restore(&self, html: &str) -> String {
        if self.html.is_empty() {
            return html.to_string();
        }
        let prefix = self.prefix();
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(i) = rest.find(&prefix) {
            let after = &rest[i + prefix.len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let n: Option<usize> = after[..digits].parse().ok();
            match n.filter(|_| after[digits..].starts_with('Z')) {
                Some(n) if n < self.html.len() => {
                    let mut before = &rest[..i];
                    let (cited, mut tail) = self.cited(&after[digits + 1..], n);
                    if before.ends_with("<p>")
                        && tail.starts_with("</p>")
                        && is_block(&self.html[n])
                    {
                        before = &before[..before.len() - 3];
                        tail = &tail[4..];
                        tail = tail.strip_prefix('\n').unwrap_or(tail);
                    }
                    out.push_str(before);
                    // Parked outputs may hold placeholders of nested calls.
                    let inner = self.restore(&self.html[n]);
                    out.push_str(&self.fill_markers(&inner, &cited, &self.cites[n]));
                    rest = tail;
                }
                _ => {
                    out.push_str(&rest[..i + prefix.len()]);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

impl Slots {
    /// The references that follow parked output `n` in `tail` (the page's
    /// `<sup>`s, or markers inside another body), as many as it cites; and
    /// the rest of `tail`.
    fn cited<'t>(&self, mut tail: &'t str, n: usize) -> (Vec<&'t str>, &'t str) {
        const SUP: &str = "<sup class=\"footnote-reference\">";
        let marker = self.note_marker();
        let mut found = Vec::new();
        for _ in 0..self.cites[n].len() {
            let len = if tail.starts_with(SUP) {
                tail.find("</sup>").map(|e| e + "</sup>".len())
            } else if tail.starts_with(&marker) {
                Some(marker.len())
            } else {
                None
            };
            let Some(len) = len else { break };
            found.push(&tail[..len]);
            tail = &tail[len..];
        }
        (found, tail)
    }

    /// `html` with its markers replaced, in order, by `cited`; a marker left
    /// over (a template that showed its body twice) shows its `[^label]`.
    fn fill_markers(&self, html: &str, cited: &[&str], labels: &[String]) -> String {
        let marker = self.note_marker();
        if labels.is_empty() || !html.contains(&marker) {
            return html.to_string();
        }
        let mut out = String::with_capacity(html.len());
        for (k, piece) in html.split(&marker).enumerate() {
            if k > 0 {
                match (cited.get(k - 1), labels.get(k - 1)) {
                    (Some(c), _) => out.push_str(c),
                    (None, Some(label)) => {
                        out.push_str(&crate::markdown::escape_attr(&format!("[^{label}]")))
                    }
                    (None, None) => {}
                }
            }
            out.push_str(piece);
        }
        out
    }
}

/// Does `html` start with a block element (so it cannot sit in a `<p>`)?
fn is_block(html: &str) -> bool {
    const BLOCKS: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "div",
        "dl",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
        "script",
    ];
    let Some(tag) = html.trim_start().strip_prefix('<') else {
        return false;
    };
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCKS.contains(&name.as_str())
}

/// The source being expanded: the whole body and where it is.
pub struct Origin<'a> {
    pub file: &'a str,
    pub body: &'a str,
    pub lines: &'a Lines<'a>,
}

pub struct Expander<'a, 'h> {
    pub origin: Origin<'a>,
    pub env: &'a Env<'a>,
    pub host: &'h mut dyn Host,
    pub slots: &'h mut Slots,
}

/// The expanded text of `range` of the body with its shortcode `nodes`.
pub fn expand(
    ex: &mut Expander<'_, '_>,
    range: Range<usize>,
    nodes: &[Node],
) -> (String, SourceMap) {
    let body = ex.origin.body;
    let mut text = String::with_capacity(range.end - range.start);
    let mut map = SourceMap::copied(range.start);
    let mut at = range.start;
    for node in nodes {
        text.push_str(&body[at..node.range.start]);
        let out = ex.node(node);
        map.made(text.len(), node.range.start);
        let block = out.block && alone_on_its_lines(body, &node.range);
        if block {
            let indent = indentation(body, node.range.start);
            text.push_str("\n\n");
            text.push_str(indent);
        }
        text.push_str(&out.text);
        if block {
            text.push_str("\n\n");
        }
        at = node.range.end;
        map.copy(text.len(), at);
    }
    text.push_str(&body[at..range.end]);
    (text, map)
}

/// What a node becomes in the text.
struct Out {
    text: String,
    /// HTML parked behind a placeholder: on its own lines it is its own block.
    block: bool,
}

impl Out {
    fn text(text: impl Into<String>) -> Out {
        Out {
            text: text.into(),
            block: false,
        }
    }
}

fn alone_on_its_lines(body: &str, r: &Range<usize>) -> bool {
    let line_start = body[..r.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = body[r.end..].find('\n').map_or(body.len(), |i| r.end + i);
    body[line_start..r.start].trim().is_empty() && body[r.end..line_end].trim().is_empty()
}

fn indentation(body: &str, at: usize) -> &str {
    let line_start = body[..at].rfind('\n').map_or(0, |i| i + 1);
    &body[line_start..at]
}

impl Expander<'_, '_> {
    fn at(&self, offset: usize) -> (usize, usize) {
        self.origin.lines.at(offset)
    }

    pub fn error(&mut self, offset: usize, message: String, hint: String) {
        let (l, c) = self.at(offset);
        self.slots.diagnostics.push(
            Diagnostic::error(self.origin.file, message)
                .code(Code::Shortcode)
                .at(l, c)
                .hint(hint),
        );
    }

    pub fn warning(&mut self, offset: usize, message: String, hint: String) {
        let (l, c) = self.at(offset);
        self.slots.diagnostics.push(
            Diagnostic::warning(self.origin.file, message)
                .code(Code::Shortcode)
                .at(l, c)
                .hint(hint),
        );
    }

    fn node(&mut self, node: &Node) -> Out {
        match &node.kind {
            Kind::Literal(t) => Out::text(t.clone()),
            Kind::Code { lang, text } => Out::text(fenced(lang, text)),
            Kind::Bad { message, at, hint } => {
                let how = "write a shortcode as {{ name(key=\"text\", n=3, on=true) }}, or with a body {% name() %}…{% end %}; to show the braces as text, write {{/* … */}}";
                self.error(*at, message.clone(), hint.unwrap_or(how).into());
                Out::text("")
            }
            Kind::Unknown(text) => {
                let shown: String = text.chars().take(60).collect();
                self.warning(
                    node.range.start,
                    format!("`{shown}` is a template tag Follicle does not run, so it was left out of the page"),
                    "remove it, or write the text it should show; to show the braces as text, write {{/* … */}}".into(),
                );
                Out::text("")
            }
            Kind::Lookup(path) => Out::text(builtins::lookup(self, node.range.start, path)),
            Kind::Link { post, target } => {
                Out::text(builtins::liquid_link(self, node.range.start, *post, target))
            }
            Kind::Call { call, syntax, body } => self.call(node, call, syntax, body.clone()),
        }
    }

    fn call(
        &mut self,
        node: &Node,
        call: &args::Call,
        syntax: &Syntax,
        body: Option<Range<usize>>,
    ) -> Out {
        let Some(templates) = self.env.templates else {
            return Out::text("");
        };
        let start = node.range.start;
        for note in &call.notes {
            self.warning(note.offset, note.message.clone(), note.hint.clone());
        }
        let mut info = templates.lookup(&call.name);
        self.slots
            .used
            .push((call.name.clone(), info.as_ref().map(|i| i.hash)));
        let mut call = call.clone();
        if info.is_none() && *syntax == Syntax::Hugo {
            match builtins::hugo(self, start, &call, body.clone()) {
                builtins::Hugo::Done(text) => return Out::text(text),
                builtins::Hugo::As(mapped) => {
                    info = templates.lookup(&mapped.name);
                    self.slots
                        .used
                        .push((mapped.name.clone(), info.as_ref().map(|i| i.hash)));
                    call = mapped;
                }
                builtins::Hugo::No => {}
            }
        }
        let Some(info) = info else {
            self.unknown(start, &call.name, templates);
            return Out::text("");
        };
        let given = call.clone();
        if info.builtin {
            if !builtins::check(self, start, &call) {
                return Out::text("");
            }
            builtins::prefix_paths(self, &mut call);
        }
        let pictures = pictures::of_call(self, &given, &call, start);
        let (body_value, cites) = match body {
            Some(r) => {
                let (value, cites) = self.body_value(&info, r, &node.children);
                (Some(value), cites)
            }
            None => (None, Vec::new()),
        };
        let n = {
            let c = self.slots.nth.entry(call.name.clone()).or_insert(0);
            *c += 1;
            *c
        };
        let mut ctx = self.context(&call, body_value, n);
        for (name, html) in pictures {
            ctx.insert_value(name, tera::Value::safe_string(&html));
        }
        // A template file's last newline is not part of what it shows.
        match templates
            .render(&info, &ctx)
            .map(|o| o.trim_end_matches(['\n', '\r']).to_string())
        {
            Ok(out) if info.markdown => Out::text(out),
            Ok(out) => Out {
                text: self.slots.park_citing(out, cites),
                block: true,
            },
            Err(e) => {
                self.template_failed(start, &call, &info, e);
                Out::text("")
            }
        }
    }

    /// The body as the template sees it: Markdown text for a Markdown
    /// template, else the body rendered to HTML (marked safe) with the
    /// page's footnotes it cites.
    fn body_value(
        &mut self,
        info: &TemplateInfo,
        r: Range<usize>,
        children: &[Node],
    ) -> (tera::Value, Vec<String>) {
        let (text, map) = expand(self, r, children);
        if info.markdown {
            (tera::Value::normal_string(&text), Vec::new())
        } else {
            let (html, cites) = self.host.render_body(&text, &map, self.slots);
            (tera::Value::safe_string(&html), cites)
        }
    }

    fn context(&self, call: &args::Call, body: Option<tera::Value>, nth: usize) -> tera::Context {
        let mut ctx = tera::Context::new();
        for a in &call.args {
            ctx.insert_value(a.name.clone(), tera::Value::from_serializable(&a.value));
        }
        ctx.insert_value(
            "body",
            body.unwrap_or_else(|| tera::Value::normal_string("")),
        );
        ctx.insert_value("page", self.env.page.clone());
        ctx.insert_value("config", self.env.config.clone());
        ctx.insert_value("i18n", self.env.i18n.clone());
        ctx.insert("lang", self.env.lang);
        ctx.insert("nth", &nth);
        ctx
    }

    fn unknown(&mut self, start: usize, name: &str, templates: &dyn Templates) {
        let names = templates.names();
        match did_you_mean(name, names.iter().map(String::as_str)) {
            Some(best) => self.error(
                start,
                format!("there is no shortcode `{name}`"),
                format!("did you mean `{best}`? Shortcodes are the templates in templates/shortcodes/ of the theme"),
            ),
            None => self.warning(
                start,
                format!("there is no shortcode `{name}`, so it was left out of the page"),
                format!("add templates/shortcodes/{name}.html to your theme, or remove it from the page (the shortcodes there are: {})", names.join(", ")),
            ),
        }
    }

    fn template_failed(
        &mut self,
        start: usize,
        call: &args::Call,
        info: &TemplateInfo,
        e: TemplateError,
    ) {
        let name = &call.name;
        // Tera names a missing variable only in its message: an argument the
        // template reads that the call did not give.
        let missing = e
            .message
            .strip_prefix("Variable `")
            .and_then(|m| m.split_once("` is not defined"))
            .map(|(v, _)| v.to_string())
            .filter(|v| !["page", "config", "body", "lang", "nth", "i18n"].contains(&v.as_str()));
        match missing {
            Some(arg) => self.error(
                start,
                format!("the shortcode `{name}` needs the argument `{arg}`"),
                format!(
                    "add it, e.g. {name}({arg}=\"…\"); its template {}:{} reads it",
                    e.file, e.line
                ),
            ),
            None => self.error(
                start,
                format!(
                    "the shortcode `{name}` failed in its template {}:{}: {}",
                    e.file, e.line, e.message
                ),
                format!("fix the call's arguments, or the template {}", info.file),
            ),
        }
    }
}

/// A fenced code block around `text`, with a fence longer than any inside it.
pub fn fenced(lang: &str, text: &str) -> String {
    let longest = text.split(|c| c != '~').map(str::len).max().unwrap_or(0);
    let fence = "~".repeat(longest.max(2) + 1);
    format!("\n\n{fence}{lang}\n{text}\n{fence}\n\n")
}

/// A JSON value as text on a page: strings as they are, lists joined.
pub fn json_text(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        Json::Array(a) => a.iter().map(json_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// The shortcodes of `body`, outside its code. A body with no `{{` or `{%`
/// (most pages) costs one scan, not a second Markdown parse.
pub fn find(body: &str, options: pulldown_cmark::Options) -> Vec<Node> {
    if !body.contains("{{") && !body.contains("{%") {
        return Vec::new();
    }
    scan::parse(body, &scan::code_ranges(body, options))
}

/// `body` with every shortcode and Liquid tag (and GitHub alert markers)
/// blanked out, byte offsets kept: what reading-level checks read. A body with
/// neither (most pages) is returned as it is, not copied.
pub fn mask(body: &str, options: pulldown_cmark::Options) -> std::borrow::Cow<'_, str> {
    const ALERTS: [&str; 5] = [
        "[!NOTE]",
        "[!TIP]",
        "[!IMPORTANT]",
        "[!WARNING]",
        "[!CAUTION]",
    ];
    let nodes = find(body, options);
    if nodes.is_empty() && !body.contains("[!") {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut out = body.as_bytes().to_vec();
    fn blank(out: &mut [u8], r: Range<usize>) {
        for b in &mut out[r] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    fn walk(out: &mut [u8], nodes: &[Node]) {
        for n in nodes {
            match &n.kind {
                Kind::Call { body: Some(b), .. } => {
                    blank(out, n.range.start..b.start);
                    blank(out, b.end..n.range.end);
                    walk(out, &n.children);
                }
                _ => blank(out, n.range.clone()),
            }
        }
    }
    walk(&mut out, &nodes);
    let mut text = String::from_utf8(out).unwrap_or_else(|_| body.to_string());
    for marker in ALERTS {
        text = text.replace(marker, &" ".repeat(marker.len()));
    }
    std::borrow::Cow::Owned(text)
}

/// A GitHub alert (`> [!NOTE]` … `[!CAUTION]`) through the `callout` template:
/// NOTE and IMPORTANT are `info`, TIP is `tip`, WARNING and CAUTION `warning`;
/// the heading is the alert's name in the page's language (`alert_note`, …).
pub fn alert(
    env: &Env<'_>,
    slots: &mut Slots,
    alert: &str,
    body_html: String,
) -> Result<String, (String, String)> {
    let kind = match alert {
        "tip" => "tip",
        "warning" | "caution" => "warning",
        _ => "info",
    };
    let Some(templates) = env.templates else {
        return Ok(format!("<blockquote>\n{body_html}</blockquote>\n"));
    };
    let info = templates.lookup("callout");
    slots
        .used
        .push(("callout".into(), info.as_ref().map(|i| i.hash)));
    let Some(info) = info else {
        return Ok(format!("<blockquote>\n{body_html}</blockquote>\n"));
    };
    let title = env
        .i18n
        .get_from_path(&format!("alert_{alert}"))
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| {
            let mut c = alert.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        });
    let n = {
        let c = slots.nth.entry("callout".into()).or_insert(0);
        *c += 1;
        *c
    };
    let mut ctx = tera::Context::new();
    ctx.insert("kind", kind);
    ctx.insert("title", &title);
    ctx.insert("alert", alert);
    ctx.insert_value("body", tera::Value::safe_string(&body_html));
    ctx.insert_value("page", env.page.clone());
    ctx.insert_value("config", env.config.clone());
    ctx.insert_value("i18n", env.i18n.clone());
    ctx.insert("lang", env.lang);
    ctx.insert("nth", &n);
    templates.render(&info, &ctx).map_err(|e| {
        (
            format!("this alert renders through the shortcode `callout`, whose template failed at {}:{}: {}", e.file, e.line, e.message),
            format!("fix the template {}", info.file),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_blanks_shortcode_syntax_and_keeps_offsets() {
        let body = "Call {{ clinic(field=\"phone\") }} now.\n\n{% callout(kind=\"tip\") %}\nRest well.\n{% end %}\n\n> [!NOTE]\n> Hi {{ site.title }}\n\n`{{ kept() }}`\n";
        let m = mask(body, pulldown_cmark::Options::empty());
        assert_eq!(m.len(), body.len());
        assert_eq!(m.lines().count(), body.lines().count());
        for gone in ["clinic", "callout", "[!NOTE]", "end", "site.title"] {
            assert!(!m.contains(gone), "{gone} in {m}");
        }
        assert!(
            m.contains("Rest well.") && m.contains("`{{ kept() }}`"),
            "{m}"
        );
    }

    #[test]
    fn placeholders_are_restored_and_unwrap_only_blocks() {
        let mut slots = Slots::new("x");
        let block = slots.park("<div>box</div>".into());
        let inline = slots.park("<a href=\"tel:1\">1</a>".into());
        let html = format!("<p>{block}</p>\n<p>{inline}</p>\n<p>call {inline}</p>");
        assert_eq!(
            slots.restore(&html),
            "<div>box</div><p><a href=\"tel:1\">1</a></p>\n<p>call <a href=\"tel:1\">1</a></p>"
        );
    }
}
