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

    /// The decoded pixels, owned; the file's bytes are let go (decoded from
    /// them without a copy when not decoded yet).
    fn take_pixels(&mut self) -> Result<DynamicImage, Failed> {
        if let Some(p) = self.pixels.take() {
            self.bytes = None;
            return Ok(p);
        }
        self.bytes()?;
        let bytes = self.bytes.take().unwrap_or_default();
        Ok(decode::decode(bytes).map_err(Failed::Image)?.image)
    }
}

/// A copy's size: width, height, cut to them.
type Size = (u32, u32, bool);

fn size(c: &Copy) -> Size {
    (c.width, c.height, c.crop)
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
    let mut from_pixels = Vec::new();
    for c in copies {
        let original = c.path == entry.output;
        let k = if original {
            key(&[&hash, "original", &settings])
        } else {
            let (w, h, crop) = size(c);
            key(&[
                &hash,
                &format!("{w}x{h}{}", if crop { "crop" } else { "" }),
                &settings,
            ])
        };
        if let Some(cached) = cache.get(&k, c.format.ext()) {
            out.share(&c.path, &cached).map_err(io(&c.path))?;
            done.files += 1;
        } else if let Some(bytes) = verbatim(&mut src, info, original)? {
            put(cache, out, c, &k, &bytes, &mut done)?;
        } else {
            from_pixels.push((c, k));
        }
    }
    if from_pixels.is_empty() {
        return Ok(done);
    }
    let sized = resized(&mut src, &from_pixels)?;
    drop(src);
    for (c, k) in from_pixels {
        let img = image_for(&sized, c).ok_or_else(|| internal("a size was not made".into()))?;
        let bytes = encode::encode(img, c.format, opts).map_err(internal)?;
        put(cache, out, c, &k, &bytes, &mut done)?;
    }
    Ok(done)
}

fn io(path: &str) -> impl FnOnce(std::io::Error) -> Failed {
    let path = path.to_string();
    move |error| Failed::Io { path, error }
}

fn internal(e: String) -> Failed {
    Failed::Image(Problem::new(
        format!("cannot encode the image: {e}"),
        "report this to Follicle's developers with the file",
    ))
}

/// Keep a made copy in the cache and publish it.
fn put(
    cache: &Cache,
    out: &dyn Out,
    c: &Copy,
    k: &str,
    bytes: &[u8],
    done: &mut Published,
) -> Result<(), Failed> {
    cache.put(k, c.format.ext(), bytes);
    out.write(&c.path, bytes).map_err(io(&c.path))?;
    done.files += 1;
    done.made += 1;
    Ok(())
}

/// A copy published from the file's own bytes, without new pixels: a GIF
/// (frames byte for byte, only comment and metadata extensions go; never
/// resized) or an upright original, stripped. `None`: it must be encoded.
fn verbatim(src: &mut Source<'_>, info: &Info, original: bool) -> Result<Option<Vec<u8>>, Failed> {
    if info.format == Format::Gif {
        return meta::strip(src.bytes()?, Format::Gif)
            .map(Some)
            .ok_or_else(|| {
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
        return Ok(meta::strip(src.bytes()?, info.format));
    }
    Ok(None)
}

/// The image of `c`'s size among those [`resized`] made. The full-size image
/// is kept once, as not cut: cutting a picture to its own size changes nothing.
fn image_for<'a>(sized: &'a [(Size, DynamicImage)], c: &Copy) -> Option<&'a DynamicImage> {
    sized
        .iter()
        .find(|(s, _)| *s == size(c) || *s == (c.width, c.height, false))
        .map(|(_, img)| img)
}

/// Every size the copies `jobs` need, each resized once (for all its
/// formats) from one decode; the full-size pixels are let go before anything
/// is encoded, unless a copy is full size (then they are that copy's image).
fn resized(
    src: &mut Source<'_>,
    jobs: &[(&Copy, String)],
) -> Result<Vec<(Size, DynamicImage)>, Failed> {
    let mut sizes: Vec<Size> = jobs.iter().map(|(c, _)| size(c)).collect();
    sizes.sort_unstable();
    sizes.dedup();
    let pixels = src.take_pixels()?;
    let full = (pixels.width(), pixels.height());
    let mut made = Vec::with_capacity(sizes.len());
    let mut keep_full = false;
    for s in sizes {
        if (s.0, s.1) == full {
            keep_full = true;
            continue;
        }
        let img = encode::resize(&pixels, s.0, s.1, s.2).map_err(internal)?;
        made.push((s, img));
    }
    if keep_full {
        made.push(((full.0, full.1, false), pixels));
    }
    Ok(made)
}
