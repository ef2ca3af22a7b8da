//! The one URL scheme policy: every URL anyone types (site.toml's `base_url`,
//! `[clinic] booking_url`, people's `url`, front matter `sources` and
//! `redirect_to`, Markdown links and images, raw HTML attributes) is judged
//! here, so a link cannot be kept on one page and dropped on another.
//!
//! Allowed: relative URLs (`/care/`, `../x.png`, `#top`, `?q`) and the schemes
//! in [`SCHEMES`]: `http`, `https`, `mailto`, `tel` and `sms` (a clinic's "text
//! us" link; it opens the phone's messaging app, runs nothing). Everything else
//! (`javascript:`, `vbscript:`, `data:`, `file:`, …) is refused; the caller
//! turns the refusal into an error at the value's place, with [`HINT`].
//!
//! The scheme is read as a browser reads it (WHATWG URL parsing, through the
//! `url` crate): tabs and newlines inside are dropped and leading spaces and
//! control characters trimmed, so `java\tscript:` and ` JavaScript:` are
//! `javascript:`; scheme and host compare case-insensitively.

use url::Url;

/// Schemes a typed URL may use. Relative URLs are always fine.
pub const SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "sms"];

/// How to fix a refused URL.
pub const HINT: &str =
    "use an https:// address, a mailto:, tel: or sms: link, or a path on this site such as /care/";

/// The scheme `url` has as a browser reads it, lowercase; `None` when relative.
pub fn scheme(url: &str) -> Option<String> {
    match Url::parse(url) {
        Ok(u) => Some(u.scheme().to_string()),
        Err(url::ParseError::RelativeUrlWithoutBase) => None,
        // A known scheme with a broken rest (`https://a b/`): still that scheme,
        // read by the same rule (a letter, then letters, digits, `+-.`, then `:`).
        Err(_) => {
            let cleaned: String = url
                .trim_start_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            let (head, _) = cleaned.split_once(':')?;
            let mut chars = head.chars();
            let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            ok.then(|| head.to_ascii_lowercase())
        }
    }
}

/// Whether `url` passes the policy.
pub fn allowed(url: &str) -> bool {
    scheme(url).is_none_or(|s| SCHEMES.contains(&s.as_str()))
}

/// Judge `url`; the error says which scheme was refused and why, in words for
/// a writer (the caller adds [`HINT`] or puts it in the message).
pub fn check(url: &str) -> Result<(), String> {
    match scheme(url) {
        Some(s) if !SCHEMES.contains(&s.as_str()) => Err(refusal(url, &s)),
        _ => Ok(()),
    }
}

fn refusal(url: &str, scheme: &str) -> String {
    let shown: String = url.chars().take(60).collect();
    let why = match scheme {
        "javascript" | "vbscript" | "livescript" => "runs a script in the reader's browser",
        "data" => "embeds a whole document that can run scripts",
        "file" => "points at a file on the reader's own computer",
        _ => "uses a scheme that is not allowed in links",
    };
    format!("the address `{shown}` {why} (`{scheme}:`)")
}

/// A full http(s) address (`sources` urls, `base_url`): parsed, checked, and
/// given back in its normal form (lowercase scheme and host).
pub fn check_http(url: &str) -> Result<Url, String> {
    if url.chars().any(|c| c.is_control()) {
        return Err(format!(
            "`{}` contains a control character (such as NUL, a tab or a newline): remove it",
            url.escape_debug()
        ));
    }
    let parsed = Url::parse(url.trim()).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => {
            format!("`{url}` must be a full address starting with https://")
        }
        e => format!("`{url}` is not a full address ({e}): write it as https://…"),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "`{url}` must be a full address starting with https://"
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{url}` has no host name"));
    }
    if url.contains(char::is_whitespace) || url.contains(['"', '<', '>']) {
        return Err(format!(
            "`{url}` is not a valid address: no spaces, quotes or angle brackets"
        ));
    }
    Ok(parsed)
}

/// The site path (`/care/x/?q#f`) of `url` when it is an absolute or
/// protocol-relative address on the site of `base_url` (scheme and host compare
/// case-insensitively, so `HTTPS://Clinic.Example/` is the site itself);
/// `None` for other sites, relative URLs and bad input.
pub fn site_path(url: &str, base_url: &str) -> Option<String> {
    let base = Url::parse(base_url).ok()?;
    let u = if url.trim_start().starts_with("//") {
        base.join(url).ok()?
    } else {
        Url::parse(url).ok()?
    };
    let same_site = matches!(u.scheme(), "http" | "https")
        && u.host_str()?.eq_ignore_ascii_case(base.host_str()?)
        && u.port_or_known_default() == base.port_or_known_default();
    if !same_site {
        return None;
    }
    let base_path = base.path().trim_end_matches('/');
    let path = u.path();
    let inner = match path.strip_prefix(base_path) {
        Some(r) if r.is_empty() || r.starts_with('/') => r,
        _ => return None,
    };
    let mut out = format!("/{}", inner.trim_start_matches('/'));
    if let Some(q) = u.query() {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = u.fragment() {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
}

/// Whether `href` is a web address (http(s), any case, or protocol-relative).
pub fn is_web(href: &str) -> bool {
    href.trim_start().starts_with("//") || matches!(scheme(href).as_deref(), Some("http" | "https"))
}

/// A URL a writer or clinic typed (site.toml's `booking_url`, a person's
/// `url`, `redirect_to`): checked against the policy when read, so the error
/// carries the value's line and column. Empty means "none".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct LinkUrl(pub String);

impl<'de> serde::Deserialize<'de> for LinkUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.chars().any(|c| c.is_control()) {
            return Err(serde::de::Error::custom(
                "the address contains a control character (such as NUL, a tab or a newline): remove it",
            ));
        }
        check(&s).map_err(|e| serde::de::Error::custom(format!("{e}: {HINT}")))?;
        Ok(LinkUrl(s))
    }
}

impl std::ops::Deref for LinkUrl {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// Whether `href` leads to another site (an http(s) or protocol-relative
/// address not under `base_url`).
pub fn is_external(href: &str, base_url: &str) -> bool {
    is_web(href) && site_path(href, base_url).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_as_a_browser_reads_them() {
        for ok in [
            "/care/",
            "../a.png",
            "#top",
            "?q=1",
            "a/b:c",
            "https://x.example/",
            "HTTP://X.EXAMPLE",
            "mailto:a@b.example",
            "tel:+15550100",
            "sms:+15550100",
            "https://a b/",
            "",
        ] {
            assert!(allowed(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:x",
            "\u{1}javascript:x",
            "vbscript:x",
            "data:text/html,<script>x</script>",
            "data:image/png;base64,AAAA",
            "file:///etc/passwd",
            "ftp://x.example/",
            "C:\\Users\\x.pdf",
        ] {
            let e = check(bad).unwrap_err();
            assert!(e.contains("the address"), "{bad}: {e}");
        }
    }

    #[test]
    fn the_site_itself_is_internal_whatever_the_case() {
        let base = "https://clinic.example/";
        assert_eq!(
            site_path("HTTPS://Clinic.Example/care/#x", base).as_deref(),
            Some("/care/#x")
        );
        assert_eq!(site_path("//clinic.example/a", base).as_deref(), Some("/a"));
        assert_eq!(site_path("https://other.example/", base), None);
        assert_eq!(site_path("https://clinic.example:8443/", base), None);
        assert_eq!(
            site_path("https://x.example/blog/a/", "https://x.example/blog/").as_deref(),
            Some("/a/")
        );
        assert_eq!(
            site_path("https://x.example/blogs/", "https://x.example/blog/"),
            None
        );
        assert!(!is_external("HTTPS://Clinic.Example/", base));
        assert!(is_external("https://other.example/", base));
        assert!(!is_external("mailto:a@b", base));
        assert!(!is_external("/care/", base));
    }

    #[test]
    fn http_addresses_are_normalised_and_nul_is_refused() {
        assert_eq!(
            check_http("HTTPS://Clinic.Example").unwrap().as_str(),
            "https://clinic.example/"
        );
        assert!(check_http("https://x.example/\0").is_err());
        assert!(check_http("ftp://x.example/").is_err());
        assert!(check_http("https://").is_err());
        assert!(check_http("clinic.example").is_err());
    }
}
