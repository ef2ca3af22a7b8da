//! Reading images: the header first (size, format, orientation) under hard
//! limits, then, only when pixels are needed, the whole image, turned upright
//! and converted to sRGB.

use super::{Format, Info, Problem};
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use std::io::{BufRead, Cursor, Seek};
use std::path::Path;

/// The widest or tallest image accepted, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// The most pixels accepted (64 megapixels: above any phone or camera in
/// clinics' hands; a decoded image this size takes 192 MiB).
pub const MAX_PIXELS: u64 = 64_000_000;
/// The most memory one decode may allocate.
const MAX_ALLOC: u64 = 320 * 1024 * 1024;

const FIX_CORRUPT: &str =
    "open the photo in an image editor or on the phone, export it again as JPEG or PNG, and replace the file";

fn limits() -> Limits {
    // Sides and pixel count are checked by `check_size` from the header, to
    // name the declared size; the allocation limit stays as a backstop.
    let mut l = Limits::default();
    l.max_alloc = Some(MAX_ALLOC);
    l
}

/// Read only the header of the image file at `path`.
pub fn probe(path: &Path) -> Result<Info, Problem> {
    let file = std::fs::File::open(path).map_err(|e| {
        Problem::new(
            format!("cannot read the image: {e}"),
            "check the file's permissions",
        )
    })?;
    let (info, _) = header(std::io::BufReader::new(file))?;
    Ok(info)
}

/// The header of an image: its upright size, format, orientation, and a
/// decoder ready to read its pixels.
fn header<R: BufRead + Seek + 'static>(
    reader: R,
) -> Result<(Info, Box<dyn ImageDecoder>), Problem> {
    let mut reader = ImageReader::new(reader)
        .with_guessed_format()
        .map_err(|e| Problem::new(format!("cannot read the image: {e}"), FIX_CORRUPT))?;
    let format = match reader.format() {
        Some(image::ImageFormat::Jpeg) => Format::Jpeg,
        Some(image::ImageFormat::Png) => Format::Png,
        Some(image::ImageFormat::WebP) => Format::Webp,
        Some(image::ImageFormat::Gif) => Format::Gif,
        Some(other) => {
            return Err(Problem::new(
                format!("the file holds a {other:?} image, which Follicle does not publish"),
                "export it as JPEG (photos) or PNG (drawings), and name it .jpg or .png",
            ))
        }
        None => {
            return Err(Problem::new(
                "the file is not a JPEG, PNG, WebP or GIF image (its first bytes are not an image header)",
                FIX_CORRUPT,
            ))
        }
    };
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(read_error)?;
    let (w, h) = decoder.dimensions();
    check_size(w, h)?;
    let orientation = match format {
        Format::Gif => 1,
        _ => decoder.orientation().map(orientation_number).unwrap_or(1),
    };
    let (width, height) = if orientation >= 5 { (h, w) } else { (w, h) };
    let info = Info {
        width,
        height,
        format,
        orientation,
    };
    Ok((info, Box::new(decoder)))
}

/// Refuse sizes no real photo has before any pixel is read.
fn check_size(w: u32, h: u32) -> Result<(), Problem> {
    if w == 0 || h == 0 {
        return Err(Problem::new(
            "the image header says it is 0 pixels wide or high",
            FIX_CORRUPT,
        ));
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS || w > MAX_SIDE || h > MAX_SIDE {
        return Err(too_big(u64::from(w), u64::from(h)));
    }
    Ok(())
}

fn too_big(w: u64, h: u64) -> Problem {
    Problem::new(
        format!(
            "the image says it is {w} × {h} pixels, more than Follicle decodes ({} megapixels, at most {MAX_SIDE} pixels a side); it was not decoded",
            MAX_PIXELS / 1_000_000
        ),
        "resize the photo to at most 4000 pixels wide in an image editor (the site never shows more than your largest [images] width)",
    )
}

/// What the decoder said, in plain words.
fn read_error(e: image::ImageError) -> Problem {
    match e {
        image::ImageError::Limits(_) => Problem::new(
            format!(
                "the image is larger than Follicle decodes ({} megapixels, at most {MAX_SIDE} pixels a side); it was not decoded",
                MAX_PIXELS / 1_000_000
            ),
            "resize the photo to at most 4000 pixels wide in an image editor",
        ),
        image::ImageError::Unsupported(u) => Problem::new(
            format!("the image uses a feature Follicle cannot read: {u}"),
            "export it again as a plain JPEG or PNG",
        ),
        other => Problem::new(
            format!(
                "the image is damaged or cut short (the decoder says: {})",
                other.to_string().trim()
            ),
            FIX_CORRUPT,
        ),
    }
}

fn orientation_number(o: image::metadata::Orientation) -> u8 {
    use image::metadata::Orientation::*;
    match o {
        NoTransforms => 1,
        FlipHorizontal => 2,
        Rotate180 => 3,
        FlipVertical => 4,
        Rotate90FlipH => 5,
        Rotate90 => 6,
        Rotate270FlipH => 7,
        Rotate270 => 8,
    }
}

/// A decoded image, upright, 8-bit RGB or RGBA, in sRGB.
pub struct Decoded {
    pub image: DynamicImage,
    pub info: Info,
}

/// Decode `bytes` whole: orientation applied, ICC profile converted to sRGB.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, Problem> {
    if bytes.starts_with(&[0xFF, 0xD8]) && !jpeg_is_whole(&bytes) {
        return Err(Problem::new(
            "the image is cut short: the JPEG data stops before its end marker (the bottom of the photo would show grey)",
            FIX_CORRUPT,
        ));
    }
    let (info, mut decoder) = header(Cursor::new(bytes))?;
    let icc = decoder.icc_profile().ok().flatten();
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(read_error)?;
    if let Some(o) = orientation {
        if info.format != Format::Gif {
            image.apply_orientation(o);
        }
    }
    let mut image = if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    };
    if let Some(icc) = icc {
        to_srgb(&mut image, &icc);
    }
    Ok(Decoded { image, info })
}

/// A JPEG ends with an end-of-image marker after its last scan (decoders
/// fill a cut-off photo with grey instead of failing).
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let last = |m: u8| bytes.windows(2).rposition(|w| w == [0xFF, m]);
    match (last(0xDA), last(0xD9)) {
        (Some(scan), Some(end)) => end > scan,
        _ => false,
    }
}

/// Convert pixels described by the ICC profile `icc` to sRGB in place. A
/// profile qcms cannot read leaves the pixels as they are.
fn to_srgb(image: &mut DynamicImage, icc: &[u8]) {
    let Some(src) = qcms::Profile::new_from_slice(icc, false) else {
        return;
    };
    let mut dst = qcms::Profile::new_sRGB();
    dst.precache_output_transform();
    let (ty, data) = match image {
        DynamicImage::ImageRgb8(b) => (qcms::DataType::RGB8, &mut **b),
        DynamicImage::ImageRgba8(b) => (qcms::DataType::RGBA8, &mut **b),
        _ => return,
    };
    if let Some(t) = qcms::Transform::new(&src, &dst, ty, qcms::Intent::Perceptual) {
        t.apply(data);
    }
}
