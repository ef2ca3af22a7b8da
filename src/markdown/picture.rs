//! Markdown images of the site's own photos as `<picture>`: AVIF and WebP
//! `<source>`s, then the original format's `<img>` with its size (no layout
//! shift), all from the image's [`crate::images::Plan`] (its header, never its
//! pixels; the files are made later by the render stage).

use super::escape_attr_into;
use crate::images::{Plan, Variant};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// How a Markdown image of one of the site's files is written.
#[derive(Debug, Clone)]
pub enum Shown {
    /// A JPEG, PNG or WebP photo: every width and format.
    Picture(Plan),
    /// A GIF or SVG, as it is, with its size when the header gave one.
    Plain { width: u32, height: u32 },
    /// The file cannot be published (its own error says why); the page
    /// names it where it is used.
    Refused { file: String, what: String },
}

/// Characters a URL inside `srcset` cannot hold as they are (a space or comma
/// would split the list).
const SRCSET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b',')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'%');

/// `prefix` + `/` + the variant's path, escaped for `srcset` and `src`.
fn url(prefix: &str, v: &Variant) -> String {
    format!("{prefix}/{}", utf8_percent_encode(&v.path, SRCSET))
}

fn srcset(prefix: &str, variants: &[Variant]) -> String {
    variants
        .iter()
        .map(|v| format!("{} {}w", url(prefix, v), v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the browser is told about the image's displayed width: the column
/// at most, the screen's width below it.
fn sizes(plan: &Plan) -> String {
    let w = plan.src.width;
    format!("(max-width: {w}px) 100vw, {w}px")
}

/// The image's HTML. `lazy`: every image but the page's first loads when
/// scrolled near.
pub fn html(
    shown: &Shown,
    prefix: &str,
    fallback_src: &str,
    alt: &str,
    title: &str,
    lazy: bool,
) -> String {
    let mut out = String::new();
    let (src, size) = match shown {
        Shown::Picture(plan) => {
            out.push_str("<picture>");
            let sizes = sizes(plan);
            for (format, variants) in &plan.sources {
                out.push_str(&format!(
                    "<source type=\"{}\" srcset=\"{}\" sizes=\"{sizes}\">",
                    format.mime(),
                    srcset(prefix, variants)
                ));
            }
            (
                url(prefix, &plan.src),
                Some((plan.src.width, plan.src.height)),
            )
        }
        Shown::Plain { width, height } => (fallback_src.to_string(), Some((*width, *height))),
        Shown::Refused { .. } => (fallback_src.to_string(), None),
    };
    out.push_str("<img src=\"");
    escape_attr_into(&mut out, &src);
    out.push('"');
    if let Shown::Picture(plan) = shown {
        if plan.fallback.len() > 1 {
            out.push_str(&format!(
                " srcset=\"{}\" sizes=\"{}\"",
                srcset(prefix, &plan.fallback),
                sizes(plan)
            ));
        }
    }
    if let Some((w, h)) = size.filter(|(w, h)| *w > 0 && *h > 0) {
        out.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
    }
    out.push_str(" alt=\"");
    escape_attr_into(&mut out, alt);
    out.push('"');
    if !title.is_empty() {
        out.push_str(" title=\"");
        escape_attr_into(&mut out, title);
        out.push('"');
    }
    if lazy {
        out.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    out.push_str(" />");
    if matches!(shown, Shown::Picture(_)) {
        out.push_str("</picture>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ImageOptions;
    use crate::images::{Format, Info};

    #[test]
    fn picture_has_sources_size_and_lazy() {
        let info = Info {
            width: 2000,
            height: 1000,
            format: Format::Jpeg,
            orientation: 1,
        };
        let plan = crate::images::plan("care/my kit/a.jpg", &info, &ImageOptions::default());
        let h = html(&Shown::Picture(plan), "/p", "a.jpg", "A \"kit\"", "", true);
        assert!(
            h.starts_with(
                "<picture><source type=\"image/avif\" srcset=\"/p/care/my%20kit/a.480w.avif 480w, "
            ),
            "{h}"
        );
        assert!(h.contains("<source type=\"image/webp\""));
        assert!(h.contains("<img src=\"/p/care/my%20kit/a.1600w.jpg\" srcset=\""));
        assert!(h.contains(" width=\"1600\" height=\"800\" alt=\"A &quot;kit&quot;\" loading=\"lazy\" decoding=\"async\" /></picture>"));
        let first = html(
            &Shown::Plain {
                width: 3,
                height: 2,
            },
            "",
            "x.gif",
            "",
            "t",
            false,
        );
        assert_eq!(
            first,
            "<img src=\"x.gif\" width=\"3\" height=\"2\" alt=\"\" title=\"t\" />"
        );
    }
}
