//! Metadata in image files: removing it without re-encoding, and finding
//! what is left (for `follicle check`).
//!
//! Removed: EXIF (camera, GPS, orientation), XMP, IPTC/Photoshop, comments,
//! PNG text and time chunks, every JPEG application segment but JFIF, Adobe
//! (colour transform) and the ICC profile; in a GIF, comment extensions and
//! every application extension but looping (NETSCAPE2.0, ANIMEXTS1.0) and the
//! ICC profile (so XMP and ImageMagick's IPTC go). Kept: the ICC profile, so
//! colours stay as the photographer saw them, and a GIF's frames and timing.

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
        Format::Gif => return gif(bytes).map(|(clean, _)| clean),
        Format::Avif | Format::Svg => return None,
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
    } else if bytes.starts_with(b"GIF8") {
        kinds.extend(gif(bytes).map(|(_, k)| k).unwrap_or_default());
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

/// GIF application extensions kept: looping, and the colour profile.
const GIF_KEEP_APPS: [&[u8; 11]; 3] = [b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012"];

/// The end of the GIF sub-blocks starting at `i` (after their 0 terminator).
fn gif_sub_blocks(bytes: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let n = usize::from(*bytes.get(i)?);
        i += 1 + n;
        if n == 0 {
            return Some(i);
        }
        if i > bytes.len() {
            return None;
        }
    }
}

/// The size of a GIF colour table a packed field declares (flag 0x80).
fn gif_table(packed: u8) -> usize {
    if packed & 0x80 == 0 {
        0
    } else {
        3 << ((packed & 7) + 1)
    }
}

/// A GIF without comments and metadata extensions, and the kinds removed;
/// `None` when the block structure is broken. Frames are copied byte for
/// byte (nothing is decoded or re-encoded), and what follows the trailer is
/// dropped.
fn gif(bytes: &[u8]) -> Option<(Vec<u8>, Vec<&'static str>)> {
    let mut i = 13 + gif_table(*bytes.get(10)?);
    let mut out = bytes.get(..i)?.to_vec();
    let mut kinds = Vec::new();
    loop {
        let start = i;
        match *bytes.get(i)? {
            0x3B => {
                out.push(0x3B);
                return Some((out, kinds));
            }
            0x2C => {
                let packed = *bytes.get(i + 9)?;
                // Descriptor, local table, LZW code size, then the data.
                i = gif_sub_blocks(bytes, i + 10 + gif_table(packed) + 1)?;
                out.extend_from_slice(bytes.get(start..i)?);
            }
            0x21 => {
                let label = *bytes.get(i + 1)?;
                i = gif_sub_blocks(bytes, i + 2)?;
                let dropped = match label {
                    0xFE => Some("a comment"),
                    0xFF => {
                        let id = bytes.get(start + 3..start + 14)?;
                        match id {
                            _ if GIF_KEEP_APPS.iter().any(|k| k.as_slice() == id) => None,
                            b"XMP DataXMP" => Some("XMP"),
                            _ if id.starts_with(b"MGKIPTC") || id.starts_with(b"MGK8BIM") => {
                                Some("IPTC")
                            }
                            _ => Some("application data"),
                        }
                    }
                    _ => None,
                };
                match dropped {
                    Some(kind) => kinds.push(kind),
                    None => out.extend_from_slice(bytes.get(start..i)?),
                }
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
    use image::{AnimationDecoder, Delay, Frame, Rgba, RgbaImage};

    /// A two-frame looping GIF with a comment and an XMP packet added after
    /// the looping extension, as editors write them.
    fn gif_with_metadata() -> Vec<u8> {
        let mut plain = Vec::new();
        {
            let mut enc = GifEncoder::new(&mut plain);
            enc.set_repeat(Repeat::Infinite).unwrap();
            for c in [[200, 0, 0, 255], [0, 0, 200, 255]] {
                let frame = Frame::from_parts(
                    RgbaImage::from_pixel(6, 4, Rgba(c)),
                    0,
                    0,
                    Delay::from_numer_denom_ms(100, 1),
                );
                enc.encode_frame(frame).unwrap();
            }
        }
        let comment = [b"\x21\xFE\x0DGPS 34N 118W!".as_slice(), b"\0"].concat();
        let mut xmp = b"\x21\xFF\x0BXMP DataXMP".to_vec();
        xmp.extend([5, b'<', b'x', b'm', b'p', b'>', 0]);
        let at = plain.iter().rposition(|&b| b == 0x3B).unwrap();
        let mut out = plain[..at].to_vec();
        // Before the trailer: still valid, found by every reader.
        out.extend(comment);
        out.extend(xmp);
        out.push(0x3B);
        out
    }

    #[test]
    fn gif_comments_and_xmp_go_frames_and_looping_stay() {
        let dirty = gif_with_metadata();
        assert_eq!(found(&dirty), vec!["XMP", "a comment"]);
        let clean = strip(&dirty, Format::Gif).unwrap();
        assert!(found(&clean).is_empty());
        assert!(!clean.windows(3).any(|w| w == b"GPS"));
        assert!(clean.windows(11).any(|w| w == b"NETSCAPE2.0"));
        let frames = GifDecoder::new(std::io::Cursor::new(&clean))
            .unwrap()
            .into_frames()
            .collect_frames()
            .unwrap();
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[1].buffer().get_pixel(3, 2), &Rgba([0, 0, 200, 255]));
        assert_eq!(frames[0].delay().numer_denom_ms(), (100, 1));
        // A GIF cut short is not stripped (it is reported as damaged).
        assert_eq!(strip(&dirty[..dirty.len() / 2], Format::Gif), None);
    }
}
