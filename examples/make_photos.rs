//! Writes camera-like test photos for the image benchmark
//! (`benches/images.sh`): `cargo run --release --example make_photos -- DIR
//! COUNT WIDTH HEIGHT [SEED]`. Each is a smooth gradient with noise (so it
//! compresses like a photo, not like a flat colour) saved as JPEG quality 90,
//! with EXIF holding a GPS position, as a phone writes it.

use image::{ImageEncoder, RgbImage};
use little_exif::exif_tag::ExifTag;
use little_exif::metadata::Metadata;
use little_exif::rational::uR64;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        eprintln!("usage: make_photos DIR COUNT WIDTH HEIGHT [SEED]");
        std::process::exit(2);
    }
    let dir = std::path::PathBuf::from(&args[0]);
    let parse = |s: &str| {
        s.parse::<u32>()
            .unwrap_or_else(|_| panic!("not a number: {s}"))
    };
    let (count, w, h) = (parse(&args[1]), parse(&args[2]), parse(&args[3]));
    let seed = args.get(4).map_or(1, |s| parse(s));
    std::fs::create_dir_all(&dir).expect("create the folder");
    for i in 0..count {
        let path = dir.join(format!("photo-{i:03}.jpg"));
        std::fs::write(&path, photo(w, h, seed.wrapping_mul(7919).wrapping_add(i))).expect("write");
    }
}

/// One JPEG with GPS EXIF.
pub fn photo(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = RgbImage::from_fn(w, h, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state % 24) as u8;
        let r = ((x * 255 / w.max(1)) as u8).saturating_add(n);
        let g = ((y * 255 / h.max(1)) as u8).saturating_add(n);
        let b = (((x + y + seed) % 256) as u8) / 2 + n;
        image::Rgb([r, g, b])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .expect("encode");
    let mut meta = Metadata::new();
    meta.set_tag(ExifTag::Make("PhoneMaker".into()));
    meta.set_tag(ExifTag::GPSLatitudeRef("N".into()));
    meta.set_tag(ExifTag::GPSLatitude(vec![
        uR64 {
            nominator: 34,
            denominator: 1,
        },
        uR64 {
            nominator: 3,
            denominator: 1,
        },
        uR64 {
            nominator: 0,
            denominator: 1,
        },
    ]));
    meta.write_to_vec(&mut jpeg, little_exif::filetype::FileExtension::JPEG)
        .expect("write EXIF");
    jpeg
}
