//! Which copies of an image are published, where, and at what size: computed
//! from the header alone, so Markdown can write `<picture>` before (and
//! without) any pixel being decoded.

use super::{Format, Info};
use crate::config::{ImageFormatName, ImageOptions};

/// One published copy of an image.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Variant {
    /// Output path, `care/kit/photo.800w.avif`.
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

/// What an image is published as: `sources` (AVIF, WebP) in the order a
/// browser should try them, then the original format's copies, the largest
/// of which is the `<img>`'s `src`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub sources: Vec<(Format, Vec<Variant>)>,
    pub fallback: Vec<Variant>,
    /// The `<img>`'s `src`: the largest original-format copy.
    pub src: Variant,
}

/// The path of a resized copy: `photo.jpg` at 800 px as AVIF is
/// `photo.800w.avif`, beside it.
pub fn variant_path(output: &str, width: u32, format: Format) -> String {
    let stem = match output.rsplit_once('.') {
        Some((stem, _)) if !stem.ends_with('/') => stem,
        _ => output,
    };
    format!("{stem}.{width}w.{}", format.ext())
}

/// The height of `info` scaled to `width`, rounded, at least 1.
pub fn height_at(info: &Info, width: u32) -> u32 {
    let h = (u64::from(info.height) * u64::from(width) + u64::from(info.width) / 2)
        / u64::from(info.width);
    h.max(1) as u32
}

/// The widths an image is published at: each of `[images] widths` narrower
/// than the image, and the image's own width when it is no wider than the
/// largest (never upscaled; a 4000 px original is not re-encoded at 4000 px).
pub fn widths(info: &Info, opts: &ImageOptions) -> Vec<u32> {
    let mut w: Vec<u32> = opts
        .widths
        .iter()
        .copied()
        .filter(|&w| w < info.width)
        .collect();
    if opts.widths.iter().any(|&w| w >= info.width) {
        w.push(info.width);
    }
    w
}

/// The copies of the image at `output` (a JPEG, PNG or WebP file).
pub fn plan(output: &str, info: &Info, opts: &ImageOptions) -> Plan {
    let widths = widths(info, opts);
    let at = |width: u32, format: Format| Variant {
        path: if width == info.width && format == info.format {
            output.to_string()
        } else {
            variant_path(output, width, format)
        },
        width,
        height: height_at(info, width),
        format,
    };
    let sources = opts
        .formats
        .iter()
        .map(|f| match f {
            ImageFormatName::Avif => Format::Avif,
            ImageFormatName::Webp => Format::Webp,
        })
        .filter(|f| *f != info.format)
        .map(|f| (f, widths.iter().map(|&w| at(w, f)).collect()))
        .collect();
    let fallback: Vec<Variant> = widths.iter().map(|&w| at(w, info.format)).collect();
    let src = fallback
        .last()
        .cloned()
        .unwrap_or_else(|| at(info.width, info.format));
    Plan {
        sources,
        fallback,
        src,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(w: u32, h: u32) -> Info {
        Info {
            width: w,
            height: h,
            format: Format::Jpeg,
            orientation: 1,
        }
    }

    #[test]
    fn never_upscaled_and_original_kept_when_small() {
        let opts = ImageOptions::default();
        assert_eq!(widths(&info(4000, 3000), &opts), vec![480, 800, 1200, 1600]);
        assert_eq!(widths(&info(1000, 500), &opts), vec![480, 800, 1000]);
        assert_eq!(widths(&info(300, 300), &opts), vec![300]);
        let p = plan("a/photo.jpg", &info(1000, 500), &opts);
        assert_eq!(p.src.path, "a/photo.jpg");
        assert_eq!(p.fallback[0].path, "a/photo.480w.jpg");
        assert_eq!(p.fallback[0].height, 240);
        assert_eq!(p.sources[0].0, Format::Avif);
        assert_eq!(p.sources[1].1[2].path, "a/photo.1000w.webp");
    }

    #[test]
    fn large_photo_src_is_the_largest_width() {
        let p = plan("p.jpeg", &info(4000, 3000), &ImageOptions::default());
        assert_eq!(p.src.path, "p.1600w.jpg");
        assert_eq!((p.src.width, p.src.height), (1600, 1200));
    }
}
