//! Starter placeholders left in a site: the sample clinic's phone numbers
//! (555-0100 to 555-0199, reserved for fiction in North America), its
//! "Example Street", reserved
//! example domains (RFC 2606: `example.com`, `clinic.example`), "(placeholder)"
//! marks and "[Clinic: …]" notes. Each is an error, so the starter site's
//! sample text is never published by accident. The bundled demo site, whose
//! clinic is made up on purpose, ignores the rule in its `site.toml`;
//! `follicle init` takes that line out.

use super::{Finding, Rule};
use crate::build::LoadedSite;
use crate::content::Document;
use crate::diagnostic::{Code, Diagnostic};

/// The files at the top of a site that a host reads to publish it (written by
/// `follicle init --host`): a sample left there is published as surely as one
/// in a page.
pub const DEPLOY_FILES: &[&str] = &[
    ".github/workflows/pages.yml",
    "netlify.toml",
    "CLOUDFLARE-PAGES.md",
    "follicle-publish.sh",
];

/// What kind of placeholder was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Phone,
    Domain,
    Mark,
    Note,
    Street,
}

/// One placeholder on a line: its 1-based column and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hit {
    column: usize,
    text: String,
    kind: Kind,
}

/// Placeholders in every page and section (front matter and body), at their
/// file, line and column.
pub fn check(loaded: &LoadedSite) -> Vec<Finding> {
    check_docs(loaded.site.documents().map(|d| &**d))
}

/// [`check`] on these documents only.
pub fn check_docs<'d>(docs: impl Iterator<Item = &'d Document>) -> Vec<Finding> {
    let mut out = Vec::new();
    for doc in docs {
        // A stand-in repeats its original, which is reported once.
        if doc.fallback_from.is_some() {
            continue;
        }
        out.extend(in_text(&doc.file, &doc.front, doc.front_line));
        // Most bodies hold none: blank their code only when one may be there.
        if may_hold_one(&doc.body) {
            out.extend(in_text(&doc.file, &without_code(&doc.body), doc.body_line));
        }
    }
    out
}

/// Whether `text` holds any placeholder's fixed part (every placeholder has
/// `555`, `example`, `(placeholder)` or `[clinic:`, in any case): one
/// lowercased copy and a SIMD substring search per part (memchr's memmem),
/// instead of a lowercased copy of every line.
fn may_hold_one(text: &str) -> bool {
    let lower = text.as_bytes().to_ascii_lowercase();
    [&b"555"[..], b"example", b"placeholder", b"[clinic:"]
        .iter()
        .any(|needle| memchr::memmem::find(&lower, needle).is_some())
}

/// Placeholders in `text`, whose first line is line `first_line` of `file`.
pub fn in_text(file: &str, text: &str, first_line: usize) -> Vec<Finding> {
    if !may_hold_one(text) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for hit in scan_line(line) {
            out.push(finding(file, first_line + i, hit));
        }
    }
    out
}

/// `text` with code spans and fenced code blanked out (same lines and columns):
/// a placeholder shown as an example in code is not one left by mistake.
fn without_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fenced = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            out.push_str(line);
            continue;
        }
        if fenced {
            out.extend(line.chars().map(|c| if c == '\n' { c } else { ' ' }));
            continue;
        }
        let mut in_span = false;
        for c in line.chars() {
            if c == '`' {
                in_span = !in_span;
                out.push(c);
            } else if in_span && c != '\n' {
                out.push(' ');
            } else {
                out.push(c);
            }
        }
    }
    out
}

fn finding(file: &str, line: usize, hit: Hit) -> Finding {
    let (what, hint) = match hit.kind {
        Kind::Phone => (
            "a placeholder phone number (555-01xx numbers are reserved for fiction)",
            "put the clinic's real phone number here",
        ),
        Kind::Domain => (
            "a placeholder address (example domains are reserved for samples)",
            "put the clinic's real web or email address here",
        ),
        Kind::Mark => (
            "marked as a placeholder",
            "replace it with the real details and remove “(placeholder)”",
        ),
        Kind::Street => (
            "a placeholder street",
            "put the clinic's real street address here",
        ),
        Kind::Note => (
            "a note to the clinic from the starter site",
            "do what the note says, then delete it",
        ),
    };
    let d = Diagnostic::error(file, format!("`{}` is {what}", hit.text))
        .code(Code::Placeholder)
        .at(line, hit.column)
        .hint(hint);
    Finding::new(Rule::Placeholder, d)
}

/// Every placeholder on one line, left to right.
fn scan_line(line: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    let lower = line.to_ascii_lowercase();
    for (at, _) in lower.match_indices("(placeholder)") {
        hits.push(hit(line, at, at + "(placeholder)".len(), Kind::Mark));
    }
    for (at, _) in lower.match_indices("example street") {
        hits.push(hit(line, at, at + "example street".len(), Kind::Street));
    }
    for (at, _) in lower.match_indices("[clinic:") {
        let end = line[at..].find(']').map_or(line.len(), |i| at + i + 1);
        hits.push(hit(line, at, end, Kind::Note));
    }
    hits.extend(phones(line));
    hits.extend(domains(line, &lower));
    hits.sort_by_key(|h| h.column);
    hits
}

fn hit(line: &str, start: usize, end: usize, kind: Kind) -> Hit {
    Hit {
        column: line[..start].chars().count() + 1,
        text: line[start..end].to_string(),
        kind,
    }
}

/// `555 0100`, `555-0123`, `5550199` (any area code before them).
fn phones(line: &str) -> Vec<Hit> {
    let b = line.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut hits = Vec::new();
    for (at, _) in line.match_indices("555") {
        // Inside a longer number, unless it is the country code (`+1555…`).
        if at > 0 && digit(at - 1) && !line[..at].ends_with("+1") {
            continue;
        }
        let mut i = at + 3;
        if matches!(b.get(i), Some(b' ' | b'-' | b'.')) {
            i += 1;
        }
        let number = b.get(i..i + 4).filter(|n| n.starts_with(b"01"));
        if number.is_some_and(|n| n.iter().all(u8::is_ascii_digit)) && !digit(i + 4) {
            // Show the number with its area code and country code, if written.
            let start = line[..at]
                .rfind(|c: char| !(c.is_ascii_digit() || " +-.()".contains(c)))
                .map_or(0, |j| j + 1);
            let start = start + (line[start..at].len() - line[start..at].trim_start().len());
            hits.push(hit(line, start, i + 4, Kind::Phone));
        }
    }
    hits
}

/// Hosts under a reserved example domain: `example.com`, `example.org`,
/// `example.net`, and any name ending in `.example`, with what surrounds them in
/// the address (`hello@clinic.example`, `https://example.com/book`).
fn domains(line: &str, lower: &str) -> Vec<Hit> {
    let host_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    let mut hits = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        let Some(off) = lower[i..].find("example") else {
            break;
        };
        let at = i + off;
        i = at + "example".len();
        let before = lower[..at].chars().next_back();
        let after = &lower[i..];
        let next_char = after.chars().next();
        let reserved = match before {
            // `clinic.example` as a whole name, not `clinic.examples`.
            Some('.') => !next_char.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-'),
            // `example.com/org/net` as a whole name.
            _ => {
                !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
                    && [".com", ".org", ".net"].iter().any(|tld| {
                        after.starts_with(tld)
                            && !after[tld.len()..]
                                .chars()
                                .next()
                                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
                    })
            }
        };
        if !reserved {
            continue;
        }
        let start = lower[..at]
            .rfind(|c: char| !(host_char(c) || c == '@'))
            .map_or(0, |j| j + 1);
        let end = lower[at..]
            .find(|c: char| !(host_char(c) || c == '/'))
            .map_or(lower.len(), |j| at + j);
        let end = start.max(end - (lower[..end].len() - lower[..end].trim_end_matches('.').len()));
        hits.push(hit(line, start, end, Kind::Domain));
        i = end.max(i);
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_scan_lets_every_kind_through() {
        for line in [
            "Call 555-0100",
            "mail HELLO@CLINIC.EXAMPLE",
            "Open (Placeholder) hours",
            "[Clinic: add your hours]",
            "12 Example Street",
        ] {
            assert!(may_hold_one(line), "{line}");
            assert!(!scan_line(line).is_empty(), "{line}");
        }
        assert!(!may_hold_one(
            "Wash gently for two weeks; call us at 020 7946 0000."
        ));
    }

    fn texts(line: &str) -> Vec<(usize, String, Kind)> {
        scan_line(line)
            .into_iter()
            .map(|h| (h.column, h.text, h.kind))
            .collect()
    }

    #[test]
    fn sample_phone_numbers_are_found_with_their_prefix() {
        assert_eq!(
            texts("phone = \"+1 555 0100\""),
            vec![(10, "+1 555 0100".into(), Kind::Phone)]
        );
        assert_eq!(
            texts("Call (213) 555-0199 today."),
            vec![(6, "(213) 555-0199".into(), Kind::Phone)]
        );
        assert_eq!(
            texts("tel:+15550142"),
            vec![(5, "+15550142".into(), Kind::Phone)]
        );
        // Real numbers that merely contain 555 are not placeholders.
        assert!(texts("+1 555 0200").is_empty());
        assert!(texts("+1 213 555 1234").is_empty());
        assert!(texts("1555 0100").is_empty());
        assert!(texts("555 01000").is_empty());
    }

    #[test]
    fn reserved_example_domains_are_found_with_their_address() {
        assert_eq!(
            texts("email = \"hello@clinic.example\""),
            vec![(10, "hello@clinic.example".into(), Kind::Domain)]
        );
        assert_eq!(
            texts("[book](https://example.com/book)."),
            vec![(16, "example.com/book".into(), Kind::Domain)]
        );
        assert_eq!(
            texts("base_url = \"https://smp-guide.example/\""),
            vec![(21, "smp-guide.example/".into(), Kind::Domain)]
        );
        // Words, not domains.
        assert!(texts("For example, a session takes hours.").is_empty());
        assert!(texts("see examples.com and counterexample.com").is_empty());
        assert!(texts("the clinic.examples folder").is_empty());
    }

    #[test]
    fn marks_and_notes_to_the_clinic_are_found() {
        assert_eq!(
            texts("credentials = \"RN (placeholder)\""),
            vec![(19, "(placeholder)".into(), Kind::Mark)]
        );
        assert_eq!(
            texts("Hello. [Clinic: add your team here.] Bye."),
            vec![(8, "[Clinic: add your team here.]".into(), Kind::Note)]
        );
        assert!(texts("[clinic details](@/contact.md)").is_empty());
        assert_eq!(
            texts("street_address = \"100 Example Street, Suite 200\""),
            vec![(23, "Example Street".into(), Kind::Street)]
        );
    }

    #[test]
    fn examples_in_code_are_not_placeholders() {
        let body = "Call +1 555 0100.\nNumbers like `555-0100` are samples.\n```\nphone = \"+1 555 0100\"\n```\n";
        let f = in_text("a.md", &without_code(body), 1);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].diagnostic.line, f[0].diagnostic.column), (1, 6));
    }

    #[test]
    fn findings_point_at_the_file_line_and_column() {
        let f = in_text("site.toml", "title = \"T\"\nphone = \"+1 555 0100\"\n", 1);
        assert_eq!(f.len(), 1);
        let d = &f[0].diagnostic;
        assert_eq!((d.file.as_str(), d.line, d.column), ("site.toml", 2, 10));
        assert!(d.is_error());
        assert_eq!(f[0].rule, Rule::Placeholder);
    }
}
