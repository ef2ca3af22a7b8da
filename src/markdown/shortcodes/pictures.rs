//! The site's photos named in a shortcode's arguments (`figure(src=…)`,
//! `before_after(before=…, after=…)`, Hugo's `{{< figure src=… >}}`, or any
//! template's): each becomes the same `<picture>` a Markdown image of it
//! would be ([`crate::markdown::picture::html`], one writer for both), given
//! to the template as `NAME_picture` (`src_picture`, `before_picture`…).
//!
//! Its alt text is the argument `alt` for `src`, else `alt_NAME`
//! (`alt_before`), else `alt`; `src` also takes `title`, `width` and
//! `height`. The first photo of a page (no Markdown image before it) loads
//! at once, every later one lazily.

use serde_json::Value as Json;

use super::args::Call;
use super::Expander;
use crate::markdown::picture::Img;

fn text<'c>(call: &'c Call, name: &str) -> Option<&'c str> {
    call.args
        .iter()
        .find(|a| a.name == name)
        .and_then(|a| a.value.as_str())
}

fn int(call: &Call, name: &str) -> Option<u32> {
    call.args
        .iter()
        .find(|a| a.name == name)
        .and_then(|a| a.value.as_u64())
        .and_then(|v| u32::try_from(v).ok())
        .filter(|v| *v > 0)
}

/// The `<picture>` of each argument of `given` naming one of the site's
/// images, as (`NAME_picture`, HTML). `shown` is the same call with the
/// addresses the page writes (a sub-path's base path added).
pub(super) fn of_call(
    ex: &mut Expander<'_, '_>,
    given: &Call,
    shown: &Call,
    start: usize,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (a, s) in given.args.iter().zip(&shown.args) {
        let (Json::String(dest), Json::String(fallback)) = (&a.value, &s.value) else {
            continue;
        };
        if a.name.ends_with("_picture") || crate::images::kind_of(dest).is_none() {
            continue;
        }
        let is_src = a.name == "src";
        let alt_name = format!("alt_{}", a.name);
        let alt = if is_src {
            // A peer's figure without alt: its caption (warned by the check).
            text(given, "alt").or_else(|| text(given, "caption"))
        } else {
            text(given, &alt_name).or_else(|| text(given, "alt"))
        };
        let lazy = ex.slots.pictures > 0 || image_before(ex.origin.body, start);
        let img = Img {
            alt: alt.unwrap_or_default(),
            title: if is_src { text(given, "title") } else { None }.unwrap_or_default(),
            lazy,
            width: if is_src { int(given, "width") } else { None },
            height: if is_src { int(given, "height") } else { None },
        };
        let Some(html) = ex.host.picture(dest, fallback, &img, start) else {
            continue;
        };
        if !lazy {
            ex.slots.first_picture_at = Some(start);
        }
        ex.slots.pictures += 1;
        out.push((format!("{}_picture", a.name), html));
    }
    out
}

/// Is there a Markdown image in `body` before `at` (the page's first image,
/// which loads at once)?
fn image_before(body: &str, at: usize) -> bool {
    let head = &body[..at.min(body.len())];
    if !head.contains("![") {
        return false;
    }
    pulldown_cmark::Parser::new_ext(head, crate::markdown::parser_options(false)).any(|e| {
        matches!(
            e,
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { .. })
        )
    })
}
