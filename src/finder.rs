//! The one finder of broken references and missing alt text, shared by
//! `build` (on each page's Markdown links, as warnings) and `check` (on every
//! link of the built HTML, templates included, as errors): a URL found in an
//! output file is classified ([`classify`]), looked up among the outputs
//! ([`reach`]), and an image's alt text is judged ([`alt_problem`]). Both
//! commands word the same problem the same way because only this module words it.
//!
//! Decorative images: Markdown `![](ornament.svg "decorative")` (the title
//! `decorative`) gets `alt=""` and no title; it is the one image allowed empty alt text.

use crate::diagnostic::{Code, Diagnostic};

/// The title that marks a Markdown image as decoration.
pub const DECORATIVE: &str = "decorative";

/// What a reference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `<a href>`, `<area href>`: something a reader follows.
    Link,
    /// `<img src>`.
    Image,
    /// `<link href>` of a stylesheet or icon, `<script src>`, `<source src>`,
    /// `srcset` candidates and the like: fetched as the page opens.
    Resource,
    /// `<link rel="canonical|alternate|me">`: names a page, fetched by nobody
    /// as the page opens.
    Named,
}

/// Where a URL leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Into this site: an output path (`care/`, `style.css`) and a fragment.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// Another site (http or https), without the fragment.
    External(String),
    /// A path from the host's root that leaves the base path of a sub-path
    /// `base_url` (`/style.css` on a site published at `/my-clinic/`): on the
    /// host it leads to somebody else's files.
    OutsideBase(String),
    /// mailto:, tel:, data:, … and empty hrefs: nothing to check.
    Skip,
}

/// Classify `url`, found in the output file `from` (`care/aftercare/index.html`).
pub fn classify(url: &str, from: &str, base_url: &str) -> Target {
    let url = url.trim();
    if url.is_empty() {
        return Target::Skip;
    }
    let base_path = base_url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    // Scheme and host compare case-insensitively: `HTTPS://Clinic.Example/`
    // is the site itself.
    let rest = if let Some(path) = crate::url_policy::site_path(url, base_url) {
        path
    } else if url.starts_with("//") {
        return external(&format!("https:{url}"));
    } else if has_scheme(url) {
        return external(url);
    } else if url.starts_with('/') {
        // Site-absolute: under a base_url with a path, links must carry it.
        let prefix = base_path.trim_end_matches('/');
        match url.strip_prefix(prefix) {
            Some(inner) if inner.is_empty() || inner.starts_with(['/', '?', '#']) => {
                format!("/{}", inner.trim_start_matches('/'))
            }
            _ => return Target::OutsideBase(url.to_string()),
        }
    } else {
        join(from, url)
    };
    let (without_fragment, fragment) = match rest.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(percent_decode(f))),
        None => (rest, None),
    };
    let path = without_fragment
        .split_once('?')
        .map(|(p, _)| p.to_string())
        .unwrap_or(without_fragment);
    Target::Internal {
        path: percent_decode(path.trim_start_matches('/')),
        fragment,
    }
}

fn external(url: &str) -> Target {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Target::External(url.split('#').next().unwrap_or(url).to_string())
    } else {
        Target::Skip
    }
}

/// `mailto:`, `https:`: a scheme before any `/`, `?` or `#`.
fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Resolve a relative URL against the output file it is in, as a browser would
/// against the page's URL (`a/b/index.html` is served as `/a/b/`).
fn join(from: &str, url: &str) -> String {
    let dir = match from.rfind('/') {
        Some(i) => &from[..i],
        None => "",
    };
    if url.starts_with(['#', '?']) {
        let page = from.strip_suffix("index.html").unwrap_or(from);
        return format!("/{page}{url}");
    }
    let (path, tail) = match url.find(['?', '#']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let segments: Vec<&str> = path.split('/').collect();
    for (k, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            "" if k + 1 < segments.len() => {}
            s => parts.push(s),
        }
    }
    let mut joined = format!("/{}", parts.join("/"));
    if path.ends_with('/') && !joined.ends_with('/') {
        joined.push('/');
    }
    format!("{joined}{tail}")
}

/// `%C3%BC` → `ü`; invalid sequences stay as they are.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What a finding of this module is about (its [`Kind::code`] is also its
/// `check` rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    BrokenLink,
    MissingAlt,
    ThirdParty,
}

impl Kind {
    /// The diagnostic code of a finding of this kind (in `build`, and the
    /// `check` rule of the same name).
    pub fn code(self) -> Code {
        match self {
            Kind::BrokenLink => Code::BrokenLink,
            Kind::MissingAlt => Code::MissingAlt,
            Kind::ThirdParty => Code::ThirdParty,
        }
    }
}

/// A problem with one reference, worded for the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub message: String,
    pub hint: String,
}

impl Found {
    /// As a build warning at `file:line:col`.
    pub fn warning(self, file: &str, line: usize, column: usize) -> Diagnostic {
        Diagnostic::warning(file, self.message)
            .code(self.kind.code())
            .at(line, column)
            .hint(self.hint)
    }
}

/// An internal reference that leads somewhere: the output file and the fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    pub output: String,
    pub fragment: Option<String>,
}

/// The output file a site path names (`care/` → `care/index.html`, `care` →
/// `care/index.html` too), if `exists` knows it.
pub fn resolve(path: &str, exists: &dyn Fn(&str) -> bool) -> Option<String> {
    let direct = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    if exists(&direct) {
        return Some(direct);
    }
    let index = format!("{path}/index.html");
    (!path.is_empty() && !path.ends_with('/') && exists(&index)).then_some(index)
}

/// Where `url`, found in the output file `from`, leads: `Ok(Some)` for an
/// output of this site, `Ok(None)` for another site or nothing to check, and
/// the problem when it leads to no output or out of a sub-path site.
pub fn reach(
    url: &str,
    kind: RefKind,
    from: &str,
    base_url: &str,
    exists: &dyn Fn(&str) -> bool,
) -> Result<Option<Reached>, Found> {
    let (path, fragment) = match classify(url, from, base_url) {
        Target::Internal { path, fragment } => (path, fragment),
        Target::OutsideBase(url) => return Err(outside_base(&url, base_url)),
        Target::External(url) if matches!(kind, RefKind::Image | RefKind::Resource) => {
            return Err(third_party(&url, kind))
        }
        _ => return Ok(None),
    };
    match resolve(&path, exists) {
        Some(output) => Ok(Some(Reached { output, fragment })),
        None => {
            let what = match kind {
                RefKind::Link => "the link",
                RefKind::Image => "the image",
                RefKind::Resource | RefKind::Named => "the file",
            };
            Err(Found {
                kind: Kind::BrokenLink,
                message: format!("{what} `{url}` leads to no page or file of this site"),
                hint: "link to pages by their Markdown file (@/section/page.md) so the address stays right; put images and files in content/ or static/".into(),
            })
        }
    }
}

/// An image or file another site serves, loaded as the page opens: that site
/// learns of every patient's visit before anyone clicks, and the site's own
/// Content-Security-Policy (`_headers`) blocks it, so it shows broken. A link
/// to another site is fine: the patient chooses to follow it.
fn third_party(url: &str, kind: RefKind) -> Found {
    let host = url.split_once("://").map_or(url, |(_, rest)| {
        rest.split(['/', '?', '#']).next().unwrap_or(rest)
    });
    let what = if kind == RefKind::Image {
        "image"
    } else {
        "file"
    };
    Found {
        kind: Kind::ThirdParty,
        message: format!(
            "the {what} `{url}` is loaded from another site ({host}) as the page opens: {host} learns of every visit, and the site's security policy blocks it"
        ),
        hint: format!(
            "save a copy beside the page (or in static/) and use that; or link to it instead, so a patient chooses to open it: [{what} on {host}]({url})"
        ),
    }
}

/// A link that leaves the base path of a sub-path site.
fn outside_base(url: &str, base_url: &str) -> Found {
    let host = base_url
        .split_once("://")
        .map(|(scheme, rest)| format!("{scheme}://{}", rest.split('/').next().unwrap_or("")))
        .unwrap_or_default();
    Found {
        kind: Kind::BrokenLink,
        message: format!(
            "the link `{url}` leaves the site: it is published at {base_url}, so `{url}` leads to {host}{url}"
        ),
        hint: "link to pages by their Markdown file (@/section/page.md) or write the path from the site's root (/treatment/: Follicle adds the base path); in templates, put {{ site.base_path }} before theme files".into(),
    }
}

/// The alt text of the image `url`: `None` when the `alt` attribute is missing
/// (only a template can do that), empty when a Markdown image has none.
/// Empty alt text is allowed only on an image marked decorative.
pub fn alt_problem(url: &str, alt: Option<&str>, decorative: bool) -> Option<Found> {
    let (message, hint) = match alt {
        None => (
            format!("the image `{url}` has no alt attribute"),
            "describe what the image shows in alt=\"…\", or write alt=\"\" if it is only decoration",
        ),
        Some(alt) if alt.trim().is_empty() && !decorative => (
            format!("the image `{url}` has no alt text"),
            "describe what the image shows: ![Scalp two weeks after a session](photo.jpg); \
             if it is only decoration, mark it: ![](ornament.svg \"decorative\")",
        ),
        Some(_) => return None,
    };
    Some(Found {
        kind: Kind::MissingAlt,
        message,
        hint: hint.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reach_finds_outputs_and_words_what_is_missing() {
        let outputs = ["care/index.html", "care/a/index.html", "logo.png"];
        let exists = |p: &str| outputs.contains(&p);
        let base = "https://clinic.example/";
        let at = "care/a/index.html";
        assert_eq!(
            reach("/care/#top", RefKind::Link, at, base, &exists),
            Ok(Some(Reached {
                output: "care/index.html".into(),
                fragment: Some("top".into())
            }))
        );
        assert_eq!(
            reach("../../logo.png", RefKind::Image, at, base, &exists)
                .unwrap()
                .unwrap()
                .output,
            "logo.png"
        );
        assert_eq!(
            reach("https://other.example/x", RefKind::Link, at, base, &exists),
            Ok(None)
        );
        let broken = reach("/prices/", RefKind::Link, at, base, &exists).unwrap_err();
        assert_eq!(broken.kind, Kind::BrokenLink);
        assert_eq!(
            broken.message,
            "the link `/prices/` leads to no page or file of this site"
        );
        let image = reach("x.png", RefKind::Image, at, base, &exists).unwrap_err();
        assert!(
            image.message.starts_with("the image `x.png`"),
            "{}",
            image.message
        );
    }

    #[test]
    fn alt_text_is_required_unless_decorative() {
        assert_eq!(alt_problem("a.png", Some("Scalp"), false), None);
        assert_eq!(alt_problem("a.png", Some(""), true), None);
        let missing = alt_problem("a.png", Some(" "), false).unwrap();
        assert_eq!(missing.kind, Kind::MissingAlt);
        assert_eq!(missing.message, "the image `a.png` has no alt text");
        assert!(alt_problem("a.png", None, true).is_some());
    }
}
