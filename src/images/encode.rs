//! Resizing and encoding decoded images.

use super::Format;
use crate::config::ImageOptions;
use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;
use rgb::FromSlice;

/// `image` scaled to `width` × `height` (Lanczos3; alpha premultiplied while
/// resizing so transparent edges do not darken). With `crop`, the source is
/// cut to the target's proportions around its centre first.
pub fn resize(
    image: &DynamicImage,
    width: u32,
    height: u32,
    crop: bool,
) -> Result<DynamicImage, String> {
    if (width, height) == (image.width(), image.height()) {
        return Ok(image.clone());
    }
    let (pt, bytes) = match image {
        DynamicImage::ImageRgb8(b) => (PixelType::U8x3, b.as_raw().as_slice()),
        DynamicImage::ImageRgba8(b) => (PixelType::U8x4, b.as_raw().as_slice()),
        _ => return Err("internal: images are decoded to 8-bit RGB or RGBA".into()),
    };
    let src = ImageRef::new(image.width(), image.height(), bytes, pt).map_err(|e| e.to_string())?;
    let mut dst = Image::new(width, height, pt);
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if crop {
        options = options.fit_into_destination(None);
    }
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| e.to_string())?;
    let out = dst.into_vec();
    let resized = match pt {
        PixelType::U8x3 => {
            image::RgbImage::from_raw(width, height, out).map(DynamicImage::ImageRgb8)
        }
        _ => image::RgbaImage::from_raw(width, height, out).map(DynamicImage::ImageRgba8),
    };
    resized.ok_or_else(|| "internal: resized buffer has the wrong size".into())
}

/// `image` encoded as `format` at `[images]`'s quality. Nothing but pixels
/// (and no colour profile: pixels are sRGB by then) is written.
pub fn encode(
    image: &DynamicImage,
    format: Format,
    opts: &ImageOptions,
) -> Result<Vec<u8>, String> {
    match format {
        Format::Avif => avif(image, opts),
        Format::Webp => webp(image, opts.quality),
        Format::Jpeg => {
            let mut out = Vec::new();
            let rgb = match image {
                DynamicImage::ImageRgb8(b) => std::borrow::Cow::Borrowed(b),
                other => std::borrow::Cow::Owned(other.to_rgb8()),
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, opts.quality)
                .encode_image(&*rgb)
                .map_err(|e| e.to_string())?;
            Ok(out)
        }
        Format::Png => {
            let mut out = Vec::new();
            image
                .write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
                .map_err(|e| e.to_string())?;
            Ok(out)
        }
        Format::Gif | Format::Svg => Err(format!("internal: {format:?} is not encoded")),
    }
}

fn avif(image: &DynamicImage, opts: &ImageOptions) -> Result<Vec<u8>, String> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    // Sequential (ravif without `threading`, so no rayon inside): the render
    // stage runs one image per core, and a rayon wait here would let the
    // worker start another photo on top of this one (see Cargo.toml).
    let enc = ravif::Encoder::new()
        .with_quality(f32::from(opts.quality))
        .with_speed(opts.avif_speed);
    // Viewed in place as rgb's pixel type: no copy of the image.
    let encoded = match image {
        DynamicImage::ImageRgb8(b) => enc.encode_rgb(ravif::Img::new(b.as_raw().as_rgb(), w, h)),
        DynamicImage::ImageRgba8(b) => enc.encode_rgba(ravif::Img::new(b.as_raw().as_rgba(), w, h)),
        _ => return Err("internal: images are decoded to 8-bit RGB or RGBA".into()),
    };
    encoded.map(|e| e.avif_file).map_err(|e| e.to_string())
}

fn webp(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let (w, h) = (image.width(), image.height());
    let enc = match image {
        DynamicImage::ImageRgba8(b) => webp::Encoder::from_rgba(b.as_raw(), w, h),
        DynamicImage::ImageRgb8(b) => webp::Encoder::from_rgb(b.as_raw(), w, h),
        _ => return Err("internal: images are decoded to 8-bit RGB or RGBA".into()),
    };
    Ok(enc.encode(f32::from(quality)).to_vec())
}
