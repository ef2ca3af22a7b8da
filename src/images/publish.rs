//! The image stage's output: for one image, every copy its [`Plan`] names,
//! taken from the cache or made (decoded once, lazily, only if some copy is
//! missing) and written through [`Out`].

use super::cache::{key, Cache};
use super::{decode, encode, meta, Entry, Format, Info, Plan, Problem};
use crate::config::ImageOptions;
use image::DynamicImage;
use std::path::Path;

/// Where published files go (the render stage's output sink).
pub trait Out: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
    fn copy(&self, path: &str, from: &Path) -> std::io::Result<()>;
    /// Publish a cache entry (never changed once made): may be a hard link.
    fn share(&self, path: &str, from: &Path) -> std::io::Result<()>;
}

/// One file to publish: the image at a size, in a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// Cut to `width` × `height` around the centre (else scaled whole).
    pub crop: bool,
}

/// Why an image's files were not all published.
#[derive(Debug)]
pub enum Failed {
    /// The image itself: damaged, cut short...
    Image(Problem),
    /// Writing `path` failed.
    Io { path: String, error: std::io::Error },
}

/// What [`publish`] wrote.
#[derive(Debug, Default)]
pub struct Published {
    pub files: usize,
    /// Copies made now (not taken from the cache).
    pub made: usize,
}

/// The original of `entry`, upright and stripped, at its own path.
pub fn original(entry: &Entry, info: &Info) -> Copy {
    Copy {
        path: entry.output.clone(),
        width: info.width,
        height: info.height,
        format: info.format,
        crop: false,
    }
}

/// Every copy of `plan` plus the original (stripped) for the image `entry`.
pub fn copies(entry: &Entry, info: &Info, plan: &Plan) -> Vec<Copy> {
    let mut all = vec![original(entry, info)];
    let variants = plan
        .sources
        .iter()
        .flat_map(|(_, v)| v)
        .chain(&plan.fallback);
    for v in variants.filter(|v| v.path != entry.output) {
        all.push(Copy {
            path: v.path.clone(),
            width: v.width,
            height: v.height,
            format: v.format,
            crop: false,
        });
    }
    all
}

/// The source's bytes and pixels, each read or decoded at most once.
struct Source<'a> {
    path: &'a Path,
    bytes: Option<Vec<u8>>,
    pixels: Option<DynamicImage>,
}

impl Source<'_> {
    fn bytes(&mut self) -> Result<&[u8], Failed> {
        if self.bytes.is_none() {
            let b = std::fs::read(self.path).map_err(|e| {
                Failed::Image(Problem::new(
                    format!("cannot read the image: {e}"),
                    "check the file's permissions",
                ))
            })?;
            self.bytes = Some(b);
        }
        Ok(self.bytes.as_deref().unwrap_or_default())
    }

    fn pixels(&mut self) -> Result<&DynamicImage, Failed> {
        if self.pixels.is_none() {
            let bytes = self.bytes()?.to_vec();
            let d = decode::decode(bytes).map_err(Failed::Image)?;
            self.pixels = Some(d.image);
        }
        Ok(self.pixels.as_ref().expect("decoded just above"))
    }
}

/// Publish `copies` of `entry` (header `info`) through `out`.
pub fn publish(
    entry: &Entry,
    info: &Info,
    copies: &[Copy],
    opts: &ImageOptions,
    cache: &Cache,
    out: &dyn Out,
) -> Result<Published, Failed> {
    let io = |path: &str| {
        let path = path.to_string();
        move |error| Failed::Io { path, error }
    };
    let (hash, bytes) = cache.source_hash(&entry.source).map_err(|e| {
        Failed::Image(Problem::new(
            format!("cannot read the image: {e}"),
            "check the file's permissions",
        ))
    })?;
    let mut src = Source {
        path: &entry.source,
        bytes,
        pixels: None,
    };
    let mut done = Published::default();
    let settings = format!("q{}s{}", opts.quality, opts.avif_speed);
    for c in copies {
        let original = c.path == entry.output;
        let dims = format!(
            "{}x{}{}",
            c.width,
            c.height,
            if c.crop { "crop" } else { "" }
        );
        let k = if original {
            key(&[&hash, "original", &settings])
        } else {
            key(&[&hash, &dims, &settings])
        };
        let ext = c.format.ext();
        if let Some(cached) = cache.get(&k, ext) {
            out.share(&c.path, &cached).map_err(io(&c.path))?;
            done.files += 1;
            continue;
        }
        let bytes = make(&mut src, c, info, original, opts)?;
        cache.put(&k, ext, &bytes);
        out.write(&c.path, &bytes).map_err(io(&c.path))?;
        done.files += 1;
        done.made += 1;
    }
    Ok(done)
}

/// The bytes of one copy: an upright original stripped as it is, anything
/// else decoded, resized and encoded.
fn make(
    src: &mut Source<'_>,
    c: &Copy,
    info: &Info,
    original: bool,
    opts: &ImageOptions,
) -> Result<Vec<u8>, Failed> {
    let internal = |e: String| {
        Failed::Image(Problem::new(
            format!("cannot encode the image: {e}"),
            "report this to Follicle's developers with the file",
        ))
    };
    if info.format == Format::Gif {
        // Frames are copied byte for byte (animation kept); only comment and
        // metadata extensions go. A GIF is never resized.
        return meta::strip(src.bytes()?, Format::Gif).ok_or_else(|| {
            Failed::Image(Problem::new(
                "the GIF is damaged or cut short (its blocks do not reach the end marker)",
                "open it in an image editor, export it again as GIF, and replace the file",
            ))
        });
    }
    if original && info.orientation == 1 {
        // Decoding once proves the file is whole, though the stripped bytes are
        // published (a truncated JPEG would otherwise ship grey).
        src.pixels()?;
        if let Some(stripped) = meta::strip(src.bytes()?, info.format) {
            return Ok(stripped);
        }
    }
    let pixels = src.pixels()?;
    let resized;
    let img = if (c.width, c.height) == (pixels.width(), pixels.height()) {
        pixels
    } else {
        resized = encode::resize(pixels, c.width, c.height, c.crop).map_err(internal)?;
        &resized
    };
    encode::encode(img, c.format, opts).map_err(internal)
}
