//! Markdown images of the site's own photos as `<picture>`: AVIF and WebP
//! `<source>`s, then the original format's `<img>` with its size (no layout
//! shift), all from the image's [`crate::images::Plan`] (its header, never its
//! pixels; the files are made later by the render stage).

use super::escape_attr_into;
use crate::diagnostic::{Code, Diagnostic};
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

impl Shown {
    /// The error for the page `file` that shows a refused image as `dest`.
    pub fn refused(&self, file: &str, dest: &str) -> Option<Diagnostic> {
        let Shown::Refused { file: image, what } = self else {
            return None;
        };
        Some(
            Diagnostic::error(
                file,
                format!(
                    "the image `{}` cannot be shown: {image}: {what}",
                    dest.trim()
                ),
            )
            .code(Code::Image)
            .hint(format!(
                "fix {image} (see its own error), or link another image"
            )),
        )
    }
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
fn sizes(width: u32) -> String {
    format!("(max-width: {width}px) 100vw, {width}px")
}

/// The `<img>`'s own attributes, as the writer gave them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Img<'a> {
    pub alt: &'a str,
    pub title: &'a str,
    /// Every image but the page's first loads when scrolled near.
    pub lazy: bool,
    /// A display width and/or height the writer asked for (a shortcode's
    /// `width=` / `height=`); the other side follows the image's ratio.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// The displayed size: the largest copy's, or the writer's, the missing side
/// at the image's ratio.
fn display_size(natural: Option<(u32, u32)>, img: &Img<'_>) -> Option<(u32, u32)> {
    let scale = |v: u32, num: u32, den: u32| {
        ((u64::from(v) * u64::from(num) + u64::from(den) / 2) / u64::from(den).max(1)).max(1) as u32
    };
    match (img.width, img.height, natural) {
        (Some(w), Some(h), _) => Some((w, h)),
        (Some(w), None, Some((nw, nh))) => Some((w, scale(w, nh, nw))),
        (None, Some(h), Some((nw, nh))) => Some((scale(h, nw, nh), h)),
        (_, _, n) => n,
    }
}

/// The image's HTML: the one writer of a site photo, for Markdown images and
/// for shortcodes (`figure`, `before_after`) alike. `fallback_src` is the
/// address written when `shown` is not a picture.
pub fn html(shown: &Shown, prefix: &str, fallback_src: &str, img: &Img<'_>) -> String {
    let mut out = String::new();
    let (src, natural) = match shown {
        Shown::Picture(plan) => (
            url(prefix, &plan.src),
            Some((plan.src.width, plan.src.height)),
        ),
        Shown::Plain { width, height } => (fallback_src.to_string(), Some((*width, *height))),
        Shown::Refused { .. } => (fallback_src.to_string(), None),
    };
    let size = display_size(natural.filter(|(w, h)| *w > 0 && *h > 0), img);
    if let Shown::Picture(plan) = shown {
        out.push_str("<picture>");
        let sizes = sizes(size.map_or(plan.src.width, |s| s.0));
        for (format, variants) in &plan.sources {
            out.push_str(&format!(
                "<source type=\"{}\" srcset=\"{}\" sizes=\"{sizes}\">",
                format.mime(),
                srcset(prefix, variants)
            ));
        }
    }
    out.push_str("<img src=\"");
    escape_attr_into(&mut out, &src);
    out.push('"');
    if let Shown::Picture(plan) = shown {
        if plan.fallback.len() > 1 {
            out.push_str(&format!(
                " srcset=\"{}\" sizes=\"{}\"",
                srcset(prefix, &plan.fallback),
                sizes(size.map_or(plan.src.width, |s| s.0))
            ));
        }
    }
    if let Some((w, h)) = size.filter(|(w, h)| *w > 0 && *h > 0) {
        out.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
    }
    out.push_str(" alt=\"");
    escape_attr_into(&mut out, img.alt);
    out.push('"');
    if !img.title.is_empty() {
        out.push_str(" title=\"");
        escape_attr_into(&mut out, img.title);
        out.push('"');
    }
    if img.lazy {
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
        let img = Img {
            alt: "A \"kit\"",
            lazy: true,
            ..Img::default()
        };
        let h = html(&Shown::Picture(plan.clone()), "/p", "a.jpg", &img);
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
            &Img {
                title: "t",
                ..Img::default()
            },
        );
        assert_eq!(
            first,
            "<img src=\"x.gif\" width=\"3\" height=\"2\" alt=\"\" title=\"t\" />"
        );
        // A shortcode's `width=`: shown smaller, the height at the ratio,
        // `sizes` saying so; the copies are the same.
        let img = Img {
            width: Some(500),
            ..Img::default()
        };
        let h = html(&Shown::Picture(plan), "", "a.jpg", &img);
        assert!(
            h.contains("sizes=\"(max-width: 500px) 100vw, 500px\""),
            "{h}"
        );
        assert!(
            h.contains(" width=\"500\" height=\"250\" alt=\"\" />"),
            "{h}"
        );
    }
}
