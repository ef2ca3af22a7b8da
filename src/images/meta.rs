//! Metadata in image files: removing it without re-encoding, and finding
//! what is left (for `follicle check`).
//!
//! Removed: EXIF (camera, GPS, orientation), XMP, IPTC/Photoshop, comments,
//! PNG text and time chunks, every JPEG application segment but JFIF, Adobe
//! (colour transform) and the ICC profile. Kept: the ICC profile, so colours
//! stay as the photographer saw them.

use super::Format;
use img_parts::{Bytes, ImageEXIF};

/// JPEG markers: APP0 (JFIF), APP1 (EXIF, XMP), APP2 (ICC or FlashPix),
/// APP13 (IPTC), APP14 (Adobe), COM.
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;
const APP15: u8 = 0xEF;
const COM: u8 = 0xFE;

const PNG_DROP: [&[u8; 4]; 5] = [b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"];

/// `bytes` (a `format` file) without metadata, or `None` if it cannot be
/// read as that format (the caller then re-encodes it).
pub fn strip(bytes: &[u8], format: Format) -> Option<Vec<u8>> {
    let b = Bytes::copy_from_slice(bytes);
    let out = match format {
        Format::Jpeg => {
            let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(b).ok()?;
            jpeg.segments_mut()
                .retain(|s| keep_jpeg(s.marker(), s.contents()));
            jpeg.encoder().bytes()
        }
        Format::Png => {
            let mut png = img_parts::png::Png::from_bytes(b).ok()?;
            png.chunks_mut().retain(|c| !PNG_DROP.contains(&&c.kind()));
            png.encoder().bytes()
        }
        Format::Webp => {
            let mut webp = img_parts::webp::WebP::from_bytes(b).ok()?;
            webp.remove_chunks_by_id(*b"XMP ");
            webp.set_exif(None);
            webp.encoder().bytes()
        }
        Format::Avif | Format::Gif | Format::Svg => return None,
    };
    Some(out.to_vec())
}

fn keep_jpeg(marker: u8, contents: &[u8]) -> bool {
    match marker {
        APP0 | APP14 => true,
        APP2 => contents.starts_with(b"ICC_PROFILE\0"),
        APP1..=APP15 | COM => false,
        _ => true,
    }
}

/// The kinds of metadata an image file still holds (`EXIF`, `XMP`, `IPTC`,
/// `comment`...), empty for a clean file or one that is not a JPEG, PNG or
/// WebP.
pub fn found(bytes: &[u8]) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    let b = Bytes::copy_from_slice(bytes);
    if let Ok(jpeg) = img_parts::jpeg::Jpeg::from_bytes(b.clone()) {
        for s in jpeg.segments() {
            let c = s.contents();
            kinds.push(match s.marker() {
                APP1 if c.starts_with(b"Exif\0") => "EXIF",
                APP1 if c.starts_with(b"http://ns.adobe.com/xap/") => "XMP",
                0xED => "IPTC",
                COM => "a comment",
                m if !keep_jpeg(m, c) => "application data",
                _ => continue,
            });
        }
    } else if let Ok(png) = img_parts::png::Png::from_bytes(b.clone()) {
        for c in png.chunks() {
            kinds.push(match &c.kind() {
                b"eXIf" => "EXIF",
                b"iTXt" if c.contents().starts_with(b"XML:com.adobe.xmp") => "XMP",
                b"tEXt" | b"zTXt" | b"iTXt" => "text",
                b"tIME" => "a time stamp",
                _ => continue,
            });
        }
    } else if let Ok(webp) = img_parts::webp::WebP::from_bytes(b) {
        if webp.exif().is_some() {
            kinds.push("EXIF");
        }
        if webp.chunk_by_id(*b"XMP ").is_some() {
            kinds.push("XMP");
        }
    } else if bytes.len() > 12 && &bytes[4..12] == b"ftypavif" {
        kinds.extend(avif_metadata(bytes));
    }
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// AVIF (ISOBMFF): EXIF and XMP are items declared in the `meta` box by an
/// `infe` entry of type `Exif`, or `mime` with an XMP content type.
fn avif_metadata(bytes: &[u8]) -> Vec<&'static str> {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let mut kinds = Vec::new();
    for (p, _) in head.windows(4).enumerate().filter(|(_, w)| *w == b"infe") {
        let item_type = match head.get(p + 4) {
            Some(2) => head.get(p + 12..p + 16),
            Some(3) => head.get(p + 14..p + 18),
            _ => None,
        };
        match item_type {
            Some(b"Exif") => kinds.push("EXIF"),
            Some(b"mime")
                if head[p..]
                    .windows(19)
                    .take(64)
                    .any(|w| w == b"application/rdf+xml") =>
            {
                kinds.push("XMP")
            }
            _ => {}
        }
    }
    kinds
}
