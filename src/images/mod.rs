//! Images: what a photo in `content/` becomes on the site.
//!
//! Takes: the raster files found while loading (their headers, read by
//! [`decode::probe`]) and `[images]` from site.toml. Gives: for each file a
//! [`Plan`] (the widths and formats it is published in, their paths and
//! sizes: what Markdown writes into `<picture>`), and, as a separate step run
//! by the render stage through its output, the files themselves
//! ([`publish`]): the original without metadata, and resized AVIF, WebP and
//! original-format copies, kept in a [`cache::Cache`] between builds.
//!
//! The promise: no published raster carries EXIF, GPS, XMP, IPTC or
//! comments. Orientation is applied before anything else; an upright
//! original is stripped without re-encoding (its ICC profile kept), anything
//! re-encoded is converted to sRGB first ([`decode`], [`meta`]).
//!
//! Headers are read before any pixel: a file declaring more than
//! [`decode::MAX_PIXELS`] pixels (an image bomb) is refused without decoding.

pub mod cache;
pub mod decode;
pub mod encode;
pub mod meta;
pub mod plan;
pub mod publish;
pub mod template;

pub use cache::Cache;
pub use plan::{plan, Plan, Variant};
pub use publish::{publish, Out, Published};

use std::collections::HashMap;
use std::path::PathBuf;

/// A file format images are read or written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Avif,
    Gif,
    Svg,
}

impl Format {
    /// The file name extension written for this format.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Avif => "avif",
            Format::Gif => "gif",
            Format::Svg => "svg",
        }
    }

    /// The `type` of a `<source>`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Avif => "image/avif",
            Format::Gif => "image/gif",
            Format::Svg => "image/svg+xml",
        }
    }

    /// Decoded, resized and stripped by this module (GIF and SVG pass through).
    pub fn is_processed(self) -> bool {
        matches!(self, Format::Jpeg | Format::Png | Format::Webp)
    }
}

/// What a file name says it is: a format, one we refuse, or not an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Image(Format),
    /// HEIC, TIFF, BMP...: formats browsers do not show (or we cannot strip).
    Unsupported(&'static str),
}

/// The kind of image a path names by its extension, or `None` for other files.
pub fn kind_of(path: &str) -> Option<Kind> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => Kind::Image(Format::Jpeg),
        "png" => Kind::Image(Format::Png),
        "webp" => Kind::Image(Format::Webp),
        "gif" => Kind::Image(Format::Gif),
        "svg" => Kind::Image(Format::Svg),
        "heic" | "heif" => Kind::Unsupported("HEIC"),
        "tif" | "tiff" => Kind::Unsupported("TIFF"),
        "bmp" => Kind::Unsupported("BMP"),
        _ => return None,
    })
}

/// An image's size and format, read from its header, upright (orientation
/// applied: a portrait phone photo stored sideways is taller than wide).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Info {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// The EXIF orientation (1: upright, 6: turned right...), 1 when absent.
    #[serde(skip)]
    pub orientation: u8,
}

/// Why an image cannot be published, in plain words, with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub what: String,
    pub hint: String,
}

impl Problem {
    pub fn new(what: impl Into<String>, hint: impl Into<String>) -> Self {
        Problem {
            what: what.into(),
            hint: hint.into(),
        }
    }

    /// The error for the image file itself.
    pub fn at_file(&self, file: &str) -> crate::diagnostic::Diagnostic {
        crate::diagnostic::Diagnostic::error(file, self.what.clone())
            .code(crate::diagnostic::Code::Image)
            .hint(self.hint.clone())
    }
}

/// One image of the site: where it comes from and what its header said.
#[derive(Debug, Clone)]
pub struct Entry {
    pub source: PathBuf,
    /// `content/care/kit/photo.jpg`, for messages.
    pub file: String,
    /// Output path, `care/kit/photo.jpg`.
    pub output: String,
    pub info: Result<Info, Problem>,
}

/// Every image of the site by output path, and the cache they are made in.
#[derive(Debug, Default)]
pub struct Catalog {
    pub entries: HashMap<String, Entry>,
    /// Shared with the template functions ([`template`]).
    pub cache: std::sync::Arc<Cache>,
    /// The site's folder.
    pub root: PathBuf,
}

impl Catalog {
    pub fn get(&self, output: &str) -> Option<&Entry> {
        self.entries.get(output)
    }
}
