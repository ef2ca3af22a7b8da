//! Photos from Markdown, end to end: fixtures made at test time by libraries
//! (the `image` encoder, little_exif for GPS and orientation, a hand-built
//! ICC profile), the real binary builds the site, and what it published is read
//! back by independent readers (kamadak-exif for EXIF, `image` for pixels,
//! size and colour profile).

mod common;

use common::Site;
use image::{ImageEncoder, Rgb, RgbImage};
use little_exif::exif_tag::ExifTag;
use little_exif::metadata::Metadata;
use little_exif::rational::uR64;
use std::path::Path;

/// A small `[images]` table so debug builds encode only a few small copies.
const IMAGES: &str = "\n[images]\nwidths = [32, 100]\nquality = 70\n";

/// A JPEG `w` × `h` of one colour, with `icc` embedded when given.
fn jpeg(w: u32, h: u32, colour: [u8; 3], icc: Option<Vec<u8>>) -> Vec<u8> {
    let img = RgbImage::from_pixel(w, h, Rgb(colour));
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95);
    if let Some(icc) = icc {
        enc.set_icc_profile(icc).expect("JPEG takes an ICC profile");
    }
    enc.write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .expect("encode");
    out
}

/// `bytes` (a JPEG) with EXIF as a phone writes it: camera, GPS position and
/// `orientation`.
fn with_phone_exif(mut bytes: Vec<u8>, orientation: u16) -> Vec<u8> {
    let mut meta = Metadata::new();
    meta.set_tag(ExifTag::Make("PhoneMaker".into()));
    meta.set_tag(ExifTag::Orientation(vec![orientation]));
    meta.set_tag(ExifTag::GPSLatitudeRef("N".into()));
    let r = |n| uR64 {
        nominator: n,
        denominator: 1,
    };
    meta.set_tag(ExifTag::GPSLatitude(vec![r(34), r(3), r(0)]));
    meta.write_to_vec(&mut bytes, little_exif::filetype::FileExtension::JPEG)
        .expect("write EXIF");
    bytes
}

/// An ICC v2 display profile with sRGB's primaries and a linear (gamma 1)
/// curve: pixels described by it are much darker than the same numbers in
/// sRGB, so a conversion to sRGB shows in the published pixels.
fn linear_icc() -> Vec<u8> {
    let s15 = |v: f64| ((v * 65536.0).round() as i32).to_be_bytes();
    let xyz = |x: f64, y: f64, z: f64| {
        let mut t = b"XYZ \0\0\0\0".to_vec();
        for v in [x, y, z] {
            t.extend(s15(v));
        }
        t
    };
    let curv = {
        let mut t = b"curv\0\0\0\0".to_vec();
        t.extend(1u32.to_be_bytes());
        t.extend([1, 0, 0, 0]); // gamma 1.0 (u8Fixed8), padded
        t
    };
    let tags: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curv.clone()),
        (b"gTRC", curv.clone()),
        (b"bTRC", curv),
    ];
    let table_len = 4 + 12 * tags.len();
    let mut data = Vec::new();
    let mut table = (tags.len() as u32).to_be_bytes().to_vec();
    for (sig, body) in &tags {
        table.extend(*sig);
        table.extend(((128 + table_len + data.len()) as u32).to_be_bytes());
        table.extend((body.len() as u32).to_be_bytes());
        data.extend(body);
    }
    let size = 128 + table_len + data.len();
    let mut h = vec![0u8; 128];
    h[0..4].copy_from_slice(&(size as u32).to_be_bytes());
    h[8..12].copy_from_slice(&[2, 0x10, 0, 0]);
    h[12..16].copy_from_slice(b"mntr");
    h[16..20].copy_from_slice(b"RGB ");
    h[20..24].copy_from_slice(b"XYZ ");
    h[36..40].copy_from_slice(b"acsp");
    h[68..72].copy_from_slice(&s15(0.9642));
    h[72..76].copy_from_slice(&s15(1.0));
    h[76..80].copy_from_slice(&s15(0.8249));
    [h, table, data].concat()
}

/// The kinds of EXIF an independent reader finds, or `None` for none.
fn exif_of(bytes: &[u8]) -> Option<String> {
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .ok()?;
    Some(
        exif.fields()
            .map(|f| f.tag.to_string())
            .collect::<Vec<_>>()
            .join(","),
    )
}

fn published_rasters(dir: &Path) -> Vec<(String, Vec<u8>)> {
    common::tree(dir)
        .into_iter()
        .filter(|(p, _)| {
            [".jpg", ".png", ".webp", ".avif"]
                .iter()
                .any(|e| p.ends_with(e))
        })
        .collect()
}

fn bundle_site() -> Site {
    let site = Site::fixture("minimal");
    let toml = site.read("site.toml") + IMAGES;
    site.write("site.toml", toml);
    // Orientation 6: stored 64 wide, 48 high; shown 48 wide, 64 high.
    let turned = with_phone_exif(jpeg(64, 48, [200, 60, 40], None), 6);
    assert!(exif_of(&turned).unwrap().contains("GPSLatitude"));
    site.write("content/care/kit/before.jpg", turned);
    let upright = with_phone_exif(jpeg(40, 30, [128, 128, 128], Some(linear_icc())), 1);
    site.write("content/care/kit/after.jpg", upright);
    site.write(
        "content/care/kit/index.md",
        "+++\ntitle = \"Kit\"\ndescription = \"The kit.\"\n+++\n\nIntro.\n\n![The scalp before](before.jpg)\n\n![The scalp after](after.jpg \"Three sessions\")\n",
    );
    site
}

#[test]
fn photos_become_pictures_and_lose_their_metadata() {
    let site = bundle_site();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/care/kit/index.html");
    // The first image loads at once, the second lazily; sizes are upright.
    assert!(html.contains("<picture><source type=\"image/avif\" srcset=\"/care/kit/before.32w.avif 32w, /care/kit/before.48w.avif 48w\""), "{html}");
    assert!(html.contains("<img src=\"/care/kit/before.jpg\" srcset=\"/care/kit/before.32w.jpg 32w, /care/kit/before.jpg 48w\" sizes=\"(max-width: 48px) 100vw, 48px\" width=\"48\" height=\"64\" alt=\"The scalp before\" /></picture>"), "{html}");
    assert!(html.contains("width=\"40\" height=\"30\" alt=\"The scalp after\" title=\"Three sessions\" loading=\"lazy\" decoding=\"async\" /></picture>"), "{html}");
    let files = published_rasters(&site.path("public"));
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for want in [
        "care/kit/before.jpg",
        "care/kit/before.32w.avif",
        "care/kit/before.48w.webp",
        "care/kit/after.32w.jpg",
        "care/kit/after.40w.avif",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    for (path, bytes) in &files {
        assert_eq!(exif_of(bytes), None, "{path} still holds EXIF");
        assert!(follicle::images::meta::found(bytes).is_empty(), "{path}");
    }
    // Orientation applied: the published original is upright.
    let before = image::load_from_memory(&site_bytes(&site, "public/care/kit/before.jpg")).unwrap();
    assert_eq!((before.width(), before.height()), (48, 64));
}

fn site_bytes(site: &Site, rel: &str) -> Vec<u8> {
    std::fs::read(site.path(rel)).unwrap()
}

#[test]
fn colour_profile_kept_on_originals_and_converted_on_copies() {
    let site = bundle_site();
    assert_eq!(site.build().code, 0);
    // The upright original is stripped without re-encoding: ICC kept.
    let original = site_bytes(&site, "public/care/kit/after.jpg");
    let mut dec = image::ImageReader::new(std::io::Cursor::new(&original))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    use image::ImageDecoder;
    assert_eq!(dec.icc_profile().unwrap(), Some(linear_icc()));
    // A resized copy is in sRGB: linear 128 is about 188 in sRGB.
    let copy = site_bytes(&site, "public/care/kit/after.32w.jpg");
    let mut dec = image::ImageReader::new(std::io::Cursor::new(&copy))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    assert_eq!(dec.icc_profile().unwrap(), None);
    let px = image::load_from_memory(&copy).unwrap().to_rgb8();
    let g = px.get_pixel(10, 10)[1];
    assert!((180..=196).contains(&g), "green {g}, expected about 188");
}

#[test]
fn cache_is_reused_and_pruned() {
    let site = bundle_site();
    assert_eq!(site.build().code, 0);
    let cache = site.path(".follicle-cache/images");
    let count = || std::fs::read_dir(&cache).unwrap().count();
    let first = count();
    assert!(first > 10, "{first} cached files");
    let stamp = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let before: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| (e.as_ref().unwrap().path(), stamp(&e.unwrap().path())))
        .collect();
    assert_eq!(site.build().code, 0);
    assert_eq!(count(), first, "nothing new is cached");
    for (p, t) in before {
        assert_eq!(stamp(&p), t, "{} was made again", p.display());
    }
    // One photo changed: its old copies are pruned, the other's kept.
    site.write(
        "content/care/kit/before.jpg",
        jpeg(64, 48, [10, 200, 10], None),
    );
    assert_eq!(site.build().code, 0);
    assert_eq!(count(), first, "the old copies of before.jpg were pruned");
    let px = image::load_from_memory(&site_bytes(&site, "public/care/kit/before.32w.jpg"))
        .unwrap()
        .to_rgb8();
    assert!(px.get_pixel(5, 5)[1] > 150, "the new photo is published");
}

/// A warm rebuild moves no bytes: published copies are hard links to the
/// read-only cache entries. A photo changed later gets a new file; the old
/// entry is never written through.
#[cfg(unix)]
#[test]
fn published_photos_are_links_to_the_cache_never_written_through() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let site = bundle_site();
    let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
    let cache = site.path(".follicle-cache/images");
    let cached = || -> Vec<u64> {
        let entries = std::fs::read_dir(&cache).unwrap().flatten();
        entries.map(|e| ino(&e.path())).collect()
    };
    // The third build reuses the first one's folder, as every later one does.
    for _ in 0..3 {
        assert_eq!(site.build().code, 0);
    }
    let published = site.path("public/care/kit/before.32w.jpg");
    assert!(cached().contains(&ino(&published)), "a link, not a copy");
    let mode = std::fs::metadata(&published).unwrap().permissions().mode();
    assert_eq!(mode & 0o222, 0, "cache entries are read-only: {mode:o}");
    let old = std::fs::read(&published).unwrap();
    let keep = site.path("kept-link.jpg");
    std::fs::hard_link(&published, &keep).unwrap();
    site.write(
        "content/care/kit/before.jpg",
        jpeg(64, 48, [10, 200, 10], None),
    );
    for _ in 0..2 {
        assert_eq!(site.build().code, 0);
        assert_eq!(std::fs::read(&keep).unwrap(), old, "written through a link");
        let new = site_bytes(&site, "public/care/kit/before.32w.jpg");
        let px = image::load_from_memory(&new).unwrap().to_rgb8();
        assert!(px.get_pixel(5, 5)[1] > 150, "the new photo is published");
    }
}

/// A two-frame looping GIF (made by the `image` encoder) with a comment
/// extension holding a position, as some editors write.
fn gif_with_comment() -> Vec<u8> {
    use image::codecs::gif::{GifEncoder, Repeat};
    let mut out = Vec::new();
    {
        let mut enc = GifEncoder::new(&mut out);
        enc.set_repeat(Repeat::Infinite).unwrap();
        for c in [[250, 0, 0, 255], [0, 0, 250, 255]] {
            let px = image::RgbaImage::from_pixel(5, 3, image::Rgba(c));
            let delay = image::Delay::from_numer_denom_ms(80, 1);
            enc.encode_frame(image::Frame::from_parts(px, 0, 0, delay))
                .unwrap();
        }
    }
    let end = out.len() - 1;
    assert_eq!(out[end], 0x3B, "a GIF ends with its trailer");
    let comment = b"\x21\xFE\x0FGPS 34.05N 118W\0";
    out.splice(end..end, comment.iter().copied());
    out
}

/// What exiftool (an independent reader: Perl, not our code) sees in `path`,
/// as `Tag=value` lines; `None` when it is not installed (then the test
/// skips that part, unless FOLLICLE_REQUIRE_EXIFTOOL=1 as in CI).
fn exiftool(path: &Path) -> Option<String> {
    let run = std::process::Command::new("exiftool")
        .args(["-a", "-G1", "-s", "-n"])
        .arg(path)
        .output();
    match run {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout).to_string();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success(),
                "exiftool {}: {err}{text}",
                path.display()
            );
            Some(text)
        }
        Err(_) if std::env::var_os("FOLLICLE_REQUIRE_EXIFTOOL").is_some() => {
            panic!("exiftool is required (apt-get install libimage-exiftool-perl)")
        }
        Err(e) => {
            eprintln!("skipped the exiftool part ({e}): apt-get install libimage-exiftool-perl");
            None
        }
    }
}

/// A site whose theme `mine` (extending clinic) holds `static/` files.
fn static_site() -> Site {
    let site = bundle_site();
    let toml = site
        .read("site.toml")
        .replacen("title =", "theme = \"mine\"\ntitle =", 1);
    site.write("site.toml", toml);
    site.write("themes/mine/theme.toml", "extends = \"clinic\"\n");
    site
}

#[test]
fn theme_static_rasters_are_published_upright_without_metadata() {
    let site = static_site();
    // Stored 64 × 48 with orientation 6: shown 48 × 64.
    site.write(
        "themes/mine/static/img/team.jpg",
        with_phone_exif(jpeg(64, 48, [9, 90, 9], None), 6),
    );
    site.write(
        "themes/mine/static/logo.jpg",
        with_phone_exif(jpeg(16, 8, [1, 2, 3], Some(linear_icc())), 1),
    );
    site.write("themes/mine/static/spin.gif", gif_with_comment());
    site.write("themes/mine/static/notes.txt", "GPS 34N, copied as it is\n");
    for f in ["img/team.jpg", "logo.jpg"] {
        let raw = site.path(&format!("themes/mine/static/{f}"));
        if let Some(tags) = exiftool(&raw) {
            assert!(
                tags.contains("GPSLatitude") && tags.contains("PhoneMaker"),
                "{tags}"
            );
        }
    }
    if let Some(tags) = exiftool(&site.path("themes/mine/static/spin.gif")) {
        assert!(
            tags.contains("Comment") && tags.contains("GPS 34.05N"),
            "{tags}"
        );
    }
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for f in ["img/team.jpg", "logo.jpg", "spin.gif"] {
        let bytes = site_bytes(&site, &format!("public/{f}"));
        assert_eq!(exif_of(&bytes), None, "{f} still holds EXIF");
        assert!(!bytes.windows(3).any(|w| w == b"GPS"), "{f}");
        if let Some(tags) = exiftool(&site.path(&format!("public/{f}"))) {
            for bad in ["GPS", "PhoneMaker", "Comment", "XMP", "IPTC", "Orientation"] {
                assert!(
                    !tags.contains(bad),
                    "{f}: exiftool still finds {bad}:\n{tags}"
                );
            }
        }
    }
    let team = image::load_from_memory(&site_bytes(&site, "public/img/team.jpg")).unwrap();
    assert_eq!((team.width(), team.height()), (48, 64), "turned upright");
    // An upright original is stripped, not re-encoded: its profile stays.
    let logo = site_bytes(&site, "public/logo.jpg");
    let mut dec = image::ImageReader::new(std::io::Cursor::new(&logo))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    use image::ImageDecoder;
    assert_eq!(dec.icc_profile().unwrap(), Some(linear_icc()));
    // The GIF keeps both frames and its timing.
    use image::AnimationDecoder;
    let gif = site_bytes(&site, "public/spin.gif");
    let frames = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(gif))
        .unwrap()
        .into_frames()
        .collect_frames()
        .unwrap();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[1].delay().numer_denom_ms(), (80, 1));
    assert_eq!(site.read("public/notes.txt"), "GPS 34N, copied as it is\n");
    // Nothing is left for `check` to report.
    let run = site.run(&["check"]);
    let out = format!("{}{}", run.stdout, run.stderr);
    assert!(!out.contains("still holds"), "{out}");
}

#[test]
fn a_damaged_theme_photo_is_an_error_naming_it() {
    let site = static_site();
    let whole = jpeg(32, 32, [5, 5, 5], None);
    site.write("themes/mine/static/cut.jpg", &whole[..whole.len() / 2]);
    site.write("themes/mine/static/cut.gif", &gif_with_comment()[..40]);
    let run = site.build();
    assert_ne!(run.code, 0);
    for f in [
        "themes/mine/static/cut.jpg: error:",
        "themes/mine/static/cut.gif: error:",
    ] {
        assert!(run.stderr.contains(f), "{f} not in {}", run.stderr);
    }
}

#[test]
fn check_reports_a_published_image_with_metadata() {
    // An AVIF is published as it is (Follicle reads no AVIF); one declaring
    // an EXIF item in its `meta` box is reported.
    let site = static_site();
    let mut avif = vec![0, 0, 0, 0x14];
    avif.extend(b"ftypavif\0\0\0\0mif1");
    avif.extend([0, 0, 0, 0x15]);
    avif.extend(b"infe\x02\0\0\0\0\x01\0\0Exif\0");
    site.write("themes/mine/static/team.avif", avif);
    let run = site.run(&["check"]);
    let out = format!("{}{}", run.stdout, run.stderr);
    assert!(
        out.contains("public/team.avif: this published image still holds EXIF"),
        "exit {}: {out}",
        run.code
    );
    assert!(!out.contains("care/kit/before"), "{out}");
    assert_ne!(run.code, 0);
}

/// `bundle_site` with a theme whose `photo.html` calls the image functions,
/// served from a sub-path.
fn template_site(template: &str) -> Site {
    let site = bundle_site();
    let toml = site
        .read("site.toml")
        .replacen("title =", "theme = \"mine\"\ntitle =", 1)
        .replace(
            "base_url = \"https://minimal.example\"",
            "base_url = \"https://minimal.example/clinic/\"",
        );
    site.write("site.toml", toml);
    site.write("themes/mine/theme.toml", "extends = \"clinic\"\n");
    site.write("themes/mine/templates/photo.html", template);
    let index = site.read("content/care/kit/index.md");
    site.write(
        "content/care/kit/index.md",
        index.replacen("+++\n\n", "template = \"photo.html\"\n+++\n\n", 1),
    );
    site
}

const PHOTO_TEMPLATE: &str = r#"<!doctype html><title>{{ page.title }}</title>
{% set a = resize_image(path="before.jpg", width=20, height=20, op="fill", format="webp") %}
{% set b = resize_image(path="@/care/kit/after.jpg", width=16, op="fit_width", quality=50) %}
{% set m = image_meta(path="care/kit/before.jpg") %}
<img src="{{ a.url }}" width="{{ a.width }}" height="{{ a.height }}" data-orig="{{ a.orig_width }}x{{ a.orig_height }}">
<img src="{{ b.url }}" data-file="{{ b.static_path }}" width="{{ b.width }}" height="{{ b.height }}">
<p>meta {{ m.width }}x{{ m.height }} {{ m.format }}</p>
"#;

fn attr_after<'h>(html: &'h str, marker: &str) -> &'h str {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {html}"))
        + marker.len();
    &html[at..at + html[at..].find('"').unwrap()]
}

#[test]
fn resize_image_and_image_meta_work_in_templates_as_in_zola() {
    let site = template_site(PHOTO_TEMPLATE);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/care/kit/index.html");
    // Sizes from the upright header; the URL carries the sub-path.
    assert!(
        html.contains("width=\"20\" height=\"20\" data-orig=\"48x64\""),
        "{html}"
    );
    assert!(html.contains("width=\"16\" height=\"12\""), "{html}");
    assert!(html.contains("meta 48x64 jpg"), "{html}");
    let a = attr_after(&html, "<img src=\"");
    assert!(
        a.starts_with("/clinic/processed_images/before.") && a.ends_with(".webp"),
        "{a}"
    );
    let b = attr_after(&html, "data-file=\"");
    assert!(
        b.starts_with("processed_images/after.") && b.ends_with(".jpg"),
        "{b}"
    );
    // The copies are made, at that size, without metadata.
    let a_bytes = site_bytes(&site, &format!("public/{}", &a["/clinic/".len()..]));
    let b_bytes = site_bytes(&site, &format!("public/{b}"));
    for bytes in [&a_bytes, &b_bytes] {
        assert_eq!(exif_of(bytes), None);
        assert!(follicle::images::meta::found(bytes).is_empty());
    }
    let img = image::load_from_memory(&a_bytes).unwrap();
    assert_eq!((img.width(), img.height()), (20, 20));
    let img = image::load_from_memory(&b_bytes).unwrap();
    assert_eq!((img.width(), img.height()), (16, 12));
    // A second build takes them from the cache: the same files.
    let before = common::tree(&site.path("public/processed_images"));
    assert_eq!(site.build().code, 0);
    assert_eq!(common::tree(&site.path("public/processed_images")), before);
}

#[test]
fn image_function_mistakes_are_errors_at_the_template_line_all_in_one_run() {
    let site = template_site(
        "<!doctype html><title>x</title>\n{% set a = resize_image(path=\"nowhere.jpg\", width=10, height=10) %}\n",
    );
    site.write(
        "themes/mine/templates/other.html",
        "<!doctype html><title>x</title>\n\n{% set a = resize_image(path=\"@/care/kit/after.jpg\", width=10, op=\"stretch\") %}\n",
    );
    site.write(
        "themes/mine/templates/bomb.html",
        "<!doctype html><title>x</title>\n{% set m = image_meta(path=\"bomb.png\") %}{{ m.width }}\n",
    );
    // A 69-byte PNG declaring 100,000 × 100,000 pixels.
    let bomb = std::fs::read("tests/invalid/image-bomb/content/care/bomb.png").unwrap();
    site.write("themes/mine/static/bomb.png", bomb);
    for (page, template) in [("other", "other.html"), ("bombed", "bomb.html")] {
        site.write(
            &format!("content/care/{page}.md"),
            format!("+++\ntitle = \"{page}\"\ndescription = \"d\"\ntemplate = \"{template}\"\n+++\n\nText.\n"),
        );
    }
    let run = site.build();
    let out = format!("{}{}", run.stdout, run.stderr);
    assert_ne!(run.code, 0, "{out}");
    assert!(!out.contains("panicked"), "{out}");
    assert!(out.contains("themes/mine/templates/photo.html:2"), "{out}");
    assert!(out.contains("there is no image `nowhere.jpg`"), "{out}");
    assert!(out.contains("themes/mine/templates/other.html:3"), "{out}");
    assert!(
        out.contains("use one of scale, fit_width, fit_height, fit or fill"),
        "{out}"
    );
    assert!(out.contains("100000"), "{out}");
}

#[test]
fn serve_rerenders_the_pages_whose_template_images_changed() {
    use follicle::incremental::Session;
    let site = template_site(PHOTO_TEMPLATE);
    let opts = || follicle::build::BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    };
    let mut session = Session::new(opts());
    session.full().unwrap_or_else(|e| panic!("{e}"));
    let page =
        |s: &Session| String::from_utf8(s.outputs()["care/kit/index.html"].to_vec()).unwrap();
    let old = page(&session);
    // A new, wider photo: new size, new URL, new copy.
    site.write(
        "content/care/kit/before.jpg",
        jpeg(80, 40, [10, 200, 10], None),
    );
    let r = session
        .rebuild(&[site.path("content/care/kit/before.jpg")], false)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!r.full, "an image edit is not a full rebuild");
    let new = page(&session);
    assert_ne!(old, new);
    assert!(
        new.contains("data-orig=\"80x40\"") && new.contains("meta 80x40 jpg"),
        "{new}"
    );
    let url = attr_after(&new, "<img src=\"/clinic/");
    assert!(session.outputs().contains_key(url), "{url} not served");
    // The same as a clean build.
    let mut fresh = Session::new(opts());
    fresh.full().unwrap();
    assert_eq!(page(&fresh), new);
}

/// Every `<picture>…</picture>` of `html`, in order.
fn pictures(html: &str) -> Vec<&str> {
    html.match_indices("<picture>")
        .map(|(i, _)| &html[i..i + html[i..].find("</picture>").unwrap() + "</picture>".len()])
        .collect()
}

#[test]
fn figure_and_before_after_shortcodes_show_the_same_picture_as_markdown() {
    let site = bundle_site();
    let toml = site.read("site.toml").replace(
        "base_url = \"https://minimal.example\"",
        "base_url = \"https://minimal.example/clinic/\"",
    );
    site.write("site.toml", toml);
    site.write(
        "content/care/kit/index.md",
        concat!(
            "+++\ntitle = \"Kit\"\ndescription = \"The kit.\"\n+++\n\nIntro.\n\n",
            "{{ before_after(before=\"before.jpg\", after=\"after.jpg\", alt_before=\"Thin crown\", ",
            "alt_after=\"Crown after\", consent_ref=\"CF-1\", consent_expires=\"2099-01-01\", sessions=3) }}\n\n",
            "{{ figure(src=\"after.jpg\", alt=\"The kit\", caption=\"Healed\", width=20) }}\n\n",
            "{{< figure src=\"/care/kit/before.jpg\" alt=\"Hugo style\" >}}\n\n",
            "![Crown after](after.jpg)\n",
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/care/kit/index.html");
    let all = pictures(&html);
    assert_eq!(all.len(), 5, "{html}");
    // before_after: the page's first image loads at once; the sub-path is in
    // every address; sizes are upright (orientation 6).
    assert_eq!(
        all[0],
        concat!(
            "<picture><source type=\"image/avif\" srcset=\"/clinic/care/kit/before.32w.avif 32w, /clinic/care/kit/before.48w.avif 48w\" sizes=\"(max-width: 48px) 100vw, 48px\">",
            "<source type=\"image/webp\" srcset=\"/clinic/care/kit/before.32w.webp 32w, /clinic/care/kit/before.48w.webp 48w\" sizes=\"(max-width: 48px) 100vw, 48px\">",
            "<img src=\"/clinic/care/kit/before.jpg\" srcset=\"/clinic/care/kit/before.32w.jpg 32w, /clinic/care/kit/before.jpg 48w\" sizes=\"(max-width: 48px) 100vw, 48px\" width=\"48\" height=\"64\" alt=\"Thin crown\" /></picture>",
        ),
        "{html}"
    );
    assert!(
        html.contains("<figure class=\"before-after-item\"><picture>"),
        "{html}"
    );
    // The after photo in before_after is byte for byte the Markdown image of
    // it (same alt): one writer for both, lazy after the first.
    assert_eq!(all[1], all[4], "{html}");
    assert!(all[4].contains(" width=\"40\" height=\"30\" alt=\"Crown after\" loading=\"lazy\" decoding=\"async\" />"), "{}", all[4]);
    // figure: the writer's width, the height at the ratio, sizes to match.
    assert!(
        html.contains("<figure class=\"figure\"><picture>"),
        "{html}"
    );
    assert!(
        all[2].contains("sizes=\"(max-width: 20px) 100vw, 20px\""),
        "{}",
        all[2]
    );
    assert!(
        all[2].contains(" width=\"20\" height=\"15\" alt=\"The kit\" loading=\"lazy\""),
        "{}",
        all[2]
    );
    assert!(
        html.contains("</picture><figcaption>Healed</figcaption></figure>"),
        "{html}"
    );
    // Hugo's figure, a site-absolute address.
    assert!(
        all[3].contains(
            "<img src=\"/clinic/care/kit/before.jpg\" srcset=\"/clinic/care/kit/before.32w.jpg 32w"
        ),
        "{}",
        all[3]
    );
    assert!(
        all[3].contains("alt=\"Hugo style\" loading=\"lazy\""),
        "{}",
        all[3]
    );
    // Every address the pictures name was published, without metadata.
    let files = common::tree(&site.path("public"));
    for p in &all {
        let urls = p.split('"').flat_map(|v| v.split(", ")).filter_map(|v| {
            let url = v.split(' ').next()?;
            url.strip_prefix("/clinic/")
        });
        for file in urls {
            let bytes = files
                .get(file)
                .unwrap_or_else(|| panic!("{file} not published"));
            assert_eq!(exif_of(bytes), None, "{file} still holds EXIF");
        }
    }
}

#[test]
fn a_shortcode_naming_a_broken_photo_is_an_error_at_the_shortcode() {
    let site = bundle_site();
    site.write(
        "content/care/kit/broken.jpg",
        &b"\xff\xd8\xff\xe0 not a jpeg"[..],
    );
    site.write(
        "content/care/kit/index.md",
        "+++\ntitle = \"Kit\"\ndescription = \"The kit.\"\n+++\n\nIntro.\n\n{{ figure(src=\"broken.jpg\", alt=\"Broken\") }}\n",
    );
    let run = site.build();
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("content/care/kit/index.md:8:1")
            && run
                .stderr
                .contains("the image `broken.jpg` cannot be shown"),
        "{}",
        run.stderr
    );
}

/// An SVG drawing, in Markdown and in a shortcode, gets the width and height
/// its root element declares (`width`/`height`, else `viewBox`), so the page
/// does not shift as it loads; the file itself is published byte for byte.
#[test]
fn svg_drawings_get_their_declared_size_and_are_published_as_they_are() {
    let site = Site::fixture("minimal");
    let sized = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"200\"><rect width=\"320\" height=\"200\"/></svg>\n";
    let boxed = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 360\"><rect width=\"640\" height=\"360\"/></svg>\n";
    let bare =
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"10\" height=\"10\"/></svg>\n";
    site.write("content/care/kit/sized.svg", sized);
    site.write("content/care/kit/boxed.svg", boxed);
    site.write("content/care/kit/bare.svg", bare);
    site.write(
        "content/care/kit/index.md",
        "+++\ntitle = \"Kit\"\ndescription = \"The kit.\"\n+++\n\n![A sized drawing](sized.svg)\n\n{{ figure(src=\"boxed.svg\", alt=\"A boxed drawing\") }}\n\n![A drawing with no size](bare.svg)\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/care/kit/index.html");
    let img = |alt: &str| {
        let at = html
            .find(&format!("alt=\"{alt}\""))
            .unwrap_or_else(|| panic!("{alt}: {html}"));
        let start = html[..at].rfind("<img").unwrap();
        html[start..start + html[start..].find('>').unwrap()].to_string()
    };
    assert!(
        img("A sized drawing").contains("width=\"320\" height=\"200\""),
        "{}",
        img("A sized drawing")
    );
    assert!(
        img("A boxed drawing").contains("width=\"640\" height=\"360\""),
        "{}",
        img("A boxed drawing")
    );
    assert!(
        !img("A drawing with no size").contains("width="),
        "{}",
        img("A drawing with no size")
    );
    assert!(
        !html.contains("<picture><source type=\"image/avif\" srcset=\"/care/kit/sized"),
        "{html}"
    );
    for (name, text) in [("sized", sized), ("boxed", boxed), ("bare", bare)] {
        assert_eq!(
            site_bytes(&site, &format!("public/care/kit/{name}.svg")),
            text.as_bytes()
        );
    }
}
